/*
 * fuzz_control.c - libFuzzer entry point for control_parse_line() (see
 * README): the line a control-socket client sends, as evbuffer_readln
 * gives it (its bytes and a NUL after them). Besides the sanitizers'
 * checks, a line accepted must keep control.h's promises (a name of 1 to
 * CONTROL_NAME_MAX - 1 bytes of a-z, 0-9, '-', '_'; arguments within the
 * line, with no NUL or control character but a tab; name, space and
 * arguments are the line), and a line refused must say why; a broken
 * promise aborts, so the fuzzer keeps the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/control.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line, *name, *args;
	const char *why = NULL;
	size_t nl, na;

	if ((line = malloc(size + 1)) == NULL)
		return 0;
	memcpy(line, data, size);
	line[size] = '\n'; /* not a NUL: the parser must end the line */
	if (control_parse_line(line, size, &name, &args, &why) == -1) {
		if (why == NULL || *why == '\0' || name != NULL || args != NULL)
			abort();
		free(line);
		return 0;
	}
	if (size == 0 || size > CONTROL_MAX_LINE || name != line)
		abort();
	nl = strlen(name);
	if (nl == 0 || nl >= CONTROL_NAME_MAX)
		abort();
	for (size_t i = 0; i < nl; i++)
		if (strchr("abcdefghijklmnopqrstuvwxyz0123456789-_", name[i]) ==
		    NULL)
			abort();
	if (args < line || args > line + size)
		abort();
	na = strlen(args);
	if (args + na != line + size)
		abort();
	if (na > 0 && (args != line + nl + 1 || line[nl] != '\0' ||
	                  memcmp(data + nl, " ", 1) != 0))
		abort();
	if (na == 0 && nl != size && nl + 1 != size)
		abort();
	for (size_t i = 0; i < na; i++) {
		unsigned char c = (unsigned char)args[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			abort();
	}
	if (memcmp(data, name, nl) != 0 || memcmp(data + size - na, args, na))
		abort();
	free(line);
	return 0;
}
