// SPDX-License-Identifier: GPL-2.0
/*
 * anon_vma and its chain, as far as merging can see them (SEMANTICS.md §1.4,
 * §2.3). A chain is kept as the list of anon_vmas it links: one entry for a
 * VMA faulted in this address space, two or more for one inherited across
 * fork. An anon_vma lives while some chain names it; serial numbers are
 * never reused, so a page can remember the anon_vma it was faulted into.
 */
#include <stdlib.h>

#include "model.h"

static struct anon_vma *anon_vma_alloc(struct model *m)
{
	struct anon_vma *av = calloc(1, sizeof(*av));

	if (!av)
		abort();
	av->serial = ++m->serial;
	av->model = m;
	av->next_av = m->av_head.next_av;
	av->prev_av = &m->av_head;
	m->av_head.next_av->prev_av = av;
	m->av_head.next_av = av;
	return av;
}

static void anon_vma_put(struct anon_vma *av)
{
	if (--av->refcount > 0)
		return;
	av->prev_av->next_av = av->next_av;
	av->next_av->prev_av = av->prev_av;
	free(av);
}

static void avc_add(struct vm_area_struct *vma, struct anon_vma *av)
{
	if (vma->avc_count == vma->avc_cap) {
		vma->avc_cap = vma->avc_cap ? 2 * vma->avc_cap : 2;
		vma->avc = realloc(vma->avc, vma->avc_cap * sizeof(*vma->avc));
		if (!vma->avc)
			abort();
	}
	vma->avc[vma->avc_count++] = av;
	av->refcount++;
}

/* anon_vma_compatible() of v6.6: could a and b (a just below b) share one? */
static bool anon_vma_compatible(const struct vm_area_struct *a, const struct vm_area_struct *b)
{
	return a->vm_end == b->vm_start && mpol_equal(a->vm_policy, b->vm_policy) &&
	       a->vm_file == b->vm_file &&
	       !((a->vm_flags ^ b->vm_flags) & ~(VM_ACCESS_FLAGS | VM_SOFTDIRTY)) &&
	       b->vm_pgoff == a->vm_pgoff + vma_pages(a);
}

/* A neighbour's anon_vma may be reused only if it was not inherited. */
static struct anon_vma *reusable_anon_vma(const struct vm_area_struct *old,
					  const struct vm_area_struct *a,
					  const struct vm_area_struct *b)
{
	/*
	 * Canary anon-vma-reuse-forked drops the singular-chain test, which
	 * d0e9fe1758f2 ("Simplify and comment on anon_vma re-use for
	 * anon_vma_prepare()", v2.6.34) added: then the reusing VMA links only
	 * the anon_vma, not the forked neighbour's whole chain, and two VMAs
	 * with one anon_vma but different chains may merge (§2.3 assumes not).
	 */
	if (anon_vma_compatible(a, b) && old->anon_vma &&
	    (avc_is_singular(old) || vmafuzz_canary(VMAFUZZ_CANARY_ANON_VMA_REUSE_FORKED)))
		return old->anon_vma;
	return NULL;
}

/* find_mergeable_anon_vma(): next first, then prev. */
static struct anon_vma *find_mergeable_anon_vma(struct vm_area_struct *vma)
{
	struct vm_area_struct *next = vma_next(vma), *prev = vma_prev(vma);
	struct anon_vma *av = NULL;

	if (next)
		av = reusable_anon_vma(next, vma, next);
	if (!av && prev)
		av = reusable_anon_vma(prev, prev, vma);
	return av;
}

void anon_vma_prepare(struct vm_area_struct *vma)
{
	struct anon_vma *av;

	if (vma->anon_vma)
		return;
	av = find_mergeable_anon_vma(vma);
	if (!av)
		av = anon_vma_alloc(vma->vm_mm->model);
	vma->anon_vma = av;
	avc_add(vma, av);
}

int anon_vma_clone(struct vm_area_struct *dst, struct vm_area_struct *src)
{
	unsigned int i;

	dst->anon_vma = src->anon_vma;
	for (i = 0; i < src->avc_count; i++)
		avc_add(dst, src->avc[i]);
	return 0;
}

int anon_vma_fork(struct vm_area_struct *vma, struct vm_area_struct *pvma)
{
	unsigned int i;
	struct anon_vma *av;

	for (i = 0; i < pvma->avc_count; i++)
		avc_add(vma, pvma->avc[i]);
	/*
	 * Canary fork-anon-vma-reuse: the kernel's anon_vma_clone() may reuse
	 * an inherited anon_vma that no VMA uses any more instead of making a
	 * new one. Until 2555283eb40d ("mm/rmap: Fix anon_vma->degree ambiguity
	 * leading to double-reuse", v6.2) ->degree could not tell a child
	 * anon_vma from a VMA using it, so one still in use as some VMA's
	 * ->anon_vma was reused: the child VMA then shares it with a VMA whose
	 * chain differs, which is_mergeable_anon_vma() takes as "same chain".
	 * Here: the oldest inherited anon_vma, whoever still uses it.
	 */
	if (vmafuzz_canary(VMAFUZZ_CANARY_FORK_ANON_VMA_REUSE)) {
		for (i = 0; i < pvma->avc_count; i++) {
			if (pvma->avc[i] != pvma->anon_vma) {
				vma->anon_vma = pvma->avc[i];
				return 0;
			}
		}
	}
	av = anon_vma_alloc(vma->vm_mm->model);
	vma->anon_vma = av;
	avc_add(vma, av);
	return 0;
}

void unlink_anon_vmas(struct vm_area_struct *vma)
{
	unsigned int i;

	for (i = 0; i < vma->avc_count; i++)
		anon_vma_put(vma->avc[i]);
	vma->avc_count = 0;
	vma->anon_vma = NULL;
}

/*
 * is_mergeable_anon_vma() of v6.6: one side NULL is fine when no target was
 * given or the target's chain is singular; otherwise they must be equal.
 */
bool is_mergeable_anon_vma(const struct anon_vma *a_in, const struct anon_vma *a_tgt,
			   const struct vm_area_struct *tgt)
{
	if ((!a_in || !a_tgt) && (!tgt || avc_is_singular(tgt)))
		return true;
	return a_in == a_tgt;
}
