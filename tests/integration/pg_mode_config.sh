#!/bin/bash
# pg_mode_config.sh - pg_mode.sh over the configuration archive and compliance, with the store in PostgreSQL.
exec bash "$(dirname "$0")/pg_mode.sh" config_archive.sh config_compliance.sh
