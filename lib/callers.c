// SPDX-License-Identifier: GPL-2.0
/*
 * The refactored path: the same callers as legacy_callers.c, rewritten on
 * vma_modify() and its wrappers, vma_merge_new_vma() and vma_merge_extend():
 * Linux v6.6 plus exactly the five patches of the v6.7 series "Abstract
 * vma_merge() and split_vma()" (SEMANTICS.md §6). Functions are in the same
 * order as in legacy_callers.c; `diff -u` of the two reads as the refactor.
 */
#include "model.h"

/*
 * mprotect_fixup (mm/mprotect.c). D3: the early-out tests the flags only.
 * D11: the flags given to the merge carry the VM_ACCOUNT the charge added.
 * I2: the post-merge VM_WARN_ON is gone.
 */
static int mprotect_fixup(struct vm_area_struct *vma, struct vm_area_struct **pprev,
			  unsigned long start, unsigned long end, unsigned long long newflags)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long long oldflags = vma->vm_flags;
	long nrpages = (end - start) >> PAGE_SHIFT;
	long charged = 0;

	if (newflags == oldflags) {
		*pprev = vma;
		return 0;
	}

	if (newflags & VM_WRITE) {
		if (!(oldflags & (VM_ACCOUNT | VM_WRITE | VM_HUGETLB | VM_SHARED | VM_NORESERVE))) {
			charged = nrpages;
			vm_account_charge(mm, charged);
			newflags |= VM_ACCOUNT;
		}
	}

	vma = vma_modify_flags(*pprev, vma, start, end, newflags);
	if (IS_ERR(vma)) {
		vm_unacct_memory(mm, charged);
		return PTR_ERR(vma);
	}

	*pprev = vma;

	mprotect_apply(vma, start, end, oldflags, newflags);
	return 0;
}

/*
 * madvise_update_vma (mm/madvise.c). D3: the early-out needs the flags and
 * the name equal. U2: on a split error *prev is left alone.
 */
static int madvise_update_vma(struct vm_area_struct *vma, struct vm_area_struct **prev,
			      unsigned long start, unsigned long end,
			      unsigned long long new_flags, struct anon_vma_name *anon_name)
{
	if (new_flags == vma->vm_flags && anon_vma_name_eq(vma->anon_name, anon_name)) {
		*prev = vma;
		return 0;
	}

	vma = vma_modify_flags_name(*prev, vma, start, end, new_flags, anon_name);
	if (IS_ERR(vma))
		return PTR_ERR(vma);

	*prev = vma;

	madvise_apply(vma, new_flags, anon_name);
	return 0;
}

/*
 * mlock_fixup (mm/mlock.c). D3: VM_SPECIAL VMAs are skipped, not changed.
 * U1: on error "out" stores the ERR_PTR in *prev (unreachable in v6.7:
 * mlockall passes whole VMAs, which never split).
 */
static int mlock_fixup(struct vm_area_struct *vma, struct vm_area_struct **prev,
		       unsigned long start, unsigned long end, unsigned long long newflags)
{
	unsigned long long oldflags = vma->vm_flags;
	int ret = 0;

	if (newflags == oldflags || (oldflags & VM_SPECIAL) || (oldflags & VM_HUGETLB))
		goto out;	/* no VM_LOCKED, no accounting */

	vma = vma_modify_flags(*prev, vma, start, end, newflags);
	if (IS_ERR(vma)) {
		ret = PTR_ERR(vma);
		goto out;
	}

	mlock_apply(vma, start, end, oldflags, newflags);

out:
	*prev = vma;
	return ret;
}

/*
 * mbind_range (mm/mempolicy.c), given the global [start, end). D1: prev is
 * fixed up here. The merged and split paths are one now.
 */
static int mbind_range(struct vm_area_struct *vma, struct vm_area_struct **prev,
		       unsigned long start, unsigned long end, struct mempolicy *new_pol)
{
	unsigned long vmstart, vmend;

	vmend = min(end, vma->vm_end);
	if (start > vma->vm_start) {
		/*
		 * Canary: before 7329e3ebe359 "mm/mempolicy: fix mbind_range()
		 * arguments to vma_merge()" (v6.1-rc2) prev stayed the VMA
		 * before vma when start lies inside it, so vma_merge() was asked
		 * to merge a range starting in the middle of curr. The canary
		 * loses the fix-up in the vma_modify() rewrite.
		 */
		if (!vmafuzz_canary(VMAFUZZ_CANARY_MBIND_RANGE_PREV))
			*prev = vma;
		vmstart = start;
	} else {
		vmstart = vma->vm_start;
	}

	if (mpol_equal(vma->vm_policy, new_pol)) {
		*prev = vma;
		return 0;
	}

	vma = vma_modify_policy(*prev, vma, vmstart, vmend, new_pol);
	if (IS_ERR(vma))
		return PTR_ERR(vma);

	*prev = vma;
	return vma_replace_policy(vma, new_pol);
}

/*
 * One VMA of userfaultfd_register() / _unregister() (fs/userfaultfd.c).
 * U5: the upper split now compares with vma_end, not the global end.
 * U3: prev is unchanged after a failed merge.
 */
static int userfaultfd_register_range(struct vm_area_struct *vma, struct vm_area_struct **pprev,
				      unsigned long start, unsigned long vma_end,
				      unsigned long end, unsigned long long new_flags,
				      struct userfaultfd_ctx *ctx)
{
	vma = vma_modify_flags_uffd(*pprev, vma, start, vma_end, new_flags, ctx);
	if (IS_ERR(vma)) {
		/*
		 * Canary: v3 of the refactor's patch 2/5 (cover.1696929425)
		 * returned PTR_ERR(prev) here in userfaultfd_unregister(): a
		 * pointer cut to an int. Caught in review and fixed in v4
		 * before 94d7d9233951 was merged. (With a NULL prev the kernel
		 * returned 0 and stopped; the model's walk cannot stop with 0,
		 * so the canary needs a prev.)
		 */
		if (vmafuzz_canary(VMAFUZZ_CANARY_UFFD_UNREGISTER_PTR_ERR) && !ctx && *pprev)
			return (int)PTR_ERR(*pprev);
		return PTR_ERR(vma);
	}

	vma->vm_flags = new_flags;
	vma->vm_userfaultfd_ctx = ctx;
	*pprev = vma;
	return 0;
}

/*
 * One VMA of userfaultfd_release(). U4: no IS_ERR check; safe because the
 * range is the whole VMA, so no split can fail.
 */
static struct vm_area_struct *userfaultfd_release_vma(struct vm_area_struct *vma,
						      struct vm_area_struct **prev)
{
	unsigned long long new_flags = vma->vm_flags & ~__VM_UFFD_FLAGS;

	vma = vma_modify_flags_uffd(*prev, vma, vma->vm_start, vma->vm_end, new_flags, NULL);
	vma->vm_flags = new_flags;
	vma->vm_userfaultfd_ctx = NULL;
	*prev = vma;
	return vma;
}

/*
 * copy_vma (mm/mmap.c), for mremap's move: merge the new range with its
 * neighbours (cases 1, 2, 3), else link a copy. An unfaulted anonymous
 * source gets the pgoff of its new address, to merge more easily.
 */
static struct vm_area_struct *copy_vma(struct vm_area_struct **vmap, unsigned long addr,
				       unsigned long len, unsigned long pgoff,
				       bool *need_rmap_locks)
{
	struct vm_area_struct *vma = *vmap;
	unsigned long vma_start = vma->vm_start;
	struct mm_struct *mm = vma->vm_mm;
	struct vm_area_struct *new_vma, *prev;
	bool faulted_in_anon_vma = true;

	if (vma_is_anonymous(vma) && !vma->anon_vma) {
		pgoff = addr >> PAGE_SHIFT;
		faulted_in_anon_vma = false;
	}

	new_vma = find_vma_prev(mm, addr, &prev);
	if (new_vma && new_vma->vm_start < addr + len)
		return NULL;	/* should never happen */

	new_vma = vma_merge_new_vma(prev, vma, addr, addr + len, pgoff);
	if (new_vma) {
		/* Only an unfaulted source can be swallowed by the merge. */
		if (vma_start >= new_vma->vm_start && vma_start < new_vma->vm_end) {
			if (faulted_in_anon_vma)
				model_warn(mm->model, "copy_vma: faulted source merged");
			*vmap = vma = new_vma;
		}
		*need_rmap_locks = (new_vma->vm_pgoff <= vma->vm_pgoff);
	} else {
		new_vma = vm_area_dup(vma);
		if (!new_vma)
			return NULL;
		new_vma->vm_start = addr;
		new_vma->vm_end = addr + len;
		new_vma->vm_pgoff = pgoff;
		if (new_vma->vm_ops && new_vma->vm_ops->open)
			new_vma->vm_ops->open(new_vma);
		vma_link(mm, new_vma);
		*need_rmap_locks = false;
	}
	return new_vma;
}

/*
 * mremap's expand in place (mm/mremap.c): case 2, or case 1 over next.
 * vma_merge_extend() needs neither addr nor old_len: the extension starts
 * at vma->vm_end.
 */
static struct vm_area_struct *mremap_expand(struct vm_area_struct *vma, unsigned long addr,
					    unsigned long old_len, unsigned long delta)
{
	return vma_merge_extend(vma, delta);
}

/*
 * mmap_region's merge after the driver changed the flags (I1): the new VMA's
 * own anon_vma, policy, uffd context and name, and its vm_pgoff.
 */
static struct vm_area_struct *mmap_post_driver_merge(struct vm_area_struct *prev,
						     struct vm_area_struct *vma)
{
	return vma_merge_new_vma(prev, vma, vma->vm_start, vma->vm_end, vma->vm_pgoff);
}

const struct vma_callers refactored_callers = {
	.name = "refactored",
	.path = VMAFUZZ_PATH_REFACTORED,
	.mprotect_fixup = mprotect_fixup,
	.madvise_update_vma = madvise_update_vma,
	.mlock_fixup = mlock_fixup,
	.mbind_range = mbind_range,
	.userfaultfd_register_range = userfaultfd_register_range,
	.userfaultfd_release_vma = userfaultfd_release_vma,
	.copy_vma = copy_vma,
	.mremap_expand = mremap_expand,
	.mmap_post_driver_merge = mmap_post_driver_merge,
};
