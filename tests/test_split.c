// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of lib/split.c: split_vma() and __split_vma() of Linux v6.6
 * (SEMANTICS.md §4.1). Which struct keeps which part, the pgoffs, what the
 * new piece copies (flags, file with a reference and the open hook, anon_vma
 * with the whole chain, a duplicated policy, the name by reference, the
 * uffd context), the map-count limit that only split_vma() checks, the
 * may_split veto, and `fail split` / `fail alloc`, each of which must leave
 * everything as it was.
 */
#include "vmatest.h"

VT_FIXTURE()

/* The VMA holding page pg (after a split: the piece found there). */
static struct vm_area_struct *at(unsigned long pg)
{
	return vma_lookup(mm, PG(pg));
}

/* --------------------------------------------------------- identity */

static void test_split_new_below_keeps_upper_part(void)
{
	struct vm_area_struct *v, *new;

	/*  0123456789
	 *  VVVVVVVVV     pgoff 10, split at 3 with new_below = 1
	 *  ***VVVVVV     V keeps [3,9) at pgoff 13; the new piece [0,3) pgoff 10 */
	setup();
	v = vt_add(m, 0, 9, 10, F_RW);
	vt_nm(&nm, 'V', v);
	ASSERT_INT(split_vma(v, PG(3), 1), 0);
	ASSERT_LAYOUT(mm, &nm, "***VVVVVV");
	ASSERT_VMA(v, 3, 9, 13);
	new = at(0);
	ASSERT_VMA(new, 0, 3, 10);
	ASSERT_TRUE(new &&new->serial > v->serial);
	ASSERT_INT(mm->map_count, 2);
	ASSERT_INT(m->stats.split_below, 1);
	ASSERT_INVARIANTS(m);
	teardown();
}

static void test_split_new_above_keeps_lower_part(void)
{
	struct vm_area_struct *v, *new;

	/*  0123456789
	 *  VVVVVVVVV     pgoff 10, split at 3 with new_below = 0
	 *  VVV******     V keeps [0,3) at pgoff 10; the new piece [3,9) pgoff 13 */
	setup();
	v = vt_add(m, 0, 9, 10, F_RW);
	vt_nm(&nm, 'V', v);
	ASSERT_INT(split_vma(v, PG(3), 0), 0);
	ASSERT_LAYOUT(mm, &nm, "VVV******");
	ASSERT_VMA(v, 0, 3, 10);
	new = at(3);
	ASSERT_VMA(new, 3, 9, 13);
	ASSERT_INT(mm->map_count, 2);
	ASSERT_INT(m->stats.split_above, 1);
	ASSERT_INVARIANTS(m);
	teardown();
}

/* The callers' two splits leave the original struct as the middle piece. */
static void test_split_twice_leaves_original_in_the_middle(void)
{
	unsigned int order;

	for (order = 0; order < 2; order++) {
		struct vm_area_struct *v;

		/*  0123456789
		 *  VVVVVVVVV     split at 3 (below) and at 6 (above), in either order
		 *  ***VVV***  */
		setup();
		v = vt_add(m, 2, 11, 0, F_RW); /* pages 2..10, pgoff 0 */
		vt_nm(&nm, 'V', v);
		if (order == 0) {
			ASSERT_INT(split_vma(v, PG(5), 1), 0);
			ASSERT_INT(split_vma(v, PG(8), 0), 0);
		} else {
			ASSERT_INT(split_vma(v, PG(8), 0), 0);
			ASSERT_INT(split_vma(v, PG(5), 1), 0);
		}
		ASSERT_LAYOUT(mm, &nm, "..***VVV***");
		ASSERT_VMA(v, 5, 8, 3);
		ASSERT_VMA(at(2), 2, 5, 0);
		ASSERT_VMA(at(8), 8, 11, 6);
		ASSERT_INT(mm->map_count, 3);
		ASSERT_INVARIANTS(m);
		teardown();
	}
}

/* ------------------------------------------------------ what is copied */

static void test_split_copies_flags_and_uffd(void)
{
	unsigned int below;

	for (below = 0; below < 2; below++) {
		unsigned long long flags = F_RW | VM_DONTCOPY | VM_HUGEPAGE | VM_UFFD_MISSING;
		struct vm_area_struct *v, *new;

		setup();
		v = vt_alloc(m, 0, 9, 0, flags & ~VM_UFFD_MISSING);
		vt_uffd(v, 3, VM_UFFD_MISSING);
		vt_link(v);
		ASSERT_INT(split_vma(v, PG(4), below), 0);
		new = at(below ? 0 : 4);
		ASSERT_PTR_NE(new, v);
		if (new) {
			ASSERT_HEX(new->vm_flags, flags);
			ASSERT_PTR(new->vm_userfaultfd_ctx, v->vm_userfaultfd_ctx);
			ASSERT_PTR(new->vm_ops, NULL);
		}
		ASSERT_HEX(v->vm_flags, flags);
		ASSERT_INVARIANTS(m);
		teardown();
	}
}

/* The anon_vma pointer is shared and the chain copied entry by entry. */
static void test_split_shares_anon_vma_and_copies_chain(void)
{
	unsigned int depth, below;

	for (depth = 0; depth < 4; depth++) { /* unfaulted, faulted, forked once, twice */
		for (below = 0; below < 2; below++) {
			struct vm_area_struct *v, *new;
			struct anon_vma *av = NULL;
			unsigned int k;

			VT_ITER_BEGIN();

			setup();
			v = vt_add(m, 0, 9, 0, F_RW);
			if (depth == 1)
				av = vt_fault(v);
			else if (depth > 1)
				av = vt_forked(v, depth - 1);
			ASSERT_INT(v->avc_count, depth);
			ASSERT_INT(split_vma(v, PG(3), below), 0);
			new = at(below ? 0 : 3);
			ASSERT_PTR_NE(new, v);
			if (new) {
				ASSERT_PTR(new->anon_vma, av);
				ASSERT_INT(new->avc_count, v->avc_count);
				for (k = 0; k < v->avc_count && k < new->avc_count; k++)
					ASSERT_PTR(new->avc[k], v->avc[k]);
				ASSERT_TRUE(new->avc != v->avc || !depth); /* a copy */
			}
			ASSERT_PTR(v->anon_vma, av);
			ASSERT_INT(v->avc_count, depth);
			if (av)
				ASSERT_INT(av->refcount, 2);
			ASSERT_INVARIANTS(m);
			VT_ITER_END("chain %u, new_below %u", depth, below);
			teardown();
		}
	}
}

/* The policy is duplicated (a new object, still mpol_equal), the name shared. */
static void test_split_dups_policy_and_shares_name(void)
{
	struct vm_area_struct *v, *new;

	setup();
	v = vt_alloc(m, 0, 9, 0, F_RW);
	vt_pol(v, VMAFUZZ_POL_INTERLEAVE, 0);
	vt_name(v, "heap");
	vt_link(v);
	ASSERT_INT(split_vma(v, PG(5), 0), 0);
	new = at(5);
	ASSERT_PTR_NE(new, v);
	if (new) {
		ASSERT_PTR_NE(new->vm_policy, v->vm_policy);
		ASSERT_TRUE(new->vm_policy &&mpol_equal(new->vm_policy, v->vm_policy));
		ASSERT_INT(new->vm_policy->refcount, 1);
		ASSERT_PTR(new->anon_name, v->anon_name);
	}
	ASSERT_INT(v->vm_policy->refcount, 1);
	ASSERT_INT(v->anon_name->refcount, 2);
	ASSERT_STR(v->anon_name->name, "heap");
	ASSERT_INVARIANTS(m);
	teardown();
}

/* A file VMA: the new piece takes a reference; no hook for regular files. */
static void test_split_takes_file_reference(void)
{
	struct vm_area_struct *v, *new;
	struct file *f;

	setup();
	v = vt_alloc(m, 0, 9, 1000, F_RW);
	vt_file(m, v, 2);
	vt_link(v);
	f = v->vm_file;
	ASSERT_INT(f->refcount, 2); /* the script's own and V's */
	ASSERT_INT(split_vma(v, PG(3), 1), 0);
	new = at(0);
	ASSERT_PTR(new ? new->vm_file : NULL, f);
	ASSERT_PTR(new ? new->vm_ops : NULL, &file_vm_ops);
	ASSERT_VMA(new, 0, 3, 1000);
	ASSERT_VMA(v, 3, 9, 1003);
	ASSERT_INT(f->refcount, 3);
	ASSERT_INVARIANTS(m);
	teardown();
}

/* shm: the open hook runs on the new piece, so the attach count follows. */
static void test_split_runs_shm_open_hook(void)
{
	unsigned int below;

	for (below = 0; below < 2; below++) {
		struct vm_area_struct *v;
		struct file *f;

		setup();
		f = file_open(m, FILE_SHM, 0, SHM_EXTENT_PAGES);
		v = vt_alloc(m, 0, 9, 0, F_RW | VM_SHARED | VM_MAYSHARE);
		vt_shm(v, f);
		vt_link(v);
		fput(f);
		ASSERT_INT(f->shm_nattch, 1);
		ASSERT_INT(split_vma(v, PG(3), below), 0);
		ASSERT_INT(f->shm_nattch, 2);
		ASSERT_INT(f->refcount, 2);
		ASSERT_INT(split_vma(v, PG(below ? 6 : 1), below), 0);
		ASSERT_INT(f->shm_nattch, 3);
		ASSERT_INVARIANTS(m);
		teardown();
	}
}

/* ------------------------------------------------------------ refusals */

/* The layout of a VMA [0,9) that a refused split must leave as it was. */
static void assert_unsplit(struct vm_area_struct *v, unsigned long pgoff)
{
	ASSERT_LAYOUT(mm, &nm, "VVVVVVVVV");
	ASSERT_VMA(v, 0, 9, pgoff);
	ASSERT_INT(mm->map_count, 1);
	ASSERT_INT(m->stats.split_below + m->stats.split_above, 0);
}

/* A faulted, named, file-backed VMA with a policy: everything a split copies. */
static struct vm_area_struct *rich_vma(void)
{
	struct vm_area_struct *v = vt_alloc(m, 0, 9, 50, F_RW);

	vt_file(m, v, 1);
	vt_pol(v, VMAFUZZ_POL_BIND, -1);
	vt_name(v, "n");
	vt_link(v);
	vt_fault(v);
	vt_nm(&nm, 'V', v);
	return v;
}

static void assert_rich_unchanged(struct vm_area_struct *v)
{
	assert_unsplit(v, 50);
	ASSERT_INT(v->vm_file->refcount, 2);
	ASSERT_INT(v->anon_vma->refcount, 1);
	ASSERT_INT(v->avc_count, 1);
	ASSERT_INT(v->anon_name->refcount, 1);
	ASSERT_INVARIANTS(m);
}

/* split_vma() refuses at the limit; __split_vma() (munmap's) does not. */
static void test_split_map_count_limit(void)
{
	struct vm_area_struct *v;
	unsigned int below;

	for (below = 0; below < 2; below++) {
		setup();
		v = rich_vma();
		m->max_map_count = 1; /* map_count is 1: at the limit */
		m->fail_countdown[VMAFUZZ_FAIL_SPLIT] = 1;
		ASSERT_INT(split_vma(v, PG(3), below), -ENOMEM);
		/* refused before the `fail split` event is counted */
		ASSERT_INT(m->fail_countdown[VMAFUZZ_FAIL_SPLIT], 1);
		assert_rich_unchanged(v);
		teardown();

		setup();
		v = rich_vma();
		m->max_map_count = 1;
		ASSERT_INT(__split_vma(v, PG(3), below), 0);
		ASSERT_INT(mm->map_count, 2); /* now over the limit */
		ASSERT_INVARIANTS(m);
		teardown();

		setup();
		v = rich_vma();
		m->max_map_count = 2; /* one below: allowed */
		ASSERT_INT(split_vma(v, PG(3), below), 0);
		ASSERT_INT(mm->map_count, 2);
		ASSERT_INT(split_vma(v, PG(below ? 6 : 1), below), -ENOMEM);
		ASSERT_INT(mm->map_count, 2);
		ASSERT_INVARIANTS(m);
		teardown();
	}
}

/* `fail split` and `fail alloc` each fail the split and change nothing. */
static void test_split_fail_split_and_fail_alloc(void)
{
	static const enum vmafuzz_fail_kind kinds[] = { VMAFUZZ_FAIL_SPLIT, VMAFUZZ_FAIL_ALLOC };
	unsigned int k, below, split_fn;

	for (k = 0; k < 2; k++) {
		for (below = 0; below < 2; below++) {
			for (split_fn = 0; split_fn < 2; split_fn++) {
				struct vm_area_struct *v;
				int err;

				VT_ITER_BEGIN();

				setup();
				v = rich_vma();
				m->fail_countdown[kinds[k]] = 1;
				err = split_fn ? __split_vma(v, PG(3), below) :
						 split_vma(v, PG(3), below);
				ASSERT_INT(err, -ENOMEM);
				ASSERT_INT(m->fail_countdown[kinds[k]], 0);
				assert_rich_unchanged(v);
				/* the next split goes through */
				ASSERT_INT(split_vma(v, PG(3), below), 0);
				ASSERT_INT(mm->map_count, 2);
				ASSERT_INVARIANTS(m);
				VT_ITER_END("fail %s, new_below %u, %s", k ? "alloc" : "split",
					    below, split_fn ? "__split_vma" : "split_vma");
				teardown();
			}
		}
	}
}

/*
 * SCRIPT-FORMAT.md: the copy's `alloc` event is counted after the split's own
 * `split` event. Armed together at 1, the split event fails and the alloc
 * countdown is not touched; split at 2 and alloc at 1, the split event passes
 * and the alloc fails; one more split then fails on its split event.
 */
static void test_split_event_counted_before_alloc_event(void)
{
	struct vm_area_struct *v;

	setup();
	v = rich_vma();
	m->fail_countdown[VMAFUZZ_FAIL_SPLIT] = 1;
	m->fail_countdown[VMAFUZZ_FAIL_ALLOC] = 1;
	ASSERT_INT(split_vma(v, PG(3), 1), -ENOMEM);
	ASSERT_INT(m->fail_countdown[VMAFUZZ_FAIL_SPLIT], 0);
	ASSERT_INT(m->fail_countdown[VMAFUZZ_FAIL_ALLOC], 1);
	assert_rich_unchanged(v);
	teardown();

	setup();
	v = rich_vma();
	m->fail_countdown[VMAFUZZ_FAIL_SPLIT] = 2;
	m->fail_countdown[VMAFUZZ_FAIL_ALLOC] = 1;
	ASSERT_INT(split_vma(v, PG(3), 1), -ENOMEM); /* the alloc failed */
	ASSERT_INT(m->fail_countdown[VMAFUZZ_FAIL_SPLIT], 1);
	ASSERT_INT(m->fail_countdown[VMAFUZZ_FAIL_ALLOC], 0);
	assert_rich_unchanged(v);
	ASSERT_INT(split_vma(v, PG(3), 1), -ENOMEM); /* the split event fails */
	ASSERT_INT(m->fail_countdown[VMAFUZZ_FAIL_SPLIT], 0);
	assert_rich_unchanged(v);
	teardown();
}

/* A may_split hook can veto; its error comes back unchanged. */
static int veto_at_4(struct vm_area_struct *vma, unsigned long addr)
{
	return addr == PG(4) ? -EINVAL : 0;
}

static const struct vm_operations_struct veto_vm_ops = {
	.name = "veto",
	.may_split = veto_at_4,
};

static void test_split_may_split_veto(void)
{
	struct vm_area_struct *v;
	unsigned int below;

	for (below = 0; below < 2; below++) {
		setup();
		v = vt_alloc(m, 0, 9, 0, F_RW);
		vt_file(m, v, 0);
		v->vm_ops = &veto_vm_ops;
		vt_link(v);
		vt_nm(&nm, 'V', v);
		ASSERT_INT(split_vma(v, PG(4), below), -EINVAL);
		ASSERT_INT(__split_vma(v, PG(4), below), -EINVAL);
		assert_unsplit(v, 0);
		ASSERT_INVARIANTS(m);
		ASSERT_INT(split_vma(v, PG(3), below), 0);
		ASSERT_PTR(at(below ? 0 : 3)->vm_ops, &veto_vm_ops);
		ASSERT_INVARIANTS(m);
		teardown();
	}
}

static const struct unit_case cases[] = {
	UNIT_CASE(test_split_new_below_keeps_upper_part),
	UNIT_CASE(test_split_new_above_keeps_lower_part),
	UNIT_CASE(test_split_twice_leaves_original_in_the_middle),
	UNIT_CASE(test_split_copies_flags_and_uffd),
	UNIT_CASE(test_split_shares_anon_vma_and_copies_chain),
	UNIT_CASE(test_split_dups_policy_and_shares_name),
	UNIT_CASE(test_split_takes_file_reference),
	UNIT_CASE(test_split_runs_shm_open_hook),
	UNIT_CASE(test_split_map_count_limit),
	UNIT_CASE(test_split_fail_split_and_fail_alloc),
	UNIT_CASE(test_split_event_counted_before_alloc_event),
	UNIT_CASE(test_split_may_split_veto),
};

int main(void)
{
	return UNIT_MAIN(cases);
}
