/*
 * fuzz_rrdjournal.c - libFuzzer entry point for the RRD writer's journal
 * reader (rj_replay, rj_parse; see README): the input is a journal file,
 * as a crash may leave it (lines cut short, too long, garbage). Each line
 * it gives must keep rrdjournal.h's promises: a time > 0, values without
 * a space, a path that is not empty and within the line's bound; a broken
 * promise aborts, so the fuzzer keeps the input.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/rrdjournal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(void *arg, const char *values, const char *path, double t)
{
	(*(uint64_t *)arg)++;
	if (!(t > 0) || values[0] == '\0' || strchr(values, ' ') != NULL ||
	    path[0] == '\0' || strchr(path, '\n') != NULL ||
	    strlen(values) + strlen(path) + 1 > RJ_LINE_MAX)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	struct rrdjournal j;
	uint64_t good = 0, bad = 0;
	int fd;

	if (path[0] == '\0')
		snprintf(path, sizeof(path), "/tmp/fuzz_rrdjournal.%d",
		    (int)getpid());
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	close(fd);
	memset(&j, 0, sizeof(j));
	j.fd = j.oldfd = -1;
	snprintf(j.path, sizeof(j.path), "%s", path);
	if (rj_replay(&j, check, &good, &bad) == -1)
		abort();
	return 0;
}
