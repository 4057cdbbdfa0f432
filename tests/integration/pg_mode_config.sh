#!/bin/bash
# pg_mode_config.sh - pg_mode.sh over the configuration archive and compliance, with the store in PostgreSQL.
# Not in the sanitizer build: there config_compliance.sh alone ran 17 min
# against PostgreSQL (the whole sanitizer phase waited for it); the plain
# build runs it, and store_pg.sh checks db_pg.c under the sanitizers.
if [ -n "${NP_SANITIZERS:-}" ]; then
	. "$(dirname "$0")/lib.sh"
	skip_all "the configuration archive against PostgreSQL: in the plain build only"
fi
exec bash "$(dirname "$0")/pg_mode.sh" config_archive.sh config_compliance.sh
