// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of lib/anon_vma.c (SEMANTICS.md §1.4, §2.3): anon_vma_prepare()
 * and its reuse of a neighbour's anon_vma (next first, then prev, and each
 * condition of anon_vma_compatible() and the singular-chain rule), the chain
 * anon_vma_fork() builds, unlink_anon_vmas(), and is_mergeable_anon_vma()
 * over its whole table.
 */
#include "vmatest.h"

VT_FIXTURE()

static bool chain_has(const struct vm_area_struct *v, const struct anon_vma *av)
{
	unsigned int i;

	for (i = 0; i < v->avc_count; i++)
		if (v->avc[i] == av)
			return true;
	return false;
}

/* ------------------------------------------------------------ prepare */

static void test_anon_vma_prepare_alone_allocates(void)
{
	struct vm_area_struct *v;
	struct anon_vma *av;

	/*  0123456789
	 *  ...VVV...     nothing around: a new anon_vma, a chain of one */
	setup();
	v = vt_anon(m, 3, 6, F_RW);
	anon_vma_prepare(v);
	av = v->anon_vma;
	ASSERT_TRUE(av != NULL);
	ASSERT_INT(v->avc_count, 1);
	ASSERT_PTR(v->avc[0], av);
	ASSERT_INT(av ? av->refcount : 0, 1);
	/* A second prepare changes nothing. */
	anon_vma_prepare(v);
	ASSERT_PTR(v->anon_vma, av);
	ASSERT_INT(v->avc_count, 1);
	ASSERT_INVARIANTS(m);
	teardown();
}

/*
 * One faulted neighbour, next or prev; the VMA to fault is V at [4,7),
 * anonymous, pgoff 4. Each row changes one thing about the neighbour (or
 * V) and says whether the neighbour's anon_vma is reused.
 */
struct reuse_row {
	const char *what;
	void (*nb)(struct vm_area_struct *nb, bool is_next);
	void (*v)(struct vm_area_struct *v);
	bool reuse;
};

static void r_none(struct vm_area_struct *nb, bool is_next)
{
}

static void v_none(struct vm_area_struct *v)
{
}

/* Moved one page away, pgoff still linear with V: only adjacency fails. */
static void r_gap(struct vm_area_struct *nb, bool is_next)
{
	if (is_next) {
		nb->vm_start += PAGE_SIZE;
		nb->vm_end += PAGE_SIZE;
	} else {
		nb->vm_start -= PAGE_SIZE;
		nb->vm_end -= PAGE_SIZE;
	}
}

static void r_pgoff(struct vm_area_struct *nb, bool is_next)
{
	nb->vm_pgoff += 1;
}

static void r_bind(struct vm_area_struct *nb, bool is_next)
{
	vt_pol(nb, VMAFUZZ_POL_BIND, -1);
}

static void v_bind(struct vm_area_struct *v)
{
	vt_pol(v, VMAFUZZ_POL_BIND, -1);
}

static void r_interleave(struct vm_area_struct *nb, bool is_next)
{
	vt_pol(nb, VMAFUZZ_POL_INTERLEAVE, -1);
}

static void r_file1(struct vm_area_struct *nb, bool is_next)
{
	vt_file(m, nb, 1);
}

static void v_file1(struct vm_area_struct *v)
{
	vt_file(m, v, 1);
}

static void r_file2(struct vm_area_struct *nb, bool is_next)
{
	vt_file(m, nb, 2);
}

static void r_ro(struct vm_area_struct *nb, bool is_next)
{
	nb->vm_flags &= ~VM_WRITE;
}

static void r_exec(struct vm_area_struct *nb, bool is_next)
{
	nb->vm_flags |= VM_EXEC;
}

static void r_prot_none(struct vm_area_struct *nb, bool is_next)
{
	nb->vm_flags &= ~VM_ACCESS_FLAGS;
}

static void r_dontcopy(struct vm_area_struct *nb, bool is_next)
{
	nb->vm_flags |= VM_DONTCOPY;
}

static void r_account(struct vm_area_struct *nb, bool is_next)
{
	nb->vm_flags |= VM_ACCOUNT;
}

static void r_maywrite(struct vm_area_struct *nb, bool is_next)
{
	nb->vm_flags &= ~VM_MAYWRITE;
}

static void r_name(struct vm_area_struct *nb, bool is_next)
{
	vt_name(nb, "other");
}

static void r_ctx(struct vm_area_struct *nb, bool is_next)
{
	vt_uffd(nb, 1, VM_UFFD_MISSING);
}

static void v_ctx2(struct vm_area_struct *v)
{
	vt_uffd(v, 2, VM_UFFD_MISSING);
}

/* clang-format off */
static const struct reuse_row reuse_rows[] = {
	{ "compatible", r_none, v_none, true },
	{ "not adjacent", r_gap, v_none, false },
	{ "pgoff not linear", r_pgoff, v_none, false },
	{ "policy against none", r_bind, v_none, false },
	{ "equal policies", r_bind, v_bind, true },
	{ "different policies", r_interleave, v_bind, false },
	{ "file against anonymous", r_file1, v_none, false },
	{ "same file", r_file1, v_file1, true },
	{ "different files", r_file2, v_file1, false },
	{ "flags differ in VM_WRITE", r_ro, v_none, true },
	{ "flags differ in VM_EXEC", r_exec, v_none, true },
	{ "flags differ in all of RWX", r_prot_none, v_none, true },
	{ "flags differ in VM_DONTCOPY", r_dontcopy, v_none, false },
	{ "flags differ in VM_ACCOUNT", r_account, v_none, false },
	{ "flags differ in VM_MAYWRITE", r_maywrite, v_none, false },
	{ "uffd flags on the neighbour only", r_ctx, v_none, false },
	/* not part of anon_vma_compatible(): the name and the uffd context */
	{ "a name on the neighbour", r_name, v_none, true },
	{ "different uffd contexts, same flags", r_ctx, v_ctx2, true },
};
/* clang-format on */

enum nb_fault {
	NB_FAULTED,
	NB_FORKED,
	NB_UNFAULTED
};

static void test_anon_vma_prepare_reuse_conditions(void)
{
	static const char *const fault_names[] = { "faulted", "forked", "unfaulted" };
	unsigned int i, side, f;

	for (i = 0; i < sizeof(reuse_rows) / sizeof(reuse_rows[0]); i++) {
		for (side = 0; side < 2; side++) { /* 0: next, 1: prev */
			for (f = NB_FAULTED; f <= NB_UNFAULTED; f++) {
				const struct reuse_row *row = &reuse_rows[i];
				struct vm_area_struct *v, *nb;
				struct anon_vma *old;
				bool reuse = row->reuse && f == NB_FAULTED;

				/*  0123456789
				 *  ....VVVNNN   or   .PPPVVV...    V faults */
				VT_ITER_BEGIN();

				setup();
				v = vt_alloc(m, 4, 7, 4, F_RW);
				nb = side ? vt_alloc(m, 1, 4, 1, F_RW) :
					    vt_alloc(m, 7, 10, 7, F_RW);
				row->v(v);
				row->nb(nb, !side);
				vt_link(v);
				vt_link(nb);
				old = f == NB_FAULTED ? vt_fault(nb) :
				      f == NB_FORKED  ? vt_forked(nb, 1) :
							NULL;

				anon_vma_prepare(v);

				ASSERT_TRUE(v->anon_vma != NULL);
				ASSERT_INT(v->avc_count, 1);
				if (reuse) {
					ASSERT_PTR(v->anon_vma, old);
					ASSERT_INT(old->refcount, 2);
				} else {
					ASSERT_PTR_NE(v->anon_vma, old);
					ASSERT_INT(v->anon_vma ? v->anon_vma->refcount : 0, 1);
				}
				ASSERT_INVARIANTS(m);
				VT_ITER_END("%s, neighbour %s %s", row->what,
					    side ? "prev" : "next", fault_names[f]);
				teardown();
			}
		}
	}
}

/* Next is tried first; prev when next gives nothing. */
static void test_anon_vma_prepare_prefers_next(void)
{
	/* clang-format off */
	static const struct {
		const char *what;
		int next;		/* 0 faulted, 1 forked, 2 incompatible, 3 unfaulted */
		char want;		/* 'N', 'P' or 0 for a new one */
	} rows[] = {
		{ "both reusable", 0, 'N' },
		{ "next forked", 1, 'P' },
		{ "next incompatible", 2, 'P' },
		{ "next unfaulted", 3, 'P' },
	};
	/* clang-format on */
	unsigned int i, prev_ok;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		for (prev_ok = 0; prev_ok < 2; prev_ok++) {
			struct vm_area_struct *p, *v, *n;
			struct anon_vma *pav, *nav = NULL;
			char want = rows[i].want == 'P' && !prev_ok ? 0 : rows[i].want;

			/*  0123456789
			 *  PPPVVVNNN     P faulted (forked when !prev_ok), N as the row says */
			VT_ITER_BEGIN();

			setup();
			p = vt_anon(m, 0, 3, F_RW);
			v = vt_anon(m, 3, 6, F_RW);
			n = vt_add(m, 6, 9, 6, rows[i].next == 2 ? F_RW | VM_LOCKED : F_RW);
			pav = prev_ok ? vt_fault(p) : vt_forked(p, 1);
			if (rows[i].next == 0)
				nav = vt_fault(n);
			else if (rows[i].next == 1)
				nav = vt_forked(n, 1);
			else if (rows[i].next == 2)
				nav = vt_fault(n);

			anon_vma_prepare(v);

			if (want == 'N')
				ASSERT_PTR(v->anon_vma, nav);
			else if (want == 'P')
				ASSERT_PTR(v->anon_vma, pav);
			else
				ASSERT_TRUE(v->anon_vma && v->anon_vma != pav &&
					    v->anon_vma != nav);
			ASSERT_INT(v->avc_count, 1);
			ASSERT_INVARIANTS(m);
			VT_ITER_END("%s, prev %s", rows[i].what, prev_ok ? "faulted" : "forked");
			teardown();
		}
	}
}

/* ---------------------------------------------------------- fork, unlink */

static void test_anon_vma_fork_chain(void)
{
	struct vm_area_struct *parent, *child, *grandchild;
	struct anon_vma *pav;

	setup();
	parent = vt_anon(m, 0, 3, F_RW);
	child = vt_anon(m, 3, 6, F_RW); /* stands for the child's copy */
	grandchild = vt_anon(m, 6, 9, F_RW);
	pav = vt_fault(parent);

	ASSERT_INT(anon_vma_fork(child, parent), 0);
	ASSERT_TRUE(child->anon_vma != NULL);
	ASSERT_PTR_NE(child->anon_vma, pav);
	ASSERT_INT(child->avc_count, 2);
	ASSERT_TRUE(chain_has(child, pav));
	ASSERT_TRUE(chain_has(child, child->anon_vma));
	ASSERT_INT(pav->refcount, 2);
	ASSERT_INT(parent->avc_count, 1); /* the parent is unchanged */

	ASSERT_INT(anon_vma_fork(grandchild, child), 0);
	ASSERT_INT(grandchild->avc_count, 3);
	ASSERT_TRUE(chain_has(grandchild, pav));
	ASSERT_TRUE(chain_has(grandchild, child->anon_vma));
	ASSERT_PTR_NE(grandchild->anon_vma, child->anon_vma);
	ASSERT_INVARIANTS(m);

	/* A forked VMA's anon_vma is never reused by a neighbour (not singular). */
	ASSERT_FALSE(avc_is_singular(child));
	teardown();
}

static void test_anon_vma_unlink(void)
{
	struct vm_area_struct *a, *b;
	struct anon_vma *av;

	setup();
	a = vt_anon(m, 0, 3, F_RW);
	b = vt_anon(m, 3, 6, F_RW);
	av = vt_fault(a);
	ASSERT_INT(anon_vma_clone(b, a), 0);
	ASSERT_PTR(b->anon_vma, av);
	ASSERT_INT(av->refcount, 2);

	unlink_anon_vmas(b);
	ASSERT_NULL(b->anon_vma);
	ASSERT_INT(b->avc_count, 0);
	ASSERT_INT(av->refcount, 1);
	ASSERT_INVARIANTS(m);

	/* The last holder frees it (LeakSanitizer and the checker's list see). */
	unlink_anon_vmas(a);
	ASSERT_NULL(a->anon_vma);
	ASSERT_INT(a->avc_count, 0);
	ASSERT_PTR(m->av_head.next_av, &m->av_head);
	ASSERT_INVARIANTS(m);

	/* Unlinking an unfaulted VMA is harmless. */
	unlink_anon_vmas(a);
	ASSERT_INT(a->avc_count, 0);
	teardown();
}

/* -------------------------------------------------- is_mergeable_anon_vma */

static void test_anon_vma_is_mergeable_table(void)
{
	struct vm_area_struct *unf, *single, *forked;
	struct anon_vma *x, *y;
	unsigned int i;

	setup();
	unf = vt_anon(m, 0, 3, F_RW);
	single = vt_anon(m, 3, 6, F_RW);
	forked = vt_anon(m, 6, 9, F_RW);
	x = vt_fault(single);
	y = vt_forked(forked, 1);
	{
		/* clang-format off */
		const struct {
			const struct anon_vma *in, *tgt_av;
			const struct vm_area_struct *tgt;
			bool want;
			const char *what;
		} rows[] = {
			{ NULL, NULL, unf, true, "NULL, NULL, tgt unfaulted" },
			{ NULL, x, single, true, "NULL, X, tgt chain 1" },
			{ NULL, y, forked, false, "NULL, X, tgt chain 2" },
			{ x, NULL, unf, false, "X, NULL, tgt unfaulted" },
			{ x, x, single, true, "X, X, chain 1" },
			{ y, y, forked, true, "X, X, chain 2" },
			{ y, x, single, false, "X, Y, chain 1" },
			{ x, y, forked, false, "X, Y, chain 2" },
			{ NULL, NULL, NULL, true, "NULL, NULL, no tgt" },
			{ NULL, x, NULL, true, "NULL, X, no tgt" },
			{ x, NULL, NULL, true, "X, NULL, no tgt" },
			{ x, x, NULL, true, "X, X, no tgt" },
			{ x, y, NULL, false, "X, Y, no tgt" },
		};
		/* clang-format on */

		for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
			if (is_mergeable_anon_vma(rows[i].in, rows[i].tgt_av, rows[i].tgt) !=
			    rows[i].want)
				UNIT_FAIL("is_mergeable_anon_vma(%s) should be %s", rows[i].what,
					  rows[i].want ? "true" : "false");
	}
	ASSERT_INVARIANTS(m);
	teardown();
}

static const struct unit_case cases[] = {
	UNIT_CASE(test_anon_vma_prepare_alone_allocates),
	UNIT_CASE(test_anon_vma_prepare_reuse_conditions),
	UNIT_CASE(test_anon_vma_prepare_prefers_next),
	UNIT_CASE(test_anon_vma_fork_chain),
	UNIT_CASE(test_anon_vma_unlink),
	UNIT_CASE(test_anon_vma_is_mergeable_table),
};

int main(void)
{
	return UNIT_MAIN(cases);
}
