/*
 * archive_version.c - what a fetch gave, made a version: checked (a bad
 * fetch never replaces a good version: a timeout, an exit status, empty
 * output, or less than half the size of the last version are failures),
 * normalised (volatile lines out, secrets as keyed digests; the compare
 * view decides whether it changed), compared with the newest version
 * (lines added and removed, structurally: a moved block is no change),
 * stored as a delta against it, announced (config.changed) and compared
 * with the baseline (config.drift). Repeated failures are a finding
 * (config.fetch_failing) until a fetch works again (config.fetch_ok).
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "archive_int.h"
#include "cfgdelta.h"
#include "config/cfgdiff.h"
#include "config/cfgnorm.h"
#include "config/cfgplat.h"

void
arch_sha256(const void *p, size_t n, char *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	static const char hex[] = "0123456789abcdef";

	EVP_Digest(p, n, md, &mdlen, EVP_sha256(), NULL);
	for (unsigned int i = 0; i < mdlen && i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
}

char *
arch_last_text(struct arch_dev *d, size_t *len)
{
	char err[128], *t;

	if (d->last_z == NULL || cfg_unzip(d->last_z, d->last_zlen,
	    (size_t)d->a->max_size * 2, &t, len, err, sizeof(err)) == -1)
		return NULL;
	return t;
}

static void
arch_failed(struct arch_dev *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
arch_failed(struct arch_dev *d, const char *fmt, ...)
{
	struct archive *a = d->a;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->st.last_error, sizeof(d->st.last_error), fmt, ap);
	va_end(ap);
	a->failed++;
	d->st.failures++;
	d->st.failed++;
	arch_emit(a, d->name, "config.fetch_failed", "config:fetch", SEV_INFO,
	    "configuration fetch failed (%s): %s", d->why, d->st.last_error);
	if (d->st.failures == a->fail_count)
		arch_emit(a, d->name, "config.fetch_failing", "config:fetch",
		    SEV_WARNING, "the configuration could not be fetched %d "
		    "times in a row: %s", d->st.failures, d->st.last_error);
	log_warnx("config archive: %s: %s", d->name, d->st.last_error);
}

/* Is [P, P+N) nothing but white space? */
static int
blank(const char *p, size_t n)
{
	while (n--)
		if (!isspace((unsigned char)*p++))
			return 0;
	return 1;
}

/* Who changed it: what the device says, else what the trigger named. */
static void
arch_who(struct arch_dev *d, const struct cfg_norm *nm,
    struct store_cfgversion *v)
{
	snprintf(v->who, sizeof(v->who), "%s", nm->who[0] ? nm->who : d->who);
	snprintf(v->changed_at, sizeof(v->changed_at), "%s", nm->when);
}

static int
line_cmp(const void *x, const void *y)
{
	const char *a = *(const char *const *)x, *b = *(const char *const *)y;

	return strcmp(a, b);
}

/* The lines of T (modified: NULs at the ends), sorted; NULL out of memory. */
static char **
sorted_lines(char *t, size_t len, size_t *n)
{
	size_t cap = 64;
	char **v = malloc(cap * sizeof(*v)), *p = t, *e = t + len, *nl;

	*n = 0;
	for (; v && p < e; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(e - p))) == NULL)
			nl = e;
		*nl = '\0';
		if (*n == cap) {
			char **w = realloc(v, (cap *= 2) * sizeof(*v));

			if (w == NULL) {
				free(v);
				return NULL;
			}
			v = w;
		}
		v[(*n)++] = p;
	}
	if (v)
		qsort(v, *n, sizeof(*v), line_cmp);
	return v;
}

/*
 * When the structure cannot be compared (a text that does not parse):
 * lines as a multiset. 0, or -1 out of memory.
 */
static int
count_lines(char *a, size_t alen, char *b, size_t blen, int *added,
    int *removed)
{
	size_t na, nb, i = 0, j = 0;
	char **va = sorted_lines(a, alen, &na), **vb = sorted_lines(b, blen,
	    &nb);

	*added = *removed = 0;
	if (va == NULL || vb == NULL) {
		free(va);
		free(vb);
		return -1;
	}
	while (i < na || j < nb) {
		int c = i == na ? 1 : j == nb ? -1 : strcmp(va[i], vb[j]);

		if (c < 0) {
			(*removed)++;
			i++;
		} else if (c > 0) {
			(*added)++;
			j++;
		} else {
			i++;
			j++;
		}
	}
	free(va);
	free(vb);
	return 0;
}

/* Lines added and removed from the newest version's text to TEXT. */
static void
arch_count(struct arch_dev *d, enum cfg_platform plat, const char *text,
    size_t len, struct store_cfgversion *v)
{
	struct cfg_norm old;
	struct cfg_diff_stats ds;
	char err[256], *prev;
	size_t plen;

	memset(&ds, 0, sizeof(ds));
	v->added = v->removed = 0;
	if ((prev = arch_last_text(d, &plen)) == NULL) {
		/* the first version: every line is new */
		for (size_t i = 0; i < len; i++)
			v->added += text[i] == '\n';
		return;
	}
	/* the stored texts are normalised already: their compare views
	 * (unknown, when they cannot be had: a change) */
	v->added = v->removed = 1;
	memset(&old, 0, sizeof(old));
	if (cfg_normalize(d->a->rules, plat, d->a->key, sizeof(d->a->key),
	    prev, plen, &old, err, sizeof(err)) == 0) {
		struct cfg_norm cur;

		memset(&cur, 0, sizeof(cur));
		if (cfg_normalize(d->a->rules, plat, d->a->key,
		    sizeof(d->a->key), text, len, &cur, err, sizeof(err)) ==
		    0) {
			if (cfg_diff(plat, old.compare, old.compare_len,
			    cur.compare, cur.compare_len, "old", "new", NULL,
			    NULL, &ds, err, sizeof(err)) == 0) {
				v->added = (int)ds.added;
				v->removed = (int)ds.removed;
			} else {
				log_warnx("config archive: %s: %s; lines "
				    "counted as a set", d->name, err);
				if (count_lines(old.compare, old.compare_len,
				    cur.compare, cur.compare_len, &v->added,
				    &v->removed) == -1)
					v->added = v->removed = 1;
			}
		}
		cfg_norm_free(&cur);
	}
	cfg_norm_free(&old);
	free(prev);
}

/* Store TEXT as version V of D: a delta against the newest when it can. */
static int
arch_store(struct arch_dev *d, struct store_cfgversion *v, const char *text,
    size_t len)
{
	struct archive *a = d->a;
	char *prev = NULL, *delta = NULL;
	size_t plen = 0, dlen = 0;
	void *z = NULL;
	size_t zlen = 0;
	int rc;

	v->base[0] = '\0';
	v->depth = 0;
	if (d->has_last && d->last_depth >= 0 &&
	    d->last_depth < STORE_CFG_DEPTH &&
	    strcmp(d->last.hash, v->hash) != 0 &&
	    (prev = arch_last_text(d, &plen)) != NULL &&
	    cfg_delta_make(prev, plen, text, len, &delta, &dlen) == 0 &&
	    dlen < len / 2) {
		snprintf(v->base, sizeof(v->base), "%s", d->last.hash);
		v->depth = d->last_depth + 1;
		rc = cfg_zip(delta, dlen, &z, &zlen);
	} else
		rc = cfg_zip(text, len, &z, &zlen);
	free(prev);
	free(delta);
	if (rc == -1)
		return -1;
	v->datalen = zlen;
	v->keep_count = a->max_versions;
	v->keep_before = a->keep_days > 0 ? v->time - a->keep_days * 86400.0
	                                  : 0;
	v->keep_version = d->has_baseline ? d->baseline.version : 0;
	rc = store_put_cfgversion(a->store, v, z);
	free(z);
	if (rc == -1)
		return -1;
	/* the newest, deflated, for the next delta and count */
	free(d->last_z);
	d->last_z = NULL;
	if (cfg_zip(text, len, &d->last_z, &d->last_zlen) == -1)
		d->last_z = NULL;
	d->last = *v;
	d->last_depth = v->depth;
	d->has_last = 1;
	return 0;
}

void
arch_fetched(struct arch_dev *d, struct proc_result *r)
{
	struct archive *a = d->a;
	struct store_cfgversion v;
	struct cfg_norm nm;
	char err[256], compare[STORE_CFG_HASH];
	enum cfg_platform plat;
	double t0 = arch_now();

	arch_load(a, d);
	d->st.last_duration = r->secs;
	if (r->too_big) {
		arch_failed(d, "it printed more than config max-size (%lld "
		    "bytes): killed", (long long)a->max_size);
		goto done;
	}
	if (r->timed_out) {
		arch_failed(d, "timed out after %d s%s%s", d->cfg.timeout,
		    r->err[0] ? ": " : "", r->err);
		goto done;
	}
	if (!r->ok) {
		if (r->exit_status >= 0)
			arch_failed(d, "%s: exit status %d%s%s", d->cfg.argv[0],
			    r->exit_status, r->err[0] ? ": " : "", r->err);
		else if (r->signal)
			arch_failed(d, "%s: killed by signal %d", d->cfg.argv[0],
			    r->signal);
		else
			arch_failed(d, "%s", r->err);
		goto done;
	}
	if (r->outlen == 0 || blank(r->out, r->outlen)) {
		arch_failed(d, "%s printed nothing", d->cfg.argv[0]);
		goto done;
	}
	plat = (enum cfg_platform)d->cfg.platform;
	memset(&nm, 0, sizeof(nm));
	if (cfg_normalize(a->rules, plat, a->key, sizeof(a->key), r->out,
	    r->outlen, &nm, err, sizeof(err)) == -1) {
		arch_failed(d, "cannot normalise the output: %s", err);
		goto done;
	}
	if (d->has_last && d->last.size > 0 &&
	    (int64_t)nm.len * 2 < d->last.size) {
		arch_failed(d, "the output is %zu bytes, less than half of "
		    "version %lld (%lld bytes): a cut fetch is not kept", nm.len,
		    (long long)d->last.version, (long long)d->last.size);
		cfg_norm_free(&nm);
		goto done;
	}
	/* a good fetch */
	if (d->st.failures >= a->fail_count)
		arch_emit(a, d->name, "config.fetch_ok", "config:fetch",
		    SEV_INFO, "the configuration is fetched again, after %d "
		    "failures", d->st.failures);
	d->st.failures = 0;
	d->st.last_error[0] = '\0';
	d->st.last_ok = arch_now();
	d->st.fetches++;
	arch_sha256(nm.compare, nm.compare_len, compare);
	if (d->has_last && strcmp(compare, d->last.compare_hash) == 0) {
		arch_comply(d, r->out, r->outlen, nm.platform);
		a->unchanged++;
		log_debug("config archive: %s: no change (%s)", d->name,
		    d->why);
		cfg_norm_free(&nm);
		goto done;
	}
	memset(&v, 0, sizeof(v));
	snprintf(v.device, sizeof(v.device), "%s", d->name);
	v.version = d->has_last ? d->last.version + 1 : 1;
	v.time = d->st.last_ok;
	arch_sha256(nm.text, nm.len, v.hash);
	memcpy(v.compare_hash, compare, sizeof(v.compare_hash));
	arch_who(d, &nm, &v);
	snprintf(v.trigger, sizeof(v.trigger), "%s", d->why);
	snprintf(v.platform, sizeof(v.platform), "%s",
	    cfg_platform_name(nm.platform));
	v.lines = (int)nm.lines;
	v.secrets = (int)nm.secrets;
	v.size = (int64_t)nm.len;
	arch_count(d, nm.platform, nm.text, nm.len, &v);
	if (d->has_last && v.added == 0 && v.removed == 0) {
		/* the same statements in another order: a block moved */
		arch_comply(d, r->out, r->outlen, nm.platform);
		a->unchanged++;
		log_debug("config archive: %s: blocks moved, no change",
		    d->name);
		cfg_norm_free(&nm);
		goto done;
	}
	if (arch_store(d, &v, nm.text, nm.len) == -1) {
		a->store_dropped++;
		arch_failed(d, "version not stored: store queue full");
		cfg_norm_free(&nm);
		goto done;
	}
	a->versions++;
	arch_emit(a, d->name, "config.changed", "config:version", SEV_INFO,
	    "configuration version %lld: +%d -%d lines%s%s (%s)",
	    (long long)v.version, v.added, v.removed, v.who[0] ? " by " : "",
	    v.who, v.trigger);
	log_info("config archive: %s version %lld: +%d -%d lines%s%s (%s); "
	    "fetched in %.1f ms, made a version in %.1f ms", d->name,
	    (long long)v.version, v.added, v.removed, v.who[0] ? " by " : "",
	    v.who, v.trigger, r->secs * 1e3, (arch_now() - t0) * 1e3);
	arch_comply(d, r->out, r->outlen, nm.platform);
	cfg_norm_free(&nm);
	arch_check_drift(a, d, NULL);
done:
	arch_save_state(a, d);
}
