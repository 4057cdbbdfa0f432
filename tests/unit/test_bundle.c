/*
 * test_bundle.c - the report bundle's reader and the archived copies'
 * inflater (report_bundle.h), on bundles made here: a whole one; every
 * truncation; wrong magic, formats, sizes; a part twice; bytes after the
 * end; numbers past every bound; random bytes; a damaged copy.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "report_bundle.h"
#include "tap.h"

static size_t
part(char *out, const char *fmt, const char *text)
{
	uLongf zlen = compressBound(strlen(text));
	unsigned char z[4096];
	size_t n;

	compress2(z, &zlen, (const Bytef *)text, strlen(text), 6);
	n = (size_t)sprintf(out, "%s %zu %lu\n", fmt, strlen(text),
	    (unsigned long)zlen);
	memcpy(out + n, z, zlen);
	return n + zlen;
}

static size_t
whole(char *b)
{
	size_t n = strlen(RB_MAGIC);

	memcpy(b, RB_MAGIC, n);
	n += part(b + n, "json", "{\"plan\":\"daily\"}");
	n += part(b + n, "text", "1. Basic information\n");
	n += part(b + n, "html", "<!DOCTYPE html><html></html>\n");
	memcpy(b + n, "end\n", 4);
	return n + 4;
}

static int
parses(const char *b, size_t n, char *err, size_t errlen)
{
	struct rb_part p[RB_PARTS];
	char *c = malloc(n ? n : 1); /* exactly N: ASan sees a read past */
	int rc;

	memcpy(c, b, n);
	rc = report_bundle_parse(c, n, p, err, errlen);
	free(c);
	return rc;
}

static void
good(void)
{
	struct rb_part p[RB_PARTS];
	char b[16384], err[256], *out;
	size_t n = whole(b);
	int k = report_bundle_parse(b, n, p, err, sizeof(err));

	TAP_OK(k == 3 && strcmp(p[0].format, "json") == 0 &&
	        strcmp(p[2].format, "html") == 0,
	    "a whole bundle: 3 parts (%d %s)", k, k < 0 ? err : "");
	TAP_OK(k == 3 && report_inflate(p[1].z, p[1].zlen, p[1].size, &out,
	                     err, sizeof(err)) == 0 &&
	        strcmp(out, "1. Basic information\n") == 0,
	    "the text part inflates to what was put in");
	if (k == 3)
		free(out);
	TAP_OK(k == 3 && report_inflate(p[1].z, p[1].zlen, p[1].size + 1,
	                     &out, err, sizeof(err)) == -1 &&
	        out == NULL && strstr(err, "damaged") != NULL,
	    "a size that differs: damaged (%s)", err);
	TAP_OK(report_inflate("\x78\x9c\x03\x00", 4, 10, &out, err,
	           sizeof(err)) == -1 && strstr(err, "damaged") != NULL,
	    "a body that is not the copy: damaged (%s)", err);
	TAP_OK(report_inflate(p[1].z, p[1].zlen, (size_t)RB_MAX_SIZE + 1, &out,
	           err, sizeof(err)) == -1,
	    "a size past the bound is refused before any allocation");
	memcpy(b, RB_MAGIC, strlen(RB_MAGIC));
	memcpy(b + strlen(RB_MAGIC), "end\n", 4);
	TAP_OK(report_bundle_parse(b, strlen(RB_MAGIC) + 4, p, err,
	           sizeof(err)) == 0,
	    "no parts: 0");
}

static void
bad(void)
{
	char b[16384], c[16384], err[256];
	size_t n = whole(b), cut, m = strlen(RB_MAGIC), bad_cuts = 0;
	unsigned seed = 7, ok = 0;
	static const struct {
		const char *s, *want;
	} cases[] = {
	    {"netpatrol-report-bundle 2\nend\n", "not a report bundle"},
	    {RB_MAGIC "pdf 1 1\nxend\n", "unknown format"},
	    {RB_MAGIC "JSON 1 1\nxend\n", "no format"},
	    {RB_MAGIC "json 1\nxend\n", "bad sizes"},
	    {RB_MAGIC "json -1 1\nxend\n", "bad sizes"},
	    {RB_MAGIC "json 1 1x\nxend\n", "bad sizes"},
	    {RB_MAGIC "json 9999999999999 1\nxend\n", "bad sizes"},
	    {RB_MAGIC "json 999999999999 1\nxend\n", "out of bounds"},
	    {RB_MAGIC "json 1 99\nxend\n", "out of bounds"},
	    {RB_MAGIC "json 1 1\nxjson 1 1\nxend\n", "json twice"},
	    {RB_MAGIC "json 1 1\nxtext 1 1\nxhtml 1 1\nxjson 1 1\nx",
	        "more than 3"},
	    {RB_MAGIC "end\nmore", "after the bundle's end"},
	    {RB_MAGIC, "no format"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		TAP_OK(parses(cases[i].s, strlen(cases[i].s), err,
		           sizeof(err)) == -1 &&
		        strstr(err, cases[i].want) != NULL,
		    "refused: %s", err);
	}
	/* every truncation of a whole bundle is an error, never parts */
	for (cut = 0; cut < n; cut++)
		if (parses(b, cut, err, sizeof(err)) != -1)
			bad_cuts++;
	TAP_OK(bad_cuts == 0, "each of %zu truncations refused (%zu not)", n,
	    bad_cuts);
	/* random bytes after the magic, and random flips of a whole one */
	for (int i = 0; i < 5000; i++) {
		size_t len;

		memcpy(c, b, n);
		if (i % 2) {
			len = m + (size_t)(seed % 600);
			for (size_t k = m; k < len; k++) {
				seed = seed * 1103515245u + 12345u;
				c[k] = "json text html end 0123456789\n"[
				    (seed >> 16) % 30];
			}
		} else {
			len = n;
			seed = seed * 1103515245u + 12345u;
			c[(seed >> 8) % n] ^= (char)(1u << (seed % 8));
		}
		int k = parses(c, len, err, sizeof(err));

		if (k >= -1 && k <= RB_PARTS)
			ok++;
	}
	TAP_OK(ok == 5000, "5000 random inputs: parts or an error (%u)", ok);
}

int
main(void)
{
	good();
	bad();
	return tap_done();
}
