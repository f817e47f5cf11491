// SPDX-License-Identifier: GPL-2.0
/*
 * split_vma() and __split_vma() of Linux v6.6 (SEMANTICS.md §4.1).
 *
 * The original struct keeps the upper part when new_below is set and the
 * lower part otherwise, so "split at start (below), then at end (above)"
 * leaves the original struct as exactly the middle piece. No split merges.
 */
#include "model.h"

int __split_vma(struct vm_area_struct *vma, unsigned long addr, int new_below)
{
	struct mm_struct *mm = vma->vm_mm;
	struct vm_area_struct *new;
	int err;

	if (addr <= vma->vm_start || addr >= vma->vm_end || (addr & ~PAGE_MASK))
		__builtin_trap();	/* the kernel WARNs; a caller bug here */

	/* `fail split`: the event is counted once the map-count check is passed. */
	if (model_should_fail(mm->model, VMAFUZZ_FAIL_SPLIT))
		return -ENOMEM;
	if (vma->vm_ops && vma->vm_ops->may_split) {
		err = vma->vm_ops->may_split(vma, addr);
		if (err)
			return err;
	}
	new = vm_area_dup(vma);		/* `fail alloc`: nothing changed yet */
	if (!new)
		return -ENOMEM;

	if (new_below) {
		new->vm_end = addr;
		vma_set_range(vma, addr, vma->vm_end,
			      vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT));
		mm->model->stats.split_below++;
	} else {
		new->vm_start = addr;
		new->vm_pgoff = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
		vma_set_range(vma, vma->vm_start, addr, vma->vm_pgoff);
		mm->model->stats.split_above++;
	}
	if (new->vm_ops && new->vm_ops->open)
		new->vm_ops->open(new);
	vma_link(mm, new);
	if (vmafuzz_canary(VMAFUZZ_CANARY_SPLIT_NO_MAPCOUNT))
		mm->map_count--;	/* planted: the new piece is not counted */
	return 0;
}

int split_vma(struct vm_area_struct *vma, unsigned long addr, int new_below)
{
	if (vma->vm_mm->map_count >= vma->vm_mm->model->max_map_count) {
		vma->vm_mm->model->stats.split_refused++;
		return -ENOMEM;
	}
	return __split_vma(vma, addr, new_below);
}
