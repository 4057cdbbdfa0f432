/*
 * tap.h - a tiny TAP producer for the unit tests. Each check prints one
 * "ok N - what" or "not ok N - what" line; tap_done() prints the plan and
 * returns the exit status. Automake's tap-driver counts the lines.
 */
#ifndef NP_TAP_H
#define NP_TAP_H

#include <stdio.h>
#include <string.h>
#include <math.h>

static int tap_n, tap_failed;

#define TAP_OK(cond, ...) \
	do { \
		int _ok = !!(cond); \
		tap_n++; \
		if (!_ok) \
			tap_failed++; \
		printf("%sok %d - ", _ok ? "" : "not ", tap_n); \
		printf(__VA_ARGS__); \
		printf("\n"); \
		if (!_ok) \
			printf("# failed at %s:%d: %s\n", __FILE__, __LINE__, \
			    #cond); \
		fflush(stdout); \
	} while (0)

#define TAP_STREQ(got, want, ...) \
	do { \
		const char *_g = (got), *_w = (want); \
		int _eq = (_g && _w) ? strcmp(_g, _w) == 0 : _g == _w; \
		TAP_OK(_eq, __VA_ARGS__); \
		if (!_eq) \
			printf("#   got  \"%s\"\n#   want \"%s\"\n", \
			    _g ? _g : "(null)", _w ? _w : "(null)"); \
	} while (0)

#define TAP_NEAR(got, want, eps, ...) \
	do { \
		double _g = (got), _w = (want); \
		int _eq = fabs(_g - _w) <= (eps); \
		TAP_OK(_eq, __VA_ARGS__); \
		if (!_eq) \
			printf("#   got  %.9g\n#   want %.9g\n", _g, _w); \
	} while (0)

#define TAP_SKIP(why) \
	do { \
		tap_n++; \
		printf("ok %d # SKIP %s\n", tap_n, why); \
	} while (0)

static inline int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
