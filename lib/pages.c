// SPDX-License-Identifier: GPL-2.0
/*
 * Per-page state as runs: the presence and written state of private pages
 * (per mm) and of shared-anonymous objects (SEMANTICS.md §1.5, "Presence").
 * This is the model's own bookkeeping and has no kernel counterpart: the
 * kernel keeps page tables, the model keeps a sorted array of runs.
 *
 * The array holds runs [start, end) of pages whose state is non-zero, sorted
 * by start, pairwise disjoint, and coalesced: two runs that touch never have
 * the same (state, av_serial). Absent pages (state 0) have no run. That form
 * is canonical, so two maps of the same pages hold the same array.
 *
 * Every update is one splice: find the runs the range touches by binary
 * search, build their replacement (the untouched remainder on each side, the
 * new runs, and a touching neighbour so it can coalesce), then shift the tail
 * once. A lookup costs O(log n); an update O(log n + runs touched + shift).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

/* Runs a splice or an extraction keeps on the stack before using the heap. */
#define PAGEMAP_STACK_RUNS 32

static __noreturn void pagemap_oom(size_t bytes)
{
	fprintf(stderr, "vmafuzz: out of memory allocating %zu bytes for a page map\n", bytes);
	abort();
}

static void *pagemap_alloc(size_t nmemb, size_t size)
{
	void *p;

	if (nmemb > SIZE_MAX / size)
		pagemap_oom(SIZE_MAX);
	p = malloc(nmemb * size);
	if (!p)
		pagemap_oom(nmemb * size);
	return p;
}

void pagemap_init(struct pagemap *pm)
{
	pm->nr = 0;
	pm->cap = 0;
	pm->runs = NULL;
}

void pagemap_fini(struct pagemap *pm)
{
	free(pm->runs);
	pagemap_init(pm);
}

static void pagemap_reserve(struct pagemap *pm, unsigned int need)
{
	unsigned int cap = pm->cap ? pm->cap : 8;
	struct page_run *runs;

	if (need <= pm->cap)
		return;
	while (cap < need) {
		if (cap > UINT32_MAX / 2)
			pagemap_oom(SIZE_MAX);
		cap *= 2;
	}
	runs = realloc(pm->runs, (size_t)cap * sizeof(*runs));
	if (!runs)
		pagemap_oom((size_t)cap * sizeof(*runs));
	pm->runs = runs;
	pm->cap = cap;
}

/* Index of the first run at or after from that ends after page (nr if none). */
static unsigned int first_ending_after(const struct pagemap *pm, unsigned int from,
				       unsigned long page)
{
	unsigned int lo = from, hi = pm->nr;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (pm->runs[mid].end <= page)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Index of the first run at or after from that starts at or after page. */
static unsigned int first_starting_from(const struct pagemap *pm, unsigned int from,
					unsigned long page)
{
	unsigned int lo = from, hi = pm->nr;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (pm->runs[mid].start < page)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

unsigned int pagemap_lookup(const struct pagemap *pm, unsigned long page, unsigned long *run_end)
{
	unsigned int i = first_ending_after(pm, 0, page);

	if (i < pm->nr && pm->runs[i].start <= page) {
		*run_end = pm->runs[i].end;
		return pm->runs[i].state;
	}
	*run_end = i < pm->nr ? pm->runs[i].start : ~0UL;
	return 0;
}

unsigned int pagemap_get(const struct pagemap *pm, unsigned long page, unsigned long *av_serial)
{
	unsigned int i = first_ending_after(pm, 0, page);

	if (i < pm->nr && pm->runs[i].start <= page) {
		if (av_serial)
			*av_serial = pm->runs[i].av_serial;
		return pm->runs[i].state;
	}
	if (av_serial)
		*av_serial = 0;
	return 0;
}

/* A growable run list with inline storage, for splices and extractions. */
struct run_buf {
	struct page_run *v;
	unsigned int nr;
	struct page_run inline_runs[PAGEMAP_STACK_RUNS];
};

static void run_buf_init(struct run_buf *b, size_t max)
{
	b->nr = 0;
	b->v = max <= PAGEMAP_STACK_RUNS ? b->inline_runs : pagemap_alloc(max, sizeof(*b->v));
}

static void run_buf_fini(struct run_buf *b)
{
	if (b->v != b->inline_runs)
		free(b->v);
}

/* Append r, coalescing it with the last run when they touch and agree. */
static void run_buf_push(struct run_buf *b, unsigned long start, unsigned long end,
			 unsigned int state, unsigned long av_serial)
{
	struct page_run *last = b->nr ? &b->v[b->nr - 1] : NULL;

	if (start >= end || !state)
		return;
	if (last && last->end == start && last->state == state && last->av_serial == av_serial) {
		last->end = end;
		return;
	}
	b->v[b->nr++] = (struct page_run){
		.start = start, .end = end, .state = state, .av_serial = av_serial
	};
}

/*
 * Replace the state of [start, end) with the runs add[0..nadd), which must be
 * sorted, disjoint and inside the range; pages of the range they leave out
 * become absent. add must not point into pm->runs.
 *
 *   before:  [ left  |<--- start ... end --->|  right ]
 *   after:   [ left' ][ add ... add ][ right' ]
 *
 * left' and right' are what stays of the runs that straddle start and end;
 * when no run straddles an end, the neighbour that touches it (if any) is
 * taken into the splice too, so the add runs can coalesce with it.
 */
static void pagemap_splice(struct pagemap *pm, unsigned long start, unsigned long end,
			   const struct page_run *add, unsigned int nadd)
{
	unsigned int lo, hi, first, last, i, newnr;
	struct run_buf buf;

	if (start >= end)
		return;
	lo = first_ending_after(pm, 0, start);
	hi = first_starting_from(pm, lo, end);
	first = lo;
	last = hi;

	run_buf_init(&buf, (size_t)nadd + 2);
	if (lo < hi && pm->runs[lo].start < start) {
		const struct page_run *r = &pm->runs[lo];

		run_buf_push(&buf, r->start, start, r->state, r->av_serial);
	} else if (lo > 0 && pm->runs[lo - 1].end == start) {
		const struct page_run *r = &pm->runs[--first];

		run_buf_push(&buf, r->start, r->end, r->state, r->av_serial);
	}
	for (i = 0; i < nadd; i++)
		run_buf_push(&buf, add[i].start, add[i].end, add[i].state, add[i].av_serial);
	if (hi > lo && pm->runs[hi - 1].end > end) {
		const struct page_run *r = &pm->runs[hi - 1];

		run_buf_push(&buf, end, r->end, r->state, r->av_serial);
	} else if (hi < pm->nr && pm->runs[hi].start == end) {
		const struct page_run *r = &pm->runs[last++];

		run_buf_push(&buf, r->start, r->end, r->state, r->av_serial);
	}

	/* Runs [first, last) become buf; shift the tail once. */
	newnr = pm->nr - (last - first) + buf.nr;
	pagemap_reserve(pm, newnr);
	if (last - first != buf.nr)
		memmove(&pm->runs[first + buf.nr], &pm->runs[last],
			(size_t)(pm->nr - last) * sizeof(*pm->runs));
	if (buf.nr)
		memcpy(&pm->runs[first], buf.v, (size_t)buf.nr * sizeof(*pm->runs));
	pm->nr = newnr;
	run_buf_fini(&buf);
}

/* Collect the runs of [start, end), clipped to it and shifted by dst - start. */
static void pagemap_extract(const struct pagemap *pm, unsigned long start, unsigned long end,
			    unsigned long dst, struct run_buf *out)
{
	unsigned int lo = first_ending_after(pm, 0, start);
	unsigned int hi = first_starting_from(pm, lo, end);
	unsigned int i;

	run_buf_init(out, hi - lo);
	for (i = lo; i < hi; i++) {
		const struct page_run *r = &pm->runs[i];
		unsigned long s = max(r->start, start), e = min(r->end, end);

		/* Unsigned wrap-around makes the shift right in both directions. */
		run_buf_push(out, s - start + dst, e - start + dst, r->state, r->av_serial);
	}
}

void pagemap_set(struct pagemap *pm, unsigned long start, unsigned long end, unsigned int state,
		 unsigned long av_serial)
{
	struct page_run r = { .start = start, .end = end, .state = state, .av_serial = av_serial };

	pagemap_splice(pm, start, end, &r, state ? 1 : 0);
}

void pagemap_clear(struct pagemap *pm, unsigned long start, unsigned long end)
{
	pagemap_splice(pm, start, end, NULL, 0);
}

void pagemap_move(struct pagemap *pm, unsigned long src, unsigned long dst, unsigned long n)
{
	struct run_buf moved;

	if (!n || src == dst)
		return;
	/* Take the runs out first, so an overlapping destination cannot see them change. */
	pagemap_extract(pm, src, src + n, dst, &moved);
	pagemap_splice(pm, src, src + n, NULL, 0);
	pagemap_splice(pm, dst, dst + n, moved.v, moved.nr);
	run_buf_fini(&moved);
}

void pagemap_copy(struct pagemap *dst, const struct pagemap *src, unsigned long start,
		  unsigned long end)
{
	struct run_buf copied;

	if (start >= end || dst == src)
		return;
	pagemap_extract(src, start, end, start, &copied);
	pagemap_splice(dst, start, end, copied.v, copied.nr);
	run_buf_fini(&copied);
}
