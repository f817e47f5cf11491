// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of the structure-aware mutator (fuzz/mutate.c): what it writes
 * is canonical bytes of at most 64 operations that fit the room it was
 * given; it is a function of input and seed; given no room it leaves the
 * input alone; each kind of mutation happens; new ranges line up with the
 * old ones far more often than random bytes would; and a crossover is a's
 * head followed by a run of b's operations.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "vmafuzz/decode.h"
#include "vmafuzz/mutate.h"
#include "vmafuzz/script.h"

#define CAP   VMAFUZZ_DECODE_MAX_OPS
#define BYTES VMAFUZZ_ENCODE_MAX_BYTES

static size_t random_input(uint8_t *buf, size_t max)
{
	size_t i, n = unit_rand() % max;

	for (i = 0; i < n; i++)
		buf[i] = (uint8_t)unit_rand();
	return n;
}

/* The ops of a script's text, encoded; the test's fixed starting points. */
static size_t encode_text(const char *text, uint8_t *out)
{
	struct vmafuzz_op ops[CAP];
	struct vmafuzz_script s;
	char err[256];
	unsigned int i, n = 0;
	int len;

	if (vmafuzz_script_parse(&s, "t.vma", text, strlen(text), err, sizeof(err))) {
		UNIT_FAIL("does not parse: %s", err);
		return 0;
	}
	for (i = 0; i < s.nr; i++)
		ops[n++] = s.stmts[i].op;
	vmafuzz_script_free(&s);
	len = vmafuzz_encode(ops, n, out, BYTES);
	if (len < 0)
		UNIT_FAIL("'%s' does not encode", text);
	return len < 0 ? 0 : (size_t)len;
}

/* The ops of orig mutated with seed (none if nothing could change). */
static int mutated(const uint8_t *orig, size_t size, unsigned int seed, struct vmafuzz_op *ops)
{
	uint8_t buf[BYTES];
	size_t len;

	memcpy(buf, orig, size);
	len = vmafuzz_mutate(buf, size, sizeof(buf), seed);
	return vmafuzz_decode(buf, len, ops, CAP);
}

/* buf is the canonical encoding of what it decodes to. */
static void assert_canonical(const uint8_t *buf, size_t len, const char *what)
{
	struct vmafuzz_op ops[CAP];
	uint8_t again[BYTES];
	int n = vmafuzz_decode(buf, len, ops, CAP);
	int back = vmafuzz_encode(ops, (unsigned int)n, again, sizeof(again));

	if (back != (int)len || memcmp(buf, again, len))
		UNIT_FAIL("%s: %zu bytes are not the canonical encoding of their %d ops (%d bytes)",
			  what, len, n, back);
}

static void test_mutate_output_is_canonical_and_fits(void)
{
	unsigned int trial, changed = 0;

	for (trial = 0; trial < 20000; trial++) {
		uint8_t buf[BYTES], orig[BYTES];
		size_t size = random_input(buf, 400), max = size + unit_rand() % 200, len;

		memcpy(orig, buf, size);
		len = vmafuzz_mutate(buf, size, max, (unsigned int)trial);
		if (!len) {
			if (memcmp(buf, orig, size))
				UNIT_FAIL("trial %u: returned 0 but changed the input", trial);
			continue;
		}
		changed++;
		if (len > max)
			UNIT_FAIL("trial %u: %zu bytes for room of %zu", trial, len, max);
		if (len == size && !memcmp(buf, orig, size))
			UNIT_FAIL("trial %u: the result is the input", trial);
		assert_canonical(buf, len, "mutate");
	}
	/* Inputs of 200+ bytes with little room can fail to grow; most change. */
	if (changed < 19000)
		UNIT_FAIL("only %u of 20000 inputs were changed", changed);
}

static void test_mutate_is_a_function_of_input_and_seed(void)
{
	unsigned int trial;

	for (trial = 0; trial < 2000; trial++) {
		uint8_t a[BYTES], b[BYTES];
		size_t size = random_input(a, 300), la, lb;
		unsigned int seed = (unsigned int)unit_rand();

		memcpy(b, a, size);
		la = vmafuzz_mutate(a, size, sizeof(a), seed);
		lb = vmafuzz_mutate(b, size, sizeof(b), seed);
		if (la != lb || memcmp(a, b, la))
			UNIT_FAIL("trial %u: two runs with seed %u differ", trial, seed);
	}
}

static void test_mutate_without_room_leaves_the_input(void)
{
	/* Every encoding of one op or more is 8 bytes or longer. */
	uint8_t buf[8] = { 0 }, orig[8] = { 0 };
	unsigned int seed;

	for (seed = 0; seed < 1000; seed++) {
		ASSERT_INT(vmafuzz_mutate(buf, sizeof(buf), 7, seed), 0);
		if (memcmp(buf, orig, sizeof(buf)))
			UNIT_FAIL("seed %u: the input changed", seed);
	}
}

static void test_mutate_starts_from_nothing(void)
{
	uint8_t buf[BYTES];
	struct vmafuzz_op ops[CAP];
	unsigned int seed;

	for (seed = 0; seed < 1000; seed++) {
		size_t len = vmafuzz_mutate(buf, 0, sizeof(buf), seed);

		if (!len) {
			UNIT_FAIL("seed %u: nothing made from an empty input", seed);
			continue;
		}
		if (vmafuzz_decode(buf, len, ops, CAP) < 1)
			UNIT_FAIL("seed %u: no op", seed);
	}
}

/*
 * Over many seeds from one sequence, every kind of mutation shows: the op
 * count goes up and down, ops change kind over the same range, a `fail`
 * lands right before an op, and an op moves while the count stays.
 */
static void test_mutate_does_each_kind_of_change(void)
{
	const char *text = "mmap 10 8 rw- anon\n"
			   "mprotect 12 2 r--\n"
			   "mlock 14 2\n"
			   "brk 40\n"
			   "brk 44\n";
	unsigned int seed, grew = 0, shrank = 0, retyped = 0, armed = 0, same_n = 0, undone = 0;
	uint8_t orig[BYTES];
	struct vmafuzz_op before[CAP], after[CAP];
	size_t size = encode_text(text, orig);
	int n0 = vmafuzz_decode(orig, size, before, CAP);

	for (seed = 0; seed < 5000; seed++) {
		int n = mutated(orig, size, seed, after), i;
		bool mlocked = false;

		grew += n > n0;
		shrank += n < n0;
		same_n += n == n0;
		for (i = 0; i < n; i++) {
			if (after[i].op == VMAFUZZ_OP_FAIL && after[i].count == 1 && i + 1 < n)
				armed++;
			/* the mlock 14 2 undone: a munlock of its range after it */
			if (after[i].op == VMAFUZZ_OP_MLOCK && after[i].addr == 14 &&
			    after[i].len == 2)
				mlocked = true;
			if (after[i].op == VMAFUZZ_OP_MUNLOCK && after[i].addr == 14 &&
			    after[i].len == 2 && mlocked)
				undone++;
		}
		if (n == n0) {
			for (i = 0; i < n; i++) {
				if (after[i].op != before[i].op &&
				    vmafuzz_op_has_range(after[i].op) &&
				    after[i].addr == before[i].addr &&
				    after[i].len == before[i].len)
					retyped++;
			}
		}
	}
	/* undone: about 1 in 80 (1 in 5 ops, 2 of 29 weights); other ways, rarely */
	if (!grew || !shrank || !retyped || !armed || !same_n || undone < 25)
		UNIT_FAIL("grew %u, shrank %u, retyped %u, armed %u, same count %u, undone %u "
			  "(each must be > 0, undone > 25)",
			  grew, shrank, retyped, armed, same_n, undone);
}

/* Does op's range start or end at one of the points? */
static bool lines_up(const struct vmafuzz_op *op, const uint32_t *pt, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		if (op->addr == pt[i] || op->addr + op->len == pt[i])
			return true;
	}
	return false;
}

/*
 * The ops a mutation inserts line up with the existing ranges (start or
 * end on one of their edges) far more often than a random dense op does,
 * which is the point of aligning them.
 */
static void test_mutate_lines_new_ranges_up(void)
{
	const char *text = "mmap 10 7 rw- anon\nmmap 30 5 rw- file:1@3\nbrk 50\nbrk 53\n";
	const uint32_t pt[] = { 10, 17, 30, 35, 50, 53 };
	unsigned int seed, inserted = 0, aligned = 0, random_aligned = 0, k;
	uint8_t orig[BYTES];
	struct vmafuzz_op after[CAP], op;
	size_t size = encode_text(text, orig);

	for (seed = 0; seed < 20000; seed++) {
		int n = mutated(orig, size, seed, after), i;

		if (n != 5)
			continue;
		/* One op more: find it by the other four, in order. */
		for (i = 0, k = 0; i < n; i++) {
			struct vmafuzz_op want[4];

			vmafuzz_decode(orig, size, want, 4);
			if (k < 4 && vmafuzz_op_equal(&after[i], &want[k])) {
				k++;
				continue;
			}
			op = after[i];
		}
		if (k != 4 || !vmafuzz_op_has_range(op.op))
			continue;
		inserted++;
		aligned += lines_up(&op, pt, 6);
	}
	/* The same test on ops from random dense records. */
	for (k = 0; k < 20000; k++) {
		uint8_t rec[8];
		unsigned int b;

		for (b = 0; b < 8; b++)
			rec[b] = (uint8_t)unit_rand();
		rec[0] %= 0xf0;
		vmafuzz_decode(rec, sizeof(rec), &op, 1);
		random_aligned += vmafuzz_op_has_range(op.op) && lines_up(&op, pt, 6);
	}
	if (inserted < 1000)
		UNIT_FAIL("only %u inserted range ops in 20000 mutations", inserted);
	/* aligned/inserted at least 3 times random_aligned/20000 */
	if ((unsigned long long)aligned * 20000 < 3ull * random_aligned * inserted)
		UNIT_FAIL("%u of %u inserted ranges line up, random ops %u of 20000", aligned,
			  inserted, random_aligned);
}

/* A crossover is a[0..i) then b[j..k), then either nothing or a[i..). */
static void test_crossover_splices_whole_operations(void)
{
	uint8_t a[BYTES], b[BYTES], out[BYTES];
	struct vmafuzz_op oa[CAP], ob[CAP], oo[CAP];
	size_t la = encode_text("mmap 0 4 rw- anon\nmprotect 1 1 r--\nmlock 0 2\nfork\n", a);
	size_t lb = encode_text("brk 20\nbrk 24\nmunmap 22 2\nbrk 30\nname 20 2 x\n", b);
	int na = vmafuzz_decode(a, la, oa, CAP), nb = vmafuzz_decode(b, lb, ob, CAP);
	unsigned int seed, tails = 0, inserts = 0;

	for (seed = 0; seed < 3000; seed++) {
		size_t len = vmafuzz_crossover(a, la, b, lb, out, sizeof(out), seed);
		int n = vmafuzz_decode(out, len, oo, CAP), i = 0, j, k, t, rest;

		assert_canonical(out, len, "crossover");
		while (i < n && i < na && vmafuzz_op_equal(&oo[i], &oa[i]))
			i++;
		/* oo[i..] starts with a run of b: find where in b */
		for (j = 0; j < nb && (i >= n || !vmafuzz_op_equal(&oo[i], &ob[j])); j++)
			;
		if (i >= n || j == nb) {
			/* b's run is never empty */
			UNIT_FAIL("seed %u: no run of b after a's first %d ops", seed, i);
			continue;
		}
		for (k = 0; i + k < n && j + k < nb && vmafuzz_op_equal(&oo[i + k], &ob[j + k]);
		     k++)
			;
		if (i + k == n) {
			tails += j + k == nb;
			inserts += j + k < nb;
			continue;
		}
		/* the rest must be a's own rest, from where its head stopped */
		rest = n - (i + k);
		for (t = 0; t < rest && rest == na - i; t++) {
			if (!vmafuzz_op_equal(&oo[i + k + t], &oa[i + t]))
				break;
		}
		if (rest != na - i || t != rest) {
			UNIT_FAIL("seed %u: after b's run come %d ops that are not a's rest", seed,
				  rest);
			continue;
		}
		inserts++;
	}
	if (!tails || !inserts)
		UNIT_FAIL("tails %u, inserts %u (each must be > 0)", tails, inserts);
}

int main(void)
{
	RUN(test_mutate_output_is_canonical_and_fits);
	RUN(test_mutate_is_a_function_of_input_and_seed);
	RUN(test_mutate_without_room_leaves_the_input);
	RUN(test_mutate_starts_from_nothing);
	RUN(test_mutate_does_each_kind_of_change);
	RUN(test_mutate_lines_new_ranges_up);
	RUN(test_crossover_splices_whole_operations);
	return unit_exit();
}
