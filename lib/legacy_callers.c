// SPDX-License-Identifier: GPL-2.0
/*
 * The legacy path: the callers of Linux v6.6, each open-coding "try
 * vma_merge(), else split at the start and/or the end" with its own small
 * differences (SEMANTICS.md §5, items D1-D11 of §5.10).
 *
 * THE DUPLICATION IN THIS FILE IS THE POINT. It is the copy-pasted code
 * that the v6.7 refactor replaced; do not factor it out. The functions are in
 * the same order as in callers.c, so that `diff -u legacy_callers.c
 * callers.c` reads as the refactor.
 */
#include "model.h"

/*
 * mprotect_fixup (mm/mprotect.c). D3: the early-out tests the flags only.
 * D5: *pprev is set before the splits. D11: the flags given to vma_merge()
 * carry the VM_ACCOUNT the charge added.
 */
static int mprotect_fixup(struct vm_area_struct *vma, struct vm_area_struct **pprev,
			  unsigned long start, unsigned long end, unsigned long long newflags)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long long oldflags = vma->vm_flags;
	long nrpages = (end - start) >> PAGE_SHIFT;
	long charged = 0;
	unsigned long pgoff;
	int error;

	if (newflags == oldflags) {
		*pprev = vma;
		return 0;
	}

	if (newflags & VM_WRITE) {
		if (!(oldflags & (VM_ACCOUNT | VM_WRITE | VM_HUGETLB | VM_SHARED | VM_NORESERVE)) &&
		    !vmafuzz_canary(VMAFUZZ_CANARY_MPROTECT_NO_ACCOUNT)) {
			charged = nrpages;
			vm_account_charge(mm, charged);
			newflags |= VM_ACCOUNT;
		}
	}

	pgoff = vma->vm_pgoff + ((start - vma->vm_start) >> PAGE_SHIFT);
	*pprev = vma_merge(mm, *pprev, start, end, newflags, vma->anon_vma, vma->vm_file, pgoff,
			   vma->vm_policy, vma->vm_userfaultfd_ctx, vma->anon_name);
	if (*pprev) {
		vma = *pprev;
		/* The v6.6 debug check the refactor dropped (I2). */
		if ((vma->vm_flags ^ newflags) & ~VM_SOFTDIRTY)
			model_warn(mm->model, "mprotect_fixup: merged flags %#llx != %#llx",
				   vma->vm_flags, newflags);
		goto success;
	}

	*pprev = vma;

	if (start != vma->vm_start) {
		error = split_vma(vma, start, 1);
		if (error)
			goto fail;
	}

	if (end != vma->vm_end) {
		error = split_vma(vma, end, 0);
		if (error)
			goto fail;
	}

success:
	mprotect_apply(vma, start, end, oldflags, newflags);
	return 0;

fail:
	vm_unacct_memory(mm, charged);
	return error;
}

/*
 * madvise_update_vma (mm/madvise.c). D3: the early-out needs the flags and
 * the name equal. D5: *prev is set before the splits.
 */
static int madvise_update_vma(struct vm_area_struct *vma, struct vm_area_struct **prev,
			      unsigned long start, unsigned long end,
			      unsigned long long new_flags, struct anon_vma_name *anon_name)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long pgoff;
	int error;

	if (new_flags == vma->vm_flags && anon_vma_name_eq(vma->anon_name, anon_name)) {
		*prev = vma;
		return 0;
	}

	pgoff = vma->vm_pgoff + ((start - vma->vm_start) >> PAGE_SHIFT);
	*prev = vma_merge(mm, *prev, start, end, new_flags, vma->anon_vma, vma->vm_file, pgoff,
			  vma->vm_policy, vma->vm_userfaultfd_ctx, anon_name);
	if (*prev) {
		vma = *prev;
		goto success;
	}

	*prev = vma;

	if (start != vma->vm_start) {
		error = split_vma(vma, start, 1);
		if (error)
			return error;
	}

	if (end != vma->vm_end) {
		error = split_vma(vma, end, 0);
		if (error)
			return error;
	}

success:
	madvise_apply(vma, new_flags, anon_name);
	return 0;
}

/*
 * mlock_fixup (mm/mlock.c). D3: VM_SPECIAL VMAs are skipped, not changed.
 * D5: *prev = vma on every path, errors included.
 */
static int mlock_fixup(struct vm_area_struct *vma, struct vm_area_struct **prev,
		       unsigned long start, unsigned long end, unsigned long long newflags)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long long oldflags = vma->vm_flags;
	unsigned long pgoff;
	int ret = 0;

	if (newflags == oldflags || (oldflags & VM_SPECIAL) || (oldflags & VM_HUGETLB))
		goto out;	/* no VM_LOCKED, no accounting */

	pgoff = vma->vm_pgoff + ((start - vma->vm_start) >> PAGE_SHIFT);
	*prev = vma_merge(mm, *prev, start, end, newflags, vma->anon_vma, vma->vm_file, pgoff,
			  vma->vm_policy, vma->vm_userfaultfd_ctx, vma->anon_name);
	if (*prev) {
		vma = *prev;
		goto success;
	}

	if (start != vma->vm_start) {
		ret = split_vma(vma, start, 1);
		if (ret)
			goto out;
	}

	if (end != vma->vm_end) {
		ret = split_vma(vma, end, 0);
		if (ret)
			goto out;
	}

success:
	mlock_apply(vma, start, end, oldflags, newflags);
	/*
	 * Canary: before b155b4fde5bd "mm: mlock: avoid increase mm->locked_vm
	 * on mlock() when already mlock2(,MLOCK_ONFAULT)" (v4.9), mlock_fixup
	 * added the range to locked_vm whenever the new flags locked it, so
	 * mlock() over an mlock2(MLOCK_ONFAULT) range (only VM_LOCKONFAULT
	 * changes) counted the pages a second time.
	 */
	if (vmafuzz_canary(VMAFUZZ_CANARY_MLOCK_ONFAULT_LOCKED_VM) &&
	    (oldflags & newflags & VM_LOCKED))
		mm->locked_vm += (long)((end - start) >> PAGE_SHIFT);

out:
	*prev = vma;
	if (ret && vmafuzz_canary(VMAFUZZ_CANARY_MLOCK_SWALLOW_ERROR))
		ret = 0;	/* planted: the split error is lost */
	return ret;
}

/*
 * mbind_range (mm/mempolicy.c), given the global [start, end). D1: prev is
 * fixed up here. D5: a split error returns without updating *prev.
 */
static int mbind_range(struct vm_area_struct *vma, struct vm_area_struct **prev,
		       unsigned long start, unsigned long end, struct mempolicy *new_pol)
{
	struct vm_area_struct *merged;
	unsigned long vmstart, vmend;
	unsigned long pgoff;
	int err;

	vmend = min(end, vma->vm_end);
	if (start > vma->vm_start) {
		*prev = vma;
		vmstart = start;
	} else {
		vmstart = vma->vm_start;
	}

	if (mpol_equal(vma->vm_policy, new_pol)) {
		/*
		 * Canary: f4e9e0e69468 ("mm/mempolicy: fix use-after-free of VMA
		 * iterator", v6.2) reworked this function around **prev and lost
		 * this update: the next VMA then met vma_merge() with a prev that
		 * is not its predecessor. Fixed by 00ca0f2e86bf "mm/mempolicy:
		 * correctly update prev when policy is equal on mbind" (v6.4-rc1);
		 * the canary undoes it.
		 */
		if (!vmafuzz_canary(VMAFUZZ_CANARY_MBIND_EQUAL_STALE_PREV))
			*prev = vma;
		return 0;
	}

	pgoff = vma->vm_pgoff + ((vmstart - vma->vm_start) >> PAGE_SHIFT);
	/*
	 * Canary: 8aacc9f550 "mm/mempolicy.c: fix pgoff in mbind vma merge"
	 * (v3.1) passed vma->vm_pgoff, the pgoff of the VMA's start, which is
	 * wrong when the range starts inside the VMA: case 4 into next is
	 * refused, or a next that lines up with the wrong pgoff is merged.
	 * Fixed by e26a51148f3e "mm/mempolicy.c: refix mbind_range() vma
	 * issue" (v3.3); the canary undoes it.
	 */
	if (vmafuzz_canary(VMAFUZZ_CANARY_MBIND_RANGE_PGOFF))
		pgoff = vma->vm_pgoff;
	merged = vma_merge(vma->vm_mm, *prev, vmstart, vmend, vma->vm_flags, vma->anon_vma,
			   vma->vm_file, pgoff, new_pol, vma->vm_userfaultfd_ctx, vma->anon_name);
	if (merged) {
		*prev = merged;
		return vma_replace_policy(merged, new_pol);
	}

	if (vma->vm_start != vmstart) {
		err = split_vma(vma, vmstart, 1);
		if (err)
			return err;
	}

	if (vma->vm_end != vmend) {
		err = split_vma(vma, vmend, 0);
		if (err)
			return err;
	}

	*prev = vma;
	return vma_replace_policy(vma, new_pol);
}

/*
 * One VMA of userfaultfd_register() / _unregister() (fs/userfaultfd.c).
 * D2/D4: the upper split tests the ioctl's global end, with `<` and `>`.
 * D5: the loop's prev is NULL after a failed merge and set at the bottom.
 */
static int userfaultfd_register_range(struct vm_area_struct *vma, struct vm_area_struct **pprev,
				      unsigned long start, unsigned long vma_end,
				      unsigned long end, unsigned long long new_flags,
				      struct userfaultfd_ctx *ctx)
{
	struct vm_area_struct *prev = *pprev;
	unsigned long pgoff;
	int ret;

	pgoff = vma->vm_pgoff + ((start - vma->vm_start) >> PAGE_SHIFT);
	/*
	 * Canary: from the first userfaultfd until 5543d3c43c41 "mm/uffd:
	 * allow vma to merge as much as possible" (v6.4), register and
	 * unregister passed vma->vm_pgoff, the pgoff of the VMA's start: a
	 * range starting inside the VMA could not merge into next (case 4),
	 * and mergeable VMAs stayed apart. The canary undoes the fix.
	 */
	if (vmafuzz_canary(VMAFUZZ_CANARY_UFFD_REGISTER_PGOFF))
		pgoff = vma->vm_pgoff;
	prev = vma_merge(vma->vm_mm, prev, start, vma_end, new_flags, vma->anon_vma, vma->vm_file,
			 pgoff, vma->vm_policy, ctx, vma->anon_name);
	*pprev = prev;
	if (prev) {
		vma = prev;
		goto next;
	}
	if (vma->vm_start < start) {
		ret = split_vma(vma, start, 1);
		if (ret)
			return ret;
	}
	if (vma->vm_end > end) {
		ret = split_vma(vma, end, 0);
		if (ret)
			return ret;
	}
next:
	vma->vm_flags = new_flags;
	vma->vm_userfaultfd_ctx = ctx;
	*pprev = vma;
	return 0;
}

/*
 * One VMA of userfaultfd_release(): the whole VMA, its own pgoff, never a
 * split, so never an error.
 */
static struct vm_area_struct *userfaultfd_release_vma(struct vm_area_struct *vma,
						      struct vm_area_struct **prev)
{
	unsigned long long new_flags = vma->vm_flags & ~__VM_UFFD_FLAGS;

	*prev = vma_merge(vma->vm_mm, *prev, vma->vm_start, vma->vm_end, new_flags,
			  vma->anon_vma, vma->vm_file, vma->vm_pgoff, vma->vm_policy, NULL,
			  vma->anon_name);
	if (*prev)
		vma = *prev;
	else
		*prev = vma;
	vma->vm_flags = new_flags;
	vma->vm_userfaultfd_ctx = NULL;
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

	new_vma = vma_merge(mm, prev, addr, addr + len, vma->vm_flags, vma->anon_vma,
			    vma->vm_file, pgoff, vma->vm_policy, vma->vm_userfaultfd_ctx,
			    vma->anon_name);
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
 * old_len runs from addr to vma->vm_end. Canary mremap-expand-pgoff: the
 * extension's pgoff as v6.2 computed it, counting old_len from vm_start,
 * which is wrong when addr lies inside the VMA, so that case 2's pgoff test
 * refuses the growth (undoes "mm, mremap: fix mremap() expanding vma with
 * addr inside vma").
 */
static struct vm_area_struct *mremap_expand(struct vm_area_struct *vma, unsigned long addr,
					    unsigned long old_len, unsigned long delta)
{
	unsigned long extension_start = addr + old_len;
	unsigned long extension_end = extension_start + delta;
	unsigned long extension_pgoff = vma->vm_pgoff +
		((extension_start - vma->vm_start) >> PAGE_SHIFT);

	if (vmafuzz_canary(VMAFUZZ_CANARY_MREMAP_EXPAND_PGOFF))
		extension_pgoff = vma->vm_pgoff + (old_len >> PAGE_SHIFT);

	return vma_merge(vma->vm_mm, vma, extension_start, extension_end, vma->vm_flags,
			 vma->anon_vma, vma->vm_file, extension_pgoff, vma->vm_policy,
			 vma->vm_userfaultfd_ctx, vma->anon_name);
}

/*
 * mmap_region's merge after the driver changed the flags (D10, I1): v6.6
 * passes NULL anon_vma, policy, uffd context and name.
 */
static struct vm_area_struct *mmap_post_driver_merge(struct vm_area_struct *prev,
						     struct vm_area_struct *vma)
{
	return vma_merge(vma->vm_mm, prev, vma->vm_start, vma->vm_end, vma->vm_flags, NULL,
			 vma->vm_file, vma->vm_pgoff, NULL, NULL, NULL);
}

const struct vma_callers legacy_callers = {
	.name = "legacy",
	.path = VMAFUZZ_PATH_LEGACY,
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
