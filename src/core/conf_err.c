/*
 * conf_err.c - the parser's error messages (file:line, gathered in the
 * caller's buffer) and its numbers, beside parse.y (which keeps the
 * grammar, the keyword table and the lexer).
 */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "conf_int.h"

void
conf_verr(struct parse *p, struct loc at, const char *fmt, va_list ap)
{
	char	 msg[512];
	size_t	 room;
	int	 n;

	p->errors++;
	if (p->errbuf == NULL || p->errlen == 0)
		return;
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	room = p->errlen - p->errused;
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
	else if (p->errused > 0)
		/* Keep the earlier errors whole rather than cut this one. */
		p->errbuf[p->errused] = '\0';
	else
		p->errused = p->errlen - 1;
}

void
perr(struct parse *p, struct loc at, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	conf_verr(p, at, fmt, ap);
	va_end(ap);
}

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

