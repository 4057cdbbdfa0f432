/*
 * json.h - building JSON text in a growing buffer, with correct escaping.
 */
#ifndef NP_JSON_H
#define NP_JSON_H

#include <stddef.h>
#include <stdint.h>

struct jbuf {
	char *s;
	size_t len, cap;
	int need_comma; /* a value was written at this level */
	int failed; /* out of memory: the text is incomplete */
};

/* The length of the valid UTF-8 sequence at P (N bytes at most): 1 to 4,
 * or 0 when it is not one (overlong, a surrogate, cut short...). */
size_t json_utf8_len(const unsigned char *p, size_t n);
void jbuf_init(struct jbuf *);
void jbuf_free(struct jbuf *);
void jbuf_raw(struct jbuf *, const char *);

void json_obj_open(struct jbuf *);
void json_obj_close(struct jbuf *);
void json_arr_open(struct jbuf *);
void json_arr_close(struct jbuf *);
/* A key inside an object: the next value belongs to it. */
void json_key(struct jbuf *, const char *key);
void json_str(struct jbuf *, const char *v);
void json_strn(struct jbuf *, const char *v, size_t n);
void json_int(struct jbuf *, int64_t v);
void json_uint(struct jbuf *, uint64_t v);
void json_real(struct jbuf *, double v); /* NaN and infinities: null */
void json_bool(struct jbuf *, int v);
void json_null(struct jbuf *);

/* Shorthands for "key": value inside an object. */
void json_kstr(struct jbuf *, const char *k, const char *v);
void json_kint(struct jbuf *, const char *k, int64_t v);
void json_kuint(struct jbuf *, const char *k, uint64_t v);
void json_kreal(struct jbuf *, const char *k, double v);
void json_kbool(struct jbuf *, const char *k, int v);

#endif
