/*
 * http_parse.c - what HTTP clients send, parsed with bounds (http.h):
 * paths, x-www-form-urlencoded queries and bodies, cookies, bearer
 * tokens; and the escaping of what goes back (HTML, URLs). No I/O, no
 * allocation: tests/fuzz/fuzz_http.c runs it on anything.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http.h"

int
http_path_ok(const char *path)
{
	const char *p;

	if (path == NULL || path[0] != '/' || strlen(path) > 256)
		return 0;
	for (p = path; *p; p++) {
		/* no escapes at all: every route is plain ASCII */
		if (*p <= ' ' || *p > '~' || *p == '%' || *p == '\\')
			return 0;
		if (p[0] == '/' && p[1] == '/')
			return 0;
		if (p[0] == '.' && p[1] == '.')
			return 0;
	}
	return 1;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode S[0..N) into OUT: 0, or -1 (bad escape, NUL, too long). */
static int
form_decode(const char *s, size_t n, char *out, size_t outlen)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)s[i];

		if (c == '+')
			c = ' ';
		else if (c == '%') {
			int h, l;

			if (i + 2 >= n)
				return -1;
			if ((h = hexval((unsigned char)s[i + 1])) < 0 ||
			    (l = hexval((unsigned char)s[i + 2])) < 0)
				return -1;
			c = h * 16 + l;
			i += 2;
		}
		if (c == '\0')
			return -1;
		if (o + 1 >= outlen)
			return -1;
		out[o++] = (char)c;
	}
	if (outlen == 0)
		return -1;
	out[o] = '\0';
	return 0;
}

int
http_form_get(const char *s, size_t len, const char *key, char *out,
    size_t outlen)
{
	size_t klen = strlen(key), i = 0;

	if (outlen > 0)
		out[0] = '\0';
	while (i < len) {
		size_t end = i, eq;

		while (end < len && s[end] != '&' && s[end] != ';')
			end++;
		for (eq = i; eq < end && s[eq] != '='; eq++)
			;
		/* keys are plain words: compare undecoded */
		if (eq - i == klen && memcmp(s + i, key, klen) == 0) {
			if (eq == end)
				return form_decode("", 0, out, outlen) == 0 ? 1
				                                            : -1;
			return form_decode(s + eq + 1, end - eq - 1, out,
			           outlen) == 0
			    ? 1
			    : -1;
		}
		i = end + 1;
	}
	return 0;
}

int
http_cookie_get(const char *hdr, const char *name, char *out, size_t outlen)
{
	size_t nlen = strlen(name);
	const char *p = hdr;

	if (outlen > 0)
		out[0] = '\0';
	if (hdr == NULL)
		return 0;
	while (*p) {
		const char *end, *v;
		size_t vl;

		while (*p == ' ' || *p == '\t' || *p == ';')
			p++;
		end = p;
		while (*end && *end != ';')
			end++;
		if ((size_t)(end - p) > nlen && memcmp(p, name, nlen) == 0 &&
		    p[nlen] == '=') {
			v = p + nlen + 1;
			vl = (size_t)(end - v);
			while (vl > 0 && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
				vl--;
			if (vl + 1 > outlen)
				return -1;
			for (size_t i = 0; i < vl; i++)
				if (!isalnum((unsigned char)v[i]) &&
				    v[i] != '-' && v[i] != '_')
					return -1;
			memcpy(out, v, vl);
			out[vl] = '\0';
			return 1;
		}
		p = end;
	}
	return 0;
}

int
http_bearer_get(const char *hdr, char *out, size_t outlen)
{
	size_t n;

	if (outlen > 0)
		out[0] = '\0';
	if (hdr == NULL || strncasecmp(hdr, "Bearer ", 7) != 0)
		return 0;
	hdr += 7;
	while (*hdr == ' ')
		hdr++;
	n = strlen(hdr);
	while (n > 0 && (hdr[n - 1] == ' ' || hdr[n - 1] == '\t'))
		n--;
	if (n == 0 || n + 1 > outlen)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (hdr[i] <= ' ' || hdr[i] > '~')
			return -1;
	memcpy(out, hdr, n);
	out[n] = '\0';
	return 1;
}

int
http_ct_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char d = la != lb;

	/* as long as B, whatever A is: A's length leaks nothing of B */
	for (size_t i = 0; i < lb; i++)
		d |= (unsigned char)(i < la ? a[i] : 0) ^ (unsigned char)b[i];
	return d == 0;
}

int
http_name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= NP_STR_MAX)
		return 0;
	for (; *s; s++)
		if (*s < ' ' || *s == 0x7f)
			return 0;
	return 1;
}

int
http_id_ok(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (*s < '0' || *s > '9' || strlen(s) > 18)
		return 0;
	v = strtoll(s, &end, 10);
	if (*end != '\0' || v <= 0)
		return 0;
	*out = v;
	return 1;
}

void
http_html(struct evbuffer *b, const char *s)
{
	const char *run = s;

	for (; *s; s++) {
		const char *rep;

		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		if (s > run)
			evbuffer_add(b, run, (size_t)(s - run));
		evbuffer_add(b, rep, strlen(rep));
		run = s + 1;
	}
	if (s > run)
		evbuffer_add(b, run, (size_t)(s - run));
}

void
http_urlenc(struct evbuffer *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
			evbuffer_add(b, s, 1);
		else
			evbuffer_add_printf(b, "%%%02X", c);
	}
}
