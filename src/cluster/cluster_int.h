/*
 * cluster_int.h - what the cluster's two threads share (cluster.c: the
 * leases; cluster_fwd.c: the events taken to the node that polls).
 */
#ifndef NP_CLUSTER_INT_H
#define NP_CLUSTER_INT_H

#ifdef HAVE_LIBPQ
#include <libpq-fe.h>

/* A connection to CONNINFO with the cluster's bounds (connect and
 * statement timeouts); check PQstatus. */
PGconn *cluster_pg_open(const char *conninfo);
#endif

/* the advisory lock under which a node makes the tables */
#define CLUSTER_SCHEMA_LOCK "7464857"

#endif
