// SPDX-License-Identifier: GPL-2.0
/*
 * The address space: lookups on the VMA tree in the shapes the v6.6 callers
 * use (find_vma, vma_lookup, find_vma_intersection, find_vma_prev), linking
 * and unlinking with map_count, and the total_vm counter.
 */
#include <stdio.h>
#include <stdlib.h>

#include "model.h"

struct mm_struct *mm_alloc(struct model *m)
{
	struct mm_struct *mm = calloc(1, sizeof(*mm));

	if (!mm)
		abort();
	mm->model = m;
	pagemap_init(&mm->pages);
	return mm;
}

void mm_free(struct mm_struct *mm)
{
	struct vm_area_struct *vma;
	unsigned int i;

	/* exit_mmap: every VMA is closed and released, no splits, no merges. */
	while ((vma = vma_tree_first(&mm->tree)))
		remove_vma_range(vma);
	for (i = 0; i <= VMAFUZZ_MAX_CTX; i++) {
		if (mm->uffd[i]) {
			free(mm->uffd[i]);
			mm->model->nr_ctx--;
		}
	}
	pagemap_fini(&mm->pages);
	free(mm);
}

struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	return vma_tree_find(&mm->tree, addr);
}

struct vm_area_struct *vma_lookup(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	return vma && vma->vm_start <= addr ? vma : NULL;
}

struct vm_area_struct *find_vma_intersection(struct mm_struct *mm, unsigned long start,
					     unsigned long end)
{
	struct vm_area_struct *vma = find_vma(mm, start);

	return vma && vma->vm_start < end ? vma : NULL;
}

struct vm_area_struct *find_vma_prev(struct mm_struct *mm, unsigned long addr,
				     struct vm_area_struct **pprev)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	*pprev = vma ? vma_tree_prev(vma) : vma_tree_last(&mm->tree);
	return vma;
}

struct vm_area_struct *vma_next(struct vm_area_struct *vma)
{
	return vma_tree_next(vma);
}

struct vm_area_struct *vma_prev(struct vm_area_struct *vma)
{
	return vma_tree_prev(vma);
}

void vma_link(struct mm_struct *mm, struct vm_area_struct *vma)
{
	vma->vm_mm = mm;
	vma_tree_insert(&mm->tree, vma);
	mm->map_count++;
}

void vma_unlink(struct mm_struct *mm, struct vm_area_struct *vma)
{
	vma_tree_erase(&mm->tree, vma);
	mm->map_count--;
}

/*
 * Changing a linked VMA's bounds never reorders the tree: callers only move
 * a bound into space that was free or that a VMA being removed gave up, so
 * the order by vm_start is kept (the invariant check verifies it).
 */
void vma_set_range(struct vm_area_struct *vma, unsigned long start, unsigned long end,
		   unsigned long pgoff)
{
	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_pgoff = pgoff;
}

void vm_stat_account(struct mm_struct *mm, unsigned long long flags, long npages)
{
	mm->total_vm += npages;
}

bool vm_account_charge(struct mm_struct *mm, long pages)
{
	/* Every VM_ACCOUNT charge succeeds in this configuration (DESIGN.md). */
	mm->committed += pages;
	return true;
}

void vm_unacct_memory(struct mm_struct *mm, long pages)
{
	mm->committed -= pages;
}
