// SPDX-License-Identifier: GPL-2.0
/*
 * The model's invariants (DESIGN.md, oracle check 3), checked after every
 * operation on every live address space: VMAs sorted, disjoint, aligned and
 * non-empty; map_count; every refcount equal to its holders (files, shm
 * attach counts, policies, names, anon_vmas); anon_vma chains consistent,
 * and equal wherever VMAs share an anon_vma; userfaultfd contexts and flags
 * in step; total_vm and committed equal to what the VMAs hold (committed up
 * to the one v6.6 exception of §7.1); locked_vm never below the pages of the
 * VM_LOCKED VMAs; and no VM_WARN_ON hit.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

static void ptrvec_push(struct ptrvec *v, const void *p)
{
	if (v->nr == v->cap) {
		v->cap = v->cap ? 2 * v->cap : 64;
		v->p = realloc(v->p, v->cap * sizeof(*v->p));
		if (!v->p)
			abort();
	}
	v->p[v->nr++] = p;
}

static int ptrcmp(const void *a, const void *b);

static void ptrvec_sort(struct ptrvec *v)
{
	size_t i, j;

	if (v->nr > 32) {
		qsort(v->p, v->nr, sizeof(*v->p), ptrcmp);
		return;
	}
	/* Most address spaces a fuzz input builds are small: insertion sort. */
	for (i = 1; i < v->nr; i++) {
		const void *x = v->p[i];

		for (j = i; j > 0 && v->p[j - 1] > x; j--)
			v->p[j] = v->p[j - 1];
		v->p[j] = x;
	}
}

static int ptrcmp(const void *a, const void *b)
{
	const void *x = *(const void *const *)a, *y = *(const void *const *)b;

	return x < y ? -1 : x > y;
}

/* How many times p occurs in the sorted vector v. */
static long ptrvec_count(const struct ptrvec *v, const void *p)
{
	size_t lo = 0, hi = v->nr;
	long n = 0;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (v->p[mid] < p)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo < v->nr && v->p[lo++] == p)
		n++;
	return n;
}

struct checker {
	struct model *m;
	char *msg;
	size_t sz;
	int failed;
	/* The model's scratch vectors, emptied for this check. */
	struct ptrvec *files, *names, *pols, *avs;
};

static int fail(struct checker *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct checker *c, const char *fmt, ...)
{
	va_list ap;

	if (!c->failed) {
		va_start(ap, fmt);
		vsnprintf(c->msg, c->sz, fmt, ap);
		va_end(ap);
	}
	c->failed = 1;
	return -1;
}

static const char *mm_name(struct checker *c, const struct mm_struct *mm, char *buf, size_t sz)
{
	const struct mm_struct *it;
	int depth = 0;

	if (mm == c->m->mm)
		return "current mm";
	for (it = c->m->mms; it && it != mm; it = it->next_mm)
		depth++;
	snprintf(buf, sz, "parent mm %d", depth);
	return buf;
}

static void check_vma(struct checker *c, struct mm_struct *mm, struct vm_area_struct *vma,
		      const char *who)
{
	unsigned int i, j;

	if ((vma->vm_start | vma->vm_end) & ~PAGE_MASK || vma->vm_start >= vma->vm_end ||
	    vma->vm_end > TASK_SIZE)
		fail(c, "%s: VMA %#lx-%#lx is empty, unaligned or outside the window", who,
		     vma->vm_start, vma->vm_end);
	if (vma->vm_mm != mm)
		fail(c, "%s: VMA %#lx-%#lx belongs to another mm", who, vma->vm_start, vma->vm_end);
	if (!vma->anon_vma != !vma->avc_count)
		fail(c, "%s: VMA %#lx-%#lx has anon_vma %s but a chain of %u", who, vma->vm_start,
		     vma->vm_end, vma->anon_vma ? "set" : "NULL", vma->avc_count);
	for (i = 0; i < vma->avc_count; i++) {
		for (j = 0; j < i; j++)
			if (vma->avc[i] == vma->avc[j])
				fail(c, "%s: VMA %#lx-%#lx links one anon_vma twice", who,
				     vma->vm_start, vma->vm_end);
		ptrvec_push(c->avs, vma->avc[i]);
	}
	if (vma->anon_vma) {
		for (i = 0; i < vma->avc_count && vma->avc[i] != vma->anon_vma; i++)
			;
		if (i == vma->avc_count)
			fail(c, "%s: VMA %#lx-%#lx: its anon_vma is not in its chain", who,
			     vma->vm_start, vma->vm_end);
	}
	if (!vma->vm_userfaultfd_ctx != !(vma->vm_flags & __VM_UFFD_FLAGS))
		fail(c, "%s: VMA %#lx-%#lx: uffd context and uffd flags disagree", who,
		     vma->vm_start, vma->vm_end);
	if (vma->vm_userfaultfd_ctx && mm->uffd[vma->vm_userfaultfd_ctx->id] !=
					       vma->vm_userfaultfd_ctx)
		fail(c, "%s: VMA %#lx-%#lx names a closed userfaultfd context", who,
		     vma->vm_start, vma->vm_end);
	if (vma->vm_file)
		ptrvec_push(c->files, vma->vm_file);
	if (vma->anon_name)
		ptrvec_push(c->names, vma->anon_name);
	if (vma->vm_policy)
		ptrvec_push(c->pols, vma->vm_policy);
}

/*
 * locked_vm against the VM_LOCKED VMAs (SEMANTICS.md §7.1). Every operation
 * that sets or clears VM_LOCKED, or maps or unmaps a locked VMA, moves
 * locked_vm by those pages, with one v6.6 exception: an mremap move with
 * MREMAP_DONTUNMAP clears VM_LOCKED on the whole old VMA and adds the new
 * one's pages without taking the old ones off ("we won't unmap, so we don't
 * touch locked_vm"), so locked_vm may exceed the locked pages for good. It
 * is never below them: a count that is lower lost pages that are still
 * locked.
 */
static void check_locked_vm(struct checker *c, struct mm_struct *mm, const char *who)
{
	struct vm_area_struct *vma;
	long locked = 0;

	for (vma = vma_tree_first(&mm->tree); vma; vma = vma_next(vma))
		if (vma->vm_flags & VM_LOCKED)
			locked += vma_pages(vma);
	if (mm->locked_vm < locked)
		fail(c, "%s: locked_vm is %ld but VM_LOCKED VMAs hold %ld pages", who,
		     mm->locked_vm, locked);
}

static void check_mm(struct checker *c, struct mm_struct *mm)
{
	struct vm_area_struct *vma, *prev = NULL;
	long count = 0, total = 0, accounted = 0;
	char buf[32];
	const char *who = mm_name(c, mm, buf, sizeof(buf));

	for (vma = vma_tree_first(&mm->tree); vma; prev = vma, vma = vma_next(vma)) {
		count++;
		if (prev && prev->vm_end > vma->vm_start)
			fail(c, "%s: VMAs %#lx-%#lx and %#lx-%#lx overlap or are out of order", who,
			     prev->vm_start, prev->vm_end, vma->vm_start, vma->vm_end);
		check_vma(c, mm, vma, who);
		total += vma_pages(vma);
		if (vma->vm_flags & VM_ACCOUNT)
			accounted += vma_pages(vma);
	}
	if (count != mm->map_count)
		fail(c, "%s: map_count is %d but there are %ld VMAs", who, mm->map_count, count);
	if (total != mm->total_vm)
		fail(c, "%s: total_vm is %ld but the VMAs hold %ld pages", who, mm->total_vm, total);
	if (mm->committed != accounted + mm->committed_excess)
		fail(c, "%s: committed is %ld but VM_ACCOUNT VMAs hold %ld pages (+%ld excess)",
		     who, mm->committed, accounted, mm->committed_excess);
	if (mm->locked_vm < 0)
		fail(c, "%s: locked_vm is negative (%ld)", who, mm->locked_vm);
	check_locked_vm(c, mm, who);
}

/* Each distinct pointer in v must have a refcount equal to its holders. */
static void check_refs(struct checker *c, struct ptrvec *v, const char *what,
		       long (*refcount)(const void *))
{
	size_t i;

	ptrvec_sort(v);
	for (i = 0; i < v->nr; i++) {
		long n;

		if (i && v->p[i] == v->p[i - 1])
			continue;
		n = ptrvec_count(v, v->p[i]);
		if (refcount(v->p[i]) != n)
			fail(c, "%s refcount is %ld but %ld VMAs hold it", what, refcount(v->p[i]), n);
	}
}

static long name_ref(const void *p)
{
	return ((const struct anon_vma_name *)p)->refcount;
}

static long pol_ref(const void *p)
{
	return ((const struct mempolicy *)p)->refcount;
}

/* Order VMAs by their anon_vma, so that the VMAs sharing one are adjacent. */
static int vma_anon_cmp(const void *a, const void *b)
{
	const struct vm_area_struct *x = *(const void *const *)a, *y = *(const void *const *)b;

	return x->anon_vma < y->anon_vma ? -1 : x->anon_vma > y->anon_vma;
}

/* Does every anon_vma of a's chain occur in b's? (Chains are short.) */
static bool chain_within(const struct vm_area_struct *a, const struct vm_area_struct *b)
{
	unsigned int i, j;

	for (i = 0; i < a->avc_count; i++) {
		for (j = 0; j < b->avc_count && b->avc[j] != a->avc[i]; j++)
			;
		if (j == b->avc_count)
			return false;
	}
	return true;
}

/*
 * VMAs that share an anon_vma have the same chain, in every live address
 * space: an anon_vma is only ever shared by splitting, by dup_anon_vma() and
 * copy_vma(), which clone the whole chain, and by the reuse of a neighbour's
 * whose chain is singular (d0e9fe1758f2); fork makes a new one. vma_merge()
 * relies on it: is_mergeable_anon_vma() takes equal anon_vmas for equal
 * chains (2555283eb40d names the assumption), so a breach is an rmap loss
 * waiting for a merge. O(n log n) over the faulted VMAs; uses scratch[4].
 */
static void check_anon_vma_sharing(struct checker *c, struct ptrvec *v)
{
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	size_t i;

	v->nr = 0;
	/* An anon_vma linked by one chain alone is one VMA's: it is not shared. */
	for (mm = c->m->mms; mm; mm = mm->next_mm)
		for (vma = vma_tree_first(&mm->tree); vma; vma = vma_next(vma))
			if (vma->anon_vma && vma->anon_vma->refcount > 1)
				ptrvec_push(v, vma);
	if (v->nr > 32) {
		qsort(v->p, v->nr, sizeof(*v->p), vma_anon_cmp);
	} else {
		/* Most address spaces a fuzz input builds are small: insertion sort. */
		for (i = 1; i < v->nr; i++) {
			const void *x = v->p[i];
			size_t j;

			for (j = i; j > 0 && vma_anon_cmp(&v->p[j - 1], &x) > 0; j--)
				v->p[j] = v->p[j - 1];
			v->p[j] = x;
		}
	}
	for (i = 1; i < v->nr; i++) {
		const struct vm_area_struct *a = v->p[i - 1], *b = v->p[i];

		if (a->anon_vma != b->anon_vma)
			continue;
		if (a->avc_count != b->avc_count || !chain_within(a, b)) {
			fail(c,
			     "anon_vma %lu is shared by VMAs %#lx-%#lx (chain of %u) and "
			     "%#lx-%#lx (chain of %u) whose chains differ",
			     a->anon_vma->serial, a->vm_start >> PAGE_SHIFT,
			     a->vm_end >> PAGE_SHIFT, a->avc_count, b->vm_start >> PAGE_SHIFT,
			     b->vm_end >> PAGE_SHIFT, b->avc_count);
			break;
		}
	}
	v->nr = 0;
}

int model_check_invariants(struct model *m, char *msg, size_t sz)
{
	struct checker c = { .m = m, .msg = msg, .sz = sz };
	struct ptrvec *live = &m->scratch[4];
	struct mm_struct *mm;
	struct anon_vma *av;
	struct file *f;
	long nr_ctx = 0;
	unsigned int i;

	c.files = &m->scratch[0];
	c.names = &m->scratch[1];
	c.pols = &m->scratch[2];
	c.avs = &m->scratch[3];
	for (i = 0; i < 5; i++)
		m->scratch[i].nr = 0;
	if (m->warn[0])
		fail(&c, "WARN: %s", m->warn);
	for (mm = m->mms; mm; mm = mm->next_mm) {
		check_mm(&c, mm);
		for (i = 0; i <= VMAFUZZ_MAX_CTX; i++)
			nr_ctx += !!mm->uffd[i];
	}
	if (nr_ctx != m->nr_ctx)
		fail(&c, "%ld userfaultfd contexts are open but %ld are counted", nr_ctx, m->nr_ctx);

	ptrvec_sort(c.files);
	for (f = m->files; f; f = f->next_file) {
		long holders = ptrvec_count(c.files, f);
		long own = f->kind == FILE_REGULAR && m->regular[f->index] == f;

		if (f->refcount != holders + own)
			fail(&c, "file %u (serial %lu) refcount is %ld but %ld VMAs%s hold it",
			     f->index, f->serial, f->refcount, holders, own ? " and the script" : "");
		if (f->kind == FILE_SHM && f->shm_nattch != holders)
			fail(&c, "shm segment %u attach (serial %lu) count is %ld but %ld VMAs map it",
			     f->index, f->serial, f->shm_nattch, holders);
	}
	/* Every file a VMA points at must still be live: sorted membership. */
	for (f = m->files; f; f = f->next_file)
		ptrvec_push(live, f);
	ptrvec_sort(live);
	for (i = 0; i < c.files->nr; i++) {
		if (!ptrvec_count(live, c.files->p[i])) {
			fail(&c, "a VMA points at a file that was released");
			break;
		}
	}
	live->nr = 0;
	check_refs(&c, c.names, "anon_vma_name", name_ref);
	check_refs(&c, c.pols, "mempolicy", pol_ref);

	ptrvec_sort(c.avs);
	for (av = m->av_head.next_av; av != &m->av_head; av = av->next_av) {
		long n = ptrvec_count(c.avs, av);

		if (av->refcount != n)
			fail(&c, "anon_vma %lu refcount is %ld but %ld chains link it", av->serial,
			     av->refcount, n);
	}
	for (av = m->av_head.next_av; av != &m->av_head; av = av->next_av)
		ptrvec_push(live, av);
	ptrvec_sort(live);
	for (i = 0; i < c.avs->nr; i++) {
		if (i && c.avs->p[i] == c.avs->p[i - 1])
			continue;
		if (!ptrvec_count(live, c.avs->p[i])) {
			fail(&c, "a chain links an anon_vma that was freed");
			break;
		}
	}
	check_anon_vma_sharing(&c, live);
	return c.failed ? -1 : 0;
}
