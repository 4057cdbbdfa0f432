/*
 * archive.c - the configuration archive's devices on the event loop: the
 * schedule and the triggers (coalesced: one fetch per device per
 * "config coalesce"), a queue so that at most "config max-inflight"
 * fetches run at once, the approved baselines and drift, the digest key,
 * and the status. What a fetch gives is made a version in
 * archive_version.c.
 */
#include "config.h"

#include <sys/random.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archive_int.h"
#include "cfgdelta.h"
#include "config/cfgnorm.h"
#include "config/cfgplat.h"
#include "config/cfgpolicy.h"

double
arch_now(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

void
arch_emit(struct archive *a, const char *device, const char *kind,
    const char *key, int severity, const char *fmt, ...)
{
	struct np_event ev;
	char text[sizeof(ev.text)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	event_init(&ev, device, "config", kind, key, (enum np_severity)severity,
	    "%s", text);
	if (evbus_emit(a->bus, &ev) == -1) {
		a->store_dropped++;
		complain(&a->c_store, LOG_L_WARN, "config archive: event %s "
		    "of %s not stored, store queue full", kind, device);
	}
}

int
archive_key_load(const char *state_dir, unsigned char key[ARCHIVE_KEY_LEN],
    char *err, size_t errlen)
{
	char path[PATH_MAX + 32];
	struct stat sb;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", state_dir, ARCHIVE_KEY_FILE);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1) {
		if (errno != ENOENT) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			return -1;
		}
		/* the first start: a new key, readable by us alone */
		if (getrandom(key, ARCHIVE_KEY_LEN, 0) != ARCHIVE_KEY_LEN) {
			snprintf(err, errlen, "getrandom: %s", strerror(errno));
			return -1;
		}
		if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		    0600)) == -1 ||
		    write(fd, key, ARCHIVE_KEY_LEN) != ARCHIVE_KEY_LEN ||
		    fsync(fd) == -1) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			if (fd != -1)
				close(fd);
			return -1;
		}
		close(fd);
		log_info("config archive: new digest key in %s", path);
		return 0;
	}
	if (fstat(fd, &sb) == -1 || (n = read(fd, key, ARCHIVE_KEY_LEN)) !=
	    ARCHIVE_KEY_LEN) {
		snprintf(err, errlen, "%s: not a %d-byte key", path,
		    ARCHIVE_KEY_LEN);
		close(fd);
		return -1;
	}
	if (sb.st_mode & 077) {
		log_warnx("config archive: %s was readable by others: mode "
		    "0600 now", path);
		(void)fchmod(fd, 0600);
	}
	close(fd);
	return 0;
}

/* The newest version and the baseline of D, from the store, once. */
void
arch_load(struct archive *a, struct arch_dev *d)
{
	char err[256], *text;
	size_t len;
	int rc;

	if (d->loaded || a->ro == NULL)
		return;
	d->loaded = 1;
	if ((rc = store_get_cfglatest(a->ro, d->name, &d->last)) == 0) {
		d->has_last = 1;
		d->last_depth = store_cfg_depth(a->ro, d->last.hash);
		if (store_cfg_text(a->ro, d->last.hash, (size_t)a->max_size * 2,
		    &text, &len, err, sizeof(err)) == 0) {
			if (cfg_zip(text, len, &d->last_z, &d->last_zlen) == -1)
				d->last_z = NULL;
			free(text);
		} else
			log_warnx("config archive: %s version %lld: %s",
			    d->name, (long long)d->last.version, err);
	}
	if (store_get_cfgbaseline(a->ro, d->name, &d->baseline) == 0) {
		d->has_baseline = 1;
		snprintf(d->baseline_hash, sizeof(d->baseline_hash), "%s",
		    d->baseline.hash);
	}
}

void
arch_save_state(struct archive *a, struct arch_dev *d)
{
	snprintf(d->st.device, sizeof(d->st.device), "%s", d->name);
	if (store_put_cfgstate(a->store, &d->st) == -1) {
		a->store_dropped++;
		complain(&a->c_store, LOG_L_WARN, "config archive: state of "
		    "%s not stored, store queue full", d->name);
	}
}

/* Drift: the newest version differs from the approved baseline. */
void
arch_check_drift(struct archive *a, struct arch_dev *d, const char *why)
{
	if (!d->has_baseline || !d->has_last)
		return;
	if (strcmp(d->last.compare_hash, d->baseline_hash) != 0) {
		if (!d->drift)
			arch_emit(a, d->name, "config.drift", "config:drift",
			    SEV_WARNING, "configuration version %lld differs "
			    "from the approved baseline (version %lld, approved "
			    "by %s)%s%s", (long long)d->last.version,
			    (long long)d->baseline.version,
			    d->baseline.approved_by[0] ? d->baseline.approved_by
			                               : "unknown",
			    why ? ": " : "", why ? why : "");
		d->drift = 1;
	} else if (d->drift) {
		arch_emit(a, d->name, "config.in_baseline", "config:drift",
		    SEV_INFO, "configuration version %lld is the approved "
		    "baseline%s%s", (long long)d->last.version,
		    why ? ": " : "", why ? why : "");
		d->drift = 0;
	}
}

static void arch_start(struct archive *, struct arch_dev *);

static void
arch_arm(struct arch_dev *d, double when)
{
	double now = arch_now(), secs = when - now;
	struct timeval tv;

	if (secs < 0)
		secs = 0;
	tv.tv_sec = (time_t)secs;
	tv.tv_usec = (suseconds_t)((secs - (double)tv.tv_sec) * 1e6);
	d->due = when;
	evtimer_add(d->ev_due, &tv);
}

/* The next scheduled fetch, unless a sooner one is armed. */
static void
arch_schedule(struct arch_dev *d)
{
	double next;

	if (d->cfg.interval <= 0 || d->proc != NULL || d->queued)
		return;
	next = (d->st.last_attempt > 0 ? d->st.last_attempt : arch_now()) +
	    d->cfg.interval;
	if (d->due == 0 || next < d->due)
		arch_arm(d, next);
}

static void
arch_on_due(evutil_socket_t fd, short what, void *arg)
{
	struct arch_dev *d = arg;

	(void)fd;
	(void)what;
	d->due = 0;
	if (d->why[0] == '\0')
		snprintf(d->why, sizeof(d->why), "schedule");
	arch_start(d->a, d);
}

/* Fetch D for WHY: now, or when the coalescing window allows. */
static void
arch_request(struct archive *a, struct arch_dev *d, const char *why,
    const char *who)
{
	double now = arch_now(), at;

	if (d->proc != NULL || d->queued) {
		/* under way: once more after it, with this reason */
		d->again = 1;
		snprintf(d->again_why, sizeof(d->again_why), "%s", why);
		snprintf(d->again_who, sizeof(d->again_who), "%s", who);
		a->coalesced++;
		return;
	}
	at = d->last_start + d->cfg.coalesce;
	if (d->due != 0 && d->due <= (at > now ? at : now) && d->why[0]) {
		a->coalesced++; /* one is armed already, sooner */
		return;
	}
	snprintf(d->why, sizeof(d->why), "%s", why);
	snprintf(d->who, sizeof(d->who), "%s", who);
	if (at > now) {
		a->coalesced++;
		evtimer_del(d->ev_due);
		arch_arm(d, at);
		return;
	}
	evtimer_del(d->ev_due);
	d->due = 0;
	arch_start(a, d);
}

/* ARGV with %n, %a, %p, %% filled in, into OUT. */
static void
arch_subst(const struct arch_dev *d, const char *in, char *out, size_t len)
{
	size_t o = 0;

	for (; *in && o + 1 < len; in++) {
		const char *v = NULL;

		if (*in == '%' && in[1]) {
			switch (in[1]) {
			case 'n': v = d->name; break;
			case 'a': v = d->address; break;
			case 'p': v = cfg_platform_name(d->cfg.platform); break;
			case '%': v = "%"; break;
			}
		}
		if (v == NULL) {
			out[o++] = *in;
			continue;
		}
		in++;
		o += (size_t)snprintf(out + o, len - o, "%s", v);
		if (o >= len)
			o = len - 1;
	}
	out[o] = '\0';
}

static void
arch_done(void *arg, struct proc_result *r)
{
	struct arch_dev *d = arg;
	struct archive *a = d->a;
	struct arch_dev *q;

	d->proc = NULL;
	a->inflight--;
	arch_fetched(d, r);
	d->why[0] = d->who[0] = '\0';
	if (d->again) {
		d->again = 0;
		arch_request(a, d, d->again_why, d->again_who);
	}
	arch_schedule(d);
	while (a->inflight < a->max_inflight &&
	    (q = TAILQ_FIRST(&a->queue)) != NULL) {
		TAILQ_REMOVE(&a->queue, q, qentry);
		q->queued = 0;
		arch_start(a, q);
	}
}

static void
arch_start(struct archive *a, struct arch_dev *d)
{
	char args[NP_FETCH_ARGS][NP_STR_MAX * 2], *argv[NP_FETCH_ARGS + 1];
	char envs[NP_FETCH_ENV + 4][NP_STR_MAX * 2], *envp[NP_FETCH_ENV + 5];
	char err[256];
	int i, n = 0;

	if (!d->present || d->proc != NULL || d->queued)
		return;
	if (a->inflight >= a->max_inflight) {
		d->queued = 1;
		TAILQ_INSERT_TAIL(&a->queue, d, qentry);
		return;
	}
	for (i = 0; i < d->cfg.argc; i++) {
		arch_subst(d, d->cfg.argv[i], args[i], sizeof(args[i]));
		argv[i] = args[i];
	}
	argv[i] = NULL;
	snprintf(envs[n++], sizeof(envs[0]), "PATH=/usr/local/bin:/usr/bin:"
	    "/bin:/usr/local/sbin:/usr/sbin:/sbin");
	snprintf(envs[n++], sizeof(envs[0]), "NP_DEVICE=%s", d->name);
	snprintf(envs[n++], sizeof(envs[0]), "NP_ADDRESS=%s", d->address);
	snprintf(envs[n++], sizeof(envs[0]), "NP_PLATFORM=%s",
	    cfg_platform_name(d->cfg.platform));
	for (i = 0; i < d->cfg.nenv; i++)
		snprintf(envs[n++], sizeof(envs[0]), "%s", d->cfg.env[i]);
	for (i = 0; i < n; i++)
		envp[i] = envs[i];
	envp[n] = NULL;
	d->last_start = arch_now();
	d->st.last_attempt = d->last_start;
	snprintf(d->st.last_trigger, sizeof(d->st.last_trigger), "%s",
	    d->why[0] ? d->why : "schedule");
	a->fetches++;
	d->proc = proc_start(a->base, argv, envp, d->cfg.timeout,
	    (size_t)a->max_size, arch_done, d, err, sizeof(err));
	explicit_bzero(envs, sizeof(envs));
	if (d->proc == NULL) {
		struct proc_result r;

		memset(&r, 0, sizeof(r));
		r.exit_status = -1;
		snprintf(r.err, sizeof(r.err), "cannot start: %s", err);
		a->inflight++;
		arch_done(d, &r);
		return;
	}
	a->inflight++;
	log_debug("config archive: fetching %s (%s)", d->name, d->why);
}

static struct arch_dev *
arch_dev_get(struct archive *a, const char *name)
{
	return hmap_get(&a->devs, name);
}

static void
arch_dev_free(struct arch_dev *d)
{
	if (d->proc)
		proc_cancel(d->proc);
	if (d->queued)
		TAILQ_REMOVE(&d->a->queue, d, qentry);
	if (d->ev_due)
		event_free(d->ev_due);
	free(d->last_z);
	for (size_t k = 0; k < d->checks.cap; k++)
		if (d->checks.slots[k].hash)
			free((char *)(uintptr_t)d->checks.slots[k].skey);
	hmap_free(&d->checks);
	explicit_bzero(&d->cfg, sizeof(d->cfg));
	free(d);
}

/*
 * Triggers: the announcements of a change (syslog, traps, polls) that
 * the other sources put on the bus, for devices of the archive.
 */
static void
arch_on_event(void *arg, const struct np_event *ev)
{
	struct archive *a = arg;
	struct arch_dev *d;
	char why[NP_STR_MAX];

	if (strcmp(ev->source, "config") == 0)
		return; /* ours */
	if ((d = arch_dev_get(a, ev->device)) == NULL || !d->present)
		return;
	if (strcmp(ev->kind, "config.unsaved") == 0 ||
	    strcmp(ev->kind, "config.saved") == 0) {
		d->st.unsaved = strcmp(ev->kind, "config.unsaved") == 0;
		arch_save_state(a, d);
		return;
	}
	if (strcmp(ev->kind, "config.changed") != 0)
		return;
	a->triggers++;
	snprintf(why, sizeof(why), "%s: %.200s", ev->source, ev->text);
	arch_request(a, d, why, ev->user);
}

struct archive *
archive_new(struct event_base *base, struct store *store,
    const char *store_path, struct evbus *bus,
    const unsigned char key[ARCHIVE_KEY_LEN])
{
	struct archive *a;
	char err[256];

	if ((a = calloc(1, sizeof(*a))) == NULL)
		return NULL;
	a->base = base;
	a->store = store;
	a->bus = bus;
	snprintf(a->store_path, sizeof(a->store_path), "%s", store_path);
	memcpy(a->key, key, ARCHIVE_KEY_LEN);
	hmap_init(&a->devs);
	TAILQ_INIT(&a->queue);
	if ((a->ro = store_open(store_path, 1, err, sizeof(err))) == NULL)
		log_warnx("config archive: %s", err);
	if (evbus_subscribe(bus, arch_on_event, a) == -1) {
		archive_free(a);
		return NULL;
	}
	return a;
}

/* The rules of C compiled: the shipped ones and the configuration's. */
static struct cfg_rules *
arch_rules(const struct config *c, char *err, size_t errlen)
{
	struct cfg_rules *rs;
	struct cfgrule_conf *r;

	if ((rs = cfg_rules_new()) == NULL) {
		snprintf(err, errlen, "config archive: cannot compile the "
		    "shipped normalisation rules");
		return NULL;
	}
	TAILQ_FOREACH(r, &c->cfg_rules, entry) {
		char e[256];

		if (cfg_rules_add(rs, r->platform, cfg_rule_action_parse(
		    r->action), r->regex, r->has_repl ? r->repl : NULL, e,
		    sizeof(e)) == -1) {
			snprintf(err, errlen, "%s:%d: config rule: %s", r->file,
			    r->line, e);
			cfg_rules_free(rs);
			return NULL;
		}
	}
	return rs;
}

int
archive_check(const struct config *c, char *err, size_t errlen)
{
	struct cfg_rules *rs = arch_rules(c, err, errlen);

	if (rs == NULL)
		return -1;
	cfg_rules_free(rs);
	return 0;
}

static int
arch_load_state(void *arg, const struct store_cfgstate *st)
{
	struct arch_dev *d = arch_dev_get(arg, st->device);

	if (d != NULL && d->st.last_attempt == 0)
		d->st = *st;
	return 0;
}

int
archive_configure(struct archive *a, const struct config *c, char *err,
    size_t errlen)
{
	struct device_conf *dc;
	struct arch_dev *d;
	struct cfg_rules *rs;
	struct hmap_slot *sl;
	double now = arch_now();
	size_t i;

	if ((rs = arch_rules(c, err, errlen)) == NULL ||
	    arch_policies(a, c, err, errlen) == -1) {
		if (rs)
			cfg_rules_free(rs);
		return -1;
	}
	if (a->rules)
		cfg_rules_free(a->rules);
	a->rules = rs;
	a->max_versions = c->cfg_max_versions;
	a->keep_days = c->cfg_keep_days;
	a->max_inflight = c->cfg_max_inflight;
	a->max_size = c->cfg_max_size;
	a->fail_count = c->cfg_fail_count;
	for (i = 0; i < a->devs.cap; i++)
		if (a->devs.slots[i].hash && a->devs.slots[i].value)
			((struct arch_dev *)a->devs.slots[i].value)->present = 0;
	TAILQ_FOREACH(dc, &c->devices, entry) {
		int fresh = 0;

		if (dc->cfg.argc == 0)
			continue;
		if ((d = arch_dev_get(a, dc->name)) == NULL) {
			if ((d = calloc(1, sizeof(*d))) == NULL ||
			    (d->ev_due = evtimer_new(a->base, arch_on_due, d)) ==
			    NULL) {
				free(d);
				snprintf(err, errlen, "out of memory");
				return -1;
			}
			d->a = a;
			d->st.unsaved = -1;
			hmap_init(&d->checks);
			snprintf(d->name, sizeof(d->name), "%s", dc->name);
			if (hmap_put(&a->devs, d->name, d) == -1) {
				arch_dev_free(d);
				snprintf(err, errlen, "out of memory");
				return -1;
			}
			fresh = 1;
		}
		d->present = 1;
		d->cfg = dc->cfg;
		memcpy(d->policies, dc->policies, sizeof(d->policies));
		d->npolicies = dc->npolicies;
		snprintf(d->address, sizeof(d->address), "%s", dc->address);
		if (fresh) {
			if (a->ro)
				store_get_cfgstates(a->ro, d->name,
				    arch_load_state, a);
			arch_load(a, d);
			arch_check_drift(a, d, NULL);
			/* never fetched, or overdue: soon, spread over a
			 * minute so that a restart is not a storm */
			if (d->cfg.interval > 0 && (d->st.last_attempt == 0 ||
			    d->st.last_attempt + d->cfg.interval <= now)) {
				snprintf(d->why, sizeof(d->why), "schedule");
				double spread = d->cfg.interval / 10.0;

				if (spread > 60)
					spread = 60;
				arch_arm(d, now + (a->devs.n > 1 ? spread *
				    (double)(random() % 1000) / 1000.0 : 0));
			}
		}
		evtimer_del(d->ev_due);
		if (d->due != 0)
			arch_arm(d, d->due);
		else
			arch_schedule(d);
	}
	/* devices gone from the configuration (or their fetch) */
	for (i = 0; i < a->devs.cap; i++) {
		sl = &a->devs.slots[i];
		if (sl->hash == 0 || sl->value == NULL)
			continue;
		d = sl->value;
		if (!d->present) {
			hmap_del(&a->devs, d->name);
			if (d->proc)
				a->inflight--;
			arch_dev_free(d);
			i = (size_t)-1; /* the map moved: start over */
		}
	}
	return 0;
}

int
archive_fetch(struct archive *a, const char *device, const char *why,
    const char *who, int64_t *ended, char *err, size_t errlen)
{
	struct arch_dev *d = arch_dev_get(a, device);

	if (d == NULL || !d->present) {
		snprintf(err, errlen, "device \"%s\" has no config fetch",
		    device);
		return -1;
	}
	*ended = d->st.fetches + d->st.failed;
	/* on demand: no coalescing window, but one at a time */
	if (d->proc == NULL && !d->queued)
		d->last_start = 0;
	arch_request(a, d, why, who);
	return 0;
}

int64_t
archive_fetches(struct archive *a, const char *device, int64_t *good)
{
	struct arch_dev *d = arch_dev_get(a, device);

	if (d == NULL || !d->present)
		return -1;
	*good = d->st.fetches;
	return d->st.fetches + d->st.failed;
}

struct approve_find {
	int64_t want;
	struct store_cfgversion v;
	int found;
};

static int
arch_find_version(void *arg, const struct store_cfgversion *v)
{
	struct approve_find *f = arg;

	f->v = *v;
	f->found = 1;
	return 0;
}

int
archive_approve(struct archive *a, const char *device, int64_t version,
    const char *who, int64_t *done, char *err, size_t errlen)
{
	struct arch_dev *d = arch_dev_get(a, device);
	struct approve_find f;

	memset(&f, 0, sizeof(f));
	f.want = version;

	if (d == NULL) {
		snprintf(err, errlen, "device \"%s\" has no config fetch",
		    device);
		return -1;
	}
	arch_load(a, d);
	if (!d->has_last) {
		snprintf(err, errlen, "%s has no configuration version yet",
		    device);
		return -1;
	}
	if (version == 0 || version == d->last.version) {
		f.v = d->last;
		f.found = 1;
	} else if (a->ro != NULL)
		store_get_cfgversions(a->ro, device, version, arch_find_version,
		    &f);
	if (!f.found) {
		snprintf(err, errlen, "%s has no version %lld (see netpatrol "
		    "config versions %s)", device, (long long)version, device);
		return -1;
	}
	memset(&d->baseline, 0, sizeof(d->baseline));
	snprintf(d->baseline.device, sizeof(d->baseline.device), "%s", device);
	d->baseline.version = f.v.version;
	snprintf(d->baseline.approved_by, sizeof(d->baseline.approved_by),
	    "%s", who);
	d->baseline.approved_at = arch_now();
	snprintf(d->baseline_hash, sizeof(d->baseline_hash), "%s",
	    f.v.compare_hash);
	d->has_baseline = 1;
	if (store_put_cfgbaseline(a->store, &d->baseline) == -1) {
		snprintf(err, errlen, "store queue full: try again");
		return -1;
	}
	arch_emit(a, device, "config.approved", "config:baseline", SEV_INFO,
	    "configuration version %lld approved as the baseline by %s",
	    (long long)f.v.version, who);
	{
		char why[128];

		snprintf(why, sizeof(why), "version %lld approved by %s",
		    (long long)f.v.version, who);
		arch_check_drift(a, d, why);
	}
	*done = f.v.version;
	return 0;
}

void
archive_status(struct archive *a, struct jbuf *j)
{
	size_t i, ndev = 0, ndrift = 0, nfail = 0, nqueued = 0;

	for (i = 0; i < a->devs.cap; i++) {
		struct arch_dev *d = a->devs.slots[i].value;

		if (a->devs.slots[i].hash == 0 || d == NULL)
			continue;
		ndev++;
		ndrift += d->drift;
		nqueued += d->queued;
		nfail += d->st.failures > 0;
	}
	json_key(j, "config_archive");
	json_obj_open(j);
	json_kuint(j, "devices", ndev);
	json_kuint(j, "fetches", a->fetches);
	json_kuint(j, "fetches_failed", a->failed);
	json_kuint(j, "versions", a->versions);
	json_kuint(j, "unchanged", a->unchanged);
	json_kuint(j, "triggers", a->triggers);
	json_kuint(j, "coalesced", a->coalesced);
	json_kuint(j, "inflight", (uint64_t)a->inflight);
	json_kuint(j, "queued", nqueued);
	json_kuint(j, "drifting", ndrift);
	json_kuint(j, "failing", nfail);
	json_kuint(j, "compliance_evaluations", a->evaluations);
	json_kuint(j, "store_dropped", a->store_dropped);
	json_obj_close(j);
}

void
archive_free(struct archive *a)
{
	size_t i;

	if (a == NULL)
		return;
	/* stopped before the modules that still emit as they stop */
	evbus_unsubscribe(a->bus, arch_on_event, a);
	for (i = 0; i < a->devs.cap; i++)
		if (a->devs.slots[i].hash && a->devs.slots[i].value)
			arch_dev_free(a->devs.slots[i].value);
	hmap_free(&a->devs);
	if (a->rules)
		cfg_rules_free(a->rules);
	for (int k = 0; k < a->npols; k++)
		cfg_policy_free(a->pols[k].p);
	free(a->pols);
	if (a->ro)
		store_close(a->ro);
	explicit_bzero(a->key, sizeof(a->key));
	free(a);
}
