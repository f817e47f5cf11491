/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small assertion helpers for the unit tests of the script, layout and
 * lockstep code: each failed assert prints both values and the test's name,
 * counts the failure and goes on, so one run shows every broken case;
 * unit_exit() turns the count into the exit status.
 */
#ifndef VMAFUZZ_TESTS_UNIT_H
#define VMAFUZZ_TESTS_UNIT_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *unit_test = "";
static unsigned int unit_failed, unit_run;

#define UNIT_FAIL(...)                                                         \
	do {                                                                   \
		fprintf(stderr, "%s:%d: %s: ", __FILE__, __LINE__, unit_test); \
		fprintf(stderr, __VA_ARGS__);                                  \
		fputc('\n', stderr);                                           \
		unit_failed++;                                                 \
	} while (0)

#define ASSERT_INT(a, b)                                                            \
	do {                                                                        \
		long long _a = (long long)(a), _b = (long long)(b);                 \
		if (_a != _b)                                                       \
			UNIT_FAIL("%s == %s failed: %lld != %lld", #a, #b, _a, _b); \
	} while (0)

#define ASSERT_STR(a, b)                                                                          \
	do {                                                                                      \
		const char *_a = (a), *_b = (b);                                                  \
		if (!_a || !_b || strcmp(_a, _b))                                                 \
			UNIT_FAIL("%s == %s failed:\n  '%s'\n  '%s'", #a, #b, _a ? _a : "(null)", \
				  _b ? _b : "(null)");                                            \
	} while (0)

/* haystack contains needle */
#define ASSERT_HAS(hay, needle)                                                     \
	do {                                                                        \
		const char *_h = (hay), *_n = (needle);                             \
		if (!_h || !strstr(_h, _n))                                         \
			UNIT_FAIL("%s does not contain '%s'; it is:\n%s", #hay, _n, \
				  _h ? _h : "(null)");                              \
	} while (0)

#define ASSERT_NOT_HAS(hay, needle)                                              \
	do {                                                                     \
		const char *_h = (hay), *_n = (needle);                          \
		if (_h && strstr(_h, _n))                                        \
			UNIT_FAIL("%s contains '%s'; it is:\n%s", #hay, _n, _h); \
	} while (0)

#define RUN(fn)                  \
	do {                     \
		unit_test = #fn; \
		unit_run++;      \
		fn();            \
	} while (0)

/*
 * xorshift64*: the tests' one pseudo-random source. A fixed start, so every
 * run sees the same cases; a test that wants its own sequence sets unit_rng
 * (never to 0).
 */
static uint64_t unit_rng = 0x9e3779b97f4a7c15ull;

static inline uint64_t unit_rand(void)
{
	unit_rng ^= unit_rng >> 12;
	unit_rng ^= unit_rng << 25;
	unit_rng ^= unit_rng >> 27;
	return unit_rng * 0x2545f4914f6cdd1dull;
}

static inline int unit_exit(void)
{
	if (unit_failed)
		fprintf(stderr, "%u assertion(s) failed in %u tests\n", unit_failed, unit_run);
	else
		printf("%u tests passed\n", unit_run);
	return unit_failed ? 1 : 0;
}

#endif /* VMAFUZZ_TESTS_UNIT_H */
