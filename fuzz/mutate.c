// SPDX-License-Identifier: GPL-2.0
/*
 * The structure-aware mutator (include/vmafuzz/mutate.h).
 *
 * A byte-level mutator sees fuzz_diff inputs as bytes: it inserts a byte and
 * every later record shifts into other operations, and it finds two ranges
 * that touch only when random bytes happen to agree. Bugs in the merge and
 * split paths need sequences whose ranges are related (a brk growing past a
 * VMA that a munmap cut short, a split failing inside the one operation that
 * has a prev), so this mutator works on the decoded operations, as
 * syzkaller mutates programs: whole operations in and out, and addresses
 * taken from the other operations' ranges. The engines' own byte-level
 * mutations run as well (fuzz/libfuzzer_mutator.c); this one adds to them.
 *
 * Everything here is a function of the input and the seed: no state lives
 * from one call to the next.
 */
#include <string.h>

#include "vmafuzz/decode.h"
#include "vmafuzz/mutate.h"

#define MAX_OPS VMAFUZZ_DECODE_MAX_OPS
#define WINDOW	VMAFUZZ_WINDOW_PAGES
/* Where the dense forms put addresses: pages 0-63, and 64 pages at 0x80000. */
#define HIGH_BASE 0x80000u

struct rng {
	uint64_t s;
};

/* splitmix64: small, fast, and every seed gives a different stream. */
static uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* A number in [0, n); n > 0. */
static uint32_t below(struct rng *r, uint32_t n)
{
	return (uint32_t)(rng_next(r) % n);
}

static bool one_in(struct rng *r, uint32_t n)
{
	return below(r, n) == 0;
}

/* An operation sequence being mutated. */
struct seq {
	struct vmafuzz_op ops[MAX_OPS];
	unsigned int n;
};

/*
 * Bring an operation whose addresses were moved back inside the window, as
 * the decoder would have clamped them. Whatever is still not expressible
 * makes vmafuzz_encode() fail, and the attempt is dropped.
 */
static void clamp(struct vmafuzz_op *op)
{
	if (op->addr >= WINDOW)
		op->addr = WINDOW - 1;
	if (!vmafuzz_op_has_range(op->op))
		return;
	if (op->len > WINDOW - op->addr)
		op->len = WINDOW - op->addr;
	if (op->op != VMAFUZZ_OP_MREMAP)
		return;
	if (op->newlen > WINDOW - op->addr)
		op->newlen = WINDOW - op->addr;
	if ((op->flags & VMAFUZZ_MREMAP_FIXED) && op->newaddr > WINDOW - op->newlen)
		op->newaddr = WINDOW - op->newlen;
}

/*
 * A fresh operation from random bytes through the decoder, so its arguments
 * have the decoder's distribution: kind k (its dense form), or any kind
 * when k is VMAFUZZ_OP_NR (mostly dense, now and then a wide form).
 */
static void fresh_op(struct rng *r, enum vmafuzz_op_kind k, struct vmafuzz_op *op)
{
	uint8_t rec[VMAFUZZ_DECODE_MAX_RECORDS * VMAFUZZ_DECODE_RECORD];
	unsigned int i;

	for (i = 0; i < sizeof(rec); i++)
		rec[i] = (uint8_t)rng_next(r);
	if (k != VMAFUZZ_OP_NR)
		rec[0] = (uint8_t)vmafuzz_decode_dense_kind(k);
	else if (!one_in(r, 32))
		rec[0] = (uint8_t)below(r, 0xf0); /* the dense kind bytes */
	vmafuzz_decode(rec, sizeof(rec), op, 1);
}

/* The pages where operations' ranges start and end: where others may too. */
static unsigned int points(const struct seq *q, uint32_t *pt)
{
	unsigned int i, nr = 0;

	for (i = 0; i < q->n; i++) {
		const struct vmafuzz_op *o = &q->ops[i];

		if (!vmafuzz_op_has_addr(o->op))
			continue;
		pt[nr++] = o->addr;
		if (vmafuzz_op_has_range(o->op))
			pt[nr++] = o->addr + o->len;
		if (o->op == VMAFUZZ_OP_MREMAP && (o->flags & VMAFUZZ_MREMAP_FIXED)) {
			pt[nr++] = o->newaddr;
			pt[nr++] = o->newaddr + o->newlen;
		}
	}
	return nr;
}

/*
 * Move op's start, or its end, to one of the sequence's points, or a page
 * either side of it. A brk's "start" is its new break.
 */
static bool align(struct rng *r, const struct seq *q, struct vmafuzz_op *op)
{
	uint32_t pt[4 * MAX_OPS], p;
	unsigned int nr = points(q, pt);
	int delta = one_in(r, 2) ? 0 : (one_in(r, 2) ? 1 : -1);

	if (!nr || !vmafuzz_op_has_addr(op->op))
		return false;
	p = pt[below(r, nr)];
	if (delta < 0 && !p)
		delta = 0;
	p += (uint32_t)delta;
	if (op->op == VMAFUZZ_OP_BRK || one_in(r, 2)) {
		op->addr = p; /* start there */
	} else if (p > op->len) {
		op->addr = p - op->len; /* end there, same length */
	} else if (p > op->addr) {
		op->len = p - op->addr; /* end there, same start */
	} else {
		return false;
	}
	clamp(op);
	return true;
}

/* A step of one to four pages up or down, never below page 0. */
static uint32_t nudged(struct rng *r, uint32_t v, uint32_t min)
{
	uint32_t d = 1 + below(r, 4);

	if (one_in(r, 2))
		return v + d;
	return v >= min + d ? v - d : min;
}

static bool nudge(struct rng *r, struct vmafuzz_op *op)
{
	uint32_t before;

	if (!vmafuzz_op_has_addr(op->op))
		return false;
	if (op->op == VMAFUZZ_OP_BRK || one_in(r, 2)) {
		before = op->addr;
		op->addr = nudged(r, op->addr, 0);
		clamp(op);
		return op->addr != before;
	}
	if (op->op == VMAFUZZ_OP_MREMAP && one_in(r, 2)) {
		before = op->newlen;
		op->newlen = nudged(r, op->newlen, 1);
		clamp(op);
		return op->newlen != before;
	}
	before = op->len;
	op->len = nudged(r, op->len, 1);
	clamp(op);
	return op->len != before;
}

/* madvise advice pairs: each undoes the other. */
static const uint8_t advice_pairs[][2] = {
	{ VMAFUZZ_ADV_DONTFORK, VMAFUZZ_ADV_DOFORK },
	{ VMAFUZZ_ADV_DONTDUMP, VMAFUZZ_ADV_DODUMP },
	{ VMAFUZZ_ADV_HUGEPAGE, VMAFUZZ_ADV_NOHUGEPAGE },
	{ VMAFUZZ_ADV_MERGEABLE, VMAFUZZ_ADV_UNMERGEABLE },
	{ VMAFUZZ_ADV_WIPEONFORK, VMAFUZZ_ADV_KEEPONFORK },
	{ VMAFUZZ_ADV_SEQUENTIAL, VMAFUZZ_ADV_NORMAL },
	{ VMAFUZZ_ADV_RANDOM, VMAFUZZ_ADV_NORMAL },
};

/*
 * The operation that undoes ops[i] over the same range: what makes a split
 * VMA whole again, and so the merges (and the bugs in them) that follow a
 * change and its reversal. false for an operation with no such inverse.
 */
static bool undo_of(const struct seq *q, unsigned int i, struct vmafuzz_op *op)
{
	const struct vmafuzz_op *t = &q->ops[i];
	unsigned int k;

	memset(op, 0, sizeof(*op));
	op->addr = t->addr;
	op->len = t->len;
	switch (t->op) {
	case VMAFUZZ_OP_MMAP:
		op->op = VMAFUZZ_OP_MUNMAP;
		return true;
	case VMAFUZZ_OP_MPROTECT:
		/* back to the prot of the latest mmap before it that maps addr */
		for (k = i; k-- > 0;) {
			const struct vmafuzz_op *m = &q->ops[k];

			if (m->op == VMAFUZZ_OP_MMAP && m->addr <= t->addr &&
			    t->addr - m->addr < m->len) {
				op->op = VMAFUZZ_OP_MPROTECT;
				op->prot = m->prot;
				return op->prot != t->prot;
			}
		}
		return false;
	case VMAFUZZ_OP_MADVISE:
		op->op = VMAFUZZ_OP_MADVISE;
		for (k = 0; k < sizeof(advice_pairs) / sizeof(advice_pairs[0]); k++) {
			if (advice_pairs[k][0] == t->advice || advice_pairs[k][1] == t->advice) {
				op->advice = advice_pairs[k][advice_pairs[k][0] == t->advice];
				return true;
			}
		}
		return false;
	case VMAFUZZ_OP_MLOCK:
		op->op = VMAFUZZ_OP_MUNLOCK;
		return true;
	case VMAFUZZ_OP_MUNLOCK:
		op->op = VMAFUZZ_OP_MLOCK;
		return true;
	case VMAFUZZ_OP_MLOCKALL:
		op->op = VMAFUZZ_OP_MUNLOCKALL;
		op->addr = op->len = 0;
		return true;
	case VMAFUZZ_OP_MBIND:
		op->op = VMAFUZZ_OP_MBIND;
		op->policy = VMAFUZZ_POL_DEFAULT;
		return t->policy != VMAFUZZ_POL_DEFAULT;
	case VMAFUZZ_OP_NAME:
		op->op = VMAFUZZ_OP_NAME; /* "" clears the name */
		return t->name[0] != '\0';
	case VMAFUZZ_OP_UFFD_REGISTER:
		op->op = VMAFUZZ_OP_UFFD_UNREGISTER;
		op->ctx = t->ctx;
		return true;
	case VMAFUZZ_OP_UFFD_UNREGISTER:
		op->op = VMAFUZZ_OP_UFFD_REGISTER;
		op->ctx = t->ctx;
		op->mode = VMAFUZZ_UFFD_MISSING;
		return true;
	default:
		return false;
	}
}

static bool insert_at(struct seq *q, unsigned int at, const struct vmafuzz_op *op)
{
	if (q->n == MAX_OPS)
		return false;
	memmove(&q->ops[at + 1], &q->ops[at], (q->n - at) * sizeof(q->ops[0]));
	q->ops[at] = *op;
	q->n++;
	return true;
}

static void remove_at(struct seq *q, unsigned int at, unsigned int nr)
{
	memmove(&q->ops[at], &q->ops[at + nr], (q->n - at - nr) * sizeof(q->ops[0]));
	q->n -= nr;
}

/* The mutations, with their weights (how often each is drawn). */
#define MUTATIONS(X)    \
	X(INSERT, 5)    \
	X(DELETE, 3)    \
	X(DUPLICATE, 2) \
	X(MOVE, 1)      \
	X(SWAP, 1)      \
	X(RETYPE, 2)    \
	X(REDRAW, 2)    \
	X(NUDGE, 3)     \
	X(ALIGN, 4)     \
	X(UNDO, 2)      \
	X(ARM_FAILURE, 2)

enum mutation {
#define X(e, w) M_##e,
	MUTATIONS(X)
#undef X
	M_NR
};

static const unsigned int weights[M_NR] = {
#define X(e, w) w,
	MUTATIONS(X)
#undef X
};

static enum mutation draw_mutation(struct rng *r)
{
	unsigned int total = 0, i, x;

	for (i = 0; i < M_NR; i++)
		total += weights[i];
	x = below(r, total);
	for (i = 0; x >= weights[i]; i++)
		x -= weights[i];
	return (enum mutation)i;
}

static bool mutate_once(struct rng *r, struct seq *q)
{
	struct vmafuzz_op op, *t;
	unsigned int i, j, nr;

	if (!q->n) {
		/* Nothing to change: the first operation. */
		fresh_op(r, VMAFUZZ_OP_NR, &op);
		return insert_at(q, 0, &op);
	}
	i = below(r, q->n);
	t = &q->ops[i];
	switch (draw_mutation(r)) {
	case M_INSERT:
		fresh_op(r, VMAFUZZ_OP_NR, &op);
		if (!one_in(r, 4))
			align(r, q, &op);
		return insert_at(q, below(r, q->n + 1), &op);
	case M_DELETE:
		nr = 1 + (one_in(r, 4) ? below(r, 4) : 0);
		if (nr > q->n - i)
			nr = q->n - i;
		remove_at(q, i, nr);
		return true;
	case M_DUPLICATE:
		/* the same operation again, maybe over a neighbouring range */
		op = *t;
		if (one_in(r, 2))
			one_in(r, 2) ? nudge(r, &op) : align(r, q, &op);
		return insert_at(q, below(r, q->n + 1), &op);
	case M_UNDO:
		/* somewhere after it, the operation that undoes it */
		if (!undo_of(q, i, &op))
			return false;
		return insert_at(q, i + 1 + below(r, q->n - i), &op);
	case M_MOVE:
		op = *t;
		remove_at(q, i, 1);
		j = below(r, q->n + 1);
		insert_at(q, j, &op);
		return i != j;
	case M_SWAP:
		if (i + 1 == q->n)
			return false;
		op = *t;
		*t = q->ops[i + 1];
		q->ops[i + 1] = op;
		return !vmafuzz_op_equal(t, &op);
	case M_RETYPE:
		/* Another operation over the same range: munmap what was mapped. */
		fresh_op(r, VMAFUZZ_OP_NR, &op);
		if (!vmafuzz_op_has_range(t->op) || !vmafuzz_op_has_range(op.op) || op.op == t->op)
			return false;
		op.addr = t->addr;
		op.len = t->len;
		clamp(&op);
		*t = op;
		return true;
	case M_REDRAW:
		/* The same operation over the same range, its other arguments new. */
		if (vmafuzz_decode_dense_kind(t->op) < 0)
			return false;
		fresh_op(r, t->op, &op);
		if (vmafuzz_op_has_range(t->op)) {
			op.addr = t->addr;
			op.len = t->len;
			clamp(&op);
		}
		if (vmafuzz_op_equal(&op, t))
			return false;
		*t = op;
		return true;
	case M_NUDGE:
		return nudge(r, t);
	case M_ALIGN:
		op = *t;
		if (!align(r, q, &op) || vmafuzz_op_equal(&op, t))
			return false;
		*t = op;
		return true;
	case M_ARM_FAILURE:
		/*
		 * `fail KIND 1` right before an operation fails the first event of
		 * that kind inside it: where the callers' error paths are.
		 */
		memset(&op, 0, sizeof(op));
		op.op = VMAFUZZ_OP_FAIL;
		op.fail = (uint8_t)below(r, VMAFUZZ_FAIL_NR);
		op.count = one_in(r, 2) ? 1 : 1 + below(r, 4);
		return insert_at(q, i, &op);
	case M_NR:
		break;
	}
	return false;
}

static void load(struct seq *q, const uint8_t *data, size_t size)
{
	q->n = (unsigned int)vmafuzz_decode(data, size, q->ops, MAX_OPS);
}

size_t vmafuzz_mutate(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	uint8_t out[VMAFUZZ_ENCODE_MAX_BYTES];
	struct rng r = { .s = seed };
	struct seq orig, q;
	unsigned int attempt, k, steps;
	bool changed;
	int len;

	load(&orig, data, size);
	for (attempt = 0; attempt < 16; attempt++) {
		q = orig;
		/* Mostly one or two changes; now and then a few more. */
		steps = 1 + below(&r, 2) + (one_in(&r, 4) ? 2 : 0);
		changed = false;
		for (k = 0; k < steps; k++)
			changed |= mutate_once(&r, &q);
		if (!changed)
			continue;
		len = vmafuzz_encode(q.ops, q.n, out, sizeof(out));
		if (len <= 0 || (size_t)len > max_size)
			continue;
		if ((size_t)len == size && !memcmp(out, data, size))
			continue;
		memcpy(data, out, (size_t)len);
		return (size_t)len;
	}
	return 0;
}

/* Append ops[from, to) to q, up to the op cap. */
static void append(struct seq *q, const struct seq *src, unsigned int from, unsigned int to)
{
	for (; from < to && q->n < MAX_OPS; from++)
		q->ops[q->n++] = src->ops[from];
}

size_t vmafuzz_crossover(const uint8_t *a, size_t asize, const uint8_t *b, size_t bsize,
			 uint8_t *out, size_t max_out, unsigned int seed)
{
	uint8_t buf[VMAFUZZ_ENCODE_MAX_BYTES];
	struct rng r = { .s = seed };
	struct seq qa, qb, q;
	unsigned int i, j, k, attempt;
	int len;

	load(&qa, a, asize);
	load(&qb, b, bsize);
	if (!qb.n)
		return 0;
	for (attempt = 0; attempt < 4; attempt++) {
		i = below(&r, qa.n + 1);
		j = below(&r, qb.n);
		q.n = 0;
		append(&q, &qa, 0, i);
		if (one_in(&r, 2)) {
			/* a's head, b's tail */
			append(&q, &qb, j, qb.n);
		} else {
			/* a run of b's operations inside a */
			k = j + 1 + below(&r, qb.n - j);
			append(&q, &qb, j, k);
			append(&q, &qa, i, qa.n);
		}
		len = vmafuzz_encode(q.ops, q.n, buf, sizeof(buf));
		if (len <= 0 || (size_t)len > max_out)
			continue;
		memcpy(out, buf, (size_t)len);
		return (size_t)len;
	}
	return 0;
}
