// SPDX-License-Identifier: GPL-2.0
/*
 * The cost of the oracle's checks per operation against the cost of the
 * operation itself, at 10, 100 and 1,000 VMAs (issue: independent oracles).
 *
 * The address space holds N two-page anonymous VMAs separated by one-page
 * holes; each round picks a VMA at random (fixed seed) and splits off its
 * second page with mprotect, merges it back (case 7), faults a page and
 * flips a madvise flag back and forth, so N stays steady while every op
 * walks, splits or merges. Each check is timed on its own; the decision
 * check runs inside vma_merge(), so its cost is the difference between the
 * op with the prediction on and off. Run from the release preset; figures
 * are printed, never compared with a threshold.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model.h"
#include "vmafuzz/pagemodel.h"
#include "vmafuzz/target.h"

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)rng;
}

static struct vmafuzz_op make_op(enum vmafuzz_op_kind kind, uint32_t addr, uint32_t len)
{
	struct vmafuzz_op op;

	memset(&op, 0, sizeof(op));
	op.op = kind;
	op.addr = addr;
	op.len = len;
	return op;
}

/* The ops of one round on VMA i: split, merge back, fault, advise twice. */
static unsigned int round_ops(struct vmafuzz_op *ops, uint32_t i)
{
	uint32_t base = 3 * i;

	ops[0] = make_op(VMAFUZZ_OP_MPROTECT, base + 1, 1);
	ops[0].prot = VMAFUZZ_PROT_READ;
	ops[1] = make_op(VMAFUZZ_OP_MPROTECT, base + 1, 1);
	ops[1].prot = VMAFUZZ_PROT_READ | VMAFUZZ_PROT_WRITE;
	ops[2] = make_op(VMAFUZZ_OP_TOUCH, base, 1);
	ops[3] = make_op(VMAFUZZ_OP_MADVISE, base, 2);
	ops[3].advice = VMAFUZZ_ADV_DONTDUMP;
	ops[4] = make_op(VMAFUZZ_OP_MADVISE, base, 2);
	ops[4].advice = VMAFUZZ_ADV_DODUMP;
	return 5;
}

struct costs {
	double op, op_nodecision, layout, invariants, rmap, pages;
	unsigned long nops;
};

static void setup(struct model *m, unsigned int n, struct vmafuzz_pagemodel *pm,
		  struct vmafuzz_layout *pre, struct vmafuzz_layout *post)
{
	const struct vmafuzz_target_ops *ops = &vmafuzz_target_refactored;
	char msg[256];
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct vmafuzz_op op = make_op(VMAFUZZ_OP_MMAP, 3 * i, 2);
		int ret;

		op.prot = VMAFUZZ_PROT_READ | VMAFUZZ_PROT_WRITE;
		op.kind = VMAFUZZ_KIND_ANON;
		ret = model_apply(m, &op);
		if (pm) {
			model_layout(m, post);
			if (vmafuzz_pagemodel_apply(pm, &op, ret, pre, post, ops,
						    (struct vmafuzz_target *)m, msg, sizeof(msg))) {
				fprintf(stderr, "bench: page model disagrees in setup: %s\n", msg);
				exit(1);
			}
			model_layout(m, pre);
		}
	}
}

static void run(unsigned int n, unsigned int rounds, bool decision, struct costs *c)
{
	const struct vmafuzz_target_ops *ops = &vmafuzz_target_refactored;
	struct model *m = model_new(&refactored_callers);
	struct vmafuzz_pagemodel *pm = decision ? vmafuzz_pagemodel_new() : NULL;
	struct vmafuzz_layout pre, post;
	char msg[256];
	unsigned int r, k;

	vmafuzz_layout_init(&pre);
	vmafuzz_layout_init(&post);
	m->decision_on = decision;
	setup(m, n, pm, &pre, &post);
	rng = 0x9e3779b97f4a7c15ull;
	for (r = 0; r < rounds; r++) {
		struct vmafuzz_op ops_round[8];
		unsigned int nr = round_ops(ops_round, next_rand() % n);

		for (k = 0; k < nr; k++) {
			double t0 = now_ns(), t1;
			int ret = model_apply(m, &ops_round[k]);

			t1 = now_ns();
			if (decision)
				c->op += t1 - t0;
			else
				c->op_nodecision += t1 - t0;
			c->nops += decision;
			if (!decision)
				continue;

			t0 = now_ns();
			model_layout(m, &post);
			t1 = now_ns();
			c->layout += t1 - t0;

			t0 = now_ns();
			if (model_check_invariants(m, msg, sizeof(msg)))
				fprintf(stderr, "bench: invariants: %s\n", msg), exit(1);
			t1 = now_ns();
			c->invariants += t1 - t0;

			t0 = now_ns();
			if (model_check_rmap(m, msg, sizeof(msg)))
				fprintf(stderr, "bench: rmap: %s\n", msg), exit(1);
			if (model_check_decision(m, msg, sizeof(msg)))
				fprintf(stderr, "bench: decision: %s\n", msg), exit(1);
			t1 = now_ns();
			c->rmap += t1 - t0;

			t0 = now_ns();
			if (vmafuzz_pagemodel_apply(pm, &ops_round[k], ret, &pre, &post, ops,
						    (struct vmafuzz_target *)m, msg, sizeof(msg)) ||
			    vmafuzz_pagemodel_check(pm, &post, ops, (struct vmafuzz_target *)m, msg,
						    sizeof(msg)))
				fprintf(stderr, "bench: pages: %s\n", msg), exit(1);
			t1 = now_ns();
			c->pages += t1 - t0;

			/* The post layout is the next op's pre layout. */
			{
				struct vmafuzz_layout tmp = pre;

				pre = post;
				post = tmp;
			}
		}
	}
	vmafuzz_layout_fini(&pre);
	vmafuzz_layout_fini(&post);
	if (pm)
		vmafuzz_pagemodel_free(pm);
	model_free(m);
}

int main(int argc, char **argv)
{
	static const unsigned int sizes[] = { 10, 100, 1000 };
	unsigned int rounds = argc > 1 ? (unsigned int)atoi(argv[1]) : 20000;
	unsigned int i;

	printf("oracle cost per op (ns), %u rounds of 5 ops, refactored path, one core\n", rounds);
	printf("%6s %9s %9s %9s %9s %9s %9s %9s\n", "VMAs", "op", "+decision", "layout",
	       "invariant", "rmap", "pages", "checks/op");
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct costs c = { 0 };
		double op, dec, per;

		run(sizes[i], rounds, false, &c);
		run(sizes[i], rounds, true, &c);
		op = c.op_nodecision / c.nops;
		dec = (c.op - c.op_nodecision) / c.nops;
		per = (dec * c.nops + c.layout + c.invariants + c.rmap + c.pages) / c.nops;
		printf("%6u %9.0f %9.0f %9.0f %9.0f %9.0f %9.0f %9.1fx\n", sizes[i], op, dec,
		       c.layout / c.nops, c.invariants / c.nops, c.rmap / c.nops,
		       c.pages / c.nops, per / op);
	}
	return 0;
}
