/*
 * fuzz_http.c - libFuzzer entry point for what the web server parses of a
 * client's request (src/http/http_parse.c; see README): the path check,
 * x-www-form-urlencoded queries and bodies, the Cookie and Authorization
 * headers, ids and names, and the HTML and URL escaping of what goes
 * back.
 *
 * The input is split at its first two NUL bytes into a path, a header
 * and a form. Besides the sanitizers' checks: a value found is
 * NUL-terminated within its buffer and has no NUL; a path accepted has no
 * ".." and no "%"; escaped HTML has none of <>"' left; a URL-escaped value
 * is plain ASCII without blanks. A broken promise aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "http/http.h"

static void
need(int cond)
{
	if (!cond)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 3), *path, *hdr, *form, *z;
	static const char *keys[] = {"user", "password", "next", "csrf", "id",
	    "action", "text", "d", "i", "p", ""};
	char out[64], big[600];
	struct evbuffer *b;
	int64_t id;

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = buf[size + 1] = buf[size + 2] = '\0';
	path = buf;
	hdr = path + strlen(path) + 1;
	if (hdr > buf + size)
		hdr = buf + size + 1;
	form = hdr + strlen(hdr) + 1;
	if (form > buf + size + 1)
		form = buf + size + 2;

	if (http_path_ok(path))
		need(path[0] == '/' && strstr(path, "..") == NULL &&
		    strchr(path, '%') == NULL && strstr(path, "//") == NULL);
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		size_t flen = size + 2 - (size_t)(form - buf);

		flen = strnlen(form, flen);
		if (http_form_get(form, flen, keys[k], out, sizeof(out)) == 1)
			need(strlen(out) < sizeof(out));
		if (http_form_get(form, flen, keys[k], big, sizeof(big)) == 1)
			need(strlen(big) < sizeof(big));
	}
	if (http_cookie_get(hdr, "np_session", out, sizeof(out)) == 1) {
		need(strlen(out) < sizeof(out));
		need(strspn(out, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		                 "0123456789-_") == strlen(out));
	}
	if (http_bearer_get(hdr, out, sizeof(out)) == 1)
		for (z = out; *z; z++)
			need(*z > ' ' && *z <= '~');
	(void)http_ct_equal(hdr, form);
	need(http_ct_equal(hdr, hdr));
	(void)http_name_ok(hdr);
	if (http_id_ok(hdr, &id))
		need(id > 0);
	if ((b = evbuffer_new()) != NULL) {
		char *s;
		size_t n;

		http_html(b, hdr);
		n = evbuffer_get_length(b);
		s = (char *)evbuffer_pullup(b, -1);
		for (size_t i = 0; i < n; i++)
			need(s[i] != '<' && s[i] != '>' && s[i] != '"' &&
			    s[i] != '\'');
		evbuffer_drain(b, n);
		http_urlenc(b, form);
		n = evbuffer_get_length(b);
		s = (char *)evbuffer_pullup(b, -1);
		for (size_t i = 0; i < n; i++)
			need(s[i] > ' ' && s[i] <= '~' && s[i] != '&' &&
			    s[i] != '=');
		evbuffer_free(b);
	}
	free(buf);
	return 0;
}
