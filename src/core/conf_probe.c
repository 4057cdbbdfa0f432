/*
 * conf_probe.c - probe blocks: standalone at the top level, or in a
 * device or template block (a template's probes are copied into each
 * device that uses it, their address the device's unless given).
 *
 *   probe "NAME" {
 *           icmp [ADDRESS] [count N] [interval T] [size B] [source ADDRESS]
 *           tcp [ADDRESS] port P [count N] [interval T]
 *           timeout T          (each try's answer, ms unless a unit)
 *           loss PERCENT       (probe.loss at or above, default 20)
 *           latency T          (probe.latency above, ms; default none)
 *           baseline FACTOR    (probe.latency above FACTOR x the median
 *                               of the last day, default 3, 0 = off)
 *           down-after N       (steps of 100% loss: probe.down, default 2)
 *   }
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_int.h"

static struct probe_conf *
probe_find(struct parse *p, const char *device, const char *tmpl,
    const char *name)
{
	struct probe_conf	*x;

	TAILQ_FOREACH(x, &p->conf->probes, entry)
		if (strcmp(x->name, name) == 0 &&
		    strcmp(x->device, device) == 0 &&
		    strcmp(x->tmpl, tmpl) == 0)
			return (x);
	return (NULL);
}

void
conf_probe_start(struct parse *p, struct loc at, const char *name)
{
	struct probe_conf	*x = &p->probe;

	memset(x, 0, sizeof(*x));
	p->inprobe = 1;
	p->probebad = 0;
	p->probelines = 0;
	x->count = 0; /* by kind, at the end */
	x->interval = 60;
	x->size = 56;
	x->loss_pct = 20;
	x->baseline = 3;
	x->down_after = 2;
	x->line = at.line;
	(void)snprintf(x->file, sizeof(x->file), "%s", at.file);
	if (*name == '\0' || !conf_devname_ok(name) ||
	    strlen(name) >= sizeof(x->name)) {
		perr(p, at, "invalid probe name \"%s\" (use letters, digits, "
		    "\".\", \"-\" and \"_\")", name);
		p->probebad = 1;
		return;
	}
	(void)snprintf(x->name, sizeof(x->name), "%s", name);
	if (p->inblock && p->blk_template)
		(void)snprintf(x->tmpl, sizeof(x->tmpl), "%s", p->blk.name);
	else if (p->inblock)
		(void)snprintf(x->device, sizeof(x->device), "%s", p->blk.name);
	if (probe_find(p, x->device, x->tmpl, name) != NULL) {
		perr(p, at, "probe \"%s\" defined twice", name);
		p->probebad = 1;
	}
}

void
conf_probe_kind(struct parse *p, struct loc at, const char *kind,
    const char *addr)
{
	struct probe_conf	*x = &p->probe;

	if (p->probelines++ > 0) {
		perr(p, at, "a probe has one icmp or tcp line");
		p->probebad = 1;
		return;
	}
	if (strcmp(kind, "icmp") == 0)
		x->kind = PROBE_ICMP;
	else if (strcmp(kind, "tcp") == 0)
		x->kind = PROBE_TCP;
	else {
		perr(p, at, "unknown probe kind \"%s\" (icmp or tcp)", kind);
		p->probebad = 1;
		return;
	}
	if (addr == NULL) {
		if (!p->inblock) {
			perr(p, at, "a standalone probe needs an address");
			p->probebad = 1;
		}
		return;
	}
	if (!conf_ip_literal(addr)) {
		perr(p, at, "invalid probe address \"%s\" (an IPv4 or IPv6 "
		    "address)", addr);
		p->probebad = 1;
		return;
	}
	(void)snprintf(x->address, sizeof(x->address), "%s", addr);
}

void
conf_probe_opt(struct parse *p, struct loc at, int opt, int64_t v, int frac,
    const char *s)
{
	struct probe_conf	*x = &p->probe;
	int64_t			 d;

	switch (opt) {
	case PROBE_O_COUNT:
		if (conf_irange(p, at, v, frac, 1, NP_PROBE_PINGS, "count", ""))
			p->probebad = 1;
		else
			x->count = (int)v;
		break;
	case PROBE_O_INTERVAL:
		if (conf_duration(p, at, s, conf_u_seconds, "interval", &d) ||
		    conf_range(p, at, d, 1, 86400, "interval", " seconds"))
			p->probebad = 1;
		else
			x->interval = (int)d;
		break;
	case PROBE_O_SIZE:
		if (conf_irange(p, at, v, frac, 0, 65000, "size", " bytes"))
			p->probebad = 1;
		else
			x->size = (int)v;
		break;
	case PROBE_O_SOURCE:
		if (!conf_ip_literal(s)) {
			perr(p, at, "invalid source address \"%s\"", s);
			p->probebad = 1;
		} else
			(void)snprintf(x->source, sizeof(x->source), "%s", s);
		break;
	case PROBE_O_PORT:
		if (conf_irange(p, at, v, frac, 1, 65535, "port", ""))
			p->probebad = 1;
		else
			x->port = (uint16_t)v;
		break;
	case PROBE_O_TIMEOUT:
		if (conf_duration(p, at, s, conf_u_msec, "timeout", &d) ||
		    conf_range(p, at, d, 1, 60000, "timeout", " ms"))
			p->probebad = 1;
		else
			x->timeout_ms = (int)d;
		break;
	case PROBE_O_LOSS:
		if (conf_irange(p, at, v, frac, 1, 100, "loss", " percent"))
			p->probebad = 1;
		else
			x->loss_pct = (int)v;
		break;
	case PROBE_O_LATENCY:
		if (conf_duration(p, at, s, conf_u_msec, "latency", &d) ||
		    conf_range(p, at, d, 0, 600000, "latency", " ms"))
			p->probebad = 1;
		else
			x->latency_ms = (int)d;
		break;
	case PROBE_O_DOWNAFTER:
		if (conf_irange(p, at, v, frac, 1, 1000, "down-after", " steps"))
			p->probebad = 1;
		else
			x->down_after = (int)v;
		break;
	case PROBE_O_BASELINE: {
		char	*end;
		double	 f = strtod(s, &end);

		if (*end != '\0' || !(f == 0 || (f >= 1 && f <= 1000))) {
			perr(p, at, "baseline must be 0 (off) or a factor "
			    "between 1 and 1000");
			p->probebad = 1;
		} else
			x->baseline = f;
		break;
	}
	}
}

void
conf_probe_end(struct parse *p, struct loc at)
{
	struct probe_conf	*x = &p->probe, *n;

	p->inprobe = 0;
	if (p->probebad)
		return;
	if (x->kind == 0) {
		perr(p, at, "probe \"%s\" has no icmp or tcp line", x->name);
		return;
	}
	if (x->kind == PROBE_TCP && x->port == 0) {
		perr(p, at, "tcp probe \"%s\" needs a port", x->name);
		return;
	}
	if (x->kind == PROBE_TCP && (x->size != 56 || x->source[0])) {
		perr(p, at, "size and source are for icmp probes");
		return;
	}
	if (x->count == 0)
		x->count = x->kind == PROBE_ICMP ? 10 : 3;
	if (x->timeout_ms == 0)
		x->timeout_ms = x->interval * 500 < 2000 ? x->interval * 500
		                                         : 2000;
	if (x->timeout_ms > x->interval * 500) {
		perr(p, at, "probe \"%s\": timeout must be at most half the "
		    "interval", x->name);
		return;
	}
	if (p->conf->nprobes >= NP_MAX_PROBES) {
		perr(p, at, "more than %d probes", NP_MAX_PROBES);
		return;
	}
	if ((n = malloc(sizeof(*n))) == NULL) {
		perr(p, at, "out of memory");
		return;
	}
	*n = *x;
	TAILQ_INSERT_TAIL(&p->conf->probes, n, entry);
	if (n->tmpl[0] == '\0')
		p->conf->nprobes++;
}

/* The block being read uses template T: its probes become the block's. */
void
conf_probe_use(struct parse *p, struct loc at, const char *t)
{
	struct probe_conf	*x, *n;

	TAILQ_FOREACH(x, &p->conf->probes, entry) {
		if (strcmp(x->tmpl, t) != 0)
			continue;
		if (probe_find(p, p->blk_template ? "" : p->blk.name,
		    p->blk_template ? p->blk.name : "", x->name) != NULL) {
			perr(p, at, "probe \"%s\" defined twice", x->name);
			continue;
		}
		if (p->conf->nprobes >= NP_MAX_PROBES ||
		    (n = malloc(sizeof(*n))) == NULL) {
			perr(p, at, "too many probes");
			return;
		}
		*n = *x;
		if (p->blk_template)
			(void)snprintf(n->tmpl, sizeof(n->tmpl), "%s",
			    p->blk.name);
		else {
			n->tmpl[0] = '\0';
			(void)snprintf(n->device, sizeof(n->device), "%s",
			    p->blk.name);
			p->conf->nprobes++;
		}
		/* inserted at the tail: the walk sees it, a copy of
		   another template's probe, and skips it */
		TAILQ_INSERT_TAIL(&p->conf->probes, n, entry);
	}
}
