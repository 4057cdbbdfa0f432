/*
 * fuzz_acl.c - libFuzzer harness for the ACL model (src/config/acl*.c,
 * aclset.c) on the statement tree (cfgtree.c): the input's first byte
 * picks the platform, the rest is a configuration; a NUL byte splits it
 * into an old and a new version. Each is parsed, every ACL analysed for
 * unreachable lines and evaluated on a packet, and ACLs of the same name
 * compared. Checks: blocking lines are earlier entries; acl_eval agrees
 * with the entries' sets; a compared region is not empty; acl_denies_all
 * agrees with acl_eval on its example and on the entry's example.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/acl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct acl_config *
build(enum cfg_platform p, const char *t, size_t len, struct cfg_tree **tr)
{
	char err[128];

	*tr = cfg_tree_parse(p, t, len, err, sizeof(err));
	return *tr ? acl_config_build(*tr) : NULL;
}

static void
analyse(const struct acl_config *c)
{
	for (size_t i = 0; i < c->nacl; i++) {
		const struct acl *a = &c->acl[i];
		struct acl_unreach *u;
		struct acl_packet p;
		size_t n;
		int line;

		if (acl_unreachable(a, &u, &n) == 0) {
			for (size_t k = 0; k < n; k++)
				for (size_t b = 0; b < u[k].nblock; b++)
					if (u[k].block[b] >= u[k].entry)
						abort();
			acl_unreach_free(u, n);
		}
		for (size_t k = 0; k < a->n; k++)
			if (aclset_example(&a->e[k].match, &p) == 0) {
				int r = acl_eval(a, &p, &line);

				if (r >= 0 && line == 0)
					abort(); /* a matching entry exists */
				/* acl-deny over the whole of that entry: a
				 * permitted example must be permitted */
				if (r >= 0 && a->e[k].match.n > 0) {
					struct acl_packet ex;
					int l2 = 0, d = acl_denies_all(a,
					    &a->e[k].match.b[0], &ex, &l2);

					if (d == 0 && acl_eval(a, &ex, &line) !=
					    ACL_PERMIT)
						abort();
					if (d == 1 && r == ACL_PERMIT &&
					    acl_box_has(&a->e[k].match.b[0], &p))
						abort();
				}
				break;
			}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum cfg_platform p;
	const char *t, *nul;
	size_t len, l1;
	struct cfg_tree *t1 = NULL, *t2 = NULL;
	struct acl_config *c1 = NULL, *c2 = NULL;

	if (size < 1)
		return 0;
	p = (enum cfg_platform)(data[0] % CFG_PLAT_N);
	t = (const char *)data + 1;
	len = size - 1;
	nul = memchr(t, '\0', len);
	l1 = nul ? (size_t)(nul - t) : len;
	if ((c1 = build(p, t, l1, &t1)) != NULL)
		analyse(c1);
	if (nul && (c2 = build(p, nul + 1, len - l1 - 1, &t2)) != NULL) {
		analyse(c2);
		for (size_t i = 0; c1 && i < c2->nacl; i++) {
			const struct acl *o = acl_config_find(c1,
			    c2->acl[i].name);
			struct acl_change ch[2];
			size_t n;

			if (o && acl_compare(o, &c2->acl[i], ch, &n) == 0) {
				for (size_t k = 0; k < n; k++)
					if (aclset_empty(&ch[k].region))
						abort();
				acl_change_free(ch, n);
			}
		}
	}
	acl_config_free(c1);
	acl_config_free(c2);
	if (t1)
		cfg_tree_free(t1);
	if (t2)
		cfg_tree_free(t2);
	return 0;
}
