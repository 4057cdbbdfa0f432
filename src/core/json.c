/*
 * json.c - JSON writer (see json.h). Strings are escaped per RFC 8259;
 * bytes that are not valid UTF-8 are replaced with U+FFFD so that the
 * output is always valid JSON, whatever an agent sent.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

void
jbuf_init(struct jbuf *b)
{
	memset(b, 0, sizeof(*b));
}

void
jbuf_free(struct jbuf *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}

static void
jbuf_put(struct jbuf *b, const char *p, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *s;

		while (cap < b->len + n + 1)
			cap *= 2;
		if ((s = realloc(b->s, cap)) == NULL) {
			b->failed = 1;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
jbuf_raw(struct jbuf *b, const char *s)
{
	jbuf_put(b, s, strlen(s));
}

static void
json_sep(struct jbuf *b)
{
	if (b->need_comma)
		jbuf_put(b, ",", 1);
	b->need_comma = 1;
}

void
json_obj_open(struct jbuf *b)
{
	json_sep(b);
	jbuf_put(b, "{", 1);
	b->need_comma = 0;
}

void
json_obj_close(struct jbuf *b)
{
	jbuf_put(b, "}", 1);
	b->need_comma = 1;
}

void
json_arr_open(struct jbuf *b)
{
	json_sep(b);
	jbuf_put(b, "[", 1);
	b->need_comma = 0;
}

void
json_arr_close(struct jbuf *b)
{
	jbuf_put(b, "]", 1);
	b->need_comma = 1;
}

/* Length of a valid UTF-8 sequence at P (at most N bytes), or 0. */
size_t
json_utf8_len(const unsigned char *p, size_t n)
{
	size_t len;
	unsigned cp;

	if (p[0] < 0x80)
		return 1;
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

void
json_strn(struct jbuf *b, const char *v, size_t n)
{
	const unsigned char *p = (const unsigned char *)v;
	char esc[8];
	size_t i = 0, run;

	json_sep(b);
	jbuf_put(b, "\"", 1);
	while (i < n) {
		if (p[i] == '"' || p[i] == '\\') {
			esc[0] = '\\';
			esc[1] = (char)p[i];
			jbuf_put(b, esc, 2);
			i++;
		} else if (p[i] < 0x20) {
			switch (p[i]) {
			case '\n': jbuf_put(b, "\\n", 2); break;
			case '\r': jbuf_put(b, "\\r", 2); break;
			case '\t': jbuf_put(b, "\\t", 2); break;
			default:
				snprintf(esc, sizeof(esc), "\\u%04x", p[i]);
				jbuf_put(b, esc, 6);
			}
			i++;
		} else if ((run = json_utf8_len(p + i, n - i)) == 0) {
			jbuf_put(b, "\xef\xbf\xbd", 3);
			i++;
		} else {
			jbuf_put(b, (const char *)p + i, run);
			i += run;
		}
	}
	jbuf_put(b, "\"", 1);
}

void
json_str(struct jbuf *b, const char *v)
{
	json_strn(b, v, strlen(v));
}

void
json_key(struct jbuf *b, const char *key)
{
	json_str(b, key);
	jbuf_put(b, ":", 1);
	b->need_comma = 0;
}

void
json_int(struct jbuf *b, int64_t v)
{
	char n[32];

	json_sep(b);
	snprintf(n, sizeof(n), "%lld", (long long)v);
	jbuf_raw(b, n);
}

void
json_uint(struct jbuf *b, uint64_t v)
{
	char n[32];

	json_sep(b);
	snprintf(n, sizeof(n), "%llu", (unsigned long long)v);
	jbuf_raw(b, n);
}

void
json_real(struct jbuf *b, double v)
{
	char n[48];

	json_sep(b);
	if (!isfinite(v)) {
		jbuf_raw(b, "null");
		return;
	}
	if (v == floor(v) && fabs(v) < 9e15)
		snprintf(n, sizeof(n), "%.0f", v);
	else
		snprintf(n, sizeof(n), "%.6g", v);
	jbuf_raw(b, n);
}

void
json_bool(struct jbuf *b, int v)
{
	json_sep(b);
	jbuf_raw(b, v ? "true" : "false");
}

void
json_null(struct jbuf *b)
{
	json_sep(b);
	jbuf_raw(b, "null");
}

void
json_kstr(struct jbuf *b, const char *k, const char *v)
{
	json_key(b, k);
	json_str(b, v);
}
void
json_kint(struct jbuf *b, const char *k, int64_t v)
{
	json_key(b, k);
	json_int(b, v);
}
void
json_kuint(struct jbuf *b, const char *k, uint64_t v)
{
	json_key(b, k);
	json_uint(b, v);
}
void
json_kreal(struct jbuf *b, const char *k, double v)
{
	json_key(b, k);
	json_real(b, v);
}
void
json_kbool(struct jbuf *b, const char *k, int v)
{
	json_key(b, k);
	json_bool(b, v);
}
