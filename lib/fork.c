// SPDX-License-Identifier: GPL-2.0
/*
 * fork(2): dup_mmap() as Linux v6.6 does it (SEMANTICS.md §5.11, §7.1).
 * The child gets a copy of every VMA but the VM_DONTCOPY ones, in address
 * order and without merging; the parent is unchanged and lives on. On
 * success the child becomes the model's current address space, as the rest
 * of a script runs in the child (SCRIPT-FORMAT.md, `fork`).
 */
#include "model.h"

/*
 * Duplicate one parent VMA into the child mm. The fields are copied by
 * hand rather than with vm_area_dup(): fork links the anon_vma chain with
 * anon_vma_fork(), not anon_vma_clone(), and drops what the child does not
 * inherit. Returns the linked copy, or NULL (`fail alloc`) with nothing
 * left behind.
 */
static struct vm_area_struct *dup_vma(struct mm_struct *mm, struct vm_area_struct *mpnt)
{
	struct vm_area_struct *tmp;
	long charge = 0;

	/* Charged against the child: its committed counts its own VM_ACCOUNT VMAs. */
	if (mpnt->vm_flags & VM_ACCOUNT) {
		charge = (long)vma_pages(mpnt);
		vm_account_charge(mm, charge);
	}

	tmp = vm_area_alloc(mm);
	if (!tmp)
		goto fail_nomem;

	tmp->vm_start = mpnt->vm_start;
	tmp->vm_end = mpnt->vm_end;
	tmp->vm_pgoff = mpnt->vm_pgoff;
	/*
	 * dup_userfaultfd() without UFFD_FEATURE_EVENT_FORK: no context, no
	 * uffd flags. mlock is not inherited either.
	 */
	tmp->vm_flags = mpnt->vm_flags & ~(__VM_UFFD_FLAGS | VM_LOCKED_MASK);
	tmp->vm_userfaultfd_ctx = NULL;
	tmp->vm_ops = mpnt->vm_ops;
	tmp->vm_policy = mpol_dup(mpnt->vm_policy);
	tmp->anon_name = anon_vma_name_get(mpnt->anon_name);
	tmp->vm_file = mpnt->vm_file ? get_file(mpnt->vm_file) : NULL;

	/*
	 * VM_WIPEONFORK gets a clean slate: no anon_vma until the child
	 * faults. Otherwise a faulted VMA gets a new anon_vma whose chain also
	 * links the parent's (chain length >= 2).
	 */
	if (!(tmp->vm_flags & VM_WIPEONFORK) && mpnt->anon_vma) {
		if (anon_vma_fork(tmp, mpnt)) {
			vm_area_free_full(tmp, false);
			goto fail_nomem;
		}
	}

	vma_link(mm, tmp);

	/*
	 * copy_page_range(): the page tables are copied only where the child
	 * could not refault the same contents, i.e. for a VMA with an anon_vma
	 * (device pages are always present and need nothing).
	 */
	if (!(tmp->vm_flags & VM_WIPEONFORK) && mpnt->anon_vma)
		pagemap_copy(&mm->pages, &mpnt->vm_mm->pages, mpnt->vm_start >> PAGE_SHIFT,
			     mpnt->vm_end >> PAGE_SHIFT);

	/* An shm attach counts the child's VMA too. */
	if (tmp->vm_ops && tmp->vm_ops->open)
		tmp->vm_ops->open(tmp);

	vm_stat_account(mm, tmp->vm_flags, (long)vma_pages(tmp));
	return tmp;

fail_nomem:
	if (charge)
		vm_unacct_memory(mm, charge);
	return NULL;
}

int sys_fork(struct model *m)
{
	struct mm_struct *oldmm = m->mm, *mm;
	struct vm_area_struct *mpnt;

	mm = mm_alloc(m);
	if (!mm)
		return -ENOMEM;

	/* mm_init(): only VM_NOHUGEPAGE survives; mlockall(MCL_FUTURE) does not. */
	mm->def_flags = oldmm->def_flags & VM_NOHUGEPAGE;
	mm->start_brk = oldmm->start_brk;
	mm->brk = oldmm->brk;
	mm->brk_set = oldmm->brk_set;

	for (mpnt = vma_tree_first(&oldmm->tree); mpnt; mpnt = vma_next(mpnt)) {
		if (mpnt->vm_flags & VM_DONTCOPY)
			continue;
		if (!dup_vma(mm, mpnt)) {
			/* Tear the partial child down; the script goes on in the parent. */
			mm_free(mm);
			return -ENOMEM;
		}
	}

	mm->next_mm = m->mms;
	m->mms = mm;
	m->mm = mm;
	return 0;
}
