// SPDX-License-Identifier: GPL-2.0
/*
 * vma_merge() of Linux v6.6 with its eight cases, the mergeability
 * predicates, and vma_expand() (SEMANTICS.md §2, §3, §4.2). Shared by both
 * paths: a bug here shows in no difference between them, which is why the
 * oracle also has checks that do not trust this file.
 *
 * The model applies the v6.8 / stable fix fc0c8f9089c2 ("mm, mmap: fix
 * vma_merge() case 7 with vma_ops->close"): case 7 is refused when curr has
 * a close hook. Everything else is v6.6.9.
 */
#include "model.h"

bool is_mergeable_vma(const struct vm_area_struct *vma, const struct file *file,
		      unsigned long long vm_flags, const struct userfaultfd_ctx *uffd,
		      const struct anon_vma_name *anon_name, bool may_remove_vma)
{
	/* VM_SOFTDIRTY is 0 here; the mask keeps the rule visible. */
	if ((vma->vm_flags ^ vm_flags) & ~VM_SOFTDIRTY)
		return false;
	if (vma->vm_file != file)
		return false;
	if (may_remove_vma && vma_has_close(vma))
		return false;
	if (vma->vm_userfaultfd_ctx != uffd)
		return false;
	return anon_vma_name_eq(vma->anon_name, anon_name);
}

/* vma is next, the candidate that may be removed: it must have no close hook. */
bool can_vma_merge_before(const struct vm_area_struct *vma, unsigned long long vm_flags,
			  const struct anon_vma *anon_vma, const struct file *file,
			  unsigned long vm_pgoff, const struct userfaultfd_ctx *uffd,
			  const struct anon_vma_name *anon_name)
{
	return is_mergeable_vma(vma, file, vm_flags, uffd, anon_name, true) &&
	       is_mergeable_anon_vma(anon_vma, vma->anon_vma, vma) && vma->vm_pgoff == vm_pgoff;
}

/* vma is prev, which is never removed: no close check. */
bool can_vma_merge_after(const struct vm_area_struct *vma, unsigned long long vm_flags,
			 const struct anon_vma *anon_vma, const struct file *file,
			 unsigned long vm_pgoff, const struct userfaultfd_ctx *uffd,
			 const struct anon_vma_name *anon_name)
{
	return is_mergeable_vma(vma, file, vm_flags, uffd, anon_name, false) &&
	       is_mergeable_anon_vma(anon_vma, vma->anon_vma, vma) &&
	       vma->vm_pgoff + vma_pages(vma) == vm_pgoff;
}

/*
 * dup_anon_vma(): the survivor dst takes src's anon_vma and chain when it has
 * none. *dup remembers whom we cloned into, to undo it if the merge fails.
 */
static int dup_anon_vma(struct vm_area_struct *dst, struct vm_area_struct *src,
			struct vm_area_struct **dup)
{
	if (src->anon_vma && !dst->anon_vma) {
		*dup = dst;
		return anon_vma_clone(dst, src);
	}
	return 0;
}

/* A VMA swallowed by a merge: no close hook (that is why the rules exist). */
static void merge_remove_vma(struct vm_area_struct *vma)
{
	vma_unlink(vma->vm_mm, vma);
	if (vmafuzz_canary(VMAFUZZ_CANARY_MERGE_LEAK_FILE) && vma->vm_file) {
		vma->vm_file = NULL;	/* planted: the file reference is leaked */
	}
	vm_area_free_full(vma, false);
}

/*
 * Merge [addr, end), whose page offset at addr is pgoff and whose attributes
 * are the rest of the arguments, with its neighbours. Returns the VMA that
 * now covers the range, or NULL with nothing changed.
 *
 * prev is the VMA before addr, or the VMA containing addr (case 4), or NULL
 * only when nothing lies below addr. curr, if any, starts at addr.
 *
 *      case 1   PPPP[====]NNNN   ->  PPPPPPPPPPPPPP   P grows, N removed
 *      case 2   PPPP[====]....   ->  PPPPPPPP....     P grows
 *      case 3   ....[====]NNNN   ->  ....NNNNNNNN     N grows down
 *      case 4   PPPPPP[==]NNNN   ->  PPPPPPNNNNNN     P shrinks, N grows down
 *      case 5   PPPP[==]CCCCCC   ->  PPPPPPPPCCCC     P grows, C shrinks
 *      case 6   PPPP[CCCC]NNNN   ->  PPPPPPPPPPPPPP   C and N removed
 *      case 7   PPPP[CCCC]....   ->  PPPPPPPP....     C removed
 *      case 8   ....[CCCC]NNNN   ->  ....NNNNNNNN     C removed, N grows down
 */
static struct vm_area_struct *__vma_merge(struct mm_struct *mm, struct vm_area_struct *prev,
					  unsigned long addr, unsigned long end,
					  unsigned long long vm_flags, struct anon_vma *anon_vma,
					  struct file *file, unsigned long pgoff,
					  struct mempolicy *policy, struct userfaultfd_ctx *uffd,
					  struct anon_vma_name *anon_name, int *taken)
{
	struct model *m = mm->model;
	unsigned long pglen = (end - addr) >> PAGE_SHIFT;
	struct vm_area_struct *curr, *next, *res, *target;
	struct vm_area_struct *remove = NULL, *remove2 = NULL, *adjust = NULL, *anon_dup = NULL;
	unsigned long vma_start = addr, vma_end = end, vma_pgoff = pgoff;
	bool merge_prev = false, merge_next = false;
	int err = 0, mcase;

	*taken = 0;
	/* Step 1: no merge for special mappings. */
	if (vm_flags & VM_SPECIAL)
		return NULL;

	/* Steps 3-4: find curr and next. */
	curr = find_vma_intersection(mm, prev ? prev->vm_end : 0, end);
	if (!curr || end == curr->vm_end)
		next = vma_lookup(mm, end);
	else
		next = NULL;		/* case 5 */

	/* The caller's contract (VM_WARN_ONs in the kernel). */
	if (addr >= end || (prev && addr <= prev->vm_start) ||
	    (curr && (addr != curr->vm_start || end > curr->vm_end))) {
		model_warn(m, "vma_merge: bad range %#lx-%#lx (prev %#lx-%#lx, curr %#lx-%#lx)",
			   addr, end, prev ? prev->vm_start : 0, prev ? prev->vm_end : 0,
			   curr ? curr->vm_start : 0, curr ? curr->vm_end : 0);
		return NULL;
	}

	/* Step 5: by default prev is extended. */
	res = target = prev;
	if (prev) {
		vma_start = prev->vm_start;
		vma_pgoff = prev->vm_pgoff;
	}

	/* Steps 6-7. */
	if (prev && addr == prev->vm_end && mpol_equal(prev->vm_policy, policy) &&
	    can_vma_merge_after(prev, vm_flags, anon_vma, file, pgoff, uffd, anon_name))
		merge_prev = true;
	if (next && mpol_equal(policy, next->vm_policy) &&
	    can_vma_merge_before(next, vm_flags, anon_vma, file, pgoff + pglen, uffd, anon_name))
		merge_next = true;
	/* Planted: a closing next that survives (cases 3, 4) may merge, as in 6.12. */
	if (vmafuzz_canary(VMAFUZZ_CANARY_MERGE_CLOSE_NEXT_SURVIVES) && next && !merge_prev &&
	    !curr && vma_has_close(next) && mpol_equal(policy, next->vm_policy) &&
	    is_mergeable_vma(next, file, vm_flags, uffd, anon_name, false) &&
	    is_mergeable_anon_vma(anon_vma, next->anon_vma, next) &&
	    next->vm_pgoff == pgoff + pglen)
		merge_next = true;

	/* Step 8. */
	if (!merge_prev && !merge_next) {
		m->stats.merge_case[0]++;
		return NULL;
	}

	/* Step 9: choose the case. */
	if (merge_prev && merge_next && is_mergeable_anon_vma(prev->anon_vma, next->anon_vma, NULL)) {
		/* cases 1 and 6: prev swallows next (and curr) */
		vma_end = next->vm_end;
		if (!vmafuzz_canary(VMAFUZZ_CANARY_MERGE_NO_DUP_ANON_VMA))
			err = dup_anon_vma(prev, next, &anon_dup);
		if (curr) {
			mcase = 6;
			remove = curr;
			remove2 = next;
			if (!err && !next->anon_vma)
				err = dup_anon_vma(prev, curr, &anon_dup);
		} else {
			mcase = 1;
			remove = next;
		}
	} else if (merge_prev) {
		/* cases 2, 5 and 7: the fallback prefers prev */
		mcase = 2;
		if (curr) {
			if (end == curr->vm_end) {
				/*
				 * Case 7 would delete curr without calling its
				 * close hook: refused (fc0c8f9089c2). Nothing has
				 * changed yet, no dup and no preallocation.
				 *
				 * Canary merge-case7-close undoes that fix: v6.6.9
				 * lets case 7 free a curr with a close hook, so an
				 * shm attach keeps the count of a VMA that is gone.
				 */
				if (vma_has_close(curr) &&
				    !vmafuzz_canary(VMAFUZZ_CANARY_MERGE_CASE7_CLOSE)) {
					m->stats.merge_case[0]++;
					return NULL;
				}
				mcase = 7;
				remove = curr;
			} else {
				mcase = 5;
				adjust = curr;
			}
			err = dup_anon_vma(prev, curr, &anon_dup);
		}
	} else {
		/* cases 3, 4 and 8: next survives */
		res = target = next;
		if (prev && addr < prev->vm_end) {
			/* case 4: the range is the tail of prev */
			mcase = 4;
			adjust = prev;
			vma_start = addr;
			vma_end = next->vm_end;
			vma_pgoff = next->vm_pgoff - ((prev->vm_end - addr) >> PAGE_SHIFT);
			err = dup_anon_vma(next, prev, &anon_dup);
		} else {
			mcase = 3;
			vma_start = addr;
			vma_end = next->vm_end;
			vma_pgoff = next->vm_pgoff - pglen;
			if (vmafuzz_canary(VMAFUZZ_CANARY_MERGE_CASE3_PGOFF))
				vma_pgoff = next->vm_pgoff;	/* planted: pgoff not moved down */
			if (curr) {
				mcase = 8;
				vma_pgoff = curr->vm_pgoff;
				remove = curr;
				err = dup_anon_vma(next, curr, &anon_dup);
			}
		}
	}

	*taken = mcase;

	/* Step 10: a failed clone cleaned up after itself. */
	if (err) {
		m->stats.merge_case[0]++;
		return NULL;
	}

	/* Step 11: the tree preallocation (`fail merge`). */
	if (model_should_fail(m, VMAFUZZ_FAIL_MERGE)) {
		if (anon_dup)
			unlink_anon_vmas(anon_dup);
		m->stats.merge_case[0]++;
		return NULL;
	}

	/* Step 12: commit. */
	if (adjust && mcase == 5)
		vma_set_range(adjust, end, adjust->vm_end, adjust->vm_pgoff + pglen);
	else if (adjust)	/* case 4 */
		vma_set_range(adjust, adjust->vm_start, addr, adjust->vm_pgoff);
	vma_set_range(target, vma_start, vma_end, vma_pgoff);
	if (remove)
		merge_remove_vma(remove);
	if (remove2)
		merge_remove_vma(remove2);
	m->stats.merge_case[mcase]++;
	return res;
}

struct vm_area_struct *vma_merge(struct mm_struct *mm, struct vm_area_struct *prev,
				 unsigned long addr, unsigned long end,
				 unsigned long long vm_flags, struct anon_vma *anon_vma,
				 struct file *file, unsigned long pgoff, struct mempolicy *policy,
				 struct userfaultfd_ctx *uffd, struct anon_vma_name *anon_name)
{
	struct model *m = mm->model;
	int predicted = -1, taken;
	struct vm_area_struct *res;

	/*
	 * Oracle check 6: ask the independent case table first, then compare
	 * with the case the core chose (an injected preallocation failure
	 * still counts as the case chosen: it is the decision that is checked).
	 */
	if (m->decision_on)
		predicted = merge_decision_predict(mm, prev, addr, end, vm_flags, anon_vma, file,
						   pgoff, policy, uffd, anon_name);
	res = __vma_merge(mm, prev, addr, end, vm_flags, anon_vma, file, pgoff, policy, uffd,
			  anon_name, &taken);
	merge_decision_record(m, predicted, taken, addr, end);
	return res;
}

/*
 * vma_expand(): grow vma to [start, end) with pgoff, swallowing next when the
 * new end is next's end. The caller (mmap_region) has checked compatibility.
 */
int vma_expand(struct vm_area_struct *vma, unsigned long start, unsigned long end,
	       unsigned long pgoff, struct vm_area_struct *next)
{
	struct vm_area_struct *anon_dup = NULL;
	bool remove_next = false;

	if (next && next != vma && end == next->vm_end) {
		remove_next = true;
		if (dup_anon_vma(vma, next, &anon_dup))
			return -ENOMEM;
	}
	if (vma->vm_start < start || vma->vm_end > end ||
	    (next && !remove_next && next != vma && end > next->vm_start)) {
		model_warn(vma->vm_mm->model, "vma_expand: bad range %#lx-%#lx for %#lx-%#lx",
			   start, end, vma->vm_start, vma->vm_end);
		if (anon_dup)
			unlink_anon_vmas(anon_dup);
		return -ENOMEM;
	}
	if (model_should_fail(vma->vm_mm->model, VMAFUZZ_FAIL_MERGE)) {
		if (anon_dup)
			unlink_anon_vmas(anon_dup);
		return -ENOMEM;
	}
	vma_set_range(vma, start, end, pgoff);
	if (remove_next)
		merge_remove_vma(next);
	return 0;
}
