#!/bin/bash
# pg_mode_cluster.sh - pg_mode.sh over several nodes sharing one store: leases, events taken to the holder, one finding per fault, with the store in PostgreSQL.
exec bash "$(dirname "$0")/pg_mode.sh" cluster_forward.sh cluster.sh
