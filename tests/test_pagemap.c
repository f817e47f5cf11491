// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of lib/pages.c, the run-length page map: a few named cases, then
 * many random operations checked page by page against a naive byte array,
 * with the run array checked to be sorted, disjoint and coalesced after every
 * operation.
 *
 * Usage: test_pagemap [SEED [OPS]]   (defaults: a fixed seed, 100000 ops)
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

static const char *current_test;
static uint64_t current_seed;
static unsigned long current_op;

#define FAIL_AT(...)                                                                              \
	do {                                                                                      \
		fprintf(stderr, "%s:%d: %s: ", __FILE__, __LINE__, current_test);                 \
		fprintf(stderr, __VA_ARGS__);                                                     \
		if (current_op)                                                                   \
			fprintf(stderr, " (seed %" PRIu64 ", op %lu)", current_seed, current_op); \
		fputc('\n', stderr);                                                              \
		abort();                                                                          \
	} while (0)

/* Both sides are printed as unsigned long: page numbers, states, serials, counts. */
#define ASSERT_EQ(a, b)                                                         \
	do {                                                                    \
		unsigned long _a = (unsigned long)(a), _b = (unsigned long)(b); \
		if (_a != _b)                                                   \
			FAIL_AT("%s == %s failed: %lu != %lu", #a, #b, _a, _b); \
	} while (0)

/* Check one run of pm. */
#define ASSERT_RUN(pm, i, s, e, st, av)                 \
	do {                                            \
		ASSERT_EQ((pm)->runs[i].start, s);      \
		ASSERT_EQ((pm)->runs[i].end, e);        \
		ASSERT_EQ((pm)->runs[i].state, st);     \
		ASSERT_EQ((pm)->runs[i].av_serial, av); \
	} while (0)

static const unsigned int PW = PG_PRESENT | PG_WRITTEN;

/* Sorted, disjoint, non-empty, non-zero and coalesced; nr within cap. */
static void check_shape(const struct pagemap *pm)
{
	unsigned int i;

	if (pm->nr > pm->cap)
		FAIL_AT("nr %u > cap %u", pm->nr, pm->cap);
	for (i = 0; i < pm->nr; i++) {
		const struct page_run *r = &pm->runs[i], *p = i ? &pm->runs[i - 1] : NULL;

		if (r->start >= r->end)
			FAIL_AT("run %u is empty or reversed: [%lu, %lu)", i, r->start, r->end);
		if (!r->state)
			FAIL_AT("run %u [%lu, %lu) has state 0", i, r->start, r->end);
		if (p && p->end > r->start)
			FAIL_AT("runs %u [%lu, %lu) and %u [%lu, %lu) overlap or are unsorted",
				i - 1, p->start, p->end, i, r->start, r->end);
		if (p && p->end == r->start && p->state == r->state && p->av_serial == r->av_serial)
			FAIL_AT("runs %u and %u touch at %lu with equal state %u av %lu: "
				"not coalesced",
				i - 1, i, r->start, r->state, r->av_serial);
	}
}

/* ------------------------------------------------------------ named cases */

static void test_pagemap_empty_map_has_no_pages(void)
{
	struct pagemap pm;
	unsigned long av = 99;

	pagemap_init(&pm);
	ASSERT_EQ(pagemap_get(&pm, 0, &av), 0);
	ASSERT_EQ(av, 0);
	ASSERT_EQ(pagemap_get(&pm, 12345, NULL), 0);
	pagemap_clear(&pm, 0, 100);
	pagemap_move(&pm, 0, 10, 5);
	ASSERT_EQ(pm.nr, 0);
	pagemap_fini(&pm);
	ASSERT_EQ(pm.nr, 0);
	ASSERT_EQ(pm.runs, 0);
}

static void test_pagemap_set_then_get_one_run(void)
{
	struct pagemap pm;
	unsigned long av = 0;

	/*  0 1 2 3 4 5
	 *  . . P P P .   */
	pagemap_init(&pm);
	pagemap_set(&pm, 2, 5, PG_PRESENT, 7);
	check_shape(&pm);
	ASSERT_EQ(pm.nr, 1);
	ASSERT_RUN(&pm, 0, 2, 5, PG_PRESENT, 7);
	ASSERT_EQ(pagemap_get(&pm, 1, NULL), 0);
	ASSERT_EQ(pagemap_get(&pm, 2, &av), PG_PRESENT);
	ASSERT_EQ(av, 7);
	ASSERT_EQ(pagemap_get(&pm, 4, NULL), PG_PRESENT);
	ASSERT_EQ(pagemap_get(&pm, 5, NULL), 0);
	pagemap_fini(&pm);
}

static void test_pagemap_empty_range_changes_nothing(void)
{
	struct pagemap pm;

	pagemap_init(&pm);
	pagemap_set(&pm, 4, 4, PW, 1);
	pagemap_set(&pm, 6, 2, PW, 1);
	ASSERT_EQ(pm.nr, 0);
	pagemap_set(&pm, 0, 8, PG_PRESENT, 0);
	pagemap_clear(&pm, 3, 3);
	pagemap_move(&pm, 2, 5, 0);
	ASSERT_EQ(pm.nr, 1);
	ASSERT_RUN(&pm, 0, 0, 8, PG_PRESENT, 0);
	pagemap_fini(&pm);
}

static void test_pagemap_set_coalesces_touching_equal_runs(void)
{
	struct pagemap pm;

	/*  0 1 2 3 4 5 6
	 *  A A . . A A .   then fill 2-4 with A:  A A A A A A .   */
	pagemap_init(&pm);
	pagemap_set(&pm, 0, 2, PW, 3);
	pagemap_set(&pm, 4, 6, PW, 3);
	ASSERT_EQ(pm.nr, 2);
	pagemap_set(&pm, 2, 4, PW, 3);
	check_shape(&pm);
	ASSERT_EQ(pm.nr, 1);
	ASSERT_RUN(&pm, 0, 0, 6, PW, 3);
	/* Appending and prepending coalesce too. */
	pagemap_set(&pm, 6, 9, PW, 3);
	pagemap_set(&pm, 0, 1, PW, 3);
	ASSERT_EQ(pm.nr, 1);
	ASSERT_RUN(&pm, 0, 0, 9, PW, 3);
	pagemap_fini(&pm);
}

static void test_pagemap_set_keeps_different_state_or_av_apart(void)
{
	struct pagemap pm;

	/*  0 1 2 3 4 5
	 *  A A B B C C    A: PW av 1, B: PW av 2, C: P av 2   */
	pagemap_init(&pm);
	pagemap_set(&pm, 0, 2, PW, 1);
	pagemap_set(&pm, 2, 4, PW, 2);
	pagemap_set(&pm, 4, 6, PG_PRESENT, 2);
	check_shape(&pm);
	ASSERT_EQ(pm.nr, 3);
	ASSERT_RUN(&pm, 0, 0, 2, PW, 1);
	ASSERT_RUN(&pm, 1, 2, 4, PW, 2);
	ASSERT_RUN(&pm, 2, 4, 6, PG_PRESENT, 2);
	pagemap_fini(&pm);
}

static void test_pagemap_overwrite_middle_splits_in_three(void)
{
	struct pagemap pm;
	unsigned long av;

	/*  0 1 2 3 4 5 6 7
	 *  A A A A A A A A   then 3-5 := B   A A A B B A A A   */
	pagemap_init(&pm);
	pagemap_set(&pm, 0, 8, PG_PRESENT, 0);
	pagemap_set(&pm, 3, 5, PW, 4);
	check_shape(&pm);
	ASSERT_EQ(pm.nr, 3);
	ASSERT_RUN(&pm, 0, 0, 3, PG_PRESENT, 0);
	ASSERT_RUN(&pm, 1, 3, 5, PW, 4);
	ASSERT_RUN(&pm, 2, 5, 8, PG_PRESENT, 0);
	ASSERT_EQ(pagemap_get(&pm, 4, &av), PW);
	ASSERT_EQ(av, 4);
	/* Writing A back over B joins the three again. */
	pagemap_set(&pm, 3, 5, PG_PRESENT, 0);
	ASSERT_EQ(pm.nr, 1);
	ASSERT_RUN(&pm, 0, 0, 8, PG_PRESENT, 0);
	pagemap_fini(&pm);
}

static void test_pagemap_clear_punches_a_hole(void)
{
	struct pagemap pm;

	/*  0 1 2 3 4 5 6 7
	 *  A A A A A A A A   then clear 2-6   A A . . . . A A   */
	pagemap_init(&pm);
	pagemap_set(&pm, 0, 8, PW, 5);
	pagemap_clear(&pm, 2, 6);
	check_shape(&pm);
	ASSERT_EQ(pm.nr, 2);
	ASSERT_RUN(&pm, 0, 0, 2, PW, 5);
	ASSERT_RUN(&pm, 1, 6, 8, PW, 5);
	/* set with state 0 is a clear. */
	pagemap_set(&pm, 0, 1, 0, 5);
	ASSERT_EQ(pm.nr, 2);
	ASSERT_RUN(&pm, 0, 1, 2, PW, 5);
	/* Clearing over several runs and gaps removes them all. */
	pagemap_clear(&pm, 0, 100);
	ASSERT_EQ(pm.nr, 0);
	pagemap_fini(&pm);
}

static void test_pagemap_move_to_a_disjoint_range(void)
{
	struct pagemap pm;

	/*  0 1 2 3 4 5 6 7 8 9
	 *  A A B . . . . . . .   move 0-3 to 6:   . . . . . . A A B .   */
	pagemap_init(&pm);
	pagemap_set(&pm, 0, 2, PW, 1);
	pagemap_set(&pm, 2, 3, PG_PRESENT, 0);
	pagemap_set(&pm, 8, 10, PG_PRESENT, 9); /* overwritten by the move */
	pagemap_move(&pm, 0, 6, 3);
	check_shape(&pm);
	ASSERT_EQ(pm.nr, 3);
	ASSERT_RUN(&pm, 0, 6, 8, PW, 1);
	ASSERT_RUN(&pm, 1, 8, 9, PG_PRESENT, 0);
	ASSERT_RUN(&pm, 2, 9, 10, PG_PRESENT, 9);
	pagemap_fini(&pm);
}

static void test_pagemap_move_overlapping_forward_and_back(void)
{
	struct pagemap pm;

	/*  0 1 2 3 4 5 6
	 *  A B C . . . .   move 0-3 to 2:   . . A B C . .   */
	pagemap_init(&pm);
	pagemap_set(&pm, 0, 1, PW, 1);
	pagemap_set(&pm, 1, 2, PW, 2);
	pagemap_set(&pm, 2, 3, PW, 3);
	pagemap_move(&pm, 0, 2, 3);
	check_shape(&pm);
	ASSERT_EQ(pm.nr, 3);
	ASSERT_RUN(&pm, 0, 2, 3, PW, 1);
	ASSERT_RUN(&pm, 1, 3, 4, PW, 2);
	ASSERT_RUN(&pm, 2, 4, 5, PW, 3);
	/* And back by one: . A B C . . */
	pagemap_move(&pm, 2, 1, 3);
	check_shape(&pm);
	ASSERT_EQ(pm.nr, 3);
	ASSERT_RUN(&pm, 0, 1, 2, PW, 1);
	ASSERT_RUN(&pm, 1, 2, 3, PW, 2);
	ASSERT_RUN(&pm, 2, 3, 4, PW, 3);
	/* A move that lands next to an equal run coalesces with it. */
	pagemap_set(&pm, 6, 8, PW, 1);
	pagemap_move(&pm, 1, 5, 1);
	check_shape(&pm);
	ASSERT_EQ(pm.nr, 3);
	ASSERT_RUN(&pm, 2, 5, 8, PW, 1);
	pagemap_fini(&pm);
}

static void test_pagemap_copy_between_maps(void)
{
	struct pagemap a, b;

	/* a:  0 1 2 3 4 5      b:  0 1 2 3 4 5
	 *     A A . B B .          C C C C C C
	 * copy 1-5 of a into b:    C A . B B C   */
	pagemap_init(&a);
	pagemap_init(&b);
	pagemap_set(&a, 0, 2, PW, 1);
	pagemap_set(&a, 3, 5, PG_PRESENT, 0);
	pagemap_set(&b, 0, 6, PG_PRESENT, 8);
	pagemap_copy(&b, &a, 1, 5);
	check_shape(&a);
	check_shape(&b);
	ASSERT_EQ(b.nr, 4);
	ASSERT_RUN(&b, 0, 0, 1, PG_PRESENT, 8);
	ASSERT_RUN(&b, 1, 1, 2, PW, 1);
	ASSERT_RUN(&b, 2, 3, 5, PG_PRESENT, 0);
	ASSERT_RUN(&b, 3, 5, 6, PG_PRESENT, 8);
	/* The source is unchanged, and copying a map onto itself changes nothing. */
	ASSERT_EQ(a.nr, 2);
	pagemap_copy(&a, &a, 0, 6);
	ASSERT_EQ(a.nr, 2);
	ASSERT_RUN(&a, 0, 0, 2, PW, 1);
	ASSERT_RUN(&a, 1, 3, 5, PG_PRESENT, 0);
	pagemap_fini(&a);
	pagemap_fini(&b);
}

static void test_pagemap_high_page_numbers(void)
{
	const unsigned long top = 1UL << 32; /* a regular file's extent */
	struct pagemap pm;

	pagemap_init(&pm);
	pagemap_set(&pm, top - 4, top, PW, 2);
	pagemap_move(&pm, top - 4, top - 6, 4);
	check_shape(&pm);
	ASSERT_EQ(pm.nr, 1);
	ASSERT_RUN(&pm, 0, top - 6, top - 2, PW, 2);
	ASSERT_EQ(pagemap_get(&pm, top - 1, NULL), 0);
	ASSERT_EQ(pagemap_get(&pm, top - 6, NULL), PW);
	pagemap_fini(&pm);
}

static void test_pagemap_many_runs_grow_and_shrink(void)
{
	struct pagemap pm;
	unsigned long i;

	/* Every other page present: n runs, then one clear removes them all. */
	pagemap_init(&pm);
	for (i = 0; i < 1000; i++)
		pagemap_set(&pm, 2 * i, 2 * i + 1, PG_PRESENT, i);
	check_shape(&pm);
	ASSERT_EQ(pm.nr, 1000);
	/* A move of many runs at once (past the splice's stack buffer). */
	pagemap_move(&pm, 0, 1, 2000);
	check_shape(&pm);
	ASSERT_EQ(pm.nr, 1000);
	ASSERT_RUN(&pm, 999, 1999, 2000, PG_PRESENT, 999);
	pagemap_clear(&pm, 500, 1500);
	check_shape(&pm);
	ASSERT_EQ(pm.nr, 500);
	pagemap_clear(&pm, 0, 3000);
	ASSERT_EQ(pm.nr, 0);
	pagemap_fini(&pm);
}

/* ------------------------------------------------ random against a reference */

#define SPACE	4096UL
#define NR_MAPS 2

struct ref {
	unsigned char state[SPACE];
	unsigned long av[SPACE]; /* meaningful where state != 0 */
};

static uint64_t rng_state;

static uint64_t rng(void)
{
	/* splitmix64 */
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned long rng_below(unsigned long n)
{
	return n ? (unsigned long)(rng() % n) : 0;
}

/* A length biased to short ranges, with occasional long ones, at most max. */
static unsigned long rng_len(unsigned long max)
{
	unsigned long len;

	switch (rng_below(16)) {
	case 0:
		len = rng_below(max + 1);
		break;
	case 1:
	case 2:
	case 3:
		len = rng_below(65);
		break;
	default:
		len = rng_below(9);
		break;
	}
	return min(len, max);
}

static void ref_set(struct ref *r, unsigned long s, unsigned long e, unsigned int st,
		    unsigned long av)
{
	for (unsigned long p = s; p < e; p++) {
		r->state[p] = (unsigned char)st;
		r->av[p] = st ? av : 0;
	}
}

static void ref_move(struct ref *r, unsigned long src, unsigned long dst, unsigned long n)
{
	static struct ref tmp;

	memcpy(tmp.state, &r->state[src], n);
	memcpy(tmp.av, &r->av[src], n * sizeof(tmp.av[0]));
	ref_set(r, src, src + n, 0, 0);
	memcpy(&r->state[dst], tmp.state, n);
	memcpy(&r->av[dst], tmp.av, n * sizeof(tmp.av[0]));
}

/* Every page of pm against the reference, walking the runs: O(SPACE). */
static void check_against(const struct pagemap *pm, const struct ref *r, int which)
{
	unsigned long p = 0;
	unsigned int i;

	check_shape(pm);
	for (i = 0; i <= pm->nr; i++) {
		unsigned long gap_end = i < pm->nr ? min(pm->runs[i].start, SPACE) : SPACE;

		for (; p < gap_end; p++)
			if (r->state[p])
				FAIL_AT("map %d page %lu: state 0 (absent) != reference %u av %lu",
					which, p, r->state[p], r->av[p]);
		if (i == pm->nr)
			break;
		if (pm->runs[i].end > SPACE)
			FAIL_AT("map %d run %u [%lu, %lu) lies past the space", which, i,
				pm->runs[i].start, pm->runs[i].end);
		for (; p < pm->runs[i].end; p++)
			if (r->state[p] != pm->runs[i].state || r->av[p] != pm->runs[i].av_serial)
				FAIL_AT("map %d page %lu: state %u av %lu != reference %u av %lu",
					which, p, pm->runs[i].state, pm->runs[i].av_serial,
					r->state[p], r->av[p]);
	}
}

/* Every page through pagemap_get(): O(SPACE log n), so only now and then. */
static void check_get_all(const struct pagemap *pm, const struct ref *r, int which)
{
	for (unsigned long p = 0; p < SPACE; p++) {
		unsigned long av = 12345;
		unsigned int st = pagemap_get(pm, p, &av);

		if (st != r->state[p] || (st && av != r->av[p]) || (!st && av != 0))
			FAIL_AT("map %d pagemap_get(%lu): state %u av %lu != reference %u av %lu",
				which, p, st, av, r->state[p], r->av[p]);
	}
}

static unsigned long random_ops = 100000;

static void test_pagemap_random_ops_match_a_byte_array(void)
{
	static struct ref ref[NR_MAPS];
	struct pagemap pm[NR_MAPS];
	unsigned long counts[4] = { 0 }, max_runs = 0, sum_runs = 0;
	int m;

	rng_state = current_seed;
	memset(ref, 0, sizeof(ref));
	for (m = 0; m < NR_MAPS; m++)
		pagemap_init(&pm[m]);

	for (current_op = 1; current_op <= random_ops; current_op++) {
		int op = (int)rng_below(4), w = (int)rng_below(NR_MAPS);
		/* Few distinct values, so touching runs often agree and must coalesce. */
		unsigned int st = (unsigned int)rng_below(4);
		unsigned long av = rng_below(3);
		unsigned long n = rng_len(SPACE), s = rng_below(SPACE - n + 1), d;

		counts[op]++;
		switch (op) {
		case 0:
			pagemap_set(&pm[w], s, s + n, st, av);
			ref_set(&ref[w], s, s + n, st, av);
			break;
		case 1:
			pagemap_clear(&pm[w], s, s + n);
			ref_set(&ref[w], s, s + n, 0, 0);
			break;
		case 2:
			/* Usually near the source, so the ranges overlap. */
			if (rng_below(2)) {
				long near = (long)s - (long)n - 1 + (long)rng_below(2 * n + 3);

				d = (unsigned long)max(0L, min(near, (long)(SPACE - n)));
			} else {
				d = rng_below(SPACE - n + 1);
			}
			pagemap_move(&pm[w], s, d, n);
			ref_move(&ref[w], s, d, n);
			break;
		default:
			pagemap_copy(&pm[w], &pm[!w], s, s + n);
			memcpy(&ref[w].state[s], &ref[!w].state[s], n);
			memcpy(&ref[w].av[s], &ref[!w].av[s], n * sizeof(ref[w].av[0]));
			break;
		}
		for (m = 0; m < NR_MAPS; m++) {
			check_against(&pm[m], &ref[m], m);
			max_runs = max(max_runs, (unsigned long)pm[m].nr);
			sum_runs += pm[m].nr;
		}
		for (int k = 0; k < 4; k++) {
			unsigned long p = rng_below(SPACE), got_av = 0;
			unsigned int got = pagemap_get(&pm[w], p, &got_av);

			ASSERT_EQ(got, ref[w].state[p]);
			ASSERT_EQ(got_av, ref[w].av[p]);
		}
		if (current_op % 4096 == 0)
			for (m = 0; m < NR_MAPS; m++)
				check_get_all(&pm[m], &ref[m], m);
	}
	current_op = 0;
	printf("#   %lu ops (set %lu, clear %lu, move %lu, copy %lu), runs per map: "
	       "mean %lu, max %lu\n",
	       random_ops, counts[0], counts[1], counts[2], counts[3],
	       sum_runs / (random_ops * NR_MAPS), max_runs);
	for (m = 0; m < NR_MAPS; m++)
		pagemap_fini(&pm[m]);
}

/* -------------------------------------------------------------- registry */

static const struct {
	const char *name;
	void (*fn)(void);
} tests[] = {
#define T(fn)           \
	{               \
#fn, fn \
	}
	T(test_pagemap_empty_map_has_no_pages),
	T(test_pagemap_set_then_get_one_run),
	T(test_pagemap_empty_range_changes_nothing),
	T(test_pagemap_set_coalesces_touching_equal_runs),
	T(test_pagemap_set_keeps_different_state_or_av_apart),
	T(test_pagemap_overwrite_middle_splits_in_three),
	T(test_pagemap_clear_punches_a_hole),
	T(test_pagemap_move_to_a_disjoint_range),
	T(test_pagemap_move_overlapping_forward_and_back),
	T(test_pagemap_copy_between_maps),
	T(test_pagemap_high_page_numbers),
	T(test_pagemap_many_runs_grow_and_shrink),
	T(test_pagemap_random_ops_match_a_byte_array),
#undef T
};

int main(int argc, char **argv)
{
	size_t i, n = sizeof(tests) / sizeof(tests[0]);

	current_seed = 0x7061676573ULL; /* "pages" */
	if (argc > 1)
		current_seed = strtoull(argv[1], NULL, 0);
	if (argc > 2)
		random_ops = strtoul(argv[2], NULL, 0);
	printf("# seed %" PRIu64 "\n", current_seed);
	for (i = 0; i < n; i++) {
		current_test = tests[i].name;
		tests[i].fn();
		printf("ok %zu %s\n", i + 1, tests[i].name);
	}
	printf("%zu passed, 0 failed\n", n);
	return 0;
}
