/*
 * fuzz_config.c - libFuzzer harness for what reads a device's word about
 * itself: the normaliser (cfgnorm.c: rules, secrets), the block tree
 * (cfgtree.c: indentation, banners, braces) and the structural diff
 * (cfgdiff.c). The input's first byte picks the platform; the rest is
 * split at its middle into two versions, each normalised, both diffed.
 * Besides the sanitizers it checks what the headers promise: the views
 * are NUL-terminated at their lengths, the compare view is no longer
 * than the stored one, normalising a stored view again changes nothing,
 * and a text diffed against itself has no change.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/cfgdiff.h"
#include "config/cfgnorm.h"
#include "config/cfgtree.h"

static struct cfg_rules *rules;
static const unsigned char key[32] = {7};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cfg_norm a, b, again;
	struct cfg_diff_stats st;
	char err[256], *out = NULL;
	size_t outlen = 0, half;
	enum cfg_platform plat;

	if (rules == NULL && (rules = cfg_rules_new()) == NULL)
		abort();
	if (size < 1)
		return 0;
	plat = (enum cfg_platform)(data[0] % CFG_PLAT_N);
	data++;
	size--;
	half = size / 2;
	if (cfg_normalize(rules, plat, key, sizeof(key), (const char *)data,
	    half, &a, err, sizeof(err)) == -1)
		return 0;
	if (cfg_normalize(rules, plat, key, sizeof(key),
	    (const char *)data + half, size - half, &b, err, sizeof(err)) ==
	    -1) {
		cfg_norm_free(&a);
		return 0;
	}
	if (a.text[a.len] != '\0' || a.compare[a.compare_len] != '\0' ||
	    a.compare_len > a.len)
		abort();
	if (cfg_normalize(rules, a.platform, key, sizeof(key), a.text, a.len,
	    &again, err, sizeof(err)) == 0) {
		if (again.len != a.len || memcmp(again.text, a.text, a.len))
			abort();
		cfg_norm_free(&again);
	}
	if (cfg_diff(a.platform, a.compare, a.compare_len, b.compare,
	    b.compare_len, "a", "b", &out, &outlen, &st, err, sizeof(err)) ==
	    0) {
		if (out && out[outlen] != '\0')
			abort();
		free(out);
		out = NULL;
		if (cfg_diff(a.platform, a.compare, a.compare_len, a.compare,
		    a.compare_len, "a", "a", &out, &outlen, &st, err,
		    sizeof(err)) == 0 && (st.added || st.removed || outlen))
			abort();
		free(out);
	}
	cfg_norm_free(&a);
	cfg_norm_free(&b);
	return 0;
}
