// SPDX-License-Identifier: GPL-2.0
/*
 * Layout features for a coverage-guided engine: what adjacent VMAs differ
 * in, after each operation.
 *
 * Edge coverage sees which code ran, not which layouts an input reached.
 * Merge bugs live in near misses: two VMAs that touch and differ in one
 * merge attribute, which one operation then makes equal (a name set twice,
 * so two objects with one string, on VMAs kept apart only by a madvise
 * flag, is where the 2022 anonymous-name use-after-free waited). So after
 * each operation every touching pair of VMAs counts one feature, indexed by
 * the set of attributes in which the two differ (vm_flags, file, pgoff
 * continuity, anon_vma, policy, userfaultfd context, name: the same object,
 * two objects with one string, or different), and an input that reaches a
 * new combination is new coverage to the engine.
 *
 * The map is vmafuzz_features: NULL (off, the default) everywhere but in
 * the libFuzzer build of fuzz_diff, which points it at libFuzzer's extra
 * counters; the engine clears them before each input. Nothing reads the map
 * back, so it cannot change what the model does.
 */
#include "model.h"
#include "vmafuzz/coverage.h"

uint8_t *vmafuzz_features;

static unsigned int name_diff(const struct anon_vma_name *a, const struct anon_vma_name *b)
{
	if (a == b)
		return VMAFUZZ_NAME_SAME;
	return anon_vma_name_eq(a, b) ? VMAFUZZ_NAME_EQUAL_STRINGS : VMAFUZZ_NAME_DIFFERENT;
}

void vmafuzz_count_layout_features(const struct mm_struct *mm)
{
	struct vm_area_struct *prev = NULL, *vma;
	uint8_t *f = vmafuzz_features;

	if (__builtin_expect(!f, 1))
		return;
	for (vma = vma_tree_first(&mm->tree); vma; prev = vma, vma = vma_next(vma)) {
		unsigned int d = 0;

		if (!prev || prev->vm_end != vma->vm_start)
			continue;
		if (prev->vm_flags != vma->vm_flags)
			d |= VMAFUZZ_DIFF_FLAGS;
		if (prev->vm_file != vma->vm_file)
			d |= VMAFUZZ_DIFF_FILE;
		if (prev->vm_pgoff + vma_pages(prev) != vma->vm_pgoff)
			d |= VMAFUZZ_DIFF_PGOFF;
		if (prev->anon_vma && vma->anon_vma && prev->anon_vma != vma->anon_vma)
			d |= VMAFUZZ_DIFF_ANON_VMA;
		if (!prev->anon_vma != !vma->anon_vma)
			d |= VMAFUZZ_HALF_ANON_VMA;
		if (!mpol_equal(prev->vm_policy, vma->vm_policy))
			d |= VMAFUZZ_DIFF_POLICY;
		if (prev->vm_userfaultfd_ctx != vma->vm_userfaultfd_ctx)
			d |= VMAFUZZ_DIFF_UFFD;
		d |= name_diff(prev->anon_name, vma->anon_name) << VMAFUZZ_NAME_SHIFT;
		if (f[d] != UINT8_MAX)
			f[d]++;
	}
}
