// SPDX-License-Identifier: GPL-2.0
/*
 * The refcounted objects a VMA points at: open files (regular files, the
 * shmem object of a shared-anonymous mapping, SysV-style shm attaches with
 * their open/close hooks, device opens), memory policies, anonymous VMA
 * names and userfaultfd contexts (Linux v6.6 semantics, SEMANTICS.md §1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

/* ------------------------------------------------------------------ files */

static void shm_open(struct vm_area_struct *vma)
{
	vma->vm_file->shm_nattch++;
}

static void shm_close(struct vm_area_struct *vma)
{
	vma->vm_file->shm_nattch--;
}

static void device_close(struct vm_area_struct *vma)
{
	/* A driver's release hook with no effect the model can observe. */
}

const struct vm_operations_struct file_vm_ops = { .name = "file" };
const struct vm_operations_struct shmem_vm_ops = { .name = "shmem" };
const struct vm_operations_struct shm_vm_ops = {
	.name = "shm",
	.open = shm_open,
	.close = shm_close,
};
const struct vm_operations_struct device_vm_ops = {
	.name = "device",
	.close = device_close,
};

struct file *file_open(struct model *m, enum file_kind kind, unsigned int index,
		       unsigned long long extent)
{
	struct file *f = calloc(1, sizeof(*f));

	if (!f)
		abort();
	f->kind = kind;
	f->index = index;
	f->serial = ++m->serial;
	f->refcount = 1;
	f->extent = extent;
	f->model = m;
	if (kind == FILE_SHMEM) {
		f->shmem_pages = malloc(sizeof(*f->shmem_pages));
		if (!f->shmem_pages)
			abort();
		pagemap_init(f->shmem_pages);
	}
	f->next_file = m->files;
	m->files = f;
	return f;
}

struct file *model_regular_file(struct model *m, unsigned int f)
{
	if (!m->regular[f])
		m->regular[f] = file_open(m, FILE_REGULAR, f, FILE_EXTENT_PAGES);
	return m->regular[f];
}

struct file *get_file(struct file *f)
{
	f->refcount++;
	return f;
}

void fput(struct file *f)
{
	struct file **pp;

	if (--f->refcount > 0)
		return;
	for (pp = &f->model->files; *pp != f; pp = &(*pp)->next_file)
		;
	*pp = f->next_file;
	if (f->shmem_pages) {
		pagemap_fini(f->shmem_pages);
		free(f->shmem_pages);
	}
	free(f);
}

/* --------------------------------------------------------------- policies */

struct mempolicy *mpol_new(enum vmafuzz_policy mode)
{
	struct mempolicy *pol;

	if (mode == VMAFUZZ_POL_DEFAULT)
		return NULL;
	pol = calloc(1, sizeof(*pol));
	if (!pol)
		abort();
	pol->refcount = 1;
	pol->mode = mode;
	pol->home_node = -1;
	return pol;
}

struct mempolicy *mpol_dup(struct mempolicy *pol)
{
	struct mempolicy *new;

	if (!pol)
		return NULL;
	new = mpol_new(pol->mode);
	new->home_node = pol->home_node;
	return new;
}

void mpol_put(struct mempolicy *pol)
{
	if (pol && --pol->refcount == 0)
		free(pol);
}

/*
 * mpol_equal() of v6.6: identical pointers (NULL included) are equal; NULL
 * is equal to no explicit policy; otherwise mode, flags and home node must
 * match. All node masks are {0} or empty for their mode here, so masks
 * never tell two policies of one mode apart.
 */
bool mpol_equal(const struct mempolicy *a, const struct mempolicy *b)
{
	if (a == b)
		return true;
	if (!a || !b)
		return false;
	return a->mode == b->mode && a->home_node == b->home_node;
}

/* ------------------------------------------------------------------ names */

struct anon_vma_name *anon_vma_name_alloc(const char *name)
{
	struct anon_vma_name *n = calloc(1, sizeof(*n));

	if (!n)
		abort();
	n->refcount = 1;
	snprintf(n->name, sizeof(n->name), "%s", name);
	return n;
}

struct anon_vma_name *anon_vma_name_get(struct anon_vma_name *n)
{
	if (n)
		n->refcount++;
	return n;
}

void anon_vma_name_put(struct anon_vma_name *n)
{
	if (n && --n->refcount == 0)
		free(n);
}

bool anon_vma_name_eq(const struct anon_vma_name *a, const struct anon_vma_name *b)
{
	if (a == b)
		return true;
	return a && b && !strcmp(a->name, b->name);
}

void replace_anon_vma_name(struct vm_area_struct *vma, struct anon_vma_name *n)
{
	struct anon_vma_name *old = vma->anon_name;

	if (!n) {
		vma->anon_name = NULL;
		anon_vma_name_put(old);
		return;
	}
	if (anon_vma_name_eq(old, n))
		return;
	vma->anon_name = anon_vma_name_get(n);
	anon_vma_name_put(old);
}

/* ------------------------------------------------------ userfaultfd contexts */

struct userfaultfd_ctx *uffd_ctx_get(struct mm_struct *mm, unsigned int id)
{
	struct userfaultfd_ctx *ctx = mm->uffd[id];

	if (ctx)
		return ctx;
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		abort();
	ctx->id = id;
	ctx->serial = ++mm->model->serial;
	ctx->mm = mm;
	mm->uffd[id] = ctx;
	mm->model->nr_ctx++;
	return ctx;
}
