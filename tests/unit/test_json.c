/*
 * test_json.c - the JSON writer: structure, escaping, invalid UTF-8, NaN.
 */
#include <math.h>

#include "json.h"
#include "tap.h"

static const struct {
	const char *in;
	const char *want;
} strs[] = {
    {"plain", "\"plain\""},
    {"quote\"back\\slash", "\"quote\\\"back\\\\slash\""},
    {"line\nfeed\ttab\r", "\"line\\nfeed\\ttab\\r\""},
    {"\x01\x1f", "\"\\u0001\\u001f\""}, {"caf\xc3\xa9", "\"caf\xc3\xa9\""},
    {"bad\xff", "\"bad\xef\xbf\xbd\""},
    {"\xc0\xaf", "\"\xef\xbf\xbd\xef\xbf\xbd\""}, /* overlong '/' */
    {"\xed\xa0\x80",
        "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""}, /* surrogate */
    {"\xe2\x82", "\"\xef\xbf\xbd\xef\xbf\xbd\""}, /* truncated */
};

int
main(void)
{
	struct jbuf j;

	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		jbuf_init(&j);
		json_str(&j, strs[i].in);
		TAP_STREQ(j.s, strs[i].want, "string case %zu", i);
		jbuf_free(&j);
	}
	jbuf_init(&j);
	json_arr_open(&j);
	json_obj_open(&j);
	json_kstr(&j, "a", "x");
	json_kint(&j, "b", -3);
	json_kreal(&j, "c", NAN);
	json_kreal(&j, "d", 1.5);
	json_kreal(&j, "e", 1e9);
	json_kbool(&j, "f", 1);
	json_key(&j, "g");
	json_arr_open(&j);
	json_uint(&j, 18446744073709551615ULL);
	json_null(&j);
	json_arr_close(&j);
	json_obj_close(&j);
	json_obj_open(&j);
	json_obj_close(&j);
	json_arr_close(&j);
	TAP_STREQ(j.s,
	    "[{\"a\":\"x\",\"b\":-3,\"c\":null,\"d\":1.5,\"e\":1000000000,"
	    "\"f\":true,\"g\":[18446744073709551615,null]},{}]",
	    "nested structure");
	jbuf_free(&j);
	jbuf_init(&j);
	json_arr_open(&j);
	json_arr_close(&j);
	TAP_STREQ(j.s, "[]", "empty array");
	jbuf_free(&j);
	return tap_done();
}
