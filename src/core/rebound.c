/*
 * rebound.c - whether regcomp(3) can compile a POSIX ERE in bounded memory
 * (rebound.h).
 *
 * glibc's regcomp copies a subexpression for each repetition it must
 * match: X{m,n} takes n copies of X, X+ two (X then X*), while X* and X?
 * take one. Nested repetitions multiply, so "(a{100}){100}{100}" or
 * "a++++...+" (each '+' doubles what came before) ask for gigabytes and
 * minutes, from one line of a configuration file. The walk below counts
 * the copies the way regcomp makes them and refuses what would exceed a
 * bound far above any real pattern.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "rebound.h"

#define RB_DEPTH 64

/* the cost of a bracket expression: 1; *PP moved past its ']' */
static int
rb_bracket(const char **pp)
{
	const char *p = *pp + 1;

	if (*p == '^')
		p++;
	if (*p == ']')
		p++;
	while (*p && *p != ']') {
		if (p[0] == '[' && (p[1] == ':' || p[1] == '.' ||
		    p[1] == '=')) {
			char end = p[1];
			const char *q = p + 2;

			while (*q && !(q[0] == end && q[1] == ']'))
				q++;
			if (*q == '\0')
				return -1;
			p = q + 2;
		} else
			p++;
	}
	if (*p != ']')
		return -1;
	*pp = p;
	return 0;
}

int
re_bounded(const char *re, char *why, size_t len)
{
	double cur[RB_DEPTH], last[RB_DEPTH];
	int d = 0;
	const char *p;

	if (strlen(re) > RE_BOUND_LEN) {
		snprintf(why, len, "longer than %d characters", RE_BOUND_LEN);
		return -1;
	}
	cur[0] = 0;
	last[0] = 0;
	for (p = re; *p; p++) {
		switch (*p) {
		case '\\':
			if (p[1] != '\0')
				p++;
			last[d] = 1;
			cur[d] += 1;
			break;
		case '[':
			if (rb_bracket(&p) == -1)
				return 0; /* (regcomp says what is wrong) */
			last[d] = 1;
			cur[d] += 1;
			break;
		case '(':
			if (++d >= RB_DEPTH) {
				snprintf(why, len, "groups nested more than "
				    "%d deep", RB_DEPTH - 1);
				return -1;
			}
			cur[d] = 0;
			last[d] = 0;
			break;
		case ')':
			if (d == 0) {
				last[0] = 1;
				cur[0] += 1;
				break;
			}
			d--;
			last[d] = cur[d + 1] + 1;
			cur[d] += last[d];
			break;
		case '|':
			last[d] = 0;
			break;
		case '*':
		case '?':
			break;
		case '+':
			cur[d] += last[d];
			last[d] *= 2;
			break;
		case '{': {
			unsigned long m = 0, n = 0;
			int comma = 0, digits = 0;
			const char *q = p + 1;

			for (; *q >= '0' && *q <= '9'; q++, digits++)
				if (m <= RE_BOUND_COUNT)
					m = m * 10 + (unsigned long)(*q - '0');
			if (*q == ',') {
				comma = 1;
				for (q++; *q >= '0' && *q <= '9'; q++)
					if (n <= RE_BOUND_COUNT)
						n = n * 10 +
						    (unsigned long)(*q - '0');
			}
			if (*q != '}' || digits == 0) {
				/* a literal '{' (regcomp judges) */
				last[d] = 1;
				cur[d] += 1;
				break;
			}
			if (!comma)
				n = m;
			else if (n == 0)
				n = m + 1; /* {m,}: m copies and a star */
			if (m > RE_BOUND_COUNT || n > RE_BOUND_COUNT) {
				snprintf(why, len, "a repetition count over %d",
				    RE_BOUND_COUNT);
				return -1;
			}
			if (n > 1) {
				cur[d] += last[d] * (double)(n - 1);
				last[d] *= (double)n;
			}
			p = q;
			break;
		}
		default:
			last[d] = 1;
			cur[d] += 1;
			break;
		}
		if (cur[d] > RE_BOUND_NODES || last[d] > RE_BOUND_NODES) {
			snprintf(why, len, "its repetitions nest too deep "
			    "(over %d copies for regcomp to make)",
			    RE_BOUND_NODES);
			return -1;
		}
	}
	/* the enclosing groups of an unbalanced pattern, for the total */
	while (d > 0) {
		d--;
		cur[d] += cur[d + 1];
		if (cur[d] > RE_BOUND_NODES) {
			snprintf(why, len, "its repetitions nest too deep "
			    "(over %d copies for regcomp to make)",
			    RE_BOUND_NODES);
			return -1;
		}
	}
	return 0;
}
