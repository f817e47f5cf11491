// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of lib/tree.c, the AVL tree of VMAs keyed by vm_start: a few
 * named shapes first, then thousands of random inserts and erases (fixed
 * seed) checked after every operation against a naive sorted array: the
 * in-order walk, first/last/next/prev, vma_tree_find() (the first VMA with
 * vm_end > addr), and the AVL shape itself (heights, balance, parent
 * pointers, key order), walking struct vma_node directly.
 *
 * The VMAs here live in a tree of the test's own, not in an mm.
 *
 * Usage: test_tree [SEED [OPS]]
 */
#include <inttypes.h>

#include "vmatest.h"

#define node_vma(n) ((struct vm_area_struct *)((char *)(n)-offsetof(struct vm_area_struct, node)))

static struct model *tm;

static struct vm_area_struct *mkvma(unsigned long start, unsigned long end)
{
	return vt_alloc(tm, start, end, start, F_RW);
}

/* ---------------------------------------------------------------- checks */

/* Recursively check the subtree under n; returns its height, -1 on a break. */
static int check_node(const struct vma_node *n, const struct vma_node *parent, unsigned long lo,
		      unsigned long hi, unsigned int *count)
{
	const struct vm_area_struct *v;
	int l, r;

	if (!n)
		return 0;
	v = node_vma(n);
	if (n->parent != parent) {
		UNIT_FAIL("node %lu-%lu: parent pointer wrong", PN(v->vm_start), PN(v->vm_end));
		return -1;
	}
	if (v->vm_start < lo || v->vm_start >= hi) {
		UNIT_FAIL("node %lu-%lu out of key order", PN(v->vm_start), PN(v->vm_end));
		return -1;
	}
	(*count)++;
	l = check_node(n->left, n, lo, v->vm_start, count);
	r = check_node(n->right, n, v->vm_start + 1, hi, count);
	if (l < 0 || r < 0)
		return -1;
	if (l - r > 1 || r - l > 1) {
		UNIT_FAIL("node %lu-%lu unbalanced: left %d right %d", PN(v->vm_start),
			  PN(v->vm_end), l, r);
		return -1;
	}
	if (n->height != (l > r ? l : r) + 1) {
		UNIT_FAIL("node %lu-%lu: stored height %d, real %d", PN(v->vm_start), PN(v->vm_end),
			  n->height, (l > r ? l : r) + 1);
		return -1;
	}
	return n->height;
}

/* The naive reference: VMAs sorted by vm_start. */
struct naive {
	unsigned int nr;
	struct vm_area_struct **v;
};

static void naive_insert(struct naive *a, struct vm_area_struct *vma)
{
	unsigned int i = a->nr;

	while (i > 0 && a->v[i - 1]->vm_start > vma->vm_start) {
		a->v[i] = a->v[i - 1];
		i--;
	}
	a->v[i] = vma;
	a->nr++;
}

static void naive_erase(struct naive *a, unsigned int i)
{
	for (; i + 1 < a->nr; i++)
		a->v[i] = a->v[i + 1];
	a->nr--;
}

static const struct vm_area_struct *naive_find(const struct naive *a, unsigned long addr)
{
	unsigned int i;

	for (i = 0; i < a->nr; i++)
		if (a->v[i]->vm_end > addr)
			return a->v[i];
	return NULL;
}

/* Every check of the tree against the array; false at the first break. */
static bool check_tree(const struct vma_tree *t, const struct naive *a)
{
	unsigned int failed = unit_failed, count = 0, i;
	struct vm_area_struct *v;

	if (t->root && t->root->parent)
		UNIT_FAIL("root has a parent");
	if (check_node(t->root, NULL, 0, ~0UL, &count) < 0)
		return false;
	ASSERT_INT(count, a->nr);

	ASSERT_PTR(vma_tree_first(t), a->nr ? a->v[0] : NULL);
	ASSERT_PTR(vma_tree_last(t), a->nr ? a->v[a->nr - 1] : NULL);
	for (v = vma_tree_first(t), i = 0; v && i < a->nr; v = vma_tree_next(v), i++)
		if (v != a->v[i]) {
			UNIT_FAIL("forward walk: entry %u is %lu-%lu, expected %lu-%lu", i,
				  PN(v->vm_start), PN(v->vm_end), PN(a->v[i]->vm_start),
				  PN(a->v[i]->vm_end));
			return false;
		}
	if (v || i != a->nr) {
		UNIT_FAIL("forward walk has %u entries and %s, array %u", i, v ? "more" : "no more",
			  a->nr);
		return false;
	}
	for (v = vma_tree_last(t), i = a->nr; v && i > 0; v = vma_tree_prev(v), i--)
		if (v != a->v[i - 1]) {
			UNIT_FAIL("backward walk: entry %u differs", i - 1);
			return false;
		}
	if (v || i) {
		UNIT_FAIL("backward walk length differs from %u", a->nr);
		return false;
	}
	return unit_failed == failed;
}

/* vma_tree_find at addr against the array. */
static bool check_find(const struct vma_tree *t, const struct naive *a, unsigned long addr)
{
	const struct vm_area_struct *got = vma_tree_find(t, addr), *want = naive_find(a, addr);

	if (got != want) {
		UNIT_FAIL("find(%#lx): got %lu-%lu, expected %lu-%lu", addr,
			  got ? PN(got->vm_start) : 0, got ? PN(got->vm_end) : 0,
			  want ? PN(want->vm_start) : 0, want ? PN(want->vm_end) : 0);
		return false;
	}
	return true;
}

/* find() at both edges of every VMA and in every gap. */
static bool check_find_all(const struct vma_tree *t, const struct naive *a)
{
	unsigned int i;

	if (!check_find(t, a, 0))
		return false;
	for (i = 0; i < a->nr; i++) {
		const struct vm_area_struct *v = a->v[i];

		if (!check_find(t, a, v->vm_start) || !check_find(t, a, v->vm_end - 1) ||
		    !check_find(t, a, v->vm_end) ||
		    (v->vm_start && !check_find(t, a, v->vm_start - 1)))
			return false;
	}
	return check_find(t, a, ~0UL);
}

/* ------------------------------------------------------------ named cases */

static void test_tree_empty(void)
{
	struct vma_tree t = { NULL };
	struct naive a = { 0, NULL };

	tm = model_new(&legacy_callers);
	ASSERT_NULL(vma_tree_first(&t));
	ASSERT_NULL(vma_tree_last(&t));
	ASSERT_NULL(vma_tree_find(&t, 0));
	ASSERT_NULL(vma_tree_find(&t, PG(5)));
	ASSERT_TRUE(check_tree(&t, &a));
	model_free(tm);
}

static void test_tree_single(void)
{
	struct vma_tree t = { NULL };
	struct vm_area_struct *v;

	tm = model_new(&legacy_callers);
	/*  0123456
	 *  ..VVV..  */
	v = mkvma(2, 5);
	vma_tree_insert(&t, v);
	ASSERT_PTR(vma_tree_first(&t), v);
	ASSERT_PTR(vma_tree_last(&t), v);
	ASSERT_NULL(vma_tree_next(v));
	ASSERT_NULL(vma_tree_prev(v));
	ASSERT_PTR(vma_tree_find(&t, 0), v); /* in the gap below */
	ASSERT_PTR(vma_tree_find(&t, PG(2)), v);
	ASSERT_PTR(vma_tree_find(&t, PG(5) - 1), v);
	ASSERT_NULL(vma_tree_find(&t, PG(5))); /* vm_end is exclusive */
	ASSERT_INT(v->node.height, 1);
	ASSERT_NULL(v->node.parent);
	vma_tree_erase(&t, v);
	ASSERT_NULL(t.root);
	ASSERT_NULL(vma_tree_first(&t));
	vm_area_free(v);
	model_free(tm);
}

/*
 * Ascending and descending inserts force single rotations each way, the
 * zig-zag orders force the double rotations; erasing in several orders
 * covers a leaf, a one-child node, a two-child node whose successor is its
 * right child, and one whose successor lies deeper.
 */
static void test_tree_insert_orders(void)
{
	/* clang-format off */
	static const unsigned int orders[][7] = {
		{ 0, 1, 2, 3, 4, 5, 6 },	/* ascending: left rotations */
		{ 6, 5, 4, 3, 2, 1, 0 },	/* descending: right rotations */
		{ 0, 6, 1, 5, 2, 4, 3 },	/* zig-zag: double rotations */
		{ 3, 1, 5, 0, 2, 4, 6 },	/* already balanced */
		{ 6, 0, 5, 1, 4, 2, 3 },
	};
	/* clang-format on */
	/* clang-format off */
	static const unsigned int erase_orders[][7] = {
		{ 0, 1, 2, 3, 4, 5, 6 },
		{ 6, 5, 4, 3, 2, 1, 0 },
		{ 3, 1, 5, 0, 2, 4, 6 },	/* root first: two children each time */
		{ 1, 5, 3, 0, 6, 2, 4 },
	};
	/* clang-format on */
	unsigned int o, e, i;

	for (o = 0; o < sizeof(orders) / sizeof(orders[0]); o++) {
		for (e = 0; e < sizeof(erase_orders) / sizeof(erase_orders[0]); e++) {
			struct vm_area_struct *v[7], *arr[7];
			struct naive a = { 0, arr };
			struct vma_tree t = { NULL };

			tm = model_new(&legacy_callers);
			/*  0123456789abcdef
			 *  V.V.V.V.V.V.V.    one page each, a hole between */
			for (i = 0; i < 7; i++)
				v[i] = mkvma(2 * i, 2 * i + 1);
			for (i = 0; i < 7; i++) {
				vma_tree_insert(&t, v[orders[o][i]]);
				naive_insert(&a, v[orders[o][i]]);
				if (!check_tree(&t, &a) || !check_find_all(&t, &a))
					UNIT_FAIL("insert order %u, step %u", o, i);
			}
			/* 7 nodes: perfect when sorted, at most 4 high (the AVL bound) */
			if (o < 2)
				ASSERT_INT(t.root->height, 3);
			ASSERT_TRUE(t.root->height <= 4);
			for (i = 0; i < 7; i++) {
				unsigned int k, victim = erase_orders[e][i];

				for (k = 0; a.v[k] != v[victim]; k++)
					;
				vma_tree_erase(&t, v[victim]);
				naive_erase(&a, k);
				if (!check_tree(&t, &a) || !check_find_all(&t, &a))
					UNIT_FAIL("insert order %u, erase order %u, step %u", o, e,
						  i);
			}
			for (i = 0; i < 7; i++)
				vm_area_free(v[i]);
			model_free(tm);
		}
	}
}

/* Adjacent VMAs (no gaps): find() at a boundary returns the upper one. */
static void test_tree_find_adjacent(void)
{
	struct vma_tree t = { NULL };
	struct vm_area_struct *p, *n;

	tm = model_new(&legacy_callers);
	/*  0123456
	 *  PPPNNN.  */
	p = mkvma(0, 3);
	n = mkvma(3, 6);
	vma_tree_insert(&t, n);
	vma_tree_insert(&t, p);
	ASSERT_PTR(vma_tree_find(&t, PG(3) - 1), p);
	ASSERT_PTR(vma_tree_find(&t, PG(3)), n);
	ASSERT_PTR(vma_tree_next(p), n);
	ASSERT_PTR(vma_tree_prev(n), p);
	ASSERT_NULL(vma_tree_find(&t, PG(6)));
	vma_tree_erase(&t, p);
	vma_tree_erase(&t, n);
	vm_area_free(p);
	vm_area_free(n);
	model_free(tm);
}

/* --------------------------------------------------------------- random */

static uint64_t seed = 0x5eed7ee5ULL;
static unsigned long nr_ops = 40000;

#define SLOTS	   3000
#define SLOT_PAGES 16

/*
 * Slot s holds at most one VMA, inside pages [16s, 16s + 16), of random
 * length and position: VMAs never overlap, sometimes touch, and vm_end
 * orders the same as vm_start. A fill phase brings the tree to thousands of
 * VMAs, then inserts and erases are mixed at random, then it is drained.
 */
static void test_tree_random_against_array(void)
{
	struct vm_area_struct **slot = calloc(SLOTS, sizeof(*slot));
	struct naive a = { 0, calloc(SLOTS, sizeof(struct vm_area_struct *)) };
	struct vma_tree t = { NULL };
	unsigned long op, full_checks = 0;
	unsigned int s, maxh = 0, peak = 0, failed = unit_failed;

	tm = model_new(&legacy_callers);
	unit_rng = seed ? seed : 1;
	for (op = 1; op <= nr_ops; op++) {
		bool draining = op > nr_ops - SLOTS, filling = op <= SLOTS;
		unsigned int k;

		s = unit_rand() % SLOTS;
		if (draining) {
			for (s = 0; s < SLOTS && !slot[s]; s++)
				;
			if (s == SLOTS)
				break;
		}
		if (!slot[s] && !draining && (filling || unit_rand() % 2)) {
			unsigned long len = 1 + unit_rand() % SLOT_PAGES;
			unsigned long off = unit_rand() % (SLOT_PAGES - len + 1);

			slot[s] = mkvma(s * SLOT_PAGES + off, s * SLOT_PAGES + off + len);
			vma_tree_insert(&t, slot[s]);
			naive_insert(&a, slot[s]);
		} else if (slot[s] && !filling) {
			for (k = 0; a.v[k] != slot[s]; k++)
				;
			vma_tree_erase(&t, slot[s]);
			naive_erase(&a, k);
			vm_area_free(slot[s]);
			slot[s] = NULL;
		}

		if (!check_tree(&t, &a)) {
			UNIT_FAIL("tree broken after op %lu (seed %" PRIu64 ")", op, seed);
			break;
		}
		/* find(): random addresses every time, every boundary now and then. */
		for (k = 0; k < 8; k++)
			if (!check_find(&t, &a, unit_rand() % (PG(SLOTS * SLOT_PAGES) + PG(2))))
				break;
		if (op % 997 == 0 || a.nr < 64) {
			full_checks++;
			if (!check_find_all(&t, &a))
				UNIT_FAIL("find broken after op %lu (seed %" PRIu64 ")", op, seed);
		}
		if (a.nr > peak)
			peak = a.nr;
		if (t.root && (unsigned int)t.root->height > maxh)
			maxh = t.root->height;
		if (unit_failed != failed)
			break;
	}
	ASSERT_INT(a.nr, 0);
	ASSERT_NULL(t.root);
	/* An AVL tree of n nodes is at most 1.44 log2(n + 2) high: 17 for 3000. */
	ASSERT_TRUE(maxh >= 11 && maxh <= 17);
	ASSERT_TRUE(full_checks > 0);
	ASSERT_TRUE(peak >= 1500); /* the fill phase reached thousands */
	for (s = 0; s < SLOTS; s++)
		if (slot[s])
			vm_area_free(slot[s]);
	free(slot);
	free(a.v);
	model_free(tm);
}

static const struct unit_case cases[] = {
	UNIT_CASE(test_tree_empty),
	UNIT_CASE(test_tree_single),
	UNIT_CASE(test_tree_find_adjacent),
	UNIT_CASE(test_tree_insert_orders),
	UNIT_CASE(test_tree_random_against_array),
};

int main(int argc, char **argv)
{
	if (argc > 1)
		seed = strtoull(argv[1], NULL, 0);
	if (argc > 2)
		nr_ops = strtoul(argv[2], NULL, 0);
	if (nr_ops < 2 * SLOTS)
		nr_ops = 2 * SLOTS;
	return UNIT_MAIN(cases);
}
