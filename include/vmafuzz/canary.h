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

/*
 * X(ENUM, "name", WHERE, "check", "upstream", "what it breaks")
 *   WHERE     LEGACY, REFACTORED, BOTH (both caller files) or CORE (code the
 *             two paths share: only the independent checks can see it)
 *   check     the oracle check that catches it (ret, layout, invariants,
 *             pages, rmap, decision) or "sanitizer" (ASan/UBSan)
 *   upstream  the fix the canary undoes ("title" (commit, version)), or
 *             "planted" for a bug made up to prove a check can fire
 * The catalogue (docs/CANARIES.md) says more about each, with its trigger and
 * measured detection times. Three lists, so each can grow on its own.
 */

/* Planted bugs that prove each check can fire (issues 2 and 3). */
#define VMAFUZZ_CANARIES_PLANTED(X)                                                \
	X(MPROTECT_NO_ACCOUNT, "mprotect-no-account", LEGACY, "layout", "planted",  \
	  "legacy mprotect_fixup forgets to charge VM_ACCOUNT")                     \
	X(MLOCK_SWALLOW_ERROR, "mlock-swallow-error", LEGACY, "ret", "planted",     \
	  "legacy mlock_fixup swallows a split error and returns 0")                \
	X(SPLIT_NO_MAPCOUNT, "split-no-mapcount", CORE, "invariants", "planted",    \
	  "__split_vma forgets map_count += 1")                                     \
	X(MERGE_LEAK_FILE, "merge-leak-file", CORE, "invariants", "planted",        \
	  "vma_merge does not drop a removed VMA's file reference")                 \
	X(MERGE_CASE3_PGOFF, "merge-case3-pgoff", CORE, "pages",                    \
	  "planted after the v6.3 vma_merge rewrite's case-3 pgoff slip",         \
	  "vma_merge case 3 leaves next's pgoff where it was")                      \
	X(MERGE_NO_DUP_ANON_VMA, "merge-no-dup-anon-vma", CORE, "rmap", "planted",  \
	  "vma_merge cases 1 and 6 forget dup_anon_vma(prev, next)")                \
	X(MERGE_CLOSE_NEXT_SURVIVES, "merge-close-next-survives", CORE, "decision", \
	  "planted", "vma_merge lets a next with a close hook take cases 3 and 4")

/* Historical bugs in the callers of vma_merge / vma_modify (issue 5). */
#define VMAFUZZ_CANARIES_CALLERS(X)

/* Historical bugs in the shared core: merge, split, expand, fault, fork (issue 5). */
#define VMAFUZZ_CANARIES_CORE(X)

#define VMAFUZZ_CANARIES(X)                                                        \
	VMAFUZZ_CANARIES_PLANTED(X) VMAFUZZ_CANARIES_CALLERS(X) VMAFUZZ_CANARIES_CORE(X)

enum vmafuzz_canary_where {
	VMAFUZZ_CANARY_LEGACY,
	VMAFUZZ_CANARY_REFACTORED,
	VMAFUZZ_CANARY_BOTH,
	VMAFUZZ_CANARY_CORE,
};

enum vmafuzz_canary {
#define X(e, s, w, c, u, d) VMAFUZZ_CANARY_##e,
	VMAFUZZ_CANARIES(X)
#undef X
	VMAFUZZ_CANARY_NR
};

extern uint64_t vmafuzz_canaries;	/* bit i: canary i on */
extern const char *const vmafuzz_canary_names[VMAFUZZ_CANARY_NR];
extern const char *const vmafuzz_canary_descs[VMAFUZZ_CANARY_NR];
extern const char *const vmafuzz_canary_checks[VMAFUZZ_CANARY_NR];
extern const char *const vmafuzz_canary_upstream[VMAFUZZ_CANARY_NR];
extern const enum vmafuzz_canary_where vmafuzz_canary_where[VMAFUZZ_CANARY_NR];
extern const char *const vmafuzz_canary_where_names[4];	/* "legacy", ... */

/* Read VMAFUZZ_CANARY once. Returns 0, or -1 naming the unknown canary in *bad. */
int vmafuzz_canary_init(const char **bad);

static inline bool vmafuzz_canary(enum vmafuzz_canary c)
{
	return __builtin_expect(vmafuzz_canaries != 0, 0) && (vmafuzz_canaries >> c & 1);
}

#endif /* VMAFUZZ_CANARY_H */
