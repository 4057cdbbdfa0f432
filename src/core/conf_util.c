/*
 * conf_util.c - the configuration's checks and setters that every area's
 * statements use: ranges, numbers with fractions, strings into fixed
 * fields, paths, durations and sizes with units, addresses, host and
 * device names, and "N per DURATION" pairs.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <regex.h>

#include "conf_int.h"
#include "rebound.h"

/* Units of durations and sizes. */
const struct unit conf_u_seconds[] = {
	{ "", 1 }, { "s", 1 }, { "m", 60 }, { "h", 3600 }, { "d", 86400 },
	{ "w", 604800 }, { NULL, 0 }
};
const struct unit conf_u_msec[] = {
	{ "", 1 }, { "ms", 1 }, { "s", 1000 }, { NULL, 0 }
};
const struct unit conf_u_days[] = {
	{ "", 1 }, { "d", 1 }, { "w", 7 }, { NULL, 0 }
};
const struct unit conf_u_bytes[] = {
	{ "", 1 }, { "K", 1024 }, { "M", MEGA }, { "G", MEGA * 1024 },
	{ "T", TERA }, { NULL, 0 }
};


/* The severities a rule or a notify target names. */
const char *const conf_severities[] = {
	"info", "warning", "minor", "major", "critical"
};

/*
 * Checks and setters for the grammar.
 */

int
conf_range(struct parse *p, struct loc at, int64_t v, int64_t lo, int64_t hi,
    const char *what, const char *unit)
{
	if (v >= lo && v <= hi)
		return (0);
	perr(p, at, "%s must be between %lld and %lld%s", what,
	    (long long)lo, (long long)hi, unit);
	return (-1);
}

/* conf_range() for an integer setting, which must not have a fraction. */
int
conf_irange(struct parse *p, struct loc at, int64_t v, int frac, int64_t lo,
    int64_t hi, const char *what, const char *unit)
{
	if (frac) {
		perr(p, at, "%s must be a whole number", what);
		return (-1);
	}
	return (conf_range(p, at, v, lo, hi, what, unit));
}

/*
 * The value of a number that may have a fraction: TEXT, or V when TEXT is
 * NULL. NAN after an error.
 */
double
conf_real(struct parse *p, struct loc at, const char *text, int64_t v)
{
	double	 d;

	if (text == NULL) {
		/* conf_number() saturates: such a number was out of range. */
		if (v == INT64_MAX || v == INT64_MIN)
			goto out;
		return ((double)v);
	}
	errno = 0;
	d = strtod(text, NULL);
	if (errno == ERANGE || !isfinite(d))
		goto out;
	return (d);
out:
	perr(p, at, "number out of range");
	return (NAN);
}

/* A string into a fixed field: too long is an error, never cut short. */
int
conf_setstr(struct parse *p, struct loc at, char *dst, size_t size,
    const char *src, const char *what)
{
	size_t	 len = strlen(src);

	if (len >= size) {
		perr(p, at, "%s too long (max %zu characters)", what,
		    size - 1);
		return (-1);
	}
	memcpy(dst, src, len + 1);
	return (0);
}

int
conf_setpath(struct parse *p, struct loc at, char *dst, size_t size,
    const char *src, const char *what)
{
	if (*src != '/') {
		perr(p, at, "%s must be an absolute path", what);
		return (-1);
	}
	return (conf_setstr(p, at, dst, size, src, what));
}

/*
 * A number with an optional unit suffix from UNITS, e.g. "2d", for the
 * setting WHAT.
 */
int
conf_duration(struct parse *p, struct loc at, const char *s,
    const struct unit *units, const char *what, int64_t *out)
{
	const struct unit	*u;
	const char		*end;
	int64_t			 v;

	if (!isdigit((unsigned char)(*s == '-' ? s[1] : s[0])))
		goto bad;
	v = conf_number(s, &end);
	if (end[0] == '.' && isdigit((unsigned char)end[1])) {
		/* "1.5" or "1.5m": a unit smaller than that is needed. */
		for (end++; isdigit((unsigned char)*end); end++)
			;
		for (u = units; u->suffix != NULL; u++)
			if (strcmp(end, u->suffix) == 0)
				break;
		if (u->suffix == NULL)
			goto bad;
		perr(p, at, "%s must be a whole number", what);
		return (-1);
	}
	for (u = units; u->suffix != NULL; u++)
		if (strcmp(end, u->suffix) == 0)
			break;
	if (u->suffix == NULL)
		goto bad;
	if (v > INT64_MAX / u->mult)
		v = INT64_MAX;
	else if (v < INT64_MIN / u->mult)
		v = INT64_MIN;
	else
		v *= u->mult;
	*out = v;
	return (0);
bad:
	perr(p, at, "invalid duration \"%s\"", s);
	return (-1);
}

/*
 * A size in bytes for the setting WHAT: a number with an optional unit
 * from conf_u_bytes (K, M, G or T, powers of 1024, in either case), and with a
 * fraction when it has a unit, as in "1.5G".
 */
int
conf_bytesize(struct parse *p, struct loc at, const char *s, const char *what,
    int64_t *out)
{
	const struct unit	*u;
	const char		*end, *frac = NULL;
	double			 v;

	if (!isdigit((unsigned char)s[0]))
		goto bad;
	(void)conf_number(s, &end);
	if (end[0] == '.' && isdigit((unsigned char)end[1])) {
		frac = end;
		for (end++; isdigit((unsigned char)*end); end++)
			;
	}
	for (u = conf_u_bytes; u->suffix != NULL; u++)
		if (strcasecmp(end, u->suffix) == 0)
			break;
	if (u->suffix == NULL || (frac != NULL && u->mult == 1))
		goto bad;
	v = strtod(s, NULL) * (double)u->mult;
	/* not 0, and yet less than a byte: 0 often means "no bound" */
	if (v > 0 && v < 1) {
		perr(p, at, "size \"%s\" for %s is less than a byte", s,
		    what);
		return (-1);
	}
	/* out of range saturates, for the range check to name the bounds */
	*out = v >= 9.2e18 ? INT64_MAX : (int64_t)v;
	return (0);
bad:
	perr(p, at, "invalid size \"%s\" for %s (bytes, or a number with "
	    "K, M, G or T)", s, what);
	return (-1);
}

int
conf_ip_literal(const char *s)
{
	struct in_addr	 a4;
	struct in6_addr	 a6;

	return (inet_pton(AF_INET, s, &a4) == 1 ||
	    inet_pton(AF_INET6, s, &a6) == 1);
}

int
conf_hostname_ok(const char *s)
{
	size_t	 label = 0;

	if (*s == '\0' || strlen(s) > 253)
		return (0);
	for (; *s != '\0'; s++) {
		if (*s == '.') {
			if (label == 0)
				return (0);
			label = 0;
			continue;
		}
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_')
			return (0);
		if (++label > 63)
			return (0);
	}
	return (1);
}

/* Device names become file names (RRD files): keep them plain. */
int
conf_devname_ok(const char *s)
{
	if (!isalnum((unsigned char)*s))
		return (0);
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && strchr("._-", *s) == NULL)
			return (0);
	return (1);
}

/* "N per DURATION" settings: N in [lo, hi], the window up to a day. */
void
conf_set_pair(struct parse *p, struct loc at, int64_t count, int frac,
    const char *window, int64_t lo, int64_t hi, const char *what,
    int *countp, int *secsp)
{
	int64_t	 secs;

	if (conf_irange(p, at, count, frac, lo, hi, what, "") ||
	    conf_duration(p, at, window, conf_u_seconds, what, &secs) ||
	    conf_range(p, at, secs, 1, 86400, what, " seconds window"))
		return;
	*countp = (int)count;
	*secsp = (int)secs;
}

/* A device or template block's string settings (parse.y's blockopt). */
void
conf_block_str(struct parse *p, struct loc at, int which, const char *s)
{
	struct device_conf	*b = &p->blk;

	switch (which) {
	case BS_LOCATION:
		if (conf_setstr(p, at, b->location, sizeof(b->location), s,
		    "location") == 0)
			b->set |= DC_LOCATION;
		break;
	case BS_ROLE:
		if (conf_setstr(p, at, b->role, sizeof(b->role), s,
		    "role") == 0)
			b->set |= DC_ROLE;
		break;
	case BS_OWNER:
		if (conf_setstr(p, at, b->owner, sizeof(b->owner), s,
		    "owner") == 0)
			b->set |= DC_OWNER;
		break;
	case BS_DEPENDS:
		if (conf_setstr(p, at, b->depends, sizeof(b->depends), s,
		    "depends") == 0)
			b->set |= DC_DEPENDS;
		break;
	case BS_IMPACT:
		if (strcmp(s, "high") == 0)
			b->impact = 0;
		else if (strcmp(s, "medium") == 0)
			b->impact = 1;
		else if (strcmp(s, "low") == 0)
			b->impact = 2;
		else {
			perr(p, at, "impact must be high, medium or low");
			break;
		}
		b->set |= DC_IMPACT;
		break;
	}
}

/*
 * Errors: as many as fit in the caller's buffer, whole, and then how many
 * more there were (conf_errors_end), never a list silently cut short.
 */
#define CONF_ERR_TAIL	48	/* kept free for "... and N more errors" */

void
verr(struct parse *p, struct loc at, const char *fmt, va_list ap)
{
	char	 msg[512];
	size_t	 room, tail;
	int	 n;

	p->errors++;
	if (p->errbuf == NULL || p->errlen == 0)
		return;
	/* (a buffer too small for the tail has none) */
	tail = p->errlen >= 4 * CONF_ERR_TAIL ? CONF_ERR_TAIL : 0;
	if (p->errhidden > 0 || p->errused + tail >= p->errlen) {
		p->errhidden++;
		return;
	}
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	room = p->errlen - p->errused - tail;
	if (at.file == NULL)
		n = snprintf(p->errbuf + p->errused, room, "%s\n", msg);
	else if (at.line <= 0)
		n = snprintf(p->errbuf + p->errused, room, "%s: %s\n",
		    at.file, msg);
	else
		n = snprintf(p->errbuf + p->errused, room, "%s:%d: %s\n",
		    at.file, at.line, msg);
	if (n >= 0 && (size_t)n < room)
		p->errused += n;
	else if (p->errused > 0) {
		/* Keep the earlier errors whole rather than cut this one. */
		p->errbuf[p->errused] = '\0';
		p->errhidden++;
	} else
		p->errused = strlen(p->errbuf);
}

void
perr(struct parse *p, struct loc at, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	verr(p, at, fmt, ap);
	va_end(ap);
}

/* The end of the list: how many errors did not fit. */
void
conf_errors_end(struct parse *p)
{
	int	 n;

	if (p->errhidden == 0 || p->errbuf == NULL ||
	    p->errused >= p->errlen)
		return;
	n = snprintf(p->errbuf + p->errused, p->errlen - p->errused,
	    "... and %d more error%s\n", p->errhidden,
	    p->errhidden == 1 ? "" : "s");
	if (n > 0 && (size_t)n < p->errlen - p->errused)
		p->errused += n;
}

/*
 * Numbers, as the lexer (parse.y) reads them.
 */

/* Is S a number: an optional "-" and decimal digits? */
int
conf_is_number(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '\0')
		return (0);
	for (; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s))
			return (0);
	return (1);
}

/* Is S a number with a fraction: an optional "-", digits, ".", digits? */
int
conf_is_decimal(const char *s)
{
	const char	*dot;

	if (*s == '-')
		s++;
	if ((dot = strchr(s, '.')) == NULL || dot == s || dot[1] == '\0')
		return (0);
	for (; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s) && s != dot)
			return (0);
	return (1);
}

/*
 * The value of a number; one out of range saturates, so that the range
 * check of whatever uses it rejects it with a clear message.
 */
int64_t
conf_number(const char *s, const char **end)
{
	int64_t	 v = 0;
	int	 neg = 0, d, over = 0;

	if (*s == '-') {
		neg = 1;
		s++;
	}
	for (; isdigit((unsigned char)*s); s++) {
		d = *s - '0';
		if (over || v > (INT64_MAX - d) / 10)
			over = 1;
		else
			v = v * 10 + d;
	}
	if (end != NULL)
		*end = s;
	if (over)
		return (neg ? INT64_MIN : INT64_MAX);
	return (neg ? -v : v);
}

/*
 * A configuration's regular expression checked (rebound.h: bounded for
 * regcomp) and compiled into RE with FLAGS: 0, or nonzero with MSG (RE
 * then holds nothing to free).
 */
int
conf_regcomp(regex_t *re, const char *pattern, int flags, char *msg,
    size_t len)
{
	int rc;

	if (re_bounded(pattern, msg, len) == -1)
		return -1;
	if ((rc = regcomp(re, pattern, flags)) != 0)
		(void)regerror(rc, re, msg, len);
	return rc;
}
