/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one table of operations: every statement of SCRIPT-FORMAT.md that acts
 * on an address space. The parser, the printer, the decoder and the targets
 * all read this table, so adding an operation is one line here plus its
 * semantics in lib/.
 *
 * Addresses and lengths are in pages, relative to the window start (page 0
 * is address 0 in the model). Results are 0 or a negative errno.
 */
#ifndef VMAFUZZ_OP_H
#define VMAFUZZ_OP_H

#include <stdbool.h>
#include <stdint.h>

#define VMAFUZZ_WINDOW_PAGES (1u << 20)
#define VMAFUZZ_NAME_MAX 32
#define VMAFUZZ_MAX_CTX 7	/* userfaultfd contexts 1..7 */
#define VMAFUZZ_MAX_FILE 7	/* files, segments, devices 0..7 */
#define VMAFUZZ_DEFAULT_MAX_MAP_COUNT 65530

/* X(ENUM, "script word") */
#define VMAFUZZ_OPS(X)                         \
	X(MMAP, "mmap")                        \
	X(MUNMAP, "munmap")                    \
	X(MPROTECT, "mprotect")                \
	X(MADVISE, "madvise")                  \
	X(MLOCK, "mlock")                      \
	X(MUNLOCK, "munlock")                  \
	X(MLOCKALL, "mlockall")                \
	X(MUNLOCKALL, "munlockall")            \
	X(MBIND, "mbind")                      \
	X(HOME_NODE, "home-node")              \
	X(NAME, "name")                        \
	X(UFFD_REGISTER, "uffd-register")      \
	X(UFFD_UNREGISTER, "uffd-unregister")  \
	X(UFFD_CLOSE, "uffd-close")            \
	X(MREMAP, "mremap")                    \
	X(BRK, "brk")                          \
	X(TOUCH, "touch")                      \
	X(FORK, "fork")                        \
	X(FAIL, "fail")                        \
	X(MAX_MAP_COUNT, "max-map-count")      \
	X(DUMP, "dump")

enum vmafuzz_op_kind {
#define X(e, s) VMAFUZZ_OP_##e,
	VMAFUZZ_OPS(X)
#undef X
	VMAFUZZ_OP_NR
};

/* PROT, as three characters "rwx" in a script. */
enum {
	VMAFUZZ_PROT_READ = 1,
	VMAFUZZ_PROT_WRITE = 2,
	VMAFUZZ_PROT_EXEC = 4,
};

/* mmap KIND */
#define VMAFUZZ_KINDS(X)               \
	X(ANON, "anon")                \
	X(SHARED_ANON, "shared-anon")  \
	X(FILE, "file")                \
	X(SHARED_FILE, "shared-file")  \
	X(SHM, "shm")                  \
	X(DEVICE, "device")

enum vmafuzz_kind {
#define X(e, s) VMAFUZZ_KIND_##e,
	VMAFUZZ_KINDS(X)
#undef X
	VMAFUZZ_KIND_NR
};

/* mmap OPT bits, in the order a printer writes them */
#define VMAFUZZ_MMAP_OPTS(X)            \
	X(NOREPLACE, "noreplace", 0x01) \
	X(NORESERVE, "noreserve", 0x02) \
	X(LOCKED, "locked", 0x04)       \
	X(POPULATE, "populate", 0x08)   \
	X(STACK, "stack", 0x10)         \
	X(GROWSDOWN, "growsdown", 0x20)

enum {
#define X(e, s, v) VMAFUZZ_MMAP_##e = v,
	VMAFUZZ_MMAP_OPTS(X)
#undef X
};

/* madvise ADVICE */
#define VMAFUZZ_ADVICES(X)              \
	X(DONTFORK, "dontfork")         \
	X(DOFORK, "dofork")             \
	X(DONTDUMP, "dontdump")         \
	X(DODUMP, "dodump")             \
	X(HUGEPAGE, "hugepage")         \
	X(NOHUGEPAGE, "nohugepage")     \
	X(MERGEABLE, "mergeable")       \
	X(UNMERGEABLE, "unmergeable")   \
	X(WIPEONFORK, "wipeonfork")     \
	X(KEEPONFORK, "keeponfork")     \
	X(SEQUENTIAL, "sequential")     \
	X(RANDOM, "random")             \
	X(NORMAL, "normal")

enum vmafuzz_advice {
#define X(e, s) VMAFUZZ_ADV_##e,
	VMAFUZZ_ADVICES(X)
#undef X
	VMAFUZZ_ADV_NR
};

/* mbind POLICY (and the pol= key of expect) */
#define VMAFUZZ_POLICIES(X)             \
	X(DEFAULT, "default")           \
	X(BIND, "bind")                 \
	X(INTERLEAVE, "interleave")     \
	X(PREFERRED, "preferred")       \
	X(LOCAL, "local")

enum vmafuzz_policy {
#define X(e, s) VMAFUZZ_POL_##e,
	VMAFUZZ_POLICIES(X)
#undef X
	VMAFUZZ_POL_NR
};

/* uffd-register MODE bits */
enum {
	VMAFUZZ_UFFD_MISSING = 1,
	VMAFUZZ_UFFD_WP = 2,
};

/* mremap option bits */
enum {
	VMAFUZZ_MREMAP_MAYMOVE = 1,
	VMAFUZZ_MREMAP_FIXED = 2,	/* fixed=NEW: newaddr is valid */
	VMAFUZZ_MREMAP_DONTUNMAP = 4,
};

/* mlockall flags */
enum {
	VMAFUZZ_MCL_CURRENT = 1,
	VMAFUZZ_MCL_FUTURE = 2,
	VMAFUZZ_MCL_ONFAULT = 4,
};

/* fail KIND */
#define VMAFUZZ_FAILS(X)        \
	X(SPLIT, "split")       \
	X(MERGE, "merge")       \
	X(ALLOC, "alloc")

enum vmafuzz_fail_kind {
#define X(e, s) VMAFUZZ_FAIL_##e,
	VMAFUZZ_FAILS(X)
#undef X
	VMAFUZZ_FAIL_NR
};

/*
 * One operation. Which fields mean something depends on the kind:
 *   mmap            addr len prot kind file pgoff flags(VMAFUZZ_MMAP_*)
 *   munmap          addr len
 *   mprotect        addr len prot
 *   madvise         addr len advice
 *   mlock           addr len flags(1 = onfault);  munlock addr len
 *   mlockall        flags(VMAFUZZ_MCL_*);  munlockall
 *   mbind           addr len policy;  home-node addr len
 *   name            addr len name ("" clears)
 *   uffd-register   addr len ctx mode;  uffd-unregister addr len ctx
 *   uffd-close      ctx
 *   mremap          addr len(old) newlen newaddr flags(VMAFUZZ_MREMAP_*)
 *   brk             addr (the new break, in pages)
 *   touch           addr len flags(1 = read)
 *   fail            fail count
 *   max-map-count   count
 */
struct vmafuzz_op {
	enum vmafuzz_op_kind op;
	uint32_t addr;
	uint32_t len;
	uint32_t newlen;
	uint32_t newaddr;
	uint32_t flags;
	uint32_t count;
	uint64_t pgoff;
	uint8_t prot;
	uint8_t kind;
	uint8_t file;
	uint8_t advice;
	uint8_t policy;
	uint8_t ctx;
	uint8_t mode;
	uint8_t fail;
	char name[VMAFUZZ_NAME_MAX + 1];
};

/* Whether an operation acts on a range: its addr and len are pages. */
static inline bool vmafuzz_op_has_range(enum vmafuzz_op_kind k)
{
	switch (k) {
	case VMAFUZZ_OP_MLOCKALL:
	case VMAFUZZ_OP_MUNLOCKALL:
	case VMAFUZZ_OP_UFFD_CLOSE:
	case VMAFUZZ_OP_BRK:
	case VMAFUZZ_OP_FORK:
	case VMAFUZZ_OP_FAIL:
	case VMAFUZZ_OP_MAX_MAP_COUNT:
	case VMAFUZZ_OP_DUMP:
	case VMAFUZZ_OP_NR:
		return false;
	default:
		return true;
	}
}

/* Whether an operation has an address: a range, or brk's new break. */
static inline bool vmafuzz_op_has_addr(enum vmafuzz_op_kind k)
{
	return vmafuzz_op_has_range(k) || k == VMAFUZZ_OP_BRK;
}

extern const char *const vmafuzz_op_names[VMAFUZZ_OP_NR];
extern const char *const vmafuzz_kind_names[VMAFUZZ_KIND_NR];
extern const char *const vmafuzz_advice_names[VMAFUZZ_ADV_NR];
extern const char *const vmafuzz_policy_names[VMAFUZZ_POL_NR];
extern const char *const vmafuzz_fail_names[VMAFUZZ_FAIL_NR];

#endif /* VMAFUZZ_OP_H */
