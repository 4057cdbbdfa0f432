/*
 * cfgdelta.h - how the archive keeps versions small: a version is stored
 * as a line delta against an earlier one (copy runs of its lines, and the
 * bytes that are new), and every stored text is deflated. Byte-exact: a
 * delta applied to its base gives the text back, the last line with or
 * without its newline. Pure: no I/O.
 */
#ifndef NP_CFGDELTA_H
#define NP_CFGDELTA_H

#include <stddef.h>

/*
 * The delta from BASE to NEW into a malloc'd *OUT. 0, or -1 when out of
 * memory.
 */
int cfg_delta_make(const char *base, size_t blen, const char *nw,
    size_t nlen, char **out, size_t *outlen);
/*
 * DELTA applied to BASE into a malloc'd *OUT (NUL-terminated, not
 * counted), at most MAXLEN bytes. -1 with ERR when the delta is
 * malformed, does not fit BASE, or would be longer than MAXLEN.
 */
int cfg_delta_apply(const char *base, size_t blen, const char *delta,
    size_t dlen, size_t maxlen, char **out, size_t *outlen, char *err,
    size_t errlen);

/* Deflate IN into a malloc'd *OUT. 0, or -1. */
int cfg_zip(const void *in, size_t len, void **out, size_t *outlen);
/*
 * Inflate IN into a malloc'd *OUT (NUL-terminated, not counted), at most
 * MAXLEN bytes: -1 with ERR when it is not deflated data or is longer.
 */
int cfg_unzip(const void *in, size_t len, size_t maxlen, char **out,
    size_t *outlen, char *err, size_t errlen);

#endif
