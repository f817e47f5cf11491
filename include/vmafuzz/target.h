/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A target is anything that can apply an operation and report a canonical
 * layout (DESIGN.md, "Layers"). The model's legacy and refactored paths are
 * the first two; the real mm/vma.c and the live kernel plug in here later.
 */
#ifndef VMAFUZZ_TARGET_H
#define VMAFUZZ_TARGET_H

#include <stddef.h>
#include <stdint.h>

#include "vmafuzz/layout.h"
#include "vmafuzz/op.h"

struct vmafuzz_target;

struct vmafuzz_target_ops {
	const char *name;
	/* A fresh address space; NULL only when memory runs out. */
	struct vmafuzz_target *(*create)(void);
	void (*destroy)(struct vmafuzz_target *t);
	/* 0 or a negative errno, as the system call returns it. */
	int (*apply)(struct vmafuzz_target *t, const struct vmafuzz_op *op);
	/* The canonical layout of the current address space. */
	void (*layout)(struct vmafuzz_target *t, struct vmafuzz_layout *out);
	/*
	 * Check the target's own invariants (DESIGN.md, oracle check 3).
	 * Returns 0, or -1 with a one-line description in msg.
	 */
	int (*check)(struct vmafuzz_target *t, char *msg, size_t sz);
	/*
	 * The state of window page `page` in the current address space
	 * (VMAFUZZ_PAGE_* bits), and in *run_end the first page after it
	 * whose state may differ (never past the end of its VMA or gap).
	 * NULL when the target cannot tell.
	 */
	unsigned int (*page_state)(struct vmafuzz_target *t, uint32_t page, uint32_t *run_end);
	/* Oracle check 5, the rmap check; like check(). NULL: not supported. */
	int (*check_rmap)(struct vmafuzz_target *t, char *msg, size_t sz);
	/*
	 * Oracle check 6: did every vma_merge() of the last operation take the
	 * case an independent statement of the case table predicts? Like
	 * check(). NULL: not supported.
	 */
	int (*check_decision)(struct vmafuzz_target *t, char *msg, size_t sz);
};

enum {
	VMAFUZZ_PAGE_PRESENT = 1,	/* faulted in */
	VMAFUZZ_PAGE_WRITTEN = 2,	/* a private page that was written (anonymous) */
	VMAFUZZ_PAGE_UNTRACKED = 4,	/* shared file or shm page: presence not modelled */
};

/* The model, on each of its two paths. */
extern const struct vmafuzz_target_ops vmafuzz_target_legacy;
extern const struct vmafuzz_target_ops vmafuzz_target_refactored;

#endif /* VMAFUZZ_TARGET_H */
