// SPDX-License-Identifier: GPL-2.0
/*
 * The helpers of the v6.7 refactor (series "Abstract vma_merge() and
 * split_vma()", SEMANTICS.md §6.2-6.5): vma_modify() and its four wrappers,
 * vma_merge_new_vma() and vma_merge_extend(). Only the refactored callers
 * (callers.c) use them; the legacy callers open-code the same steps.
 */
#include "model.h"

/*
 * Try to merge [start, end) of vma with the new attributes; otherwise split
 * it so that the original struct covers exactly [start, end). Returns the
 * merged VMA, vma, or ERR_PTR of a split error (the first split stays).
 */
struct vm_area_struct *vma_modify(struct vm_area_struct *prev, struct vm_area_struct *vma,
				  unsigned long start, unsigned long end,
				  unsigned long long vm_flags, struct mempolicy *policy,
				  struct userfaultfd_ctx *uffd_ctx,
				  struct anon_vma_name *anon_name)
{
	unsigned long pgoff = vma->vm_pgoff + ((start - vma->vm_start) >> PAGE_SHIFT);
	struct vm_area_struct *merged;
	int err;

	merged = vma_merge(vma->vm_mm, prev, start, end, vm_flags, vma->anon_vma, vma->vm_file,
			   pgoff, policy, uffd_ctx, anon_name);
	if (merged)
		return merged;

	if (vma->vm_start < start) {
		err = split_vma(vma, start, 1);
		if (err)
			return ERR_PTR(err);
	}
	if (vma->vm_end > end) {
		err = split_vma(vma, end, 0);
		if (err)
			return ERR_PTR(err);
	}
	return vma;
}

struct vm_area_struct *vma_modify_flags(struct vm_area_struct *prev, struct vm_area_struct *vma,
					unsigned long start, unsigned long end,
					unsigned long long new_flags)
{
	return vma_modify(prev, vma, start, end, new_flags, vma->vm_policy,
			  vma->vm_userfaultfd_ctx, vma->anon_name);
}

struct vm_area_struct *vma_modify_flags_name(struct vm_area_struct *prev,
					     struct vm_area_struct *vma, unsigned long start,
					     unsigned long end, unsigned long long new_flags,
					     struct anon_vma_name *new_name)
{
	return vma_modify(prev, vma, start, end, new_flags, vma->vm_policy,
			  vma->vm_userfaultfd_ctx, new_name);
}

struct vm_area_struct *vma_modify_policy(struct vm_area_struct *prev, struct vm_area_struct *vma,
					 unsigned long start, unsigned long end,
					 struct mempolicy *new_pol)
{
	return vma_modify(prev, vma, start, end, vma->vm_flags, new_pol,
			  vma->vm_userfaultfd_ctx, vma->anon_name);
}

struct vm_area_struct *vma_modify_flags_uffd(struct vm_area_struct *prev,
					     struct vm_area_struct *vma, unsigned long start,
					     unsigned long end, unsigned long long new_flags,
					     struct userfaultfd_ctx *new_ctx)
{
	return vma_modify(prev, vma, start, end, new_flags, vma->vm_policy, new_ctx,
			  vma->anon_name);
}

/* [start, end) must overlap no existing VMA: cases 1, 2 and 3 only. */
struct vm_area_struct *vma_merge_new_vma(struct vm_area_struct *prev, struct vm_area_struct *vma,
					 unsigned long start, unsigned long end,
					 unsigned long pgoff)
{
	return vma_merge(vma->vm_mm, prev, start, end, vma->vm_flags, vma->anon_vma,
			 vma->vm_file, pgoff, vma->vm_policy, vma->vm_userfaultfd_ctx,
			 vma->anon_name);
}

/* Grow vma by delta bytes into the gap above it: case 2, or case 1. */
struct vm_area_struct *vma_merge_extend(struct vm_area_struct *vma, unsigned long delta)
{
	return vma_merge(vma->vm_mm, vma, vma->vm_end, vma->vm_end + delta, vma->vm_flags,
			 vma->anon_vma, vma->vm_file, vma->vm_pgoff + vma_pages(vma),
			 vma->vm_policy, vma->vm_userfaultfd_ctx, vma->anon_name);
}
