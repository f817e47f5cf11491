// SPDX-License-Identifier: GPL-2.0
/*
 * brk(2) as Linux v6.6 does it (SEMANTICS.md §5.8, §7.1; SCRIPT-FORMAT.md
 * "brk"): shrink by munmap, grow by extending the heap VMA in place
 * (do_brk_flags(), never merging with what follows) or by a new anonymous
 * VMA. brk is shared by both paths: the v6.7 refactor did not touch it.
 *
 * The system call returns the old break on failure; the model returns
 * -ENOMEM then, as a script records it.
 */
#include "model.h"

/*
 * Canary brk-expand-any-vma: the test v6.1-rc1 made before extending the VMA
 * below the break, undoing 6c28ca6485dd ("mm/mmap: fix do_brk_flags()
 * modifying obviously incorrect VMAs", v6.1; it Fixes 2e7ce7d354f2). Only
 * the flags (soft-dirty aside) and a not-forked anon_vma were asked for:
 * not that the VMA ends at the old break, nor its policy, file, pgoff,
 * userfaultfd context or name. So a heap VMA with a policy or a name, a
 * private file mapping in the heap, or a heap VMA whose top was unmapped
 * (it grows over the hole) took the new heap pages.
 */
static bool brk_vma_looks_mergeable(const struct vm_area_struct *vma, unsigned long long flags)
{
	return !((vma->vm_flags ^ flags) & ~VM_SOFTDIRTY) &&
	       (!vma->anon_vma || avc_is_singular(vma));
}

/*
 * do_brk_flags(): map [addr, addr + len) as heap. vma is the VMA below addr
 * that may be extended (the one vma_prev_limit() found), or NULL.
 */
static int do_brk_flags(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr,
			unsigned long len, unsigned long long flags)
{
	struct model *m = mm->model;
	long pages = len >> PAGE_SHIFT;

	/* VM_DATA_DEFAULT_FLAGS on x86: rw- with the three MAY bits. */
	flags |= VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | VM_ACCOUNT |
		 mm->def_flags;

	/* Note `>`, not `>=`: brk may leave map_count at limit + 1, as mmap may. */
	if (mm->map_count > m->max_map_count)
		return -ENOMEM;
	vm_account_charge(mm, pages);

	/*
	 * Extend the heap in place when it ends at addr and would merge as
	 * prev: no policy, anonymous, pgoff-linear, no userfaultfd context, no
	 * name, and a single chain entry if faulted (so not after fork).
	 *
	 *   HHHH[new]     ->  HHHHHHHH
	 */
	if (vma && (vmafuzz_canary(VMAFUZZ_CANARY_BRK_EXPAND_ANY_VMA) ?
			    brk_vma_looks_mergeable(vma, flags) :
			    vma->vm_end == addr && !vma->vm_policy &&
				    can_vma_merge_after(vma, flags, NULL, NULL, addr >> PAGE_SHIFT,
							NULL, NULL))) {
		/* The tree preallocation: a failure fails the brk, no fall-back. */
		if (model_should_fail(m, VMAFUZZ_FAIL_MERGE)) {
			vm_unacct_memory(mm, pages);
			return -ENOMEM;
		}
		vma_set_range(vma, vma->vm_start, addr + len, vma->vm_pgoff);
		goto out;
	}

	vma = vm_area_alloc(mm);
	if (!vma) {
		vm_unacct_memory(mm, pages);
		return -ENOMEM;
	}
	vma->vm_ops = NULL; /* anonymous */
	vma->vm_start = addr;
	vma->vm_end = addr + len;
	vma->vm_pgoff = addr >> PAGE_SHIFT;
	vma->vm_flags = flags;
	vma_link(mm, vma);
out:
	vm_stat_account(mm, flags, pages);
	if (flags & VM_LOCKED)
		mm->locked_vm += pages;
	/* VM_SOFTDIRTY would be set here; soft-dirty is configured off. */
	return 0;
}

int sys_brk(struct mm_struct *mm, unsigned long brk)
{
	unsigned long newbrk, oldbrk;
	struct vm_area_struct *brkvma, *next;

	/* The model has no exec: the first brk places the heap, with no VMA. */
	if (!mm->brk_set) {
		mm->start_brk = mm->brk = brk;
		mm->brk_set = true;
		return 0;
	}

	if (brk < mm->start_brk)
		return -ENOMEM;

	newbrk = PAGE_ALIGN(brk);
	oldbrk = PAGE_ALIGN(mm->brk);
	if (oldbrk == newbrk) {
		mm->brk = brk;
		return 0;
	}

	/* Always allow shrinking, if some VMA lies in [newbrk, oldbrk). */
	if (brk <= mm->brk) {
		if (!find_vma_intersection(mm, newbrk, oldbrk))
			return -ENOMEM;
		/* Every VMA there goes, heap or not; a failed munmap fails the brk. */
		if (do_munmap(mm, newbrk, oldbrk - newbrk))
			return -ENOMEM;
		mm->brk = brk;
		return 0;
	}

	/* check_brk_limits(): get_unmapped_area(MAP_FIXED) (the mlock limit is off). */
	if (newbrk > TASK_SIZE)
		return -ENOMEM;

	/*
	 * At least one free page must follow the new break (stack guard gaps
	 * are not modelled): the first VMA ending above oldbrk must start at or
	 * above newbrk + PAGE_SIZE.
	 */
	next = find_vma(mm, oldbrk);
	if (next && next->vm_start < newbrk + PAGE_SIZE)
		return -ENOMEM;

	/* vma_prev_limit(): the VMA below oldbrk, if it starts in the heap. */
	find_vma_prev(mm, oldbrk, &brkvma);
	if (brkvma && brkvma->vm_start < mm->start_brk)
		brkvma = NULL;

	if (do_brk_flags(mm, brkvma, oldbrk, newbrk - oldbrk, 0) < 0)
		return -ENOMEM;
	mm->brk = brk;

	/* mlockall(MCL_FUTURE): populate the new part, ignoring errors (ONFAULT skips it). */
	if (mm->def_flags & VM_LOCKED)
		populate_range(mm, oldbrk, newbrk, true);
	return 0;
}
