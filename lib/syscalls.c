// SPDX-License-Identifier: GPL-2.0
/*
 * The system calls that modify existing VMAs, as Linux v6.6 walks them:
 * mprotect, madvise, PR_SET_VMA_ANON_NAME, mlock/munlock, mlockall/
 * munlockall, mbind, set_mempolicy_home_node and the userfaultfd register,
 * unregister and release. Range walking, holes, error codes and partial
 * effects are here (SEMANTICS.md §5, §7); the merge-or-split of each VMA is
 * the path's caller function (mm->model->callers).
 *
 * The kernel walks with a maple-tree iterator; after a caller has run, the
 * iterator sits on the VMA the caller reported as *prev, so the walk goes on
 * with the first VMA at or after that VMA's end.
 */
#include <stdlib.h>
#include <string.h>

#include "model.h"

/* ---------------------------------------------------------------- mprotect */

int sys_mprotect(struct mm_struct *mm, unsigned long start, unsigned long len,
		 unsigned long long prot)
{
	struct vm_area_struct *vma, *prev;
	unsigned long end, nstart, tmp;
	int error = 0;

	if (start & ~PAGE_MASK)
		return -EINVAL;
	if (!len)
		return 0;
	len = PAGE_ALIGN(len);
	end = start + len;
	if (end <= start)
		return -ENOMEM;

	vma = find_vma_intersection(mm, start, end);
	if (!vma)
		return -ENOMEM;
	if (vma->vm_start > start)
		return -ENOMEM; /* the range starts in a hole: nothing done */
	prev = vma_prev(vma);
	if (start > vma->vm_start)
		prev = vma;

	nstart = start;
	tmp = vma->vm_start;
	for (; vma && vma->vm_start < end; vma = find_vma_intersection(mm, tmp, end)) {
		unsigned long long newflags;

		if (vma->vm_start != tmp) {
			error = -ENOMEM; /* a hole: earlier VMAs stay changed */
			break;
		}
		newflags = prot | (vma->vm_flags & ~(VM_ACCESS_FLAGS | VM_FLAGS_CLEAR));
		/* Each requested R/W/X bit needs its VM_MAY* bit. */
		if ((newflags & ~(newflags >> 4)) & VM_ACCESS_FLAGS) {
			error = -EACCES;
			break;
		}
		tmp = min(vma->vm_end, end);
		error = call_caller(mm->model, MPROTECT_FIXUP, mprotect_fixup, vma, &prev, nstart,
				    tmp, newflags);
		if (error)
			break;
		tmp = nstart = prev->vm_end;
	}
	if (!error && tmp < end)
		error = -ENOMEM; /* a trailing hole */
	return error;
}

/* ------------------------------------------------------------------ madvise */

typedef int (*madvise_visit_t)(struct vm_area_struct *vma, struct vm_area_struct **prev,
			       unsigned long start, unsigned long end, const void *arg);

/*
 * madvise_walk_vmas(): holes are skipped and reported as -ENOMEM at the end;
 * an error from a VMA stops the walk at once (D8). After a merge into next
 * the walk resumes past the survivor (D9).
 */
static int madvise_walk_vmas(struct mm_struct *mm, unsigned long start, unsigned long end,
			     const void *arg, madvise_visit_t visit)
{
	struct vm_area_struct *vma, *prev;
	int unmapped_error = 0;
	unsigned long tmp;
	int error;

	vma = find_vma_prev(mm, start, &prev);
	if (vma && start > vma->vm_start)
		prev = vma;

	for (;;) {
		if (!vma)
			return -ENOMEM;
		if (start < vma->vm_start) {
			unmapped_error = -ENOMEM;
			start = vma->vm_start;
			if (start >= end)
				break;
		}
		tmp = min(vma->vm_end, end);
		error = visit(vma, &prev, start, tmp, arg);
		if (error)
			return error;
		start = tmp;
		if (prev && start < prev->vm_end)
			start = prev->vm_end;
		if (start >= end)
			break;
		vma = find_vma(mm, prev ? prev->vm_end : start);
	}
	return unmapped_error;
}

static int madvise_vma_behavior(struct vm_area_struct *vma, struct vm_area_struct **prev,
				unsigned long start, unsigned long end, const void *arg)
{
	enum vmafuzz_advice behavior = *(const enum vmafuzz_advice *)arg;
	unsigned long long new_flags = vma->vm_flags;
	bool hold = !vmafuzz_canary(VMAFUZZ_CANARY_MADVISE_NAME_UAF);
	struct anon_vma_name *anon_name;
	int error;

	switch (behavior) {
	case VMAFUZZ_ADV_NORMAL:
		new_flags &= ~(VM_RAND_READ | VM_SEQ_READ);
		break;
	case VMAFUZZ_ADV_SEQUENTIAL:
		new_flags = (new_flags & ~VM_RAND_READ) | VM_SEQ_READ;
		break;
	case VMAFUZZ_ADV_RANDOM:
		new_flags = (new_flags & ~VM_SEQ_READ) | VM_RAND_READ;
		break;
	case VMAFUZZ_ADV_DONTFORK:
		new_flags |= VM_DONTCOPY;
		break;
	case VMAFUZZ_ADV_DOFORK:
		if (vma->vm_flags & VM_IO)
			return -EINVAL;
		new_flags &= ~VM_DONTCOPY;
		break;
	case VMAFUZZ_ADV_WIPEONFORK:
		if (vma->vm_file || (vma->vm_flags & VM_SHARED))
			return -EINVAL;
		new_flags |= VM_WIPEONFORK;
		break;
	case VMAFUZZ_ADV_KEEPONFORK:
		new_flags &= ~VM_WIPEONFORK;
		break;
	case VMAFUZZ_ADV_DONTDUMP:
		new_flags |= VM_DONTDUMP;
		break;
	case VMAFUZZ_ADV_DODUMP:
		if (!(vma->vm_flags & VM_HUGETLB) && (new_flags & VM_SPECIAL))
			return -EINVAL;
		new_flags &= ~VM_DONTDUMP;
		break;
	case VMAFUZZ_ADV_MERGEABLE:
		/* ksm_madvise(): already mergeable or KSM-incompatible: unchanged. */
		if (!(new_flags & (VM_MERGEABLE | VM_SHARED | VM_MAYSHARE | VM_PFNMAP | VM_IO |
				   VM_DONTEXPAND | VM_HUGETLB | VM_MIXEDMAP)))
			new_flags |= VM_MERGEABLE;
		break;
	case VMAFUZZ_ADV_UNMERGEABLE:
		new_flags &= ~VM_MERGEABLE;
		break;
	case VMAFUZZ_ADV_HUGEPAGE:
		new_flags = (new_flags & ~VM_NOHUGEPAGE) | VM_HUGEPAGE;
		break;
	case VMAFUZZ_ADV_NOHUGEPAGE:
		new_flags = (new_flags & ~VM_HUGEPAGE) | VM_NOHUGEPAGE;
		break;
	default:
		return -EINVAL;
	}

	/*
	 * Hold the VMA's name across the update: a merge may free the VMA that
	 * owned the last reference (the 2022 use-after-free). Canary
	 * madvise-name-uaf: no reference, as before 942341dcc574 ("mm: fix
	 * use-after-free when anon vma name is used after vma is freed").
	 */
	anon_name = hold ? anon_vma_name_get(vma->anon_name) : vma->anon_name;
	error = call_caller(vma->vm_mm->model, MADVISE_UPDATE_VMA, madvise_update_vma, vma, prev,
			    start, end, new_flags, anon_name);
	if (hold)
		anon_vma_name_put(anon_name);
	if (error == -ENOMEM)
		error = -EAGAIN; /* D7 */
	return error;
}

int sys_madvise(struct mm_struct *mm, unsigned long start, unsigned long len_in,
		enum vmafuzz_advice advice)
{
	unsigned long len, end;

	if (advice >= VMAFUZZ_ADV_NR)
		return -EINVAL;
	if (start & ~PAGE_MASK)
		return -EINVAL;
	len = PAGE_ALIGN(len_in);
	if (len_in && !len)
		return -EINVAL;
	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	return madvise_walk_vmas(mm, start, end, &advice, madvise_vma_behavior);
}

/* -------------------------------------------------- PR_SET_VMA_ANON_NAME */

static int madvise_vma_anon_name(struct vm_area_struct *vma, struct vm_area_struct **prev,
				 unsigned long start, unsigned long end, const void *arg)
{
	struct anon_vma_name *anon_name = (struct anon_vma_name *)arg;
	int error;

	/* Only anonymous and anon-shmem VMAs can be named. */
	if (vma->vm_file && !vma_is_shmem(vma))
		return -EBADF;
	error = call_caller(vma->vm_mm->model, MADVISE_UPDATE_VMA, madvise_update_vma, vma, prev,
			    start, end, vma->vm_flags, anon_name);
	if (error == -ENOMEM)
		error = -EAGAIN; /* D7 */
	return error;
}

int sys_set_anon_name(struct mm_struct *mm, unsigned long start, unsigned long len_in,
		      const char *name)
{
	struct anon_vma_name *anon_name = NULL;
	unsigned long len, end;
	int error;

	if (start & ~PAGE_MASK)
		return -EINVAL;
	len = PAGE_ALIGN(len_in);
	if (len_in && !len)
		return -EINVAL;
	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	if (name && name[0])
		anon_name = anon_vma_name_alloc(name);
	error = madvise_walk_vmas(mm, start, end, anon_name, madvise_vma_anon_name);
	anon_vma_name_put(anon_name);
	return error;
}

/* -------------------------------------------------------------------- mlock */

/* apply_vma_lock_flags(): a hole stops the walk with -ENOMEM (D8). */
static int apply_vma_lock_flags(struct mm_struct *mm, unsigned long start, unsigned long len,
				unsigned long long flags)
{
	struct vm_area_struct *vma, *prev;
	unsigned long nstart, end, tmp;
	int error;

	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	vma = vma_lookup(mm, start);
	if (!vma)
		return -ENOMEM;
	prev = vma_prev(vma);
	if (start > vma->vm_start)
		prev = vma;

	nstart = start;
	tmp = vma->vm_start;
	for (; vma && vma->vm_start < end; vma = find_vma_intersection(mm, tmp, end)) {
		unsigned long long newflags;

		if (vma->vm_start != tmp)
			return -ENOMEM;
		newflags = (vma->vm_flags & ~VM_LOCKED_MASK) | flags;
		tmp = min(vma->vm_end, end);
		error = call_caller(mm->model, MLOCK_FIXUP, mlock_fixup, vma, &prev, nstart, tmp,
				    newflags);
		if (error)
			return error;
		tmp = nstart = prev->vm_end;
	}
	if (tmp < end)
		return -ENOMEM;
	return 0;
}

static int do_mlock(struct mm_struct *mm, unsigned long start, unsigned long len,
		    unsigned long long flags)
{
	int error;

	/* mlock is forgiving: the start is rounded down, the length up. */
	len = PAGE_ALIGN(len + (start & ~PAGE_MASK));
	start &= PAGE_MASK;
	error = apply_vma_lock_flags(mm, start, len, flags);
	if (error)
		return error;
	error = populate_range(mm, start, start + len, false);
	if (error == -EFAULT)
		return -ENOMEM;
	if (error == -ENOMEM)
		return -EAGAIN;
	return error;
}

int sys_mlock(struct mm_struct *mm, unsigned long start, unsigned long len, bool onfault)
{
	return do_mlock(mm, start, len, VM_LOCKED | (onfault ? VM_LOCKONFAULT : 0));
}

int sys_munlock(struct mm_struct *mm, unsigned long start, unsigned long len)
{
	len = PAGE_ALIGN(len + (start & ~PAGE_MASK));
	start &= PAGE_MASK;
	return apply_vma_lock_flags(mm, start, len, 0);
}

/* apply_mlockall_flags(): whole VMAs, so never a split; errors are ignored. */
static void apply_mlockall_flags(struct mm_struct *mm, unsigned int flags)
{
	struct vm_area_struct *vma, *prev = NULL;
	unsigned long long to_add = 0;

	mm->def_flags &= ~VM_LOCKED_MASK;
	if (flags & VMAFUZZ_MCL_FUTURE) {
		mm->def_flags |= VM_LOCKED;
		if (flags & VMAFUZZ_MCL_ONFAULT)
			mm->def_flags |= VM_LOCKONFAULT;
		if (!(flags & VMAFUZZ_MCL_CURRENT))
			return;
	}
	if (flags & VMAFUZZ_MCL_CURRENT) {
		to_add |= VM_LOCKED;
		if (flags & VMAFUZZ_MCL_ONFAULT)
			to_add |= VM_LOCKONFAULT;
	}

	for (vma = vma_tree_first(&mm->tree); vma; vma = find_vma(mm, prev->vm_end)) {
		unsigned long long newflags = (vma->vm_flags & ~VM_LOCKED_MASK) | to_add;

		(void)call_caller(mm->model, MLOCK_FIXUP, mlock_fixup, vma, &prev, vma->vm_start,
				  vma->vm_end, newflags);
		if (IS_ERR(prev)) {
			/* U1: reachable only if a whole-VMA fixup could fail. */
			model_warn(mm->model, "mlockall: mlock_fixup left an ERR_PTR prev");
			return;
		}
	}
}

int sys_mlockall(struct mm_struct *mm, unsigned int flags)
{
	if (!flags || (flags & ~(VMAFUZZ_MCL_CURRENT | VMAFUZZ_MCL_FUTURE | VMAFUZZ_MCL_ONFAULT)) ||
	    flags == VMAFUZZ_MCL_ONFAULT)
		return -EINVAL;
	apply_mlockall_flags(mm, flags);
	if (flags & VMAFUZZ_MCL_CURRENT)
		(void)populate_range(mm, 0, TASK_SIZE, true);
	return 0;
}

int sys_munlockall(struct mm_struct *mm)
{
	apply_mlockall_flags(mm, 0);
	return 0;
}

/* -------------------------------------------------------------------- mbind */

/*
 * queue_pages_range()'s hole check: without MPOL_MF_DISCONTIG_OK a hole
 * anywhere in the range is -EFAULT; a range that is all hole always is.
 */
static int mbind_check_holes(struct mm_struct *mm, unsigned long start, unsigned long end,
			     bool discontig_ok)
{
	struct vm_area_struct *vma = find_vma_intersection(mm, start, end);
	unsigned long covered = start;

	if (!vma)
		return -EFAULT;
	if (discontig_ok)
		return 0;
	for (; vma && vma->vm_start < end; vma = vma_next(vma)) {
		if (vma->vm_start > covered)
			return -EFAULT;
		covered = vma->vm_end;
	}
	return covered < end ? -EFAULT : 0;
}

/*
 * Where the kernel's iterator goes on after mbind_range(): past the VMA it
 * reported as *prev (the merged one, or vma after its splits). With the
 * mbind-equal-stale-prev canary *prev is stale after an early out, while
 * the kernel's iterator still sat on vma (old end vma_end): go on from the
 * later of the two, which is the same place whenever *prev is right.
 */
static unsigned long mbind_walk_next(const struct vm_area_struct *prev, unsigned long vma_end)
{
	if (vmafuzz_canary(VMAFUZZ_CANARY_MBIND_EQUAL_STALE_PREV))
		return prev ? max(prev->vm_end, vma_end) : vma_end;
	return prev->vm_end;
}

/* The do_mbind() loop: mbind_range() with the global range (D1, D2). */
static int mbind_walk(struct mm_struct *mm, unsigned long start, unsigned long end,
		      struct mempolicy *new)
{
	struct vm_area_struct *vma, *prev;
	unsigned long vma_end;
	int err = 0;

	vma = find_vma_prev(mm, start, &prev);
	for (; vma && vma->vm_start < end;
	     vma = find_vma_intersection(mm, mbind_walk_next(prev, vma_end), end)) {
		vma_end = vma->vm_end;
		err = call_caller(mm->model, MBIND_RANGE, mbind_range, vma, &prev, start, end, new);
		if (err)
			break;
	}
	return err;
}

int sys_mbind(struct mm_struct *mm, unsigned long start, unsigned long len,
	      enum vmafuzz_policy mode)
{
	struct mempolicy *new;
	unsigned long end;
	int err;

	if (start & ~PAGE_MASK)
		return -EINVAL;
	len = PAGE_ALIGN(len);
	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;

	new = mpol_new(mode);
	/* A NULL (default) policy implies MPOL_MF_DISCONTIG_OK. */
	err = mbind_check_holes(mm, start, end, new == NULL);
	if (!err)
		err = mbind_walk(mm, start, end, new);
	mpol_put(new);
	return err;
}

int sys_set_mempolicy_home_node(struct mm_struct *mm, unsigned long start, unsigned long len)
{
	struct vm_area_struct *vma, *prev;
	unsigned long end, vma_end;
	int err = -ENOENT;

	if (start & ~PAGE_MASK)
		return -EINVAL;
	len = PAGE_ALIGN(len);
	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;

	vma = find_vma_prev(mm, start, &prev);
	for (; vma && vma->vm_start < end;
	     vma = find_vma_intersection(mm, mbind_walk_next(prev, vma_end), end)) {
		struct mempolicy *old = vma->vm_policy, *new;

		vma_end = vma->vm_end;
		if (!old) {
			prev = vma;
			continue;
		}
		/* Only MPOL_BIND (and PREFERRED_MANY, which scripts cannot make). */
		if (old->mode != VMAFUZZ_POL_BIND) {
			err = -EOPNOTSUPP;
			break;
		}
		new = mpol_dup(old);
		new->home_node = 0;
		err = call_caller(mm->model, MBIND_RANGE, mbind_range, vma, &prev, start, end, new);
		mpol_put(new);
		if (err)
			break;
	}
	return err;
}

/* -------------------------------------------------------------- userfaultfd */

/* vma_can_userfault(): anonymous, or shmem (WP too, with PTE markers). */
static bool vma_can_userfault(const struct vm_area_struct *vma, unsigned long long vm_flags)
{
	return vma_is_anonymous(vma) || vma_is_shmem(vma);
}

static int uffd_validate_range(unsigned long start, unsigned long len)
{
	if ((start & ~PAGE_MASK) || (len & ~PAGE_MASK) || !len)
		return -EINVAL;
	/* start < mmap_min_addr cannot happen: mmap_min_addr is 0 here. */
	if (start >= TASK_SIZE || len > TASK_SIZE - start)
		return -EINVAL;
	return 0;
}

static void uffd_check_consistent(struct mm_struct *mm, const struct vm_area_struct *vma)
{
	if (!!vma->vm_userfaultfd_ctx != !!(vma->vm_flags & __VM_UFFD_FLAGS))
		model_warn(mm->model, "userfaultfd: VMA %#lx-%#lx ctx and flags disagree",
			   vma->vm_start, vma->vm_end);
}

int sys_uffd_register(struct mm_struct *mm, unsigned long start, unsigned long len,
		      unsigned int ctx_id, unsigned int mode)
{
	struct vm_area_struct *vma, *cur, *prev;
	struct userfaultfd_ctx *ctx;
	unsigned long long vm_flags = 0;
	unsigned long end, vma_end;
	int ret;

	if (!mode || (mode & ~(VMAFUZZ_UFFD_MISSING | VMAFUZZ_UFFD_WP)))
		return -EINVAL;
	if (mode & VMAFUZZ_UFFD_MISSING)
		vm_flags |= VM_UFFD_MISSING;
	if (mode & VMAFUZZ_UFFD_WP)
		vm_flags |= VM_UFFD_WP;
	ret = uffd_validate_range(start, len);
	if (ret)
		return ret;
	end = start + len;
	ctx = uffd_ctx_get(mm, ctx_id);

	vma = find_vma_intersection(mm, start, end);
	if (!vma)
		return -EINVAL;

	/* First pass: compatibility only, nothing changes; holes are fine. */
	for (cur = vma; cur && cur->vm_start < end; cur = vma_next(cur)) {
		uffd_check_consistent(mm, cur);
		if (!vma_can_userfault(cur, vm_flags))
			return -EINVAL;
		if (!(cur->vm_flags & VM_MAYWRITE))
			return -EPERM;
		if (cur->vm_userfaultfd_ctx && cur->vm_userfaultfd_ctx != ctx)
			return -EBUSY;
	}

	/* Second pass. */
	prev = vma_prev(vma);
	/*
	 * Canary: until "mm/uffd: fix vma operation where start addr cuts
	 * part of vma" (Peter Xu, v6.4, for stable) prev stayed the VMA
	 * before vma even when start lies inside vma, so vma_merge() was
	 * asked to merge a range that starts in the middle of curr.
	 */
	if (vma->vm_start < start && !vmafuzz_canary(VMAFUZZ_CANARY_UFFD_START_PREV))
		prev = vma;
	ret = 0;
	for (; vma && vma->vm_start < end; vma = find_vma_intersection(mm, start, end)) {
		unsigned long long new_flags;

		/* D3: already registered here with a superset of the modes. */
		if (vma->vm_userfaultfd_ctx == ctx && (vma->vm_flags & vm_flags) == vm_flags) {
			prev = vma;
			start = vma->vm_end;
			continue;
		}
		if (vma->vm_start > start)
			start = vma->vm_start; /* D8: holes are skipped */
		vma_end = min(end, vma->vm_end);
		new_flags = (vma->vm_flags & ~__VM_UFFD_FLAGS) | vm_flags;
		ret = call_caller(mm->model, UFFD_REGISTER_RANGE, userfaultfd_register_range, vma,
				  &prev, start, vma_end, end, new_flags, ctx);
		if (ret)
			break;
		start = prev->vm_end;
	}
	return ret;
}

int sys_uffd_unregister(struct mm_struct *mm, unsigned long start, unsigned long len,
			unsigned int ctx_id)
{
	struct vm_area_struct *vma, *cur, *prev;
	unsigned long end, vma_end;
	int ret;

	ret = uffd_validate_range(start, len);
	if (ret)
		return ret;
	end = start + len;
	(void)uffd_ctx_get(mm, ctx_id); /* the ioctl is made on CTX's file */

	vma = find_vma_intersection(mm, start, end);
	if (!vma)
		return -EINVAL;

	for (cur = vma; cur && cur->vm_start < end; cur = vma_next(cur)) {
		uffd_check_consistent(mm, cur);
		if (!vma_can_userfault(cur, cur->vm_flags))
			return -EINVAL;
	}

	prev = vma_prev(vma);
	/* Canary: as in sys_uffd_register(). */
	if (vma->vm_start < start && !vmafuzz_canary(VMAFUZZ_CANARY_UFFD_START_PREV))
		prev = vma;
	ret = 0;
	for (; vma && vma->vm_start < end; vma = find_vma_intersection(mm, start, end)) {
		unsigned long long new_flags;

		/* D3: any registration is removed, whichever context made it (v6.6). */
		if (!vma->vm_userfaultfd_ctx) {
			prev = vma;
			start = vma->vm_end;
			continue;
		}
		if (vma->vm_start > start)
			start = vma->vm_start;
		vma_end = min(end, vma->vm_end);
		new_flags = vma->vm_flags & ~__VM_UFFD_FLAGS;
		ret = call_caller(mm->model, UFFD_REGISTER_RANGE, userfaultfd_register_range, vma,
				  &prev, start, vma_end, end, new_flags, NULL);
		if (ret)
			break;
		start = prev->vm_end;
	}
	return ret;
}

int sys_uffd_close(struct mm_struct *mm, unsigned int ctx_id)
{
	struct userfaultfd_ctx *ctx = mm->uffd[ctx_id];
	struct vm_area_struct *vma, *prev = NULL;

	if (!ctx)
		return 0; /* never used: closing it is still fine */

	for (vma = vma_tree_first(&mm->tree); vma; vma = find_vma(mm, prev->vm_end)) {
		uffd_check_consistent(mm, vma);
		if (vma->vm_userfaultfd_ctx != ctx) {
			prev = vma;
			continue;
		}
		(void)call_caller(mm->model, UFFD_RELEASE_VMA, userfaultfd_release_vma, vma, &prev);
	}
	mm->uffd[ctx_id] = NULL;
	mm->model->nr_ctx--;
	memset(ctx, 0, sizeof(*ctx));
	free(ctx);
	return 0;
}
