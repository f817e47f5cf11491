/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The userspace model of Linux v6.6 VMA handling: types and the internal
 * interface between the files of lib/. Names follow the kernel so the model
 * can be read next to mm/mmap.c (SEMANTICS.md); nothing here is kernel code.
 *
 * Layering (a file uses only what stands below it):
 *   syscalls*.c, fault.c       system calls: range walks, errors, partial effects
 *   callers.c / legacy_callers.c   the two implementations of struct vma_callers
 *   modify.c                   vma_modify() and wrappers (refactored path only)
 *   merge.c split.c munmap.c   the shared core
 *   vma.c anon_vma.c objects.c pages.c
 *   mm.c tree.c                the address space and its ordered tree
 */
#ifndef VMAFUZZ_LIB_MODEL_H
#define VMAFUZZ_LIB_MODEL_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmafuzz/canary.h"
#include "vmafuzz/coverage.h"
#include "vmafuzz/layout.h"
#include "vmafuzz/op.h"

#define __must_check __attribute__((warn_unused_result))
#define __noreturn __attribute__((noreturn))

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PAGE_ALIGN(x) (((x) + PAGE_SIZE - 1) & PAGE_MASK)
/* The window is the whole task: 2^20 pages from address 0. */
#define TASK_SIZE ((unsigned long)VMAFUZZ_WINDOW_PAGES << PAGE_SHIFT)
#define MMAP_MIN_ADDR 0UL
/* mremap's placement rule (SCRIPT-FORMAT.md): lowest gap at or above this. */
#define MREMAP_PLACE_BASE (0x80000UL << PAGE_SHIFT)

/* Object extents (SEMANTICS.md §1.5, "Extents"), in pages. */
#define FILE_EXTENT_PAGES (1ULL << 32)
#define SHM_EXTENT_PAGES (1ULL << 20)

#define VM_NONE		0ULL
#define VM_READ		VMAFUZZ_VM_READ
#define VM_WRITE	VMAFUZZ_VM_WRITE
#define VM_EXEC		VMAFUZZ_VM_EXEC
#define VM_SHARED	VMAFUZZ_VM_SHARED
#define VM_MAYREAD	VMAFUZZ_VM_MAYREAD
#define VM_MAYWRITE	VMAFUZZ_VM_MAYWRITE
#define VM_MAYEXEC	VMAFUZZ_VM_MAYEXEC
#define VM_MAYSHARE	VMAFUZZ_VM_MAYSHARE
#define VM_GROWSDOWN	VMAFUZZ_VM_GROWSDOWN
#define VM_UFFD_MISSING	VMAFUZZ_VM_UFFD_MISSING
#define VM_PFNMAP	VMAFUZZ_VM_PFNMAP
#define VM_UFFD_WP	VMAFUZZ_VM_UFFD_WP
#define VM_LOCKED	VMAFUZZ_VM_LOCKED
#define VM_IO		VMAFUZZ_VM_IO
#define VM_SEQ_READ	VMAFUZZ_VM_SEQ_READ
#define VM_RAND_READ	VMAFUZZ_VM_RAND_READ
#define VM_DONTCOPY	VMAFUZZ_VM_DONTCOPY
#define VM_DONTEXPAND	VMAFUZZ_VM_DONTEXPAND
#define VM_LOCKONFAULT	VMAFUZZ_VM_LOCKONFAULT
#define VM_ACCOUNT	VMAFUZZ_VM_ACCOUNT
#define VM_NORESERVE	VMAFUZZ_VM_NORESERVE
#define VM_HUGETLB	VMAFUZZ_VM_HUGETLB
#define VM_WIPEONFORK	VMAFUZZ_VM_WIPEONFORK
#define VM_DONTDUMP	VMAFUZZ_VM_DONTDUMP
#define VM_SOFTDIRTY	0ULL	/* CONFIG_MEM_SOFT_DIRTY off (DESIGN.md) */
#define VM_MIXEDMAP	VMAFUZZ_VM_MIXEDMAP
#define VM_HUGEPAGE	VMAFUZZ_VM_HUGEPAGE
#define VM_NOHUGEPAGE	VMAFUZZ_VM_NOHUGEPAGE
#define VM_MERGEABLE	VMAFUZZ_VM_MERGEABLE
#define VM_UFFD_MINOR	0ULL	/* not configured */

#define VM_SPECIAL (VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP)
#define VM_ACCESS_FLAGS (VM_READ | VM_WRITE | VM_EXEC)
#define VM_LOCKED_MASK (VM_LOCKED | VM_LOCKONFAULT)
#define __VM_UFFD_FLAGS (VM_UFFD_MISSING | VM_UFFD_WP | VM_UFFD_MINOR)
#define VM_FLAGS_CLEAR 0ULL

#define MAX_ERRNO 4095
#define ERR_PTR(e) ((void *)(long)(e))
#define PTR_ERR(p) ((long)(p))
#define IS_ERR(p) ((unsigned long)(p) >= (unsigned long)-MAX_ERRNO)

#ifndef min
#define min(a, b) ((a) < (b) ? (a) : (b))
#define max(a, b) ((a) > (b) ? (a) : (b))
#endif

struct mm_struct;
struct vm_area_struct;
struct model;

/* ---------------------------------------------------------------- objects */

enum file_kind {
	FILE_REGULAR,	/* file:F / shared-file:F, one open file per script */
	FILE_SHMEM,	/* the object of one shared-anonymous mmap (zero:K) */
	FILE_SHM,	/* one attach of SysV-style segment F */
	FILE_DEVICE,	/* one open of device F */
};

/* An open file description; VMAs compare it by pointer. */
struct file {
	enum file_kind kind;
	unsigned int index;		/* F */
	unsigned long serial;		/* creation order, for reports */
	long refcount;			/* VMA references + the model's own for REGULAR */
	long shm_nattch;		/* FILE_SHM: kept by the open/close hooks */
	unsigned long long extent;	/* pages */
	struct pagemap *shmem_pages;	/* FILE_SHMEM: presence per object page */
	struct model *model;
	struct file *next_file;		/* model->files list */
};

struct vm_operations_struct {
	const char *name;
	void (*open)(struct vm_area_struct *vma);
	void (*close)(struct vm_area_struct *vma);
	int (*may_split)(struct vm_area_struct *vma, unsigned long addr);
};

extern const struct vm_operations_struct file_vm_ops;	/* no hooks */
extern const struct vm_operations_struct shmem_vm_ops;	/* no hooks */
extern const struct vm_operations_struct shm_vm_ops;	/* open, close: nattch */
extern const struct vm_operations_struct device_vm_ops;	/* close, no effect */

/* NULL means the default policy. Each VMA holds its own copy. */
struct mempolicy {
	long refcount;
	enum vmafuzz_policy mode;	/* never DEFAULT */
	int home_node;			/* -1 or 0 */
};

struct anon_vma_name {
	long refcount;
	char name[VMAFUZZ_NAME_MAX + 1];
};

struct userfaultfd_ctx {
	unsigned int id;		/* the script's context number 1..7 */
	unsigned long serial;
	struct mm_struct *mm;
};

struct anon_vma {
	unsigned long serial;		/* never reused: pages remember it */
	long refcount;			/* chain entries that name it */
	struct model *model;
	struct anon_vma *next_av, *prev_av;	/* model->anon_vmas, for checks */
};

/* --------------------------------------------------------------- page state */

/* Per-page state of private memory (per mm) or of a shmem object. */
enum {
	PG_PRESENT = 1,
	PG_WRITTEN = 2,
};

struct page_run {
	unsigned long start, end;	/* page numbers, [start, end) */
	unsigned int state;		/* PG_* */
	unsigned long av_serial;	/* anon_vma a written private page was faulted into */
};

/* Sorted, non-overlapping, coalesced runs of non-zero state. */
struct pagemap {
	unsigned int nr, cap;
	struct page_run *runs;
};

void pagemap_init(struct pagemap *pm);
void pagemap_fini(struct pagemap *pm);
/* State of one page (0 when absent); *av_serial optional. */
unsigned int pagemap_get(const struct pagemap *pm, unsigned long page, unsigned long *av_serial);
/* State of one page, and in *run_end the first page after it whose state may differ. */
unsigned int pagemap_lookup(const struct pagemap *pm, unsigned long page, unsigned long *run_end);
void pagemap_set(struct pagemap *pm, unsigned long start, unsigned long end,
		 unsigned int state, unsigned long av_serial);
void pagemap_clear(struct pagemap *pm, unsigned long start, unsigned long end);
/* Move [src, src+n) to [dst, dst+n) (ranges may overlap); the source is cleared. */
void pagemap_move(struct pagemap *pm, unsigned long src, unsigned long dst, unsigned long n);
/* Copy [start, end) of src into dst (dst range cleared first). */
void pagemap_copy(struct pagemap *dst, const struct pagemap *src, unsigned long start,
		  unsigned long end);

/* ---------------------------------------------------------------- the tree */

/* An AVL node keyed by vm_start; intrusive in the VMA. */
struct vma_node {
	struct vma_node *left, *right, *parent;
	int height;
};

struct vma_tree {
	struct vma_node *root;
};

/* ------------------------------------------------------------------ the VMA */

struct vm_area_struct {
	unsigned long vm_start, vm_end;	/* bytes */
	unsigned long vm_pgoff;		/* pages */
	unsigned long long vm_flags;
	struct mm_struct *vm_mm;
	struct file *vm_file;
	const struct vm_operations_struct *vm_ops;	/* NULL: anonymous */
	struct anon_vma *anon_vma;
	/* The anon_vma_chain, as the list of anon_vmas it links (own one included). */
	struct anon_vma **avc;
	unsigned int avc_count, avc_cap;
	struct mempolicy *vm_policy;
	struct userfaultfd_ctx *vm_userfaultfd_ctx;
	struct anon_vma_name *anon_name;
	unsigned long serial;		/* struct identity, in allocation order */
	struct vma_node node;
};

/* ------------------------------------------------------------ address space */

struct mm_struct {
	struct model *model;
	struct vma_tree tree;
	int map_count;
	long locked_vm, total_vm, committed;	/* pages */
	/*
	 * Pages charged without VM_ACCOUNT on their VMA: the one v6.6 case of
	 * SEMANTICS.md §7.1 (an mremap move whose unmap of the old range
	 * failed leaves the old VMA charged but unflagged; unmapping it later
	 * un-charges nothing). Never reduced; a forked child starts at 0.
	 */
	long committed_excess;
	unsigned long long def_flags;
	unsigned long start_brk, brk;		/* bytes */
	bool brk_set;				/* the first brk statement ran */
	struct userfaultfd_ctx *uffd[VMAFUZZ_MAX_CTX + 1];
	struct pagemap pages;			/* private pages, by page number */
	struct mm_struct *next_mm;		/* model->mms: the current mm first */
};

/* ---------------------------------------------------- the two caller paths */

/*
 * The variation point between the paths (DESIGN.md, "Layers"): one
 * implementation per path, in legacy_callers.c and callers.c, functions in
 * the same order. Each returns 0 or a negative errno and leaves *prev as the
 * kernel function of that path leaves it.
 */
struct vma_callers {
	const char *name;
	enum vmafuzz_path path;
	int (*mprotect_fixup)(struct vm_area_struct *vma, struct vm_area_struct **pprev,
			      unsigned long start, unsigned long end,
			      unsigned long long newflags);
	int (*madvise_update_vma)(struct vm_area_struct *vma, struct vm_area_struct **prev,
				  unsigned long start, unsigned long end,
				  unsigned long long new_flags, struct anon_vma_name *anon_name);
	int (*mlock_fixup)(struct vm_area_struct *vma, struct vm_area_struct **prev,
			   unsigned long start, unsigned long end, unsigned long long newflags);
	int (*mbind_range)(struct vm_area_struct *vma, struct vm_area_struct **prev,
			   unsigned long start, unsigned long end, struct mempolicy *new_pol);
	/*
	 * One VMA of userfaultfd_register()'s or _unregister()'s second pass:
	 * [start, vma_end) of vma, end is the ioctl's global end. ctx NULL
	 * unregisters. On success *prev is the VMA now covering the range.
	 */
	int (*userfaultfd_register_range)(struct vm_area_struct *vma,
					  struct vm_area_struct **prev, unsigned long start,
					  unsigned long vma_end, unsigned long end,
					  unsigned long long new_flags,
					  struct userfaultfd_ctx *ctx);
	/* One VMA of userfaultfd_release(): returns the VMA that now covers it. */
	struct vm_area_struct *(*userfaultfd_release_vma)(struct vm_area_struct *vma,
							  struct vm_area_struct **prev);
	/* mremap: copy_vma(); NULL on failure. */
	struct vm_area_struct *(*copy_vma)(struct vm_area_struct **vmap, unsigned long addr,
					   unsigned long len, unsigned long pgoff,
					   bool *need_rmap_locks);
	/*
	 * mremap expand in place: the merge that grows vma by delta bytes, or
	 * NULL. [addr, addr + old_len) is the old range; it ends at vm_end.
	 */
	struct vm_area_struct *(*mremap_expand)(struct vm_area_struct *vma, unsigned long addr,
						unsigned long old_len, unsigned long delta);
	/* mmap_region(): the merge after the driver hook changed the flags, or NULL. */
	struct vm_area_struct *(*mmap_post_driver_merge)(struct vm_area_struct *prev,
							 struct vm_area_struct *vma);
};

extern const struct vma_callers legacy_callers;
extern const struct vma_callers refactored_callers;

/* -------------------------------------------------------------- the model */

/* A growable vector of pointers (the invariant checker's scratch space). */
struct ptrvec {
	size_t nr, cap;
	const void **p;
};

/* Call a function of the path's callers table, counting it for coverage. */
#define call_caller(m, id, fn, ...) \
	((m)->stats.caller[(m)->callers->path][VMAFUZZ_CALLER_##id]++, \
	 (m)->callers->fn(__VA_ARGS__))

struct model {
	const struct vma_callers *callers;
	struct mm_struct *mm;		/* the current address space (head of mms) */
	struct mm_struct *mms;		/* every live address space */
	struct file *files;		/* every live file */
	struct file *regular[VMAFUZZ_MAX_FILE + 1];	/* opened once per script */
	struct anon_vma av_head;	/* list of live anon_vmas */
	unsigned int shm_attaches[VMAFUZZ_MAX_FILE + 1];	/* attaches made so far */
	unsigned int dev_opens[VMAFUZZ_MAX_FILE + 1];
	unsigned long serial;		/* next object serial */
	int max_map_count;
	unsigned long fail_countdown[VMAFUZZ_FAIL_NR];	/* 0: not armed */
	long nr_ctx;			/* live userfaultfd contexts */
	char warn[256];			/* the first VM_WARN_ON hit, "" if none */
	bool decision_on;		/* predict every vma_merge() (oracle check 6) */
	char decision_msg[256];		/* the first wrong merge decision, "" if none */
	struct vmafuzz_coverage stats;	/* added to vmafuzz_coverage_total at teardown */
	/*
	 * Scratch space of the layout and the checks, kept from one call to
	 * the next so that the oracle does not allocate after every op.
	 */
	struct {
		unsigned int cap;
		const void **key;
		unsigned int *val;
	} idmap;
	struct ptrvec scratch[5];
};

/* model.c */
struct model *model_new(const struct vma_callers *callers);
void model_free(struct model *m);
/* Fault injection: true when this event must fail (SCRIPT-FORMAT.md, "Fault injection"). */
bool model_should_fail(struct model *m, enum vmafuzz_fail_kind kind);
int model_apply(struct model *m, const struct vmafuzz_op *op);
/*
 * A kernel VM_WARN_ON: the model records the first one and goes on, as the
 * kernel does; the invariant check reports it after the operation.
 */
void model_warn(struct model *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* tree.c: O(log n) ordered VMA tree, keyed by vm_start */
void vma_tree_insert(struct vma_tree *t, struct vm_area_struct *vma);
void vma_tree_erase(struct vma_tree *t, struct vm_area_struct *vma);
struct vm_area_struct *vma_tree_first(const struct vma_tree *t);
struct vm_area_struct *vma_tree_last(const struct vma_tree *t);
struct vm_area_struct *vma_tree_next(const struct vm_area_struct *vma);
struct vm_area_struct *vma_tree_prev(const struct vm_area_struct *vma);
/* The first VMA with vm_end > addr (find_vma). */
struct vm_area_struct *vma_tree_find(const struct vma_tree *t, unsigned long addr);

/* mm.c: lookups on an address space */
struct mm_struct *mm_alloc(struct model *m);
void mm_free(struct mm_struct *mm);	/* unmaps everything, frees contexts */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
/* The VMA containing addr, or NULL. */
struct vm_area_struct *vma_lookup(struct mm_struct *mm, unsigned long addr);
/* The first VMA intersecting [start, end), or NULL. */
struct vm_area_struct *find_vma_intersection(struct mm_struct *mm, unsigned long start,
					     unsigned long end);
/* find_vma(addr), with *pprev the VMA before it (the last VMA when there is none). */
struct vm_area_struct *find_vma_prev(struct mm_struct *mm, unsigned long addr,
				     struct vm_area_struct **pprev);
struct vm_area_struct *vma_next(struct vm_area_struct *vma);
struct vm_area_struct *vma_prev(struct vm_area_struct *vma);
void vma_link(struct mm_struct *mm, struct vm_area_struct *vma);	/* map_count += 1 */
void vma_unlink(struct mm_struct *mm, struct vm_area_struct *vma);	/* map_count -= 1 */
/* Move vm_start of a linked VMA (re-keys the tree). */
void vma_set_range(struct vm_area_struct *vma, unsigned long start, unsigned long end,
		   unsigned long pgoff);
void vm_stat_account(struct mm_struct *mm, unsigned long long flags, long npages);

/* vma.c: allocation, duplication and release of VMA structs */
/* vm_area_alloc(): honours `fail alloc` (returns NULL). */
struct vm_area_struct *vm_area_alloc(struct mm_struct *mm);
/* A field-by-field copy with new references (file get, policy dup, name get,
 * anon chain clone); the open hook is not called. NULL on `fail alloc`. */
struct vm_area_struct *vm_area_dup(struct vm_area_struct *orig);
/* Drop every reference, calling the close hook when call_close; free. */
void vm_area_free_full(struct vm_area_struct *vma, bool call_close);
void vm_area_free(struct vm_area_struct *vma);	/* the struct only */
static inline unsigned long vma_pages(const struct vm_area_struct *vma)
{
	return (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
}
static inline bool vma_is_anonymous(const struct vm_area_struct *vma)
{
	return vma->vm_ops == NULL;
}
static inline bool vma_is_shmem(const struct vm_area_struct *vma)
{
	return vma->vm_ops == &shmem_vm_ops;
}
static inline bool vma_has_close(const struct vm_area_struct *vma)
{
	return vma->vm_ops && vma->vm_ops->close;
}

/* objects.c */
/* A new open file; the caller owns the one reference it returns with. */
struct file *file_open(struct model *m, enum file_kind kind, unsigned int index,
		       unsigned long long extent);
struct file *get_file(struct file *f);
void fput(struct file *f);
struct mempolicy *mpol_new(enum vmafuzz_policy mode);	/* NULL for DEFAULT */
struct mempolicy *mpol_dup(struct mempolicy *pol);	/* NULL stays NULL */
void mpol_put(struct mempolicy *pol);
bool mpol_equal(const struct mempolicy *a, const struct mempolicy *b);

/* lib/features.c: count mm's layout features, if vmafuzz_features is set. */
void vmafuzz_count_layout_features(const struct mm_struct *mm);
struct anon_vma_name *anon_vma_name_alloc(const char *name);
struct anon_vma_name *anon_vma_name_get(struct anon_vma_name *n);	/* NULL ok */
void anon_vma_name_put(struct anon_vma_name *n);			/* NULL ok */
bool anon_vma_name_eq(const struct anon_vma_name *a, const struct anon_vma_name *b);
/* Replace vma->anon_name (the madvise rule: equal names are left alone). */
void replace_anon_vma_name(struct vm_area_struct *vma, struct anon_vma_name *n);
/* The script's one open file description of regular file F (no reference taken). */
struct file *model_regular_file(struct model *m, unsigned int f);
/* The mm's context CTX, created on first use. */
struct userfaultfd_ctx *uffd_ctx_get(struct mm_struct *mm, unsigned int id);

/* anon_vma.c (SEMANTICS.md §1.4) */
/* Create or reuse (find_mergeable_anon_vma) the anon_vma of a faulting VMA. */
void anon_vma_prepare(struct vm_area_struct *vma);
/* Give dst a copy of src's chain (split, dup_anon_vma, copy_vma). */
int anon_vma_clone(struct vm_area_struct *dst, struct vm_area_struct *src);
/* The child's chain at fork: the parent's entries plus a new anon_vma. */
int anon_vma_fork(struct vm_area_struct *vma, struct vm_area_struct *pvma);
/* Drop the chain; vma->anon_vma becomes NULL. */
void unlink_anon_vmas(struct vm_area_struct *vma);
bool is_mergeable_anon_vma(const struct anon_vma *a_in, const struct anon_vma *a_tgt,
			   const struct vm_area_struct *tgt);
static inline bool avc_is_singular(const struct vm_area_struct *vma)
{
	return vma->avc_count == 1;
}

/* split.c (SEMANTICS.md §4.1) */
int __must_check __split_vma(struct vm_area_struct *vma, unsigned long addr, int new_below);
int __must_check split_vma(struct vm_area_struct *vma, unsigned long addr, int new_below);

/* merge.c (SEMANTICS.md §2, §3, §4.2) */
bool is_mergeable_vma(const struct vm_area_struct *vma, const struct file *file,
		      unsigned long long vm_flags, const struct userfaultfd_ctx *uffd,
		      const struct anon_vma_name *anon_name, bool may_remove_vma);
bool can_vma_merge_before(const struct vm_area_struct *vma, unsigned long long vm_flags,
			  const struct anon_vma *anon_vma, const struct file *file,
			  unsigned long vm_pgoff, const struct userfaultfd_ctx *uffd,
			  const struct anon_vma_name *anon_name);
bool can_vma_merge_after(const struct vm_area_struct *vma, unsigned long long vm_flags,
			 const struct anon_vma *anon_vma, const struct file *file,
			 unsigned long vm_pgoff, const struct userfaultfd_ctx *uffd,
			 const struct anon_vma_name *anon_name);
struct vm_area_struct *vma_merge(struct mm_struct *mm, struct vm_area_struct *prev,
				 unsigned long addr, unsigned long end,
				 unsigned long long vm_flags, struct anon_vma *anon_vma,
				 struct file *file, unsigned long pgoff, struct mempolicy *policy,
				 struct userfaultfd_ctx *uffd, struct anon_vma_name *anon_name);
int __must_check vma_expand(struct vm_area_struct *vma, unsigned long start, unsigned long end,
			    unsigned long pgoff, struct vm_area_struct *next);

/* munmap.c (SEMANTICS.md §4.4, counters of §7.1) */
int __must_check do_munmap(struct mm_struct *mm, unsigned long start, unsigned long len);
/* Remove one whole VMA: counters, pages, close hook, references. */
void remove_vma_range(struct vm_area_struct *vma);

/* modify.c (SEMANTICS.md §6.2–6.5): the refactored path's helpers */
struct vm_area_struct *vma_modify(struct vm_area_struct *prev, struct vm_area_struct *vma,
				  unsigned long start, unsigned long end,
				  unsigned long long vm_flags, struct mempolicy *policy,
				  struct userfaultfd_ctx *uffd_ctx,
				  struct anon_vma_name *anon_name);
struct vm_area_struct *vma_modify_flags(struct vm_area_struct *prev, struct vm_area_struct *vma,
					unsigned long start, unsigned long end,
					unsigned long long new_flags);
struct vm_area_struct *vma_modify_flags_name(struct vm_area_struct *prev,
					     struct vm_area_struct *vma, unsigned long start,
					     unsigned long end, unsigned long long new_flags,
					     struct anon_vma_name *new_name);
struct vm_area_struct *vma_modify_policy(struct vm_area_struct *prev, struct vm_area_struct *vma,
					 unsigned long start, unsigned long end,
					 struct mempolicy *new_pol);
struct vm_area_struct *vma_modify_flags_uffd(struct vm_area_struct *prev,
					     struct vm_area_struct *vma, unsigned long start,
					     unsigned long end, unsigned long long new_flags,
					     struct userfaultfd_ctx *new_ctx);
struct vm_area_struct *vma_merge_new_vma(struct vm_area_struct *prev, struct vm_area_struct *vma,
					 unsigned long start, unsigned long end,
					 unsigned long pgoff);
struct vm_area_struct *vma_merge_extend(struct vm_area_struct *vma, unsigned long delta);

/* Shared pieces the callers of both paths use (callers_common.c). */
int vma_replace_policy(struct vm_area_struct *vma, struct mempolicy *pol);
/* mprotect_fixup's tail after the merge-or-split (flags, populate). */
void mprotect_apply(struct vm_area_struct *vma, unsigned long start, unsigned long end,
		    unsigned long long oldflags, unsigned long long newflags);
/* madvise_update_vma's tail: flags, and the name on anonymous or anon-shmem VMAs. */
void madvise_apply(struct vm_area_struct *vma, unsigned long long new_flags,
		   struct anon_vma_name *anon_name);
/* mlock_fixup's bookkeeping and flag write on the final VMA. */
void mlock_apply(struct vm_area_struct *vma, unsigned long start, unsigned long end,
		 unsigned long long oldflags, unsigned long long newflags);
bool vm_account_charge(struct mm_struct *mm, long pages);	/* always succeeds */
void vm_unacct_memory(struct mm_struct *mm, long pages);

/* fault.c (SEMANTICS.md §1.5, SCRIPT-FORMAT.md "Faults") */
/* One fault at addr; 0 or -EFAULT. */
int handle_mm_fault(struct mm_struct *mm, unsigned long addr, bool write);
/* Populate [start, end) (mm_populate); ignore_errors as the caller does. */
int populate_range(struct mm_struct *mm, unsigned long start, unsigned long end,
		   bool ignore_errors);
/* populate_vma_page_range: one VMA, [start, end) inside it. */
int populate_vma_page_range(struct vm_area_struct *vma, unsigned long start, unsigned long end);

/* syscalls: each returns 0 or a negative errno (SEMANTICS.md §5, §7) */
int sys_mmap(struct mm_struct *mm, const struct vmafuzz_op *op);
int sys_munmap(struct mm_struct *mm, unsigned long start, unsigned long len);
int sys_mprotect(struct mm_struct *mm, unsigned long start, unsigned long len,
		 unsigned long long prot);
int sys_madvise(struct mm_struct *mm, unsigned long start, unsigned long len,
		enum vmafuzz_advice advice);
int sys_set_anon_name(struct mm_struct *mm, unsigned long start, unsigned long len,
		      const char *name);
int sys_mlock(struct mm_struct *mm, unsigned long start, unsigned long len, bool onfault);
int sys_munlock(struct mm_struct *mm, unsigned long start, unsigned long len);
int sys_mlockall(struct mm_struct *mm, unsigned int flags);
int sys_munlockall(struct mm_struct *mm);
int sys_mbind(struct mm_struct *mm, unsigned long start, unsigned long len,
	      enum vmafuzz_policy mode);
int sys_set_mempolicy_home_node(struct mm_struct *mm, unsigned long start,
				unsigned long len);
int sys_uffd_register(struct mm_struct *mm, unsigned long start, unsigned long len,
		      unsigned int ctx, unsigned int mode);
int sys_uffd_unregister(struct mm_struct *mm, unsigned long start, unsigned long len,
			unsigned int ctx);
int sys_uffd_close(struct mm_struct *mm, unsigned int ctx);
int sys_mremap(struct mm_struct *mm, unsigned long addr, unsigned long old_len,
	       unsigned long new_len, unsigned int flags, unsigned long new_addr);
int sys_brk(struct mm_struct *mm, unsigned long brk);
/* touch: start in bytes, npages pages from it. */
int sys_touch(struct mm_struct *mm, unsigned long start, unsigned long npages, bool write);
/* fork: on success model->mm becomes the child. */
int sys_fork(struct model *m);

/* decision.c: the merge-decision check (DESIGN.md, oracle check 6) */
/* The case (1-8) or 0 (no merge) the case table predicts for these inputs. */
int merge_decision_predict(struct mm_struct *mm, struct vm_area_struct *prev,
			   unsigned long addr, unsigned long end, unsigned long long vm_flags,
			   struct anon_vma *anon_vma, struct file *file, unsigned long pgoff,
			   struct mempolicy *policy, struct userfaultfd_ctx *uffd,
			   struct anon_vma_name *anon_name);
/* Remember the first call whose case differs from the prediction (-1: none made). */
void merge_decision_record(struct model *m, int predicted, int taken, unsigned long addr,
			   unsigned long end);
int model_check_decision(struct model *m, char *msg, size_t sz);

/* rmap.c: every written private page's anon_vma is in its VMA's chain (check 5) */
int model_check_rmap(struct model *m, char *msg, size_t sz);

/* check.c: invariants (DESIGN.md, oracle check 3) */
int model_check_invariants(struct model *m, char *msg, size_t sz);
/* layout.c helpers for the model */
void model_layout(struct model *m, struct vmafuzz_layout *out);

#endif /* VMAFUZZ_LIB_MODEL_H */
