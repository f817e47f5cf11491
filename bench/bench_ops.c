// SPDX-License-Identifier: GPL-2.0
/*
 * The cost of one model operation against the number of VMAs (10 to
 * 10,000): DESIGN.md asks O(log n + k) per op, the oracle's O(n) checks
 * being measured apart (bench_oracle). N two-page anonymous VMAs are
 * separated by one-page holes; each round takes one VMA at random (fixed
 * seed), splits its second page off with mprotect, merges it back (case 7),
 * faults a page and flips a madvise flag back and forth, on both paths.
 * Release build, one core; figures are printed, never judged.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model.h"

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static uint64_t rng;

static uint32_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)rng;
}

static void apply(struct model *m, enum vmafuzz_op_kind kind, uint32_t addr, uint32_t len,
		  uint8_t prot, uint8_t advice)
{
	struct vmafuzz_op op;

	memset(&op, 0, sizeof(op));
	op.op = kind;
	op.addr = addr;
	op.len = len;
	op.prot = prot;
	op.advice = advice;
	op.kind = VMAFUZZ_KIND_ANON;
	(void)model_apply(m, &op);
}

static double run(const struct vma_callers *callers, unsigned int n, unsigned int rounds)
{
	const uint8_t rw = VMAFUZZ_PROT_READ | VMAFUZZ_PROT_WRITE, r = VMAFUZZ_PROT_READ;
	struct model *m = model_new(callers);
	unsigned int i;
	double t0, t;

	for (i = 0; i < n; i++)
		apply(m, VMAFUZZ_OP_MMAP, 3 * i, 2, rw, 0);
	rng = 0x9e3779b97f4a7c15ull;
	t0 = now_ns();
	for (i = 0; i < rounds; i++) {
		uint32_t base = 3 * (next_rand() % n);

		apply(m, VMAFUZZ_OP_MPROTECT, base + 1, 1, r, 0);
		apply(m, VMAFUZZ_OP_MPROTECT, base + 1, 1, rw, 0);
		apply(m, VMAFUZZ_OP_TOUCH, base, 1, 0, 0);
		apply(m, VMAFUZZ_OP_MADVISE, base, 2, 0, VMAFUZZ_ADV_DONTDUMP);
		apply(m, VMAFUZZ_OP_MADVISE, base, 2, 0, VMAFUZZ_ADV_DODUMP);
	}
	t = now_ns() - t0;
	if ((unsigned int)m->mm->map_count != n) {
		fprintf(stderr, "bench: %u VMAs became %d\n", n, m->mm->map_count);
		exit(1);
	}
	model_free(m);
	return t / (5.0 * rounds);
}

int main(int argc, char **argv)
{
	static const unsigned int sizes[] = { 10, 100, 1000, 10000 };
	unsigned int rounds = argc > 1 ? (unsigned int)atoi(argv[1]) : 100000;
	unsigned int i;

	printf("model op cost (ns/op, mean of %u rounds of 5 ops: split, merge, fault, 2x madvise)\n",
	       rounds);
	printf("%8s %12s %12s\n", "VMAs", "legacy", "refactored");
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		printf("%8u %12.0f %12.0f\n", sizes[i], run(&legacy_callers, sizes[i], rounds),
		       run(&refactored_callers, sizes[i], rounds));
	return 0;
}
