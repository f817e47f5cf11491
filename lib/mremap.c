// SPDX-License-Identifier: GPL-2.0
/*
 * mremap(2) as Linux v6.6 does it (SEMANTICS.md §5.7, §7.1; SCRIPT-FORMAT.md
 * "mremap placement" and "Lengths of zero"): shrink by munmap, grow in place
 * through the path's mremap_expand (vma_merge() on legacy,
 * vma_merge_extend() on refactored), or move through the path's copy_vma,
 * with MREMAP_FIXED and MREMAP_DONTUNMAP handled by mremap_to(). Two fixes
 * that came after v6.6.9 are applied, as the model's preface says: a failed
 * in-place growth un-charges only what it charged, and VM_ACCOUNT is put back
 * on a left remainder that starts at address 0 (937582ee8e8d).
 *
 * Page tables are not modelled; move_page_tables() is the move of the
 * private pages in mm->pages. Shared pages belong to their object, whose
 * offsets a move keeps, and device pages are always present.
 */
#include "model.h"

#define MREMAP_VALID_FLAGS \
	(VMAFUZZ_MREMAP_MAYMOVE | VMAFUZZ_MREMAP_FIXED | VMAFUZZ_MREMAP_DONTUNMAP)

/*
 * vma_to_resize(): the VMA holding [addr, addr + old_len) if it may become
 * new_len long. When the length stays, only the first checks apply.
 */
static struct vm_area_struct *vma_to_resize(struct mm_struct *mm, unsigned long addr,
					    unsigned long old_len, unsigned long new_len,
					    unsigned int flags)
{
	struct vm_area_struct *vma;
	unsigned long pgoff;

	vma = vma_lookup(mm, addr);
	if (!vma)
		return ERR_PTR(-EFAULT);

	/*
	 * old_len 0 asks for a second mapping of the same pages, which a
	 * private mapping cannot give (it would be a new, unrelated one).
	 */
	if (!old_len && !(vma->vm_flags & (VM_SHARED | VM_MAYSHARE)))
		return ERR_PTR(-EINVAL);

	if ((flags & VMAFUZZ_MREMAP_DONTUNMAP) && (vma->vm_flags & (VM_DONTEXPAND | VM_PFNMAP)))
		return ERR_PTR(-EINVAL);

	/* The old range may not cross the end of the VMA. */
	if (old_len > vma->vm_end - addr)
		return ERR_PTR(-EFAULT);

	if (new_len == old_len)
		return vma;

	pgoff = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
	if (pgoff + (new_len >> PAGE_SHIFT) < pgoff)
		return ERR_PTR(-EINVAL);

	if (vma->vm_flags & (VM_DONTEXPAND | VM_PFNMAP))
		return ERR_PTR(-EFAULT);

	/* mlock_future_ok() and may_expand_vm(): no limits in the model. */
	return vma;
}

/* vma_expandable(): [vm_end, vm_end + delta) is free and inside the task. */
static bool vma_expandable(struct vm_area_struct *vma, unsigned long delta)
{
	unsigned long end = vma->vm_end + delta;

	if (end < vma->vm_end)
		return false;
	if (find_vma_intersection(vma->vm_mm, vma->vm_end, end))
		return false;
	/* get_unmapped_area(MAP_FIXED) of [vm_start, end). */
	if (end > TASK_SIZE)
		return false;
	return true;
}

/*
 * Where the kernel would choose an address (get_unmapped_area() without
 * MAP_FIXED), the model takes the lowest free gap of len bytes at or above
 * MREMAP_PLACE_BASE (SCRIPT-FORMAT.md, "mremap placement").
 */
static int mremap_place(struct mm_struct *mm, unsigned long len, unsigned long *addrp)
{
	unsigned long addr = MREMAP_PLACE_BASE;
	struct vm_area_struct *vma;

	for (vma = find_vma(mm, addr);; vma = vma_next(vma)) {
		if (len > TASK_SIZE || addr > TASK_SIZE - len)
			return -ENOMEM;
		if (!vma || vma->vm_start >= addr + len) {
			*addrp = addr;
			return 0;
		}
		addr = max(addr, vma->vm_end);
	}
}

/*
 * move_vma(): copy [old_addr, old_addr + old_len) of vma to new_addr as
 * new_len bytes (old_len <= new_len here), carry the pages over, then unmap
 * the old range unless MREMAP_DONTUNMAP. Sets *locked when a locked VMA
 * grew, so that the caller populates its new tail.
 */
static int move_vma(struct vm_area_struct *vma, unsigned long old_addr, unsigned long old_len,
		    unsigned long new_len, unsigned long new_addr, bool *locked, unsigned int flags)
{
	struct mm_struct *mm = vma->vm_mm;
	struct model *m = mm->model;
	bool dontunmap = flags & VMAFUZZ_MREMAP_DONTUNMAP;
	unsigned long long vm_flags = vma->vm_flags;
	long to_account = (long)((new_len - old_len) >> PAGE_SHIFT);
	bool account_left = false, account_right = false;
	long hidden = 0; /* pages whose VM_ACCOUNT is hidden during the unmap */
	struct vm_area_struct *new_vma;
	unsigned long new_pgoff;
	bool need_rmap_locks;
	int err = 0;

	/*
	 * Stay clear of failing later in do_munmap(), which may split the old
	 * VMA in three before unmapping.
	 */
	if (mm->map_count >= m->max_map_count - 3)
		return -ENOMEM;

	if (dontunmap)
		to_account = (long)(new_len >> PAGE_SHIFT);

	if (vma->vm_ops && vma->vm_ops->may_split) {
		if (vma->vm_start != old_addr)
			err = vma->vm_ops->may_split(vma, old_addr);
		if (!err && vma->vm_end != old_addr + old_len)
			err = vma->vm_ops->may_split(vma, old_addr + old_len);
		if (err)
			return err;
	}

	/* KSM's unmerge of the old range cannot fail in the model. */

	if (vm_flags & VM_ACCOUNT)
		vm_account_charge(mm, to_account);

	new_pgoff = vma->vm_pgoff + ((old_addr - vma->vm_start) >> PAGE_SHIFT);
	/* copy_vma() may merge the copy into the old VMA itself and update vma. */
	new_vma = call_caller(m, COPY_VMA, copy_vma, &vma, new_addr, new_len, new_pgoff,
			      &need_rmap_locks);
	if (!new_vma) {
		if (vm_flags & VM_ACCOUNT)
			vm_unacct_memory(mm, to_account);
		return -ENOMEM;
	}

	/* move_page_tables(): every private page, with its state, to the new place. */
	if (old_len)
		pagemap_move(&mm->pages, old_addr >> PAGE_SHIFT, new_addr >> PAGE_SHIFT,
			     old_len >> PAGE_SHIFT);

	/*
	 * mremap_userfaultfd_prep(): without UFFD_FEATURE_EVENT_REMAP the moved
	 * VMA leaves its context, and so does all of a registered neighbour
	 * copy_vma() merged it into.
	 */
	if (new_vma->vm_userfaultfd_ctx) {
		new_vma->vm_userfaultfd_ctx = NULL;
		new_vma->vm_flags &= ~__VM_UFFD_FLAGS;
	}

	/*
	 * Hide VM_ACCOUNT while the old range is unmapped, so that its charge
	 * (now the new VMA's) is not undone; remember which remainders get it
	 * back.
	 */
	if ((vm_flags & VM_ACCOUNT) && !dontunmap) {
		vma->vm_flags &= ~VM_ACCOUNT;
		hidden = (long)vma_pages(vma);
		if (vma->vm_start < old_addr)
			account_left = true;
		if (vma->vm_end > old_addr + old_len)
			account_right = true;
	}

	/* do_munmap() takes old_len off again below. */
	vm_stat_account(mm, vma->vm_flags, (long)(new_len >> PAGE_SHIFT));

	if (dontunmap) {
		/* The old VMA stays, empty and unlocked; locked_vm is left alone. */
		vma->vm_flags &= ~VM_LOCKED_MASK;
		/* Its pages are gone: when all of it moved, so is its anon_vma. */
		if (new_vma != vma && vma->vm_start == old_addr &&
		    vma->vm_end == old_addr + old_len)
			unlink_anon_vmas(vma);
		return 0;
	}

	if (do_munmap(mm, old_addr, old_len) < 0) {
		/*
		 * The old range stays mapped (old_len 0 always lands here): charge
		 * it again, and restore VM_ACCOUNT on nothing. The old VMA, whole
		 * (in one piece or two, if the first split was done), stays
		 * charged without the flag: SEMANTICS.md §7.1's one excess.
		 */
		if (vm_flags & VM_ACCOUNT) {
			vm_account_charge(mm, (long)(old_len >> PAGE_SHIFT));
			mm->committed_excess += hidden;
		}
		account_left = account_right = false;
	}

	if (vm_flags & VM_LOCKED) {
		mm->locked_vm += (long)(new_len >> PAGE_SHIFT);
		*locked = true;
	}

	/*
	 * Restore VM_ACCOUNT on the pieces left and right of the hole. The
	 * left one ends at old_addr; it may start at address 0 (the v6.6.9
	 * test of its start address for truth missed that; the model applies
	 * 937582ee8e8d).
	 */
	if (account_left) {
		struct vm_area_struct *left = vma_lookup(mm, old_addr - PAGE_SIZE);

		if (left)
			left->vm_flags |= VM_ACCOUNT;
	}
	if (account_right) {
		struct vm_area_struct *right = vma_lookup(mm, old_addr + old_len);

		if (right)
			right->vm_flags |= VM_ACCOUNT;
	}
	return 0;
}

/*
 * mremap_to(): MREMAP_FIXED and/or MREMAP_DONTUNMAP. The unmaps of the
 * target and of a shrinking old tail happen first and are not undone when a
 * later step fails. *new_addrp receives the address moved to.
 */
static int mremap_to(struct mm_struct *mm, unsigned long addr, unsigned long old_len,
		     unsigned long new_addr, unsigned long new_len, bool *locked,
		     unsigned int flags, unsigned long *new_addrp)
{
	struct model *m = mm->model;
	bool fixed = flags & VMAFUZZ_MREMAP_FIXED;
	struct vm_area_struct *vma;
	int err;

	/*
	 * Without fixed= (dontunmap alone) no address is passed: the checks of
	 * it are skipped and the placement rule chooses (SCRIPT-FORMAT.md).
	 */
	if (fixed) {
		if (new_addr & ~PAGE_MASK)
			return -EINVAL;
		if (new_len > TASK_SIZE || new_addr > TASK_SIZE - new_len)
			return -EINVAL;
		/* The old and new ranges may not overlap. */
		if (addr + old_len > new_addr && new_addr + new_len > addr)
			return -EINVAL;
	}

	/*
	 * move_vma() wants map_count 4 below the limit; check now, with room
	 * for both unmaps below splitting a VMA in three, before anything is
	 * unmapped.
	 */
	if (mm->map_count + 2 >= m->max_map_count - 3)
		return -ENOMEM;

	if (fixed) {
		err = do_munmap(mm, new_addr, new_len);
		if (err)
			return err;
	}

	if (old_len > new_len) {
		err = do_munmap(mm, addr + new_len, old_len - new_len);
		if (err)
			return err;
		old_len = new_len;
	}

	vma = vma_to_resize(mm, addr, old_len, new_len, flags);
	if (IS_ERR(vma))
		return (int)PTR_ERR(vma);

	/* may_expand_vm() for DONTUNMAP cannot fail in the model. */

	if (!fixed) {
		err = mremap_place(mm, new_len, &new_addr);
		if (err)
			return err;
	}
	*new_addrp = new_addr;
	return move_vma(vma, addr, old_len, new_len, new_addr, locked, flags);
}

int sys_mremap(struct mm_struct *mm, unsigned long addr, unsigned long old_len,
	       unsigned long new_len, unsigned int flags, unsigned long new_addr)
{
	struct model *m = mm->model;
	struct vm_area_struct *vma;
	unsigned long moved_to = addr;
	bool locked = false;
	int ret;

	if (flags & ~MREMAP_VALID_FLAGS)
		return -EINVAL;
	if ((flags & VMAFUZZ_MREMAP_FIXED) && !(flags & VMAFUZZ_MREMAP_MAYMOVE))
		return -EINVAL;
	/* DONTUNMAP needs MAYMOVE and the same length. */
	if ((flags & VMAFUZZ_MREMAP_DONTUNMAP) &&
	    (!(flags & VMAFUZZ_MREMAP_MAYMOVE) || old_len != new_len))
		return -EINVAL;
	if (addr & ~PAGE_MASK)
		return -EINVAL;

	old_len = PAGE_ALIGN(old_len);
	new_len = PAGE_ALIGN(new_len);
	if (!new_len)
		return -EINVAL;

	vma = vma_lookup(mm, addr);
	if (!vma)
		return -EFAULT;

	if (flags & (VMAFUZZ_MREMAP_FIXED | VMAFUZZ_MREMAP_DONTUNMAP)) {
		ret = mremap_to(mm, addr, old_len, new_addr, new_len, &locked, flags, &moved_to);
		goto out;
	}

	/*
	 * Shrinking is always allowed: it just unmaps the tail, whatever VMAs
	 * or holes lie there.
	 */
	if (old_len >= new_len) {
		if (old_len == new_len)
			return 0;
		return do_munmap(mm, addr + new_len, old_len - new_len);
	}

	vma = vma_to_resize(mm, addr, old_len, new_len, flags);
	if (IS_ERR(vma))
		return (int)PTR_ERR(vma);

	/* The old range runs to the end of the VMA: try to grow it in place. */
	if (old_len == vma->vm_end - addr) {
		unsigned long delta = new_len - old_len;

		if (vma_expandable(vma, delta)) {
			long pages = (long)(delta >> PAGE_SHIFT);
			long charged = 0;

			if (vma->vm_flags & VM_ACCOUNT) {
				vm_account_charge(mm, pages);
				charged = pages;
			}
			/*
			 *   VVVV[delta]....  ->  VVVVVVVVV....   (case 2)
			 *   VVVV[delta]NNNN  ->  VVVVVVVVVVVVV   (case 1)
			 * A failure is final: no fall-back to moving.
			 */
			vma = call_caller(m, MREMAP_EXPAND, mremap_expand, vma, addr, old_len,
					  delta);
			if (!vma) {
				/*
				 * Only what was charged: "mm/mremap: fix unaccount
				 * of memory on vma_merge() failure" (v6.7-rc1).
				 * Canary: v6.6.9 un-charged delta here whatever the
				 * VMA, so a failed growth of a VMA without
				 * VM_ACCOUNT took pages off committed.
				 */
				if (vmafuzz_canary(VMAFUZZ_CANARY_MREMAP_EXPAND_UNACCT))
					charged = pages;
				if (charged)
					vm_unacct_memory(mm, charged);
				return -ENOMEM;
			}
			vm_stat_account(mm, vma->vm_flags, pages);
			if (vma->vm_flags & VM_LOCKED) {
				mm->locked_vm += pages;
				locked = true;
			}
			ret = 0;
			goto out;
		}
	}

	/* It cannot grow in place: move it if allowed. */
	if (!(flags & VMAFUZZ_MREMAP_MAYMOVE))
		return -ENOMEM;
	ret = mremap_place(mm, new_len, &moved_to);
	if (ret)
		return ret;
	ret = move_vma(vma, addr, old_len, new_len, moved_to, &locked, flags);

out:
	if (ret)
		return ret;
	/* A locked VMA that grew gets its new tail populated, errors ignored. */
	if (locked && new_len > old_len)
		populate_range(mm, moved_to + old_len, moved_to + new_len, true);
	return 0;
}
