// SPDX-License-Identifier: GPL-2.0
/*
 * The canonical layout of the model's current address space: what the oracle
 * compares with another target and what `expect` describes. Object
 * identities (anon_vmas, shared-anonymous objects, shm attaches, device opens)
 * are numbered by first appearance in address order.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

/* Numbering spaces: shm attaches per segment, device opens per device, zero, av. */
enum { NS_SHM = 0, NS_DEV = VMAFUZZ_MAX_FILE + 1, NS_ZERO = 2 * (VMAFUZZ_MAX_FILE + 1), NS_AV,
       NS_NR };

/*
 * A small open-addressing map from an object pointer to its number, on the
 * model's own scratch arrays (grown, never shrunk, so no allocation per op).
 */
struct idmap {
	unsigned int cap, nr[NS_NR];
	const void **key;
	unsigned int *val;
};

static void idmap_init(struct idmap *im, struct model *m, unsigned int n)
{
	unsigned int cap = 16;

	while (cap < 4 * n)
		cap *= 2;
	if (cap > m->idmap.cap) {
		free(m->idmap.key);
		free(m->idmap.val);
		m->idmap.key = malloc(cap * sizeof(*m->idmap.key));
		m->idmap.val = malloc(cap * sizeof(*m->idmap.val));
		if (!m->idmap.key || !m->idmap.val)
			abort();
		m->idmap.cap = cap;
	}
	im->cap = cap;
	im->key = m->idmap.key;
	im->val = m->idmap.val;
	memset(im->key, 0, cap * sizeof(*im->key));
	memset(im->nr, 0, sizeof(im->nr));
}

/* The number of p in numbering space ns, given on first sight. */
static unsigned int idmap_get(struct idmap *im, const void *p, unsigned int ns)
{
	unsigned int i = (unsigned int)(((uintptr_t)p >> 4) * 2654435761u) & (im->cap - 1);

	while (im->key[i] && im->key[i] != p)
		i = (i + 1) & (im->cap - 1);
	if (!im->key[i]) {
		im->key[i] = p;
		im->val[i] = ++im->nr[ns];
	}
	return im->val[i];
}

void model_layout(struct model *m, struct vmafuzz_layout *out)
{
	struct mm_struct *mm = m->mm;
	struct vm_area_struct *vma;
	struct idmap ids;
	unsigned int n;

	vmafuzz_layout_clear(out);
	/* Size by the VMAs really there: map_count itself may be wrong (a bug). */
	for (vma = vma_tree_first(&mm->tree), n = 0; vma; vma = vma_next(vma))
		n++;
	idmap_init(&ids, m, 2 * n + 2);
	for (vma = vma_tree_first(&mm->tree); vma; vma = vma_next(vma)) {
		struct vmafuzz_lvma *l = vmafuzz_layout_push(out);

		memset(l, 0, sizeof(*l));
		l->start = vma->vm_start >> PAGE_SHIFT;
		l->end = vma->vm_end >> PAGE_SHIFT;
		l->pgoff = vma->vm_pgoff;
		l->flags = vma->vm_flags;
		if (!vma->vm_file) {
			l->obj = VMAFUZZ_OBJ_ANON;
		} else {
			struct file *f = vma->vm_file;

			l->file = f->index;
			switch (f->kind) {
			case FILE_REGULAR:
				l->obj = VMAFUZZ_OBJ_FILE;
				break;
			case FILE_SHMEM:
				l->obj = VMAFUZZ_OBJ_ZERO;
				l->file = 0;
				l->inst = idmap_get(&ids, f, NS_ZERO);
				break;
			case FILE_SHM:
				l->obj = VMAFUZZ_OBJ_SHM;
				l->inst = idmap_get(&ids, f, NS_SHM + f->index);
				break;
			case FILE_DEVICE:
				l->obj = VMAFUZZ_OBJ_DEV;
				l->inst = idmap_get(&ids, f, NS_DEV + f->index);
				break;
			}
		}
		if (vma->anon_vma)
			l->av = idmap_get(&ids, vma->anon_vma, NS_AV);
		l->av_forked = vma->avc_count >= 2;
		if (vma->vm_policy) {
			l->pol = vma->vm_policy->mode;
			l->pol_home = vma->vm_policy->home_node >= 0;
		}
		l->uffd = vma->vm_userfaultfd_ctx ? vma->vm_userfaultfd_ctx->id : 0;
		if (vma->anon_name)
			snprintf(l->name, sizeof(l->name), "%s", vma->anon_name->name);
	}
	out->c.map_count = mm->map_count;
	out->c.locked_vm = mm->locked_vm;
	out->c.total_vm = mm->total_vm;
	out->c.committed = mm->committed;
}
