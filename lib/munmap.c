// SPDX-License-Identifier: GPL-2.0
/*
 * munmap of Linux v6.6 (do_vmi_munmap / do_vmi_align_munmap, SEMANTICS.md
 * §4.4) and the release of a whole VMA with its counters (§7.1). munmap
 * splits with __split_vma(), which skips the map-count check, except that a
 * three-way split of one VMA at the limit is refused up front. It never
 * merges.
 */
#include "model.h"

void remove_vma_range(struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;
	long pages = vma_pages(vma);

	vm_stat_account(mm, vma->vm_flags, -pages);
	if (vma->vm_flags & VM_LOCKED)
		mm->locked_vm -= pages;
	if (vma->vm_flags & VM_ACCOUNT)
		vm_unacct_memory(mm, pages);
	pagemap_clear(&mm->pages, vma->vm_start >> PAGE_SHIFT, vma->vm_end >> PAGE_SHIFT);
	vma_unlink(mm, vma);
	vm_area_free_full(vma, true);
}

int do_munmap(struct mm_struct *mm, unsigned long start, unsigned long len)
{
	struct vm_area_struct *vma, *next;
	unsigned long end;
	long early_locked = 0;
	int err;

	if ((start & ~PAGE_MASK) || start > TASK_SIZE || len > TASK_SIZE - start)
		return -EINVAL;
	end = start + PAGE_ALIGN(len);
	if (end == start)
		return -EINVAL;

	vma = find_vma_intersection(mm, start, end);
	if (!vma)
		return 0;

	if (start > vma->vm_start) {
		/* A split in the middle needs a free slot for the third piece. */
		if (end < vma->vm_end && mm->map_count >= mm->model->max_map_count)
			return -ENOMEM;
		err = __split_vma(vma, start, 1);
		if (err)
			return err;
	}

	/* The last VMA of the range is cut at end; the first split stays on error. */
	for (next = vma; next && next->vm_start < end; next = vma_next(next)) {
		if (next->vm_end > end) {
			err = __split_vma(next, end, 0);
			if (err)
				return err;
			break;
		}
		/*
		 * Canary munmap-locked-vm-early undoes 606c812eb1d5 ("mm/mmap:
		 * Fix error path in do_vmi_align_munmap()", v6.5): from v6.1
		 * (munmap_sidetree()) each VMA's locked pages came off
		 * locked_vm as it was detached, before the split of the last
		 * VMA, and the error path did not give them back.
		 */
		if (vmafuzz_canary(VMAFUZZ_CANARY_MUNMAP_LOCKED_VM_EARLY) &&
		    (next->vm_flags & VM_LOCKED)) {
			mm->locked_vm -= vma_pages(next);
			early_locked += vma_pages(next);
		}
	}
	/* The canary's early count: remove_vma_range() takes it off again. */
	mm->locked_vm += early_locked;

	/* Everything in [start, end) is now whole VMAs: release them. */
	while ((vma = find_vma_intersection(mm, start, end)))
		remove_vma_range(vma);
	return 0;
}

int sys_munmap(struct mm_struct *mm, unsigned long start, unsigned long len)
{
	return do_munmap(mm, start, len);
}
