/*
 * jread.h - reading JSON text (the daemon's answers, in the CLI and the
 * tests): libjansson behind a few calls, so that its names (json_real,
 * json_null...) never meet json.h's writer in one file. Values are
 * read-only views into the parsed tree, valid until jread_free.
 */
#ifndef NP_JREAD_H
#define NP_JREAD_H

#include <stddef.h>

struct jread; /* a parsed value: jansson's json_t */

enum jread_type {
	JR_ABSENT = 0,
	JR_NULL,
	JR_BOOL,
	JR_NUM,
	JR_STR,
	JR_ARR,
	JR_OBJ
};

/*
 * TEXT parsed (integers read as doubles, so that no 64-bit counter is
 * too big), or NULL with the reason in ERR.
 */
struct jread *jread_parse(const char *text, char *err, size_t errlen);
void jread_free(struct jread *);

enum jread_type jread_type(const struct jread *); /* NULL: JR_ABSENT */
/* An object's member KEY, or NULL (also when V is not an object). */
const struct jread *jread_get(const struct jread *v, const char *key);
/*
 * An array's length (an object's: its number of members) and an array's
 * element I (0 and NULL for anything else).
 */
size_t jread_len(const struct jread *);
const struct jread *jread_at(const struct jread *, size_t i);
/* A number (true: 1, false: 0), NaN for anything else. */
double jread_num(const struct jread *);
/* A string, or NULL for anything else. */
const char *jread_str(const struct jread *);

/* Shorthands for an object's member KEY. */
double jread_knum(const struct jread *, const char *key);
const char *jread_kstr(const struct jread *, const char *key);

#endif
