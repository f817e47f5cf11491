// SPDX-License-Identifier: GPL-2.0
/*
 * Page faults and populating, as Linux v6.6 handles them for the mappings
 * the model knows (SEMANTICS.md §1.4, §1.5; SCRIPT-FORMAT.md "Faults"):
 * handle_mm_fault() for a `touch`, populate_vma_page_range() and the
 * mm_populate() walk for MAP_POPULATE, mlock and friends.
 *
 * Where pages live:
 *   private mappings   mm->pages, by page number (address >> PAGE_SHIFT);
 *   shared-anonymous   vma->vm_file->shmem_pages, by object page (pgoff);
 *   device (PFNMAP)    always present, nothing stored;
 *   shared-file, shm   nothing stored: presence there is never observable
 *                      (userfaultfd cannot be registered on them).
 *
 * The pages of one VMA are faulted as runs rather than one by one, so a
 * populate of a wide range costs O(runs · log runs), not O(pages). The
 * result is the same as faulting page after page and stopping at the first
 * page that fails.
 */
#include "model.h"

/* Index of the first run of pm with end > key (pm->nr when none). */
static unsigned int pm_lower(const struct pagemap *pm, unsigned long key)
{
	unsigned int lo = 0, hi = pm->nr;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (pm->runs[mid].end <= key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The first key in [ks, ke) that is not present, or ke. */
static unsigned long pm_first_absent(const struct pagemap *pm, unsigned long ks, unsigned long ke)
{
	unsigned long cur = ks;
	unsigned int i;

	for (i = pm_lower(pm, ks); i < pm->nr && cur < ke; i++) {
		const struct page_run *r = &pm->runs[i];

		if (r->start > cur || !(r->state & PG_PRESENT))
			break;
		cur = r->end;
	}
	return min(cur, ke);
}

/*
 * Fault every key of [ks, ke) in. A read makes a page present and keeps
 * what it had; a write makes it present and written, remembering av_serial,
 * unless it was written already (then the PTE is writable and there is no
 * fault: its remembered anon_vma stays).
 */
static void pm_fault_range(struct pagemap *pm, unsigned long ks, unsigned long ke, bool write,
			   unsigned long av_serial)
{
	unsigned long cur = ks;

	while (cur < ke) {
		unsigned int i = pm_lower(pm, cur);
		unsigned int old = 0, new;
		unsigned long old_av = 0, new_av, seg_end = ke;

		if (i < pm->nr && pm->runs[i].start < ke) {
			const struct page_run *r = &pm->runs[i];

			if (r->start > cur) {
				seg_end = r->start; /* a hole before the run */
			} else {
				seg_end = min(r->end, ke);
				old = r->state;
				old_av = r->av_serial;
			}
		}
		if (write && !(old & PG_WRITTEN)) {
			new = PG_PRESENT | PG_WRITTEN;
			new_av = av_serial;
		} else if (!write && !(old & PG_PRESENT)) {
			new = old | PG_PRESENT;
			new_av = old_av;
		} else {
			new = old;
			new_av = old_av;
		}
		if (new != old || new_av != old_av)
			pagemap_set(pm, cur, seg_end, new, new_av);
		cur = seg_end;
	}
}

static bool vma_is_private(const struct vm_area_struct *vma)
{
	return !(vma->vm_flags & VM_SHARED);
}

/*
 * Fault [start, end) of vma, already checked for access, page after page in
 * address order. Returns 0, or -EFAULT at the first page that fails, the
 * pages before it faulted. The order of checks per page is the kernel's:
 * the object's extent (SIGBUS, before userfaultfd is asked), then a
 * userfaultfd `missing` registration on a page that is not present, then the
 * fault itself.
 */
static int fault_vma_range(struct vm_area_struct *vma, unsigned long start, unsigned long end,
			   bool write)
{
	struct mm_struct *mm = vma->vm_mm;
	struct file *file = vma->vm_file;
	unsigned long first = start >> PAGE_SHIFT, last = end >> PAGE_SHIFT;
	unsigned long stop = last; /* first page past the extent */
	unsigned long long pgoff0 = vma->vm_pgoff + ((start - vma->vm_start) >> PAGE_SHIFT);
	bool missing = vma->vm_flags & VM_UFFD_MISSING;
	int err = 0;

	if (first >= last)
		return 0;

	if (file) {
		/* Object page of `first` is pgoff0; find the first one at or past the extent. */
		if (pgoff0 >= file->extent)
			stop = first;
		else if (file->extent - pgoff0 < last - first)
			stop = first + (unsigned long)(file->extent - pgoff0);
	}
	if (stop < last)
		err = -EFAULT;

	/* Device memory is present from mmap; a fault finds it there. */
	if (vma->vm_flags & VM_PFNMAP)
		return err;

	if (vma_is_private(vma)) {
		struct pagemap *pm = &mm->pages;
		unsigned long fault_end = stop;

		if (first == stop)
			return err;
		/*
		 * do_anonymous_page() and the COW path prepare the anon_vma
		 * before they look at userfaultfd; a written page has it already,
		 * so preparing once up front is the same as once per page.
		 */
		if (write)
			anon_vma_prepare(vma);
		if (missing) {
			fault_end = pm_first_absent(pm, first, stop);
			if (fault_end < stop)
				err = -EFAULT; /* delivered to the context */
		}
		pm_fault_range(pm, first, fault_end, write,
			       write && vma->anon_vma ? vma->anon_vma->serial : 0);
		return err;
	}

	if (file && file->kind == FILE_SHMEM && file->shmem_pages) {
		struct pagemap *pm = file->shmem_pages;
		unsigned long ks = (unsigned long)pgoff0;
		unsigned long ke = ks + (stop - first);

		if (missing) {
			unsigned long absent = pm_first_absent(pm, ks, ke);

			if (absent < ke) {
				ke = absent;
				err = -EFAULT;
			}
		}
		pm_fault_range(pm, ks, ke, write, 0);
	}
	/* Shared file and shm pages: nothing is tracked (see the header). */
	return err;
}

/* A user access needs r, w or x to read (x86 without pkeys), w to write. */
static bool access_ok_for(const struct vm_area_struct *vma, bool write)
{
	if (write)
		return vma->vm_flags & VM_WRITE;
	return vma->vm_flags & VM_ACCESS_FLAGS;
}

int handle_mm_fault(struct mm_struct *mm, unsigned long addr, bool write)
{
	struct vm_area_struct *vma;

	addr &= PAGE_MASK;
	vma = vma_lookup(mm, addr);
	if (!vma || !access_ok_for(vma, write))
		return -EFAULT;
	return fault_vma_range(vma, addr, addr + PAGE_SIZE, write);
}

/*
 * touch ADDR LEN: LEN user accesses, one per page, in address order. The
 * first page that fails (no VMA, no permission, past the object's extent,
 * a userfaultfd `missing` fault) ends it; earlier pages stay faulted.
 */
int sys_touch(struct mm_struct *mm, unsigned long start, unsigned long npages, bool write)
{
	unsigned long end = start + (npages << PAGE_SHIFT);
	struct vm_area_struct *vma;
	unsigned long cur = start;

	if (!npages)
		return 0;

	vma = vma_lookup(mm, cur);
	while (cur < end) {
		unsigned long seg_end;
		int err;

		if (!vma || vma->vm_start > cur || !access_ok_for(vma, write))
			return -EFAULT;
		seg_end = min(end, vma->vm_end);
		err = fault_vma_range(vma, cur, seg_end, write);
		if (err)
			return err;
		cur = seg_end;
		if (cur < end)
			vma = vma_next(vma);
	}
	return 0;
}

/*
 * populate_vma_page_range() (mm/gup.c): fault [start, end) of one VMA as
 * __get_user_pages() with FOLL_TOUCH would. A write fault only for a
 * private writable VMA, to break COW; shared mappings are read-faulted so
 * as not to dirty them for nothing. FOLL_FORCE (set for any accessible VMA)
 * lets a read succeed on a write- or exec-only VMA; a PROT_NONE VMA fails.
 */
int populate_vma_page_range(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	bool write;

	/* VM_LOCKONFAULT never faulted pages in (nor broke COW) here. */
	if (vma->vm_flags & VM_LOCKONFAULT)
		return 0;
	/* check_vma_flags(): GUP refuses I/O and PFN mappings. */
	if (vma->vm_flags & (VM_IO | VM_PFNMAP))
		return -EFAULT;
	if (!(vma->vm_flags & VM_ACCESS_FLAGS))
		return -EFAULT;
	write = (vma->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE;
	return fault_vma_range(vma, start, end, write);
}

/*
 * __mm_populate(): walk the VMAs intersecting [start, end), skipping holes
 * and I/O or PFN mappings. With ignore_errors (mmap, mlockall, brk, mremap)
 * a failing VMA keeps the pages before the failing one and the walk goes on
 * with the next VMA; without it (mlock, mlock2) the walk stops there and the
 * error is returned.
 */
int populate_range(struct mm_struct *mm, unsigned long start, unsigned long end, bool ignore_errors)
{
	struct vm_area_struct *vma;
	int ret = 0;

	if (start >= end)
		return 0;

	for (vma = find_vma_intersection(mm, start, end); vma && vma->vm_start < end;
	     vma = vma_next(vma)) {
		unsigned long nstart = max(start, vma->vm_start);
		unsigned long nend = min(end, vma->vm_end);

		if (vma->vm_flags & (VM_IO | VM_PFNMAP))
			continue;
		ret = populate_vma_page_range(vma, nstart, nend);
		if (ret < 0) {
			if (!ignore_errors)
				break;
			ret = 0;
		}
	}
	return ret;
}
