/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The page model (DESIGN.md, "The page model"; oracle check 4): an
 * independent statement of what each operation does to each page, kept as
 * runs of pages with their attributes, written from SEMANTICS.md and
 * SCRIPT-FORMAT.md and never from a target's VMAs. After every operation each
 * target's VMAs must carry, on every page they cover, the attributes the page
 * model says that page has, and its presence must agree.
 */
#ifndef VMAFUZZ_PAGEMODEL_H
#define VMAFUZZ_PAGEMODEL_H

#include <stddef.h>

#include "vmafuzz/layout.h"
#include "vmafuzz/op.h"
#include "vmafuzz/target.h"

struct vmafuzz_pagemodel;

/* An empty address space, as a fresh target has. NULL only when out of memory. */
struct vmafuzz_pagemodel *vmafuzz_pagemodel_new(void);
void vmafuzz_pagemodel_free(struct vmafuzz_pagemodel *pm);

/*
 * Apply op, to which every target returned ret (they agreed), and whose
 * canonical layouts before and after the op the targets agreed on (pre, post).
 * On success the page model applies the op from its arguments and the
 * semantics; it reads pre only for facts only a VMA has (was a moved source
 * faulted? the extent of the VMA an mremap starts in), and post only where
 * DESIGN.md allows a merge decision to be taken from the targets' layout. On
 * an error return it checks that pages outside the affected range are
 * unchanged and that each page inside has, attribute by attribute, its old
 * or its new value, then adopts what the targets show (post, and presence
 * through ops->page_state of target t). Returns 0, or -1 with a one-line
 * reason in msg when the targets' outcome breaks that rule.
 */
int vmafuzz_pagemodel_apply(struct vmafuzz_pagemodel *pm, const struct vmafuzz_op *op, int ret,
			    const struct vmafuzz_layout *pre, const struct vmafuzz_layout *post,
			    const struct vmafuzz_target_ops *ops, struct vmafuzz_target *t,
			    char *msg, size_t sz);

/*
 * Compare one target with the page model: every VMA's attributes must equal
 * those of each page it covers, every page outside all VMAs must be unmapped
 * in the page model, and (when ops->page_state exists) presence must agree.
 * Returns 0, or -1 with a one-line reason naming the first page that differs.
 */
int vmafuzz_pagemodel_check(const struct vmafuzz_pagemodel *pm, const struct vmafuzz_layout *l,
			    const struct vmafuzz_target_ops *ops, struct vmafuzz_target *t,
			    char *msg, size_t sz);

/*
 * Only the presence part of vmafuzz_pagemodel_check(), for a target whose
 * layout has been shown equal to one that passed the full check: the
 * attributes would compare the same, but pages are each target's own.
 */
int vmafuzz_pagemodel_check_presence(const struct vmafuzz_pagemodel *pm,
				     const struct vmafuzz_layout *l,
				     const struct vmafuzz_target_ops *ops, struct vmafuzz_target *t,
				     char *msg, size_t sz);

#endif /* VMAFUZZ_PAGEMODEL_H */
