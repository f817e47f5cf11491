// SPDX-License-Identifier: GPL-2.0
/*
 * The page model (pagemodel.h; DESIGN.md "The page model", oracle check 4):
 * what each statement does to each page of the current address space, written
 * from SEMANTICS.md (Linux v6.6) and SCRIPT-FORMAT.md alone. It knows nothing
 * of VMAs, merges or splits: it keeps sorted runs of mapped pages with uniform
 * attributes (prot, s/p, the flags= set, object and offset, policy, uffd
 * context, name) and private presence, plus the presence of each
 * shared-anonymous object. Every VMA a target shows must carry, on every page
 * it covers, what the page model says that page has.
 *
 * Everything works on runs, never on pages: a statement and a comparison cost
 * O(runs + VMAs), whatever the lengths involved (up to 2^20 pages).
 *
 * What it reads besides the statement (DESIGN.md allows each):
 *  - the agreed layout before the statement, for facts only a VMA has: was a
 *    moved or forked VMA faulted (av), the extent of the VMA an mremap starts
 *    in, mprotect's per-VMA populate, fork's per-VMA presence;
 *  - the agreed layout after it, for mlockall's per-VMA populate walk and
 *    for mremap's merge-dependent outcomes (copy_vma merging into a
 *    registered neighbour or into the old VMA itself; an unmap of the old
 *    range that failed);
 *  - after an error, for the affected pages only, the targets' layout and
 *    page states, once each page has shown its old or its new value.
 *
 * Where the documents are silent it follows Linux v6.6:
 *  - MAP_NORESERVE sets `nr` on every kind (do_mmap), shared ones included;
 *  - a device has no extent; its pages are present wherever it is mapped;
 *  - the uffd context number alone identifies a context in the current
 *    address space: closing a context clears every registration, and fork
 *    clears them all, so two live contexts never share a number;
 *  - DONTUNMAP clears VM_LOCKED_MASK on the whole old VMA (move_vma), which
 *    is what is left of it around addr after the fixed= and tail unmaps.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmafuzz/pagemodel.h"
#include "vmafuzz/script.h"

/* The flag bits a page carries: perms, s/p and the flags= set. */
#define PM_PROT	  (VMAFUZZ_VM_READ | VMAFUZZ_VM_WRITE | VMAFUZZ_VM_EXEC)
#define PM_MASK	  (PM_PROT | VMAFUZZ_VM_SHARED | VMAFUZZ_VM_NAMED)
#define PM_UFFD	  (VMAFUZZ_VM_UFFD_MISSING | VMAFUZZ_VM_UFFD_WP)
#define PM_LOCKED (VMAFUZZ_VM_LOCKED | VMAFUZZ_VM_LOCKONFAULT)
/* VM_SPECIAL (SEMANTICS.md §1.2); VM_MIXEDMAP is never set by a script. */
#define PM_SPECIAL (VMAFUZZ_VM_IO | VMAFUZZ_VM_DONTEXPAND | VMAFUZZ_VM_PFNMAP | VMAFUZZ_VM_MIXEDMAP)

/* Extents in pages (SEMANTICS.md §1.5, "Extents"). */
#define PM_FILE_PAGES (1ull << 32)
#define PM_SHM_PAGES  (1ull << 20)
#define PM_NO_EXTENT  UINT64_MAX

/* Where scripted mremap places a moved mapping (SCRIPT-FORMAT.md). */
#define PM_PLACE_FROM 0x80000u

struct pm_attr {
	uint64_t flags; /* PM_MASK bits */
	uint64_t pgoff; /* of the run's first page */
	uint32_t obj;	/* raw object id (shm, device, shared-anon); 0 otherwise */
	uint8_t kind;	/* enum vmafuzz_obj */
	uint8_t file;	/* F for FILE, SHM, DEV */
	uint8_t pol;	/* enum vmafuzz_policy */
	bool home;
	uint8_t uffd;	       /* the script's context number, 0 for none */
	bool present, written; /* private pages only */
	uint32_t name;	       /* index into the page model's names, 0 for none */
};

struct run {
	uint32_t start, end;
	struct pm_attr a;
};

struct runs {
	struct run *r;
	unsigned int nr, cap;
};

/* Half-open intervals of object pages. */
struct ivl {
	uint64_t s, e;
};

struct ivls {
	struct ivl *v;
	unsigned int nr, cap;
};

/* A shm attach, a device open or a shared-anonymous object. */
struct object {
	uint8_t kind, file;
	uint64_t extent;
	struct ivls present; /* shared-anonymous only */
	uint32_t stamp;	     /* check generation that numbered it */
	uint16_t canon;	     /* its canonical number in that check */
};

struct scratch {
	uint32_t gen;
};

struct vmafuzz_pagemodel {
	struct runs rs;
	struct object *objs; /* objs[0] unused */
	unsigned int nr_objs, cap_objs;
	uint64_t def_flags; /* VM_LOCKED / VM_LOCKONFAULT from mlockall(MCL_FUTURE) */
	bool brk_set;
	uint32_t brk_start, brk;
	struct scratch *sc;
	struct snapshot *snap; /* the error path's buffers */
	/* Anonymous VMA names, each stored once; names[0] is "" (none). */
	char (*names)[VMAFUZZ_NAME_MAX + 1];
	unsigned int nr_names, cap_names;
};

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fputs("vmafuzz: out of memory\n", stderr);
		abort();
	}
	return p;
}

/* ------------------------------------------------------------------ runs */

static void runs_reserve(struct runs *rs, unsigned int n)
{
	if (n <= rs->cap)
		return;
	while (rs->cap < n)
		rs->cap = rs->cap ? 2 * rs->cap : 16;
	rs->r = xrealloc(rs->r, (size_t)rs->cap * sizeof(*rs->r));
}

static void runs_copy(struct runs *dst, const struct runs *src)
{
	runs_reserve(dst, src->nr);
	if (src->nr)
		memcpy(dst->r, src->r, (size_t)src->nr * sizeof(*src->r));
	dst->nr = src->nr;
}

/* Index of the first run that ends after page p (nr if none). */
static unsigned int runs_find(const struct runs *rs, uint32_t p)
{
	unsigned int lo = 0, hi = rs->nr;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (rs->r[mid].end <= p)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The run that maps page p, or NULL. */
static const struct run *runs_at(const struct runs *rs, uint32_t p)
{
	unsigned int i = runs_find(rs, p);

	return i < rs->nr && rs->r[i].start <= p ? &rs->r[i] : NULL;
}

static void runs_insert(struct runs *rs, unsigned int i, const struct run *r)
{
	runs_reserve(rs, rs->nr + 1);
	memmove(&rs->r[i + 1], &rs->r[i], (size_t)(rs->nr - i) * sizeof(*r));
	rs->r[i] = *r;
	rs->nr++;
}

/* Make page p a run boundary. */
static void runs_split(struct runs *rs, uint32_t p)
{
	unsigned int i = runs_find(rs, p);
	struct run hi;

	if (i == rs->nr || rs->r[i].start >= p)
		return;
	hi = rs->r[i];
	hi.start = p;
	hi.a.pgoff += p - rs->r[i].start;
	rs->r[i].end = p;
	runs_insert(rs, i + 1, &hi);
}

/* Split at s and e; the runs inside [s, e) are [*lo, *hi). */
static void runs_isolate(struct runs *rs, uint32_t s, uint32_t e, unsigned int *lo,
			 unsigned int *hi)
{
	runs_split(rs, s);
	runs_split(rs, e);
	*lo = runs_find(rs, s);
	*hi = runs_find(rs, e);
}

static void runs_remove(struct runs *rs, uint32_t s, uint32_t e)
{
	unsigned int lo, hi;

	if (s >= e)
		return;
	runs_isolate(rs, s, e, &lo, &hi);
	if (lo == hi)
		return;
	memmove(&rs->r[lo], &rs->r[hi], (size_t)(rs->nr - hi) * sizeof(*rs->r));
	rs->nr -= hi - lo;
}

/* Map [r->start, r->end), which must be unmapped. */
static void runs_add(struct runs *rs, const struct run *r)
{
	runs_insert(rs, runs_find(rs, r->start), r);
}

static bool attr_same(const struct pm_attr *a, const struct pm_attr *b)
{
	return a->flags == b->flags && a->obj == b->obj && a->kind == b->kind &&
	       a->file == b->file && a->pol == b->pol && a->home == b->home && a->uffd == b->uffd &&
	       a->present == b->present && a->written == b->written && a->name == b->name;
}

/* Merge neighbouring runs that say the same of their pages: O(runs). */
static void runs_coalesce(struct runs *rs)
{
	unsigned int i, k = 0;

	for (i = 0; i < rs->nr; i++) {
		struct run *last = k ? &rs->r[k - 1] : NULL;
		const struct run *r = &rs->r[i];

		if (last && last->end == r->start && attr_same(&last->a, &r->a) &&
		    last->a.pgoff + (last->end - last->start) == r->a.pgoff) {
			last->end = r->end;
			continue;
		}
		if (k != i)
			rs->r[k] = *r;
		k++;
	}
	rs->nr = k;
}

/* ------------------------------------------------------ object presence */

static unsigned int ivls_find(const struct ivls *iv, uint64_t p)
{
	unsigned int lo = 0, hi = iv->nr;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (iv->v[mid].e <= p)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Is object page p present? *end: the first page after it that may differ. */
static bool ivls_test(const struct ivls *iv, uint64_t p, uint64_t *end)
{
	unsigned int i = ivls_find(iv, p);

	if (i == iv->nr) {
		*end = UINT64_MAX;
		return false;
	}
	if (iv->v[i].s <= p) {
		*end = iv->v[i].e;
		return true;
	}
	*end = iv->v[i].s;
	return false;
}

/* Set [s, e) to present (on) or absent. */
static void ivls_set(struct ivls *iv, uint64_t s, uint64_t e, bool on)
{
	unsigned int i, j, k;
	struct ivl keep[2];
	unsigned int nk = 0;

	if (s >= e)
		return;
	/* Intervals that touch or overlap [s, e) are [i, j). */
	i = ivls_find(iv, s ? s - 1 : 0);
	if (i < iv->nr && iv->v[i].e < s)
		i++;
	for (j = i; j < iv->nr && iv->v[j].s <= e; j++)
		;
	if (on) {
		if (i < j) {
			if (iv->v[i].s < s)
				s = iv->v[i].s;
			if (iv->v[j - 1].e > e)
				e = iv->v[j - 1].e;
		}
		keep[nk++] = (struct ivl){ s, e };
	} else {
		if (i < j && iv->v[i].s < s)
			keep[nk++] = (struct ivl){ iv->v[i].s, s < iv->v[i].e ? s : iv->v[i].e };
		if (i < j && iv->v[j - 1].e > e)
			keep[nk++] = (struct ivl){ e > iv->v[j - 1].s ? e : iv->v[j - 1].s,
						   iv->v[j - 1].e };
	}
	if (iv->nr - (j - i) + nk > iv->cap) {
		iv->cap = 2 * (iv->nr + nk) + 8;
		iv->v = xrealloc(iv->v, (size_t)iv->cap * sizeof(*iv->v));
	}
	if (!iv->v)
		return;
	memmove(&iv->v[i + nk], &iv->v[j], (size_t)(iv->nr - j) * sizeof(*iv->v));
	for (k = 0; k < nk; k++)
		iv->v[i + k] = keep[k];
	iv->nr = iv->nr - (j - i) + nk;
}

static uint32_t obj_new(struct vmafuzz_pagemodel *pm, uint8_t kind, uint8_t file, uint64_t extent)
{
	struct object *o;

	if (pm->nr_objs + 1 >= pm->cap_objs) {
		pm->cap_objs = pm->cap_objs ? 2 * pm->cap_objs : 16;
		pm->objs = xrealloc(pm->objs, (size_t)pm->cap_objs * sizeof(*pm->objs));
	}
	o = &pm->objs[++pm->nr_objs];
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->file = file;
	o->extent = extent;
	return pm->nr_objs;
}

/* The index of name in the page model's names (0 for ""), adding it if new. */
static uint32_t name_intern(struct vmafuzz_pagemodel *pm, const char *name)
{
	unsigned int i;

	if (!name[0])
		return 0;
	for (i = 1; i < pm->nr_names; i++) {
		if (!strcmp(pm->names[i], name))
			return i;
	}
	if (pm->nr_names == pm->cap_names) {
		pm->cap_names = 2 * pm->cap_names;
		pm->names = xrealloc(pm->names, pm->cap_names * sizeof(*pm->names));
	}
	snprintf(pm->names[pm->nr_names], sizeof(pm->names[0]), "%s", name);
	return pm->nr_names++;
}

/* ------------------------------------------------------------ lifecycle */

static size_t snapshot_size(void);
static void snap_free(struct snapshot *s);

struct vmafuzz_pagemodel *vmafuzz_pagemodel_new(void)
{
	struct vmafuzz_pagemodel *pm = calloc(1, sizeof(*pm));

	if (!pm)
		return NULL;
	pm->sc = calloc(1, sizeof(*pm->sc));
	pm->snap = calloc(1, snapshot_size());
	pm->cap_names = 8;
	pm->nr_names = 1;
	pm->names = calloc(pm->cap_names, sizeof(*pm->names));
	if (!pm->sc || !pm->snap || !pm->names) {
		free(pm->sc);
		free(pm->snap);
		free(pm->names);
		free(pm);
		return NULL;
	}
	return pm;
}

void vmafuzz_pagemodel_free(struct vmafuzz_pagemodel *pm)
{
	unsigned int i;

	if (!pm)
		return;
	for (i = 1; i <= pm->nr_objs; i++)
		free(pm->objs[i].present.v);
	free(pm->objs);
	free(pm->rs.r);
	free(pm->sc);
	snap_free(pm->snap);
	free(pm->snap);
	free(pm->names);
	free(pm);
}

/* ------------------------------------------------------- page questions */

static bool is_private(const struct pm_attr *a)
{
	return !(a->flags & VMAFUZZ_VM_SHARED);
}

/* How many pages of the object lie at or past the run's first page offset. */
static uint64_t extent_of(const struct vmafuzz_pagemodel *pm, const struct pm_attr *a)
{
	switch (a->kind) {
	case VMAFUZZ_OBJ_FILE:
		return PM_FILE_PAGES;
	case VMAFUZZ_OBJ_SHM:
	case VMAFUZZ_OBJ_ZERO:
		return pm->objs[a->obj].extent;
	default:
		return PM_NO_EXTENT;
	}
}

/*
 * The presence of page p of run r: *present and *written, and in *end the
 * first page after p where they may change (at most r->end). Returns false
 * when presence is not modelled (shared file and shm pages).
 */
static bool page_presence(const struct vmafuzz_pagemodel *pm, const struct run *r, uint32_t p,
			  bool *present, bool *written, uint32_t *end)
{
	*end = r->end;
	*written = false;
	switch (r->a.kind) {
	case VMAFUZZ_OBJ_DEV:
		*present = true;
		return true;
	case VMAFUZZ_OBJ_ZERO: {
		uint64_t op = r->a.pgoff + (p - r->start), oe;

		*present = ivls_test(&pm->objs[r->a.obj].present, op, &oe);
		if (oe - op < (uint64_t)(r->end - p))
			*end = p + (uint32_t)(oe - op);
		return true;
	}
	default:
		if (!is_private(&r->a))
			return false;
		*present = r->a.present;
		*written = r->a.written;
		return true;
	}
}

/* ------------------------------------------------------------- faulting */

/* Fault [s, e) of run-aligned pages that the caller found faultable. */
static void fault_range(struct vmafuzz_pagemodel *pm, uint32_t s, uint32_t e, bool write)
{
	unsigned int lo, hi, i;

	runs_isolate(&pm->rs, s, e, &lo, &hi);
	for (i = lo; i < hi; i++) {
		struct run *r = &pm->rs.r[i];

		if (r->a.kind == VMAFUZZ_OBJ_ZERO) {
			ivls_set(&pm->objs[r->a.obj].present, r->a.pgoff,
				 r->a.pgoff + (r->end - r->start), true);
		} else if (is_private(&r->a)) {
			r->a.present = true;
			if (write)
				r->a.written = true;
		}
	}
}

/*
 * One fault walk over [s, e): touch (holes fail, every page is accessed with
 * `write`) or populate (holes are skipped, IO/PFNMAP and LOCKONFAULT runs are
 * skipped, each run is faulted with a write when it is private and writable,
 * else a read). Faults in order and stops at the first page that fails
 * (SEMANTICS.md §1.5, SCRIPT-FORMAT.md "Faults"). Returns 0 or -EFAULT.
 */
static int fault_walk(struct vmafuzz_pagemodel *pm, uint32_t s, uint32_t e, bool populate,
		      bool write)
{
	uint32_t p = s;

	while (p < e) {
		unsigned int i = runs_find(&pm->rs, p);
		const struct run *r;
		uint32_t q;
		uint64_t ext, off;
		bool w, present, written;

		if (i == pm->rs.nr || pm->rs.r[i].start >= e) {
			return populate ? 0 : -EFAULT;
		}
		r = &pm->rs.r[i];
		if (r->start > p) {
			if (!populate)
				return -EFAULT;
			p = r->start;
		}
		q = r->end < e ? r->end : e;
		w = write;
		if (populate) {
			if (r->a.flags &
			    (VMAFUZZ_VM_IO | VMAFUZZ_VM_PFNMAP | VMAFUZZ_VM_LOCKONFAULT)) {
				p = q;
				continue;
			}
			if (!(r->a.flags & PM_PROT))
				return -EFAULT;
			w = (r->a.flags & (VMAFUZZ_VM_WRITE | VMAFUZZ_VM_SHARED)) ==
			    VMAFUZZ_VM_WRITE;
		} else if (w ? !(r->a.flags & VMAFUZZ_VM_WRITE) : !(r->a.flags & PM_PROT)) {
			return -EFAULT;
		}
		ext = extent_of(pm, &r->a);
		off = r->a.pgoff + (p - r->start);
		if (off >= ext)
			return -EFAULT;
		if (ext - off < (uint64_t)(q - p))
			q = p + (uint32_t)(ext - off);
		{
			uint32_t pe;

			/* Shared file and shm pages have no modelled presence (nor uffd). */
			if (!page_presence(pm, r, p, &present, &written, &pe))
				present = false;
			if (pe < q)
				q = pe;
		}
		if ((r->a.flags & VMAFUZZ_VM_UFFD_MISSING) && !present)
			return -EFAULT; /* a write fault prepared the anon_vma: no page change */
		fault_range(pm, p, q, w);
		p = q;
	}
	return 0;
}

/* ----------------------------------------------------- range transforms */

/* Pages [s, e) as one run with attributes a. */
static void map_run(struct vmafuzz_pagemodel *pm, uint32_t s, uint32_t e, const struct pm_attr *a)
{
	struct run r = { .start = s, .end = e, .a = *a };

	runs_remove(&pm->rs, s, e);
	runs_add(&pm->rs, &r);
}

typedef void (*attr_fn)(struct vmafuzz_pagemodel *pm, struct pm_attr *a, const void *arg);

/* Apply fn to every mapped page of [s, e). */
static void for_range(struct vmafuzz_pagemodel *pm, uint32_t s, uint32_t e, attr_fn fn,
		      const void *arg)
{
	unsigned int lo, hi, i;

	if (s >= e)
		return;
	runs_isolate(&pm->rs, s, e, &lo, &hi);
	for (i = lo; i < hi; i++)
		fn(pm, &pm->rs.r[i].a, arg);
}

static bool any_mapped(const struct vmafuzz_pagemodel *pm, uint32_t s, uint32_t e)
{
	unsigned int i = runs_find(&pm->rs, s);

	return i < pm->rs.nr && pm->rs.r[i].start < e;
}

/* ------------------------------------------------------------ statements */

static void apply_mmap(struct vmafuzz_pagemodel *pm, const struct vmafuzz_op *op)
{
	uint32_t s = op->addr, e = op->addr + op->len;
	struct pm_attr a;
	bool shared = op->kind != VMAFUZZ_KIND_ANON && op->kind != VMAFUZZ_KIND_FILE;

	memset(&a, 0, sizeof(a));
	if (op->prot & VMAFUZZ_PROT_READ)
		a.flags |= VMAFUZZ_VM_READ;
	if (op->prot & VMAFUZZ_PROT_WRITE)
		a.flags |= VMAFUZZ_VM_WRITE;
	if (op->prot & VMAFUZZ_PROT_EXEC)
		a.flags |= VMAFUZZ_VM_EXEC;
	if (shared)
		a.flags |= VMAFUZZ_VM_SHARED;
	a.flags |= pm->def_flags;
	if (op->flags & VMAFUZZ_MMAP_LOCKED)
		a.flags |= VMAFUZZ_VM_LOCKED;
	if (op->flags & VMAFUZZ_MMAP_GROWSDOWN)
		a.flags |= VMAFUZZ_VM_GROWSDOWN;
	if (op->flags & VMAFUZZ_MMAP_NORESERVE)
		a.flags |= VMAFUZZ_VM_NORESERVE;
	/* Accountable: exactly writable, private, reserved (§1.5). */
	if (!shared && (op->prot & VMAFUZZ_PROT_WRITE) && !(op->flags & VMAFUZZ_MMAP_NORESERVE))
		a.flags |= VMAFUZZ_VM_ACCOUNT;
	a.pol = VMAFUZZ_POL_DEFAULT;
	a.pgoff = op->pgoff;
	switch (op->kind) {
	case VMAFUZZ_KIND_ANON:
		a.kind = VMAFUZZ_OBJ_ANON;
		a.pgoff = s;
		break;
	case VMAFUZZ_KIND_SHARED_ANON:
		a.kind = VMAFUZZ_OBJ_ZERO;
		a.pgoff = 0;
		a.obj = obj_new(pm, VMAFUZZ_OBJ_ZERO, 0, op->len);
		break;
	case VMAFUZZ_KIND_FILE:
	case VMAFUZZ_KIND_SHARED_FILE:
		a.kind = VMAFUZZ_OBJ_FILE;
		a.file = op->file;
		break;
	case VMAFUZZ_KIND_SHM:
		a.kind = VMAFUZZ_OBJ_SHM;
		a.file = op->file;
		a.obj = obj_new(pm, VMAFUZZ_OBJ_SHM, op->file, PM_SHM_PAGES);
		break;
	case VMAFUZZ_KIND_DEVICE:
		a.kind = VMAFUZZ_OBJ_DEV;
		a.file = op->file;
		a.obj = obj_new(pm, VMAFUZZ_OBJ_DEV, op->file, PM_NO_EXTENT);
		a.flags |= VMAFUZZ_VM_IO | VMAFUZZ_VM_PFNMAP | VMAFUZZ_VM_DONTEXPAND |
			   VMAFUZZ_VM_DONTDUMP;
		a.present = true;
		break;
	}
	/* mmap_region drops the lock of a VM_SPECIAL mapping (§5.9 step 8). */
	if (a.flags & PM_SPECIAL)
		a.flags &= ~PM_LOCKED;
	map_run(pm, s, e, &a);
	/* do_mmap populates MAP_POPULATE and VM_LOCKED (not ONFAULT); errors ignored. */
	if ((op->flags & VMAFUZZ_MMAP_POPULATE) || (a.flags & PM_LOCKED) == VMAFUZZ_VM_LOCKED)
		(void)fault_walk(pm, s, e, true, false);
}

struct prot_arg {
	uint64_t prot;
};

static void set_prot(struct vmafuzz_pagemodel *pm, struct pm_attr *a, const void *arg)
{
	uint64_t prot = ((const struct prot_arg *)arg)->prot;

	(void)pm;
	/* §5.1 step 3: charge and add VM_ACCOUNT once, never remove it. */
	if ((prot & VMAFUZZ_VM_WRITE) && !(a->flags & (VMAFUZZ_VM_ACCOUNT | VMAFUZZ_VM_WRITE |
						       VMAFUZZ_VM_SHARED | VMAFUZZ_VM_NORESERVE)))
		a->flags |= VMAFUZZ_VM_ACCOUNT;
	a->flags = (a->flags & ~PM_PROT) | prot;
}

static uint64_t prot_bits(uint8_t prot)
{
	return (prot & VMAFUZZ_PROT_READ ? VMAFUZZ_VM_READ : 0) |
	       (prot & VMAFUZZ_PROT_WRITE ? VMAFUZZ_VM_WRITE : 0) |
	       (prot & VMAFUZZ_PROT_EXEC ? VMAFUZZ_VM_EXEC : 0);
}

static void apply_mprotect(struct vmafuzz_pagemodel *pm, const struct vmafuzz_op *op,
			   const struct vmafuzz_layout *pre)
{
	struct prot_arg pa = { prot_bits(op->prot) };
	uint32_t s = op->addr, e = op->addr + op->len;
	unsigned int k;

	for_range(pm, s, e, set_prot, &pa);
	if (!(pa.prot & VMAFUZZ_VM_WRITE))
		return;
	/*
	 * mprotect_fixup populates a locked private VMA that becomes writable,
	 * over its part of the range, ignoring errors: one walk per old VMA.
	 */
	for (k = 0; k < pre->nr; k++) {
		const struct vmafuzz_lvma *v = &pre->v[k];
		uint32_t vs = v->start > s ? v->start : s, ve = v->end < e ? v->end : e;

		if (vs >= ve)
			continue;
		if ((v->flags & (VMAFUZZ_VM_WRITE | VMAFUZZ_VM_SHARED | VMAFUZZ_VM_LOCKED)) ==
		    VMAFUZZ_VM_LOCKED)
			(void)fault_walk(pm, vs, ve, true, false);
	}
}

static void set_madvise(struct vmafuzz_pagemodel *pm, struct pm_attr *a, const void *arg)
{
	uint64_t f = a->flags;

	(void)pm;
	switch (*(const uint8_t *)arg) {
	case VMAFUZZ_ADV_NORMAL:
		f &= ~(VMAFUZZ_VM_SEQ_READ | VMAFUZZ_VM_RAND_READ);
		break;
	case VMAFUZZ_ADV_SEQUENTIAL:
		f = (f & ~VMAFUZZ_VM_RAND_READ) | VMAFUZZ_VM_SEQ_READ;
		break;
	case VMAFUZZ_ADV_RANDOM:
		f = (f & ~VMAFUZZ_VM_SEQ_READ) | VMAFUZZ_VM_RAND_READ;
		break;
	case VMAFUZZ_ADV_DONTFORK:
		f |= VMAFUZZ_VM_DONTCOPY;
		break;
	case VMAFUZZ_ADV_DOFORK:
		f &= ~VMAFUZZ_VM_DONTCOPY;
		break;
	case VMAFUZZ_ADV_WIPEONFORK:
		f |= VMAFUZZ_VM_WIPEONFORK;
		break;
	case VMAFUZZ_ADV_KEEPONFORK:
		f &= ~VMAFUZZ_VM_WIPEONFORK;
		break;
	case VMAFUZZ_ADV_DONTDUMP:
		f |= VMAFUZZ_VM_DONTDUMP;
		break;
	case VMAFUZZ_ADV_DODUMP:
		f &= ~VMAFUZZ_VM_DONTDUMP;
		break;
	case VMAFUZZ_ADV_MERGEABLE:
		/* KSM leaves shared and special mappings alone. */
		if (!(f & (VMAFUZZ_VM_SHARED | PM_SPECIAL)))
			f |= VMAFUZZ_VM_MERGEABLE;
		break;
	case VMAFUZZ_ADV_UNMERGEABLE:
		f &= ~VMAFUZZ_VM_MERGEABLE;
		break;
	case VMAFUZZ_ADV_HUGEPAGE:
		f = (f & ~VMAFUZZ_VM_NOHUGEPAGE) | VMAFUZZ_VM_HUGEPAGE;
		break;
	case VMAFUZZ_ADV_NOHUGEPAGE:
		f = (f & ~VMAFUZZ_VM_HUGEPAGE) | VMAFUZZ_VM_NOHUGEPAGE;
		break;
	}
	a->flags = f;
}

static void set_name(struct vmafuzz_pagemodel *pm, struct pm_attr *a, const void *arg)
{
	(void)pm;
	a->name = *(const uint32_t *)arg;
}

struct lock_arg {
	uint64_t set;
};

static void set_lock(struct vmafuzz_pagemodel *pm, struct pm_attr *a, const void *arg)
{
	(void)pm;
	/* mlock_fixup leaves VM_SPECIAL alone (§5.4). */
	if (!(a->flags & PM_SPECIAL))
		a->flags = (a->flags & ~PM_LOCKED) | ((const struct lock_arg *)arg)->set;
}

static void set_policy(struct vmafuzz_pagemodel *pm, struct pm_attr *a, const void *arg)
{
	(void)pm;
	a->pol = *(const uint8_t *)arg;
	a->home = false;
}

static void set_home(struct vmafuzz_pagemodel *pm, struct pm_attr *a, const void *arg)
{
	(void)pm;
	(void)arg;
	if (a->pol == VMAFUZZ_POL_BIND)
		a->home = true;
}

struct uffd_arg {
	uint8_t ctx;
	uint64_t mode;
};

static void set_uffd(struct vmafuzz_pagemodel *pm, struct pm_attr *a, const void *arg)
{
	const struct uffd_arg *u = arg;

	(void)pm;
	/* The superset skip: same context, already every requested mode. */
	if (u->ctx && a->uffd == u->ctx && (a->flags & u->mode) == u->mode)
		return;
	a->flags = (a->flags & ~PM_UFFD) | u->mode;
	a->uffd = u->ctx;
}

static void clear_uffd(struct vmafuzz_pagemodel *pm, struct pm_attr *a, const void *arg)
{
	(void)pm;
	(void)arg;
	a->flags &= ~PM_UFFD;
	a->uffd = 0;
}

static void clear_lock(struct vmafuzz_pagemodel *pm, struct pm_attr *a, const void *arg)
{
	(void)pm;
	(void)arg;
	a->flags &= ~PM_LOCKED;
}

static void clear_account(struct vmafuzz_pagemodel *pm, struct pm_attr *a, const void *arg)
{
	(void)pm;
	(void)arg;
	a->flags &= ~VMAFUZZ_VM_ACCOUNT;
}

static void drop_presence(struct vmafuzz_pagemodel *pm, struct pm_attr *a, const void *arg)
{
	(void)pm;
	(void)arg;
	if (a->kind != VMAFUZZ_OBJ_DEV) {
		a->present = false;
		a->written = false;
	}
}

static int apply_mlock(struct vmafuzz_pagemodel *pm, const struct vmafuzz_op *op)
{
	uint32_t s = op->addr, e = op->addr + op->len;
	struct lock_arg la;

	if (op->op == VMAFUZZ_OP_MUNLOCK) {
		la.set = 0;
		for_range(pm, s, e, set_lock, &la);
		return 0;
	}
	la.set = VMAFUZZ_VM_LOCKED | (op->flags & 1 ? VMAFUZZ_VM_LOCKONFAULT : 0);
	for_range(pm, s, e, set_lock, &la);
	if (op->flags & 1)
		return 0;
	/* mlock stops at the first failure; -EFAULT is returned as -ENOMEM. */
	return fault_walk(pm, s, e, true, false) ? -ENOMEM : 0;
}

static void apply_mlockall(struct vmafuzz_pagemodel *pm, const struct vmafuzz_op *op,
			   const struct vmafuzz_layout *post)
{
	uint64_t add = VMAFUZZ_VM_LOCKED;
	struct lock_arg la;
	unsigned int k;

	if (op->flags & VMAFUZZ_MCL_ONFAULT)
		add |= VMAFUZZ_VM_LOCKONFAULT;
	if (op->op == VMAFUZZ_OP_MUNLOCKALL) {
		pm->def_flags = 0;
		la.set = 0;
		for_range(pm, 0, VMAFUZZ_WINDOW_PAGES, set_lock, &la);
		return;
	}
	pm->def_flags = (op->flags & VMAFUZZ_MCL_FUTURE) ? add : 0;
	if (!(op->flags & VMAFUZZ_MCL_CURRENT))
		return;
	la.set = add;
	for_range(pm, 0, VMAFUZZ_WINDOW_PAGES, set_lock, &la);
	if (op->flags & VMAFUZZ_MCL_ONFAULT)
		return;
	/* mm_populate over everything, errors ignored: each VMA stops on its own. */
	for (k = 0; k < post->nr; k++)
		(void)fault_walk(pm, post->v[k].start, post->v[k].end, true, false);
}

static int apply_touch(struct vmafuzz_pagemodel *pm, const struct vmafuzz_op *op)
{
	if (!op->len)
		return 0;
	return fault_walk(pm, op->addr, op->addr + op->len, false, !(op->flags & 1));
}

static void apply_brk(struct vmafuzz_pagemodel *pm, const struct vmafuzz_op *op)
{
	struct pm_attr a;

	if (!pm->brk_set) {
		pm->brk_set = true;
		pm->brk_start = pm->brk = op->addr;
		return;
	}
	if (op->addr < pm->brk) {
		runs_remove(&pm->rs, op->addr, pm->brk);
	} else if (op->addr > pm->brk) {
		/* do_brk_flags: a private anonymous rw- heap, accounted (§5.8). */
		memset(&a, 0, sizeof(a));
		a.flags = VMAFUZZ_VM_READ | VMAFUZZ_VM_WRITE | VMAFUZZ_VM_ACCOUNT | pm->def_flags;
		a.kind = VMAFUZZ_OBJ_ANON;
		a.pgoff = pm->brk;
		map_run(pm, pm->brk, op->addr, &a);
		if (pm->def_flags & VMAFUZZ_VM_LOCKED)
			(void)fault_walk(pm, pm->brk, op->addr, true, false);
	}
	pm->brk = op->addr;
}

static void apply_fork(struct vmafuzz_pagemodel *pm, const struct vmafuzz_layout *pre)
{
	unsigned int i, k = 0;

	for (i = 0; i < pm->rs.nr; i++) {
		struct run *r = &pm->rs.r[i];

		if (r->a.flags & VMAFUZZ_VM_DONTCOPY)
			continue;
		r->a.flags &= ~(PM_LOCKED | PM_UFFD);
		r->a.uffd = 0;
		pm->rs.r[k++] = *r;
	}
	pm->rs.nr = k;
	/*
	 * Private presence survives only under a VMA that had an anon_vma and
	 * is not WIPEONFORK (device pages are present anyway).
	 */
	for (i = 0; i < pre->nr; i++) {
		const struct vmafuzz_lvma *v = &pre->v[i];

		if (v->av && !(v->flags & VMAFUZZ_VM_WIPEONFORK))
			continue;
		if (v->flags & VMAFUZZ_VM_DONTCOPY)
			continue;
		for_range(pm, v->start, v->end, drop_presence, NULL);
	}
	pm->def_flags = 0;
}

/* The lowest free gap of len pages at or above PM_PLACE_FROM, or UINT32_MAX. */
static uint32_t place(const struct vmafuzz_pagemodel *pm, uint32_t len)
{
	uint64_t p = PM_PLACE_FROM;
	unsigned int i = runs_find(&pm->rs, PM_PLACE_FROM);

	for (; i < pm->rs.nr; i++) {
		if (pm->rs.r[i].start >= p + len)
			break;
		if (pm->rs.r[i].end > p)
			p = pm->rs.r[i].end;
	}
	return p + len <= VMAFUZZ_WINDOW_PAGES ? (uint32_t)p : UINT32_MAX;
}

static const struct vmafuzz_lvma *layout_at(const struct vmafuzz_layout *l, uint32_t p)
{
	unsigned int lo = 0, hi = l->nr;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (l->v[mid].end <= p)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < l->nr && l->v[lo].start <= p ? &l->v[lo] : NULL;
}

static bool layout_any(const struct vmafuzz_layout *l, uint32_t s, uint32_t e)
{
	unsigned int k;

	for (k = 0; k < l->nr; k++) {
		if (l->v[k].start < e && l->v[k].end > s)
			return true;
	}
	return false;
}

/* Up to four affected ranges of a statement (DESIGN.md, "The page model"). */
struct affected {
	unsigned int nr;
	struct ivl v[5];
	bool unmaps; /* the statement may leave pages of them unmapped */
};

static void aff_add(struct affected *af, uint64_t s, uint64_t e)
{
	if (s < e && af->nr < 5)
		af->v[af->nr++] = (struct ivl){ s, e };
}

/*
 * mremap (SEMANTICS.md §5.7). Returns -1 with msg when the targets' success
 * cannot be: no VMA at addr.
 */
static int apply_mremap(struct vmafuzz_pagemodel *pm, const struct vmafuzz_op *op,
			const struct vmafuzz_layout *pre, const struct vmafuzz_layout *post,
			struct affected *af, char *msg, size_t sz)
{
	uint32_t addr = op->addr, ol = op->len, nl = op->newlen, nw;
	bool maymove = op->flags & VMAFUZZ_MREMAP_MAYMOVE;
	bool fixed = op->flags & VMAFUZZ_MREMAP_FIXED;
	bool dontunmap = op->flags & VMAFUZZ_MREMAP_DONTUNMAP;
	const struct vmafuzz_lvma *src = layout_at(pre, addr);
	struct runs moved = { 0 };
	struct pm_attr last;
	const struct run *lr;
	uint64_t npgoff, src_pg;
	unsigned int lo, hi, i;
	uint32_t sstart, send;
	bool unmap_failed = false;

	aff_add(af, addr, (uint64_t)addr + ol);
	af->unmaps = true;
	if (!src) {
		snprintf(msg, sz, "mremap succeeded, but no VMA holds page %u", addr);
		return -1;
	}
	sstart = src->start;
	send = src->end;
	if (!fixed && !dontunmap) {
		if (ol >= nl && ol) {
			runs_remove(&pm->rs, addr + nl, addr + ol);
			return 0;
		}
		aff_add(af, (uint64_t)addr + ol, (uint64_t)addr + nl);
		if (ol && ol == send - addr && (uint64_t)send + (nl - ol) <= VMAFUZZ_WINDOW_PAGES &&
		    !any_mapped(pm, send, send + (nl - ol))) {
			/* Expand in place: the tail continues the VMA's last page. */
			lr = runs_at(&pm->rs, addr + ol - 1);
			if (!lr) {
				snprintf(msg, sz, "mremap: page %u is not mapped", addr + ol - 1);
				return -1;
			}
			last = lr->a;
			last.pgoff += addr + ol - lr->start;
			if (last.kind != VMAFUZZ_OBJ_DEV)
				last.present = last.written = false;
			map_run(pm, addr + ol, addr + nl, &last);
			if (last.flags & VMAFUZZ_VM_LOCKED)
				(void)fault_walk(pm, addr + ol, addr + nl, true, false);
			return 0;
		}
		if (!maymove)
			return 0; /* ENOMEM: only the error path comes here */
		nw = place(pm, nl);
		if (nw == UINT32_MAX)
			return 0;
		aff_add(af, nw, (uint64_t)nw + nl);
	} else if (fixed) {
		nw = op->newaddr;
		aff_add(af, nw, (uint64_t)nw + nl);
		runs_remove(&pm->rs, nw, nw + nl);
		if (ol > nl) {
			runs_remove(&pm->rs, addr + nl, addr + ol);
			ol = nl;
		}
		/* These unmaps may have cut the old VMA: what is left around addr. */
		if (nw + nl <= addr && nw + nl > sstart)
			sstart = nw + nl;
		if (nw >= addr + ol && nw < send)
			send = nw;
		if (addr + ol < send && op->len > ol)
			send = addr + ol;
	} else {
		nw = place(pm, nl);
		if (nw == UINT32_MAX)
			return 0;
		aff_add(af, nw, (uint64_t)nw + nl);
	}

	/* The source pages, and the attributes the new tail continues. */
	lr = runs_at(&pm->rs, ol ? addr + ol - 1 : addr);
	if (!lr) {
		snprintf(msg, sz, "mremap: page %u is not mapped", ol ? addr + ol - 1 : addr);
		return -1;
	}
	last = lr->a;
	last.pgoff += (ol ? addr + ol - 1 : addr) - lr->start;
	lr = runs_at(&pm->rs, addr);
	if (!lr) {
		snprintf(msg, sz, "mremap: page %u is not mapped", addr);
		return -1;
	}
	npgoff = lr->a.pgoff + (addr - lr->start);
	src_pg = npgoff;
	/* copy_vma restarts an unfaulted anonymous source at its new address. */
	if (src->obj == VMAFUZZ_OBJ_ANON && !src->av)
		npgoff = nw;
	if (ol) {
		runs_isolate(&pm->rs, addr, addr + ol, &lo, &hi);
		runs_copy(&moved, &(struct runs){ .r = &pm->rs.r[lo], .nr = hi - lo });
	}
	for (i = 0; i < moved.nr; i++) {
		struct run *r = &moved.r[i];

		r->a.pgoff = npgoff + (r->start - addr);
		r->start = r->start - addr + nw;
		r->end = r->end - addr + nw;
		r->a.flags &= ~PM_UFFD;
		r->a.uffd = 0;
	}
	/* The old range: unmapped, or left behind without its pages. */
	if (ol) {
		if (dontunmap) {
			for_range(pm, addr, addr + ol, drop_presence, NULL);
			for_range(pm, sstart, send, clear_lock, NULL);
		} else if (!layout_any(post, addr, addr + ol)) {
			runs_remove(&pm->rs, addr, addr + ol);
		} else {
			/* The unmap failed: the whole old VMA keeps VM_ACCOUNT hidden. */
			for_range(pm, addr, addr + ol, drop_presence, NULL);
			for_range(pm, sstart, send, clear_account, NULL);
			unmap_failed = true;
		}
	}
	for (i = 0; i < moved.nr; i++)
		runs_add(&pm->rs, &moved.r[i]);
	free(moved.r);
	if (nl > ol) {
		last.pgoff = npgoff + ol;
		last.flags &= ~PM_UFFD;
		last.uffd = 0;
		if (last.kind != VMAFUZZ_OBJ_DEV)
			last.present = last.written = false;
		map_run(pm, nw + ol, nw + nl, &last);
	}
	/*
	 * copy_vma may have merged the new range with its neighbours; DESIGN.md
	 * lets the page model take that decision from the agreed layout.
	 * mremap_userfaultfd_prep unregisters the whole merged VMA, and when
	 * the unmap of the old range failed, the VMA that hid VM_ACCOUNT was
	 * the merged one. A merge with what is left of the old VMA itself
	 * covered all of it.
	 */
	{
		const struct vmafuzz_lvma *e1 = layout_at(post, nw);
		const struct vmafuzz_lvma *e2 = layout_at(post, nw + nl - 1);
		bool below = e1 && e1->start < nw, above = e2 && e2->end > nw + nl;
		bool self = false, selfcand;

		/*
		 * The new range lies against the old VMA, whose offsets an
		 * unfaulted anonymous source makes linear with it: copy_vma
		 * merges them, unless a merge failure was injected.
		 */
		selfcand = ol && src->obj == VMAFUZZ_OBJ_ANON && !src->av &&
			   ((nw + nl == sstart && src_pg + sstart - addr == (uint64_t)nw + nl) ||
			    (nw == send && src_pg + send - addr == nw));
		if (e1)
			for_range(pm, e1->start, e1->end, clear_uffd, NULL);
		if (e2 && e2 != e1)
			for_range(pm, e2->start, e2->end, clear_uffd, NULL);
		if (ol && !dontunmap) {
			/*
			 * The merged VMA still reaches the old range's edge, where a
			 * leftover of the old VMA lies. Without a leftover on that
			 * side the VMA there is another one (one that a failed merge
			 * kept apart, say), and the old VMA keeps its context.
			 */
			self = (below && e1->start == addr + ol && addr + ol < send) ||
			       (above && e2->end == addr && sstart < addr);
			/* Or the old VMA's leftover shows the merge. */
			if (!self && selfcand) {
				uint32_t left = sstart < addr ? sstart : addr + ol;
				const struct vmafuzz_lvma *lv =
					left < send ? layout_at(post, left) : NULL;
				const struct run *lrun = lv ? runs_at(&pm->rs, left) : NULL;

				self = lv && lrun && !lv->uffd && lrun->a.uffd;
			}
			if (self)
				for_range(pm, sstart, send, clear_uffd, NULL);
		}
		if (ol && dontunmap && e1 && e1->start <= addr && e1->end >= addr + ol)
			for_range(pm, e1->start, e1->end, clear_lock, NULL);
		/* The new pages show whether they were part of the old VMA then. */
		if (unmap_failed && selfcand && e1 && !(e1->flags & VMAFUZZ_VM_ACCOUNT))
			for_range(pm, nw, nw + nl, clear_account, NULL);
		if (unmap_failed && e1 && e1->start < send && e1->end > sstart)
			for_range(pm, e1->start, e1->end, clear_account, NULL);
		if (unmap_failed && e2 && e2->start < send && e2->end > sstart)
			for_range(pm, e2->start, e2->end, clear_account, NULL);
	}
	if (nl > ol && (last.flags & VMAFUZZ_VM_LOCKED))
		(void)fault_walk(pm, nw + ol, nw + nl, true, false);
	return 0;
}

/*
 * The statement on the page model as its success would leave it. Returns 0,
 * a negative errno the semantics predict for it (touch, mlock's populate),
 * or 1 with msg when the targets' outcome cannot be explained.
 */
static int apply_op(struct vmafuzz_pagemodel *pm, const struct vmafuzz_op *op,
		    const struct vmafuzz_layout *pre, const struct vmafuzz_layout *post,
		    struct affected *af, char *msg, size_t sz)
{
	uint32_t s = op->addr, e = op->addr + op->len;

	switch (op->op) {
	case VMAFUZZ_OP_MMAP:
		aff_add(af, s, e);
		af->unmaps = true;
		apply_mmap(pm, op);
		return 0;
	case VMAFUZZ_OP_MUNMAP:
		aff_add(af, s, e);
		runs_remove(&pm->rs, s, e);
		return 0;
	case VMAFUZZ_OP_MPROTECT:
		aff_add(af, s, e);
		apply_mprotect(pm, op, pre);
		return 0;
	case VMAFUZZ_OP_MADVISE:
		aff_add(af, s, e);
		for_range(pm, s, e, set_madvise, &op->advice);
		return 0;
	case VMAFUZZ_OP_NAME: {
		uint32_t id = name_intern(pm, op->name);

		aff_add(af, s, e);
		for_range(pm, s, e, set_name, &id);
		return 0;
	}
	case VMAFUZZ_OP_MLOCK:
	case VMAFUZZ_OP_MUNLOCK:
		aff_add(af, s, e);
		return apply_mlock(pm, op);
	case VMAFUZZ_OP_MLOCKALL:
	case VMAFUZZ_OP_MUNLOCKALL:
		aff_add(af, 0, VMAFUZZ_WINDOW_PAGES);
		apply_mlockall(pm, op, post);
		return 0;
	case VMAFUZZ_OP_MBIND:
		aff_add(af, s, e);
		for_range(pm, s, e, set_policy, &op->policy);
		return 0;
	case VMAFUZZ_OP_HOME_NODE:
		aff_add(af, s, e);
		for_range(pm, s, e, set_home, NULL);
		return 0;
	case VMAFUZZ_OP_UFFD_REGISTER: {
		struct uffd_arg u = { op->ctx, 0 };

		if (op->mode & VMAFUZZ_UFFD_MISSING)
			u.mode |= VMAFUZZ_VM_UFFD_MISSING;
		if (op->mode & VMAFUZZ_UFFD_WP)
			u.mode |= VMAFUZZ_VM_UFFD_WP;
		aff_add(af, s, e);
		for_range(pm, s, e, set_uffd, &u);
		return 0;
	}
	case VMAFUZZ_OP_UFFD_UNREGISTER:
		aff_add(af, s, e);
		for_range(pm, s, e, clear_uffd, NULL);
		return 0;
	case VMAFUZZ_OP_UFFD_CLOSE: {
		unsigned int i;

		aff_add(af, 0, VMAFUZZ_WINDOW_PAGES);
		for (i = 0; i < pm->rs.nr; i++) {
			if (pm->rs.r[i].a.uffd == op->ctx)
				clear_uffd(pm, &pm->rs.r[i].a, NULL);
		}
		return 0;
	}
	case VMAFUZZ_OP_MREMAP:
		return apply_mremap(pm, op, pre, post, af, msg, sz) ? 1 : 0;
	case VMAFUZZ_OP_BRK:
		if (pm->brk_set)
			aff_add(af, op->addr < pm->brk ? op->addr : pm->brk,
				op->addr < pm->brk ? pm->brk : op->addr);
		af->unmaps = true;
		apply_brk(pm, op);
		return 0;
	case VMAFUZZ_OP_TOUCH:
		aff_add(af, s, e);
		return apply_touch(pm, op);
	case VMAFUZZ_OP_FORK:
		apply_fork(pm, pre);
		return 0;
	default:
		return 0;
	}
}

/* ---------------------------------------------------- comparison helpers */

static const char *obj_name(uint8_t kind)
{
	switch (kind) {
	case VMAFUZZ_OBJ_ANON:
		return "anon";
	case VMAFUZZ_OBJ_FILE:
		return "file";
	case VMAFUZZ_OBJ_SHM:
		return "shm";
	case VMAFUZZ_OBJ_DEV:
		return "dev";
	default:
		return "zero";
	}
}

/*
 * Attributes of page p as VMA v shows them, in the page model's terms; the
 * name is left to the caller (0).
 */
static void lvma_attr(const struct vmafuzz_lvma *v, uint32_t p, struct pm_attr *a)
{
	memset(a, 0, sizeof(*a));
	a->flags = v->flags & PM_MASK;
	a->pgoff = v->pgoff + (p - v->start);
	a->kind = v->obj;
	a->file = (v->obj == VMAFUZZ_OBJ_FILE || v->obj == VMAFUZZ_OBJ_SHM ||
		   v->obj == VMAFUZZ_OBJ_DEV) ?
			  v->file :
			  0;
	a->pol = v->pol;
	a->home = v->pol_home;
	a->uffd = v->uffd;
}

/*
 * Which attribute of VMA v's page p differs from what run r says of it? NULL
 * if none. Objects compare by kind and file; the caller numbers instances.
 */
static const char *lvma_diff(const struct vmafuzz_lvma *v, uint32_t p, const struct run *r,
			     const char *name)
{
	const struct pm_attr *a = &r->a;
	uint64_t d = (v->flags ^ a->flags) & PM_MASK;
	uint8_t file = (v->obj == VMAFUZZ_OBJ_FILE || v->obj == VMAFUZZ_OBJ_SHM ||
			v->obj == VMAFUZZ_OBJ_DEV) ?
			       v->file :
			       0;

	if (d & PM_PROT)
		return "prot";
	if (d & VMAFUZZ_VM_SHARED)
		return "s/p";
	if (d)
		return "flags";
	if (v->obj != a->kind || file != a->file)
		return "object";
	if (v->pgoff + (p - v->start) != a->pgoff + (p - r->start))
		return "pgoff";
	if (v->pol != a->pol || v->pol_home != a->home)
		return "pol";
	if (v->uffd != a->uffd)
		return "uffd";
	if (strcmp(v->name, name))
		return "name";
	return NULL;
}

static int fmt_flags(char *buf, size_t sz, uint64_t f)
{
	static const struct {
		const char *n;
		uint64_t bit;
	} names[] = {
#define X(s, b) { s, b },
		VMAFUZZ_FLAG_NAMES(X)
#undef X
	};
	size_t n = 0;
	unsigned int i;

	n += (size_t)snprintf(buf, sz, "%c%c%c%c flags=", f & VMAFUZZ_VM_READ ? 'r' : '-',
			      f & VMAFUZZ_VM_WRITE ? 'w' : '-', f & VMAFUZZ_VM_EXEC ? 'x' : '-',
			      f & VMAFUZZ_VM_SHARED ? 's' : 'p');
	for (i = 0; i < sizeof(names) / sizeof(names[0]) && n < sz; i++) {
		if (f & names[i].bit)
			n += (size_t)snprintf(buf + n, sz - n, "%s%s",
					      (buf[n - 1] == '=') ? "" : ",", names[i].n);
	}
	return (int)n;
}

static void describe(char *buf, size_t sz, const struct pm_attr *a, const char *name)
{
	char fb[160];

	fmt_flags(fb, sizeof(fb), a->flags);
	snprintf(buf, sz, "%s %s pgoff=%llu pol=%s%s uffd=%u name=%s", fb, obj_name(a->kind),
		 (unsigned long long)a->pgoff,
		 vmafuzz_policy_names[a->pol < VMAFUZZ_POL_NR ? a->pol : 0], a->home ? "@0" : "",
		 a->uffd, name[0] ? name : "-");
}

/* --------------------------------------------------------------- check */

static int fail_attr(const struct vmafuzz_pagemodel *pm, char *msg, size_t sz, uint32_t p,
		     const struct vmafuzz_lvma *v, const char *what, const struct run *r)
{
	struct pm_attr got, want = r->a;
	char g[320], w[320];

	lvma_attr(v, p, &got);
	want.pgoff += p - r->start;
	describe(g, sizeof(g), &got, v->name);
	describe(w, sizeof(w), &want, pm->names[want.name]);
	snprintf(msg, sz, "page %u: %s differs: VMA %u-%u has %s, the page model has %s", p, what,
		 v->start, v->end, g, w);
	return -1;
}

/*
 * Presence of the pages of VMA v, run against run: the target's page_state
 * must say present (and written, for a private page) where the page model
 * does. The caller has matched v's attributes with the page model's runs.
 */
static int check_presence(const struct vmafuzz_pagemodel *pm, const struct vmafuzz_lvma *v,
			  const struct vmafuzz_target_ops *ops, struct vmafuzz_target *t,
			  char *msg, size_t sz)
{
	const struct runs *rs = &pm->rs;
	uint32_t p = v->start;

	while (p < v->end) {
		const struct run *r = runs_at(rs, p);
		uint32_t tend = p + 1, mend;
		unsigned int st;
		bool present, written;

		/* Shared file and shm pages: nothing to ask the target. */
		if (!r || !page_presence(pm, r, p, &present, &written, &mend)) {
			p = r && r->end < v->end ? r->end : v->end;
			continue;
		}
		st = ops->page_state(t, p, &tend);
		if (tend <= p || tend > v->end)
			tend = tend <= p ? p + 1 : v->end;
		if (st & VMAFUZZ_PAGE_UNTRACKED) {
			p = tend;
			continue;
		}
		if (!!(st & VMAFUZZ_PAGE_PRESENT) != present ||
		    (is_private(&r->a) && r->a.kind != VMAFUZZ_OBJ_DEV &&
		     !!(st & VMAFUZZ_PAGE_WRITTEN) != written)) {
			snprintf(
				msg, sz,
				"page %u (VMA %u-%u): the target has it %s%s, the page model %s%s",
				p, v->start, v->end,
				st & VMAFUZZ_PAGE_PRESENT ? "present" : "not present",
				st & VMAFUZZ_PAGE_WRITTEN ? ", written" : "",
				present ? "present" : "not present",
				written ? ", written" : "");
			return -1;
		}
		p = tend < mend ? tend : mend;
	}
	return 0;
}

int vmafuzz_pagemodel_check(const struct vmafuzz_pagemodel *pm, const struct vmafuzz_layout *l,
			    const struct vmafuzz_target_ops *ops, struct vmafuzz_target *t,
			    char *msg, size_t sz)
{
	uint16_t next_zero = 0, next_shm[VMAFUZZ_MAX_FILE + 1] = { 0 };
	uint16_t next_dev[VMAFUZZ_MAX_FILE + 1] = { 0 };
	const struct runs *rs = &pm->rs;
	uint32_t gen = ++pm->sc->gen;
	unsigned int i = 0, k;
	uint32_t done = 0; /* pages below it are checked */

	for (k = 0; k < l->nr; k++) {
		const struct vmafuzz_lvma *v = &l->v[k];
		uint32_t p = v->start;
		uint32_t obj = 0;

		/* Nothing of the page model may lie between the last VMA and this one. */
		if (i < rs->nr && (rs->r[i].start > done ? rs->r[i].start : done) < v->start) {
			snprintf(msg, sz, "page %u is mapped in the page model but in no VMA",
				 rs->r[i].start > done ? rs->r[i].start : done);
			return -1;
		}
		while (p < v->end) {
			const struct run *r = i < rs->nr ? &rs->r[i] : NULL;
			const char *d;

			if (!r || r->start > p) {
				snprintf(msg, sz,
					 "page %u: VMA %u-%u maps it, the page model does not", p,
					 v->start, v->end);
				return -1;
			}
			d = lvma_diff(v, p, r, pm->names[r->a.name]);
			if (d)
				return fail_attr(pm, msg, sz, p, v, d, r);
			if (p == v->start)
				obj = r->a.obj;
			else if (r->a.obj != obj)
				return fail_attr(pm, msg, sz, p, v, "object instance", r);
			if (r->end <= v->end) {
				p = r->end;
				i++;
			} else {
				p = v->end;
			}
		}
		done = v->end;
		if (obj) {
			struct object *o = &pm->objs[obj];
			uint16_t *next = o->kind == VMAFUZZ_OBJ_ZERO ?
						 &next_zero :
					 o->kind == VMAFUZZ_OBJ_SHM ?
						 &next_shm[o->file % (VMAFUZZ_MAX_FILE + 1)] :
						 &next_dev[o->file % (VMAFUZZ_MAX_FILE + 1)];

			if (o->stamp != gen) {
				o->stamp = gen;
				o->canon = ++*next;
			}
			if (o->canon != v->inst) {
				snprintf(msg, sz,
					 "page %u: VMA %u-%u maps %s instance %u, the page model's "
					 "object there is instance %u by first appearance",
					 v->start, v->start, v->end, obj_name(o->kind), v->inst,
					 o->canon);
				return -1;
			}
		}
		if (ops && ops->page_state && check_presence(pm, v, ops, t, msg, sz))
			return -1;
	}
	if (i < rs->nr) {
		snprintf(msg, sz, "page %u is mapped in the page model but in no VMA",
			 rs->r[i].start > done ? rs->r[i].start : done);
		return -1;
	}
	return 0;
}

int vmafuzz_pagemodel_check_presence(const struct vmafuzz_pagemodel *pm,
				     const struct vmafuzz_layout *l,
				     const struct vmafuzz_target_ops *ops, struct vmafuzz_target *t,
				     char *msg, size_t sz)
{
	unsigned int k;

	if (!ops || !ops->page_state)
		return 0;
	for (k = 0; k < l->nr; k++) {
		if (check_presence(pm, &l->v[k], ops, t, msg, sz))
			return -1;
	}
	return 0;
}

/* ---------------------------------------------------------- error path */

/*
 * The page model before a failed statement. Its buffers live as long as the
 * page model, so the error path allocates nothing once warmed up.
 */
struct snapshot {
	struct runs rs;
	/* Shared-anonymous presence: for each object that has some, a slice of pool. */
	struct snap_obj {
		uint32_t obj, first, nr;
	} * objs;
	unsigned int nr_objs, cap_objs;
	struct ivl *pool;
	unsigned int nr_pool, cap_pool;
	struct runs adopt; /* the targets' pages of the affected ranges */
};

static void snap_take(struct snapshot *s, const struct vmafuzz_pagemodel *pm)
{
	unsigned int i;

	runs_copy(&s->rs, &pm->rs);
	s->nr_objs = 0;
	s->nr_pool = 0;
	for (i = 1; i <= pm->nr_objs; i++) {
		const struct ivls *src = &pm->objs[i].present;

		if (!src->nr)
			continue;
		if (s->nr_objs == s->cap_objs) {
			s->cap_objs = s->cap_objs ? 2 * s->cap_objs : 8;
			s->objs = xrealloc(s->objs, (size_t)s->cap_objs * sizeof(*s->objs));
		}
		if (s->nr_pool + src->nr > s->cap_pool) {
			s->cap_pool = 2 * (s->nr_pool + src->nr) + 16;
			s->pool = xrealloc(s->pool, (size_t)s->cap_pool * sizeof(*s->pool));
		}
		s->objs[s->nr_objs++] = (struct snap_obj){ i, s->nr_pool, src->nr };
		memcpy(&s->pool[s->nr_pool], src->v, src->nr * sizeof(*src->v));
		s->nr_pool += src->nr;
	}
}

static size_t snapshot_size(void)
{
	return sizeof(struct snapshot);
}

static void snap_free(struct snapshot *s)
{
	free(s->rs.r);
	free(s->objs);
	free(s->pool);
	free(s->adopt.r);
}

/* The first boundary after p in rs: the end of the run at p, or the next start. */
static uint32_t runs_next(const struct runs *rs, uint32_t p)
{
	unsigned int i = runs_find(rs, p);

	if (i == rs->nr)
		return UINT32_MAX;
	return rs->r[i].start > p ? rs->r[i].start : rs->r[i].end;
}

static uint32_t layout_next(const struct vmafuzz_layout *l, uint32_t p)
{
	unsigned int lo = 0, hi = l->nr;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (l->v[mid].end <= p)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == l->nr)
		return UINT32_MAX;
	return l->v[lo].start > p ? l->v[lo].start : l->v[lo].end;
}

static uint32_t min32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

/*
 * After an error: each page of [s, e) must show, attribute by attribute, its
 * old value (in old) or its new one (in pm, as success would have left it).
 * The targets' pages are appended to adopt.
 */
static int check_between(struct vmafuzz_pagemodel *pm, const struct snapshot *old, uint32_t s,
			 uint32_t e, bool unmaps, const struct vmafuzz_layout *post,
			 const struct vmafuzz_target_ops *ops, struct vmafuzz_target *t,
			 struct runs *adopt, char *msg, size_t sz)
{
	uint32_t p = s;

	while (p < e) {
		const struct run *ro = runs_at(&old->rs, p), *rn = runs_at(&pm->rs, p);
		const struct vmafuzz_lvma *v = layout_at(post, p);
		uint32_t q = min32(e, min32(runs_next(&old->rs, p), runs_next(&pm->rs, p)));
		struct pm_attr got, ao, an;
		const char *what = NULL;
		uint64_t diff = PM_MASK;
		struct run ad;

		q = min32(q, layout_next(post, p));
		if (!v) {
			if (ro && rn && !unmaps) {
				snprintf(
					msg, sz,
					"after the error page %u is unmapped, but it is mapped before "
					"and after a success",
					p);
				return -1;
			}
			p = q;
			continue;
		}
		if (!ro && !rn) {
			snprintf(msg, sz,
				 "after the error page %u is mapped, but neither before nor after "
				 "a success",
				 p);
			return -1;
		}
		lvma_attr(v, p, &got);
		got.name = name_intern(pm, v->name);
		memset(&ao, 0, sizeof(ao));
		memset(&an, 0, sizeof(an));
		if (ro) {
			ao = ro->a;
			ao.pgoff += p - ro->start;
			diff &= got.flags ^ ao.flags;
		}
		if (rn) {
			an = rn->a;
			an.pgoff += p - rn->start;
			diff &= got.flags ^ an.flags;
		}
#define ONE_OF(field) ((ro && got.field == ao.field) || (rn && got.field == an.field))
		if (diff)
			what = "flags";
		else if (!ONE_OF(kind) || !ONE_OF(file))
			what = "object";
		else if (!ONE_OF(pgoff))
			what = "pgoff";
		else if (!ONE_OF(pol) || !ONE_OF(home))
			what = "pol";
		else if (!ONE_OF(uffd))
			what = "uffd";
		else if (!ONE_OF(name))
			what = "name";
#undef ONE_OF
		if (what) {
			char g[320], w[320];

			describe(g, sizeof(g), &got, v->name);
			describe(w, sizeof(w), ro ? &ao : &an, pm->names[ro ? ao.name : an.name]);
			snprintf(
				msg, sz,
				"after the error page %u has %s neither old nor new: VMA %u-%u has "
				"%s, the page model had %s",
				p, what, v->start, v->end, g, w);
			return -1;
		}
		/* The object instance: the old one where it fits, else the new one. */
		ad.a = got;
		ad.a.obj = (ro && ao.kind == got.kind && ao.file == got.file) ? ao.obj : an.obj;
		ad.a.present = got.kind == VMAFUZZ_OBJ_DEV;
		/* Presence of private pages, as the target has it. */
		while (p < q) {
			uint32_t tend = q;
			unsigned int st = 0;

			if (ops && ops->page_state) {
				tend = p + 1;
				st = ops->page_state(t, p, &tend);
				if (tend <= p || tend > q)
					tend = tend <= p ? p + 1 : q;
			}
			ad.start = p;
			ad.end = tend;
			ad.a.pgoff = v->pgoff + (p - v->start);
			if (is_private(&got) && got.kind != VMAFUZZ_OBJ_DEV && ops &&
			    ops->page_state) {
				bool pr = st & VMAFUZZ_PAGE_PRESENT, wr = st & VMAFUZZ_PAGE_WRITTEN;
				bool okp = false, okw = false;

				if (!ro || is_private(&ao)) {
					okp |= pr == (ro && ao.present);
					okw |= wr == (ro && ao.written);
				}
				if (!rn || is_private(&an)) {
					okp |= pr == (rn && an.present);
					okw |= wr == (rn && an.written);
				}
				if (!okp || !okw) {
					snprintf(
						msg, sz,
						"after the error page %u is %s%s, neither its old nor "
						"its new presence",
						p, pr ? "present" : "not present",
						wr ? ", written" : "");
					return -1;
				}
				ad.a.present = pr;
				ad.a.written = wr;
			}
			runs_reserve(adopt, adopt->nr + 1);
			adopt->r[adopt->nr++] = ad;
			p = tend;
		}
	}
	return 0;
}

/* Normalise the affected ranges: sorted, disjoint, inside the window. */
static void aff_norm(struct affected *af)
{
	unsigned int i, j, k = 0;

	for (i = 0; i < af->nr; i++) {
		if (af->v[i].e > VMAFUZZ_WINDOW_PAGES)
			af->v[i].e = VMAFUZZ_WINDOW_PAGES;
	}
	for (i = 1; i < af->nr; i++) {
		struct ivl x = af->v[i];

		for (j = i; j > 0 && af->v[j - 1].s > x.s; j--)
			af->v[j] = af->v[j - 1];
		af->v[j] = x;
	}
	for (i = 0; i < af->nr; i++) {
		if (af->v[i].s >= af->v[i].e)
			continue;
		if (k && af->v[k - 1].e >= af->v[i].s) {
			if (af->v[i].e > af->v[k - 1].e)
				af->v[k - 1].e = af->v[i].e;
			continue;
		}
		af->v[k++] = af->v[i];
	}
	af->nr = k;
}

/* Put the snapshot back: the page model as it was before the statement. */
static void snap_restore(struct vmafuzz_pagemodel *pm, const struct snapshot *old)
{
	unsigned int i;

	runs_copy(&pm->rs, &old->rs);
	/* Objects made by the failed statement keep no presence either. */
	for (i = 1; i <= pm->nr_objs; i++)
		pm->objs[i].present.nr = 0;
	for (i = 0; i < old->nr_objs; i++) {
		struct ivls *iv = &pm->objs[old->objs[i].obj].present;
		unsigned int n = old->objs[i].nr;

		if (n > iv->cap) {
			iv->cap = n;
			iv->v = xrealloc(iv->v, n * sizeof(*iv->v));
		}
		memcpy(iv->v, &old->pool[old->objs[i].first], n * sizeof(*iv->v));
		iv->nr = n;
	}
}

static int apply_error(struct vmafuzz_pagemodel *pm, struct snapshot *old, struct affected *af,
		       const struct vmafuzz_layout *post, const struct vmafuzz_target_ops *ops,
		       struct vmafuzz_target *t, char *msg, size_t sz)
{
	struct runs *adopt = &old->adopt;
	unsigned int i, a;
	int r = 0;

	aff_norm(af);
	adopt->nr = 0;
	for (a = 0; a < af->nr && !r; a++)
		r = check_between(pm, old, (uint32_t)af->v[a].s, (uint32_t)af->v[a].e, af->unmaps,
				  post, ops, t, adopt, msg, sz);
	/* Old state outside the affected ranges, the targets' inside. */
	snap_restore(pm, old);
	if (!r) {
		for (a = 0; a < af->nr; a++)
			runs_remove(&pm->rs, (uint32_t)af->v[a].s, (uint32_t)af->v[a].e);
		for (i = 0; i < adopt->nr; i++)
			runs_add(&pm->rs, &adopt->r[i]);
		/* Shared-anonymous presence as the target shows it. */
		for (i = 0; i < adopt->nr; i++) {
			const struct run *ar = &adopt->r[i];
			uint32_t p;

			if (ar->a.kind != VMAFUZZ_OBJ_ZERO || !ops || !ops->page_state)
				continue;
			for (p = ar->start; p < ar->end;) {
				uint32_t tend = p + 1;
				unsigned int st = ops->page_state(t, p, &tend);

				if (tend <= p || tend > ar->end)
					tend = tend <= p ? p + 1 : ar->end;
				if (!(st & VMAFUZZ_PAGE_UNTRACKED))
					ivls_set(&pm->objs[ar->a.obj].present,
						 ar->a.pgoff + (p - ar->start),
						 ar->a.pgoff + (tend - ar->start),
						 st & VMAFUZZ_PAGE_PRESENT);
				p = tend;
			}
		}
	}
	return r;
}

int vmafuzz_pagemodel_apply(struct vmafuzz_pagemodel *pm, const struct vmafuzz_op *op, int ret,
			    const struct vmafuzz_layout *pre, const struct vmafuzz_layout *post,
			    const struct vmafuzz_target_ops *ops, struct vmafuzz_target *t,
			    char *msg, size_t sz)
{
	struct affected af = { 0 };
	uint32_t brk_start = pm->brk_start, brk = pm->brk;
	uint64_t def_flags = pm->def_flags;
	bool brk_set = pm->brk_set;
	int pred, r = 0;

	switch (op->op) {
	case VMAFUZZ_OP_FAIL:
	case VMAFUZZ_OP_MAX_MAP_COUNT:
	case VMAFUZZ_OP_DUMP:
		return 0;
	case VMAFUZZ_OP_FORK:
		/* A failed fork goes on in the parent, untouched. */
		if (ret)
			return 0;
		break;
	default:
		break;
	}
	if (!ret) {
		pred = apply_op(pm, op, pre, post, &af, msg, sz);
		if (pred == 1) {
			r = -1;
		} else if (pred) {
			snprintf(msg, sz, "the targets returned 0, the page model predicts %s",
				 vmafuzz_errno_name(pred) ? vmafuzz_errno_name(pred) : "an error");
			r = -1;
		}
		runs_coalesce(&pm->rs);
		return r;
	}
	if (op->op == VMAFUZZ_OP_TOUCH) {
		/* A touch is exact: where it fails, and what it faulted before. */
		pred = apply_touch(pm, op);
		runs_coalesce(&pm->rs);
		if (pred == ret)
			return 0;
		snprintf(msg, sz, "touch returned %s, the page model predicts %s",
			 vmafuzz_errno_name(ret) ? vmafuzz_errno_name(ret) : "an error",
			 vmafuzz_errno_name(pred) ? vmafuzz_errno_name(pred) : "an error");
		return -1;
	}
	/*
	 * Any other error: work out what success would have given (its
	 * prediction of the error does not matter here), then judge the
	 * targets' pages against the old and the new state.
	 */
	snap_take(pm->snap, pm);
	(void)apply_op(pm, op, pre, post, &af, msg, sz);
	msg[0] = '\0';
	/* A failed statement leaves the break and the lock defaults alone. */
	pm->brk_set = brk_set;
	pm->brk_start = brk_start;
	pm->brk = brk;
	pm->def_flags = def_flags;
	r = apply_error(pm, pm->snap, &af, post, ops, t, msg, sz);
	runs_coalesce(&pm->rs);
	return r;
}
