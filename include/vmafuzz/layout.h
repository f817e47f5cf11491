/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The canonical layout of an address space: what the oracle compares between
 * targets and what `expect` blocks describe (SCRIPT-FORMAT.md, "Expectations").
 * Object identities are renumbered by first appearance in address order, so
 * two targets that built the same layout through different structs compare
 * equal.
 */
#ifndef VMAFUZZ_LAYOUT_H
#define VMAFUZZ_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vmafuzz/op.h"

/* Linux v6.6 VM_* bits (SEMANTICS.md §1.2); the layout carries raw flags. */
#define VMAFUZZ_VM_READ		0x00000001ull
#define VMAFUZZ_VM_WRITE	0x00000002ull
#define VMAFUZZ_VM_EXEC		0x00000004ull
#define VMAFUZZ_VM_SHARED	0x00000008ull
#define VMAFUZZ_VM_MAYREAD	0x00000010ull
#define VMAFUZZ_VM_MAYWRITE	0x00000020ull
#define VMAFUZZ_VM_MAYEXEC	0x00000040ull
#define VMAFUZZ_VM_MAYSHARE	0x00000080ull
#define VMAFUZZ_VM_GROWSDOWN	0x00000100ull
#define VMAFUZZ_VM_UFFD_MISSING	0x00000200ull
#define VMAFUZZ_VM_PFNMAP	0x00000400ull
#define VMAFUZZ_VM_UFFD_WP	0x00001000ull
#define VMAFUZZ_VM_LOCKED	0x00002000ull
#define VMAFUZZ_VM_IO		0x00004000ull
#define VMAFUZZ_VM_SEQ_READ	0x00008000ull
#define VMAFUZZ_VM_RAND_READ	0x00010000ull
#define VMAFUZZ_VM_DONTCOPY	0x00020000ull
#define VMAFUZZ_VM_DONTEXPAND	0x00040000ull
#define VMAFUZZ_VM_LOCKONFAULT	0x00080000ull
#define VMAFUZZ_VM_ACCOUNT	0x00100000ull
#define VMAFUZZ_VM_NORESERVE	0x00200000ull
#define VMAFUZZ_VM_HUGETLB	0x00400000ull
#define VMAFUZZ_VM_SYNC		0x00800000ull
#define VMAFUZZ_VM_WIPEONFORK	0x02000000ull
#define VMAFUZZ_VM_DONTDUMP	0x04000000ull
#define VMAFUZZ_VM_MIXEDMAP	0x10000000ull
#define VMAFUZZ_VM_HUGEPAGE	0x20000000ull
#define VMAFUZZ_VM_NOHUGEPAGE	0x40000000ull
#define VMAFUZZ_VM_MERGEABLE	0x80000000ull

/* The `flags=` names, in the order they are printed (smaps VmFlags). */
#define VMAFUZZ_FLAG_NAMES(X)                  \
	X("gd", VMAFUZZ_VM_GROWSDOWN)          \
	X("um", VMAFUZZ_VM_UFFD_MISSING)       \
	X("pf", VMAFUZZ_VM_PFNMAP)             \
	X("uw", VMAFUZZ_VM_UFFD_WP)            \
	X("lo", VMAFUZZ_VM_LOCKED)             \
	X("io", VMAFUZZ_VM_IO)                 \
	X("sr", VMAFUZZ_VM_SEQ_READ)           \
	X("rr", VMAFUZZ_VM_RAND_READ)          \
	X("dc", VMAFUZZ_VM_DONTCOPY)           \
	X("de", VMAFUZZ_VM_DONTEXPAND)         \
	X("lf", VMAFUZZ_VM_LOCKONFAULT)        \
	X("ac", VMAFUZZ_VM_ACCOUNT)            \
	X("nr", VMAFUZZ_VM_NORESERVE)          \
	X("wf", VMAFUZZ_VM_WIPEONFORK)         \
	X("dd", VMAFUZZ_VM_DONTDUMP)           \
	X("hg", VMAFUZZ_VM_HUGEPAGE)           \
	X("nh", VMAFUZZ_VM_NOHUGEPAGE)         \
	X("mg", VMAFUZZ_VM_MERGEABLE)

/* Backing object kinds, as the file= key spells them. */
enum vmafuzz_obj {
	VMAFUZZ_OBJ_ANON,	/* file=-      */
	VMAFUZZ_OBJ_FILE,	/* file=F      */
	VMAFUZZ_OBJ_SHM,	/* file=shm:F.A */
	VMAFUZZ_OBJ_DEV,	/* file=dev:F.A */
	VMAFUZZ_OBJ_ZERO,	/* file=zero:K  */
};

struct vmafuzz_lvma {
	uint32_t start, end;	/* pages */
	uint64_t pgoff;
	uint64_t flags;		/* raw VM_* bits, MAY bits included */
	uint8_t obj;		/* enum vmafuzz_obj */
	uint8_t file;		/* F for FILE, SHM, DEV */
	uint16_t inst;		/* A for SHM and DEV, K for ZERO, renumbered */
	uint16_t av;		/* 0 none, else K-th distinct anon_vma */
	bool av_forked;		/* chain length >= 2 */
	uint8_t pol;		/* enum vmafuzz_policy, DEFAULT for none */
	bool pol_home;		/* home node 0 set */
	uint8_t uffd;		/* context number, 0 for none */
	char name[VMAFUZZ_NAME_MAX + 1];	/* "" for none */
};

struct vmafuzz_counters {
	int64_t map_count;
	int64_t locked_vm;
	int64_t total_vm;
	int64_t committed;
};

struct vmafuzz_layout {
	unsigned int nr, cap;
	struct vmafuzz_lvma *v;
	struct vmafuzz_counters c;
};

/* Which keys an expect line (or expect-counters) names; left-out keys are not checked. */
enum {
	VMAFUZZ_KEY_PGOFF = 1u << 0,
	VMAFUZZ_KEY_FILE = 1u << 1,
	VMAFUZZ_KEY_AV = 1u << 2,
	VMAFUZZ_KEY_FLAGS = 1u << 3,
	VMAFUZZ_KEY_POL = 1u << 4,
	VMAFUZZ_KEY_UFFD = 1u << 5,
	VMAFUZZ_KEY_NAME = 1u << 6,
	VMAFUZZ_KEY_ALL = (1u << 7) - 1,
};

enum {
	VMAFUZZ_CNT_MAP_COUNT = 1u << 0,
	VMAFUZZ_CNT_LOCKED_VM = 1u << 1,
	VMAFUZZ_CNT_TOTAL_VM = 1u << 2,
	VMAFUZZ_CNT_COMMITTED = 1u << 3,
	VMAFUZZ_CNT_ALL = (1u << 4) - 1,
};

/* The flags that flags= names (VMAFUZZ_FLAG_NAMES). */
#define VMAFUZZ_VM_NAMED (VMAFUZZ_VM_GROWSDOWN | VMAFUZZ_VM_UFFD_MISSING | VMAFUZZ_VM_PFNMAP |    \
			  VMAFUZZ_VM_UFFD_WP | VMAFUZZ_VM_LOCKED | VMAFUZZ_VM_IO |             \
			  VMAFUZZ_VM_SEQ_READ | VMAFUZZ_VM_RAND_READ | VMAFUZZ_VM_DONTCOPY |    \
			  VMAFUZZ_VM_DONTEXPAND | VMAFUZZ_VM_LOCKONFAULT | VMAFUZZ_VM_ACCOUNT | \
			  VMAFUZZ_VM_NORESERVE | VMAFUZZ_VM_WIPEONFORK | VMAFUZZ_VM_DONTDUMP |  \
			  VMAFUZZ_VM_HUGEPAGE | VMAFUZZ_VM_NOHUGEPAGE | VMAFUZZ_VM_MERGEABLE)

/* The flags that perms and flags= do not show (fixed by the mapping kind). */
#define VMAFUZZ_VM_HIDDEN (VMAFUZZ_VM_MAYREAD | VMAFUZZ_VM_MAYWRITE | \
			   VMAFUZZ_VM_MAYEXEC | VMAFUZZ_VM_SHARED)

void vmafuzz_layout_init(struct vmafuzz_layout *l);
void vmafuzz_layout_fini(struct vmafuzz_layout *l);
void vmafuzz_layout_clear(struct vmafuzz_layout *l);
/* Never NULL: aborts when memory runs out. The new entry is zeroed. */
struct vmafuzz_lvma *vmafuzz_layout_push(struct vmafuzz_layout *l);
/*
 * Renumber av, inst of ZERO/SHM/DEV by first appearance in address order
 * (SHM and DEV per file F); av 0 stays 0. Fields that mean nothing for the
 * object kind (file of ANON/ZERO, inst of ANON/FILE) are zeroed. Idempotent.
 */
void vmafuzz_layout_canonicalize(struct vmafuzz_layout *l);

/* Every field of two VMA lines equal (what vmafuzz_layout_diff compares). */
bool vmafuzz_lvma_equal(const struct vmafuzz_lvma *a, const struct vmafuzz_lvma *b);
/* Index of the first differing VMA line, nr if the lines agree; -1 if equal. */
long vmafuzz_layout_diff(const struct vmafuzz_layout *a, const struct vmafuzz_layout *b);
bool vmafuzz_counters_equal(const struct vmafuzz_counters *a, const struct vmafuzz_counters *b);

/* Print one VMA line in expect syntax, every key present. */
int vmafuzz_lvma_format(char *buf, size_t sz, const struct vmafuzz_lvma *v);
int vmafuzz_counters_format(char *buf, size_t sz, const struct vmafuzz_counters *c);
/*
 * The same with only the keys in mask (VMAFUZZ_KEY_* / VMAFUZZ_CNT_*), as an
 * expect line of a script names them. Like snprintf: returns the length the
 * whole line needs; VMAFUZZ_LINE_MAX always suffices.
 */
int vmafuzz_lvma_format_keys(char *buf, size_t sz, const struct vmafuzz_lvma *v,
			     unsigned int mask);
int vmafuzz_counters_format_keys(char *buf, size_t sz, const struct vmafuzz_counters *c,
				 unsigned int mask);
#define VMAFUZZ_LINE_MAX 320
/* Print a whole layout as an expect block plus expect-counters. */
void vmafuzz_layout_print(FILE *f, const struct vmafuzz_layout *l, const char *indent);
/* Two layouts side by side, the first differing line marked with '>'. */
void vmafuzz_layout_print_diff(FILE *f, const char *name_a, const struct vmafuzz_layout *a,
			       const char *name_b, const struct vmafuzz_layout *b);

/* Does VMA v match the expected line e, comparing only the keys in mask? */
bool vmafuzz_lvma_matches(const struct vmafuzz_lvma *v, const struct vmafuzz_lvma *e,
			  unsigned int mask);

#endif /* VMAFUZZ_LAYOUT_H */
