// SPDX-License-Identifier: GPL-2.0
/*
 * One instance of the model: the address spaces of a script (the current one
 * and the parents that live on after fork), its objects, fault injection,
 * and the dispatch of script operations to the system calls. The legacy and
 * refactored targets are two instances that differ only in their callers.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "vmafuzz/target.h"

struct model *model_new(const struct vma_callers *callers)
{
	struct model *m = calloc(1, sizeof(*m));

	if (!m)
		abort();
	m->callers = callers;
	m->max_map_count = VMAFUZZ_DEFAULT_MAX_MAP_COUNT;
	m->decision_on = true;
	m->av_head.next_av = m->av_head.prev_av = &m->av_head;
	m->mm = m->mms = mm_alloc(m);
	return m;
}

void model_free(struct model *m)
{
	struct mm_struct *mm;
	unsigned int f;

	while ((mm = m->mms)) {
		m->mms = mm->next_mm;
		mm_free(mm);
	}
	m->stats.models = 1;
	vmafuzz_coverage_add(&vmafuzz_coverage_total, &m->stats);
	free(m->idmap.key);
	free(m->idmap.val);
	for (f = 0; f < sizeof(m->scratch) / sizeof(m->scratch[0]); f++)
		free(m->scratch[f].p);
	for (f = 0; f <= VMAFUZZ_MAX_FILE; f++)
		if (m->regular[f])
			fput(m->regular[f]);
	/*
	 * Anything still listed was leaked by a refcount bug, which the
	 * invariant check has already reported: free it, so that a planted
	 * bug ends in its own report and not in LeakSanitizer's.
	 */
	while (m->files) {
		struct file *fl = m->files;

		m->files = fl->next_file;
		if (fl->shmem_pages) {
			pagemap_fini(fl->shmem_pages);
			free(fl->shmem_pages);
		}
		free(fl);
	}
	while (m->av_head.next_av != &m->av_head) {
		struct anon_vma *av = m->av_head.next_av;

		m->av_head.next_av = av->next_av;
		free(av);
	}
	free(m);
}

bool model_should_fail(struct model *m, enum vmafuzz_fail_kind kind)
{
	if (!m->fail_countdown[kind] || --m->fail_countdown[kind])
		return false;
	m->stats.injected[kind]++;
	return true;
}

void model_warn(struct model *m, const char *fmt, ...)
{
	va_list ap;

	if (m->warn[0])
		return;		/* keep the first */
	va_start(ap, fmt);
	vsnprintf(m->warn, sizeof(m->warn), fmt, ap);
	va_end(ap);
}

#define PG(x) ((unsigned long)(x) << PAGE_SHIFT)

static unsigned int coverage_errno(int err)
{
	/* A broken caller may return garbage (a pointer cut to an int): never negate INT_MIN. */
	if (err < -4095)
		return VMAFUZZ_COV_OTHER;
	switch (-err) {
#define X(e)          \
	case e:       \
		return VMAFUZZ_COV_##e;
		VMAFUZZ_COV_ERRNOS(X)
#undef X
	}
	return VMAFUZZ_COV_OTHER;
}

static int __model_apply(struct model *m, const struct vmafuzz_op *op);

int model_apply(struct model *m, const struct vmafuzz_op *op)
{
	int ret = __model_apply(m, op);

	/*
	 * Once per op: the layout check holds the two paths' layouts equal, so
	 * counting the refactored one too would be the same walk again.
	 */
	if (m->callers->path == VMAFUZZ_PATH_LEGACY)
		vmafuzz_count_layout_features(m->mm);
	if (op->op < VMAFUZZ_OP_NR) {
		m->stats.op[op->op]++;
		if (ret)
			m->stats.op_error[op->op][coverage_errno(ret)]++;
	}
	return ret;
}

static int __model_apply(struct model *m, const struct vmafuzz_op *op)
{
	struct mm_struct *mm = m->mm;

	switch (op->op) {
	case VMAFUZZ_OP_MMAP:
		return sys_mmap(mm, op);
	case VMAFUZZ_OP_MUNMAP:
		return sys_munmap(mm, PG(op->addr), PG(op->len));
	case VMAFUZZ_OP_MPROTECT:
		/* PROT_READ/WRITE/EXEC are VM_READ/WRITE/EXEC bit for bit. */
		return sys_mprotect(mm, PG(op->addr), PG(op->len), op->prot & VM_ACCESS_FLAGS);
	case VMAFUZZ_OP_MADVISE:
		return sys_madvise(mm, PG(op->addr), PG(op->len), op->advice);
	case VMAFUZZ_OP_MLOCK:
		return sys_mlock(mm, PG(op->addr), PG(op->len), op->flags & 1);
	case VMAFUZZ_OP_MUNLOCK:
		return sys_munlock(mm, PG(op->addr), PG(op->len));
	case VMAFUZZ_OP_MLOCKALL:
		return sys_mlockall(mm, op->flags);
	case VMAFUZZ_OP_MUNLOCKALL:
		return sys_munlockall(mm);
	case VMAFUZZ_OP_MBIND:
		if (op->policy >= VMAFUZZ_POL_NR)
			return -EINVAL;
		return sys_mbind(mm, PG(op->addr), PG(op->len), op->policy);
	case VMAFUZZ_OP_HOME_NODE:
		return sys_set_mempolicy_home_node(mm, PG(op->addr), PG(op->len));
	case VMAFUZZ_OP_NAME:
		return sys_set_anon_name(mm, PG(op->addr), PG(op->len), op->name);
	case VMAFUZZ_OP_UFFD_REGISTER:
		if (op->ctx < 1 || op->ctx > VMAFUZZ_MAX_CTX)
			return -EBADF;
		return sys_uffd_register(mm, PG(op->addr), PG(op->len), op->ctx, op->mode);
	case VMAFUZZ_OP_UFFD_UNREGISTER:
		if (op->ctx < 1 || op->ctx > VMAFUZZ_MAX_CTX)
			return -EBADF;
		return sys_uffd_unregister(mm, PG(op->addr), PG(op->len), op->ctx);
	case VMAFUZZ_OP_UFFD_CLOSE:
		if (op->ctx < 1 || op->ctx > VMAFUZZ_MAX_CTX)
			return -EBADF;
		return sys_uffd_close(mm, op->ctx);
	case VMAFUZZ_OP_MREMAP:
		return sys_mremap(mm, PG(op->addr), PG(op->len), PG(op->newlen), op->flags,
				  PG(op->newaddr));
	case VMAFUZZ_OP_BRK:
		return sys_brk(mm, PG(op->addr));
	case VMAFUZZ_OP_TOUCH:
		return sys_touch(mm, PG(op->addr), op->len, !(op->flags & 1));
	case VMAFUZZ_OP_FORK:
		return sys_fork(m);
	case VMAFUZZ_OP_FAIL:
		if (op->fail >= VMAFUZZ_FAIL_NR)
			return -EINVAL;
		m->fail_countdown[op->fail] = op->count;
		return 0;
	case VMAFUZZ_OP_MAX_MAP_COUNT:
		m->max_map_count = op->count;
		return 0;
	case VMAFUZZ_OP_DUMP:
	case VMAFUZZ_OP_NR:
		break;
	}
	return 0;
}

/*
 * The presence of one page as the model keeps it: private pages per address
 * space, shared-anonymous pages per object, device pages always; shared
 * file and shm pages are not modelled.
 */
static unsigned int model_page_state(struct model *m, uint32_t page, uint32_t *run_end)
{
	unsigned long addr = (unsigned long)page << PAGE_SHIFT, end;
	struct vm_area_struct *vma = find_vma(m->mm, addr);
	unsigned int state = 0;

	if (!vma || vma->vm_start > addr) {
		*run_end = vma ? vma->vm_start >> PAGE_SHIFT : VMAFUZZ_WINDOW_PAGES;
		return 0;
	}
	end = vma->vm_end >> PAGE_SHIFT;
	if (vma->vm_flags & VM_PFNMAP) {
		state = VMAFUZZ_PAGE_PRESENT;
	} else if (vma_is_shmem(vma)) {
		unsigned long off = vma->vm_pgoff + (page - (vma->vm_start >> PAGE_SHIFT)), oend;

		state = pagemap_lookup(vma->vm_file->shmem_pages, off, &oend) & PG_PRESENT;
		if (oend - off < end - page)
			end = page + (oend - off);
	} else if (vma->vm_flags & VM_SHARED) {
		state = VMAFUZZ_PAGE_UNTRACKED;
	} else {
		unsigned long rend;

		state = pagemap_lookup(&m->mm->pages, page, &rend);
		if (rend < end)
			end = rend;
	}
	*run_end = (uint32_t)end;
	return (state & PG_PRESENT ? VMAFUZZ_PAGE_PRESENT : 0) |
	       (state & PG_WRITTEN ? VMAFUZZ_PAGE_WRITTEN : 0) |
	       (state & VMAFUZZ_PAGE_UNTRACKED);
}

/* ---------------------------------------------------------------- targets */

static struct vmafuzz_target *legacy_create(void)
{
	return (struct vmafuzz_target *)model_new(&legacy_callers);
}

static struct vmafuzz_target *refactored_create(void)
{
	return (struct vmafuzz_target *)model_new(&refactored_callers);
}

static void target_destroy(struct vmafuzz_target *t)
{
	model_free((struct model *)t);
}

static int target_apply(struct vmafuzz_target *t, const struct vmafuzz_op *op)
{
	return model_apply((struct model *)t, op);
}

static void target_layout(struct vmafuzz_target *t, struct vmafuzz_layout *out)
{
	model_layout((struct model *)t, out);
}

static int target_check(struct vmafuzz_target *t, char *msg, size_t sz)
{
	return model_check_invariants((struct model *)t, msg, sz);
}

static unsigned int target_page_state(struct vmafuzz_target *t, uint32_t page, uint32_t *run_end)
{
	return model_page_state((struct model *)t, page, run_end);
}

static int target_check_rmap(struct vmafuzz_target *t, char *msg, size_t sz)
{
	return model_check_rmap((struct model *)t, msg, sz);
}

static int target_check_decision(struct vmafuzz_target *t, char *msg, size_t sz)
{
	return model_check_decision((struct model *)t, msg, sz);
}

const struct vmafuzz_target_ops vmafuzz_target_legacy = {
	.name = "legacy",
	.create = legacy_create,
	.destroy = target_destroy,
	.apply = target_apply,
	.layout = target_layout,
	.check = target_check,
	.page_state = target_page_state,
	.check_rmap = target_check_rmap,
	.check_decision = target_check_decision,
};

const struct vmafuzz_target_ops vmafuzz_target_refactored = {
	.name = "refactored",
	.create = refactored_create,
	.destroy = target_destroy,
	.apply = target_apply,
	.layout = target_layout,
	.check = target_check,
	.page_state = target_page_state,
	.check_rmap = target_check_rmap,
	.check_decision = target_check_decision,
};
