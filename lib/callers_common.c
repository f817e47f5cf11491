// SPDX-License-Identifier: GPL-2.0
/*
 * What the callers of both paths do after the merge-or-split step: the v6.7
 * refactor left these tails untouched, so both caller files share them.
 * Linux v6.6 (SEMANTICS.md §5.1-5.5).
 */
#include "model.h"

int vma_replace_policy(struct vm_area_struct *vma, struct mempolicy *pol)
{
	struct mempolicy *old = vma->vm_policy;

	/*
	 * A fresh duplicate, even on a merged survivor whose policy was already
	 * equal. The shmem and shm set_policy hooks cannot fail in the model.
	 */
	vma->vm_policy = mpol_dup(pol);
	mpol_put(old);
	return 0;
}

void mprotect_apply(struct vm_area_struct *vma, unsigned long start, unsigned long end,
		    unsigned long long oldflags, unsigned long long newflags)
{
	/* A full overwrite: on a merged survivor this may flip VM_SOFTDIRTY. */
	vma->vm_flags = newflags;
	/* A locked private VMA becoming writable is populated, errors ignored. */
	if ((oldflags & (VM_WRITE | VM_SHARED | VM_LOCKED)) == VM_LOCKED && (newflags & VM_WRITE))
		(void)populate_vma_page_range(vma, start, end);
	/* vm_stat_account(-old) and (+new): total_vm does not change. */
}

void madvise_apply(struct vm_area_struct *vma, unsigned long long new_flags,
		   struct anon_vma_name *anon_name)
{
	vma->vm_flags = new_flags;
	/* Names are stored only on anonymous and anon-shmem VMAs. */
	if (!vma->vm_file || vma_is_shmem(vma))
		replace_anon_vma_name(vma, anon_name);
}

void mlock_apply(struct vm_area_struct *vma, unsigned long start, unsigned long end,
		 unsigned long long oldflags, unsigned long long newflags)
{
	long nr_pages = (end - start) >> PAGE_SHIFT;

	/* Only VM_LOCKED transitions count; an ONFAULT-only change adds nothing. */
	if (!(newflags & VM_LOCKED))
		nr_pages = -nr_pages;
	else if (oldflags & VM_LOCKED)
		nr_pages = 0;
	vma->vm_mm->locked_vm += nr_pages;
	/*
	 * mlock_vma_pages_range() sets VM_IO around the page walk when locking
	 * and clears it again: the flags end as newflags either way.
	 */
	vma->vm_flags = newflags;
}
