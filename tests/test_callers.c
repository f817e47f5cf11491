// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of the two implementations of struct vma_callers,
 * lib/legacy_callers.c (v6.6) and lib/callers.c (the v6.7 refactor on
 * vma_modify()), and of the syscall walks in lib/syscalls.c that drive them.
 *
 * Every test runs on both paths. Where SEMANTICS.md §6.7 says the paths may
 * differ (U1-U3, I1) each path's own behaviour is asserted and the item is
 * named; everywhere else the two resulting address spaces are also compared
 * field by field, struct identities included (vt_compare_models()).
 *
 * Part 1 calls the caller functions directly on hand-built VMAs: merge into
 * prev, merge into next, splits, early-outs (D3), and the value left in
 * *prev (D5), for mprotect_fixup, madvise_update_vma (flags and name),
 * mlock_fixup, mbind_range and userfaultfd_register_range (register and
 * unregister); then userfaultfd_release_vma, copy_vma, mremap_expand and
 * mmap_post_driver_merge. Part 2 shows the syscall-level items D3, D7, D8,
 * D9 and D11 through sys_*() with addresses in bytes.
 */
#include "vmatest.h"

static struct model *m;
static struct mm_struct *mm;
static struct vt_names nm;

/* Base attributes of every VMA unless a test says otherwise: `anon rw-`. */
#define BASEF (F_RW | VM_ACCOUNT)

static void setup_path(unsigned int p)
{
	m = model_new(vt_paths[p]);
	mm = m->mm;
	memset(&nm, 0, sizeof(nm));
}

static struct vm_area_struct *by_letter(char c)
{
	struct vm_area_struct *v;

	for (v = vma_tree_first(&mm->tree); v; v = vma_next(v))
		if (vt_letter(&nm, v) == c)
			return v;
	return NULL;
}

/* locked_vm is the pages of VM_LOCKED VMAs. */
static void assert_locked_vm(void)
{
	struct vm_area_struct *v;
	long locked = 0;

	for (v = vma_tree_first(&mm->tree); v; v = vma_next(v))
		if (v->vm_flags & VM_LOCKED)
			locked += vma_pages(v);
	ASSERT_INT(mm->locked_vm, locked);
}

/* ============================================= part 1: the caller functions */

/*
 * A kind of change: what a VMA looks like before (base) and after (target),
 * and the caller call that makes [s, e) of vma the target.
 */
struct kind {
	const char *name;
	void (*base)(struct vm_area_struct *v);
	void (*target)(struct vm_area_struct *v);
	bool (*has)(const struct vm_area_struct *v);
	int (*call)(struct vm_area_struct *vma, struct vm_area_struct **prev, unsigned long s,
		    unsigned long e);
	bool early_out_in_caller; /* does the caller itself skip a no-op? */
	/* *prev after a failed split, legacy and refactored, when the prev
	 * passed in ('P') is not the VMA ('V'): §5.10 D5, §6.7 U1-U3 */
	char fail_prev[2];
};

static void k_none(struct vm_area_struct *v)
{
}

/* mprotect to read-only */
static void k_ro(struct vm_area_struct *v)
{
	v->vm_flags &= ~VM_WRITE;
}

static bool k_is_ro(const struct vm_area_struct *v)
{
	return !(v->vm_flags & VM_WRITE);
}

static int call_mprotect(struct vm_area_struct *vma, struct vm_area_struct **prev, unsigned long s,
			 unsigned long e)
{
	unsigned long long newflags = VM_READ | (vma->vm_flags & ~VM_ACCESS_FLAGS);

	return m->callers->mprotect_fixup(vma, prev, s, e, newflags);
}

/* madvise(MADV_DONTFORK) */
static void k_dontcopy(struct vm_area_struct *v)
{
	v->vm_flags |= VM_DONTCOPY;
}

static bool k_is_dontcopy(const struct vm_area_struct *v)
{
	return v->vm_flags & VM_DONTCOPY;
}

static int call_madvise(struct vm_area_struct *vma, struct vm_area_struct **prev, unsigned long s,
			unsigned long e)
{
	return m->callers->madvise_update_vma(vma, prev, s, e, vma->vm_flags | VM_DONTCOPY,
					      vma->anon_name);
}

/* PR_SET_VMA_ANON_NAME "x" (a new name object each call: equal by string) */
static void k_name_x(struct vm_area_struct *v)
{
	vt_name(v, "x");
}

static bool k_is_named_x(const struct vm_area_struct *v)
{
	return v->anon_name && !strcmp(v->anon_name->name, "x");
}

static int call_name(struct vm_area_struct *vma, struct vm_area_struct **prev, unsigned long s,
		     unsigned long e)
{
	struct anon_vma_name *n = anon_vma_name_alloc("x");
	int ret = m->callers->madvise_update_vma(vma, prev, s, e, vma->vm_flags, n);

	anon_vma_name_put(n);
	return ret;
}

/* mlock */
static void k_locked(struct vm_area_struct *v)
{
	v->vm_flags |= VM_LOCKED;
}

static bool k_is_locked(const struct vm_area_struct *v)
{
	return v->vm_flags & VM_LOCKED;
}

static int call_mlock(struct vm_area_struct *vma, struct vm_area_struct **prev, unsigned long s,
		      unsigned long e)
{
	return m->callers->mlock_fixup(vma, prev, s, e,
				       (vma->vm_flags & ~VM_LOCKED_MASK) | VM_LOCKED);
}

/* mbind(MPOL_BIND) */
static void k_bind(struct vm_area_struct *v)
{
	vt_pol(v, VMAFUZZ_POL_BIND, -1);
}

static bool k_is_bind(const struct vm_area_struct *v)
{
	return v->vm_policy && v->vm_policy->mode == VMAFUZZ_POL_BIND;
}

static int call_mbind(struct vm_area_struct *vma, struct vm_area_struct **prev, unsigned long s,
		      unsigned long e)
{
	struct mempolicy *pol = mpol_new(VMAFUZZ_POL_BIND);
	int ret = m->callers->mbind_range(vma, prev, s, e, pol);

	mpol_put(pol);
	return ret;
}

/* UFFDIO_REGISTER missing with context 1, and UFFDIO_UNREGISTER */
static void k_uffd1(struct vm_area_struct *v)
{
	vt_uffd(v, 1, VM_UFFD_MISSING);
}

static bool k_is_uffd1(const struct vm_area_struct *v)
{
	return v->vm_userfaultfd_ctx && v->vm_userfaultfd_ctx->id == 1;
}

static bool k_is_unregistered(const struct vm_area_struct *v)
{
	return !v->vm_userfaultfd_ctx;
}

static int call_uffd_register(struct vm_area_struct *vma, struct vm_area_struct **prev,
			      unsigned long s, unsigned long e)
{
	return m->callers->userfaultfd_register_range(
		vma, prev, s, e, e, (vma->vm_flags & ~__VM_UFFD_FLAGS) | VM_UFFD_MISSING,
		uffd_ctx_get(mm, 1));
}

static int call_uffd_unregister(struct vm_area_struct *vma, struct vm_area_struct **prev,
				unsigned long s, unsigned long e)
{
	return m->callers->userfaultfd_register_range(vma, prev, s, e, e,
						      vma->vm_flags & ~__VM_UFFD_FLAGS, NULL);
}

/* clang-format off */
static const struct kind kinds[] = {
	{ "mprotect_fixup", k_none, k_ro, k_is_ro, call_mprotect, true, { 'V', 'P' } },
	{ "madvise_update_vma", k_none, k_dontcopy, k_is_dontcopy, call_madvise, true,
	  { 'V', 'P' } },
	{ "madvise_update_vma (name)", k_none, k_name_x, k_is_named_x, call_name, true,
	  { 'V', 'P' } },
	{ "mlock_fixup", k_none, k_locked, k_is_locked, call_mlock, true, { 'V', 'E' } },
	{ "mbind_range", k_none, k_bind, k_is_bind, call_mbind, true, { 'P', 'P' } },
	{ "userfaultfd_register_range", k_none, k_uffd1, k_is_uffd1, call_uffd_register,
	  false, { '0', 'P' } },
	{ "userfaultfd_register_range (unregister)", k_uffd1, k_none, k_is_unregistered,
	  call_uffd_unregister, false, { '0', 'P' } },
};
/* clang-format on */

#define NR_KINDS (sizeof(kinds) / sizeof(kinds[0]))

/* No change at all: every VMA plain BASEF (for the non-modify callers). */
static const struct kind plain = { .base = k_none, .target = k_none };

/*
 * Build a layout from a ruler string: each run of one letter is a VMA with
 * pgoff = its start page and flags BASEF; letters in `targets` get the
 * kind's target attribute, the others its base; letters in `odd` also get
 * VM_DONTDUMP, so that they match neither.
 */
static void build(const struct kind *k, const char *layout, const char *targets, const char *odd)
{
	unsigned long s = 0, e;

	while (layout[s]) {
		struct vm_area_struct *v;
		char c = layout[s];

		for (e = s; layout[e] == c; e++)
			;
		if (c != '.') {
			v = vt_alloc(m, s, e, s, BASEF);
			if (strchr(targets, c))
				k->target(v);
			else
				k->base(v);
			if (strchr(odd, c))
				v->vm_flags |= VM_DONTDUMP;
			vt_link(v);
			vt_nm(&nm, c, v);
		}
		s = e;
	}
}

static char target_letter(const void *k, const struct vm_area_struct *v)
{
	return ((const struct kind *)k)->has(v) ? 'T' : 'b';
}

/* Per page: '.' a hole, 'T' a VMA with the target attribute, 'b' without. */
static void render_targets(const struct kind *k, char *buf, size_t sz)
{
	vt_render_by(mm, target_letter, k, buf, sz);
}

#define ASSERT_TARGETS(k, expect)                    \
	do {                                         \
		char _t[128];                        \
		render_targets((k), _t, sizeof(_t)); \
		ASSERT_STR(_t, expect);              \
	} while (0)

struct scenario {
	const char *what;
	const char *before, *targets, *odd;
	char vma, prev;	    /* the VMA passed; the *prev passed ('0': NULL) */
	unsigned long s, e; /* the range, pages */
	const char *after, *after_targets;
	char want_prev; /* *prev afterwards */
	bool early_out; /* needs the caller's own no-op check */
};

/*
 *                             before        range   after        *prev
 */
/* clang-format off */
static const struct scenario scenarios[] = {
	{ "merge into prev (case 5)", "PPPVVVVVV", "P", "", 'V', 'P', 3, 6,
	  "PPPPPPVVV", "TTTTTTbbb", 'P', false },
	{ "merge into prev (case 7)", "PPPVVV", "P", "", 'V', 'P', 3, 6,
	  "PPPPPP", "TTTTTT", 'P', false },
	{ "merge into next (case 4)", "VVVVVVNNN", "N", "", 'V', 'V', 3, 6,
	  "VVVNNNNNN", "bbbTTTTTT", 'N', false },
	{ "merge into next (case 8)", "...VVVNNN", "N", "", 'V', '0', 3, 6,
	  "...NNNNNN", "...TTTTTT", 'N', false },
	{ "merge into next past an odd prev (case 8)", "PPPVVVNNN", "N", "P", 'V', 'P', 3, 6,
	  "PPPNNNNNN", "bbbTTTTTT", 'N', false },
	{ "merge with both (case 6)", "PPPVVVNNN", "PN", "", 'V', 'P', 3, 6,
	  "PPPPPPPPP", "TTTTTTTTT", 'P', false },
	{ "whole VMA in place", "PPPVVVNNN", "", "", 'V', 'P', 3, 6,
	  "PPPVVVNNN", "bbbTTTbbb", 'V', false },
	{ "split at start", "VVVVVVVVV", "", "", 'V', 'V', 3, 9,
	  "***VVVVVV", "bbbTTTTTT", 'V', false },
	{ "split at end", "VVVVVVVVV", "", "", 'V', '0', 0, 6,
	  "VVVVVV***", "TTTTTTbbb", 'V', false },
	{ "split at both ends", "VVVVVVVVV", "", "", 'V', 'V', 3, 6,
	  "***VVV***", "bbbTTTbbb", 'V', false },
	{ "split at start next to an odd prev", "PPPVVVVVV", "", "P", 'V', 'V', 4, 9,
	  "PPP*VVVVV", "bbbbTTTTT", 'V', false },
	{ "early-out: already the target", "VVVVVVVVV", "V", "", 'V', 'V', 3, 6,
	  "VVVVVVVVV", "TTTTTTTTT", 'V', true },
};
/* clang-format on */

#define NR_SCENARIOS (sizeof(scenarios) / sizeof(scenarios[0]))

static void run_scenario(const struct kind *k, const struct scenario *sc)
{
	struct model *ms[VT_NR_PATHS];
	unsigned int p;

	for (p = 0; p < VT_NR_PATHS; p++) {
		struct vm_area_struct *vma, *prev;
		int ret;

		VT_ITER_BEGIN();

		setup_path(p);
		ms[p] = m;
		build(k, sc->before, sc->targets, sc->odd);
		vma = by_letter(sc->vma);
		prev = sc->prev == '0' ? NULL : by_letter(sc->prev);
		ret = k->call(vma, &prev, PG(sc->s), PG(sc->e));
		ASSERT_INT(ret, 0);
		ASSERT_LAYOUT(mm, &nm, sc->after);
		ASSERT_TARGETS(k, sc->after_targets);
		ASSERT_PGOFF_LINEAR(mm, 0);
		ASSERT_INT(vt_ptr_letter(mm, &nm, prev), sc->want_prev);
		assert_locked_vm();
		ASSERT_INVARIANTS(m);
		VT_ITER_END("%s: %s, %s path", k->name, sc->what, m->callers->name);
	}
	{
		VT_ITER_BEGIN();

		vt_compare_models(ms[0], ms[1]);
		VT_ITER_END("%s: %s, legacy against refactored", k->name, sc->what);
	}
	for (p = 0; p < VT_NR_PATHS; p++)
		model_free(ms[p]);
}

/* Every kind of change through every shape, on both paths. */
static void test_callers_merge_and_split_shapes(void)
{
	unsigned int i, j;

	for (i = 0; i < NR_KINDS; i++)
		for (j = 0; j < NR_SCENARIOS; j++)
			if (!scenarios[j].early_out || kinds[i].early_out_in_caller)
				run_scenario(&kinds[i], &scenarios[j]);
}

/*
 * D5 and U1-U3: a split that fails. The range starts at V's start, so the
 * only split is at the end; prev is P, an odd VMA that does not merge.
 *
 *  0123456789
 *  PPPVVVVVV     [3,6) of V; the split at 6 fails
 *  PPPVVVVVV     -ENOMEM, nothing changed
 *
 * *prev afterwards (kind->fail_prev): legacy mprotect and madvise set it to
 * V before splitting, the refactored ones leave P (U2); legacy mlock sets V
 * on every path, the refactored one stores the ERR_PTR (U1); mbind leaves P
 * on both (D5); the legacy uffd loop's prev is NULL after the failed merge,
 * the refactored one leaves P (U3). The failure is made both by `fail split`
 * and by the map-count limit.
 */
static void test_callers_prev_after_split_failure(void)
{
	unsigned int i, how, p;

	for (i = 0; i < NR_KINDS; i++) {
		for (how = 0; how < 2; how++) {
			struct model *ms[VT_NR_PATHS];

			for (p = 0; p < VT_NR_PATHS; p++) {
				const struct kind *k = &kinds[i];
				struct vm_area_struct *vma, *prev;

				VT_ITER_BEGIN();

				setup_path(p);
				ms[p] = m;
				build(k, "PPPVVVVVV", "", "P");
				vma = by_letter('V');
				prev = by_letter('P');
				if (how)
					m->max_map_count = mm->map_count;
				else
					m->fail_countdown[VMAFUZZ_FAIL_SPLIT] = 1;
				ASSERT_INT(k->call(vma, &prev, PG(3), PG(6)), -ENOMEM);
				ASSERT_LAYOUT(mm, &nm, "PPPVVVVVV");
				ASSERT_TARGETS(k, "bbbbbbbbb");
				ASSERT_INT(vt_ptr_letter(mm, &nm, prev), k->fail_prev[p]);
				if (IS_ERR(prev))
					ASSERT_INT(PTR_ERR(prev), -ENOMEM);
				ASSERT_INT(m->fail_countdown[VMAFUZZ_FAIL_SPLIT], 0);
				assert_locked_vm();
				ASSERT_INVARIANTS(m);
				VT_ITER_END("%s, %s, %s path", k->name,
					    how ? "map-count limit" : "fail split",
					    m->callers->name);
			}
			vt_compare_models(ms[0], ms[1]);
			for (p = 0; p < VT_NR_PATHS; p++)
				model_free(ms[p]);
		}
	}
}

/*
 * The second split fails after the first succeeded: the first stays (no
 * undo, §6.2 step 4), on both paths alike. prev passed is V itself.
 *
 *  0123456789
 *  VVVVVVVVV     [3,6); the split at 3 succeeds, the one at 6 fails
 *  ***VVVVVV
 */
static void test_callers_second_split_failure_keeps_first(void)
{
	unsigned int i, p;

	for (i = 0; i < NR_KINDS; i++) {
		struct model *ms[VT_NR_PATHS];

		for (p = 0; p < VT_NR_PATHS; p++) {
			const struct kind *k = &kinds[i];
			struct vm_area_struct *vma, *prev;
			char want = k->fail_prev[p] == 'P' ? 'V' : k->fail_prev[p];

			VT_ITER_BEGIN();

			setup_path(p);
			ms[p] = m;
			build(k, "VVVVVVVVV", "", "");
			vma = prev = by_letter('V');
			m->fail_countdown[VMAFUZZ_FAIL_SPLIT] = 2;
			ASSERT_INT(k->call(vma, &prev, PG(3), PG(6)), -ENOMEM);
			ASSERT_LAYOUT(mm, &nm, "***VVVVVV");
			ASSERT_TARGETS(k, "bbbbbbbbb");
			ASSERT_VMA(vma, 3, 9, 3);
			ASSERT_INT(vt_ptr_letter(mm, &nm, prev), want);
			ASSERT_INVARIANTS(m);
			VT_ITER_END("%s, %s path", k->name, m->callers->name);
		}
		vt_compare_models(ms[0], ms[1]);
		for (p = 0; p < VT_NR_PATHS; p++)
			model_free(ms[p]);
	}
}

/* ------------------------------------------------------------ D3 early-outs */

/*
 * mprotect's early-out looks at the flags only, madvise's at the flags and
 * the name. P and V are identical and adjacent (never merged): a call that
 * changes nothing does not merge them. A madvise that keeps the flags but
 * names the range is no early-out: it merges V into a P named alike.
 */
static void test_callers_early_out_mprotect_and_madvise(void)
{
	unsigned int p, what;

	for (what = 0; what < 4; what++) {
		struct model *ms[VT_NR_PATHS];

		for (p = 0; p < VT_NR_PATHS; p++) {
			struct vm_area_struct *pv, *v, *prev;
			struct anon_vma_name *vname, *n;
			int ret;

			VT_ITER_BEGIN();

			/*  0123456
			 *  PPPVVV       P named "x" (what >= 2) */
			setup_path(p);
			ms[p] = m;
			pv = vt_alloc(m, 0, 3, 0, BASEF);
			v = vt_alloc(m, 3, 6, 3, BASEF);
			if (what >= 2) {
				vt_name(pv, "x");
				vt_name(v, "x");
			}
			vt_nm(&nm, 'P', vt_link(pv));
			vt_nm(&nm, 'V', vt_link(v));
			vname = v->anon_name;
			prev = pv;
			switch (what) {
			case 0: /* mprotect to the same flags */
				ret = m->callers->mprotect_fixup(v, &prev, PG(3), PG(6),
								 v->vm_flags);
				break;
			case 1: /* madvise to the same flags, no name */
				ret = m->callers->madvise_update_vma(v, &prev, PG(3), PG(6),
								     v->vm_flags, NULL);
				break;
			case 2: /* name "x" again, with a new object: equal, early-out */
				n = anon_vma_name_alloc("x");
				ret = m->callers->madvise_update_vma(v, &prev, PG(3), PG(6),
								     v->vm_flags, n);
				anon_vma_name_put(n);
				break;
			default: /* same flags, name cleared: not an early-out */
				ret = m->callers->madvise_update_vma(v, &prev, PG(3), PG(6),
								     v->vm_flags, NULL);
				break;
			}
			ASSERT_INT(ret, 0);
			ASSERT_INT(vt_ptr_letter(mm, &nm, prev), 'V');
			if (what < 3) {
				ASSERT_LAYOUT(mm, &nm, "PPPVVV");
				ASSERT_PTR(v->anon_name, vname); /* untouched */
			} else {
				/* V unnamed, P named: no merge, V loses its name */
				ASSERT_LAYOUT(mm, &nm, "PPPVVV");
				ASSERT_NULL(v->anon_name);
			}
			ASSERT_INVARIANTS(m);
			VT_ITER_END("variant %u, %s path", what, m->callers->name);
		}
		vt_compare_models(ms[0], ms[1]);
		for (p = 0; p < VT_NR_PATHS; p++)
			model_free(ms[p]);
	}
}

/* Renaming to P's name merges (the name takes part, D3/D6). */
static void test_callers_madvise_name_merges_into_prev(void)
{
	struct model *ms[VT_NR_PATHS];
	unsigned int p;

	for (p = 0; p < VT_NR_PATHS; p++) {
		struct vm_area_struct *pv, *v, *prev;
		struct anon_vma_name *n;

		/*  0123456
		 *  PPPVVV       P "y", V "x"; name V "y"
		 *  PPPPPP */
		setup_path(p);
		ms[p] = m;
		pv = vt_alloc(m, 0, 3, 0, BASEF);
		v = vt_alloc(m, 3, 6, 3, BASEF);
		vt_name(pv, "y");
		vt_name(v, "x");
		vt_nm(&nm, 'P', vt_link(pv));
		vt_nm(&nm, 'V', vt_link(v));
		prev = pv;
		n = anon_vma_name_alloc("y");
		ASSERT_INT(m->callers->madvise_update_vma(v, &prev, PG(3), PG(6), v->vm_flags, n),
			   0);
		anon_vma_name_put(n);
		ASSERT_PTR(prev, pv);
		ASSERT_LAYOUT(mm, &nm, "PPPPPP");
		ASSERT_STR(pv->anon_name->name, "y");
		ASSERT_INVARIANTS(m);
	}
	vt_compare_models(ms[0], ms[1]);
	for (p = 0; p < VT_NR_PATHS; p++)
		model_free(ms[p]);
}

/*
 * mlock_fixup skips VM_SPECIAL VMAs: no VM_LOCKED, no accounting, no split,
 * *prev = vma, return 0. munlock of a locked special VMA is skipped too.
 */
static void test_callers_early_out_mlock_special(void)
{
	static const unsigned long long special[] = { VM_IO, VM_DONTEXPAND, VM_PFNMAP,
						      VM_MIXEDMAP };
	unsigned int i, p, lock;

	for (i = 0; i < 4; i++) {
		for (lock = 0; lock < 2; lock++) {
			struct model *ms[VT_NR_PATHS];

			for (p = 0; p < VT_NR_PATHS; p++) {
				unsigned long long flags = BASEF | special[i] |
							   (lock ? 0 : VM_LOCKED);
				struct vm_area_struct *pv, *v, *prev;
				unsigned long long req = lock ? VM_LOCKED : 0;

				VT_ITER_BEGIN();

				/*  0123456789
				 *  PPPVVVVVV     lock (or unlock) [4,6) of V */
				setup_path(p);
				ms[p] = m;
				pv = vt_anon(m, 0, 3, flags);
				v = vt_anon(m, 3, 9, flags);
				vt_nm(&nm, 'P', pv);
				vt_nm(&nm, 'V', v);
				prev = pv;
				ASSERT_INT(m->callers->mlock_fixup(v, &prev, PG(4), PG(6),
								   (v->vm_flags & ~VM_LOCKED_MASK) |
									   req),
					   0);
				ASSERT_PTR(prev, v);
				ASSERT_LAYOUT(mm, &nm, "PPPVVVVVV");
				ASSERT_HEX(v->vm_flags, flags);
				ASSERT_INT(mm->locked_vm, lock ? 0 : 9);
				ASSERT_INVARIANTS(m);
				VT_ITER_END("%#llx, %s, %s path", special[i],
					    lock ? "lock" : "unlock", m->callers->name);
			}
			vt_compare_models(ms[0], ms[1]);
			for (p = 0; p < VT_NR_PATHS; p++)
				model_free(ms[p]);
		}
	}
}

/*
 * mbind_range: the prev fix-up comes first (start inside V: *prev = V), then
 * the mpol_equal early-out, which sets *prev = V as well. An equal policy
 * in a separate object changes nothing; a different home node splits.
 */
static void test_callers_early_out_mbind(void)
{
	unsigned int p, home;

	for (home = 0; home < 2; home++) {
		struct model *ms[VT_NR_PATHS];

		for (p = 0; p < VT_NR_PATHS; p++) {
			struct vm_area_struct *pv, *v, *prev;
			struct mempolicy *pol, *old;

			VT_ITER_BEGIN();

			/*  0123456789
			 *  PPPVVVVVV     V bound; mbind [4,6) bind (home node -1 or 0) */
			setup_path(p);
			ms[p] = m;
			pv = vt_anon(m, 0, 3, BASEF | VM_DONTDUMP);
			v = vt_alloc(m, 3, 9, 3, BASEF);
			vt_pol(v, VMAFUZZ_POL_BIND, -1);
			vt_link(v);
			vt_nm(&nm, 'P', pv);
			vt_nm(&nm, 'V', v);
			old = v->vm_policy;
			prev = pv;
			pol = mpol_new(VMAFUZZ_POL_BIND);
			pol->home_node = home ? 0 : -1;
			ASSERT_INT(m->callers->mbind_range(v, &prev, PG(4), PG(6), pol), 0);
			mpol_put(pol);
			ASSERT_PTR(prev, v);
			if (!home) {
				ASSERT_LAYOUT(mm, &nm, "PPPVVVVVV");
				ASSERT_PTR(v->vm_policy, old);
			} else {
				ASSERT_LAYOUT(mm, &nm, "PPP*VV***");
				ASSERT_INT(v->vm_policy->home_node, 0);
			}
			ASSERT_INVARIANTS(m);
			VT_ITER_END("home %u, %s path", home, m->callers->name);
		}
		vt_compare_models(ms[0], ms[1]);
		for (p = 0; p < VT_NR_PATHS; p++)
			model_free(ms[p]);
	}
}

/* --------------------------------------------------- userfaultfd_release */

static void test_callers_userfaultfd_release(void)
{
	/* clang-format off */
	static const struct {
		const char *what, *before, *odd;	/* V is registered with context 1 */
		char prev;
		const char *after;
		char want;
	} rows[] = {
		/* 0123456789 */
		{ "merge with both (case 6)", "PPPVVVNNN", "", 'P', "PPPPPPPPP", 'P' },
		{ "merge into prev (case 7)", "PPPVVV", "", 'P', "PPPPPP", 'P' },
		{ "merge into next (case 8)", "...VVVNNN", "", '0', "...NNNNNN", 'N' },
		{ "no merge: an odd prev", "PPPVVV", "P", 'P', "PPPVVV", 'V' },
	};
	/* clang-format on */
	static const struct kind k = { .base = k_none, .target = k_uffd1 };
	unsigned int i, p;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct model *ms[VT_NR_PATHS];

		for (p = 0; p < VT_NR_PATHS; p++) {
			struct vm_area_struct *vma, *prev, *ret;

			VT_ITER_BEGIN();

			setup_path(p);
			ms[p] = m;
			build(&k, rows[i].before, "V", rows[i].odd);
			vma = by_letter('V');
			prev = rows[i].prev == '0' ? NULL : by_letter(rows[i].prev);
			ret = m->callers->userfaultfd_release_vma(vma, &prev);
			ASSERT_PTR(ret, prev);
			ASSERT_INT(vt_ptr_letter(mm, &nm, prev), rows[i].want);
			ASSERT_LAYOUT(mm, &nm, rows[i].after);
			ASSERT_TRUE(ret && !ret->vm_userfaultfd_ctx &&
				    !(ret->vm_flags & __VM_UFFD_FLAGS));
			ASSERT_INVARIANTS(m);
			VT_ITER_END("%s, %s path", rows[i].what, m->callers->name);
		}
		vt_compare_models(ms[0], ms[1]);
		for (p = 0; p < VT_NR_PATHS; p++)
			model_free(ms[p]);
	}
}

/* ------------------------------------------------------------- copy_vma */

/*
 * copy_vma() for mremap: the new range merges with its neighbours (cases 1-3)
 * or becomes a copy. An unfaulted anonymous source takes the pgoff of its new
 * address; a faulted one keeps the pgoff passed in, and merges only with a
 * neighbour of the same anon_vma.
 */
static void test_callers_copy_vma(void)
{
	/* clang-format off */
	static const struct {
		const char *what, *before;	/* S is the source */
		bool faulted;		/* the source; N shares its anon_vma when faulted */
		unsigned long to;	/* new address, pages; length 3 */
		const char *after;
		char ret;		/* '*': a new VMA */
		bool rmap;		/* need_rmap_locks */
		unsigned long pgoff;	/* of the returned VMA */
	} rows[] = {
		/* 0123456789abcdef */
		{ "merge into prev (case 2)", "SSS....PPP", false, 10, "SSS....PPPPPP", 'P', false, 7 },
		{ "merge into next (case 3)", "SSS..........NNN", false, 10, "SSS.......NNNNNN",
		  'N', false, 10 },
		{ "merge with both (case 1)", "SSS....PPP...NNN", false, 10, "SSS....PPPPPPPPP",
		  'P', false, 7 },
		{ "merge into the source itself", "...SSS", false, 6, "...SSSSSS", 'S', true, 3 },
		{ "no neighbour: a copy", "SSS", false, 10, "SSS.......***", '*', false, 10 },
		{ "faulted: no merge with an unfaulted prev", "SSS....PPP", true, 10,
		  "SSS....PPP***", '*', false, 0 },
	};
	/* clang-format on */
	unsigned int i, p;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct model *ms[VT_NR_PATHS];

		for (p = 0; p < VT_NR_PATHS; p++) {
			struct vm_area_struct *src, *vmap, *ret;
			bool rmap = !rows[i].rmap;

			VT_ITER_BEGIN();

			setup_path(p);
			ms[p] = m;
			build(&plain, rows[i].before, "", "");
			src = by_letter('S');
			if (rows[i].faulted)
				vt_fault(src);
			vmap = src;
			ret = m->callers->copy_vma(&vmap, PG(rows[i].to), PG(3), src->vm_pgoff,
						   &rmap);
			ASSERT_TRUE(ret != NULL);
			if (ret) {
				ASSERT_INT(vt_letter(&nm, ret), rows[i].ret);
				ASSERT_VMA(ret, PN(ret->vm_start), PN(ret->vm_end), rows[i].pgoff);
				ASSERT_INT(rmap, rows[i].rmap);
				ASSERT_PTR(ret->anon_vma, src->anon_vma);
				ASSERT_INT(ret->avc_count, src->avc_count);
			}
			ASSERT_PTR(vmap, src);
			ASSERT_LAYOUT(mm, &nm, rows[i].after);
			/* the new range, as move_vma accounts it */
			mm->total_vm += 3;
			mm->committed += 3;
			ASSERT_INVARIANTS(m);
			VT_ITER_END("%s, %s path", rows[i].what, m->callers->name);
		}
		vt_compare_models(ms[0], ms[1]);
		for (p = 0; p < VT_NR_PATHS; p++)
			model_free(ms[p]);
	}
}

/* copy_vma's copy fails on `fail alloc`: NULL, nothing linked. */
static void test_callers_copy_vma_fail_alloc(void)
{
	unsigned int p;

	for (p = 0; p < VT_NR_PATHS; p++) {
		struct vm_area_struct *src, *vmap;
		bool rmap = false;

		setup_path(p);
		build(&plain, "SSS", "", "");
		vmap = src = by_letter('S');
		m->fail_countdown[VMAFUZZ_FAIL_ALLOC] = 1;
		ASSERT_NULL(m->callers->copy_vma(&vmap, PG(10), PG(3), 0, &rmap));
		ASSERT_INT(m->fail_countdown[VMAFUZZ_FAIL_ALLOC], 0);
		ASSERT_LAYOUT(mm, &nm, "SSS");
		ASSERT_INT(mm->map_count, 1);
		ASSERT_INVARIANTS(m);
		model_free(m);
	}
}

/* ---------------------------------------------------------- mremap_expand */

static void test_callers_mremap_expand(void)
{
	/* clang-format off */
	static const struct {
		const char *what, *before, *odd;
		unsigned long long extra;	/* flags on V */
		bool fail_merge;
		const char *after;
		bool merged;
	} rows[] = {
		/* 0123456789 */
		{ "into the gap (case 2)", "VVV", "", 0, false, "VVVVVV", true },
		{ "over a matching next (case 1)", "VVV...NNN", "", 0, false, "VVVVVVVVV", true },
		{ "up to an odd next (case 2)", "VVV...NNN", "N", 0, false, "VVVVVVNNN", true },
		{ "VM_IO: no merge", "VVV", "", VM_IO, false, "VVV", false },
		{ "fail merge", "VVV", "", 0, true, "VVV", false },
	};
	/* clang-format on */
	unsigned int i, p;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct model *ms[VT_NR_PATHS];

		for (p = 0; p < VT_NR_PATHS; p++) {
			struct vm_area_struct *v, *ret;

			VT_ITER_BEGIN();

			setup_path(p);
			ms[p] = m;
			build(&plain, rows[i].before, "", rows[i].odd);
			v = by_letter('V');
			v->vm_flags |= rows[i].extra;
			if (rows[i].fail_merge)
				m->fail_countdown[VMAFUZZ_FAIL_MERGE] = 1;
			ret = m->callers->mremap_expand(v, v->vm_start, v->vm_end - v->vm_start, PG(3));
			ASSERT_PTR(ret, rows[i].merged ? v : NULL);
			ASSERT_LAYOUT(mm, &nm, rows[i].after);
			ASSERT_PGOFF_LINEAR(mm, 0);
			if (ret)
				mm->total_vm += 3, mm->committed += 3;
			ASSERT_INVARIANTS(m);
			VT_ITER_END("%s, %s path", rows[i].what, m->callers->name);
		}
		vt_compare_models(ms[0], ms[1]);
		for (p = 0; p < VT_NR_PATHS; p++)
			model_free(ms[p]);
	}
}

/* --------------------------------------------------- mmap_post_driver_merge */

/*
 * The merge mmap_region tries after a driver hook changed the flags. The new
 * VMA is not linked yet. With plain attributes both paths merge alike. I1:
 * the legacy path passes NULL anon_vma, policy, uffd and name, the
 * refactored one the new VMA's own: a new VMA with a policy or a name (which
 * no hook in the model sets) merges only on the refactored path.
 */
static void test_callers_mmap_post_driver_merge(void)
{
	/* clang-format off */
	static const struct {
		const char *what, *before;
		void (*attr)(struct vm_area_struct *v);
		bool merges[VT_NR_PATHS];
		unsigned long end;	/* of P after a merge */
	} rows[] = {
		{ "plain: into prev", "PPP", k_none, { true, true }, 6 },
		{ "plain: into prev and next", "PPP...NNN", k_none, { true, true }, 9 },
		{ "I1: a policy on both", "PPP", k_bind, { false, true }, 6 },
		{ "I1: a name on both", "PPP", k_name_x, { false, true }, 6 },
	};
	/* clang-format on */
	unsigned int i, p;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		for (p = 0; p < VT_NR_PATHS; p++) {
			struct vm_area_struct *prev, *v, *ret;

			VT_ITER_BEGIN();

			setup_path(p);
			build(&plain, rows[i].before, "", "");
			prev = by_letter('P');
			rows[i].attr(prev);
			v = vt_alloc(m, 3, 6, 3, BASEF);
			rows[i].attr(v);
			ret = m->callers->mmap_post_driver_merge(prev, v);
			ASSERT_PTR(ret, rows[i].merges[p] ? prev : NULL);
			vm_area_free_full(v, false); /* mmap_region frees or links it */
			if (ret) {
				ASSERT_VMA(prev, 0, rows[i].end, 0);
				mm->total_vm += 3;
				mm->committed += 3;
			}
			ASSERT_INVARIANTS(m);
			VT_ITER_END("%s, %s path", rows[i].what, m->callers->name);
			model_free(m);
		}
	}
}

/* ===================================================== part 2: syscalls */

/*
 * A syscall row: how to prepare a VMA, the call (addresses in bytes), and
 * the attribute the call gives.
 */
struct sys_row {
	const char *what;
	void (*prep)(struct vm_area_struct *v);
	int (*op)(unsigned long s, unsigned long e); /* pages */
	bool (*has)(const struct vm_area_struct *v);
	int want;
};

static int op_mprotect_ro(unsigned long s, unsigned long e)
{
	return sys_mprotect(mm, PG(s), PG(e - s), VM_READ);
}

static int op_madvise_dontfork(unsigned long s, unsigned long e)
{
	return sys_madvise(mm, PG(s), PG(e - s), VMAFUZZ_ADV_DONTFORK);
}

static int op_name_x(unsigned long s, unsigned long e)
{
	return sys_set_anon_name(mm, PG(s), PG(e - s), "x");
}

static int op_mlock(unsigned long s, unsigned long e)
{
	return sys_mlock(mm, PG(s), PG(e - s), false);
}

static int op_munlock(unsigned long s, unsigned long e)
{
	return sys_munlock(mm, PG(s), PG(e - s));
}

static bool k_is_unlocked(const struct vm_area_struct *v)
{
	return !(v->vm_flags & VM_LOCKED);
}

static int op_mbind_bind(unsigned long s, unsigned long e)
{
	return sys_mbind(mm, PG(s), PG(e - s), VMAFUZZ_POL_BIND);
}

static int op_mbind_default(unsigned long s, unsigned long e)
{
	return sys_mbind(mm, PG(s), PG(e - s), VMAFUZZ_POL_DEFAULT);
}

static bool k_no_policy(const struct vm_area_struct *v)
{
	return !v->vm_policy;
}

static int op_home_node(unsigned long s, unsigned long e)
{
	return sys_set_mempolicy_home_node(mm, PG(s), PG(e - s));
}

static bool k_home0(const struct vm_area_struct *v)
{
	return v->vm_policy && v->vm_policy->home_node == 0;
}

static int op_uffd_register(unsigned long s, unsigned long e)
{
	return sys_uffd_register(mm, PG(s), PG(e - s), 1, VMAFUZZ_UFFD_MISSING);
}

static int op_uffd_unregister(unsigned long s, unsigned long e)
{
	return sys_uffd_unregister(mm, PG(s), PG(e - s), 1);
}

/* Build "A..." runs of `layout` with BASEF and prep; nothing is a target. */
static void build_sys(const char *layout, void (*prep)(struct vm_area_struct *v))
{
	struct kind k = { .base = prep, .target = prep };

	build(&k, layout, "", "");
}

/* Per VMA in address order: 'T' if has(v), 'b' otherwise. */
static void render_has(bool (*has)(const struct vm_area_struct *v), char *buf, size_t sz)
{
	struct vm_area_struct *v;
	size_t n = 0;

	for (v = vma_tree_first(&mm->tree); v && n + 1 < sz; v = vma_next(v))
		buf[n++] = has(v) ? 'T' : 'b';
	buf[n] = '\0';
}

#define ASSERT_HAS_PER_VMA(has, expect)            \
	do {                                       \
		char _h[64];                       \
		render_has((has), _h, sizeof(_h)); \
		ASSERT_STR(_h, expect);            \
	} while (0)

/*
 * D7: the same split failure seen through each syscall. madvise and
 * PR_SET_VMA_ANON_NAME turn -ENOMEM into -EAGAIN; mprotect, mlock, munlock,
 * mbind, set_mempolicy_home_node and userfaultfd return -ENOMEM. The split
 * at the start fails, so nothing changes. Made by the map-count limit and by
 * `fail split`.
 *
 *  0123456789
 *  VVVVVVVVV     the call covers [3,6)
 */
static void test_callers_sys_d7_error_mapping(void)
{
	/* clang-format off */
	static const struct sys_row rows[] = {
		{ "mprotect", k_none, op_mprotect_ro, k_is_ro, -ENOMEM },
		{ "madvise", k_none, op_madvise_dontfork, k_is_dontcopy, -EAGAIN },
		{ "name", k_none, op_name_x, k_is_named_x, -EAGAIN },
		{ "mlock", k_none, op_mlock, k_is_locked, -ENOMEM },
		{ "munlock", k_locked, op_munlock, k_is_unlocked, -ENOMEM },
		{ "mbind", k_none, op_mbind_bind, k_is_bind, -ENOMEM },
		{ "home-node", k_bind, op_home_node, k_home0, -ENOMEM },
		{ "uffd-register", k_none, op_uffd_register, k_is_uffd1, -ENOMEM },
		{ "uffd-unregister", k_uffd1, op_uffd_unregister, k_is_unregistered, -ENOMEM },
	};
	/* clang-format on */
	unsigned int i, how, p;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		for (how = 0; how < 2; how++) {
			struct model *ms[VT_NR_PATHS];

			for (p = 0; p < VT_NR_PATHS; p++) {
				VT_ITER_BEGIN();

				setup_path(p);
				ms[p] = m;
				build_sys("VVVVVVVVV", rows[i].prep);
				if (how)
					m->max_map_count = mm->map_count;
				else
					m->fail_countdown[VMAFUZZ_FAIL_SPLIT] = 1;
				ASSERT_INT(rows[i].op(3, 6), rows[i].want);
				ASSERT_LAYOUT(mm, &nm, "VVVVVVVVV");
				ASSERT_HAS_PER_VMA(rows[i].has, "b");
				assert_locked_vm();
				ASSERT_INVARIANTS(m);
				VT_ITER_END("%s, %s, %s path", rows[i].what,
					    how ? "map-count limit" : "fail split",
					    m->callers->name);
			}
			vt_compare_models(ms[0], ms[1]);
			for (p = 0; p < VT_NR_PATHS; p++)
				model_free(ms[p]);
		}
	}
}

/*
 * D8: holes. mprotect and mlock stop at the first hole with -ENOMEM, keeping
 * what they changed; madvise and the name skip holes and return -ENOMEM at
 * the end; mbind fails with -EFAULT before any change, except MPOL_DEFAULT,
 * which skips holes (but a range of only a hole is -EFAULT); userfaultfd
 * skips holes silently (a range with no VMA at all is -EINVAL).
 *
 *  0123456789ab
 *  AAA...BBB       A and B, a hole at [3,6)
 */
static void test_callers_sys_d8_holes(void)
{
	/* clang-format off */
	static const struct {
		struct sys_row r;
		unsigned long s, e;
		const char *has;	/* per VMA, A then B */
	} rows[] = {
		{ { "mprotect over the hole", k_none, op_mprotect_ro, k_is_ro, -ENOMEM }, 0, 9, "Tb" },
		{ { "mprotect from the hole", k_none, op_mprotect_ro, k_is_ro, -ENOMEM }, 3, 9, "bb" },
		{ { "mprotect into a trailing hole", k_none, op_mprotect_ro, k_is_ro, -ENOMEM }, 0, 4,
		  "Tb" },
		{ { "mprotect without a hole", k_none, op_mprotect_ro, k_is_ro, 0 }, 0, 3, "Tb" },
		{ { "mlock over the hole", k_none, op_mlock, k_is_locked, -ENOMEM }, 0, 9, "Tb" },
		{ { "mlock from the hole", k_none, op_mlock, k_is_locked, -ENOMEM }, 3, 9, "bb" },
		{ { "munlock over the hole", k_locked, op_munlock, k_is_unlocked, -ENOMEM }, 0, 9,
		  "Tb" },
		{ { "madvise over the hole", k_none, op_madvise_dontfork, k_is_dontcopy, -ENOMEM }, 0,
		  9, "TT" },
		{ { "madvise from the hole", k_none, op_madvise_dontfork, k_is_dontcopy, -ENOMEM }, 3,
		  9, "bT" },
		{ { "madvise past the last VMA", k_none, op_madvise_dontfork, k_is_dontcopy,
		    -ENOMEM }, 0, 12, "TT" },
		{ { "name over the hole", k_none, op_name_x, k_is_named_x, -ENOMEM }, 0, 9, "TT" },
		{ { "name from the hole past the end", k_none, op_name_x, k_is_named_x, -ENOMEM }, 3,
		  12, "bT" },
		{ { "mbind over the hole", k_none, op_mbind_bind, k_is_bind, -EFAULT }, 0, 9, "bb" },
		{ { "mbind into a trailing hole", k_none, op_mbind_bind, k_is_bind, -EFAULT }, 6, 10,
		  "bb" },
		{ { "mbind default over the hole", k_bind, op_mbind_default, k_no_policy, 0 }, 0, 9,
		  "TT" },
		{ { "mbind default on only a hole", k_bind, op_mbind_default, k_no_policy, -EFAULT },
		  3, 6, "bb" },
		{ { "uffd-register over the hole", k_none, op_uffd_register, k_is_uffd1, 0 }, 0, 9,
		  "TT" },
		{ { "uffd-register on only a hole", k_none, op_uffd_register, k_is_uffd1, -EINVAL },
		  3, 6, "bb" },
		{ { "uffd-unregister over the hole", k_uffd1, op_uffd_unregister, k_is_unregistered,
		    0 }, 0, 9, "TT" },
	};
	/* clang-format on */
	unsigned int i, p;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct model *ms[VT_NR_PATHS];

		for (p = 0; p < VT_NR_PATHS; p++) {
			VT_ITER_BEGIN();

			setup_path(p);
			ms[p] = m;
			build_sys("AAA...BBB", rows[i].r.prep);
			ASSERT_INT(rows[i].r.op(rows[i].s, rows[i].e), rows[i].r.want);
			ASSERT_LAYOUT(mm, &nm, "AAA...BBB");
			ASSERT_HAS_PER_VMA(rows[i].r.has, rows[i].has);
			assert_locked_vm();
			ASSERT_INVARIANTS(m);
			VT_ITER_END("%s, %s path", rows[i].r.what, m->callers->name);
		}
		vt_compare_models(ms[0], ms[1]);
		for (p = 0; p < VT_NR_PATHS; p++)
			model_free(ms[p]);
	}
}

/*
 * D9: after the first VMA merges into next (case 4), the walk goes on after
 * N, which already has the target, and M then merges into N (case 7). For
 * mprotect and mlock this is the v6.3 fix "mm/mprotect: Fix successful
 * vma_merge() of next in do_mprotect_pkey()": continuing from V's old end
 * would see N starting below it and report a hole (-ENOMEM).
 *
 *  0123456789ab
 *  VVVVVVNNNMMM    N has the target; the call covers [3,12)
 *  VVVNNNNNNNNN    0
 */
static void test_callers_sys_d9_continue_after_merge_into_next(void)
{
	/* clang-format off */
	static const struct sys_row rows[] = {
		{ "mprotect", k_ro, op_mprotect_ro, k_is_ro, 0 },
		{ "mlock", k_locked, op_mlock, k_is_locked, 0 },
		{ "munlock", k_none, op_munlock, k_is_unlocked, 0 },
		{ "madvise", k_dontcopy, op_madvise_dontfork, k_is_dontcopy, 0 },
		{ "name", k_name_x, op_name_x, k_is_named_x, 0 },
		{ "mbind", k_bind, op_mbind_bind, k_is_bind, 0 },
		{ "uffd-register", k_uffd1, op_uffd_register, k_is_uffd1, 0 },
		{ "uffd-unregister", k_none, op_uffd_unregister, k_is_unregistered, 0 },
	};
	/* clang-format on */
	unsigned int i, p;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct model *ms[VT_NR_PATHS];

		for (p = 0; p < VT_NR_PATHS; p++) {
			struct kind k = { .base = k_none, .target = rows[i].prep };
			unsigned long nserial;

			VT_ITER_BEGIN();

			setup_path(p);
			ms[p] = m;
			/* munlock and uffd-unregister: V and M locked/registered, N not */
			if (rows[i].op == op_munlock)
				k.base = k_locked;
			if (rows[i].op == op_uffd_unregister)
				k.base = k_uffd1;
			build(&k, "VVVVVVNNNMMM", "N", "");
			nserial = by_letter('N')->serial;
			ASSERT_INT(rows[i].op(3, 12), 0);
			ASSERT_LAYOUT(mm, &nm, "VVVNNNNNNNNN");
			ASSERT_HAS_PER_VMA(rows[i].has, "bT");
			ASSERT_TRUE(vt_serial_linked(mm, nserial));
			ASSERT_PGOFF_LINEAR(mm, 0);
			assert_locked_vm();
			ASSERT_INVARIANTS(m);
			VT_ITER_END("%s, %s path", rows[i].what, m->callers->name);
		}
		vt_compare_models(ms[0], ms[1]);
		for (p = 0; p < VT_NR_PATHS; p++)
			model_free(ms[p]);
	}
}

/*
 * D11: mprotect charges a private range that becomes writable and had none
 * of ACCOUNT/WRITE/SHARED/NORESERVE, and passes VM_ACCOUNT in the flags it
 * gives vma_merge(): so the range merges with an accounted writable
 * neighbour, and `committed` grows by the pages made writable. Never
 * un-charged in 6.6; un-charged when the split fails.
 */
static void test_callers_sys_d11_mprotect_account(void)
{
	/* clang-format off */
	static const struct {
		const char *what, *before;
		unsigned long long pflags, vflags;
		unsigned long s, e;
		int want;
		bool fail_split;
		const char *after;
		long committed;
		unsigned long long vafter;	/* flags of the VMA at page s */
	} rows[] = {
		/* 0123456789 */
		{ "charged, merges with an accounted prev", "PPPVVV", F_RW | VM_ACCOUNT, F_RO, 3, 6,
		  0, false, "PPPPPP", 6, F_RW | VM_ACCOUNT },
		{ "charged alone", "VVV", 0, F_RO, 0, 3, 0, false, "VVV", 3, F_RW | VM_ACCOUNT },
		{ "charged for the middle only", "VVVVVVVVV", 0, F_RO, 3, 6, 0, false, "***VVV***",
		  3, F_RW | VM_ACCOUNT },
		{ "noreserve: not charged, merges", "PPPVVV", F_RW | VM_NORESERVE,
		  F_RO | VM_NORESERVE, 3, 6, 0, false, "PPPPPP", 0, F_RW | VM_NORESERVE },
		{ "shared: not charged", "VVV", 0, F_RO | VM_SHARED | VM_MAYSHARE, 0, 3, 0, false,
		  "VVV", 0, F_RW | VM_SHARED | VM_MAYSHARE },
		{ "already accounted: no second charge", "VVV", 0, F_RO | VM_ACCOUNT, 0, 3, 0,
		  false, "VVV", 3, F_RW | VM_ACCOUNT },
		{ "read-only again keeps VM_ACCOUNT", "VVV", 0, F_RW | VM_ACCOUNT, 0, 3, 0, false,
		  "VVV", 3, F_RO | VM_ACCOUNT },
		{ "split fails: un-charged", "VVVVVVVVV", 0, F_RO, 3, 6, -ENOMEM, true, "VVVVVVVVV",
		  0, F_RO },
	};
	/* clang-format on */
	unsigned int i, p;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct model *ms[VT_NR_PATHS];

		for (p = 0; p < VT_NR_PATHS; p++) {
			unsigned long long prot;
			const char *c;

			VT_ITER_BEGIN();

			setup_path(p);
			ms[p] = m;
			for (c = rows[i].before; *c;) {
				unsigned long s = c - rows[i].before, e = s;

				while (rows[i].before[e] == *c)
					e++;
				vt_nm(&nm, *c,
				      vt_anon(m, s, e,
					      *c == 'P' ? rows[i].pflags : rows[i].vflags));
				c = rows[i].before + e;
			}
			if (rows[i].fail_split)
				m->fail_countdown[VMAFUZZ_FAIL_SPLIT] = 1;
			/* the failing row asks for rw, like the others that charge */
			prot = rows[i].fail_split ? VM_READ | VM_WRITE :
						    rows[i].vafter & VM_ACCESS_FLAGS;
			ASSERT_INT(sys_mprotect(mm, PG(rows[i].s), PG(rows[i].e - rows[i].s), prot),
				   rows[i].want);
			ASSERT_LAYOUT(mm, &nm, rows[i].after);
			ASSERT_INT(mm->committed, rows[i].committed);
			ASSERT_HEX(vma_lookup(mm, PG(rows[i].s))->vm_flags, rows[i].vafter);
			ASSERT_INVARIANTS(m);
			VT_ITER_END("%s, %s path", rows[i].what, m->callers->name);
		}
		vt_compare_models(ms[0], ms[1]);
		for (p = 0; p < VT_NR_PATHS; p++)
			model_free(ms[p]);
	}
}

/*
 * D3 for userfaultfd: register skips a VMA already registered with the same
 * context and a superset of the modes (no split, WP kept); another context
 * is -EBUSY; unregister removes any registration, whichever context made it
 * (v6.6); closing a context unregisters its VMAs and merges them back,
 * leaving other contexts' VMAs alone.
 */
static void test_callers_sys_uffd_skip_and_release(void)
{
	struct model *ms[VT_NR_PATHS];
	unsigned int p;

	for (p = 0; p < VT_NR_PATHS; p++) {
		struct vm_area_struct *v, *w;
		struct kind k = { .base = k_none, .target = k_uffd1 };

		/*  0123456789ab
		 *  PPPVVVVVVWWW     V: ctx 1 missing+wp; W: ctx 2 */
		setup_path(p);
		ms[p] = m;
		build(&k, "PPPVVVVVV", "V", "");
		v = by_letter('V');
		v->vm_flags |= VM_UFFD_WP;
		w = vt_anon(m, 9, 12, BASEF);
		vt_uffd(w, 2, VM_UFFD_MISSING);
		vt_nm(&nm, 'W', w);

		ASSERT_INT(sys_uffd_register(mm, PG(4), PG(2), 1, VMAFUZZ_UFFD_MISSING), 0);
		ASSERT_LAYOUT(mm, &nm, "PPPVVVVVVWWW");
		ASSERT_HEX(v->vm_flags & __VM_UFFD_FLAGS, VM_UFFD_MISSING | VM_UFFD_WP);
		ASSERT_INT(sys_uffd_register(mm, PG(4), PG(2), 2, VMAFUZZ_UFFD_MISSING), -EBUSY);
		ASSERT_LAYOUT(mm, &nm, "PPPVVVVVVWWW");

		/* Closing ctx 1: V unregistered and merged into P; W untouched. */
		ASSERT_INT(sys_uffd_close(mm, 1), 0);
		ASSERT_LAYOUT(mm, &nm, "PPPPPPPPPWWW");
		ASSERT_PTR(w->vm_userfaultfd_ctx, mm->uffd[2]);
		ASSERT_INVARIANTS(m);

		/* Unregister through ctx 3 removes ctx 2's registration (v6.6). */
		ASSERT_INT(sys_uffd_unregister(mm, PG(9), PG(3), 3), 0);
		ASSERT_LAYOUT(mm, &nm, "PPPPPPPPPPPP");
		ASSERT_INVARIANTS(m);
	}
	vt_compare_models(ms[0], ms[1]);
	for (p = 0; p < VT_NR_PATHS; p++)
		model_free(ms[p]);
}

/*
 * mlockall(MCL_CURRENT) locks every VMA but the VM_SPECIAL ones (skipped,
 * not counted), merging what becomes equal; munlockall undoes it;
 * MCL_FUTURE alone only sets def_flags.
 *
 *  0123456789ab
 *  AAABBBCCCDDD    B has VM_IO, D is locked already
 *  AAABBBDDDDDD    C merges into D (case 8)
 */
static void test_callers_sys_mlockall(void)
{
	struct model *ms[VT_NR_PATHS];
	unsigned int p;

	for (p = 0; p < VT_NR_PATHS; p++) {
		struct vm_area_struct *a, *b, *d;

		setup_path(p);
		ms[p] = m;
		a = vt_anon(m, 0, 3, F_RO);
		b = vt_anon(m, 3, 6, F_RO | VM_IO);
		vt_nm(&nm, 'C', vt_anon(m, 6, 9, F_RO));
		d = vt_anon(m, 9, 12, F_RO | VM_LOCKED);
		vt_nm(&nm, 'A', a);
		vt_nm(&nm, 'B', b);
		vt_nm(&nm, 'D', d);

		ASSERT_INT(sys_mlockall(mm, VMAFUZZ_MCL_FUTURE), 0);
		ASSERT_HEX(mm->def_flags & VM_LOCKED_MASK, VM_LOCKED);
		ASSERT_LAYOUT(mm, &nm, "AAABBBCCCDDD");
		ASSERT_INT(mm->locked_vm, 3);

		ASSERT_INT(sys_mlockall(mm, VMAFUZZ_MCL_CURRENT), 0);
		ASSERT_HEX(mm->def_flags & VM_LOCKED_MASK, 0);
		ASSERT_LAYOUT(mm, &nm, "AAABBBDDDDDD");
		ASSERT_TRUE(a->vm_flags & VM_LOCKED);
		ASSERT_FALSE(b->vm_flags & VM_LOCKED);
		ASSERT_VMA(d, 6, 12, 6);
		ASSERT_INT(mm->locked_vm, 9);
		assert_locked_vm();
		ASSERT_INVARIANTS(m);

		ASSERT_INT(sys_munlockall(mm), 0);
		ASSERT_LAYOUT(mm, &nm, "AAABBBDDDDDD");
		ASSERT_INT(mm->locked_vm, 0);
		assert_locked_vm();
		ASSERT_INVARIANTS(m);

		ASSERT_INT(sys_mlockall(mm, VMAFUZZ_MCL_ONFAULT), -EINVAL);
	}
	vt_compare_models(ms[0], ms[1]);
	for (p = 0; p < VT_NR_PATHS; p++)
		model_free(ms[p]);
}

/*
 * Per-VMA errors stop the walk where they happen, earlier VMAs changed:
 * PR_SET_VMA_ANON_NAME gives -EBADF on a file VMA, MADV_WIPEONFORK -EINVAL.
 * set_mempolicy_home_node gives -EOPNOTSUPP on a policy that is not BIND,
 * and -ENOENT when no VMA in the range has a policy.
 *
 *  0123456789
 *  AAAFFFBBB     F maps regular file 0
 */
static void test_callers_sys_per_vma_errors_stop_the_walk(void)
{
	struct model *ms[VT_NR_PATHS];
	unsigned int p;

	for (p = 0; p < VT_NR_PATHS; p++) {
		struct vm_area_struct *a, *f, *b;

		setup_path(p);
		ms[p] = m;
		a = vt_alloc(m, 0, 3, 0, BASEF);
		vt_pol(a, VMAFUZZ_POL_BIND, -1);
		f = vt_alloc(m, 3, 6, 0, BASEF);
		vt_file(m, f, 0);
		vt_pol(f, VMAFUZZ_POL_INTERLEAVE, -1);
		b = vt_alloc(m, 6, 9, 6, BASEF);
		vt_pol(b, VMAFUZZ_POL_BIND, -1);
		vt_nm(&nm, 'A', vt_link(a));
		vt_nm(&nm, 'F', vt_link(f));
		vt_nm(&nm, 'B', vt_link(b));

		ASSERT_INT(sys_set_anon_name(mm, PG(0), PG(9), "x"), -EBADF);
		ASSERT_HAS_PER_VMA(k_is_named_x, "Tbb");
		ASSERT_INT(sys_madvise(mm, PG(0), PG(9), VMAFUZZ_ADV_WIPEONFORK), -EINVAL);
		ASSERT_TRUE(a->vm_flags & VM_WIPEONFORK);
		ASSERT_FALSE(b->vm_flags & VM_WIPEONFORK);
		ASSERT_INT(sys_set_mempolicy_home_node(mm, PG(0), PG(9)), -EOPNOTSUPP);
		ASSERT_HAS_PER_VMA(k_home0, "Tbb");
		ASSERT_INT(sys_mbind(mm, PG(0), PG(9), VMAFUZZ_POL_DEFAULT), 0);
		ASSERT_INT(sys_set_mempolicy_home_node(mm, PG(0), PG(9)), -ENOENT);
		ASSERT_LAYOUT(mm, &nm, "AAAFFFBBB");
		ASSERT_INVARIANTS(m);
	}
	vt_compare_models(ms[0], ms[1]);
	for (p = 0; p < VT_NR_PATHS; p++)
		model_free(ms[p]);
}

/*
 * mprotect asking for a permission without its VM_MAY bit stops with -EACCES
 * at that VMA, the earlier ones changed. mlock sets the flags first and
 * populates after: a PROT_NONE VMA fails the populate with -EFAULT, which
 * mlock returns as -ENOMEM, the flags staying set and the walk stopping
 * there (later VMAs stay unfaulted).
 *
 *  0123456789
 *  AAABBBCCC     mprotect: B lacks VM_MAYWRITE; mlock: B is PROT_NONE
 */
static void test_callers_sys_mprotect_eacces_and_mlock_populate(void)
{
	struct model *ms[VT_NR_PATHS];
	unsigned int p, k;

	for (k = 0; k < 2; k++) {
		for (p = 0; p < VT_NR_PATHS; p++) {
			struct vm_area_struct *a, *b, *c;

			VT_ITER_BEGIN();

			setup_path(p);
			ms[p] = m;
			a = vt_anon(m, 0, 3, F_RO);
			b = vt_anon(m, 3, 6, k ? F_RO & ~VM_ACCESS_FLAGS : F_RO & ~VM_MAYWRITE);
			c = vt_anon(m, 6, 9, F_RO);
			vt_nm(&nm, 'A', a);
			vt_nm(&nm, 'B', b);
			vt_nm(&nm, 'C', c);
			if (!k) {
				ASSERT_INT(sys_mprotect(mm, PG(0), PG(9), VM_READ | VM_WRITE),
					   -EACCES);
				ASSERT_TRUE(a->vm_flags & VM_WRITE);
				ASSERT_FALSE(b->vm_flags & VM_WRITE);
				ASSERT_FALSE(c->vm_flags & VM_WRITE);
				/* A became writable: charged */
				ASSERT_INT(mm->committed, 3);
			} else {
				ASSERT_INT(sys_mlock(mm, PG(0), PG(9), false), -ENOMEM);
				ASSERT_HAS_PER_VMA(k_is_locked, "TTT");
				ASSERT_INT(pagemap_get(&mm->pages, 0, NULL) & PG_PRESENT,
					   PG_PRESENT);
				ASSERT_INT(pagemap_get(&mm->pages, 3, NULL), 0);
				ASSERT_INT(pagemap_get(&mm->pages, 6, NULL), 0);
				ASSERT_INT(mm->locked_vm, 9);
			}
			ASSERT_LAYOUT(mm, &nm, "AAABBBCCC");
			ASSERT_INVARIANTS(m);
			VT_ITER_END("%s, %s path", k ? "mlock" : "mprotect", m->callers->name);
		}
		vt_compare_models(ms[0], ms[1]);
		for (p = 0; p < VT_NR_PATHS; p++)
			model_free(ms[p]);
	}
}

/*
 * copy_vma of a faulted source merges with a neighbour that shares its
 * anon_vma when the pgoff passed in is linear with it (case 3), keeping
 * that pgoff (no reset for a faulted source).
 *
 *  0123456789abcdef
 *  SSS..........NNN   S faulted, pgoff 0; N shares S's anon_vma, pgoff 3
 *  SSS.......NNNNNN   copied to [10,13): N grows down, pgoff 0
 */
static void test_callers_copy_vma_faulted_merges_with_same_anon_vma(void)
{
	struct model *ms[VT_NR_PATHS];
	unsigned int p;

	for (p = 0; p < VT_NR_PATHS; p++) {
		struct vm_area_struct *s, *n, *vmap, *ret;
		bool rmap = false;

		setup_path(p);
		ms[p] = m;
		s = vt_add(m, 0, 3, 0, BASEF);
		n = vt_add(m, 13, 16, 3, BASEF);
		vt_nm(&nm, 'S', s);
		vt_nm(&nm, 'N', n);
		vt_fault(s);
		anon_vma_clone(n, s);
		vmap = s;
		ret = m->callers->copy_vma(&vmap, PG(10), PG(3), 0, &rmap);
		ASSERT_PTR(ret, n);
		ASSERT_PTR(vmap, s);
		ASSERT_VMA(n, 10, 16, 0);
		ASSERT_TRUE(rmap); /* N's pgoff 0 <= S's 0 */
		ASSERT_LAYOUT(mm, &nm, "SSS.......NNNNNN");
		mm->total_vm += 3;
		mm->committed += 3;
		ASSERT_INVARIANTS(m);
	}
	vt_compare_models(ms[0], ms[1]);
	for (p = 0; p < VT_NR_PATHS; p++)
		model_free(ms[p]);
}

static const struct unit_case cases[] = {
	UNIT_CASE(test_callers_merge_and_split_shapes),
	UNIT_CASE(test_callers_prev_after_split_failure),
	UNIT_CASE(test_callers_second_split_failure_keeps_first),
	UNIT_CASE(test_callers_early_out_mprotect_and_madvise),
	UNIT_CASE(test_callers_madvise_name_merges_into_prev),
	UNIT_CASE(test_callers_early_out_mlock_special),
	UNIT_CASE(test_callers_early_out_mbind),
	UNIT_CASE(test_callers_userfaultfd_release),
	UNIT_CASE(test_callers_copy_vma),
	UNIT_CASE(test_callers_copy_vma_faulted_merges_with_same_anon_vma),
	UNIT_CASE(test_callers_copy_vma_fail_alloc),
	UNIT_CASE(test_callers_mremap_expand),
	UNIT_CASE(test_callers_mmap_post_driver_merge),
	UNIT_CASE(test_callers_sys_d7_error_mapping),
	UNIT_CASE(test_callers_sys_d8_holes),
	UNIT_CASE(test_callers_sys_d9_continue_after_merge_into_next),
	UNIT_CASE(test_callers_sys_d11_mprotect_account),
	UNIT_CASE(test_callers_sys_per_vma_errors_stop_the_walk),
	UNIT_CASE(test_callers_sys_mprotect_eacces_and_mlock_populate),
	UNIT_CASE(test_callers_sys_uffd_skip_and_release),
	UNIT_CASE(test_callers_sys_mlockall),
};

int main(void)
{
	return UNIT_MAIN(cases);
}
