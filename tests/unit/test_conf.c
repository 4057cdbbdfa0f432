/*
 * test_conf.c - the configuration grammar (src/core/parse.y) and what its
 * statements build (src/core/conf_*.c).
 *
 * Each case writes main.conf (and any other files it needs) into a fresh
 * temporary directory, parses it, and checks either the values it set or
 * the exact error lines. In texts and expected errors, "@" stands for the
 * directory, with its trailing "/", and "@@" for an "@".
 */
#include <sys/stat.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "config/cfgplat.h"
#include "tap.h"

#include "test_conf.h"

static char dir[512];

/* Copy S to DST, "@" becoming the test directory. */
static void
expand_at(char *dst, size_t len, const char *s)
{
	size_t n = 0, dl = strlen(dir);

	for (; *s != '\0' && n + dl + 1 < len; s++) {
		if (s[0] == '@' && s[1] == '@') /* "@@": an "@" */
			dst[n++] = *s++;
		else if (*s == '@') {
			memcpy(dst + n, dir, dl);
			n += dl;
		} else
			dst[n++] = *s;
	}
	dst[n] = '\0';
}

static int
write_file(const char *name, const char *text)
{
	static char buf[65536];
	char path[1024], *slash;
	FILE *f;

	(void)snprintf(path, sizeof(path), "%s%s", dir, name);
	if ((slash = strrchr(path, '/')) != NULL) {
		*slash = '\0';
		if (mkdir(path, 0700) == -1 && errno != EEXIST)
			return (-1);
		*slash = '/';
	}
	expand_at(buf, sizeof(buf), text);
	if ((f = fopen(path, "w")) == NULL)
		return (-1);
	fputs(buf, f);
	return (fclose(f));
}

/* Remove NAME, and its subdirectory once empty. */
static void
remove_file(const char *name)
{
	char path[1024], *slash;

	(void)snprintf(path, sizeof(path), "%s%s", dir, name);
	(void)unlink(path);
	if ((slash = strrchr(path, '/')) != NULL &&
	    (size_t)(slash - path) >= strlen(dir)) {
		*slash = '\0';
		(void)rmdir(path);
	}
}

static void
join(char *buf, size_t len, const char *s)
{
	size_t n = strlen(buf);

	(void)snprintf(buf + n, len - n, "%s%s", n ? "," : "", s);
}

static void
cred_str(const struct snmp_cred *c, char *buf, size_t len)
{
	if (c->version == NP_SNMP_V3)
		(void)snprintf(buf, len, "v3:%s:%s:%s:%s:%s:%s", c->user,
		    conf_auth_name(c->auth), c->authpass,
		    conf_priv_name(c->priv), c->privpass, c->context);
	else
		(void)snprintf(buf, len, "%s:%s",
		    c->version == NP_SNMP_V1 ? "v1" : "v2c", c->community);
}

/*
 * "class:warning/critical/low-warning/low-critical/hysteresis", "-" for
 * NAN; "s:NAME:..." for a sensor.
 */
static void
th_str(const struct threshold_conf *t, char *buf, size_t len)
{
	const double v[5] = {
	    t->warn_hi, t->crit_hi, t->warn_lo, t->crit_lo, t->hysteresis};
	size_t n, i;

	if (t->sensor[0] != '\0')
		(void)snprintf(buf, len, "s:%s:", t->sensor);
	else
		(void)snprintf(buf, len, "%s:", t->cls);
	for (i = 0; i < 5; i++) {
		n = strlen(buf);
		if (isnan(v[i]))
			(void)snprintf(buf + n, len - n, "%s-", i ? "/" : "");
		else
			(void)snprintf(
			    buf + n, len - n, "%s%g", i ? "/" : "", v[i]);
	}
}

static void
th_list(const struct threshold_conf *t, int n, char *out, size_t len)
{
	char tmp[512];
	int i;

	for (i = 0; i < n; i++) {
		th_str(&t[i], tmp, sizeof(tmp));
		join(out, len, tmp);
	}
}

/*
 * A notify target in one line: "TYPE DEST | filters | escalation |
 * delivery @LINE".
 */
static void
nt_str(const struct notify_conf *n, char *buf, size_t len)
{
	char dest[2048] = "", list[1024] = "", kinds[512] = "", cred[1024];
	int i;

	switch (n->type) {
	case NOTIFY_TRAP:
	case NOTIFY_INFORM:
		cred_str(&n->snmp, cred, sizeof(cred));
		(void)snprintf(
		    dest, sizeof(dest), "%s:%u %s", n->address, n->port, cred);
		if (n->snmp.engine_id_len > 0) {
			size_t o = strlen(dest);

			o += snprintf(dest + o, sizeof(dest) - o, " engine=");
			for (i = 0; i < (int)n->snmp.engine_id_len; i++)
				o += snprintf(dest + o, sizeof(dest) - o,
				    "%02x", n->snmp.engine_id[i]);
		}
		break;
	case NOTIFY_SYSLOG:
		(void)snprintf(dest, sizeof(dest), "%s %s:%u fac=%d",
		    n->proto == LISTEN_UDP ? "udp" : "tcp", n->address, n->port,
		    n->facility);
		break;
	case NOTIFY_MAIL:
		for (i = 0; i < n->nrcpt; i++)
			join(dest, sizeof(dest), n->rcpt[i]);
		(void)snprintf(dest + strlen(dest), sizeof(dest) - strlen(dest),
		    " from=%s", n->from);
		break;
	case NOTIFY_EXEC:
		for (i = 0; i < n->argc; i++)
			(void)snprintf(dest + strlen(dest),
			    sizeof(dest) - strlen(dest), "%s%s", i ? " " : "",
			    n->argv[i]);
		break;
	}
	for (i = 0; i < n->ndevices; i++)
		join(list, sizeof(list), n->devices[i]);
	for (i = 0; i < n->nkinds; i++)
		join(kinds, sizeof(kinds), n->kinds[i]);
	(void)snprintf(buf, len,
	    "%s %s | sev=%d roles=%x devices=%s kinds=%s | esc=%d>%s "
	    "rep=%d*%d only=%d | t=%d r=%d q=%d @%d",
	    conf_notify_type_name(n->type), dest, n->severity, n->roles, list,
	    kinds, n->escalate_secs, n->escalate_to, n->repeat_secs,
	    n->repeat_count, n->escalation_only, n->timeout, n->retries,
	    n->queue, n->line);
}

static int
dev_field(const struct device_conf *d, const char *f, char *out, size_t len)
{
	char cred[1024], tmp[NP_NAME_MAX + 2];
	const char *base;
	int i;

	cred_str(&d->snmp, cred, sizeof(cred));
	if (strcmp(f, "all") == 0)
		(void)snprintf(out, len,
		    "%s:%u %s %d/%d/%d/%d/%d [%s|%s|%s] 0x%x", d->address,
		    d->port, cred, d->interval, d->timeout, d->retries,
		    d->max_reps, d->bulk, d->location, d->role, d->owner,
		    d->set);
	else if (strcmp(f, "address") == 0)
		(void)snprintf(out, len, "%s", d->address);
	else if (strcmp(f, "port") == 0)
		(void)snprintf(out, len, "%u", d->port);
	else if (strcmp(f, "snmp") == 0)
		(void)snprintf(out, len, "%s", cred);
	else if (strcmp(f, "interval") == 0)
		(void)snprintf(out, len, "%d", d->interval);
	else if (strcmp(f, "timeout") == 0)
		(void)snprintf(out, len, "%d", d->timeout);
	else if (strcmp(f, "retries") == 0)
		(void)snprintf(out, len, "%d", d->retries);
	else if (strcmp(f, "bulk") == 0)
		(void)snprintf(out, len, "%d", d->bulk);
	else if (strcmp(f, "location") == 0)
		(void)snprintf(out, len, "%s", d->location);
	else if (strcmp(f, "owner") == 0)
		(void)snprintf(out, len, "%s", d->owner);
	else if (strcmp(f, "impact") == 0)
		(void)snprintf(out, len, "%d", d->impact);
	else if (strcmp(f, "depends") == 0)
		(void)snprintf(out, len, "%s", d->depends);
	else if (strcmp(f, "set") == 0)
		(void)snprintf(out, len, "0x%x", d->set);
	else if (strcmp(f, "cfg") == 0) {
		/* argv|env|platform interval timeout coalesce */
		out[0] = '\0';
		for (i = 0; i < d->cfg.argc; i++)
			snprintf(out + strlen(out), len - strlen(out), "%s%s",
			    i ? " " : "", d->cfg.argv[i]);
		snprintf(out + strlen(out), len - strlen(out), "|");
		for (i = 0; i < d->cfg.nenv; i++)
			snprintf(out + strlen(out), len - strlen(out), "%s%s|",
			    i ? " " : "", d->cfg.env[i]);
		snprintf(out + strlen(out), len - strlen(out), "%s %d %d %d",
		    cfg_platform_name(d->cfg.platform), d->cfg.interval,
		    d->cfg.timeout, d->cfg.coalesce);
	}
	else if (strcmp(f, "line") == 0)
		(void)snprintf(out, len, "%d", d->line);
	else if (strcmp(f, "procs") == 0) {
		/* "+name" required, "-name" forbidden */
		out[0] = '\0';
		for (i = 0; i < d->nprocs; i++) {
			(void)snprintf(tmp, sizeof(tmp), "%c%s",
			    d->procs[i].forbid ? '-' : '+', d->procs[i].name);
			join(out, len, tmp);
		}
	} else if (strcmp(f, "nprocs") == 0)
		(void)snprintf(out, len, "%d", d->nprocs);
	else if (strcmp(f, "th") == 0) {
		out[0] = '\0';
		th_list(d->thresholds, d->nthresholds, out, len);
	} else if (strcmp(f, "nth") == 0)
		(void)snprintf(out, len, "%d", d->nthresholds);
	else if (strcmp(f, "file") == 0) {
		/* Relative to the test directory. */
		base = strncmp(d->file, dir, strlen(dir)) == 0
		    ? d->file + strlen(dir)
		    : d->file;
		(void)snprintf(out, len, "%s", base);
	} else
		return (-1);
	return (0);
}

/* The value of KEY in C, as a string; -1 for an unknown key. */
static int
getval(struct config *c, const char *key, char *out, size_t len)
{
	struct device_conf *d;
	struct device_list *list;
	struct listen_conf *l;
	struct trap_community *tc;
	struct trap_user *tu;
	char name[NP_NAME_MAX + 8], tmp[1024];
	const char *f;

	out[0] = '\0';
	if (strncmp(key, "dev/", 4) == 0 || strncmp(key, "tpl/", 4) == 0) {
		list = key[0] == 'd' ? &c->devices : &c->templates;
		if ((f = strchr(key + 4, '/')) == NULL)
			return (-1);
		(void)snprintf(
		    name, sizeof(name), "%.*s", (int)(f - key - 4), key + 4);
		TAILQ_FOREACH(d, list, entry)
		if (strcmp(d->name, name) == 0)
			return (dev_field(d, f + 1, out, len));
		(void)snprintf(out, len, "(no %s)", name);
		return (0);
	}
	if (strncmp(key, "nt/", 3) == 0) {
		const struct notify_conf *n = conf_find_notify(c, key + 3);

		if (n == NULL)
			(void)snprintf(out, len, "(no %s)", key + 3);
		else
			nt_str(n, out, len);
		return (0);
	}
	if (strcmp(key, "notifies") == 0) {
		const struct notify_conf *n;

		TAILQ_FOREACH(n, &c->notifies, entry)
		join(out, len, n->name);
		(void)snprintf(tmp, sizeof(tmp), "%s", out);
		(void)snprintf(out, len, "%s/%d", tmp, c->nnotifies);
		return (0);
	}
	if (strcmp(key, "sendmail") == 0) {
		(void)snprintf(out, len, "%s", c->sendmail);
		return (0);
	}
	if (strcmp(key, "devices") == 0 || strcmp(key, "templates") == 0) {
		list = key[0] == 'd' ? &c->devices : &c->templates;
		TAILQ_FOREACH(d, list, entry)
		join(out, len, d->name);
	} else if (strcmp(key, "listens") == 0) {
		TAILQ_FOREACH(l, &c->listens, entry)
		{
			(void)snprintf(tmp, sizeof(tmp), "%s:%s:%s:%u",
			    l->kind == LISTEN_TRAP ? "trap" : "syslog",
			    l->proto == LISTEN_UDP       ? "udp"
			        : l->proto == LISTEN_TCP ? "tcp"
			                                 : "tls",
			    l->address, l->port);
			if (l->cert[0])
				(void)snprintf(tmp + strlen(tmp),
				    sizeof(tmp) - strlen(tmp), "(%s|%s)",
				    l->cert, l->key);
			join(out, len, tmp);
		}
	} else if (strcmp(key, "tls") == 0) {
		/* each TLS listener's clients: ca:peer|peer:fp|fp (hex) */
		TAILQ_FOREACH(l, &c->listens, entry)
		{
			size_t o;

			if (l->proto != LISTEN_TLS)
				continue;
			o = (size_t)snprintf(tmp, sizeof(tmp), "%s:", l->ca);
			for (int i = 0; i < l->npeers && o < sizeof(tmp); i++)
				o += (size_t)snprintf(tmp + o, sizeof(tmp) - o,
				    "%s%s", i ? "|" : "", l->peers[i]);
			if (o < sizeof(tmp))
				o += (size_t)snprintf(
				    tmp + o, sizeof(tmp) - o, ":");
			for (int i = 0; i < l->nfps && o < sizeof(tmp); i++) {
				o += (size_t)snprintf(tmp + o, sizeof(tmp) - o,
				    "%s", i ? "|" : "");
				for (int b = 0;
				     b < NP_TLS_FP_LEN && o < sizeof(tmp); b++)
					o += (size_t)snprintf(tmp + o,
					    sizeof(tmp) - o, "%02x",
					    l->fps[i][b]);
			}
			join(out, len, tmp);
		}
	} else if (strcmp(key, "communities") == 0) {
		TAILQ_FOREACH(tc, &c->trap_communities, entry)
		join(out, len, tc->community);
	} else if (strcmp(key, "trapusers") == 0) {
		TAILQ_FOREACH(tu, &c->trap_users, entry)
		{
			cred_str(&tu->cred, tmp, sizeof(tmp));
			join(out, len, tmp);
		}
	} else if (strcmp(key, "traprules") == 0) {
		const struct trap_rule *r;

		TAILQ_FOREACH(r, &c->trap_rules, entry)
		{
			int o = snprintf(tmp, sizeof(tmp), "%s:%s:%d:%s:%s:%d",
			    r->oid, r->kind, r->severity, r->key, r->text,
			    r->nmatch);

			for (int k = 0;
			     k < r->nmatch && o > 0 && (size_t)o < sizeof(tmp);
			     k++)
				o += snprintf(tmp + o, sizeof(tmp) - (size_t)o,
				    ":%s~%s", r->match[k].oid,
				    r->match[k].regex);
			join(out, len, tmp);
		}
	} else if (strcmp(key, "findings") == 0) {
		int o = snprintf(out, len, "close=%d flap=%d/%d",
		    c->finding_close_after, c->flap_count, c->flap_secs);

		for (int p = 1; p <= 4 && o > 0 && (size_t)o < len; p++)
			o += snprintf(out + o, len - (size_t)o, " P%d=%d/%d", p,
			    c->respond_secs[p], c->resolve_secs[p]);
	} else if (strcmp(key, "maint") == 0) {
		const struct maint_conf *m;

		TAILQ_FOREACH(m, &c->maintenances, entry)
		{
			(void)snprintf(tmp, sizeof(tmp), "%s:%.0f", m->devices,
			    m->until - m->from);
			join(out, len, tmp);
		}
	} else if (strcmp(key, "syslogrules") == 0) {
		const struct syslog_rule *r;

		TAILQ_FOREACH(r, &c->syslog_rules, entry)
		{
			(void)snprintf(tmp, sizeof(tmp),
			    "%s:%d:%d:%s:%s:%s:%d:%s:%s", r->device,
			    r->facility, r->level, r->mnemonic, r->regex,
			    r->kind, r->severity, r->key, r->text);
			join(out, len, tmp);
		}
	} else if (strcmp(key, "syslog") == 0)
		(void)snprintf(out, len,
		    "keep=%d rows=%lld rate=%d/%d login=%d/%d conns=%d/%d "
		    "idle=%d frame=%d",
		    c->syslog_keep_days, (long long)c->syslog_max_rows,
		    c->syslog_rl_burst, c->syslog_rl_secs,
		    c->syslog_login_count, c->syslog_login_secs,
		    c->syslog_max_conns, c->syslog_max_conns_sender,
		    c->syslog_idle_secs, c->syslog_frame_secs);
	else if (strcmp(key, "trapstorm") == 0)
		(void)snprintf(
		    out, len, "%d/%d", c->trap_storm_count, c->trap_storm_secs);
	else if (strcmp(key, "trapmibs") == 0)
		(void)snprintf(out, len, "%s", c->trap_mibs);
	else if (strcmp(key, "http") == 0) {
		if (c->http_address[0] != '\0')
			(void)snprintf(
			    out, len, "%s:%u", c->http_address, c->http_port);
	} else if (strcmp(key, "httptls") == 0)
		(void)snprintf(out, len, "%s|%s", c->http_cert, c->http_key);
	else if (strcmp(key, "httpcreds") == 0) {
		size_t o = 0;

		out[0] = '\0';
		for (int i = 0; i < c->nhttp_creds && o < len; i++)
			o += (size_t)snprintf(out + o, len - o, "%s%s:%d:%s:%s",
			    i ? "," : "", c->http_creds[i].token ? "token" : "user",
			    (int)c->http_creds[i].role, c->http_creds[i].name,
			    c->http_creds[i].secret);
	} else if (strcmp(key, "state_dir") == 0)
		(void)snprintf(out, len, "%s", c->state_dir);
	else if (strcmp(key, "rrdcached") == 0)
		(void)snprintf(out, len, "%s", c->rrdcached);
	else if (strcmp(key, "cluster") == 0)
		(void)snprintf(out, len, "%s/%d/%s", c->cluster.node,
		    c->cluster.lease, c->cluster.database);
	else if (strcmp(key, "control") == 0)
		(void)snprintf(out, len, "%s", c->control);
	else if (strcmp(key, "pidfile") == 0)
		(void)snprintf(out, len, "%s", c->pidfile);
	else if (strcmp(key, "user") == 0)
		(void)snprintf(out, len, "%s", c->user);
	else if (strcmp(key, "max_inflight") == 0)
		(void)snprintf(out, len, "%d", c->max_inflight);
	else if (strcmp(key, "rrd_keep_step") == 0)
		(void)snprintf(out, len, "%d", c->rrd_keep_step);
	else if (strcmp(key, "store_batch_ms") == 0)
		(void)snprintf(out, len, "%d", c->store_batch_ms);
	else if (strcmp(key, "store_queue") == 0)
		(void)snprintf(out, len, "%d", c->store_queue);
	else if (strcmp(key, "event_keep_days") == 0)
		(void)snprintf(out, len, "%d", c->event_keep_days);
	else if (strcmp(key, "syslog_max_size") == 0)
		(void)snprintf(out, len, "%lld", (long long)c->syslog_max_size);
	else if (strcmp(key, "syslog_queue") == 0)
		(void)snprintf(out, len, "%lld", (long long)c->syslog_queue);
	else if (strcmp(key, "ndevices") == 0)
		(void)snprintf(out, len, "%d", c->ndevices);
	else if (strcmp(key, "cfg_keep_days") == 0)
		(void)snprintf(out, len, "%d", c->cfg_keep_days);
	else if (strcmp(key, "cfg_max_versions") == 0)
		(void)snprintf(out, len, "%d", c->cfg_max_versions);
	else if (strcmp(key, "cfg_max_size") == 0)
		(void)snprintf(out, len, "%lld", (long long)c->cfg_max_size);
	else if (strcmp(key, "cfg_max_inflight") == 0)
		(void)snprintf(out, len, "%d", c->cfg_max_inflight);
	else if (strcmp(key, "cfg_rules") == 0) {
		struct cfgrule_conf *r;

		TAILQ_FOREACH(r, &c->cfg_rules, entry) {
			(void)snprintf(tmp, sizeof(tmp), "%s:%s:%s%s%s",
			    cfg_platform_name(r->platform), r->action, r->regex,
			    r->has_repl ? ":" : "", r->has_repl ? r->repl : "");
			join(out, len, tmp);
		}
	}
	else if (strcmp(key, "thresholds") == 0)
		th_list(c->thresholds, c->nthresholds, out, len);
	else
		return (-1);
	return (0);
}

static struct config *
parse_main(char *errbuf, size_t errlen, char *const *defines)
{
	char path[1024];

	(void)snprintf(path, sizeof(path), "%smain.conf", dir);
	return (conf_parse(path, defines, errbuf, errlen));
}

static void
run_case(const struct tcase *tc)
{
	static char errbuf[8192], want[8192];
	struct config *c;
	char key[256], got[4096];
	const char *eq;
	size_t i;
	int ok = 1;

	if (write_file("main.conf", tc->text) == -1) {
		TAP_OK(0, "%s: cannot write main.conf", tc->what);
		return;
	}
	for (i = 0; i < 3 && tc->files[i].name != NULL; i++)
		if (write_file(tc->files[i].name, tc->files[i].text) == -1)
			ok = 0;
	if (!ok) {
		TAP_OK(0, "%s: cannot write files", tc->what);
		return;
	}

	c = parse_main(errbuf, sizeof(errbuf), (char *const *)tc->defines);
	if (tc->err != NULL) {
		expand_at(want, sizeof(want), tc->err);
		TAP_OK(c == NULL, "%s: fails", tc->what);
		TAP_STREQ(errbuf, want, "%s: error text", tc->what);
	} else {
		TAP_OK(c != NULL, "%s: parses", tc->what);
		if (c == NULL)
			printf("# %s", errbuf);
		TAP_STREQ(errbuf, "", "%s: no error text", tc->what);
		for (i = 0; c != NULL && tc->expect[i] != NULL; i++) {
			eq = strchr(tc->expect[i], '=');
			(void)snprintf(key, sizeof(key), "%.*s",
			    (int)(eq - tc->expect[i]), tc->expect[i]);
			if (getval(c, key, got, sizeof(got)) == -1) {
				TAP_OK(0, "%s: unknown key %s", tc->what, key);
				continue;
			}
			TAP_STREQ(got, eq + 1, "%s: %s", tc->what, key);
		}
	}
	conf_free(c);

	remove_file("main.conf");
	for (i = 0; i < 3 && tc->files[i].name != NULL; i++)
		remove_file(tc->files[i].name);
}

/* Checks that do not fit the table. */

static void
test_device_api(void)
{
	struct device_conf a, b;
	struct config *c1, *c2;
	struct device_conf *d1, *d2;
	char errbuf[1024];

	memset(&a, 0, sizeof(a));
	conf_device_defaults(&a);
	TAP_OK(a.port == 161 && a.snmp.version == NP_SNMP_V2C &&
	        strcmp(a.snmp.community, "public") == 0 && a.interval == 60 &&
	        a.timeout == 2 && a.retries == 2 && a.max_reps == 10 &&
	        a.bulk == 1 && a.set == 0,
	    "conf_device_defaults");

	b = a;
	strcpy(a.address, "10.0.0.1");
	strcpy(b.address, "10.0.0.1");
	strcpy(a.location, "here");
	strcpy(a.name, "x");
	a.line = 7;
	TAP_OK(conf_device_equal(&a, &b),
	    "equal: location, name, line do "
	    "not matter");
	struct proc_rule pr[1];
	struct threshold_conf th[1];

	memset(pr, 0, sizeof(pr));
	memset(th, 0, sizeof(th));
	b.procs = pr;
	b.nprocs = 1;
	strcpy(b.procs[0].name, "sshd");
	b.thresholds = th;
	b.nthresholds = 1;
	strcpy(b.thresholds[0].cls, "load");
	b.thresholds[0].warn_hi = 50;
	TAP_OK(conf_device_equal(&a, &b),
	    "equal: process rules and thresholds do not matter");
	b.interval = 30;
	TAP_OK(!conf_device_equal(&a, &b), "equal: interval matters");
	b = a;
	b.bulk = 0;
	TAP_OK(!conf_device_equal(&a, &b), "equal: bulk matters");
	b = a;
	b.port = 1161;
	TAP_OK(!conf_device_equal(&a, &b), "equal: port matters");
	b = a;
	strcpy(b.snmp.community, "other");
	TAP_OK(!conf_device_equal(&a, &b), "equal: community matters");
	a.snmp.version = b.snmp.version = NP_SNMP_V3;
	strcpy(a.snmp.user, "u");
	strcpy(b.snmp.user, "u");
	TAP_OK(conf_device_equal(&a, &b), "equal: v3 ignores the community");
	strcpy(b.snmp.authpass, "changed!");
	TAP_OK(!conf_device_equal(&a, &b), "equal: v3 passphrase matters");

	/* Parse twice, as a reload does: the same devices come out. */
	if (write_file("main.conf", DESIGN_EXAMPLE) == -1)
		TAP_OK(0, "write design example");
	c1 = parse_main(errbuf, sizeof(errbuf), NULL);
	c2 = parse_main(errbuf, sizeof(errbuf), NULL);
	TAP_OK(c1 != NULL && c2 != NULL, "reparse: both parse");
	if (c1 != NULL && c2 != NULL) {
		d1 = conf_find_device(c1, "fw1");
		d2 = conf_find_device(c2, "fw1");
		TAP_OK(d1 != NULL && d2 != NULL && d1 != d2 &&
		        conf_device_equal(d1, d2),
		    "reparse: fw1 equal");
		d2 = conf_find_device(c2, "core1");
		TAP_OK(d2 != NULL && !conf_device_equal(d1, d2),
		    "reparse: fw1 and core1 differ");
		TAP_OK(conf_find_device(c1, "nope") == NULL,
		    "find: unknown device");
		TAP_STREQ(c1->path + strlen(dir), "main.conf", "config path");
	}
	conf_free(c1);
	conf_free(c2);
	conf_free(NULL);
	remove_file("main.conf");
}

static void
test_names(void)
{
	TAP_STREQ(conf_auth_name(NP_AUTH_NONE), "none", "auth name none");
	TAP_STREQ(conf_auth_name(NP_AUTH_MD5), "md5", "auth name md5");
	TAP_STREQ(conf_auth_name(NP_AUTH_SHA), "sha", "auth name sha");
	TAP_STREQ(conf_auth_name(NP_AUTH_SHA224), "sha224", "auth name sha224");
	TAP_STREQ(conf_auth_name(NP_AUTH_SHA256), "sha256", "auth name sha256");
	TAP_STREQ(conf_auth_name(NP_AUTH_SHA384), "sha384", "auth name sha384");
	TAP_STREQ(conf_auth_name(NP_AUTH_SHA512), "sha512", "auth name sha512");
	TAP_STREQ(conf_priv_name(NP_PRIV_NONE), "none", "priv name none");
	TAP_STREQ(conf_priv_name(NP_PRIV_DES), "des", "priv name des");
	TAP_STREQ(conf_priv_name(NP_PRIV_AES), "aes", "priv name aes");
	TAP_STREQ(conf_priv_name(NP_PRIV_AES192), "aes192", "priv name aes192");
	TAP_STREQ(conf_priv_name(NP_PRIV_AES256), "aes256", "priv name aes256");
}

static void
test_odd_input(void)
{
	static char big[8192];
	char errbuf[1024], small[40], want[2048], path[1024];
	struct config *c;
	FILE *f;

	/* The default state directory. */
	if (write_file("main.conf", "") == 0) {
		c = parse_main(errbuf, sizeof(errbuf), NULL);
		TAP_OK(c != NULL && strlen(c->state_dir) > 14 &&
		        strcmp(c->state_dir + strlen(c->state_dir) - 14,
		            "/lib/netpatrol") == 0,
		    "default state-dir");
		conf_free(c);
	}

	/* No file at all. */
	(void)snprintf(path, sizeof(path), "%snope.conf", dir);
	c = conf_parse(path, NULL, errbuf, sizeof(errbuf));
	(void)snprintf(want, sizeof(want),
	    "%s: cannot open: No such file or directory\n", path);
	TAP_OK(c == NULL, "missing file fails");
	TAP_STREQ(errbuf, want, "missing file: error text");

	/* A directory. */
	c = conf_parse(dir, NULL, errbuf, sizeof(errbuf));
	(void)snprintf(want, sizeof(want), "%s: not a regular file\n", dir);
	TAP_STREQ(errbuf, want, "a directory is no config file");

	/* A NUL byte. */
	(void)snprintf(path, sizeof(path), "%smain.conf", dir);
	if ((f = fopen(path, "w")) != NULL) {
		fwrite("user \"a\"\nuser x\0y\n", 1, 18, f);
		fclose(f);
	}
	c = parse_main(errbuf, sizeof(errbuf), NULL);
	(void)snprintf(want, sizeof(want), "%s:2: NUL byte in input\n", path);
	TAP_OK(c == NULL, "NUL byte fails");
	TAP_STREQ(errbuf, want, "NUL byte: error text");

	/* A word and a string longer than the lexer's buffer. */
	memset(big, 'x', sizeof(big) - 1);
	memcpy(big, "user ", 5);
	write_file("main.conf", big);
	c = parse_main(errbuf, sizeof(errbuf), NULL);
	(void)snprintf(want, sizeof(want),
	    "%s:1: word too long (max 4095 "
	    "characters)\n",
	    path);
	TAP_STREQ(errbuf, want, "word too long");
	big[5] = '"';
	write_file("main.conf", big);
	c = parse_main(errbuf, sizeof(errbuf), NULL);
	(void)snprintf(want, sizeof(want),
	    "%s:1: quoted string too long "
	    "(max 4095 characters)\n",
	    path);
	TAP_STREQ(errbuf, want, "quoted string too long");

	/* A syntax error quotes a long token only in part. */
	write_file(
	    "main.conf", "device \"d\" { address 10.0.0.1 \"" LONG64 "\" }\n");
	c = parse_main(errbuf, sizeof(errbuf), NULL);
	(void)snprintf(want, sizeof(want),
	    "%s:1: syntax error near "
	    "\"a1234567890123456789012345678901234567890123...\"\n",
	    path);
	TAP_STREQ(errbuf, want, "long token cut in a syntax error");

	/* A small error buffer keeps whole lines, NUL-terminated. */
	write_file("main.conf", "max-inflight 0\nmax-inflight 0\n");
	memset(small, 'z', sizeof(small));
	c = parse_main(small, sizeof(small), NULL);
	TAP_OK(c == NULL && memchr(small, '\0', sizeof(small)) != NULL,
	    "small error buffer: terminated");
	TAP_OK(
	    strncmp(small, dir,
	        strlen(small) < strlen(dir) ? strlen(small) : strlen(dir)) == 0,
	    "small error buffer: first "
	    "error first");
	c = parse_main(NULL, 0, NULL);
	TAP_OK(c == NULL, "no error buffer: still fails");
	remove_file("main.conf");
}

/* The fixture beside the tests: the configuration in DESIGN.md. */
static void
test_fixture(void)
{
	char path[PATH_MAX], errbuf[1024];
	const char *srcdir = getenv("srcdir");
	struct config *c;

	(void)snprintf(path, sizeof(path),
	    "%s/tests/data/conf/design-example.conf", srcdir ? srcdir : ".");
	c = conf_parse(path, NULL, errbuf, sizeof(errbuf));
	TAP_OK(c != NULL, "%s parses", path);
	if (c == NULL)
		printf("# %s", errbuf);
	TAP_OK(c != NULL && c->ndevices == 2 &&
	        conf_find_device(c, "core1") != NULL &&
	        conf_find_device(c, "core1")->interval == 60 &&
	        conf_find_device(c, "fw1")->snmp.priv == NP_PRIV_AES,
	    "design example: devices");
	conf_free(c);

	(void)snprintf(path, sizeof(path),
	    "%s/tests/data/conf/health-example.conf", srcdir ? srcdir : ".");
	c = conf_parse(path, NULL, errbuf, sizeof(errbuf));
	TAP_OK(c != NULL, "%s parses", path);
	if (c == NULL)
		printf("# %s", errbuf);
	else {
		char got[1024];
		struct device_conf *d = conf_find_device(c, "db1");

		TAP_OK(getval(c, "thresholds", got, sizeof(got)) == 0,
		    "health example: thresholds key");
		TAP_STREQ(got, "temperature:55/70/-/-/-,dbm:-/-/-18/-22.5/0.5",
		    "health example: global thresholds");
		TAP_OK(d != NULL, "health example: db1");
		if (d != NULL) {
			dev_field(d, "procs", got, sizeof(got));
			TAP_STREQ(got, "+sshd,-ntpd,-telnetd",
			    "health example: process rules");
			dev_field(d, "th", got, sizeof(got));
			TAP_STREQ(got,
			    "load:80/-/-/-/-,s:CPU Temp:65.5/80/-/-/3",
			    "health example: thresholds");
		}
	}
	conf_free(c);
}

int
main(void)
{
	const char *tmp = getenv("TMPDIR");
	size_t i;

	(void)snprintf(
	    dir, sizeof(dir), "%s/np-test-conf.XXXXXX", tmp ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return (1);
	}
	strcat(dir, "/");

	for (i = 0; i < conf_ncases; i++)
		run_case(&conf_cases[i]);
	test_device_api();
	test_names();
	test_odd_input();
	test_fixture();

	dir[strlen(dir) - 1] = '\0';
	(void)rmdir(dir);
	return (tap_done());
}
