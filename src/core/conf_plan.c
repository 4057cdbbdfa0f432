/*
 * conf_plan.c - inspection plans, the report archive's retention and the
 * KPI targets (netpatrold.conf(5), PLANS).
 *
 *   plan "NAME" {
 *           every day at HH:MM | every WEEKDAY at HH:MM | every DURATION
 *           | on demand
 *           devices "GLOB" | group "NAME"
 *           check ports health probes config compliance security logs
 *           inspector "NAME"
 *   }
 *   report keep [daily|weekly|periodic|special] DURATION   (days, w, y)
 *   kpi target plan-execution|timeliness|failure PERCENT
 *
 * The grammar hands each line over as a list of words (parse.y's pword);
 * the words are read here.
 */
#include "config.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_int.h"

static const char *const plan_checks[PCHK_MAX] = {
	"ports", "health", "probes", "config", "compliance", "security", "logs"
};
static const char *const plan_cats[NP_REPORT_CATS] = {
	"special", "daily", "weekly", "periodic"
};
static const char *const plan_days[7] = {
	"sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
	"saturday"
};
static const struct unit plan_u_years[] = {
	{ "", 1 }, { "d", 1 }, { "w", 7 }, { "y", 365 }, { NULL, 0 }
};

const char *
conf_plan_category(enum plan_sched s)
{
	return ((unsigned)s < NP_REPORT_CATS ? plan_cats[s] : "?");
}

const char *
conf_plan_check_name(enum plan_check c)
{
	return ((unsigned)c < PCHK_MAX ? plan_checks[c] : "?");
}

const struct plan_conf *
conf_find_plan(const struct config *c, const char *name)
{
	for (int i = 0; i < c->nplans; i++)
		if (strcmp(c->plans[i].name, name) == 0)
			return (&c->plans[i]);
	return (NULL);
}

int
conf_plan_has_device(const struct plan_conf *p, const struct device_conf *d)
{
	if (p->group[0] != '\0')
		return (strcmp(d->role, p->group) == 0 ||
		    strcmp(d->tmpl, p->group) == 0);
	if (p->devices[0] == '\0')
		return (1);
	return (fnmatch(p->devices, d->name, 0) == 0);
}

void
conf_plan_word(struct parse *p, const char *w)
{
	conf_slist_add(p, w);
}

void
conf_plan_start(struct parse *p, struct loc at, const char *name)
{
	struct plan_conf	*x;

	p->nslist = 0;
	p->slist_over = 0;
	p->planbad = 0;
	p->inplan = 1;
	if (p->conf->nplans >= NP_MAX_PLANS) {
		perr(p, at, "too many plans (at most %d)", NP_MAX_PLANS);
		p->planbad = 1;
		return;
	}
	if (*name == '\0' || !conf_devname_ok(name) ||
	    strlen(name) >= sizeof(x->name)) {
		perr(p, at, "invalid plan name \"%s\" (use letters, digits, "
		    "\".\", \"-\" and \"_\")", name);
		p->planbad = 1;
		return;
	}
	if (conf_find_plan(p->conf, name) != NULL) {
		perr(p, at, "plan \"%s\" defined twice", name);
		p->planbad = 1;
		return;
	}
	x = &p->plan;
	memset(x, 0, sizeof(*x));
	(void)snprintf(x->name, sizeof(x->name), "%s", name);
	(void)snprintf(x->file, sizeof(x->file), "%s", at.file);
	x->line = at.line;
	x->sched = -1;
}

/* "HH:MM" into minutes after midnight: 0, or -1. */
static int
plan_hhmm(const char *s, int *out)
{
	int	 h, m;
	char	 extra;

	if (strlen(s) != 5 || !isdigit((unsigned char)s[0]) ||
	    !isdigit((unsigned char)s[1]) || s[2] != ':' ||
	    sscanf(s, "%2d:%2d%c", &h, &m, &extra) != 2 ||
	    h > 23 || m > 59)
		return (-1);
	*out = h * 60 + m;
	return (0);
}

static void
plan_every(struct parse *p, struct loc at, struct plan_conf *x)
{
	int64_t	 v;
	int	 i;

	if (p->nslist == 2) {
		if (conf_duration(p, at, p->slist[1], conf_u_seconds,
		    "every", &v) == -1 ||
		    conf_range(p, at, v, 60, 366 * 86400LL, "every",
		    " seconds") == -1)
			return;
		x->sched = PLAN_EVERY;
		x->every = v;
		return;
	}
	if (p->nslist != 4 || strcmp(p->slist[2], "at") != 0)
		goto bad;
	if (strcmp(p->slist[1], "day") == 0)
		x->sched = PLAN_DAILY;
	else {
		for (i = 0; i < 7; i++)
			if (strcmp(p->slist[1], plan_days[i]) == 0)
				break;
		if (i == 7)
			goto bad;
		x->sched = PLAN_WEEKLY;
		x->wday = i;
	}
	if (plan_hhmm(p->slist[3], &x->minute) == -1) {
		perr(p, at, "plan time must be HH:MM, not \"%s\"",
		    p->slist[3]);
		return;
	}
	return;
bad:
	perr(p, at, "plan schedule must be \"every day at HH:MM\", \"every "
	    "WEEKDAY at HH:MM\", \"every DURATION\" or \"on demand\"");
}

void
conf_plan_line(struct parse *p, struct loc at)
{
	struct plan_conf	*x = &p->plan;
	const char		*w = p->nslist > 0 ? p->slist[0] : "";
	int			 i, k;

	if (p->planbad || p->nslist == 0)
		goto out;
	if (p->slist_over) {
		perr(p, at, "too many words on a plan line");
		goto out;
	}
	if (strcmp(w, "every") == 0 || strcmp(w, "on") == 0) {
		if ((int)x->sched != -1)
			perr(p, at, "plan \"%s\": one schedule only", x->name);
		else if (strcmp(w, "on") == 0) {
			if (p->nslist == 2 && strcmp(p->slist[1], "demand") == 0)
				x->sched = PLAN_DEMAND;
			else
				perr(p, at, "\"on\" must be \"on demand\"");
		} else
			plan_every(p, at, x);
	} else if (strcmp(w, "devices") == 0 || strcmp(w, "group") == 0 ||
	    strcmp(w, "inspector") == 0) {
		if (p->nslist != 2) {
			perr(p, at, "%s takes one name", w);
			goto out;
		}
		if (*w == 'i')
			(void)conf_setstr(p, at, x->inspector,
			    sizeof(x->inspector), p->slist[1], "inspector");
		else if (x->devices[0] != '\0' || x->group[0] != '\0')
			perr(p, at, "plan \"%s\": one of devices or group, "
			    "once", x->name);
		else if (*w == 'd')
			(void)conf_setstr(p, at, x->devices,
			    sizeof(x->devices), p->slist[1], "devices");
		else
			(void)conf_setstr(p, at, x->group, sizeof(x->group),
			    p->slist[1], "group");
	} else if (strcmp(w, "check") == 0) {
		if (p->nslist < 2)
			perr(p, at, "check takes one or more of: ports health "
			    "probes config compliance security logs");
		for (i = 1; i < p->nslist; i++) {
			for (k = 0; k < PCHK_MAX; k++)
				if (strcmp(p->slist[i], plan_checks[k]) == 0)
					break;
			if (k == PCHK_MAX)
				perr(p, at, "unknown check \"%s\" (ports, "
				    "health, probes, config, compliance, "
				    "security, logs)", p->slist[i]);
			else
				x->checks |= 1u << k;
		}
	} else if (strcmp(w, "manual") == 0) {
		if (p->nslist != 2) {
			perr(p, at, "manual takes one quoted text: what a "
			    "person checks");
			goto out;
		}
		if (x->nmanual == NP_PLAN_MANUAL) {
			perr(p, at, "plan \"%s\": at most %d manual checks",
			    x->name, NP_PLAN_MANUAL);
			goto out;
		}
		for (i = 0; i < x->nmanual; i++)
			if (strcmp(x->manual[i], p->slist[1]) == 0) {
				perr(p, at, "plan \"%s\": manual check \"%s\" "
				    "twice", x->name, p->slist[1]);
				goto out;
			}
		if (p->slist[1][0] == '\0' || isdigit((unsigned char)p->slist[1][0]))
			perr(p, at, "a manual check's text must not be empty "
			    "or begin with a digit");
		else if (conf_setstr(p, at, x->manual[x->nmanual],
		             sizeof(x->manual[0]), p->slist[1],
		             "manual check") == 0)
			x->nmanual++;
	} else
		perr(p, at, "unknown plan setting \"%s\"", w);
out:
	p->nslist = 0;
	p->slist_over = 0;
}

void
conf_plan_end(struct parse *p, struct loc at)
{
	struct plan_conf	*x = &p->plan;

	p->inplan = 0;
	p->nslist = 0;
	if (p->planbad)
		return;
	if ((int)x->sched == -1) {
		perr(p, at, "plan \"%s\" has no schedule (every ... or on "
		    "demand)", x->name);
		return;
	}
	if (x->checks == 0 && x->nmanual == 0) {
		perr(p, at, "plan \"%s\" has no check", x->name);
		return;
	}
	p->conf->plans[p->conf->nplans++] = *x;
}

/* "report keep [CATEGORY] DURATION" */
void
conf_report_line(struct parse *p, struct loc at)
{
	int64_t	 v;
	int	 i, cat = -1;

	if (p->nslist < 2 || p->nslist > 3 || strcmp(p->slist[0], "keep")) {
		perr(p, at, "report takes \"keep [daily|weekly|periodic|"
		    "special] DURATION\"");
		goto out;
	}
	if (p->nslist == 3) {
		for (i = 0; i < NP_REPORT_CATS; i++)
			if (strcmp(p->slist[1], plan_cats[i]) == 0)
				cat = i;
		if (cat == -1) {
			perr(p, at, "unknown report category \"%s\" (daily, "
			    "weekly, periodic, special)", p->slist[1]);
			goto out;
		}
	}
	if (conf_duration(p, at, p->slist[p->nslist - 1], plan_u_years,
	    "report keep", &v) == -1 ||
	    conf_range(p, at, v, 1, 100 * 365, "report keep", " days") == -1)
		goto out;
	for (i = 0; i < NP_REPORT_CATS; i++)
		if (cat == -1 || cat == i)
			p->conf->report_keep_days[i] = v;
out:
	p->nslist = 0;
	p->slist_over = 0;
}

/* "kpi target NAME PERCENT" */
void
conf_kpi_line(struct parse *p, struct loc at)
{
	double	*t = NULL, v;
	char	*end;

	if (p->nslist == 3 && strcmp(p->slist[0], "target") == 0) {
		if (strcmp(p->slist[1], "plan-execution") == 0)
			t = &p->conf->kpi.plan_execution;
		else if (strcmp(p->slist[1], "timeliness") == 0)
			t = &p->conf->kpi.timeliness;
		else if (strcmp(p->slist[1], "failure") == 0)
			t = &p->conf->kpi.failure;
	}
	if (t == NULL) {
		perr(p, at, "kpi takes \"target plan-execution|timeliness|"
		    "failure PERCENT\"");
		goto out;
	}
	v = strtod(p->slist[2], &end);
	if (end == p->slist[2] || (*end != '\0' && strcmp(end, "%") != 0) ||
	    !(v >= 0 && v <= 100))
		perr(p, at, "kpi target must be a percentage from 0 to 100");
	else
		*t = v;
out:
	p->nslist = 0;
	p->slist_over = 0;
}

void
conf_plan_defaults(struct config *c)
{
	c->report_keep_days[PLAN_DEMAND] = 5 * 365;
	c->report_keep_days[PLAN_DAILY] = 3 * 365;
	c->report_keep_days[PLAN_WEEKLY] = 5 * 365;
	c->report_keep_days[PLAN_EVERY] = 365;
	c->kpi.plan_execution = 95;
	c->kpi.timeliness = 90;
	c->kpi.failure = 1;
}
