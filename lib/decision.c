// SPDX-License-Identifier: GPL-2.0
/*
 * The merge-decision check (DESIGN.md, oracle check 6): a second statement
 * of the vma_merge() case table of Linux v6.6 (SEMANTICS.md §3.3-3.4, with
 * the case-7 close fix of the preface), written as tables and independent of
 * merge.c: it finds the neighbours from the geometry of the range, judges
 * each candidate field by field from a table of comparisons, and reads the
 * case off a decision table. vma_merge() asks it before changing anything
 * and the check compares the prediction with the case the core took.
 */
#include <stdio.h>
#include <string.h>

#include "model.h"

/* What one candidate neighbour must share with the incoming range. */
enum field {
	F_FLAGS,	/* vm_flags, VM_SOFTDIRTY aside */
	F_FILE,		/* the same open file */
	F_UFFD,		/* the same userfaultfd context */
	F_NAME,		/* anonymous names: same object or same string */
	F_POLICY,	/* mpol_equal() */
	F_ANON,		/* is_mergeable_anon_vma() with the candidate as target */
	F_PGOFF,	/* page offsets continue linearly across the boundary */
	F_NO_CLOSE,	/* the candidate may be removed: no close hook */
	F_NR
};

/* Which fields each side checks: prev is never removed, next may be. */
static const bool side_checks[2][F_NR] = {
	/* prev */ { true, true, true, true, true, true, true, false },
	/* next */ { true, true, true, true, true, true, true, true },
};

struct query {
	unsigned long addr, end, pgoff;
	unsigned long long flags;
	const struct anon_vma *anon_vma;
	const struct file *file;
	const struct mempolicy *policy;
	const struct userfaultfd_ctx *uffd;
	const struct anon_vma_name *name;
};

static bool names_equal(const struct anon_vma_name *a, const struct anon_vma_name *b)
{
	if (!a || !b)
		return a == b;
	return a == b || strcmp(a->name, b->name) == 0;
}

static bool policies_equal(const struct mempolicy *a, const struct mempolicy *b)
{
	if (!a || !b)
		return a == b;
	return a->mode == b->mode && a->home_node == b->home_node;
}

/* One NULL side is fine if the target is absent or its chain is singular. */
static bool anon_compatible(const struct anon_vma *in, const struct vm_area_struct *tgt)
{
	if (in == tgt->anon_vma)
		return true;
	return (!in || !tgt->anon_vma) && tgt->avc_count == 1;
}

static bool field_ok(enum field f, bool is_next, const struct query *q,
		     const struct vm_area_struct *v)
{
	unsigned long pglen = (q->end - q->addr) >> PAGE_SHIFT;

	switch (f) {
	case F_FLAGS:
		return ((v->vm_flags ^ q->flags) & ~VM_SOFTDIRTY) == 0;
	case F_FILE:
		return v->vm_file == q->file;
	case F_UFFD:
		return v->vm_userfaultfd_ctx == q->uffd;
	case F_NAME:
		return names_equal(v->anon_name, q->name);
	case F_POLICY:
		return policies_equal(v->vm_policy, q->policy);
	case F_ANON:
		return anon_compatible(q->anon_vma, v);
	case F_PGOFF:
		if (is_next)
			return v->vm_pgoff == q->pgoff + pglen;
		return v->vm_pgoff + ((v->vm_end - v->vm_start) >> PAGE_SHIFT) == q->pgoff;
	case F_NO_CLOSE:
		return !(v->vm_ops && v->vm_ops->close);
	case F_NR:
		break;
	}
	return false;
}

static bool candidate_ok(bool is_next, const struct query *q, const struct vm_area_struct *v)
{
	enum field f;

	if (!v)
		return false;
	for (f = 0; f < F_NR; f++)
		if (side_checks[is_next][f] && !field_ok(f, is_next, q, v))
			return false;
	return true;
}

/*
 * The decision table. Shape: no curr with the range after prev or in a gap
 * (NEW), the range as the tail of prev (TAIL), a prefix of curr (PREFIX) or
 * all of curr (WHOLE). "x" is "don't care".
 */
enum shape { NEW, TAIL, PREFIX, WHOLE };

struct row {
	enum shape shape;
	int prev, next, both, curr_close;	/* 1, 0 or -1 for "x" */
	int mcase;
};

static const struct row table[] = {
	/* shape   prev next both close  case */
	{ NEW,     1,   1,   1,   -1,    1 },
	{ NEW,     1,   -1,  -1,  -1,    2 },	/* also both, anon-incompatible */
	{ NEW,     0,   1,   -1,  -1,    3 },
	{ TAIL,    -1,  1,   -1,  -1,    4 },
	{ PREFIX,  1,   -1,  -1,  -1,    5 },
	{ WHOLE,   1,   1,   1,   -1,    6 },
	{ WHOLE,   1,   -1,  -1,  0,     7 },
	{ WHOLE,   1,   -1,  -1,  1,     0 },	/* the case-7 close fix */
	{ WHOLE,   0,   1,   -1,  -1,    8 },
};

static bool matches(int want, bool have)
{
	return want < 0 || want == (int)have;
}

int merge_decision_predict(struct mm_struct *mm, struct vm_area_struct *prev,
			   unsigned long addr, unsigned long end, unsigned long long vm_flags,
			   struct anon_vma *anon_vma, struct file *file, unsigned long pgoff,
			   struct mempolicy *policy, struct userfaultfd_ctx *uffd,
			   struct anon_vma_name *anon_name)
{
	const struct query q = { addr, end, pgoff, vm_flags, anon_vma, file, policy, uffd, anon_name };
	struct vm_area_struct *v, *curr = NULL, *next = NULL;
	bool ok_prev, ok_next, both;
	enum shape shape;
	unsigned int i;

	if (vm_flags & VM_SPECIAL)
		return 0;

	/* The VMA that starts at addr, and the one that starts at end. */
	for (v = vma_tree_find(&mm->tree, addr); v && v->vm_start <= end; v = vma_tree_next(v)) {
		if (v->vm_start == addr && v != prev)
			curr = v;
		if (v->vm_start == end)
			next = v;
	}
	if (prev && addr < prev->vm_end)
		shape = TAIL;
	else if (!curr)
		shape = NEW;
	else if (end < curr->vm_end)
		shape = PREFIX;
	else
		shape = WHOLE;
	if (shape == PREFIX || (shape == TAIL && end != prev->vm_end))
		next = NULL;

	ok_prev = shape != TAIL && prev && prev->vm_end == addr && candidate_ok(false, &q, prev);
	ok_next = candidate_ok(true, &q, next);
	both = ok_prev && ok_next &&
	       (!prev->anon_vma || !next->anon_vma || prev->anon_vma == next->anon_vma);

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		const struct row *r = &table[i];

		if (r->shape == shape && matches(r->prev, ok_prev) && matches(r->next, ok_next) &&
		    matches(r->both, both) &&
		    matches(r->curr_close, curr && curr->vm_ops && curr->vm_ops->close))
			return r->mcase;
	}
	return 0;
}

void merge_decision_record(struct model *m, int predicted, int taken, unsigned long addr,
			   unsigned long end)
{
	if (predicted < 0 || predicted == taken || m->decision_msg[0])
		return;
	snprintf(m->decision_msg, sizeof(m->decision_msg),
		 "vma_merge(%#lx-%#lx) took %s%d, the case table says %s%d", addr, end,
		 taken ? "case " : "no merge ", taken, predicted ? "case " : "no merge ", predicted);
}

int model_check_decision(struct model *m, char *msg, size_t sz)
{
	if (!m->decision_msg[0])
		return 0;
	snprintf(msg, sz, "%s", m->decision_msg);
	m->decision_msg[0] = '\0';
	return -1;
}
