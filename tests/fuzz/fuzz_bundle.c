/*
 * fuzz_bundle.c - libFuzzer entry point for report_bundle_parse() and
 * report_inflate() (report_bundle.h): the bundle a report child writes,
 * read by the daemon, and each part's inflation (as the CLI does from
 * the store), for parts that say they inflate to at most 1 MB. The
 * input is given as its own allocation of exactly its size. Every part
 * must lie within the input; a broken promise aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report_bundle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rb_part p[RB_PARTS];
	char err[256], *buf, *out;
	int n;

	if ((buf = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(buf, data, size);
	n = report_bundle_parse(buf, size, p, err, sizeof(err));
	if (n < -1 || n > RB_PARTS || (n == -1 && err[0] == '\0'))
		abort();
	for (int i = 0; i < n; i++) {
		if ((const char *)p[i].z < buf ||
		    (const char *)p[i].z + p[i].zlen > buf + size)
			abort();
		if (p[i].size > (1u << 20))
			continue;
		if (report_inflate(p[i].z, p[i].zlen, p[i].size, &out, err,
		        sizeof(err)) == 0) {
			if (out[p[i].size] != '\0')
				abort();
			free(out);
		} else if (out != NULL)
			abort();
	}
	free(buf);
	return 0;
}
