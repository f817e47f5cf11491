/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the VMA unit tests (test_tree, test_merge, test_split,
 * test_anon_vma, test_callers), in the manner of the kernel's
 * tools/testing/vma: VMAs are allocated and linked by hand, then the
 * function under test is called directly and start, end, pgoff, struct
 * identity, anon_vma, avc_count and map_count are asserted.
 *
 * Units: the builders and ASSERT_VMA take page numbers; PG() turns one into
 * the byte address the model uses. The builders keep total_vm, committed
 * and locked_vm equal to what the linked VMAs hold, so that
 * model_check_invariants() can run after each step.
 *
 * Layout strings draw an address space one character per page, from page 0
 * to the end of the last VMA: '.' for a hole, the letter a test gave a VMA
 * with vt_nm(), '*' for a VMA it did not name (a piece a split made).
 */
#ifndef VMAFUZZ_TESTS_VMATEST_H
#define VMAFUZZ_TESTS_VMATEST_H

#include <stdint.h>

#include "model.h"
#include "unit.h"

#define PG(n) ((unsigned long)(n) << PAGE_SHIFT)
#define PN(a) ((unsigned long)(a) >> PAGE_SHIFT)

/* A private anonymous read-write mapping without VM_ACCOUNT, and read-only. */
#define F_RW (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)
#define F_RO (VM_READ | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)

/* ------------------------------------------------------------- assertions */

#define ASSERT_TRUE(c)                                \
	do {                                          \
		if (!(c))                             \
			UNIT_FAIL("%s is false", #c); \
	} while (0)

#define ASSERT_FALSE(c)                              \
	do {                                         \
		if (c)                               \
			UNIT_FAIL("%s is true", #c); \
	} while (0)

#define ASSERT_HEX(a, b)                                                                       \
	do {                                                                                   \
		unsigned long long _a = (unsigned long long)(a), _b = (unsigned long long)(b); \
		if (_a != _b)                                                                  \
			UNIT_FAIL("%s == %s failed: %#llx != %#llx", #a, #b, _a, _b);          \
	} while (0)

#define ASSERT_PTR(a, b)                                                        \
	do {                                                                    \
		const void *_a = (const void *)(a), *_b = (const void *)(b);    \
		if (_a != _b)                                                   \
			UNIT_FAIL("%s == %s failed: %p != %p", #a, #b, _a, _b); \
	} while (0)

#define ASSERT_PTR_NE(a, b)                                                  \
	do {                                                                 \
		const void *_a = (const void *)(a), *_b = (const void *)(b); \
		if (_a == _b)                                                \
			UNIT_FAIL("%s != %s failed: both %p", #a, #b, _a);   \
	} while (0)

#define ASSERT_NULL(a) ASSERT_PTR(a, NULL)

/* VMA v is [s, e) in pages with page offset pgoff. */
#define ASSERT_VMA(v, s, e, pgoff)                                                             \
	do {                                                                                   \
		const struct vm_area_struct *_v = (v);                                         \
		unsigned long _s = (s), _e = (e), _p = (pgoff);                                \
		if (!_v)                                                                       \
			UNIT_FAIL("%s is NULL, expected %lu-%lu pgoff %lu", #v, _s, _e, _p);   \
		else if (_v->vm_start != PG(_s) || _v->vm_end != PG(_e) || _v->vm_pgoff != _p) \
			UNIT_FAIL("%s is %lu-%lu pgoff %lu, expected %lu-%lu pgoff %lu", #v,   \
				  PN(_v->vm_start), PN(_v->vm_end), _v->vm_pgoff, _s, _e, _p); \
	} while (0)

#define ASSERT_INVARIANTS(m)                                                        \
	do {                                                                        \
		char _msg[512];                                                     \
		if (model_check_invariants((m), _msg, sizeof(_msg)))                \
			UNIT_FAIL("invariants (%s): %s", (m)->callers->name, _msg); \
	} while (0)

/*
 * Inside a loop: VT_ITER_BEGIN() at the top, VT_ITER_END("fmt", ...) at the
 * bottom names the iteration after any assertion in it failed.
 */
#define VT_ITER_BEGIN() unsigned int _vt_failed0 = unit_failed
#define VT_ITER_END(...)                              \
	do {                                          \
		if (unit_failed != _vt_failed0) {     \
			fprintf(stderr, "    ^ in "); \
			fprintf(stderr, __VA_ARGS__); \
			fputc('\n', stderr);          \
		}                                     \
	} while (0)

/* ---------------------------------------------------------- the registry */

struct unit_case {
	const char *name;
	void (*fn)(void);
};

#define UNIT_CASE(fn)   \
	{               \
#fn, fn \
	}

/* Run every case in order, one line each, then the summary of unit_exit(). */
static inline int unit_main(const struct unit_case *cases, size_t n)
{
	size_t i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < n; i++) {
		unsigned int before = unit_failed;

		unit_test = cases[i].name;
		unit_run++;
		cases[i].fn();
		printf("%s %s\n", unit_failed == before ? "ok  " : "FAIL", cases[i].name);
	}
	return unit_exit();
}

#define UNIT_MAIN(cases) unit_main(cases, sizeof(cases) / sizeof((cases)[0]))

/* Both caller paths, for tests that loop over them. */
static const struct vma_callers *const vt_paths[] = { &legacy_callers, &refactored_callers };
#define VT_NR_PATHS 2

/* ------------------------------------------------------------- builders */

/* An unlinked VMA [start, end) (pages); attributes may be set before vt_link. */
static inline struct vm_area_struct *vt_alloc(struct model *m, unsigned long start,
					      unsigned long end, unsigned long pgoff,
					      unsigned long long flags)
{
	struct vm_area_struct *v = vm_area_alloc(m->mm);

	if (!v) {
		fprintf(stderr, "vt_alloc: allocation failed (is `fail alloc` armed?)\n");
		abort();
	}
	v->vm_start = PG(start);
	v->vm_end = PG(end);
	v->vm_pgoff = pgoff;
	v->vm_flags = flags;
	return v;
}

/* Link v into its mm and account it as mmap would have. */
static inline struct vm_area_struct *vt_link(struct vm_area_struct *v)
{
	struct mm_struct *mm = v->vm_mm;

	vma_link(mm, v);
	mm->total_vm += vma_pages(v);
	if (v->vm_flags & VM_ACCOUNT)
		mm->committed += vma_pages(v);
	if (v->vm_flags & VM_LOCKED)
		mm->locked_vm += vma_pages(v);
	return v;
}

static inline struct vm_area_struct *vt_add(struct model *m, unsigned long start, unsigned long end,
					    unsigned long pgoff, unsigned long long flags)
{
	return vt_link(vt_alloc(m, start, end, pgoff, flags));
}

/* Anonymous, with the pgoff a private anonymous mmap gives (its start page). */
static inline struct vm_area_struct *vt_anon(struct model *m, unsigned long start,
					     unsigned long end, unsigned long long flags)
{
	return vt_add(m, start, end, start, flags);
}

/* Map regular file F (the script's one open file of F). */
static inline void vt_file(struct model *m, struct vm_area_struct *v, unsigned int f)
{
	v->vm_file = get_file(model_regular_file(m, f));
	v->vm_ops = &file_vm_ops;
}

/* Attach shm file f (open and close hooks keep shm_nattch); drop f's own
 * reference with fput() once every VMA is attached. */
static inline void vt_shm(struct vm_area_struct *v, struct file *f)
{
	v->vm_file = get_file(f);
	v->vm_ops = &shm_vm_ops;
	f->shm_nattch++;
}

static inline void vt_pol(struct vm_area_struct *v, enum vmafuzz_policy mode, int home)
{
	v->vm_policy = mpol_new(mode);
	v->vm_policy->home_node = home;
}

static inline void vt_name(struct vm_area_struct *v, const char *name)
{
	v->anon_name = anon_vma_name_alloc(name);
}

/* Register v with context id of its mm (flags and context, as the checker wants). */
static inline void vt_uffd(struct vm_area_struct *v, unsigned int id, unsigned long long mode)
{
	v->vm_userfaultfd_ctx = uffd_ctx_get(v->vm_mm, id);
	v->vm_flags |= mode;
}

/* Give v an anon_vma of its own with a chain of one, whatever its neighbours. */
static inline struct anon_vma *vt_fault(struct vm_area_struct *v)
{
	struct vm_area_struct *tmp = vm_area_alloc(v->vm_mm);

	anon_vma_prepare(tmp); /* unlinked: no neighbour to reuse */
	if (anon_vma_clone(v, tmp))
		abort();
	vm_area_free_full(tmp, false);
	return v->anon_vma;
}

/* Give v a chain of depth+1 entries, as depth forks of a faulted VMA would. */
static inline struct anon_vma *vt_forked(struct vm_area_struct *v, unsigned int depth)
{
	struct vm_area_struct *tmp = vm_area_alloc(v->vm_mm), *child;

	anon_vma_prepare(tmp);
	while (depth--) {
		child = vm_area_alloc(v->vm_mm);
		if (anon_vma_fork(child, tmp))
			abort();
		vm_area_free_full(tmp, false);
		tmp = child;
	}
	if (anon_vma_clone(v, tmp))
		abort();
	vm_area_free_full(tmp, false);
	return v->anon_vma;
}

/* ------------------------------------------------------------- layouts */

struct vt_names {
	unsigned int nr;
	char letter[32];
	unsigned long serial[32];
};

static inline void vt_nm(struct vt_names *nm, char letter, const struct vm_area_struct *v)
{
	nm->letter[nm->nr] = letter;
	nm->serial[nm->nr] = v->serial;
	nm->nr++;
}

static inline char vt_letter(const struct vt_names *nm, const struct vm_area_struct *v)
{
	unsigned int i;

	for (i = 0; i < nm->nr; i++)
		if (nm->serial[i] == v->serial)
			return nm->letter[i];
	return '*';
}

/* Is there a linked VMA with this serial? (A merged-away VMA is not.) */
static inline bool vt_serial_linked(struct mm_struct *mm, unsigned long serial)
{
	struct vm_area_struct *v;

	for (v = vma_tree_first(&mm->tree); v; v = vma_next(v))
		if (v->serial == serial)
			return true;
	return false;
}

/* Is p a linked VMA of mm? (Compares pointers only; p is never dereferenced.) */
static inline bool vt_linked(struct mm_struct *mm, const void *p)
{
	struct vm_area_struct *v;

	for (v = vma_tree_first(&mm->tree); v; v = vma_next(v))
		if ((const void *)v == p)
			return true;
	return false;
}

/*
 * The letter of what a *prev points at: a named or '*' VMA, '0' for NULL,
 * 'E' for an ERR_PTR and '!' for a pointer to no linked VMA.
 */
static inline char vt_ptr_letter(struct mm_struct *mm, const struct vt_names *nm, const void *p)
{
	if (!p)
		return '0';
	if (IS_ERR(p))
		return 'E';
	if (!vt_linked(mm, p))
		return '!';
	return vt_letter(nm, p);
}

/* One character per page: '.' for a hole, letter(ctx, vma) for a mapped page. */
static inline void vt_render_by(struct mm_struct *mm, char (*letter)(const void *ctx,
								   const struct vm_area_struct *v),
				const void *ctx, char *buf, size_t sz)
{
	struct vm_area_struct *v;
	unsigned long page = 0;
	size_t n = 0;

	for (v = vma_tree_first(&mm->tree); v; v = vma_next(v)) {
		for (; page < PN(v->vm_start) && n + 1 < sz; page++)
			buf[n++] = '.';
		for (; page < PN(v->vm_end) && n + 1 < sz; page++)
			buf[n++] = letter(ctx, v);
	}
	buf[n] = '\0';
}

static inline char vt_name_letter(const void *nm, const struct vm_area_struct *v)
{
	return vt_letter(nm, v);
}

static inline void vt_render(struct mm_struct *mm, const struct vt_names *nm, char *buf, size_t sz)
{
	vt_render_by(mm, vt_name_letter, nm, buf, sz);
}

/*
 * The fixture most tests share: a legacy model, its address space and the
 * letters VMAs are drawn with; setup() and teardown() around each test.
 */
#define VT_FIXTURE()                                   \
	static struct model *m;                        \
	static struct mm_struct *mm;                   \
	static struct vt_names nm;                     \
	static void setup(void)                        \
	{                                              \
		m = model_new(&legacy_callers);        \
		mm = m->mm;                            \
		memset(&nm, 0, sizeof(nm));            \
	}                                              \
	static void teardown(void)                     \
	{                                              \
		model_free(m);                         \
	}

#define ASSERT_LAYOUT(mm, nm, expect)                      \
	do {                                               \
		char _lay[512];                            \
		vt_render((mm), (nm), _lay, sizeof(_lay)); \
		ASSERT_STR(_lay, expect);                  \
	} while (0)

/* Every VMA's pgoff is its start page plus base (linear across the space). */
#define ASSERT_PGOFF_LINEAR(mm, base)                                                     \
	do {                                                                              \
		struct vm_area_struct *_w;                                                \
		unsigned long _b = (base);                                                \
		for (_w = vma_tree_first(&(mm)->tree); _w; _w = vma_next(_w))             \
			if (_w->vm_pgoff != PN(_w->vm_start) + _b)                        \
				UNIT_FAIL("VMA %lu-%lu has pgoff %lu, expected %lu",      \
					  PN(_w->vm_start), PN(_w->vm_end), _w->vm_pgoff, \
					  PN(_w->vm_start) + _b);                         \
	} while (0)

/* ------------------------------------------------- comparing two models */

struct vt_idmap {
	unsigned int nr;
	const void *p[64];
};

static inline unsigned int vt_id(struct vt_idmap *im, const void *p)
{
	unsigned int i;

	if (!p)
		return 0;
	for (i = 0; i < im->nr; i++)
		if (im->p[i] == p)
			return i + 1;
	if (im->nr < 64)
		im->p[im->nr++] = p;
	return im->nr;
}

/*
 * The current address spaces of a and b hold the same VMAs, field by field:
 * range, pgoff, flags, file (kind and index), vm_ops, anon_vma and chain
 * (numbered by first appearance), policy, uffd context, name, and the struct
 * serial (identity: both paths allocate in the same order); and the same
 * map_count, total_vm, locked_vm and committed.
 */
static inline void vt_compare_models(struct model *a, struct model *b)
{
	struct vm_area_struct *va = vma_tree_first(&a->mm->tree);
	struct vm_area_struct *vb = vma_tree_first(&b->mm->tree);
	struct vt_idmap ia = { 0 }, ib = { 0 };
	const char *na = a->callers->name, *nb = b->callers->name;
	unsigned int i, k;

	for (i = 0; va || vb; i++, va = vma_next(va), vb = vma_next(vb)) {
		if (!va || !vb) {
			UNIT_FAIL("VMA %u exists in %s only", i, va ? na : nb);
			break;
		}
#define CMP(field, fmt, ...)                                                      \
	if (va->field != vb->field)                                               \
	UNIT_FAIL("VMA %u (%lu-%lu): " #field " differs: %s " fmt ", %s " fmt, i, \
		  PN(va->vm_start), PN(va->vm_end), na, __VA_ARGS__)
		CMP(vm_start, "%#lx", va->vm_start, nb, vb->vm_start);
		CMP(vm_end, "%#lx", va->vm_end, nb, vb->vm_end);
		CMP(vm_pgoff, "%lu", va->vm_pgoff, nb, vb->vm_pgoff);
		CMP(vm_flags, "%#llx", va->vm_flags, nb, vb->vm_flags);
		CMP(vm_ops, "%p", (const void *)va->vm_ops, nb, (const void *)vb->vm_ops);
		CMP(avc_count, "%u", va->avc_count, nb, vb->avc_count);
		CMP(serial, "%lu", va->serial, nb, vb->serial);
#undef CMP
		if (!va->vm_file != !vb->vm_file ||
		    (va->vm_file && (va->vm_file->kind != vb->vm_file->kind ||
				     va->vm_file->index != vb->vm_file->index)))
			UNIT_FAIL("VMA %u: files differ", i);
		if (vt_id(&ia, va->anon_vma) != vt_id(&ib, vb->anon_vma))
			UNIT_FAIL("VMA %u (%lu-%lu): anon_vma differs", i, PN(va->vm_start),
				  PN(va->vm_end));
		for (k = 0; k < va->avc_count && k < vb->avc_count; k++)
			if (vt_id(&ia, va->avc[k]) != vt_id(&ib, vb->avc[k]))
				UNIT_FAIL("VMA %u: chain entry %u differs", i, k);
		if (!mpol_equal(va->vm_policy, vb->vm_policy))
			UNIT_FAIL("VMA %u (%lu-%lu): policies differ", i, PN(va->vm_start),
				  PN(va->vm_end));
		if (!va->vm_userfaultfd_ctx != !vb->vm_userfaultfd_ctx ||
		    (va->vm_userfaultfd_ctx &&
		     va->vm_userfaultfd_ctx->id != vb->vm_userfaultfd_ctx->id))
			UNIT_FAIL("VMA %u (%lu-%lu): uffd contexts differ", i, PN(va->vm_start),
				  PN(va->vm_end));
		if (!anon_vma_name_eq(va->anon_name, vb->anon_name))
			UNIT_FAIL("VMA %u (%lu-%lu): names differ", i, PN(va->vm_start),
				  PN(va->vm_end));
	}
	if (a->mm->map_count != b->mm->map_count)
		UNIT_FAIL("map_count: %s %d, %s %d", na, a->mm->map_count, nb, b->mm->map_count);
	if (a->mm->total_vm != b->mm->total_vm)
		UNIT_FAIL("total_vm: %s %ld, %s %ld", na, a->mm->total_vm, nb, b->mm->total_vm);
	if (a->mm->locked_vm != b->mm->locked_vm)
		UNIT_FAIL("locked_vm: %s %ld, %s %ld", na, a->mm->locked_vm, nb, b->mm->locked_vm);
	if (a->mm->committed != b->mm->committed)
		UNIT_FAIL("committed: %s %ld, %s %ld", na, a->mm->committed, nb, b->mm->committed);
}

#endif /* VMAFUZZ_TESTS_VMATEST_H */
