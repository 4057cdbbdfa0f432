#!/bin/bash
# pg_mode_reports.sh - pg_mode.sh over the inspection reports, the web pages and API, with the store in PostgreSQL (the configuration archive: pg_mode_config.sh).
exec bash "$(dirname "$0")/pg_mode.sh" inspect.sh http.sh
