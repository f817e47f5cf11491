// SPDX-License-Identifier: GPL-2.0
/*
 * VMA structs: allocation (with `fail alloc` injection), the field-by-field
 * copy that split and copy_vma make, and release.
 */
#include <stdlib.h>
#include <string.h>

#include "model.h"

struct vm_area_struct *vm_area_alloc(struct mm_struct *mm)
{
	struct vm_area_struct *vma;

	if (model_should_fail(mm->model, VMAFUZZ_FAIL_ALLOC))
		return NULL;
	vma = calloc(1, sizeof(*vma));
	if (!vma)
		abort();
	vma->vm_mm = mm;
	vma->serial = ++mm->model->serial;
	return vma;
}

/*
 * vm_area_dup() followed by what __split_vma() and copy_vma() do to the copy:
 * policy duplicated, anon_vma chain cloned, file reference taken, name shared
 * by reference. The open hook is the caller's business.
 */
struct vm_area_struct *vm_area_dup(struct vm_area_struct *orig)
{
	struct vm_area_struct *new = vm_area_alloc(orig->vm_mm);

	if (!new)
		return NULL;
	new->vm_start = orig->vm_start;
	new->vm_end = orig->vm_end;
	new->vm_pgoff = orig->vm_pgoff;
	new->vm_flags = orig->vm_flags;
	new->vm_ops = orig->vm_ops;
	new->vm_userfaultfd_ctx = orig->vm_userfaultfd_ctx;
	new->vm_file = orig->vm_file ? get_file(orig->vm_file) : NULL;
	new->vm_policy = mpol_dup(orig->vm_policy);
	new->anon_name = anon_vma_name_get(orig->anon_name);
	if (anon_vma_clone(new, orig)) {
		vm_area_free_full(new, false);
		return NULL;
	}
	return new;
}

void vm_area_free(struct vm_area_struct *vma)
{
	free(vma->avc);
	free(vma);
}

void vm_area_free_full(struct vm_area_struct *vma, bool call_close)
{
	if (call_close && vma->vm_ops && vma->vm_ops->close)
		vma->vm_ops->close(vma);
	unlink_anon_vmas(vma);
	if (vma->vm_file)
		fput(vma->vm_file);
	mpol_put(vma->vm_policy);
	anon_vma_name_put(vma->anon_name);
	vm_area_free(vma);
}
