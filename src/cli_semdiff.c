/*
 * cli_semdiff.c - netpatrol config diff --semantic (two files offline, or
 * two archived versions of a device) and netpatrol config lint FILE.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "config/semdiff.h"
#include "core/json.h"

#define SEM_FILE_MAX (64u * 1024 * 1024)

static int
read_file(const char *path, char **text, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 65536, n = 0, r;
	char *b = malloc(cap);

	if (f == NULL || b == NULL) {
		fprintf(stderr, "netpatrol: %s: %s\n", path, strerror(errno));
		if (f)
			fclose(f);
		free(b);
		return -1;
	}
	while ((r = fread(b + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) {
			void *p;

			if (cap >= SEM_FILE_MAX) {
				fprintf(stderr, "netpatrol: %s: too large\n",
				    path);
				goto fail;
			}
			if ((p = realloc(b, cap * 2)) == NULL)
				goto fail;
			b = p;
			cap *= 2;
		}
	}
	if (ferror(f))
		goto fail;
	fclose(f);
	*text = b;
	*len = n;
	return 0;
fail:
	fclose(f);
	free(b);
	return -1;
}

static void
print(struct cli *c, const struct sem_result *r)
{
	char s[16], d[16];

	if (!c->json) {
		for (size_t i = 0; i < r->n; i++) {
			const struct sem_change *x = &r->c[i];

			printf("%s %s: %s", x->kind, x->object, x->detail);
			for (size_t k = 0; k < x->nlines && k < 4; k++)
				printf(" [%s:%u]", x->lines[k].isnew ? "new" :
				    "old", x->lines[k].line);
			printf("\n");
		}
		return;
	}
	json_arr_open(&c->j);
	for (size_t i = 0; i < r->n; i++) {
		const struct sem_change *x = &r->c[i];

		json_obj_open(&c->j);
		json_kstr(&c->j, "kind", x->kind);
		json_kstr(&c->j, "object", x->object);
		json_kstr(&c->j, "detail", x->detail);
		json_key(&c->j, "lines");
		json_arr_open(&c->j);
		for (size_t k = 0; k < x->nlines; k++) {
			json_obj_open(&c->j);
			json_kstr(&c->j, "version", x->lines[k].isnew ? "new" :
			    "old");
			json_kint(&c->j, "line", x->lines[k].line);
			json_kstr(&c->j, "text", x->lines[k].text);
			json_obj_close(&c->j);
		}
		json_arr_close(&c->j);
		if (x->has_example) {
			const char *pn = acl_proto_name(x->example.proto);

			json_key(&c->j, "example");
			json_obj_open(&c->j);
			json_key(&c->j, "protocol");
			if (pn)
				json_str(&c->j, pn);
			else
				json_int(&c->j, x->example.proto);
			acl_addr_text(x->example.src, s, sizeof(s));
			acl_addr_text(x->example.dst, d, sizeof(d));
			json_kstr(&c->j, "src", s);
			json_kstr(&c->j, "dst", d);
			json_kint(&c->j, "sport", x->example.sport);
			json_kint(&c->j, "dport", x->example.dport);
			json_obj_close(&c->j);
		}
		if (x->region)
			json_kstr(&c->j, "region", x->region);
		json_obj_close(&c->j);
	}
	json_arr_close(&c->j);
	printf("%s\n", c->j.s);
}

/* --json and --platform P out of ARGV; the rest stays in order. */
static int
options(struct cli *c, int *argc, char **argv, int *plat)
{
	int n = 0;

	*plat = CFG_PLAT_AUTO;
	for (int i = 0; i < *argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			c->json = 1;
		else if (strcmp(argv[i], "--platform") == 0 && i + 1 < *argc) {
			if ((*plat = cfg_platform_parse(argv[++i])) < 0) {
				fprintf(stderr, "netpatrol: unknown platform "
				    "\"%s\"\n", argv[i]);
				return -1;
			}
		} else
			argv[n++] = argv[i];
	}
	*argc = n;
	return 0;
}

static int
is_file(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/*
 * ARGS (the whole command line) is `config lint FILE` or `config diff
 * --semantic FILE1 FILE2`: commands that read only the files they are
 * given, and work without netpatrold.conf (a laptop, a CI job on a
 * repository of configurations). A name that is no file is a device of
 * the archive, which needs the configuration.
 */
int
cli_semdiff_offline(int nargs, char **args)
{
	int files = 0, lint;

	if (nargs < 3 || strcmp(args[0], "config") != 0)
		return 0;
	lint = strcmp(args[1], "lint") == 0;
	if (!lint && !(strcmp(args[1], "diff") == 0 &&
	    strcmp(args[2], "--semantic") == 0))
		return 0;
	for (int i = 2; i < nargs; i++) {
		if (strcmp(args[i], "--platform") == 0)
			i++;
		else if (args[i][0] != '-' && !is_file(args[i]))
			return 0;
		else if (args[i][0] != '-')
			files++;
	}
	return files == (lint ? 1 : 2);
}

int
cli_config_semantic(struct cli *c, int argc, char **argv)
{
	struct sem_result r;
	char *ta = NULL, *tb = NULL, err[256];
	size_t la = 0, lb = 0;
	int plat, rc = 1;

	if (options(c, &argc, argv, &plat) == -1)
		return 2;
	if (argc == 2 && is_file(argv[0]) && is_file(argv[1])) {
		if (read_file(argv[0], &ta, &la) == -1 ||
		    read_file(argv[1], &tb, &lb) == -1)
			goto out;
	} else if (argc >= 1 && argc <= 3) {
		int p = CFG_PLAT_AUTO;

		if (cli_open_store(c) == -1)
			goto out;
		rc = cli_config_versions_text(c, argv[0], argc - 1, argv + 1,
		    &ta, &la, &tb, &lb, &p);
		if (rc != 0)
			goto out;
		rc = 1;
		if (plat == CFG_PLAT_AUTO)
			plat = p;
	} else
		return 2;
	if (sem_diff(plat, ta, la, tb, lb, &r, err, sizeof(err)) == -1) {
		fprintf(stderr, "netpatrol: semantic diff: %s\n", err);
		goto out;
	}
	print(c, &r);
	sem_result_free(&r);
	rc = 0;
out:
	free(ta);
	free(tb);
	return rc;
}

int
cli_config_lint(struct cli *c, int argc, char **argv)
{
	struct sem_result r;
	char *t = NULL, err[256];
	size_t l = 0;
	int plat;

	if (options(c, &argc, argv, &plat) == -1 || argc != 1)
		return 2;
	if (read_file(argv[0], &t, &l) == -1)
		return 1;
	if (sem_lint(plat, t, l, &r, err, sizeof(err)) == -1) {
		fprintf(stderr, "netpatrol: lint: %s\n", err);
		free(t);
		return 1;
	}
	print(c, &r);
	sem_result_free(&r);
	free(t);
	return 0;
}
