/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Coverage of what matters to the VMA code, counted by the model: the
 * vma_merge() cases, the kinds of split, each caller on each path, each
 * operation and its error returns, and the injected failures. Statistics
 * only: they accumulate across inputs and never affect behaviour.
 */
#ifndef VMAFUZZ_COVERAGE_H
#define VMAFUZZ_COVERAGE_H

#include <stdio.h>

#include "vmafuzz/op.h"

/* X(ENUM, "name"): the functions of struct vma_callers, one per variation point. */
#define VMAFUZZ_CALLERS(X)                                        \
	X(MPROTECT_FIXUP, "mprotect_fixup")                       \
	X(MADVISE_UPDATE_VMA, "madvise_update_vma")               \
	X(MLOCK_FIXUP, "mlock_fixup")                             \
	X(MBIND_RANGE, "mbind_range")                             \
	X(UFFD_REGISTER_RANGE, "userfaultfd_register_range")      \
	X(UFFD_RELEASE_VMA, "userfaultfd_release_vma")            \
	X(COPY_VMA, "copy_vma")                                   \
	X(MREMAP_EXPAND, "mremap_expand")                         \
	X(MMAP_POST_DRIVER_MERGE, "mmap_post_driver_merge")

enum vmafuzz_caller {
#define X(e, s) VMAFUZZ_CALLER_##e,
	VMAFUZZ_CALLERS(X)
#undef X
	VMAFUZZ_CALLER_NR
};

enum vmafuzz_path {
	VMAFUZZ_PATH_LEGACY,
	VMAFUZZ_PATH_REFACTORED,
	VMAFUZZ_PATH_NR
};

/* The error returns counted per operation; anything else is "other". */
#define VMAFUZZ_COV_ERRNOS(X) \
	X(ENOMEM) X(EINVAL) X(EFAULT) X(EACCES) X(EBUSY) X(EAGAIN) X(EEXIST) X(EPERM) \
	X(ENOENT) X(EBADF) X(EOPNOTSUPP) X(EOVERFLOW)

enum {
#define X(e) VMAFUZZ_COV_##e,
	VMAFUZZ_COV_ERRNOS(X)
#undef X
	VMAFUZZ_COV_OTHER,
	VMAFUZZ_COV_ERR_NR
};

struct vmafuzz_coverage {
	unsigned long models;			/* model instances counted */
	unsigned long merge_case[9];		/* [0]: vma_merge() calls that merged nothing */
	unsigned long split_below, split_above;	/* __split_vma() by new_below */
	unsigned long split_refused;		/* split_vma() at the map-count limit */
	unsigned long caller[VMAFUZZ_PATH_NR][VMAFUZZ_CALLER_NR];
	unsigned long op[VMAFUZZ_OP_NR];
	unsigned long op_error[VMAFUZZ_OP_NR][VMAFUZZ_COV_ERR_NR];
	unsigned long injected[VMAFUZZ_FAIL_NR];	/* `fail` events that fired */
};

extern const char *const vmafuzz_caller_names[VMAFUZZ_CALLER_NR];
extern const char *const vmafuzz_path_names[VMAFUZZ_PATH_NR];
extern const char *const vmafuzz_cov_errno_names[VMAFUZZ_COV_ERR_NR];

/*
 * Layout features for a coverage-guided engine (lib/features.c): after each
 * operation, each pair of touching VMAs counts one at the index of the set
 * of merge attributes the two differ in. NULL, the default, turns them off;
 * the libFuzzer build of fuzz_diff points this at its extra counters.
 */
enum {
	VMAFUZZ_DIFF_FLAGS = 1 << 0,
	VMAFUZZ_DIFF_FILE = 1 << 1,
	VMAFUZZ_DIFF_PGOFF = 1 << 2,	 /* next's pgoff does not continue prev's */
	VMAFUZZ_DIFF_ANON_VMA = 1 << 3,	 /* both have one, not the same */
	VMAFUZZ_HALF_ANON_VMA = 1 << 4,	 /* one has an anon_vma, the other not */
	VMAFUZZ_DIFF_POLICY = 1 << 5,
	VMAFUZZ_DIFF_UFFD = 1 << 6,
	VMAFUZZ_NAME_SHIFT = 7,		 /* then 2 bits of names: */
	VMAFUZZ_NAME_SAME = 0,		 /*   the same object, or both none */
	VMAFUZZ_NAME_EQUAL_STRINGS = 1,	 /*   two objects, one string */
	VMAFUZZ_NAME_DIFFERENT = 2,	 /*   different strings, or one none */
};
#define VMAFUZZ_FEATURES_SIZE ((VMAFUZZ_NAME_DIFFERENT + 1) << VMAFUZZ_NAME_SHIFT)
extern uint8_t *vmafuzz_features;

/* What every model instance has counted so far, added at its teardown. */
extern struct vmafuzz_coverage vmafuzz_coverage_total;

void vmafuzz_coverage_add(struct vmafuzz_coverage *to, const struct vmafuzz_coverage *from);
/* A readable table, and the same as one JSON object. */
void vmafuzz_coverage_print(FILE *f, const struct vmafuzz_coverage *c);
void vmafuzz_coverage_json(FILE *f, const struct vmafuzz_coverage *c);

#endif /* VMAFUZZ_COVERAGE_H */
