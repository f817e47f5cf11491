// SPDX-License-Identifier: GPL-2.0
/*
 * The rmap check (DESIGN.md, oracle check 5). A private page that was
 * written remembers the anon_vma it was faulted into; for the kernel's
 * reverse map to find it, that anon_vma must be linked in the chain of the
 * VMA that maps the page now, in every live address space. This sees a lost
 * anon_vma propagation or an illegal merge even when both paths share it.
 */
#include <stdio.h>

#include "model.h"

static bool chain_has(const struct vm_area_struct *vma, unsigned long serial)
{
	unsigned int i;

	for (i = 0; i < vma->avc_count; i++)
		if (vma->avc[i]->serial == serial)
			return true;
	return false;
}

static int check_mm_rmap(struct model *m, struct mm_struct *mm, char *msg, size_t sz)
{
	unsigned int i;

	for (i = 0; i < mm->pages.nr; i++) {
		const struct page_run *r = &mm->pages.runs[i];
		unsigned long page = r->start;

		if (!(r->state & PG_WRITTEN))
			continue;
		while (page < r->end) {
			struct vm_area_struct *vma = vma_lookup(mm, page << PAGE_SHIFT);

			if (!vma) {
				snprintf(msg, sz, "%s: written page %#lx is not mapped",
					 mm == m->mm ? "current mm" : "parent mm", page);
				return -1;
			}
			if (!chain_has(vma, r->av_serial)) {
				snprintf(msg, sz,
					 "%s: page %#lx was written into anon_vma %lu, which the chain "
					 "of VMA %#lx-%#lx (%u entries) does not link",
					 mm == m->mm ? "current mm" : "parent mm", page, r->av_serial,
					 vma->vm_start >> PAGE_SHIFT, vma->vm_end >> PAGE_SHIFT,
					 vma->avc_count);
				return -1;
			}
			page = min(r->end, vma->vm_end >> PAGE_SHIFT);
		}
	}
	return 0;
}

int model_check_rmap(struct model *m, char *msg, size_t sz)
{
	struct mm_struct *mm;

	for (mm = m->mms; mm; mm = mm->next_mm)
		if (check_mm_rmap(m, mm, msg, sz))
			return -1;
	return 0;
}
