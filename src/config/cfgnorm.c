/*
 * cfgnorm.c - the normaliser's engine (cfgnorm.h): rules compiled once,
 * applied line by line; secrets replaced by keyed digests.
 *
 * The digest is HMAC-SHA256(key, secret) cut to 48 bits: without the key
 * (32 random bytes in the daemon's state directory, mode 0600) nothing
 * can be learned of the secret, not even by trying candidate passwords
 * against it; with 48 bits, two different secrets of one line look the
 * same once in 2^48 rotations.
 */
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "cfgnorm_int.h"

#define SECRET_TOKEN "<secret:"
#define SECRET_HEX 12

struct rule {
	unsigned platforms;
	int action;
	regex_t re;
	char *repl;
	unsigned mask;
	int who, when;
};

struct cfg_rules {
	struct rule *r;
	size_t n, cap;
	size_t nadded; /* the configuration's, first */
};

static const char *const action_names[] = {
	"drop", "ignore", "meta", "secret", "rewrite"
};

int
cfg_rule_action_parse(const char *name)
{
	for (size_t i = 0; i < sizeof(action_names) / sizeof(action_names[0]);
	    i++)
		if (strcmp(name, action_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *
cfg_rule_action_name(int a)
{
	return a >= 0 && a <= CFG_RULE_REWRITE ? action_names[a] : "?";
}

static int
rule_put(struct cfg_rules *rs, size_t at, unsigned platforms, int action,
    const char *regex, const char *repl, unsigned mask, int who, int when,
    char *err, size_t errlen)
{
	struct rule r;
	int rc;

	memset(&r, 0, sizeof(r));
	if (action < 0 || action > CFG_RULE_REWRITE) {
		snprintf(err, errlen, "unknown rule action");
		return -1;
	}
	if ((action == CFG_RULE_REWRITE) != (repl != NULL)) {
		snprintf(err, errlen, action == CFG_RULE_REWRITE ?
		    "a rewrite rule needs a replacement" :
		    "only a rewrite rule takes a replacement");
		return -1;
	}
	if ((rc = regcomp(&r.re, regex, REG_EXTENDED)) != 0) {
		char msg[128];

		regerror(rc, &r.re, msg, sizeof(msg));
		snprintf(err, errlen, "bad regular expression \"%s\": %s",
		    regex, msg);
		return -1;
	}
	if (repl && (r.repl = strdup(repl)) == NULL) {
		regfree(&r.re);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	r.platforms = platforms;
	r.action = action;
	r.mask = mask;
	r.who = who;
	r.when = when;
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 64;
		struct rule *p = realloc(rs->r, cap * sizeof(*p));

		if (p == NULL) {
			regfree(&r.re);
			free(r.repl);
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		rs->r = p;
		rs->cap = cap;
	}
	memmove(rs->r + at + 1, rs->r + at, (rs->n - at) * sizeof(*rs->r));
	rs->r[at] = r;
	rs->n++;
	return 0;
}

struct cfg_rules *
cfg_rules_new(void)
{
	struct cfg_rules *rs = calloc(1, sizeof(*rs));
	char err[256];

	if (rs == NULL)
		return NULL;
	for (const struct cfg_rule_def *d = cfg_shipped_rules; d->regex; d++)
		if (rule_put(rs, rs->n, d->platforms, d->action, d->regex,
		    d->repl, d->mask, d->who, d->when, err, sizeof(err)) == -1) {
			cfg_rules_free(rs);
			return NULL;
		}
	return rs;
}

int
cfg_rules_add(struct cfg_rules *rs, int platform, int action,
    const char *regex, const char *repl, char *err, size_t errlen)
{
	/* a meta rule of the configuration: \1 who, \2 when */
	if (rule_put(rs, rs->nadded, platform > 0 && platform < CFG_PLAT_N ?
	    PB(platform) : 0, action, regex, repl, 0, 1, 2, err, errlen) == -1)
		return -1;
	rs->nadded++;
	return 0;
}

size_t
cfg_rules_count(const struct cfg_rules *rs, enum cfg_platform p)
{
	size_t n = 0;

	for (size_t i = 0; i < rs->n; i++)
		n += rs->r[i].platforms == 0 || (rs->r[i].platforms & PB(p));
	return n;
}

void
cfg_rules_free(struct cfg_rules *rs)
{
	if (rs == NULL)
		return;
	for (size_t i = 0; i < rs->n; i++) {
		regfree(&rs->r[i].re);
		free(rs->r[i].repl);
	}
	free(rs->r);
	free(rs);
}

/* A growing buffer. */
struct buf {
	char *b;
	size_t len, cap;
	int oom;
};

static void
put(struct buf *o, const char *p, size_t n)
{
	if (o->oom)
		return;
	if (o->len + n + 1 > o->cap) {
		size_t cap = o->cap ? o->cap : 4096;
		char *nb;

		while (cap < o->len + n + 1)
			cap *= 2;
		if ((nb = realloc(o->b, cap)) == NULL) {
			o->oom = 1;
			return;
		}
		o->b = nb;
		o->cap = cap;
	}
	memcpy(o->b + o->len, p, n);
	o->len += n;
	o->b[o->len] = '\0';
}

static void
digest(const unsigned char *key, size_t keylen, const char *s, size_t n,
    char *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	static const char hex[] = "0123456789abcdef";
	size_t o;

	HMAC(EVP_sha256(), key, (int)keylen, (const unsigned char *)s, n, md,
	    &mdlen);
	o = (size_t)snprintf(out, 32, "%s", SECRET_TOKEN);
	for (int i = 0; i < SECRET_HEX / 2; i++) {
		out[o++] = hex[md[i] >> 4];
		out[o++] = hex[md[i] & 15];
	}
	out[o++] = '>';
	out[o] = '\0';
}

/* Is [S, S+N) a digest already (a stored view normalised again)? */
static int
is_token(const char *s, size_t n)
{
	size_t k = strlen(SECRET_TOKEN);

	if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		s++;
		n -= 2;
	}
	return n == k + SECRET_HEX + 1 && memcmp(s, SECRET_TOKEN, k) == 0 &&
	    s[n - 1] == '>';
}

/* Replace, in the line L, the spans of the groups R masks, with digests. */
static int
mask_secrets(const struct rule *r, struct buf *l, const unsigned char *key,
    size_t keylen)
{
	regmatch_t m[10];
	size_t from = 0;
	int done = 0;

	for (int round = 0; round < 8 && from <= l->len; round++) {
		struct buf nl = {NULL, 0, 0, 0};
		size_t at = from;
		int any = 0;

		if (regexec(&r->re, l->b + from, 10, m, from ? REG_NOTBOL : 0) !=
		    0)
			break;
		for (int g = 1; g < 10; g++) {
			size_t so, eo;
			char tok[32];

			if (m[g].rm_so < 0 || (r->mask && !(r->mask & G(g))))
				continue;
			so = from + (size_t)m[g].rm_so;
			eo = from + (size_t)m[g].rm_eo;
			if (so < at || eo <= so || is_token(l->b + so, eo - so))
				continue;
			put(&nl, l->b + at, so - at);
			digest(key, keylen, l->b + so, eo - so, tok);
			put(&nl, tok, strlen(tok));
			at = eo;
			any = 1;
			done++;
		}
		if (!any) {
			free(nl.b);
			break;
		}
		put(&nl, l->b + at, l->len - at);
		if (nl.oom) {
			free(nl.b);
			return -1;
		}
		/* go on after this match, in the new line */
		from = nl.len - (l->len - (from + (size_t)m[0].rm_eo));
		free(l->b);
		*l = nl;
		if (m[0].rm_eo == m[0].rm_so)
			break;
	}
	return done;
}

static int
rewrite(const struct rule *r, struct buf *l)
{
	regmatch_t m[10];
	struct buf nl = {NULL, 0, 0, 0};
	const char *p;

	if (regexec(&r->re, l->b, 10, m, 0) != 0)
		return 0;
	put(&nl, l->b, (size_t)m[0].rm_so);
	for (p = r->repl; *p; p++) {
		if (*p == '\\' && p[1] >= '0' && p[1] <= '9') {
			int g = p[1] - '0';

			if (m[g].rm_so >= 0)
				put(&nl, l->b + m[g].rm_so,
				    (size_t)(m[g].rm_eo - m[g].rm_so));
			p++;
		} else
			put(&nl, p, 1);
	}
	put(&nl, l->b + m[0].rm_eo, l->len - (size_t)m[0].rm_eo);
	if (nl.oom) {
		free(nl.b);
		return -1;
	}
	free(l->b);
	*l = nl;
	return 1;
}

static void
group_copy(const char *s, const regmatch_t *m, int g, char *out, size_t len)
{
	size_t n;

	if (g <= 0 || g > 9 || m[g].rm_so < 0)
		return;
	n = (size_t)(m[g].rm_eo - m[g].rm_so);
	if (n >= len)
		n = len - 1;
	memcpy(out, s + m[g].rm_so, n);
	out[n] = '\0';
}

enum { CL_KEEP, CL_DROP, CL_IGNORE };

int
cfg_normalize(const struct cfg_rules *rs, enum cfg_platform plat,
    const unsigned char *key, size_t keylen, const char *in, size_t len,
    struct cfg_norm *out, char *err, size_t errlen)
{
	struct buf st = {NULL, 0, 0, 0}, cmp = {NULL, 0, 0, 0};
	struct buf l = {NULL, 0, 0, 0};
	const char *p = in, *end = in + len, *nl;
	int last_bang = 0;

	memset(out, 0, sizeof(*out));
	if (len > CFG_NORM_MAX) {
		snprintf(err, errlen, "the configuration is longer than %u "
		    "bytes", CFG_NORM_MAX);
		return -1;
	}
	if (plat <= CFG_PLAT_AUTO || plat >= CFG_PLAT_N)
		plat = cfg_platform_detect(in, len);
	out->platform = plat;
	put(&st, "", 0);
	put(&cmp, "", 0);
	for (; p < end; p = nl + 1) {
		int cls = CL_KEEP;
		char *tail = NULL;
		size_t tail_len = 0;

		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		/* the line, CR and trailing blanks off, NUL bytes as text */
		l.len = 0;
		put(&l, "", 0);
		for (const char *c = p; c < nl; c++) {
			if (*c == '\0')
				put(&l, "\\0", 2);
			else
				put(&l, c, 1);
		}
		while (l.len > 0 && (l.b[l.len - 1] == '\r' ||
		    l.b[l.len - 1] == ' ' || l.b[l.len - 1] == '\t'))
			l.b[--l.len] = '\0';
		if (l.oom)
			goto oom;
		if (nl == end && l.len == 0)
			break;
		/* a long line is matched on its start, its tail kept as is */
		if (l.len > CFG_LINE_MATCH) {
			tail_len = l.len - CFG_LINE_MATCH;
			if ((tail = malloc(tail_len)) == NULL)
				goto oom;
			memcpy(tail, l.b + CFG_LINE_MATCH, tail_len);
			l.len = CFG_LINE_MATCH;
			l.b[l.len] = '\0';
		}
		for (size_t i = 0; i < rs->n; i++) {
			const struct rule *r = &rs->r[i];
			regmatch_t m[10];

			if (r->platforms && !(r->platforms & PB(plat)))
				continue;
			switch (r->action) {
			case CFG_RULE_DROP:
			case CFG_RULE_IGNORE:
			case CFG_RULE_META:
				if (cls != CL_KEEP ||
				    regexec(&r->re, l.b, 10, m, 0) != 0)
					break;
				if (r->action == CFG_RULE_DROP) {
					cls = CL_DROP;
					break;
				}
				cls = CL_IGNORE;
				if (r->action == CFG_RULE_META) {
					group_copy(l.b, m, r->who, out->who,
					    sizeof(out->who));
					group_copy(l.b, m, r->when, out->when,
					    sizeof(out->when));
				}
				break;
			case CFG_RULE_REWRITE:
				if (rewrite(r, &l) == -1) {
					free(tail);
					goto oom;
				}
				break;
			case CFG_RULE_SECRET: {
				int k = mask_secrets(r, &l, key, keylen);

				if (k < 0) {
					free(tail);
					goto oom;
				}
				out->secrets += (unsigned)k;
				break;
			}
			}
			if (cls == CL_DROP)
				break;
		}
		if (tail) {
			put(&l, tail, tail_len);
			free(tail);
		}
		if (cls == CL_DROP) {
			out->dropped++;
			continue;
		}
		put(&st, l.b, l.len);
		put(&st, "\n", 1);
		out->lines++;
		if (cls == CL_IGNORE) {
			out->ignored++;
			continue;
		}
		/* runs of "!" lines: one, in the compare view */
		if (l.len > 0 && strspn(l.b, "!") == l.len) {
			if (last_bang)
				continue;
			last_bang = 1;
		} else
			last_bang = 0;
		put(&cmp, l.b, l.len);
		put(&cmp, "\n", 1);
	}
	free(l.b);
	if (st.oom || cmp.oom)
		goto oom2;
	out->text = st.b;
	out->len = st.len;
	out->compare = cmp.b;
	out->compare_len = cmp.len;
	return 0;
oom:
	free(l.b);
oom2:
	free(st.b);
	free(cmp.b);
	memset(out, 0, sizeof(*out));
	snprintf(err, errlen, "out of memory");
	return -1;
}

void
cfg_norm_free(struct cfg_norm *n)
{
	free(n->text);
	free(n->compare);
	n->text = n->compare = NULL;
	n->len = n->compare_len = 0;
}
