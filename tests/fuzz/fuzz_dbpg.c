/*
 * fuzz_dbpg.c - libFuzzer entry point for db_pg_translate() (see README):
 * the store's SQL, written for sqlite, as PostgreSQL takes it. Its input
 * is the store's own statements, not the network's; fuzzed all the same
 * for what a hostile statement could do to a parser that walks quotes,
 * parentheses and numbers (read past the end, overflow, grow without
 * bound). An output that is NULL, or longer than a bound of the input's
 * length, aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/db_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *sql, *out;
	int np = -1, ret = -1;

	if ((sql = malloc(size + 1)) == NULL)
		return 0;
	memcpy(sql, data, size);
	sql[size] = '\0';
	out = db_pg_translate(sql, size, &np, &ret);
	if (out == NULL || np < 0 || np > 1000000 || (ret != 0 && ret != 1) ||
	    strlen(out) > 64 * size + 4096)
		abort();
	free(out);
	free(sql);
	return 0;
}
