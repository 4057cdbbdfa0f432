/*
 * parse.c - syslog messages into fields (see parse.h).
 *
 * The order of the work: the PRI; then RFC 5424 when a VERSION follows it,
 * else the BSD family: Cisco's "seq: host:" prefix, a timestamp in one of
 * the forms devices use, the hostname, the TAG; last, on the text, a Cisco
 * mnemonic or a Junos tag. Every step reads between a cursor and the end
 * of the (bounded) input and never past it; every field is written through
 * put_text(), which bounds, escapes and validates.
 *
 * Where the RFCs leave room, rsyslog's choices are followed (its pmrfc3164
 * is what most networks run), with these differences: a '/' or '@' may be
 * part of a hostname, an IPv6 address may be one, a TAG never starts with
 * '%' (that is a Cisco mnemonic), and without a timestamp the first word
 * is a hostname only when a TAG ("name:", "name[pid]:") follows it.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <arpa/inet.h>
#include <string.h>

#include "parse.h"

typedef const unsigned char *cur_t;

/* What the parse keeps besides the message itself. */
struct pstate {
	struct syslog_msg *m;
	size_t pool; /* bytes used in m->sd_pool */
	int cisco; /* a Cisco prefix ("seq:", "host:") was seen */
};

/* A timestamp as written, before it becomes seconds. */
struct tstamp {
	int year, mon, day, hour, min, sec;
	long usec;
	int digits; /* fraction digits, at most 6 */
	int has_year, has_tz, tz_off, unsync;
	size_t tzlen;
	const unsigned char *tz; /* the zone as written */
};

static const char *const problem_str[SYSLOG_P_COUNT] = {"empty message",
    "no PRI", "PRI out of range", "not syslog", "invalid timestamp",
    "unknown RFC 5424 version", "RFC 5424 header cut short",
    "malformed structured data", "message too long, cut", "NUL bytes",
    "invalid UTF-8", "a field was cut"};

/* Which problem the message's "problem" names when there are several. */
static const unsigned problem_order[SYSLOG_P_COUNT] = {SYSLOG_P_EMPTY,
    SYSLOG_P_NOTSYSLOG, SYSLOG_P_TOOLONG, SYSLOG_P_BADPRI, SYSLOG_P_NOPRI,
    SYSLOG_P_BADTIME, SYSLOG_P_VERSION, SYSLOG_P_SHORT, SYSLOG_P_BADSD,
    SYSLOG_P_NUL, SYSLOG_P_UTF8, SYSLOG_P_CUT};

static const char *const fac_names[24] = {"kern", "user", "mail", "daemon",
    "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp", "ntp",
    "audit", "alert", "clock", "local0", "local1", "local2", "local3", "local4",
    "local5", "local6", "local7"};

static const char *const sev_names[8] = {
    "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"};

/* Zone abbreviations as devices print them; the ambiguous ones (CST, IST,
 * BST) are left out, their offset unknown. */
static const struct {
	const char *name;
	int off; /* minutes east of UTC */
} zones[] = {{"UTC", 0}, {"GMT", 0}, {"UT", 0}, {"Z", 0}, {"WET", 0},
    {"WEST", 60}, {"CET", 60}, {"CEST", 120}, {"MET", 60}, {"MEST", 120},
    {"MEZ", 60}, {"MESZ", 120}, {"EET", 120}, {"EEST", 180}, {"MSK", 180},
    {"EST", -300}, {"EDT", -240}, {"CDT", -300}, {"MST", -420}, {"MDT", -360},
    {"PST", -480}, {"PDT", -420}, {"AKST", -540}, {"AKDT", -480}, {"HST", -600},
    {"JST", 540}, {"KST", 540}, {"HKT", 480}, {"SGT", 480}, {"AWST", 480},
    {"ACST", 570}, {"ACDT", 630}, {"AEST", 600}, {"AEDT", 660}, {"NZST", 720},
    {"NZDT", 780}};

static int
is_digit(unsigned c)
{
	return c >= '0' && c <= '9';
}

static int
is_upper(unsigned c)
{
	return c >= 'A' && c <= 'Z';
}

static int
is_alpha(unsigned c)
{
	return is_upper(c) || (c >= 'a' && c <= 'z');
}

static int
is_alnum(unsigned c)
{
	return is_alpha(c) || is_digit(c);
}

/* Not a space, not a control byte: what a TAG is made of. */
static int
is_graph(unsigned c)
{
	return c > ' ' && c != 0x7f;
}

static unsigned
to_lower(unsigned c)
{
	return is_upper(c) ? c + ('a' - 'A') : c;
}

static cur_t
skip_sp(cur_t p, cur_t e)
{
	while (p < e && *p == ' ')
		p++;
	return p;
}

/* Length of a valid UTF-8 sequence at P (at most N bytes), or 0. */
static size_t
utf8_len(cur_t p, size_t n)
{
	size_t len;
	unsigned cp;

	if ((p[0] & 0xe0) == 0xc0) {
		len = 2;
		cp = p[0] & 0x1f;
	} else if ((p[0] & 0xf0) == 0xe0) {
		len = 3;
		cp = p[0] & 0x0f;
	} else if ((p[0] & 0xf8) == 0xf0) {
		len = 4;
		cp = p[0] & 0x07;
	} else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/*
 * Append N bytes at P to the text field DST of CAP bytes holding *LEN:
 * control bytes become "#ooo", bytes outside valid UTF-8 become U+FFFD.
 * DST stays NUL-terminated. When it is full the text is cut at a character
 * boundary (SYSLOG_P_CUT) and -1 is returned.
 */
static int
put_text(
    struct syslog_msg *m, char *dst, size_t cap, size_t *len, cur_t p, size_t n)
{
	size_t o = *len, i = 0, k;

	while (i < n) {
		unsigned c = p[i];

		if (c >= 0x20 && c < 0x7f) {
			k = i + 1;
			/* eight bytes at a time while none is below 0x20 or
			 * 0x7f and above (a false alarm only stops early) */
			while (n - k >= 8) {
				uint64_t w;

				memcpy(&w, p + k, 8);
				if (((w - 0x2020202020202020ULL) |
				        (w + 0x0101010101010101ULL) | w) &
				    0x8080808080808080ULL)
					break;
				k += 8;
			}
			while (k < n && p[k] >= 0x20 && p[k] < 0x7f)
				k++;
			if (k - i > cap - 1 - o) {
				memcpy(dst + o, p + i, cap - 1 - o);
				o = cap - 1;
				goto cut;
			}
			memcpy(dst + o, p + i, k - i);
			o += k - i;
			i = k;
		} else if (c < 0x20 || c == 0x7f) {
			if (cap - 1 - o < 4)
				goto cut;
			dst[o++] = '#';
			dst[o++] = (char)('0' + (c >> 6));
			dst[o++] = (char)('0' + ((c >> 3) & 7));
			dst[o++] = (char)('0' + (c & 7));
			m->flags |= SYSLOG_F_ESCAPED;
			if (c == 0)
				m->problems |= SYSLOG_P_NUL;
			i++;
		} else if ((k = utf8_len(p + i, n - i)) == 0) {
			if (cap - 1 - o < 3)
				goto cut;
			memcpy(dst + o, "\xef\xbf\xbd", 3);
			o += 3;
			m->problems |= SYSLOG_P_UTF8;
			i++;
		} else {
			if (cap - 1 - o < k)
				goto cut;
			memcpy(dst + o, p + i, k);
			o += k;
			i += k;
		}
	}
	dst[o] = '\0';
	*len = o;
	return 0;
cut:
	dst[o] = '\0';
	*len = o;
	m->problems |= SYSLOG_P_CUT;
	return -1;
}

/* Set the text field DST (CAP bytes) to the N bytes at P. */
static void
set_field(struct syslog_msg *m, char *dst, size_t cap, cur_t p, size_t n)
{
	size_t len = 0;

	put_text(m, dst, cap, &len, p, n);
}

/* --- dates ---------------------------------------------------------- */

static int
is_leap(long long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(long long y, int mon)
{
	static const int d[12] = {
	    31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return mon == 2 && is_leap(y) ? 29 : d[mon - 1];
}

/* Days from 1970-01-01 to Y-M-D (proleptic Gregorian), any year. */
static long long
days_from_civil(long long y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The year (UTC) of T seconds since the epoch. */
static long long
year_of(double t)
{
	long long z, era, doe, yoe, y, doy, mp;

	if (!(t > -1e12 && t < 1e12)) /* NaN too */
		t = 0;
	z = (long long)(t / 86400);
	if ((double)z * 86400 > t)
		z--;
	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	return mp >= 10 ? y + 1 : y; /* January and February */
}

static double
ts_seconds(const struct tstamp *ts, long long year)
{
	long long s;

	s = days_from_civil(year, ts->mon, ts->day) * 86400 + ts->hour * 3600 +
	    ts->min * 60 + ts->sec;
	if (ts->has_tz)
		s -= (long long)ts->tz_off * 60;
	return (double)s + (double)ts->usec / 1e6;
}

/*
 * Make TS the message's time. Without a year, the year that puts it
 * closest to the reception time (a device's "Dec 31 23:59:59" received on
 * January 1st is last year's). A date that exists in none of those years
 * (Feb 29) is a bad timestamp.
 */
static void
set_time(struct syslog_msg *m, const struct tstamp *ts)
{
	long long ry;
	double t, bt = 0, d, bd = -1;

	if (ts->hour > 23 || ts->min > 59 || ts->sec > 60 || ts->day < 1 ||
	    ts->day > month_days(2000, ts->mon)) {
		m->problems |= SYSLOG_P_BADTIME;
		return;
	}
	if (ts->has_year) {
		if (ts->day > month_days(ts->year, ts->mon)) {
			m->problems |= SYSLOG_P_BADTIME;
			return;
		}
		bt = ts_seconds(ts, ts->year);
		m->flags |= SYSLOG_F_YEAR;
	} else {
		ry = year_of(m->received);
		for (long long y = ry - 1; y <= ry + 1; y++) {
			if (ts->day > month_days(y, ts->mon))
				continue;
			t = ts_seconds(ts, y);
			d = t > m->received ? t - m->received : m->received - t;
			if (bd < 0 || d < bd) {
				bd = d;
				bt = t;
			}
		}
		if (bd < 0) {
			m->problems |= SYSLOG_P_BADTIME;
			return;
		}
	}
	m->time = bt;
	m->time_digits = ts->digits;
	m->flags |= SYSLOG_F_TIME;
	if (ts->unsync)
		m->flags |= SYSLOG_F_UNSYNC;
	if (ts->has_tz) {
		m->flags |= SYSLOG_F_TZ;
		m->tz_offset = ts->tz_off;
	}
	if (ts->tzlen > 0)
		set_field(m, m->tz, sizeof(m->tz), ts->tz, ts->tzlen);
}

/* N digits (exactly) at P as a number in *OUT. */
static cur_t
digits(cur_t p, cur_t e, int n, int *out)
{
	int v = 0;

	if (e - p < n)
		return NULL;
	for (int i = 0; i < n; i++) {
		if (!is_digit(p[i]))
			return NULL;
		v = v * 10 + (p[i] - '0');
	}
	*out = v;
	return p + n;
}

/* A fraction of a second after '.': microseconds, truncated. */
static cur_t
fraction(cur_t p, cur_t e, struct tstamp *ts)
{
	long scale = 100000;

	if (p >= e || *p != '.' || p + 1 >= e || !is_digit(p[1]))
		return p;
	for (p++; p < e && is_digit(*p); p++) {
		if (ts->digits < 6) {
			ts->usec += (*p - '0') * scale;
			scale /= 10;
			ts->digits++;
		}
	}
	return p;
}

/* "+hh:mm", "-hhmm", "Z" at P: the offset, or NULL. */
static cur_t
numeric_zone(cur_t p, cur_t e, struct tstamp *ts)
{
	int sign, hh, mm;
	cur_t q;

	if (p < e && (*p == 'Z' || *p == 'z')) {
		ts->has_tz = 1;
		ts->tz_off = 0;
		ts->tz = p;
		ts->tzlen = 1;
		return p + 1;
	}
	if (p >= e || (*p != '+' && *p != '-'))
		return NULL;
	sign = *p == '-' ? -1 : 1;
	if ((q = digits(p + 1, e, 2, &hh)) == NULL)
		return NULL;
	if (q < e && *q == ':')
		q++;
	if ((q = digits(q, e, 2, &mm)) == NULL || hh > 23 || mm > 59)
		return NULL;
	ts->has_tz = 1;
	ts->tz_off = sign * (hh * 60 + mm);
	ts->tz = p;
	ts->tzlen = (size_t)(q - p);
	return q;
}

/* RFC 3339: 2003-10-11T22:14:15.003Z; the zone may be missing. */
static cur_t
parse_3339(cur_t p, cur_t e, struct tstamp *ts)
{
	cur_t q, z;

	memset(ts, 0, sizeof(*ts));
	if ((q = digits(p, e, 4, &ts->year)) == NULL || q >= e || *q != '-' ||
	    (q = digits(q + 1, e, 2, &ts->mon)) == NULL || q >= e ||
	    *q != '-' || (q = digits(q + 1, e, 2, &ts->day)) == NULL ||
	    q >= e || (*q != 'T' && *q != 't') ||
	    (q = digits(q + 1, e, 2, &ts->hour)) == NULL || q >= e ||
	    *q != ':' || (q = digits(q + 1, e, 2, &ts->min)) == NULL ||
	    q >= e || *q != ':' || (q = digits(q + 1, e, 2, &ts->sec)) == NULL)
		return NULL;
	if (ts->mon < 1 || ts->mon > 12)
		return NULL;
	ts->has_year = 1;
	q = fraction(q, e, ts);
	if ((z = numeric_zone(q, e, ts)) != NULL)
		q = z;
	return q;
}

/* Month name at P: 1..12, or 0. Any case ("AUG"). */
static int
month_at(cur_t p, cur_t e)
{
	static const char names[] = "janfebmaraprmayjunjulaugsepoctnovdec";

	if (e - p < 3 || (e - p > 3 && is_alpha(p[3])))
		return 0;
	for (int i = 0; i < 12; i++)
		if (to_lower(p[0]) == (unsigned char)names[3 * i] &&
		    to_lower(p[1]) == (unsigned char)names[3 * i + 1] &&
		    to_lower(p[2]) == (unsigned char)names[3 * i + 2])
			return i + 1;
	return 0;
}

/*
 * A zone name or offset after the time: " UTC", " MEST", " +02:00". A name
 * not in the table counts only in Cisco's form, upper case and followed by
 * ':' ("00:01:02.345 MYZONE:"), so that a hostname is not taken for one.
 */
static cur_t
zone_after(cur_t p, cur_t e, int cisco_form, struct tstamp *ts)
{
	cur_t q, z;
	size_t n;
	int upper = 1;

	if (p + 1 >= e || *p != ' ')
		return p;
	q = p + 1;
	if ((*q == '+' || *q == '-') && (z = numeric_zone(q, e, ts)) != NULL &&
	    (z == e || *z == ' ' || *z == ':'))
		return z;
	for (z = q; z < e && is_alpha(*z) && z - q <= 6; z++)
		upper &= is_upper(*z);
	n = (size_t)(z - q);
	if (n < 1 || n > 6 || (z < e && *z != ' ' && *z != ':'))
		return p;
	for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++) {
		size_t k;

		if (strlen(zones[i].name) != n)
			continue;
		for (k = 0; k < n; k++)
			if (to_lower(q[k]) != to_lower(zones[i].name[k]))
				break;
		if (k == n) {
			ts->has_tz = 1;
			ts->tz_off = zones[i].off;
			ts->tz = q;
			ts->tzlen = n;
			return z;
		}
	}
	if (upper && n >= 2 && cisco_form && z < e && *z == ':') {
		ts->tz = q;
		ts->tzlen = n;
		return z;
	}
	return p;
}

/*
 * The BSD timestamp and its variants: "Oct 11 22:14:15", "Mar  7 2008
 * 19:06:53", "*Mar  1 00:01:02.345 UTC", NX-OS "2018 Apr 20 13:15:07",
 * upper-case months, zero-padded days. It must end the token: a space, a
 * ':' or the end follows; one ':' (or Cisco IOS-XR's " :") is taken.
 */
static cur_t
parse_bsd(cur_t p, cur_t e, int cisco, struct tstamp *ts)
{
	cur_t q = p;
	int y;

	memset(ts, 0, sizeof(*ts));
	if (q < e && (*q == '*' || *q == '.')) {
		ts->unsync = 1;
		q++;
	}
	if ((p = digits(q, e, 4, &y)) != NULL && p < e && *p == ' ') {
		ts->year = y;
		ts->has_year = 1;
		q = p + 1;
	}
	if ((ts->mon = month_at(q, e)) == 0)
		return NULL;
	q += 3;
	if (q >= e || *q != ' ')
		return NULL;
	q = skip_sp(q, e);
	if (q < e && is_digit(*q) && q + 1 < e && is_digit(q[1]))
		p = digits(q, e, 2, &ts->day);
	else
		p = digits(q, e, 1, &ts->day);
	if (p == NULL || p >= e || *p != ' ')
		return NULL;
	q = p + 1;
	if (!ts->has_year && (p = digits(q, e, 4, &y)) != NULL && p < e &&
	    *p == ' ') {
		ts->year = y;
		ts->has_year = 1;
		q = p + 1;
	}
	if ((q = digits(q, e, 2, &ts->hour)) == NULL || q >= e || *q != ':' ||
	    (q = digits(q + 1, e, 2, &ts->min)) == NULL || q >= e ||
	    *q != ':' || (q = digits(q + 1, e, 2, &ts->sec)) == NULL)
		return NULL;
	q = fraction(q, e, ts);
	q = zone_after(
	    q, e, cisco || ts->unsync || ts->digits > 0 || ts->has_year, ts);
	if (q < e && *q == ':')
		q++;
	else if (e - q >= 2 && q[0] == ' ' && q[1] == ':' &&
	    (e - q == 2 || q[2] == ' '))
		q += 2;
	if (q < e && *q != ' ')
		return NULL;
	return q;
}

/* A timestamp of either family at P, ending a token. */
static cur_t
parse_time(cur_t p, cur_t e, int cisco, struct tstamp *ts)
{
	cur_t q;

	if ((q = parse_3339(p, e, ts)) != NULL && (q == e || *q == ' '))
		return q;
	return parse_bsd(p, e, cisco, ts);
}

/* Cisco's uptime stamps instead of a date: "1w2d:", "2d03h:", "00:01:23:". */
static cur_t
parse_uptime(cur_t p, cur_t e)
{
	cur_t q = p;
	int v;

	if ((q = digits(p, e, 2, &v)) != NULL && q < e && *q == ':' &&
	    (q = digits(q + 1, e, 2, &v)) != NULL && q < e && *q == ':' &&
	    (q = digits(q + 1, e, 2, &v)) != NULL && q < e && *q == ':')
		return q + 1;
	q = p;
	for (int part = 0; part < 2; part++) {
		cur_t d = q;

		while (q < e && is_digit(*q) && q - d < 4)
			q++;
		if (q == d || q >= e || !is_alpha(*q))
			return NULL;
		q++;
	}
	if (q < e && *q == ':')
		return q + 1;
	return NULL;
}

/* --- hosts and tags --------------------------------------------------- */

static int
host_char(unsigned c)
{
	return is_alnum(c) || c == '.' || c == '-' || c == '_' || c == '/' ||
	    c == '@' || c == ':' || c == '[' || c == ']';
}

static int
is_ipv6(cur_t p, size_t n)
{
	char buf[48];
	unsigned char addr[16];

	if (n >= 2 && p[0] == '[' && p[n - 1] == ']') {
		p++;
		n -= 2;
	}
	if (n < 2 || n >= sizeof(buf))
		return 0;
	for (size_t i = 0; i < n; i++) /* inet_pton only for likely ones */
		if (!is_digit(p[i]) &&
		    !(to_lower(p[i]) >= 'a' && to_lower(p[i]) <= 'f') &&
		    p[i] != ':' && p[i] != '.')
			return 0;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return inet_pton(AF_INET6, buf, addr) == 1;
}

/*
 * Length of a hostname at P that STOP (a space, or ':' in Cisco's "host:")
 * or the end follows, or 0: letters, digits, ". - _ / @", ending in a letter
 * or digit; or an IPv6 address, bare or in brackets.
 */
static size_t
host_len(cur_t p, cur_t e, unsigned stop)
{
	cur_t q = p;
	int special = 0;

	while (q < e && host_char(*q) && !(*q == stop && stop == ':')) {
		special |= *q == ':' || *q == '[' || *q == ']';
		q++;
	}
	if (q == p || q - p >= SYSLOG_HOST_MAX || (q < e && *q != stop))
		return 0;
	if (special)
		return is_ipv6(p, (size_t)(q - p)) ? (size_t)(q - p) : 0;
	return is_alnum(q[-1]) ? (size_t)(q - p) : 0;
}

static void
set_host(struct syslog_msg *m, cur_t p, size_t n)
{
	if (m->host[0] != '\0')
		return;
	set_field(m, m->host, sizeof(m->host), p, n);
	m->flags |= SYSLOG_F_HOST;
}

/*
 * Length of a Cisco mnemonic at P ("%LINK-3-UPDOWN:", "%ROUTING-BGP-5-
 * MAXPFX :"), its colon included, or 0. When M is given its fields are
 * set. At least FACILITY-SEVERITY-NAME; the severity is one digit 0-7.
 */
static size_t
mnemonic_len(struct syslog_msg *m, cur_t p, cur_t e)
{
	cur_t q = p + 1, seg[8], sev, end;
	int n = 0;

	if (p >= e || *p != '%')
		return 0;
	for (;;) {
		cur_t s = q;

		while (q < e && (is_alnum(*q) || *q == '_'))
			q++;
		if (q == s || n == 8)
			return 0;
		seg[n++] = s;
		if (q < e && *q == '-' && q + 1 < e) {
			q++;
			continue;
		}
		break;
	}
	if (n < 3)
		return 0;
	sev = seg[n - 2];
	if (seg[n - 1] - sev != 2 || *sev < '0' || *sev > '7')
		return 0;
	end = q;
	if (q < e && *q == ':')
		q++;
	else if (e - q >= 2 && q[0] == ' ' && q[1] == ':')
		q += 2;
	else
		return 0;
	if (end - (p + 1) >= SYSLOG_MN_MAX)
		return 0;
	if (m != NULL) {
		set_field(m, m->mn.code, SYSLOG_MN_MAX, p + 1,
		    (size_t)(end - (p + 1)));
		set_field(m, m->mn.facility, SYSLOG_MN_MAX, p + 1,
		    (size_t)(sev - 1 - (p + 1)));
		set_field(m, m->mn.name, SYSLOG_MN_MAX, seg[n - 1],
		    (size_t)(end - seg[n - 1]));
		m->mn.severity = *sev - '0';
	}
	return (size_t)(q - p);
}

/* Length of a Junos tag word at P ("UI_COMMIT"), or 0: upper case words
 * of letters and digits joined by single '_', at least two words. */
static size_t
tag_word_len(cur_t p, cur_t e)
{
	cur_t q = p;
	int under = 0;

	if (q >= e || !is_upper(*q))
		return 0;
	while (q < e && (is_upper(*q) || is_digit(*q) || *q == '_')) {
		if (*q == '_') {
			if (q[-1] == '_')
				return 0;
			under = 1;
		}
		q++;
	}
	if (!under || q[-1] == '_' || q - p >= SYSLOG_TAG_MAX)
		return 0;
	return (size_t)(q - p);
}

/* Length of a Junos tag at P followed by ':' ("UI_COMMIT: ..."), or 0. */
static size_t
junos_tag_len(cur_t p, cur_t e)
{
	size_t n = tag_word_len(p, e);

	return n > 0 && p + n < e && p[n] == ':' ? n : 0;
}

/* Whether P starts "name:" or "name[pid]:" then a space or the end. */
static int
tag_shaped(cur_t p, cur_t e)
{
	cur_t q = p;

	if (q >= e || *q == '%')
		return 0;
	while (q < e && is_graph(*q) && *q != ':' && *q != '[')
		q++;
	if (q == p || q - p >= SYSLOG_APP_MAX)
		return 0;
	if (q < e && *q == '[') {
		cur_t b = ++q;

		while (q < e && is_graph(*q) && *q != ']')
			q++;
		if (q == b || q >= e || *q != ']')
			return 0;
		q++;
	}
	return q < e && *q == ':' && (q + 1 == e || q[1] == ' ');
}

/* The TAG token from P to E: "name", "name[pid]"; sets app and procid. */
static void
set_tag(struct syslog_msg *m, cur_t p, cur_t e)
{
	cur_t b = NULL;

	if (e > p && e[-1] == ']')
		for (cur_t q = p; q < e - 1; q++)
			if (*q == '[') {
				b = q;
				break;
			}
	if (b != NULL && b > p) {
		set_field(m, m->app, sizeof(m->app), p, (size_t)(b - p));
		set_field(m, m->procid, sizeof(m->procid), b + 1,
		    (size_t)(e - 1 - (b + 1)));
	} else
		set_field(m, m->app, sizeof(m->app), p, (size_t)(e - p));
}

/* The message text: from P to E, without the one space that separates
 * it from the TAG when SEP. */
static void
set_msg(struct syslog_msg *m, cur_t p, cur_t e, int sep)
{
	if (sep && p < e && *p == ' ')
		p++;
	m->msg_len = 0;
	put_text(m, m->msg, sizeof(m->msg), &m->msg_len, p, (size_t)(e - p));
}

/* --- the BSD family ---------------------------------------------------- */

/*
 * Whether what follows "name: " at P makes the name Cisco's hostname: a
 * timestamp, or after a sequence number (MN), a mnemonic. ("Ebra: %LINE..."
 * is Arista's TAG.)
 */
static int
cisco_after_host(cur_t p, cur_t e, int mn)
{
	struct tstamp ts;

	return (mn && mnemonic_len(NULL, p, e) > 0) ||
	    parse_time(p, e, 1, &ts) != NULL || parse_uptime(p, e) != NULL;
}

/* An IOS-XR node at P: "RP/0/RSP0/CPU0:"; returns its length, ':' not
 * included, or 0. */
static size_t
xr_node_len(cur_t p, cur_t e)
{
	cur_t q = p;
	int slashes = 0;

	while (q < e && (is_alnum(*q) || *q == '/' || *q == '_')) {
		slashes += *q == '/';
		q++;
	}
	if (slashes < 2 || q >= e || *q != ':' || q - p >= SYSLOG_NODE_MAX ||
	    !is_alpha(*p))
		return 0;
	return (size_t)(q - p);
}

/*
 * Cisco's prefix before the timestamp: the message counter "521: ", the
 * sequence number "000045: ", "host: " (logging origin-id), NX-OS's empty
 * ": ", IOS-XR's "host RP/0/RSP0/CPU0:". Sets st->cisco when one was seen.
 */
static cur_t
cisco_prefix(struct pstate *st, cur_t p, cur_t e)
{
	struct syslog_msg *m = st->m;
	cur_t q;
	size_t n, k;

	for (int i = 0; i < 4 && p < e; i++) {
		if (*p == ':' && (p + 1 == e || p[1] == ' ')) {
			p = skip_sp(p + 1, e);
			continue;
		}
		for (q = p; q < e && is_digit(*q) && q - p < 18; q++)
			;
		if (q > p && q < e && *q == ':' &&
		    (q + 1 == e || q[1] == ' ')) {
			if (m->seq < 0) {
				m->seq = 0;
				for (cur_t d = p; d < q; d++)
					m->seq = m->seq * 10 + (*d - '0');
			}
			st->cisco = 1;
			p = skip_sp(q + 1, e);
			continue;
		}
		if (st->cisco && parse_uptime(p, e) != NULL)
			break;
		if ((n = host_len(p, e, ':')) > 0 && p + n + 1 < e &&
		    p[n + 1] == ' ' &&
		    cisco_after_host(skip_sp(p + n + 1, e), e, st->cisco)) {
			set_host(m, p, n);
			st->cisco = 1;
			p = skip_sp(p + n + 1, e);
			continue;
		}
		if (st->cisco && (n = host_len(p, e, ' ')) > 0 && p + n < e &&
		    (k = xr_node_len(p + n + 1, e)) > 0) {
			set_host(m, p, n);
			set_field(m, m->node, sizeof(m->node), p + n + 1, k);
			p += n + 1 + k + 1;
			continue;
		}
		break;
	}
	return p;
}

/*
 * What follows a Cisco header: IOS-XR's "process[pid]: ", a hostname
 * before a mnemonic, then the text.
 */
static void
cisco_rest(struct pstate *st, cur_t p, cur_t e)
{
	struct syslog_msg *m = st->m;
	cur_t q;
	size_t n;

	p = skip_sp(p, e);
	if (m->host[0] == '\0' && (n = host_len(p, e, ' ')) > 0 &&
	    p + n + 1 < e && p[n + 1] == '%' &&
	    mnemonic_len(NULL, p + n + 1, e) > 0) {
		set_host(m, p, n);
		p += n + 1;
	}
	if (tag_shaped(p, e)) {
		for (q = p; *q != ':'; q++)
			;
		if (q[-1] == ']') {
			set_tag(m, p, q);
			m->flags |= SYSLOG_F_TAG_COLON;
			p = q + 1;
		}
	}
	set_msg(m, p, e, 1);
}

/*
 * The TAG after the hostname (rsyslog's rule: up to ':' or a space; the
 * ':' belongs to it), or what stands in its place: a Cisco mnemonic,
 * ASA's lone ':', a relayed Cisco message ("521: *Mar  1 ...: %...").
 */
static void
tag_or_cisco(struct pstate *st, cur_t p, cur_t e)
{
	struct syslog_msg *m = st->m;
	struct tstamp ts;
	cur_t q;

	if (p >= e || *p == '%') {
		set_msg(m, p, e, 0);
		return;
	}
	q = cisco_prefix(st, p, e);
	if (!st->cisco && parse_time(p, e, 1, &ts) != NULL) {
		st->cisco = 1;
		q = p;
	}
	if (st->cisco) {
		/* a Cisco message relayed: its own stamp after the relay's,
		 * used only when the relay gave none */
		cur_t t;

		if ((t = parse_time(q, e, 1, &ts)) != NULL) {
			if (!(m->flags & SYSLOG_F_TIME))
				set_time(m, &ts);
			q = t;
		} else if ((t = parse_uptime(q, e)) != NULL)
			q = t;
		cisco_rest(st, q, e);
		return;
	}
	if (*p == ':') {
		set_msg(m, p + 1, e, 1);
		return;
	}
	for (q = p; q < e && is_graph(*q) && *q != ':'; q++)
		;
	set_tag(m, p, q);
	if (q < e && *q == ':') {
		m->flags |= SYSLOG_F_TAG_COLON;
		q++;
	}
	set_msg(m, q, e, 1);
}

static void
parse_bsd_family(struct pstate *st, cur_t p, cur_t e)
{
	struct syslog_msg *m = st->m;
	struct tstamp ts;
	cur_t q;
	size_t n;
	int stamped = 0;

	p = skip_sp(p, e);
	p = cisco_prefix(st, p, e);
	if ((q = parse_time(p, e, st->cisco, &ts)) != NULL) {
		set_time(m, &ts);
		stamped = 1;
		p = q;
	} else if (st->cisco && (q = parse_uptime(p, e)) != NULL) {
		m->flags |= SYSLOG_F_UPTIME;
		p = q;
	}
	if (st->cisco) {
		cisco_rest(st, p, e);
		return;
	}
	p = skip_sp(p, e);
	if (stamped) {
		if ((n = host_len(p, e, ' ')) > 0) {
			set_host(m, p, n);
			p += n;
			if (p < e)
				p++;
		}
		tag_or_cisco(st, p, e);
		return;
	}
	/* No timestamp: a hostname only when a TAG or mnemonic follows. */
	if ((n = host_len(p, e, ' ')) > 0 && p + n + 1 < e &&
	    (tag_shaped(p + n + 1, e) || mnemonic_len(NULL, p + n + 1, e))) {
		set_host(m, p, n);
		p += n + 1;
	}
	if (tag_shaped(p, e))
		tag_or_cisco(st, p, e);
	else
		set_msg(m, p, e, 0);
}

/* --- RFC 5424 ------------------------------------------------------------ */

/* The next header field: bytes up to a space. */
static cur_t
field_end(cur_t p, cur_t e)
{
	while (p < e && *p != ' ')
		p++;
	return p;
}

static int
sd_name_char(unsigned c)
{
	return is_graph(c) && c < 0x80 && c != '=' && c != ']' && c != '"';
}

/* Add a string to the structured data pool; returns its offset. */
static uint16_t
pool_add(struct pstate *st, cur_t p, size_t n)
{
	size_t off = st->pool;

	put_text(st->m, st->m->sd_pool, SYSLOG_SD_POOL, &st->pool, p, n);
	if (st->pool < SYSLOG_SD_POOL - 1)
		st->pool++;
	return (uint16_t)off;
}

static void
sd_add(struct pstate *st, uint16_t id, uint16_t name, uint16_t value)
{
	struct syslog_msg *m = st->m;

	if (m->nsd == SYSLOG_SD_PARAMS) {
		m->problems |= SYSLOG_P_CUT;
		return;
	}
	m->sdp[m->nsd].id = id;
	m->sdp[m->nsd].name = name;
	m->sdp[m->nsd].value = value;
	m->nsd++;
}

/* A PARAM-VALUE from P (after the opening quote) into the pool, with
 * \" \\ \] unescaped; returns the position of the closing quote. */
static cur_t
sd_value(struct pstate *st, cur_t p, cur_t e, uint16_t *off)
{
	cur_t run = p;

	*off = (uint16_t)st->pool;
	while (p < e && *p != '"') {
		if (*p == '\\' && p + 1 < e &&
		    (p[1] == '"' || p[1] == '\\' || p[1] == ']')) {
			put_text(st->m, st->m->sd_pool, SYSLOG_SD_POOL,
			    &st->pool, run, (size_t)(p - run));
			run = p + 1;
			p += 2;
		} else
			p++;
	}
	put_text(st->m, st->m->sd_pool, SYSLOG_SD_POOL, &st->pool, run,
	    (size_t)(p - run));
	if (st->pool < SYSLOG_SD_POOL - 1)
		st->pool++;
	return p < e ? p : NULL;
}

/*
 * One SD-ELEMENT at P ('['): "[id name="value" ...]". Returns the position
 * after its ']', or NULL when it is malformed. Spaces around '=' are
 * accepted but make the message SYSLOG_P_BADSD.
 */
static cur_t
sd_element(struct pstate *st, cur_t p, cur_t e)
{
	cur_t q;
	uint16_t id, name, value;
	int params = 0;

	for (q = ++p; q < e && sd_name_char(*q); q++)
		;
	if (q == p || q - p > 32)
		return NULL;
	id = pool_add(st, p, (size_t)(q - p));
	p = q;
	for (;;) {
		if (p < e && *p == ']') {
			if (params == 0)
				sd_add(st, id, pool_add(st, p, 0),
				    pool_add(st, p, 0));
			return p + 1;
		}
		if (p >= e || *p != ' ')
			return NULL;
		p = skip_sp(p, e);
		for (q = p; q < e && sd_name_char(*q); q++)
			;
		if (q == p || q - p > 32)
			return NULL;
		name = pool_add(st, p, (size_t)(q - p));
		p = q;
		if (p < e && *p == ' ') {
			st->m->problems |= SYSLOG_P_BADSD;
			p = skip_sp(p, e);
		}
		if (p >= e || *p != '=')
			return NULL;
		p++;
		if (p < e && *p == ' ') {
			st->m->problems |= SYSLOG_P_BADSD;
			p = skip_sp(p, e);
		}
		if (p >= e || *p != '"')
			return NULL;
		if ((p = sd_value(st, p + 1, e, &value)) == NULL)
			return NULL;
		sd_add(st, id, name, value);
		params++;
		p++;
	}
}

/*
 * STRUCTURED-DATA at P: "-" or SD-ELEMENTs. After a malformed element the
 * structured data ends, as in rsyslog, at the next ']' followed by a space
 * (or at the end). Returns where the MSG part starts (its space included).
 */
static cur_t
parse_sd(struct pstate *st, cur_t p, cur_t e)
{
	struct syslog_msg *m = st->m;
	cur_t start = p, q;
	size_t len = 0;

	if (*p == '-' && (p + 1 == e || p[1] == ' '))
		return p + 1;
	if (*p != '[') {
		m->problems |= SYSLOG_P_BADSD;
		return p;
	}
	while (p < e && *p == '[') {
		if ((q = sd_element(st, p, e)) == NULL) {
			m->problems |= SYSLOG_P_BADSD;
			for (q = p; q < e; q++) {
				if (*q == '\\' && q + 1 < e)
					q++;
				else if (*q == ']' &&
				    (q + 1 == e || q[1] == ' '))
					break;
			}
			p = q < e ? q + 1 : e;
			break;
		}
		p = q;
	}
	if (p < e && *p != ' ')
		m->problems |= SYSLOG_P_BADSD;
	put_text(m, m->sd, sizeof(m->sd), &len, start, (size_t)(p - start));
	return p;
}

/* "<PRI>VERSION SP": whether the RFC 5424 header starts at P. */
static int
is_5424(cur_t p, cur_t e)
{
	cur_t q = p;

	if (q >= e || *q < '1' || *q > '9')
		return 0;
	while (q < e && is_digit(*q) && q - p < 3)
		q++;
	if (q >= e || *q != ' ')
		return 0;
	q++;
	if (q < e && *q == '-')
		return q + 1 == e || q[1] == ' ';
	return e - q >= 5 && is_digit(q[0]) && is_digit(q[1]) &&
	    is_digit(q[2]) && is_digit(q[3]) && q[4] == '-';
}

static void
parse_5424(struct pstate *st, cur_t p, cur_t e)
{
	struct syslog_msg *m = st->m;
	struct tstamp ts;
	static const size_t off[4] = {offsetof(struct syslog_msg, host),
	    offsetof(struct syslog_msg, app),
	    offsetof(struct syslog_msg, procid),
	    offsetof(struct syslog_msg, msgid)};
	static const size_t cap[4] = {SYSLOG_HOST_MAX, SYSLOG_APP_MAX,
	    SYSLOG_PROCID_MAX, SYSLOG_MSGID_MAX};
	cur_t q;

	m->flags |= SYSLOG_F_RFC5424;
	for (m->version = 0; is_digit(*p); p++)
		m->version = m->version * 10 + (*p - '0');
	if (m->version != 1)
		m->problems |= SYSLOG_P_VERSION;
	p++;
	q = field_end(p, e);
	if (!(q - p == 1 && *p == '-')) {
		if (parse_3339(p, q, &ts) == q)
			set_time(m, &ts);
		else
			m->problems |= SYSLOG_P_BADTIME;
	}
	p = q;
	for (int i = 0; i < 4; i++) {
		if (p >= e || p + 1 >= e) {
			m->problems |= SYSLOG_P_SHORT;
			return;
		}
		p++;
		q = field_end(p, e);
		if (!(q - p == 1 && *p == '-'))
			set_field(
			    m, (char *)m + off[i], cap[i], p, (size_t)(q - p));
		p = q;
	}
	if (m->host[0] != '\0')
		m->flags |= SYSLOG_F_HOST;
	if (p + 1 >= e) {
		m->problems |= SYSLOG_P_SHORT;
		return;
	}
	p = parse_sd(st, p + 1, e);
	if (p < e && *p == ' ')
		p++;
	if (e - p >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) {
		m->flags |= SYSLOG_F_BOM;
		p += 3;
	}
	set_msg(m, p, e, 0);
}

/* --- the message --------------------------------------------------------- */

/* Vendor fields from the text: a Cisco mnemonic or a Junos tag at its
 * start; in RFC 5424, a Junos tag is the MSGID of Juniper's SD-IDs. */
static void
vendor_fields(struct syslog_msg *m)
{
	cur_t s = (cur_t)m->msg, e = s + m->msg_len, p = skip_sp(s, e);
	size_t n;

	if ((n = mnemonic_len(m, p, e)) > 0)
		p += n;
	else if ((n = junos_tag_len(p, e)) > 0) {
		memcpy(m->tag, p, n);
		m->tag[n] = '\0';
		p += n + 1;
	} else if ((n = strlen(m->msgid)) > 0 &&
	    tag_word_len((cur_t)m->msgid, (cur_t)m->msgid + n) == n) {
		for (int i = 0; i < m->nsd; i++)
			if (strstr(syslog_sd_str(m, m->sdp[i].id), "@2636")) {
				memcpy(m->tag, m->msgid, n + 1);
				break;
			}
	}
	m->text_off = (size_t)(skip_sp(p, e) - s);
}

static void
msg_init(struct syslog_msg *m, double received, size_t len)
{
	m->received = received;
	m->len = len;
	m->raw_len = 0;
	m->flags = 0;
	m->problems = 0;
	m->problem = NULL;
	m->facility = 1;
	m->severity = 5;
	m->pri = 13;
	m->version = 0;
	m->time = received;
	m->time_digits = 0;
	m->tz_offset = 0;
	m->tz[0] = m->host[0] = m->app[0] = m->procid[0] = m->msgid[0] = '\0';
	m->sd[0] = m->sd_pool[0] = '\0';
	m->nsd = 0;
	m->seq = -1;
	m->node[0] = m->mn.code[0] = m->mn.facility[0] = m->mn.name[0] = '\0';
	m->mn.severity = -1;
	m->tag[0] = '\0';
	m->msg_len = m->text_off = 0;
	m->msg[0] = '\0';
}

int
syslog_parse(const char *buf, size_t len, double received, struct syslog_msg *m)
{
	struct pstate st = {m, 0, 0};
	cur_t s = (cur_t)buf, p, e;
	size_t n = len > SYSLOG_MAX_LEN ? SYSLOG_MAX_LEN : len;

	msg_init(m, received, len);
	if (buf == NULL)
		n = 0;
	if (len > SYSLOG_MAX_LEN)
		m->problems |= SYSLOG_P_TOOLONG;
	if (n > 0)
		memcpy(m->raw, buf, n);
	m->raw_len = n;
	e = s + n;
	while (e > s && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == '\0'))
		e--;
	p = s;
	if (skip_sp(p, e) == e) {
		m->problems |= SYSLOG_P_EMPTY | SYSLOG_P_NOPRI;
		goto done;
	}

	/* PRI: "<" 1-3 digits ">", at most 191. */
	if (*p == '<') {
		cur_t q = p + 1;
		int v = 0;

		while (q < e && is_digit(*q) && q - p <= 3)
			v = v * 10 + (*q++ - '0');
		if (q > p + 1 && q < e && *q == '>' && q - p <= 4) {
			if (v <= 191) {
				m->pri = v;
				m->facility = v >> 3;
				m->severity = v & 7;
				m->flags |= SYSLOG_F_PRI;
			} else
				m->problems |= SYSLOG_P_BADPRI;
			p = q + 1;
		} else
			m->problems |= SYSLOG_P_NOPRI;
	} else
		m->problems |= SYSLOG_P_NOPRI;

	if (is_5424(p, e))
		parse_5424(&st, p, e);
	else
		parse_bsd_family(&st, p, e);
	vendor_fields(m);
done:
	if (!(m->flags &
	        (SYSLOG_F_PRI | SYSLOG_F_TIME | SYSLOG_F_RFC5424 |
	            SYSLOG_F_UPTIME)) &&
	    !(m->problems & (SYSLOG_P_BADPRI | SYSLOG_P_BADTIME)) && !st.cisco)
		m->problems |= SYSLOG_P_NOTSYSLOG;
	for (int i = 0; i < SYSLOG_P_COUNT; i++)
		if (m->problems & problem_order[i]) {
			m->problem = syslog_problem_str(problem_order[i]);
			break;
		}
	return (m->problems & SYSLOG_P_NOTSYSLOG) ? 1 : 0;
}

const char *
syslog_sd_get(const struct syslog_msg *m, const char *id, const char *name)
{
	for (int i = 0; i < m->nsd; i++)
		if (strcmp(syslog_sd_str(m, m->sdp[i].id), id) == 0 &&
		    strcmp(syslog_sd_str(m, m->sdp[i].name), name) == 0)
			return syslog_sd_str(m, m->sdp[i].value);
	return NULL;
}

const char *
syslog_problem_str(unsigned bit)
{
	for (int i = 0; i < SYSLOG_P_COUNT; i++)
		if (bit == 1u << i)
			return problem_str[i];
	return NULL;
}

const char *
syslog_facility_name(int f)
{
	return f >= 0 && f < 24 ? fac_names[f] : "?";
}

const char *
syslog_severity_name(int s)
{
	return s >= 0 && s < 8 ? sev_names[s] : "?";
}
