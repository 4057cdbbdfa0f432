/*
 * cli_config.c - "netpatrol config": the configuration archive, read from
 * the store (versions, show, diff, status) or asked of the daemon
 * (fetch, approve). The diff compares the compare views of two stored
 * versions (volatile and metadata lines out) as structure: a block that
 * moved is not a change.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "config/cfgdiff.h"
#include "config/cfgnorm.h"
#include "config/cfgplat.h"

#define CLI_CFG_MAX (1024u * 1024 * 1024) /* the largest text rebuilt */

static double
now(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static char *
tstr(double t, char *buf, size_t len)
{
	if (t <= 0) {
		snprintf(buf, len, "-");
		return buf;
	}
	return event_time_rfc3339(t, buf, len);
}

/* All of DEVICE's versions, oldest first. */
struct vlist {
	struct store_cfgversion *v;
	size_t n, cap;
};

static int
vlist_add(void *arg, const struct store_cfgversion *v)
{
	struct vlist *l = arg;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		void *p = realloc(l->v, cap * sizeof(*l->v));

		if (p == NULL)
			return 1;
		l->v = p;
		l->cap = cap;
	}
	l->v[l->n++] = *v;
	return 0;
}

static int
vlist_load(struct cli *c, const char *device, struct vlist *l)
{
	memset(l, 0, sizeof(*l));
	if (store_get_cfgversions(c->store, device, 0, vlist_add, l) == -1)
		return -1;
	if (l->n == 0) {
		fprintf(stderr, "netpatrol: %s: no configuration version "
		    "archived (is \"config fetch\" set for it?)\n", device);
		free(l->v);
		return -1;
	}
	return 0;
}

static const struct store_cfgversion *
vlist_find(const struct vlist *l, int64_t version)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].version == version)
			return &l->v[i];
	return NULL;
}

static int
parse_version(const char *s, int64_t *v)
{
	char *end;
	long long x;

	errno = 0;
	x = strtoll(s, &end, 10);
	if (errno || *end || x < 1) {
		fprintf(stderr, "netpatrol: \"%s\" is not a version number\n",
		    s);
		return -1;
	}
	*v = x;
	return 0;
}

static void
version_json(struct jbuf *j, const struct store_cfgversion *v, int baseline)
{
	char t[40];

	json_obj_open(j);
	json_kstr(j, "device", v->device);
	json_kint(j, "version", v->version);
	json_kstr(j, "time", tstr(v->time, t, sizeof(t)));
	json_kstr(j, "hash", v->hash);
	json_kstr(j, "who", v->who);
	json_kstr(j, "changed_at", v->changed_at);
	json_kint(j, "added", v->added);
	json_kint(j, "removed", v->removed);
	json_kint(j, "lines", v->lines);
	json_kint(j, "size", v->size);
	json_kint(j, "secrets", v->secrets);
	json_kstr(j, "platform", v->platform);
	json_kstr(j, "trigger", v->trigger);
	json_kbool(j, "baseline", baseline);
	json_obj_close(j);
}

static int
config_versions(struct cli *c, const char *device)
{
	struct store_cfgbaseline b;
	struct vlist l;
	int hasb;
	char t[40];

	if (vlist_load(c, device, &l) == -1)
		return 1;
	hasb = store_get_cfgbaseline(c->store, device, &b) == 0;
	if (c->json)
		json_arr_open(&c->j);
	else
		printf("%8s  %-24s %-12s %-16s %6s %6s  %s\n", "VERSION", "TIME",
		    "HASH", "WHO", "ADDED", "REMOVED", "TRIGGER");
	for (size_t i = 0; i < l.n; i++) {
		const struct store_cfgversion *v = &l.v[i];
		int isb = hasb && b.version == v->version;

		if (c->json) {
			version_json(&c->j, v, isb);
			continue;
		}
		printf("%7lld%c  %-24s %-12.12s %-16s %+6d %6d  %s\n",
		    (long long)v->version, isb ? '*' : ' ',
		    tstr(v->time, t, sizeof(t)), v->hash,
		    v->who[0] ? v->who : "-", v->added, -v->removed, v->trigger);
	}
	if (c->json) {
		json_arr_close(&c->j);
		printf("%s\n", c->j.s);
	} else if (hasb)
		printf("* the approved baseline (by %s, %s)\n",
		    b.approved_by[0] ? b.approved_by : "unknown",
		    tstr(b.approved_at, t, sizeof(t)));
	else
		printf("no baseline approved (netpatrol config approve %s)\n",
		    device);
	free(l.v);
	return 0;
}

static int
version_text(struct cli *c, const struct store_cfgversion *v, char **text,
    size_t *len)
{
	char err[256];

	if (store_cfg_text(c->store, v->hash, CLI_CFG_MAX, text, len, err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "netpatrol: %s version %lld: %s\n", v->device,
		    (long long)v->version, err);
		return -1;
	}
	return 0;
}

static int
config_show(struct cli *c, const char *device, int argc, char **argv)
{
	struct vlist l;
	const struct store_cfgversion *v;
	int64_t want = 0;
	char *text;
	size_t len;

	if (argc > 1 || (argc == 1 && parse_version(argv[0], &want) == -1))
		return 2;
	if (vlist_load(c, device, &l) == -1)
		return 1;
	v = want ? vlist_find(&l, want) : &l.v[l.n - 1];
	if (v == NULL) {
		fprintf(stderr, "netpatrol: %s has no version %lld\n", device,
		    (long long)want);
		free(l.v);
		return 1;
	}
	if (version_text(c, v, &text, &len) == -1) {
		free(l.v);
		return 1;
	}
	if (c->json) {
		json_obj_open(&c->j);
		json_kstr(&c->j, "device", device);
		json_kint(&c->j, "version", v->version);
		json_kstr(&c->j, "hash", v->hash);
		json_key(&c->j, "text");
		json_strn(&c->j, text, len);
		json_obj_close(&c->j);
		printf("%s\n", c->j.s);
	} else
		fwrite(text, 1, len, stdout);
	free(text);
	free(l.v);
	return 0;
}

/*
 * The compare view of a stored text: the stored text is normalised
 * already, its secrets digests; normalising again drops the lines that
 * decide nothing (metadata, ignored). Any key does: both sides of a diff
 * go through the same one.
 */
static int
compare_view(struct cfg_rules *rs, const struct store_cfgversion *v,
    const char *text, size_t len, struct cfg_norm *out)
{
	static const unsigned char key[32];
	char err[256];
	int plat = cfg_platform_parse(v->platform);

	memset(out, 0, sizeof(*out));
	if (cfg_normalize(rs, plat < 0 ? CFG_PLAT_AUTO : plat, key,
	    sizeof(key), text, len, out, err, sizeof(err)) == -1) {
		fprintf(stderr, "netpatrol: %s version %lld: %s\n", v->device,
		    (long long)v->version, err);
		return -1;
	}
	return 0;
}

/* The configuration's own "config rule" lines, as the daemon has them. */
static struct cfg_rules *
cli_rules(struct cli *c)
{
	struct cfg_rules *rs = cfg_rules_new();
	struct cfgrule_conf *r;
	char err[256];

	if (rs == NULL)
		return NULL;
	TAILQ_FOREACH(r, &c->conf->cfg_rules, entry)
		if (cfg_rules_add(rs, r->platform,
		    cfg_rule_action_parse(r->action), r->regex,
		    r->has_repl ? r->repl : NULL, err, sizeof(err)) == -1)
			fprintf(stderr, "netpatrol: %s:%d: %s\n", r->file,
			    r->line, err);
	return rs;
}

static int
config_diff(struct cli *c, const char *device, int argc, char **argv)
{
	struct store_cfgbaseline b;
	struct vlist l;
	const struct store_cfgversion *va, *vb;
	struct cfg_norm na, nb;
	struct cfg_diff_stats st;
	struct cfg_rules *rs = NULL;
	int64_t a = 0, bv = 0;
	char *ta = NULL, *tb = NULL, *out = NULL, la[160], lb[160], t[40];
	char err[256];
	size_t lena, lenb, outlen = 0;
	int rc = 1, plat;

	if (argc > 2 || (argc >= 1 && parse_version(argv[0], &a) == -1) ||
	    (argc == 2 && parse_version(argv[1], &bv) == -1))
		return 2;
	if (vlist_load(c, device, &l) == -1)
		return 1;
	vb = bv ? vlist_find(&l, bv) : &l.v[l.n - 1];
	if (a)
		va = vlist_find(&l, a);
	else if (store_get_cfgbaseline(c->store, device, &b) == 0 &&
	    b.version != vb->version && vlist_find(&l, b.version))
		va = vlist_find(&l, b.version); /* drift: from the baseline */
	else
		va = vb > l.v ? vb - 1 : vb; /* the one before */
	if (va == NULL || vb == NULL) {
		fprintf(stderr, "netpatrol: %s has no version %lld\n", device,
		    (long long)(va == NULL ? a : bv));
		free(l.v);
		return 1;
	}
	memset(&na, 0, sizeof(na));
	memset(&nb, 0, sizeof(nb));
	if ((rs = cli_rules(c)) == NULL || version_text(c, va, &ta, &lena) ==
	    -1 || version_text(c, vb, &tb, &lenb) == -1 ||
	    compare_view(rs, va, ta, lena, &na) == -1 ||
	    compare_view(rs, vb, tb, lenb, &nb) == -1)
		goto done;
	snprintf(la, sizeof(la), "%s version %lld (%s%s%s)", device,
	    (long long)va->version, tstr(va->time, t, sizeof(t)),
	    va->who[0] ? ", by " : "", va->who);
	snprintf(lb, sizeof(lb), "%s version %lld (%s%s%s)", device,
	    (long long)vb->version, tstr(vb->time, t, sizeof(t)),
	    vb->who[0] ? ", by " : "", vb->who);
	plat = cfg_platform_parse(vb->platform);
	memset(&st, 0, sizeof(st));
	if (cfg_diff(plat < 0 ? CFG_PLAT_AUTO : plat, na.compare,
	    na.compare_len, nb.compare, nb.compare_len, la, lb, &out, &outlen,
	    &st, err, sizeof(err)) == -1) {
		fprintf(stderr, "netpatrol: diff: %s\n", err);
		goto done;
	}
	if (c->json) {
		json_obj_open(&c->j);
		json_kstr(&c->j, "device", device);
		json_kint(&c->j, "from", va->version);
		json_kint(&c->j, "to", vb->version);
		json_kint(&c->j, "added", st.added);
		json_kint(&c->j, "removed", st.removed);
		json_key(&c->j, "diff");
		json_strn(&c->j, out ? out : "", outlen);
		json_obj_close(&c->j);
		printf("%s\n", c->j.s);
	} else if (outlen > 0)
		fwrite(out, 1, outlen, stdout);
	rc = 0;
done:
	cfg_norm_free(&na);
	cfg_norm_free(&nb);
	if (rs)
		cfg_rules_free(rs);
	free(out);
	free(ta);
	free(tb);
	free(l.v);
	return rc;
}

/* Ask the daemon CMD; print its error, or return its answer parsed. */
static struct jread *
ask(struct cli *c, const char *cmd, char **ans)
{
	struct jread *r;
	const char *e;

	if ((*ans = cli_ask(c, cmd)) == NULL)
		return NULL;
	if ((r = cli_parse(*ans)) == NULL)
		return NULL;
	if ((e = jread_kstr(r, "error")) != NULL) {
		fprintf(stderr, "netpatrol: %s\n", e);
		jread_free(r);
		return NULL;
	}
	return r;
}

static int
config_approve(struct cli *c, const char *device, int argc, char **argv)
{
	char cmd[CLI_LINE_MAX], *ans = NULL;
	struct jread *r;
	int64_t v = 0;

	if (argc > 1 || (argc == 1 && parse_version(argv[0], &v) == -1))
		return 2;
	if (v)
		snprintf(cmd, sizeof(cmd), "config-approve %s %lld", device,
		    (long long)v);
	else
		snprintf(cmd, sizeof(cmd), "config-approve %s", device);
	if ((r = ask(c, cmd, &ans)) == NULL) {
		free(ans);
		return 1;
	}
	if (c->json)
		fputs(ans, stdout);
	else
		printf("%s: version %lld approved as the baseline by %s\n",
		    device, (long long)jread_knum(r, "version"),
		    jread_kstr(r, "approved_by") ? jread_kstr(r, "approved_by")
		                                 : "?");
	jread_free(r);
	free(ans);
	return 0;
}

struct statewait {
	double since;
	struct store_cfgstate st;
	int found;
};

static int
state_row(void *arg, const struct store_cfgstate *st)
{
	struct statewait *w = arg;

	if (st->last_attempt >= w->since) {
		w->st = *st;
		w->found = 1;
	}
	return 0;
}

/* "config fetch DEVICE": asked, then waited for (--no-wait: not). */
static int
config_fetch(struct cli *c, const char *device, int argc, char **argv)
{
	char cmd[CLI_LINE_MAX], *ans = NULL, t[40];
	struct device_conf *dc = conf_find_device(c->conf, device);
	struct statewait w;
	struct store_cfgversion v;
	struct jread *r;
	double deadline;
	int wait = 1;

	if (argc == 1 && strcmp(argv[0], "--no-wait") == 0)
		wait = 0;
	else if (argc > 0)
		return 2;
	memset(&w, 0, sizeof(w));
	w.since = now() - 1;
	snprintf(cmd, sizeof(cmd), "config-fetch %s", device);
	if ((r = ask(c, cmd, &ans)) == NULL) {
		free(ans);
		return 1;
	}
	jread_free(r);
	free(ans);
	if (!wait) {
		if (c->json)
			printf("{\"device\":\"%s\",\"requested\":true}\n", device);
		else
			printf("%s: fetch requested\n", device);
		return 0;
	}
	deadline = now() + (dc ? dc->cfg.timeout + dc->cfg.coalesce : 120) +
	    30;
	while (now() < deadline) {
		if (c->store == NULL && cli_open_store(c) == -1)
			return 1;
		if (store_get_cfgstates(c->store, device, state_row, &w) == 0 &&
		    w.found)
			break;
		usleep(200000);
	}
	if (!w.found) {
		fprintf(stderr, "netpatrol: %s: the fetch has not ended yet "
		    "(see netpatrol config status %s)\n", device, device);
		return 1;
	}
	memset(&v, 0, sizeof(v));
	(void)store_get_cfglatest(c->store, device, &v);
	if (c->json) {
		json_obj_open(&c->j);
		json_kstr(&c->j, "device", device);
		json_kbool(&c->j, "ok", w.st.last_error[0] == '\0');
		json_kstr(&c->j, "error", w.st.last_error);
		json_kint(&c->j, "version", v.version);
		json_kbool(&c->j, "new_version", v.time >= w.st.last_attempt);
		json_kreal(&c->j, "duration", w.st.last_duration);
		json_obj_close(&c->j);
		printf("%s\n", c->j.s);
	} else if (w.st.last_error[0])
		printf("%s: fetch failed: %s\n", device, w.st.last_error);
	else if (v.time >= w.st.last_attempt)
		printf("%s: version %lld (%+d %+d lines, %s)\n", device,
		    (long long)v.version, v.added, -v.removed,
		    tstr(v.time, t, sizeof(t)));
	else
		printf("%s: no change (version %lld)\n", device,
		    (long long)v.version);
	return w.st.last_error[0] != '\0';
}

static int
state_print(void *arg, const struct store_cfgstate *st)
{
	struct cli *c = arg;
	struct store_cfgversion v;
	struct store_cfgbaseline b;
	int hasv = store_get_cfglatest(c->store, st->device, &v) == 0;
	int hasb = store_get_cfgbaseline(c->store, st->device, &b) == 0;
	int drift = hasv && hasb && strcmp(v.compare_hash, b.hash) != 0;
	char t1[40], t2[40];

	if (c->json) {
		json_obj_open(&c->j);
		json_kstr(&c->j, "device", st->device);
		json_kstr(&c->j, "last_attempt",
		    tstr(st->last_attempt, t1, sizeof(t1)));
		json_kstr(&c->j, "last_ok", tstr(st->last_ok, t2, sizeof(t2)));
		json_kstr(&c->j, "last_error", st->last_error);
		json_kstr(&c->j, "last_trigger", st->last_trigger);
		json_kint(&c->j, "failures", st->failures);
		json_kint(&c->j, "fetches", st->fetches);
		json_kint(&c->j, "failed", st->failed);
		json_key(&c->j, "version");
		if (hasv)
			json_int(&c->j, v.version);
		else
			json_null(&c->j);
		json_key(&c->j, "baseline");
		if (hasb)
			json_int(&c->j, b.version);
		else
			json_null(&c->j);
		json_kbool(&c->j, "drift", drift);
		json_key(&c->j, "unsaved");
		if (st->unsaved < 0)
			json_null(&c->j);
		else
			json_bool(&c->j, st->unsaved);
		json_obj_close(&c->j);
		return 0;
	}
	if (c->first) {
		printf("%-20s %7s %8s %-6s %-7s %-24s %s\n", "DEVICE", "VERSION",
		    "BASELINE", "DRIFT", "UNSAVED", "LAST OK", "LAST ERROR");
		c->first = 0;
	}
	printf("%-20s %7lld %8s %-6s %-7s %-24s %s\n", st->device,
	    hasv ? (long long)v.version : 0LL,
	    hasb ? (snprintf(t1, sizeof(t1), "%lld", (long long)b.version), t1)
	         : "-",
	    drift ? "yes" : hasb ? "no" : "-",
	    st->unsaved < 0 ? "-" : st->unsaved ? "yes" : "no",
	    tstr(st->last_ok, t2, sizeof(t2)),
	    st->last_error[0] ? st->last_error : "");
	return 0;
}

static int
config_status(struct cli *c, int argc, char **argv)
{
	if (argc > 1)
		return 2;
	if (c->json)
		json_arr_open(&c->j);
	if (store_get_cfgstates(c->store, argc ? argv[0] : NULL, state_print,
	    c) == -1)
		return 1;
	if (c->json) {
		json_arr_close(&c->j);
		printf("%s\n", c->j.s);
	}
	return 0;
}

int
cmd_config(struct cli *c, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";
	int rc;

	if (strcmp(sub, "status") == 0) {
		if (cli_open_store(c) == -1)
			return 1;
		rc = config_status(c, argc - 2, argv + 2);
	} else if (argc < 3)
		rc = 2;
	else if (strcmp(sub, "fetch") == 0)
		rc = config_fetch(c, argv[2], argc - 3, argv + 3);
	else if (strcmp(sub, "approve") == 0)
		rc = config_approve(c, argv[2], argc - 3, argv + 3);
	else {
		if (cli_open_store(c) == -1)
			return 1;
		if (strcmp(sub, "versions") == 0 && argc == 3)
			rc = config_versions(c, argv[2]);
		else if (strcmp(sub, "show") == 0)
			rc = config_show(c, argv[2], argc - 3, argv + 3);
		else if (strcmp(sub, "diff") == 0)
			rc = config_diff(c, argv[2], argc - 3, argv + 3);
		else
			rc = 2;
	}
	if (rc == 2)
		usage();
	return rc;
}
