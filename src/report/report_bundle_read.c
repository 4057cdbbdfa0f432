/*
 * report_bundle_read.c - the bounded reader of a report bundle and the
 * inflater of an archived copy (report_bundle.h): what the daemon reads
 * from its child, and the CLI from the store.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "report_bundle.h"

/* A decimal of at most 12 digits at *P (before END), then SEP. */
static int
rb_num(const char **p, const char *end, char sep, size_t *v)
{
	const char *q = *p;
	size_t n = 0;
	int digits = 0;

	while (q < end && *q >= '0' && *q <= '9' && digits < 12) {
		n = n * 10 + (size_t)(*q - '0');
		q++;
		digits++;
	}
	if (digits == 0 || q >= end || *q != sep)
		return -1;
	*p = q + 1;
	*v = n;
	return 0;
}

int
report_bundle_parse(const char *buf, size_t len, struct rb_part *parts,
    char *err, size_t errlen)
{
	const char *p = buf, *end = buf + len;
	size_t ml = strlen(RB_MAGIC), k;
	int n = 0;

	if (len < ml || memcmp(buf, RB_MAGIC, ml) != 0) {
		snprintf(err, errlen, "not a report bundle");
		return -1;
	}
	p += ml;
	for (;;) {
		struct rb_part *x;

		if ((size_t)(end - p) >= 4 && memcmp(p, "end\n", 4) == 0) {
			if (p + 4 != end) {
				snprintf(err, errlen,
				    "bytes after the bundle's end");
				return -1;
			}
			return n;
		}
		if (n == RB_PARTS) {
			snprintf(err, errlen, "more than %d parts", RB_PARTS);
			return -1;
		}
		x = &parts[n];
		memset(x, 0, sizeof(*x));
		for (k = 0; k < sizeof(x->format) - 1 && p < end &&
		    *p >= 'a' && *p <= 'z'; k++)
			x->format[k] = *p++;
		if (k == 0 || p >= end || *p++ != ' ') {
			snprintf(err, errlen, "part %d: no format", n + 1);
			return -1;
		}
		if (strcmp(x->format, "json") != 0 &&
		    strcmp(x->format, "text") != 0 &&
		    strcmp(x->format, "html") != 0) {
			snprintf(err, errlen, "part %d: unknown format \"%s\"",
			    n + 1, x->format);
			return -1;
		}
		for (int i = 0; i < n; i++)
			if (strcmp(parts[i].format, x->format) == 0) {
				snprintf(err, errlen, "part %d: %s twice",
				    n + 1, x->format);
				return -1;
			}
		if (rb_num(&p, end, ' ', &x->size) == -1 ||
		    rb_num(&p, end, '\n', &x->zlen) == -1) {
			snprintf(err, errlen, "part %d (%s): bad sizes", n + 1,
			    x->format);
			return -1;
		}
		if (x->size > RB_MAX_SIZE || x->zlen > STORE_REPORTCOPY_MAX ||
		    x->zlen > (size_t)(end - p)) {
			snprintf(err, errlen,
			    "part %d (%s): %zu bytes, %zu deflated: out of "
			    "bounds",
			    n + 1, x->format, x->size, x->zlen);
			return -1;
		}
		x->z = (const unsigned char *)p;
		p += x->zlen;
		n++;
	}
}

int
report_inflate(const void *z, size_t zlen, size_t size, char **out, char *err,
    size_t errlen)
{
	uLongf dlen = (uLongf)size;
	char *b;
	int zrc;

	*out = NULL;
	if (size > RB_MAX_SIZE) {
		snprintf(err, errlen, "%zu bytes: too big", size);
		return -1;
	}
	if ((b = malloc(size + 1)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	zrc = uncompress((Bytef *)b, &dlen, z, (uLong)zlen);
	if (zrc != Z_OK || dlen != (uLongf)size) {
		free(b);
		snprintf(err, errlen, "the archived copy is damaged (%s)",
		    zrc == Z_OK ? "size differs" : zError(zrc));
		return -1;
	}
	b[size] = '\0';
	*out = b;
	return 0;
}
