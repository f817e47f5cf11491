// SPDX-License-Identifier: GPL-2.0
/*
 * mmap(MAP_FIXED) as Linux v6.6 does it: do_mmap()'s checks in the kernel's
 * order, then mmap_region() (SEMANTICS.md §1.5, §5.9, §7.1) for the mapping
 * kinds of SCRIPT-FORMAT.md. mmap_region()'s first expansion (prefer next,
 * then prev; neighbours without policy, name or userfaultfd context) was not
 * touched by the v6.7 refactor, so both paths share it; only the merge after
 * the driver's mmap hook goes through the path's callers.
 */
#include "model.h"

/* VM_* bits that mmap takes from PROT_* (the values coincide, as on x86). */
static unsigned long long calc_vm_prot_bits(unsigned int prot)
{
	unsigned long long flags = 0;

	if (prot & VMAFUZZ_PROT_READ)
		flags |= VM_READ;
	if (prot & VMAFUZZ_PROT_WRITE)
		flags |= VM_WRITE;
	if (prot & VMAFUZZ_PROT_EXEC)
		flags |= VM_EXEC;
	return flags;
}

static bool kind_is_shared(enum vmafuzz_kind kind)
{
	return kind != VMAFUZZ_KIND_ANON && kind != VMAFUZZ_KIND_FILE;
}

/* The kinds that come with a struct file when do_mmap() is entered. */
static bool kind_has_file(enum vmafuzz_kind kind)
{
	return kind != VMAFUZZ_KIND_ANON && kind != VMAFUZZ_KIND_SHARED_ANON;
}

/*
 * accountable_mapping(): private and writable, without MAP_NORESERVE
 * (hugetlbfs, the other exception, is not configured).
 */
static bool accountable_mapping(unsigned long long vm_flags)
{
	return (vm_flags & (VM_NORESERVE | VM_SHARED | VM_WRITE)) == VM_WRITE;
}

/*
 * file_mmap_ok() (v6.6 mm/mmap.c): the offset must leave room for len below
 * the largest file size: MAX_LFS_FILESIZE for regular files (shm segments
 * are shmem inodes, regular too), ULONG_MAX for a character device. Not in
 * SCRIPT-FORMAT.md; the kernel's rule, giving EOVERFLOW for huge PGOFFs.
 */
static bool file_mmap_ok(enum vmafuzz_kind kind, unsigned long pgoff, unsigned long len)
{
	unsigned long maxsize = kind == VMAFUZZ_KIND_DEVICE ? ~0UL : (unsigned long)INT64_MAX;

	if (len > maxsize)
		return false;
	maxsize -= len;
	return pgoff <= maxsize >> PAGE_SHIFT;
}

/* The device driver's mmap hook: a PFN mapping that never grows or dumps. */
#define DEVICE_MMAP_FLAGS (VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP)

/*
 * mmap_region(): replace [addr, addr + len) by a mapping of file (NULL for
 * the anonymous kinds; a shared-anonymous object is created here, after the
 * expansion attempt, as shmem_zero_setup() does). Returns 0 or -errno; once
 * the old mapping is unmapped, a later failure leaves the range empty.
 */
static int mmap_region(struct mm_struct *mm, enum vmafuzz_kind kind, struct file *file,
		       unsigned long addr, unsigned long len, unsigned long long vm_flags,
		       unsigned long pgoff)
{
	struct model *m = mm->model;
	unsigned long end = addr + len, pglen = len >> PAGE_SHIFT;
	unsigned long merge_start = addr, merge_end = end, vm_pgoff = 0;
	struct vm_area_struct *vma = NULL, *prev = NULL, *next;
	long charged = 0;

	/* The MAP_FIXED unmap; its own error is reported as ENOMEM. */
	if (do_munmap(mm, addr, len))
		return -ENOMEM;

	if (accountable_mapping(vm_flags)) {
		charged = pglen;
		vm_account_charge(mm, charged);
		vm_flags |= VM_ACCOUNT;
	}

	/* Nothing is left in [addr, end): next starts at or after end. */
	next = find_vma_prev(mm, addr, &prev);

	if (vm_flags & VM_SPECIAL)
		goto cannot_expand;

	/*
	 *   ....[new]NNNN    next first: new takes next's pgoff run
	 *   PPPP[new]....    then prev, which wins when both fit
	 *   PPPP[new]NNNN    and then swallows next (vma_expand)
	 * Neighbours with a policy are never expanded, and a NULL anon_vma,
	 * userfaultfd context and name are asked for, so a named or registered
	 * neighbour never grows here.
	 */
	if (next && next->vm_start == end && !next->vm_policy &&
	    can_vma_merge_before(next, vm_flags, NULL, file, pgoff + pglen, NULL, NULL)) {
		merge_end = next->vm_end;
		vma = next;
		vm_pgoff = next->vm_pgoff - pglen;
	}
	/*
	 * Canary mmap-expand-prev-next-anon: the maple-tree rewrite of
	 * mmap_region() as it stood in linux-next in 2022 asked prev about a
	 * NULL anon_vma and context even when next had been taken, so
	 * vma_expand() let a faulted prev swallow a next faulted into another
	 * anon_vma (fixed before v6.1 by passing next's, as below).
	 */
	if (prev && prev->vm_end == addr && !prev->vm_policy &&
	    (vmafuzz_canary(VMAFUZZ_CANARY_MMAP_EXPAND_PREV_NEXT_ANON) ?
		     can_vma_merge_after(prev, vm_flags, NULL, file, pgoff, NULL, NULL) :
		     can_vma_merge_after(prev, vm_flags, vma ? vma->anon_vma : NULL, file, pgoff,
					 vma ? vma->vm_userfaultfd_ctx : NULL, NULL))) {
		merge_start = prev->vm_start;
		vma = prev;
		vm_pgoff = prev->vm_pgoff;
	}
	/* A failed expansion (`fail merge`) is not an error: map a new VMA. */
	if (vma && !vma_expand(vma, merge_start, merge_end, vm_pgoff, next))
		goto expanded;

cannot_expand:
	vma = vm_area_alloc(mm);
	if (!vma) {
		if (charged)
			vm_unacct_memory(mm, charged);
		return -ENOMEM;
	}
	vma->vm_start = addr;
	vma->vm_end = end;
	vma->vm_flags = vm_flags;
	vma->vm_pgoff = pgoff;

	switch (kind) {
	case VMAFUZZ_KIND_ANON:
		vma->vm_ops = NULL;
		break;
	case VMAFUZZ_KIND_SHARED_ANON:
		/* shmem_zero_setup(): one new object per mmap, as long as this one. */
		vma->vm_file = file_open(m, FILE_SHMEM, 0, pglen);
		vma->vm_ops = &shmem_vm_ops;
		break;
	case VMAFUZZ_KIND_FILE:
	case VMAFUZZ_KIND_SHARED_FILE:
		vma->vm_file = get_file(file);
		vma->vm_ops = &file_vm_ops;
		break;
	case VMAFUZZ_KIND_SHM:
		/* shm_mmap() opens the attach: its count starts at 1. */
		vma->vm_file = get_file(file);
		vma->vm_ops = &shm_vm_ops;
		if (vma->vm_ops->open)
			vma->vm_ops->open(vma);
		break;
	case VMAFUZZ_KIND_DEVICE:
		vma->vm_file = get_file(file);
		vma->vm_ops = &device_vm_ops;
		vma->vm_flags |= DEVICE_MMAP_FLAGS;
		/*
		 * The hook changed the flags, so v6.6 tries vma_merge() once more
		 * against prev. VM_SPECIAL makes it refuse at once, but the call is
		 * the path's (it differs between legacy and refactored), so it is
		 * made all the same.
		 */
		if (vm_flags != vma->vm_flags && prev) {
			struct vm_area_struct *merge = call_caller(
				m, MMAP_POST_DRIVER_MERGE, mmap_post_driver_merge, prev, vma);

			if (merge) {
				vm_area_free_full(vma, false);
				vma = merge;
				vm_flags = vma->vm_flags;
				goto expanded;
			}
		}
		vm_flags = vma->vm_flags;
		break;
	default:
		break;
	}

	vma_link(mm, vma);

expanded:
	vm_stat_account(mm, vm_flags, pglen);
	if (vm_flags & VM_LOCKED) {
		/* Special mappings are never counted as locked (nor stay VM_LOCKED). */
		if (vm_flags & VM_SPECIAL)
			vma->vm_flags &= ~VM_LOCKED_MASK;
		else
			mm->locked_vm += pglen;
	}
	/* VM_SOFTDIRTY would be set here; soft-dirty is configured off. */
	return 0;
}

int sys_mmap(struct mm_struct *mm, const struct vmafuzz_op *op)
{
	struct model *m = mm->model;
	enum vmafuzz_kind kind = op->kind;
	unsigned long addr = (unsigned long)op->addr << PAGE_SHIFT;
	unsigned long len = (unsigned long)op->len << PAGE_SHIFT;
	unsigned long pglen = op->len;
	unsigned long pgoff = kind_has_file(kind) ? (unsigned long)op->pgoff : 0;
	unsigned long long vm_flags;
	struct file *file = NULL;
	bool fd_ref = false;
	int err;

	if (kind >= VMAFUZZ_KIND_NR)
		return -EINVAL;
	if (!len)
		return -EINVAL;
	/* Offset overflow. */
	if (pgoff + pglen < pgoff)
		return -EOVERFLOW;
	/* Too many mappings: note `>`, so mmap may leave map_count at limit + 1. */
	if (mm->map_count > m->max_map_count)
		return -ENOMEM;
	/* get_unmapped_area(MAP_FIXED): the range must fit in the task. */
	if (len > TASK_SIZE || addr > TASK_SIZE - len)
		return -ENOMEM;
	if ((op->flags & VMAFUZZ_MMAP_NOREPLACE) && find_vma_intersection(mm, addr, addr + len))
		return -EEXIST;

	vm_flags = calc_vm_prot_bits(op->prot) | mm->def_flags | VM_MAYREAD | VM_MAYWRITE |
		   VM_MAYEXEC;
	if (op->flags & VMAFUZZ_MMAP_GROWSDOWN)
		vm_flags |= VM_GROWSDOWN;
	if (op->flags & VMAFUZZ_MMAP_LOCKED)
		vm_flags |= VM_LOCKED;
	/* MAP_STACK changes nothing in v6.6. */

	if (kind_has_file(kind)) {
		if (!file_mmap_ok(kind, pgoff, len))
			return -EOVERFLOW;
		if (vm_flags & VM_GROWSDOWN)
			return -EINVAL;
	} else if (kind == VMAFUZZ_KIND_SHARED_ANON) {
		if (vm_flags & VM_GROWSDOWN)
			return -EINVAL;
		pgoff = 0; /* ignored for shared anonymous memory */
	} else {
		pgoff = addr >> PAGE_SHIFT; /* for the anon_vma: always pgoff-linear */
	}
	if (kind_is_shared(kind))
		vm_flags |= VM_SHARED | VM_MAYSHARE;
	if (op->flags & VMAFUZZ_MMAP_NORESERVE)
		vm_flags |= VM_NORESERVE;

	/*
	 * The file as the caller holds it. A regular file is opened once per
	 * script and stays open; an shm attach or a device open is new for
	 * every mmap, and its opener's reference (the descriptor) is dropped
	 * once mmap is done, so the object lives exactly as long as its VMAs.
	 */
	switch (kind) {
	case VMAFUZZ_KIND_FILE:
	case VMAFUZZ_KIND_SHARED_FILE:
		file = model_regular_file(m, op->file);
		break;
	case VMAFUZZ_KIND_SHM:
		file = file_open(m, FILE_SHM, op->file, SHM_EXTENT_PAGES);
		fd_ref = true;
		break;
	case VMAFUZZ_KIND_DEVICE:
		/*
		 * A device has no extent (SEMANTICS.md §1.5 gives one to regular
		 * files, shm segments and shared-anonymous objects only): its pages
		 * are present from mmap, whatever their offset. Found by the page
		 * model (corpus/regressions/device-no-extent).
		 */
		file = file_open(m, FILE_DEVICE, op->file, ~0ULL);
		fd_ref = true;
		break;
	default:
		break;
	}

	err = mmap_region(mm, kind, file, addr, len, vm_flags, pgoff);
	if (fd_ref)
		fput(file);
	if (err)
		return err;

	/* MAP_LOCKED, MAP_POPULATE or mlockall(MCL_FUTURE): populate, ignoring errors. */
	if ((vm_flags & VM_LOCKED) || (op->flags & VMAFUZZ_MMAP_POPULATE))
		populate_range(mm, addr, addr + len, true);
	return 0;
}
