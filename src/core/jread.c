/*
 * jread.c - reading JSON text with libjansson (see jread.h). This file
 * includes jansson.h and not json.h: the two share names.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include <jansson.h>

#include "jread.h"

/* A struct jread is a json_t: the casts are the whole facade. */
#define JR(v) ((const json_t *)(const void *)(v))
#define RJ(v) ((const struct jread *)(const void *)(v))

struct jread *
jread_parse(const char *text, char *err, size_t errlen)
{
	json_error_t e;
	json_t *v;

	if ((v = json_loads(text, JSON_DECODE_INT_AS_REAL | JSON_DECODE_ANY,
	         &e)) == NULL) {
		snprintf(err, errlen, "line %d column %d: %s", e.line, e.column,
		    e.text);
		return NULL;
	}
	return (struct jread *)(void *)v;
}

void
jread_free(struct jread *v)
{
	json_decref((json_t *)(void *)v);
}

enum jread_type
jread_type(const struct jread *v)
{
	if (v == NULL)
		return JR_ABSENT;
	switch (json_typeof(JR(v))) {
	case JSON_OBJECT: return JR_OBJ;
	case JSON_ARRAY: return JR_ARR;
	case JSON_STRING: return JR_STR;
	case JSON_INTEGER:
	case JSON_REAL: return JR_NUM;
	case JSON_TRUE:
	case JSON_FALSE: return JR_BOOL;
	case JSON_NULL: return JR_NULL;
	}
	return JR_ABSENT;
}

const struct jread *
jread_get(const struct jread *v, const char *key)
{
	return RJ(json_object_get(JR(v), key));
}

size_t
jread_len(const struct jread *v)
{
	return json_is_object(JR(v)) ? json_object_size(JR(v))
	                             : json_array_size(JR(v));
}

const struct jread *
jread_at(const struct jread *v, size_t i)
{
	return RJ(json_array_get(JR(v), i));
}

double
jread_num(const struct jread *v)
{
	if (json_is_number(JR(v)))
		return json_number_value(JR(v));
	if (json_is_boolean(JR(v)))
		return json_is_true(JR(v));
	return NAN;
}

const char *
jread_str(const struct jread *v)
{
	return json_string_value(JR(v));
}

double
jread_knum(const struct jread *v, const char *key)
{
	return jread_num(jread_get(v, key));
}

const char *
jread_kstr(const struct jread *v, const char *key)
{
	return jread_str(jread_get(v, key));
}
