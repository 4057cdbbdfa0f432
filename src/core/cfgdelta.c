/*
 * cfgdelta.c - line deltas between versions of a configuration, and the
 * deflate of what is stored.
 *
 * A delta is a list of operations, each a header line:
 *   "C FIRST COUNT\n"   the COUNT lines of the base from line FIRST (0-based)
 *   "I BYTES\n" BYTES   these bytes, new
 * Lines keep their newline, so copies and inserts concatenate to the text
 * exactly. Making one indexes the base's lines by hash and, for each new
 * line, follows the longest run of base lines that matches from there;
 * runs too short to be worth a header (a lone "!") are inserted instead.
 * Linear in the two texts for the usual case, a few percent changed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "cfgdelta.h"

struct lines {
	size_t n;
	size_t *off; /* n + 1 offsets: line i is [off[i], off[i+1]) */
};

static int
lines_split(const char *t, size_t len, struct lines *l)
{
	size_t cap = 64, n = 0, i;
	const char *p, *nl;

	if ((l->off = malloc(cap * sizeof(size_t))) == NULL)
		return -1;
	for (i = 0; i < len; i = (size_t)(nl - t) + 1) {
		if (n + 2 > cap) {
			size_t *o;

			cap *= 2;
			if ((o = realloc(l->off, cap * sizeof(size_t))) ==
			    NULL) {
				free(l->off);
				return -1;
			}
			l->off = o;
		}
		l->off[n++] = i;
		p = t + i;
		if ((nl = memchr(p, '\n', len - i)) == NULL)
			nl = t + len - 1;
	}
	l->off[n] = len;
	l->n = n;
	return 0;
}

static uint64_t
line_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	while (n--) {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return h;
}

struct obuf {
	char *b;
	size_t len, cap;
	int oom;
};

static void
ob_put(struct obuf *o, const void *p, size_t n)
{
	if (o->oom)
		return;
	if (o->len + n + 1 > o->cap) {
		size_t cap = o->cap ? o->cap : 256;
		char *nb;

		while (cap < o->len + n + 1)
			cap *= 2;
		if ((nb = realloc(o->b, cap)) == NULL) {
			o->oom = 1;
			return;
		}
		o->b = nb;
		o->cap = cap;
	}
	memcpy(o->b + o->len, p, n);
	o->len += n;
	o->b[o->len] = '\0';
}

static void
ob_head(struct obuf *o, char op, size_t a, size_t b, int two)
{
	char h[64];
	int n = two ? snprintf(h, sizeof(h), "%c %zu %zu\n", op, a, b)
	            : snprintf(h, sizeof(h), "%c %zu\n", op, a);

	ob_put(o, h, (size_t)n);
}

#define RUN_MIN_BYTES 24 /* a shorter copy run is cheaper inserted */
#define CANDIDATES 16 /* base lines tried for one new line */

int
cfg_delta_make(const char *base, size_t blen, const char *nw, size_t nlen,
    char **out, size_t *outlen)
{
	struct lines bl = {0, NULL}, nl = {0, NULL};
	size_t nb, i, j, *head = NULL, *next = NULL, mask, lit = 0, lit_on = 0;
	struct obuf o = {NULL, 0, 0, 0};
	int rc = -1;

	if (lines_split(base, blen, &bl) == -1 ||
	    lines_split(nw, nlen, &nl) == -1)
		goto done;
	for (nb = 16; nb < bl.n * 2; nb *= 2)
		;
	mask = nb - 1;
	if ((head = malloc(nb * sizeof(size_t))) == NULL ||
	    (next = malloc((bl.n + 1) * sizeof(size_t))) == NULL)
		goto done;
	for (i = 0; i < nb; i++)
		head[i] = SIZE_MAX;
	/* chains in ascending line order: insert from the end */
	for (i = bl.n; i-- > 0;) {
		size_t h = (size_t)line_hash(base + bl.off[i],
		    bl.off[i + 1] - bl.off[i]) & mask;

		next[i] = head[h];
		head[h] = i;
	}
	ob_put(&o, "", 0);
	for (i = 0; i < nl.n;) {
		const char *s = nw + nl.off[i];
		size_t sl = nl.off[i + 1] - nl.off[i], best = 0, bestj = 0;
		size_t bytes = 0, tries = 0;

		for (j = head[line_hash(s, sl) & mask];
		    j != SIZE_MAX && tries < CANDIDATES; j = next[j], tries++) {
			size_t k = 0, by = 0;

			while (i + k < nl.n && j + k < bl.n &&
			    nl.off[i + k + 1] - nl.off[i + k] ==
			    bl.off[j + k + 1] - bl.off[j + k] &&
			    memcmp(nw + nl.off[i + k], base + bl.off[j + k],
			    nl.off[i + k + 1] - nl.off[i + k]) == 0) {
				by += nl.off[i + k + 1] - nl.off[i + k];
				k++;
			}
			if (k > best) {
				best = k;
				bestj = j;
				bytes = by;
			}
		}
		if (best == 0 || bytes < RUN_MIN_BYTES) {
			if (lit == 0)
				lit_on = nl.off[i];
			lit += sl;
			i++;
			continue;
		}
		if (lit) {
			ob_head(&o, 'I', lit, 0, 0);
			ob_put(&o, nw + lit_on, lit);
			lit = 0;
		}
		ob_head(&o, 'C', bestj, best, 1);
		i += best;
	}
	if (lit) {
		ob_head(&o, 'I', lit, 0, 0);
		ob_put(&o, nw + lit_on, lit);
	}
	if (o.oom)
		goto done;
	*out = o.b;
	*outlen = o.len;
	o.b = NULL;
	rc = 0;
done:
	free(o.b);
	free(head);
	free(next);
	free(bl.off);
	free(nl.off);
	return rc;
}

/* A decimal number at *P, up to END, then C: advances *P. -1 if none. */
static int
num(const char **p, const char *end, char c, size_t *v)
{
	const char *s = *p;
	size_t x = 0;

	if (s >= end || *s < '0' || *s > '9')
		return -1;
	while (s < end && *s >= '0' && *s <= '9') {
		if (x > (SIZE_MAX - 9) / 10)
			return -1;
		x = x * 10 + (size_t)(*s++ - '0');
	}
	if (s >= end || *s != c)
		return -1;
	*p = s + 1;
	*v = x;
	return 0;
}

int
cfg_delta_apply(const char *base, size_t blen, const char *delta,
    size_t dlen, size_t maxlen, char **out, size_t *outlen, char *err,
    size_t errlen)
{
	struct lines bl = {0, NULL};
	struct obuf o = {NULL, 0, 0, 0};
	const char *p = delta, *end = delta + dlen;
	size_t a, b;

	if (lines_split(base, blen, &bl) == -1) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	ob_put(&o, "", 0);
	while (p < end && !o.oom) {
		char op = *p;

		if (end - p < 2 || p[1] != ' ')
			goto bad;
		p += 2;
		if (op == 'C') {
			if (num(&p, end, ' ', &a) == -1 ||
			    num(&p, end, '\n', &b) == -1 || a > bl.n ||
			    b > bl.n - a)
				goto bad;
			if (o.len + (bl.off[a + b] - bl.off[a]) > maxlen)
				goto big;
			ob_put(&o, base + bl.off[a], bl.off[a + b] - bl.off[a]);
		} else if (op == 'I') {
			if (num(&p, end, '\n', &a) == -1 ||
			    a > (size_t)(end - p))
				goto bad;
			if (o.len + a > maxlen)
				goto big;
			ob_put(&o, p, a);
			p += a;
		} else
			goto bad;
	}
	free(bl.off);
	if (o.oom) {
		free(o.b);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	*out = o.b;
	*outlen = o.len;
	return 0;
bad:
	snprintf(err, errlen, "malformed delta at byte %zu",
	    (size_t)(p - delta));
	goto fail;
big:
	snprintf(err, errlen, "delta gives more than %zu bytes", maxlen);
fail:
	free(bl.off);
	free(o.b);
	return -1;
}

int
cfg_zip(const void *in, size_t len, void **out, size_t *outlen)
{
	uLongf n = compressBound((uLong)len);
	Bytef *b;

	if ((b = malloc(n ? n : 1)) == NULL)
		return -1;
	if (compress2(b, &n, in, (uLong)len, 6) != Z_OK) {
		free(b);
		return -1;
	}
	*out = b;
	*outlen = n;
	return 0;
}

int
cfg_unzip(const void *in, size_t len, size_t maxlen, char **out,
    size_t *outlen, char *err, size_t errlen)
{
	z_stream z;
	struct obuf o = {NULL, 0, 0, 0};
	unsigned char buf[16384];
	int rc;

	memset(&z, 0, sizeof(z));
	if (inflateInit(&z) != Z_OK) {
		snprintf(err, errlen, "inflate: out of memory");
		return -1;
	}
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	ob_put(&o, "", 0);
	do {
		z.next_out = buf;
		z.avail_out = sizeof(buf);
		rc = inflate(&z, Z_NO_FLUSH);
		if (rc != Z_OK && rc != Z_STREAM_END) {
			snprintf(err, errlen, "not deflated data (%s)",
			    z.msg ? z.msg : "inflate error");
			goto fail;
		}
		if (o.len + (sizeof(buf) - z.avail_out) > maxlen) {
			snprintf(err, errlen, "inflates to more than %zu bytes",
			    maxlen);
			goto fail;
		}
		ob_put(&o, buf, sizeof(buf) - z.avail_out);
		if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) {
			snprintf(err, errlen, "deflated data cut short");
			goto fail;
		}
	} while (rc != Z_STREAM_END && !o.oom);
	inflateEnd(&z);
	if (o.oom) {
		free(o.b);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	*out = o.b;
	*outlen = o.len;
	return 0;
fail:
	inflateEnd(&z);
	free(o.b);
	return -1;
}
