/*
 * semdiff.h - the semantic diff of two configurations and the lint of
 * one (research note config-drift.md 2): interfaces (shutdown, addresses,
 * ACL bindings per direction), ACLs as packet sets (widened, narrowed,
 * new unreachable lines, unused ACLs, undefined references), BGP peers,
 * top-level blocks compared as a set keyed by their header, noise (the
 * normaliser's compare view) left out. Pure: no I/O.
 */
#ifndef NP_SEMDIFF_H
#define NP_SEMDIFF_H

#include <stddef.h>

#include "config/acl.h"

struct sem_line {
	int isnew; /* "new", else "old" */
	unsigned line;
	char *text;
};

struct sem_change {
	char kind[32]; /* interface.shutdown, acl.widened, ... */
	char *object;
	char *detail;
	struct sem_line *lines;
	size_t nlines;
	int has_example;
	struct acl_packet example;
	char *region;
};

struct sem_result {
	struct sem_change *c;
	size_t n, cap;
};

/* The changes from OLD to NEW (platform AUTO: detected). 0, or -1 with
 * ERR. */
int sem_diff(enum cfg_platform, const char *old, size_t oldlen,
    const char *new, size_t newlen, struct sem_result *, char *err,
    size_t errlen);
/* One configuration's unreachable lines, unused ACLs, undefined
 * references and parse warnings (kind parse.warning). */
int sem_lint(enum cfg_platform, const char *text, size_t len,
    struct sem_result *, char *err, size_t errlen);
void sem_result_free(struct sem_result *);

/* internal (semdiff.c, semdiff_parts.c) */
struct sem_change *sem_add(struct sem_result *, const char *kind,
    const char *object, const char *detail);
int sem_addline(struct sem_change *, int isnew, unsigned line,
    const char *text, size_t len);
int sem_diff_parts(const struct cfg_node *, const struct cfg_node *,
    const struct acl_config *, const struct acl_config *,
    int (*kept)(const void *, const struct cfg_node *), const void *,
    const void *, struct sem_result *);

#endif
