// SPDX-License-Identifier: GPL-2.0
/*
 * The ordered VMA tree of an address space: an intrusive AVL tree keyed by
 * vm_start, with parent pointers so that the predecessor and successor of a
 * VMA are found without a search. It stands in for the kernel's maple tree;
 * only lookups, neighbours and ordered walks are offered, behind a narrow
 * interface, so that a later RCU-safe tree can replace it.
 */
#include "model.h"

#define node_vma(n) ((struct vm_area_struct *)((char *)(n) - offsetof(struct vm_area_struct, node)))

static int height(const struct vma_node *n)
{
	return n ? n->height : 0;
}

static void update_height(struct vma_node *n)
{
	int l = height(n->left), r = height(n->right);

	n->height = (l > r ? l : r) + 1;
}

static void replace_child(struct vma_tree *t, struct vma_node *parent, struct vma_node *old,
			  struct vma_node *new)
{
	if (!parent)
		t->root = new;
	else if (parent->left == old)
		parent->left = new;
	else
		parent->right = new;
	if (new)
		new->parent = parent;
}

/*
 *     x              y
 *    / \            / \
 *   a   y    ->    x   c
 *      / \        / \
 *     b   c      a   b
 */
static struct vma_node *rotate_left(struct vma_tree *t, struct vma_node *x)
{
	struct vma_node *y = x->right;

	replace_child(t, x->parent, x, y);
	x->right = y->left;
	if (x->right)
		x->right->parent = x;
	y->left = x;
	x->parent = y;
	update_height(x);
	update_height(y);
	return y;
}

static struct vma_node *rotate_right(struct vma_tree *t, struct vma_node *x)
{
	struct vma_node *y = x->left;

	replace_child(t, x->parent, x, y);
	x->left = y->right;
	if (x->left)
		x->left->parent = x;
	y->right = x;
	x->parent = y;
	update_height(x);
	update_height(y);
	return y;
}

/* Walk from n to the root, restoring the AVL balance on the way. */
static void rebalance(struct vma_tree *t, struct vma_node *n)
{
	while (n) {
		int bal = height(n->left) - height(n->right);

		if (bal > 1) {
			if (height(n->left->left) < height(n->left->right))
				rotate_left(t, n->left);
			n = rotate_right(t, n);
		} else if (bal < -1) {
			if (height(n->right->right) < height(n->right->left))
				rotate_right(t, n->right);
			n = rotate_left(t, n);
		} else {
			update_height(n);
		}
		n = n->parent;
	}
}

void vma_tree_insert(struct vma_tree *t, struct vm_area_struct *vma)
{
	struct vma_node **link = &t->root, *parent = NULL, *n = &vma->node;

	while (*link) {
		parent = *link;
		link = vma->vm_start < node_vma(parent)->vm_start ? &parent->left : &parent->right;
	}
	n->left = n->right = NULL;
	n->parent = parent;
	n->height = 1;
	*link = n;
	rebalance(t, parent);
}

void vma_tree_erase(struct vma_tree *t, struct vm_area_struct *vma)
{
	struct vma_node *n = &vma->node, *fix;

	if (n->left && n->right) {
		/* Put the successor s in n's place; s has no left child. */
		struct vma_node *s = n->right;

		while (s->left)
			s = s->left;
		if (s->parent != n) {
			fix = s->parent;
			replace_child(t, s->parent, s, s->right);
			s->right = n->right;
			s->right->parent = s;
		} else {
			fix = s;
		}
		replace_child(t, n->parent, n, s);
		s->left = n->left;
		s->left->parent = s;
		s->height = n->height;
	} else {
		fix = n->parent;
		replace_child(t, n->parent, n, n->left ? n->left : n->right);
	}
	n->left = n->right = n->parent = NULL;
	rebalance(t, fix);
}

struct vm_area_struct *vma_tree_first(const struct vma_tree *t)
{
	struct vma_node *n = t->root;

	if (!n)
		return NULL;
	while (n->left)
		n = n->left;
	return node_vma(n);
}

struct vm_area_struct *vma_tree_last(const struct vma_tree *t)
{
	struct vma_node *n = t->root;

	if (!n)
		return NULL;
	while (n->right)
		n = n->right;
	return node_vma(n);
}

struct vm_area_struct *vma_tree_next(const struct vm_area_struct *vma)
{
	const struct vma_node *n = &vma->node;

	if (n->right) {
		n = n->right;
		while (n->left)
			n = n->left;
		return node_vma(n);
	}
	while (n->parent && n->parent->right == n)
		n = n->parent;
	return n->parent ? node_vma(n->parent) : NULL;
}

struct vm_area_struct *vma_tree_prev(const struct vm_area_struct *vma)
{
	const struct vma_node *n = &vma->node;

	if (n->left) {
		n = n->left;
		while (n->right)
			n = n->right;
		return node_vma(n);
	}
	while (n->parent && n->parent->left == n)
		n = n->parent;
	return n->parent ? node_vma(n->parent) : NULL;
}

struct vm_area_struct *vma_tree_find(const struct vma_tree *t, unsigned long addr)
{
	struct vma_node *n = t->root;
	struct vm_area_struct *best = NULL;

	/* VMAs do not overlap, so ordering by vm_start also orders vm_end. */
	while (n) {
		struct vm_area_struct *v = node_vma(n);

		if (v->vm_end > addr) {
			best = v;
			n = n->left;
		} else {
			n = n->right;
		}
	}
	return best;
}
