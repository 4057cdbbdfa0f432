/*
 * conf_device.c - the configuration's devices and templates: "device" and
 * "template" blocks, their address, "use" of templates, process rules and
 * thresholds (in a block or global), and the lookups and comparisons of
 * devices that the daemon makes on a reload.
 */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf_int.h"
#include "hmap.h"

/*
 * Process rules and thresholds. A block has its own, and those it takes
 * from templates with "use": its own rule for a process, or for a class
 * or a sensor, replaces a template's whatever their order, and one from a
 * later template replaces one from an earlier template.
 */

/*
 * The classes a threshold may name: those of sensor_class_name() but
 * "other" and "state", which have no thresholds. Kept here rather than
 * taken from sensor.c, so that the parser links alone.
 */
static const char *const th_classes[] = {
	"temperature", "fanspeed", "voltage", "current", "power",
	"frequency", "humidity", "airflow", "dbm", "load"
};

static int
proc_find(const struct device_conf *d, const char *name)
{
	int	 i;

	for (i = 0; i < d->nprocs; i++)
		if (strcmp(d->procs[i].name, name) == 0)
			return (i);
	return (-1);
}

/* A rule in LIST for what T is for: the same class, or the same sensor. */
static int
th_find(const struct threshold_conf *list, int n,
    const struct threshold_conf *t)
{
	int	 i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i].cls, t->cls) == 0 &&
		    strcmp(list[i].sensor, t->sensor) == 0)
			return (i);
	return (-1);
}

void
conf_proc_add(struct parse *p, struct loc at, const char *name, int forbid)
{
	struct device_conf	*d = &p->blk;
	struct proc_rule	 r;
	int			 i;

	memset(&r, 0, sizeof(r));
	if (*name == '\0') {
		perr(p, at, "process name must not be empty");
		return;
	}
	if (conf_setstr(p, at, r.name, sizeof(r.name), name,
	    "process name") == -1)
		return;
	r.forbid = forbid;
	if ((i = proc_find(d, name)) != -1) {
		if (p->blk_proc_own[i]) {
			perr(p, at, "process \"%s\" given twice", name);
			return;
		}
		/* It replaces a template's rule, in its place. */
	} else if (d->nprocs >= NP_MAX_PROCS) {
		perr(p, at, "too many process rules (at most %d)",
		    NP_MAX_PROCS);
		return;
	} else
		i = d->nprocs++;
	d->procs[i] = r;
	p->blk_proc_own[i] = 1;
}

void
th_start(struct parse *p, struct loc at, const char *cls,
    const char *sensor)
{
	struct threshold_conf	*t = &p->th;
	size_t			 i;

	memset(t, 0, sizeof(*t));
	t->warn_hi = t->crit_hi = t->warn_lo = t->crit_lo = NAN;
	t->hysteresis = NAN;
	p->thset = 0;
	p->thbad = 0;
	if (sensor != NULL) {
		if (!p->inblock) {
			perr(p, at, "threshold sensor is only valid inside a "
			    "device or template block");
			p->thbad = 1;
		} else if (*sensor == '\0') {
			perr(p, at, "sensor name must not be empty");
			p->thbad = 1;
		} else if (conf_setstr(p, at, t->sensor, sizeof(t->sensor),
		    sensor, "sensor name") == -1)
			p->thbad = 1;
		return;
	}
	for (i = 0; i < sizeof(th_classes) / sizeof(th_classes[0]); i++)
		if (strcasecmp(cls, th_classes[i]) == 0) {
			(void)strcpy(t->cls, th_classes[i]);
			return;
		}
	perr(p, at, "unknown sensor class \"%s\" (temperature, fanspeed, "
	    "voltage, current, power, frequency, humidity, airflow, dbm or "
	    "load)", cls);
	p->thbad = 1;
}

void
th_opt(struct parse *p, struct loc at, unsigned opt, double v)
{
	struct threshold_conf	*t = &p->th;
	const char		*kw;

	switch (opt) {
	case TS_WARN:		kw = "warning"; break;
	case TS_CRIT:		kw = "critical"; break;
	case TS_LOWWARN:	kw = "low-warning"; break;
	case TS_LOWCRIT:	kw = "low-critical"; break;
	default:		kw = "hysteresis"; break;
	}
	if (p->thbad)
		return;
	if (p->thset & opt) {
		perr(p, at, "\"%s\" given twice", kw);
		p->thbad = 1;
		return;
	}
	p->thset |= opt;
	if (isnan(v)) {
		/* conf_real() has said why. */
		p->thbad = 1;
		return;
	}
	switch (opt) {
	case TS_WARN:		t->warn_hi = v; break;
	case TS_CRIT:		t->crit_hi = v; break;
	case TS_LOWWARN:	t->warn_lo = v; break;
	case TS_LOWCRIT:	t->crit_lo = v; break;
	default:
		if (v < 0) {
			perr(p, at, "hysteresis must not be negative");
			p->thbad = 1;
		} else
			t->hysteresis = v;
		break;
	}
}

/* The threshold is complete: into the block (INBLOCK) or the globals. */
void
th_finish(struct parse *p, struct loc at, int inblock)
{
	struct threshold_conf	*t = &p->th, *list;
	char			*own;
	int			*n, i;

	if (p->thbad)
		return;
	if (p->thset == 0) {
		perr(p, at, "threshold needs warning, critical, low-warning, "
		    "low-critical or hysteresis");
		return;
	}
	if (t->warn_hi > t->crit_hi) {
		perr(p, at, "warning must not be above critical");
		return;
	}
	if (t->warn_lo < t->crit_lo) {
		perr(p, at, "low-warning must not be below low-critical");
		return;
	}
	if (inblock) {
		list = p->blk.thresholds;
		n = &p->blk.nthresholds;
		own = p->blk_th_own;
	} else {
		list = p->conf->thresholds;
		n = &p->conf->nthresholds;
		own = NULL;
	}
	if ((i = th_find(list, *n, t)) != -1) {
		if (own == NULL || own[i]) {
			if (t->sensor[0] != '\0')
				perr(p, at, "threshold sensor \"%s\" given "
				    "twice", t->sensor);
			else
				perr(p, at, "threshold %s given twice",
				    t->cls);
			return;
		}
		/* It replaces a template's rule, in its place. */
	} else if (*n >= NP_MAX_THRESHOLDS) {
		perr(p, at, "too many thresholds (at most %d)",
		    NP_MAX_THRESHOLDS);
		return;
	} else
		i = (*n)++;
	list[i] = *t;
	if (own != NULL)
		own[i] = 1;
}

/* "use": add the template's process rules and thresholds to the block's. */
static void
use_rules(struct parse *p, struct loc at, const struct device_conf *t)
{
	struct device_conf	*d = &p->blk;
	int			 i, j;

	for (j = 0; j < t->nprocs; j++) {
		if ((i = proc_find(d, t->procs[j].name)) != -1) {
			if (!p->blk_proc_own[i])
				d->procs[i] = t->procs[j];
			continue;
		}
		if (d->nprocs >= NP_MAX_PROCS) {
			perr(p, at, "too many process rules (at most %d)",
			    NP_MAX_PROCS);
			break;
		}
		p->blk_proc_own[d->nprocs] = 0;
		d->procs[d->nprocs++] = t->procs[j];
	}
	for (j = 0; j < t->nthresholds; j++) {
		if ((i = th_find(d->thresholds, d->nthresholds,
		    &t->thresholds[j])) != -1) {
			if (!p->blk_th_own[i])
				d->thresholds[i] = t->thresholds[j];
			continue;
		}
		if (d->nthresholds >= NP_MAX_THRESHOLDS) {
			perr(p, at, "too many thresholds (at most %d)",
			    NP_MAX_THRESHOLDS);
			break;
		}
		p->blk_th_own[d->nthresholds] = 0;
		d->thresholds[d->nthresholds++] = t->thresholds[j];
	}
}

/*
 * Device and template blocks.
 */

static struct device_conf *
find_in(struct device_list *list, const char *name)
{
	struct device_conf	*d;

	TAILQ_FOREACH(d, list, entry)
		if (strcmp(d->name, name) == 0)
			return (d);
	return (NULL);
}

void
block_start(struct parse *p, struct loc at, int template, const char *name)
{
	struct device_conf	*d = &p->blk;
	const char		*kind = template ? "template" : "device";

	memset(d, 0, sizeof(*d));
	conf_device_defaults(d);
	d->procs = p->blk_procs;
	d->thresholds = p->blk_th;
	p->inblock = 1;
	p->blk_template = template;
	p->blk_discard = 0;
	p->blk_addr_seen = 0;
	memset(p->blk_proc_own, 0, sizeof(p->blk_proc_own));
	memset(p->blk_th_own, 0, sizeof(p->blk_th_own));
	d->line = at.line;
	if ((d->file = conf_str(p->conf, at.file)) == NULL) {
		perr(p, at, "out of memory");
		p->blk_discard = 1;
	}
	if (*name == '\0') {
		perr(p, at, "%s name must not be empty", kind);
		p->blk_discard = 1;
	} else if (conf_setstr(p, at, d->name, sizeof(d->name), name,
	    template ? "template name" : "device name") == -1)
		p->blk_discard = 1;
	else if (!template && !conf_devname_ok(name)) {
		perr(p, at, "invalid device name \"%s\" (use letters, digits, "
		    "\".\", \"-\" and \"_\")", name);
		p->blk_discard = 1;
	} else if ((template ? find_in(&p->conf->templates, name) :
	    hmap_get(&p->devnames, name)) != NULL) {
		perr(p, at, "%s \"%s\" defined twice", kind, name);
		p->blk_discard = 1;
	}
}

/* N rules of SIZE bytes at SRC in an array of their own; NULL for none. */
static void *
rules_dup(const void *src, size_t n, size_t size)
{
	void *v;

	if (n == 0 || (v = malloc(n * size)) == NULL)
		return NULL;
	return memcpy(v, src, n * size);
}

void
block_end(struct parse *p)
{
	struct device_conf	*d;
	struct loc		 at = { p->blk.file, p->blk.line };

	p->inblock = 0;
	if (!p->blk_template) {
		if (!(p->blk.set & DC_ADDRESS)) {
			if (!p->blk_addr_seen && !p->blk_discard)
				perr(p, at, "device \"%s\" has no address",
				    p->blk.name);
			p->blk_discard = 1;
		}
		/* SNMPv1 has no GETBULK. */
		if (p->blk.snmp.version == NP_SNMP_V1)
			p->blk.bulk = 0;
	}
	if (p->blk_discard)
		return;
	if ((d = malloc(sizeof(*d))) == NULL) {
		perr(p, at, "out of memory");
		return;
	}
	*d = p->blk;
	/* its rules, sized to what it has */
	d->procs = rules_dup(p->blk.procs, (size_t)p->blk.nprocs,
	    sizeof(*d->procs));
	d->thresholds = rules_dup(p->blk.thresholds,
	    (size_t)p->blk.nthresholds, sizeof(*d->thresholds));
	if ((d->nprocs > 0 && d->procs == NULL) ||
	    (d->nthresholds > 0 && d->thresholds == NULL)) {
		conf_device_free(d);
		perr(p, at, "out of memory");
		return;
	}
	if (p->blk_template)
		TAILQ_INSERT_TAIL(&p->conf->templates, d, entry);
	else {
		TAILQ_INSERT_TAIL(&p->conf->devices, d, entry);
		p->conf->ndevices++;
		/* the names seen: a lookup, not a walk, per device */
		if (hmap_put(&p->devnames, d->name, d) == -1)
			perr(p, at, "out of memory");
	}
}

void
block_address(struct parse *p, struct loc at, const char *addr, int quoted,
    int64_t port)
{
	struct device_conf	*d = &p->blk;

	if (p->blk_template) {
		perr(p, at, "address is not valid in a template");
		return;
	}
	p->blk_addr_seen = 1;
	if (!conf_ip_literal(addr)) {
		if (!quoted) {
			perr(p, at, "invalid address \"%s\" (host names must "
			    "be quoted)", addr);
			return;
		}
		if (!conf_hostname_ok(addr)) {
			perr(p, at, "invalid host name \"%s\"", addr);
			return;
		}
	}
	if (conf_setstr(p, at, d->address, sizeof(d->address), addr,
	    "address") == -1)
		return;
	d->set |= DC_ADDRESS;
	if (port > 0) {
		d->port = port;
		d->set |= DC_PORT;
	}
}

/*
 * "use": copy what the template set itself; later settings override. Its
 * process rules and thresholds add to the block's instead.
 */
void
block_use(struct parse *p, struct loc at, const char *name)
{
	struct device_conf	*d = &p->blk, *t;

	if ((t = find_in(&p->conf->templates, name)) == NULL) {
		perr(p, at, "template \"%s\" not defined", name);
		return;
	}
	if (t->set & DC_PORT)
		d->port = t->port;
	if (t->set & DC_SNMP)
		d->snmp = t->snmp;
	if (t->set & DC_INTERVAL)
		d->interval = t->interval;
	if (t->set & DC_TIMEOUT)
		d->timeout = t->timeout;
	if (t->set & DC_RETRIES)
		d->retries = t->retries;
	if (t->set & DC_MAXREP)
		d->max_reps = t->max_reps;
	if (t->set & DC_BULK)
		d->bulk = t->bulk;
	if (t->set & DC_LOCATION)
		memcpy(d->location, t->location, sizeof(d->location));
	if (t->set & DC_ROLE)
		memcpy(d->role, t->role, sizeof(d->role));
	if (t->set & DC_OWNER)
		memcpy(d->owner, t->owner, sizeof(d->owner));
	if (t->set & DC_IMPACT)
		d->impact = t->impact;
	if (t->set & DC_DEPENDS)
		memcpy(d->depends, t->depends, sizeof(d->depends));
	d->set |= t->set & ~DC_ADDRESS;
	(void)snprintf(d->tmpl, sizeof(d->tmpl), "%s", t->name);
	conf_cfg_use(d, t);
	conf_policy_use(d, t);
	use_rules(p, at, t);
	conf_probe_use(p, at, name);
}

/*
 * The interface (conf.h).
 */

void
conf_device_defaults(struct device_conf *d)
{
	d->port = 161;
	memset(&d->snmp, 0, sizeof(d->snmp));
	d->snmp.version = NP_SNMP_V2C;
	(void)strcpy(d->snmp.community, "public");
	d->interval = 60;
	d->timeout = 2;
	d->retries = 2;
	d->max_reps = 10;
	d->bulk = 1;
	d->impact = 1;
	conf_cfg_defaults(&d->cfg);
}

void
conf_device_free(struct device_conf *d)
{
	if (d == NULL)
		return;
	free(d->procs);
	free(d->thresholds);
	explicit_bzero(d, sizeof(*d)); /* its credentials */
	free(d);
}

const char *
conf_str(struct config *conf, const char *s)
{
	char *v;

	if (conf->strs == NULL) {
		if ((conf->strs = malloc(sizeof(*conf->strs))) == NULL)
			return NULL;
		hmap_init(conf->strs);
	}
	if ((v = hmap_get(conf->strs, s)) != NULL)
		return v;
	if ((v = strdup(s)) == NULL)
		return NULL;
	if (hmap_put(conf->strs, v, v) == -1) {
		free(v);
		return NULL;
	}
	return v;
}

/* The config's strings freed, wiped first (fetch environments hold
 * passwords). */
void
conf_strs_free(struct config *conf)
{
	struct hmap *h = conf->strs;

	if (h == NULL)
		return;
	for (size_t i = 0; i < h->cap; i++)
		if (h->slots[i].hash != 0 && h->slots[i].value != NULL)
			explicit_bzero(h->slots[i].value,
			    strlen(h->slots[i].value));
	hmap_free_values(h);
	free(h);
	conf->strs = NULL;
}

struct device_conf *
conf_find_device(struct config *conf, const char *name)
{
	return (find_in(&conf->devices, name));
}

int
conf_device_equal(const struct device_conf *a, const struct device_conf *b)
{
	return (strcmp(a->address, b->address) == 0 && a->port == b->port &&
	    conf_cred_equal(&a->snmp, &b->snmp) && a->interval == b->interval &&
	    a->timeout == b->timeout && a->retries == b->retries &&
	    a->max_reps == b->max_reps && a->bulk == b->bulk);
}
