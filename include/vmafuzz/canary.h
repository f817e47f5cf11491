/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Planted bugs, switched on at run time by VMAFUZZ_CANARY=NAME[,NAME...].
 * Each proves that an oracle check can fire. Off by default; when off, a
 * canary costs one predictable branch on a word read once per process.
 */
#ifndef VMAFUZZ_CANARY_H
#define VMAFUZZ_CANARY_H

#include <stdbool.h>
#include <stdint.h>

/* X(ENUM, "name", "what it breaks; which check sees it") */
#define VMAFUZZ_CANARIES(X)                                                        \
	X(MPROTECT_NO_ACCOUNT, "mprotect-no-account",                              \
	  "legacy mprotect_fixup forgets to charge VM_ACCOUNT; layout check")       \
	X(MLOCK_SWALLOW_ERROR, "mlock-swallow-error",                              \
	  "legacy mlock_fixup swallows a split error and returns 0; return-code check") \
	X(SPLIT_NO_MAPCOUNT, "split-no-mapcount",                                  \
	  "__split_vma forgets map_count += 1 on both paths; invariants check")     \
	X(MERGE_LEAK_FILE, "merge-leak-file",                                      \
	  "vma_merge does not drop a removed VMA's file reference; invariants check") \
	X(MERGE_CASE3_PGOFF, "merge-case3-pgoff",                                  \
	  "vma_merge case 3 leaves next's pgoff where it was (the v6.3 bug); page model") \
	X(MERGE_NO_DUP_ANON_VMA, "merge-no-dup-anon-vma",                          \
	  "vma_merge cases 1 and 6 forget dup_anon_vma(prev, next); rmap check")    \
	X(MERGE_CLOSE_NEXT_SURVIVES, "merge-close-next-survives",                  \
	  "vma_merge lets a next with a close hook take cases 3 and 4 (the 6.12 rule); decision check")

enum vmafuzz_canary {
#define X(e, s, d) VMAFUZZ_CANARY_##e,
	VMAFUZZ_CANARIES(X)
#undef X
	VMAFUZZ_CANARY_NR
};

extern uint64_t vmafuzz_canaries;	/* bit i: canary i on */
extern const char *const vmafuzz_canary_names[VMAFUZZ_CANARY_NR];
extern const char *const vmafuzz_canary_descs[VMAFUZZ_CANARY_NR];

/* Read VMAFUZZ_CANARY once. Returns 0, or -1 naming the unknown canary in *bad. */
int vmafuzz_canary_init(const char **bad);

static inline bool vmafuzz_canary(enum vmafuzz_canary c)
{
	return __builtin_expect(vmafuzz_canaries != 0, 0) && (vmafuzz_canaries >> c & 1);
}

#endif /* VMAFUZZ_CANARY_H */
