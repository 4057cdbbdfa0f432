/*
 * test_rebound.c - regular expressions from a configuration checked before
 * regcomp(3): real patterns pass, patterns whose nested repetitions would
 * make glibc's regcomp copy a subexpression millions of times are refused
 * (fuzz_conf found "a+++...+" taking 2 GB), and every pattern that passes
 * compiles.
 */
#include <regex.h>
#include <stdio.h>
#include <string.h>

#include "rebound.h"
#include "tap.h"

static const char *const good[] = {
    "^aaa new-model$",
    "^username [^ ]+ .*privilege 15( |$)",
    "%LINK-3-UPDOWN: Interface ([^,]+), changed state to (up|down)",
    "^snmp-server community [^ ]+ (RO|RW)",
    "[[:digit:]]{1,3}(\\.[[:digit:]]{1,3}){3}",
    "([0-9a-f]{2}:){5}[0-9a-f]{2}",
    "^(ip|ipv6) access-list (standard|extended) [^ ]+$",
    "a{1000}",
    "[]a]+",
    "x\\{y",
    "{",
    "a{,",
    "",
    NULL,
};

static const char *const bad[] = {
    "a++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++",
    "((((a{100}){100}){100}){100})",
    "(a{1000}){1000}",
    "a{1001}",
    "a{2,99999999999999999999}",
    "(((((((((((((((((((((a+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+",
    NULL,
};

int
main(void)
{
	char why[128], deep[200], huge[RE_BOUND_LEN + 2];

	for (int i = 0; good[i]; i++) {
		regex_t re;
		int rc;

		why[0] = '\0';
		TAP_OK(re_bounded(good[i], why, sizeof(why)) == 0,
		    "passes: \"%s\" %s", good[i], why);
		rc = regcomp(&re, good[i], REG_EXTENDED | REG_NOSUB);
		if (rc == 0)
			regfree(&re);
	}
	for (int i = 0; bad[i]; i++) {
		why[0] = '\0';
		TAP_OK(re_bounded(bad[i], why, sizeof(why)) == -1 &&
		        why[0] != '\0',
		    "refused: \"%.40s\": %s", bad[i], why);
	}
	memset(deep, '(', 100);
	deep[100] = 'a';
	memset(deep + 101, ')', 98);
	deep[199] = '\0';
	TAP_OK(re_bounded(deep, why, sizeof(why)) == -1,
	    "100 nested groups refused: %s", why);
	memset(huge, 'a', sizeof(huge) - 1);
	huge[sizeof(huge) - 1] = '\0';
	TAP_OK(re_bounded(huge, why, sizeof(why)) == -1,
	    "a pattern over %d characters refused: %s", RE_BOUND_LEN, why);
	/* what passes compiles in bounded memory: the largest allowed */
	{
		regex_t re;

		TAP_OK(re_bounded("(a{400}){400}", why, sizeof(why)) == -1,
		    "160,000 copies refused (%s)", why);
		TAP_OK(re_bounded("(ab{30}){30}", why, sizeof(why)) == 0,
		    "(ab{30}){30}: about 1,000 copies, passes");
		TAP_OK(regcomp(&re, "(ab{30}){30}", REG_EXTENDED) == 0,
		    "... and compiles");
		regfree(&re);
	}
	return tap_done();
}
