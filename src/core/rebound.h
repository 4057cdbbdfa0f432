/*
 * rebound.h - a POSIX extended regular expression checked before
 * regcomp(3): glibc copies repeated subexpressions, and nested repetitions
 * multiply the copies (a few bytes of pattern can take gigabytes).
 */
#ifndef NP_REBOUND_H
#define NP_REBOUND_H

#include <stddef.h>

#define RE_BOUND_LEN	4096	/* characters */
#define RE_BOUND_COUNT	1000	/* in {m,n} */
#define RE_BOUND_NODES	100000	/* copies, as regcomp would make them */

/* 0 when RE compiles within the bounds above, else -1 with WHY. */
int re_bounded(const char *re, char *why, size_t len);

#endif
