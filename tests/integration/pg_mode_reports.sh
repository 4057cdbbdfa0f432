#!/bin/bash
# pg_mode_reports.sh - pg_mode.sh over the inspection reports, the web pages and API, the configuration archive and compliance, with the store in PostgreSQL.
exec bash "$(dirname "$0")/pg_mode.sh" inspect.sh http.sh config_archive.sh config_compliance.sh
