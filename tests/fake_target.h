/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fake target (customised, not copied): a list of whole-VMA mappings with
 * no merging, just enough semantics for the lockstep runner's tests to tell
 * a pass from each kind of failure. Variants carry one planted bug each:
 *   FAKE_BUG_RET     munmap of exactly 7 pages returns ENOMEM, changing nothing
 *   FAKE_BUG_LAYOUT  mprotect changes nothing (but returns 0)
 *   FAKE_BUG_CHECK   the invariant check fails once there are 4 VMAs or more
 */
#ifndef VMAFUZZ_TESTS_FAKE_TARGET_H
#define VMAFUZZ_TESTS_FAKE_TARGET_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmafuzz/target.h"

enum {
	FAKE_OK,
	FAKE_BUG_RET,
	FAKE_BUG_LAYOUT,
	FAKE_BUG_CHECK
};

#define FAKE_MAX 64

struct fake_vma {
	uint32_t start, end;
	uint8_t prot;
	bool shared, file;
	uint16_t av; /* raw identity, numbered downwards so canonicalization shows */
};

struct vmafuzz_target {
	int bug;
	unsigned int nr;
	uint16_t next_av;
	struct fake_vma v[FAKE_MAX];
};

static int fake_created, fake_destroyed;

static struct vmafuzz_target *fake_create(int bug)
{
	struct vmafuzz_target *t = calloc(1, sizeof(*t));

	if (t) {
		t->bug = bug;
		t->next_av = 1000;
		fake_created++;
	}
	return t;
}

static void fake_destroy(struct vmafuzz_target *t)
{
	fake_destroyed++;
	free(t);
}

/* Remove [start, end) from every VMA, splitting one that spans it. */
static int fake_unmap(struct vmafuzz_target *t, uint32_t start, uint32_t end)
{
	unsigned int i;

	for (i = 0; i < t->nr; i++) {
		struct fake_vma *v = &t->v[i];

		if (v->end <= start || v->start >= end)
			continue;
		if (v->start < start && v->end > end) {
			if (t->nr == FAKE_MAX)
				return -ENOMEM;
			memmove(v + 1, v, (t->nr - i) * sizeof(*v));
			t->nr++;
			v->end = start;
			v[1].start = end;
			return 0;
		}
		if (v->start < start) {
			v->end = start;
		} else if (v->end > end) {
			v->start = end;
		} else {
			memmove(v, v + 1, (t->nr - i - 1) * sizeof(*v));
			t->nr--;
			i--;
		}
	}
	return 0;
}

static int fake_apply(struct vmafuzz_target *t, const struct vmafuzz_op *op)
{
	uint32_t end = op->addr + op->len;
	unsigned int i;
	int r;

	switch (op->op) {
	case VMAFUZZ_OP_MMAP:
		if (!op->len)
			return -EINVAL;
		r = fake_unmap(t, op->addr, end);
		if (r || t->nr == FAKE_MAX)
			return r ? r : -ENOMEM;
		for (i = 0; i < t->nr && t->v[i].start < op->addr; i++)
			;
		memmove(&t->v[i + 1], &t->v[i], (t->nr - i) * sizeof(t->v[0]));
		t->nr++;
		t->v[i] = (struct fake_vma){
			.start = op->addr,
			.end = end,
			.prot = op->prot,
			.shared = op->kind != VMAFUZZ_KIND_ANON && op->kind != VMAFUZZ_KIND_FILE,
			.file = op->kind != VMAFUZZ_KIND_ANON &&
				op->kind != VMAFUZZ_KIND_SHARED_ANON,
			.av = op->kind == VMAFUZZ_KIND_ANON ? t->next_av-- : 0,
		};
		return 0;
	case VMAFUZZ_OP_MUNMAP:
		if (!op->len)
			return -EINVAL;
		if (t->bug == FAKE_BUG_RET && op->len == 7)
			return -ENOMEM;
		return fake_unmap(t, op->addr, end);
	case VMAFUZZ_OP_MPROTECT:
		if (t->bug == FAKE_BUG_LAYOUT)
			return 0;
		for (i = 0; i < t->nr; i++) {
			if (t->v[i].start >= op->addr && t->v[i].end <= end)
				t->v[i].prot = op->prot;
		}
		return 0;
	default:
		return 0;
	}
}

static void fake_layout(struct vmafuzz_target *t, struct vmafuzz_layout *out)
{
	unsigned int i;

	vmafuzz_layout_clear(out);
	for (i = 0; i < t->nr; i++) {
		const struct fake_vma *v = &t->v[i];
		struct vmafuzz_lvma *l = vmafuzz_layout_push(out);
		uint32_t pages = v->end - v->start;

		l->start = v->start;
		l->end = v->end;
		/* Files are mapped from page 0; shared anonymous objects start at 0. */
		l->pgoff = v->file || v->shared ? 0 : v->start;
		l->flags = VMAFUZZ_VM_MAYREAD | VMAFUZZ_VM_MAYWRITE | VMAFUZZ_VM_MAYEXEC;
		if (v->prot & VMAFUZZ_PROT_READ)
			l->flags |= VMAFUZZ_VM_READ;
		if (v->prot & VMAFUZZ_PROT_WRITE)
			l->flags |= VMAFUZZ_VM_WRITE;
		if (v->prot & VMAFUZZ_PROT_EXEC)
			l->flags |= VMAFUZZ_VM_EXEC;
		if (v->shared)
			l->flags |= VMAFUZZ_VM_MAYSHARE | VMAFUZZ_VM_SHARED;
		else if (v->prot & VMAFUZZ_PROT_WRITE)
			l->flags |= VMAFUZZ_VM_ACCOUNT;
		l->obj = v->file   ? VMAFUZZ_OBJ_FILE :
			 v->shared ? VMAFUZZ_OBJ_ZERO :
				     VMAFUZZ_OBJ_ANON;
		l->inst = (uint16_t)(500 - i);
		l->av = v->av;
		out->c.map_count++;
		out->c.total_vm += pages;
		if (l->flags & VMAFUZZ_VM_ACCOUNT)
			out->c.committed += pages;
	}
	vmafuzz_layout_canonicalize(out);
}

static int fake_check(struct vmafuzz_target *t, char *msg, size_t sz)
{
	if (t->bug == FAKE_BUG_CHECK && t->nr >= 4) {
		snprintf(msg, sz, "map_count %u is too high", t->nr);
		return -1;
	}
	return 0;
}

#define FAKE_TARGET(ident, label, bugno)                   \
	static struct vmafuzz_target *ident##_create(void) \
	{                                                  \
		return fake_create(bugno);                 \
	}                                                  \
	static const struct vmafuzz_target_ops ident = {   \
		.name = label,                             \
		.create = ident##_create,                  \
		.destroy = fake_destroy,                   \
		.apply = fake_apply,                       \
		.layout = fake_layout,                     \
		.check = fake_check,                       \
	}

#endif /* VMAFUZZ_TESTS_FAKE_TARGET_H */
