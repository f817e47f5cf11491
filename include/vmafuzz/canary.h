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
#define VMAFUZZ_CANARIES_CALLERS(X)                                                \
	X(UFFD_REGISTER_PGOFF, "uffd-register-pgoff", LEGACY, "layout",            \
	  "mm/uffd: allow vma to merge as much as possible (5543d3c43c41, v6.4)",  \
	  "legacy uffd register/unregister pass vma->vm_pgoff, not the pgoff at "  \
	  "start: a range from inside a VMA no longer merges into next (case 4)")  \
	X(MLOCK_ONFAULT_LOCKED_VM, "mlock-onfault-locked-vm", LEGACY, "layout",    \
	  "mm: mlock: avoid increase mm->locked_vm on mlock() when already "       \
	  "mlock2(,MLOCK_ONFAULT) (b155b4fde5bd, v4.9)",                           \
	  "legacy mlock_fixup charges locked_vm again when only VM_LOCKONFAULT "   \
	  "changes on a locked VMA")                                               \
	X(MBIND_RANGE_PGOFF, "mbind-range-pgoff", LEGACY, "layout",                \
	  "mm/mempolicy.c: refix mbind_range() vma issue (e26a51148f3e, v3.3)",    \
	  "legacy mbind_range passes vma->vm_pgoff, not the pgoff at vmstart: a "  \
	  "range from inside a VMA no longer merges into next (case 4)")           \
	X(MBIND_EQUAL_STALE_PREV, "mbind-equal-stale-prev", LEGACY, "layout",      \
	  "mm/mempolicy: correctly update prev when policy is equal on mbind "     \
	  "(00ca0f2e86bf, v6.4-rc1)",                                              \
	  "legacy mbind_range leaves *prev stale when the policy is already "      \
	  "equal: the next VMA's merge gets a wrong prev and is refused")          \
	X(MBIND_RANGE_PREV, "mbind-range-prev", REFACTORED, "invariants",          \
	  "mm/mempolicy: fix mbind_range() arguments to vma_merge() "              \
	  "(7329e3ebe359, v6.1-rc2)",                                              \
	  "refactored mbind_range loses the prev = vma fix-up when start lies "    \
	  "inside the first VMA, breaking vma_merge()'s contract")                 \
	X(UFFD_UNREGISTER_PTR_ERR, "uffd-unregister-ptr-err", REFACTORED, "ret",   \
	  "v3 of \"mm: abstract the vma_merge()/split_vma() pattern for "          \
	  "mprotect() et al.\", fixed in v4 before it was merged (94d7d9233951, "  \
	  "v6.7)",                                                                 \
	  "refactored userfaultfd_unregister returns PTR_ERR(prev), a pointer, "   \
	  "when a split fails")                                                    \
	X(UFFD_START_PREV, "uffd-start-prev", BOTH, "invariants",                  \
	  "mm/uffd: fix vma operation where start addr cuts part of vma (v6.4)",   \
	  "uffd register/unregister keep prev = the VMA before when start lies "   \
	  "inside the first VMA, breaking vma_merge()'s contract")                 \
	X(MREMAP_EXPAND_UNACCT, "mremap-expand-unacct", BOTH, "invariants",        \
	  "mm/mremap: fix unaccount of memory on vma_merge() failure (v6.7-rc1)",  \
	  "a failed in-place mremap growth un-charges delta even from a VMA "      \
	  "without VM_ACCOUNT, which charged nothing")                            \
	X(MREMAP_EXPAND_PGOFF, "mremap-expand-pgoff", LEGACY, "ret",               \
	  "mm, mremap: fix mremap() expanding vma with addr inside vma "           \
	  "(6f12be792fde, 2023, fixing ca3d76b0aa80 of v6.2; hash from memory)",   \
	  "legacy mremap passes vma->vm_pgoff + old_len as the extension's "       \
	  "pgoff: growing a range that starts inside its VMA fails with ENOMEM")  \
	X(MADVISE_NAME_UAF, "madvise-name-uaf", BOTH, "sanitizer",                 \
	  "mm: fix use-after-free when anon vma name is used after vma is freed "  \
	  "(942341dcc574, v5.17-rc5; hash from memory)",                           \
	  "madvise passes the VMA's own name to the merge without a reference: "   \
	  "a merge that frees the VMA frees the name, which is then read")

/* Historical bugs in the shared core: merge, split, expand, fault, fork (issue 5). */
#define VMAFUZZ_CANARIES_CORE(X)                                                   \
	X(MERGE_CASE7_CLOSE, "merge-case7-close", CORE, "invariants",               \
	  "mm, mmap: fix vma_merge() case 7 with vma_ops->close "                   \
	  "(fc0c8f9089c2, v6.8)",                                                   \
	  "vma_merge case 7 removes a curr with a close hook without closing it "   \
	  "(shm attach count leaks; the decision check sees it too)")               \
	X(BRK_EXPAND_ANY_VMA, "brk-expand-any-vma", CORE, "pages",                  \
	  "mm/mmap: fix do_brk_flags() modifying obviously incorrect VMAs "          \
	  "(6c28ca6485dd, v6.1)",                                                   \
	  "do_brk_flags grows the heap VMA below the break checking only its "      \
	  "flags: a VMA with a policy, name or file, or one that ends below the "   \
	  "break, takes the new heap pages")                                        \
	X(MUNMAP_LOCKED_VM_EARLY, "munmap-locked-vm-early", CORE, "invariants",     \
	  "mm/mmap: Fix error path in do_vmi_align_munmap() (606c812eb1d5, v6.5)",   \
	  "munmap takes each VMA's locked pages off locked_vm before the last "     \
	  "split, and a failed split does not give them back")                     \
	X(ANON_VMA_REUSE_FORKED, "anon-vma-reuse-forked", CORE, "invariants",       \
	  "Simplify and comment on anon_vma re-use for anon_vma_prepare() "         \
	  "(d0e9fe1758f2, v2.6.34)",                                                \
	  "find_mergeable_anon_vma reuses a forked neighbour's anon_vma: one "      \
	  "anon_vma, two chains, and a merge loses pages")                          \
	X(FORK_ANON_VMA_REUSE, "fork-anon-vma-reuse", CORE, "invariants",           \
	  "mm/rmap: Fix anon_vma->degree ambiguity leading to double-reuse "        \
	  "(2555283eb40d, v6.2)",                                                   \
	  "anon_vma_fork reuses an inherited anon_vma that a VMA still uses "       \
	  "instead of a new one")                                                   \
	X(MMAP_EXPAND_PREV_NEXT_ANON, "mmap-expand-prev-next-anon", CORE, "rmap",   \
	  "modelled on the maple-tree mmap_region() of linux-next 2022, fixed "     \
	  "before v6.1: prev checked without next's anon_vma and uffd context",     \
	  "mmap_region lets prev swallow next (vma_expand) when their anon_vmas "   \
	  "differ")

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

/* One row of the table above. */
struct vmafuzz_canary_info {
	const char *name;
	enum vmafuzz_canary_where where;
	const char *check;
	const char *upstream;
	const char *desc;
};

extern uint64_t vmafuzz_canaries;	/* bit i: canary i on */
extern const struct vmafuzz_canary_info vmafuzz_canary_table[VMAFUZZ_CANARY_NR];
extern const char *const vmafuzz_canary_where_names[4];	/* "legacy", ... */

/* Read VMAFUZZ_CANARY once. Returns 0, or -1 naming the unknown canary in *bad. */
int vmafuzz_canary_init(const char **bad);

static inline bool vmafuzz_canary(enum vmafuzz_canary c)
{
	return __builtin_expect(vmafuzz_canaries != 0, 0) && (vmafuzz_canaries >> c & 1);
}

#endif /* VMAFUZZ_CANARY_H */
