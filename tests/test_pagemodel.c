// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of lib/pagemodel.c (oracle check 4), driven directly: each step
 * is one statement, the layout the targets would agree on (written by hand in
 * expect syntax) and, where presence matters, a fake target that reports
 * hand-written page states. A correct layout passes; a wrong pgoff, flag,
 * object instance, presence or stray page is reported, naming the page; an
 * error return is accepted only when every page shows its old or new value.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "vmafuzz/pagemodel.h"
#include "vmafuzz/script.h"

/* A fake target (customised): page states as runs, nothing else. */
#define FAKE_RUNS 16

struct vmafuzz_target {
	unsigned int nr;
	struct {
		uint32_t s, e;
		unsigned int st;
	} r[FAKE_RUNS];
};

static unsigned int fake_page_state(struct vmafuzz_target *t, uint32_t page, uint32_t *run_end)
{
	unsigned int i;
	uint32_t next = VMAFUZZ_WINDOW_PAGES;

	for (i = 0; i < t->nr; i++) {
		if (t->r[i].s <= page && page < t->r[i].e) {
			*run_end = t->r[i].e;
			return t->r[i].st;
		}
		if (t->r[i].s > page && t->r[i].s < next)
			next = t->r[i].s;
	}
	*run_end = next;
	return 0;
}

static const struct vmafuzz_target_ops fake_ops = {
	.name = "fake",
	.page_state = fake_page_state,
};

/* Pages [s, e) have state st (later runs must not overlap earlier ones). */
static void fake_set(struct vmafuzz_target *t, uint32_t s, uint32_t e, unsigned int st)
{
	if (t->nr < FAKE_RUNS)
		t->r[t->nr++] = (typeof(t->r[0])){ s, e, st };
}

/* The one operation of a one-line script. */
static struct vmafuzz_op op_of(const char *line)
{
	struct vmafuzz_script s;
	struct vmafuzz_op op;
	char err[256];

	memset(&op, 0, sizeof(op));
	if (vmafuzz_script_parse(&s, "t.vma", line, strlen(line), err, sizeof(err)) || !s.nr) {
		UNIT_FAIL("parse '%s': %s", line, err);
		op.op = VMAFUZZ_OP_DUMP;
		return op;
	}
	op = s.stmts[0].op;
	vmafuzz_script_free(&s);
	return op;
}

/* A layout from the lines of an expect block ("" for none). */
static void layout_of(struct vmafuzz_layout *l, const char *lines)
{
	char text[2048], err[256];
	struct vmafuzz_script s;
	unsigned int i;

	vmafuzz_layout_clear(l);
	snprintf(text, sizeof(text), "expect\n%send\n", lines);
	if (vmafuzz_script_parse(&s, "t.vma", text, strlen(text), err, sizeof(err))) {
		UNIT_FAIL("parse layout: %s", err);
		return;
	}
	for (i = 0; i < s.stmts[0].nr_expect; i++)
		*vmafuzz_layout_push(l) = s.stmts[0].expect[i].v;
	vmafuzz_layout_canonicalize(l);
	vmafuzz_script_free(&s);
}

/* One statement's worth of context: the page model and the agreed layouts. */
struct pmt {
	struct vmafuzz_pagemodel *pm;
	struct vmafuzz_layout pre, post;
	struct vmafuzz_target t;
	char msg[512];
};

static void pmt_init(struct pmt *x)
{
	memset(x, 0, sizeof(*x));
	x->pm = vmafuzz_pagemodel_new();
	vmafuzz_layout_init(&x->pre);
	vmafuzz_layout_init(&x->post);
}

static void pmt_fini(struct pmt *x)
{
	vmafuzz_pagemodel_free(x->pm);
	vmafuzz_layout_fini(&x->pre);
	vmafuzz_layout_fini(&x->post);
}

/*
 * Apply line (the targets returned ret and show post), then check the
 * layout. Returns apply's result, or check's when apply passed; the post
 * layout becomes the next step's pre.
 */
static int step(struct pmt *x, const char *line, int ret, const char *post)
{
	struct vmafuzz_op op = op_of(line);
	struct vmafuzz_layout tmp;
	int r;

	layout_of(&x->post, post);
	x->msg[0] = '\0';
	r = vmafuzz_pagemodel_apply(x->pm, &op, ret, &x->pre, &x->post, &fake_ops, &x->t, x->msg,
				    sizeof(x->msg));
	if (!r)
		r = vmafuzz_pagemodel_check(x->pm, &x->post, &fake_ops, &x->t, x->msg,
					    sizeof(x->msg));
	tmp = x->pre;
	x->pre = x->post;
	x->post = tmp;
	return r;
}

/* Check the page model against a layout without applying anything. */
static int check(struct pmt *x, const char *lines)
{
	struct vmafuzz_layout l;
	int r;

	vmafuzz_layout_init(&l);
	layout_of(&l, lines);
	x->msg[0] = '\0';
	r = vmafuzz_pagemodel_check(x->pm, &l, &fake_ops, &x->t, x->msg, sizeof(x->msg));
	vmafuzz_layout_fini(&l);
	return r;
}

#define ANON(s, e, prot, rest) s "-" e " " prot " pgoff=" s " file=- " rest "\n"

static void test_pagemodel_empty(void)
{
	struct pmt x;

	pmt_init(&x);
	ASSERT_INT(check(&x, ""), 0);
	ASSERT_INT(check(&x, "0-1 rw-p pgoff=0 flags=ac\n"), -1);
	ASSERT_HAS(x.msg, "page 0: VMA 0-1 maps it, the page model does not");
	pmt_fini(&x);
}

static void test_pagemodel_mmap_anon(void)
{
	struct pmt x;

	pmt_init(&x);
	ASSERT_INT(step(&x, "mmap 0 4 rw- anon", 0, "0-4 rw-p pgoff=0 flags=ac\n"), 0);
	/* The same pages split in two VMAs say the same. */
	ASSERT_INT(check(&x, "0-1 rw-p pgoff=0 flags=ac\n1-4 rw-p pgoff=1 flags=ac\n"), 0);
	/* A wrong pgoff, a missing flag, a wrong prot, a stray page. */
	ASSERT_INT(check(&x, "0-4 rw-p pgoff=1 flags=ac\n"), -1);
	ASSERT_HAS(x.msg, "page 0: pgoff differs");
	ASSERT_INT(check(&x, "0-2 rw-p pgoff=0 flags=ac\n2-4 rw-p pgoff=2 flags=\n"), -1);
	ASSERT_HAS(x.msg, "page 2: flags differs");
	ASSERT_INT(check(&x, "0-4 r--p pgoff=0 flags=ac\n"), -1);
	ASSERT_HAS(x.msg, "prot differs");
	ASSERT_INT(check(&x, "0-5 rw-p pgoff=0 flags=ac\n"), -1);
	ASSERT_HAS(x.msg, "page 4: VMA 0-5 maps it");
	ASSERT_INT(check(&x, "0-3 rw-p pgoff=0 flags=ac\n"), -1);
	ASSERT_HAS(x.msg, "page 3 is mapped in the page model but in no VMA");
	/* Not writable, or noreserve: no VM_ACCOUNT; locked: lo. */
	ASSERT_INT(step(&x, "mmap 10 2 r-- anon", 0,
			"0-4 rw-p pgoff=0 flags=ac\n10-12 r--p pgoff=10 flags=\n"),
		   0);
	/* ...populated by a write fault: present and written. */
	fake_set(&x.t, 12, 14, VMAFUZZ_PAGE_PRESENT | VMAFUZZ_PAGE_WRITTEN);
	ASSERT_INT(step(&x, "mmap 12 2 rw- anon noreserve locked", 0,
			"0-4 rw-p pgoff=0 flags=ac\n10-12 r--p pgoff=10 flags=\n"
			"12-14 rw-p pgoff=12 flags=lo,nr\n"),
		   0);
	pmt_fini(&x);
}

static void test_pagemodel_mmap_kinds(void)
{
	struct pmt x;

	pmt_init(&x);
	ASSERT_INT(step(&x, "mmap 0 2 rw- shared-anon", 0, "0-2 rw-s pgoff=0 file=zero:1 flags=\n"),
		   0);
	ASSERT_INT(step(&x, "mmap 2 2 rw- shared-anon", 0,
			"0-2 rw-s pgoff=0 file=zero:1 flags=\n"
			"2-4 rw-s pgoff=0 file=zero:2 flags=\n"),
		   0);
	/* Two objects shown as one: the instances differ. */
	ASSERT_INT(check(&x, "0-2 rw-s pgoff=0 file=zero:1 flags=\n"
			     "2-4 rw-s pgoff=0 file=zero:1 flags=\n"),
		   -1);
	ASSERT_HAS(x.msg, "instance");
	/* A device is special, present, and never locked. */
	fake_set(&x.t, 4, 6, VMAFUZZ_PAGE_PRESENT);
	ASSERT_INT(step(&x, "mmap 4 2 rw- device:3@7 locked", 0,
			"0-2 rw-s pgoff=0 file=zero:1 flags=\n"
			"2-4 rw-s pgoff=0 file=zero:2 flags=\n"
			"4-6 rw-s pgoff=7 file=dev:3.1 flags=pf,io,de,dd\n"),
		   0);
	/* A private file mapping is accountable; a shm attach is not. */
	ASSERT_INT(step(&x, "mmap 10 2 rw- file:1@5", 0,
			"0-2 rw-s pgoff=0 file=zero:1 flags=\n"
			"2-4 rw-s pgoff=0 file=zero:2 flags=\n"
			"4-6 rw-s pgoff=7 file=dev:3.1 flags=pf,io,de,dd\n"
			"10-12 rw-p pgoff=5 file=1 flags=ac\n"),
		   0);
	ASSERT_INT(check(&x, "0-2 rw-s pgoff=0 file=zero:1 flags=\n"
			     "2-4 rw-s pgoff=0 file=zero:2 flags=\n"
			     "4-6 rw-s pgoff=7 file=dev:3.1 flags=pf,io,de,dd\n"
			     "10-12 rw-p pgoff=5 file=2 flags=ac\n"),
		   -1);
	ASSERT_HAS(x.msg, "object differs");
	pmt_fini(&x);
}

static void test_pagemodel_munmap(void)
{
	struct pmt x;

	pmt_init(&x);
	ASSERT_INT(step(&x, "mmap 0 6 rw- anon", 0, "0-6 rw-p pgoff=0 flags=ac\n"), 0);
	ASSERT_INT(step(&x, "munmap 2 2", 0,
			"0-2 rw-p pgoff=0 flags=ac\n4-6 rw-p pgoff=4 flags=ac\n"),
		   0);
	ASSERT_INT(check(&x, "0-6 rw-p pgoff=0 flags=ac\n"), -1);
	ASSERT_HAS(x.msg, "page 2: VMA 0-6 maps it, the page model does not");
	pmt_fini(&x);
}

static void test_pagemodel_mprotect_account(void)
{
	struct pmt x;

	pmt_init(&x);
	ASSERT_INT(step(&x, "mmap 0 4 r-- anon", 0, "0-4 r--p pgoff=0 flags=\n"), 0);
	/* Becoming writable charges and adds VM_ACCOUNT... */
	ASSERT_INT(step(&x, "mprotect 0 2 rw-", 0,
			"0-2 rw-p pgoff=0 flags=ac\n2-4 r--p pgoff=2 flags=\n"),
		   0);
	/* ...which 6.6 never takes away. */
	ASSERT_INT(step(&x, "mprotect 0 4 r--", 0,
			"0-2 r--p pgoff=0 flags=ac\n2-4 r--p pgoff=2 flags=\n"),
		   0);
	ASSERT_INT(check(&x, "0-4 r--p pgoff=0 flags=\n"), -1);
	ASSERT_HAS(x.msg, "page 0: flags differs");
	pmt_fini(&x);
}

static void test_pagemodel_touch_presence(void)
{
	struct pmt x;

	pmt_init(&x);
	ASSERT_INT(step(&x, "mmap 0 4 rw- anon", 0, "0-4 rw-p pgoff=0 flags=ac\n"), 0);
	fake_set(&x.t, 1, 3, VMAFUZZ_PAGE_PRESENT | VMAFUZZ_PAGE_WRITTEN);
	ASSERT_INT(step(&x, "touch 1 2", 0, "0-4 rw-p pgoff=0 av=1 flags=ac\n"), 0);
	/* The target forgot page 2: reported. */
	x.t.r[0].e = 2;
	ASSERT_INT(check(&x, "0-4 rw-p pgoff=0 av=1 flags=ac\n"), -1);
	ASSERT_HAS(x.msg,
		   "page 2 (VMA 0-4): the target has it not present, the page model present");
	/* A read fault: present, not written. */
	x.t.r[0].e = 3;
	fake_set(&x.t, 3, 4, VMAFUZZ_PAGE_PRESENT);
	ASSERT_INT(step(&x, "touch 3 1 read", 0, "0-4 rw-p pgoff=0 av=1 flags=ac\n"), 0);
	x.t.r[1].st |= VMAFUZZ_PAGE_WRITTEN;
	ASSERT_INT(check(&x, "0-4 rw-p pgoff=0 av=1 flags=ac\n"), -1);
	ASSERT_HAS(x.msg, "page 3");
	x.t.r[1].st = VMAFUZZ_PAGE_PRESENT;
	/* Past the mapping: EFAULT, and the page model says so. */
	ASSERT_INT(step(&x, "touch 3 2 read", 0, "0-4 rw-p pgoff=0 av=1 flags=ac\n"), -1);
	ASSERT_HAS(x.msg, "predicts EFAULT");
	pmt_fini(&x);
}

static void test_pagemodel_touch_efault(void)
{
	struct pmt x;

	pmt_init(&x);
	ASSERT_INT(step(&x, "mmap 0 2 rw- anon", 0, "0-2 rw-p pgoff=0 flags=ac\n"), 0);
	ASSERT_INT(step(&x, "mmap 2 2 r-- anon", 0,
			"0-2 rw-p pgoff=0 flags=ac\n2-4 r--p pgoff=2 flags=\n"),
		   0);
	/* Writing stops at page 2 (read-only); pages before it stay faulted. */
	fake_set(&x.t, 0, 2, VMAFUZZ_PAGE_PRESENT | VMAFUZZ_PAGE_WRITTEN);
	ASSERT_INT(step(&x, "touch 0 4", -EFAULT,
			"0-2 rw-p pgoff=0 av=1 flags=ac\n2-4 r--p pgoff=2 flags=\n"),
		   0);
	ASSERT_INT(step(&x, "touch 0 4", 0,
			"0-2 rw-p pgoff=0 av=1 flags=ac\n2-4 r--p pgoff=2 flags=\n"),
		   -1);
	ASSERT_HAS(x.msg, "predicts EFAULT");
	pmt_fini(&x);
}

static void test_pagemodel_fork(void)
{
	struct pmt x;

	pmt_init(&x);
	ASSERT_INT(step(&x, "mmap 0 4 rw- anon", 0, "0-4 rw-p pgoff=0 flags=ac\n"), 0);
	ASSERT_INT(step(&x, "mlock 2 2 onfault", 0,
			"0-2 rw-p pgoff=0 flags=ac\n2-4 rw-p pgoff=2 flags=lo,lf,ac\n"),
		   0);
	ASSERT_INT(step(&x, "madvise 0 1 dontfork", 0,
			"0-1 rw-p pgoff=0 flags=dc,ac\n1-2 rw-p pgoff=1 flags=ac\n"
			"2-4 rw-p pgoff=2 flags=lo,lf,ac\n"),
		   0);
	fake_set(&x.t, 0, 4, VMAFUZZ_PAGE_PRESENT | VMAFUZZ_PAGE_WRITTEN);
	ASSERT_INT(step(&x, "touch 0 4", 0,
			"0-1 rw-p pgoff=0 av=1 flags=dc,ac\n1-2 rw-p pgoff=1 av=1 flags=ac\n"
			"2-4 rw-p pgoff=2 av=1 flags=lo,lf,ac\n"),
		   0);
	/* The child: no DONTCOPY page, no lock, the faulted pages still present. */
	x.t.r[0].s = 1;
	ASSERT_INT(step(&x, "fork", 0,
			"1-2 rw-p pgoff=1 av=1+ flags=ac\n2-4 rw-p pgoff=2 av=2+ flags=ac\n"),
		   0);
	ASSERT_INT(
		check(&x,
		      "1-2 rw-p pgoff=1 av=1+ flags=ac\n2-4 rw-p pgoff=2 av=2+ flags=lo,lf,ac\n"),
		-1);
	ASSERT_HAS(x.msg, "page 2: flags differs");
	/* Presence lost by the child: reported. */
	x.t.r[0].e = 2;
	ASSERT_INT(check(&x, "1-2 rw-p pgoff=1 av=1+ flags=ac\n2-4 rw-p pgoff=2 av=2+ flags=ac\n"),
		   -1);
	ASSERT_HAS(x.msg, "page 2 (VMA 2-4): the target has it not present");
	pmt_fini(&x);
}

static void test_pagemodel_fork_unfaulted_drops_presence(void)
{
	struct pmt x;

	pmt_init(&x);
	ASSERT_INT(step(&x, "mmap 0 2 r-- file:1@0", 0, "0-2 r--p pgoff=0 file=1 flags=\n"), 0);
	fake_set(&x.t, 0, 2, VMAFUZZ_PAGE_PRESENT);
	ASSERT_INT(step(&x, "touch 0 2 read", 0, "0-2 r--p pgoff=0 file=1 flags=\n"), 0);
	/* No anon_vma: the child maps the file afresh. */
	x.t.nr = 0;
	ASSERT_INT(step(&x, "fork", 0, "0-2 r--p pgoff=0 file=1 flags=\n"), 0);
	pmt_fini(&x);
}

static void test_pagemodel_error_old_or_new(void)
{
	struct pmt x;

	pmt_init(&x);
	ASSERT_INT(step(&x, "mmap 0 2 rw- anon", 0, "0-2 rw-p pgoff=0 flags=ac\n"), 0);
	ASSERT_INT(step(&x, "mmap 3 2 rw- anon", 0,
			"0-2 rw-p pgoff=0 flags=ac\n3-5 rw-p pgoff=3 flags=ac\n"),
		   0);
	/* mprotect stops at the hole: the pages before it are changed. */
	ASSERT_INT(step(&x, "mprotect 0 5 r--", -ENOMEM,
			"0-2 r--p pgoff=0 flags=ac\n3-5 rw-p pgoff=3 flags=ac\n"),
		   0);
	/* Adopted: the page model now says what the targets showed. */
	ASSERT_INT(check(&x, "0-2 r--p pgoff=0 flags=ac\n3-5 rw-p pgoff=3 flags=ac\n"), 0);
	/* A value that is neither the old nor the new one. */
	ASSERT_INT(step(&x, "mprotect 0 5 rw-", -ENOMEM,
			"0-2 r-xp pgoff=0 flags=ac\n3-5 rw-p pgoff=3 flags=ac\n"),
		   -1);
	ASSERT_HAS(x.msg, "page 0 has flags neither old nor new");
	pmt_fini(&x);
}

static void test_pagemodel_mremap_move_unfaulted(void)
{
	struct pmt x;

	pmt_init(&x);
	ASSERT_INT(step(&x, "mmap 8 4 rw- anon", 0, "8-12 rw-p pgoff=8 flags=ac\n"), 0);
	ASSERT_INT(step(&x, "mmap 0 2 rw- anon", 0,
			"0-2 rw-p pgoff=0 flags=ac\n8-12 rw-p pgoff=8 flags=ac\n"),
		   0);
	/* An unfaulted source restarts at its new address: one VMA, pgoff 6. */
	ASSERT_INT(step(&x, "mremap 0 2 2 maymove fixed=6", 0, "6-12 rw-p pgoff=6 flags=ac\n"), 0);
	/* What merge-case3-pgoff would show. */
	ASSERT_INT(check(&x, "6-12 rw-p pgoff=8 flags=ac\n"), -1);
	ASSERT_HAS(x.msg, "page 6: pgoff differs");
	pmt_fini(&x);
}

static void test_pagemodel_mremap_expand_tail(void)
{
	struct pmt x;

	pmt_init(&x);
	ASSERT_INT(step(&x, "mmap 0 2 rw- shared-anon", 0, "0-2 rw-s pgoff=0 file=zero:1 flags=\n"),
		   0);
	/* In place: the tail continues the object's offsets. */
	ASSERT_INT(step(&x, "mremap 0 2 4", 0, "0-4 rw-s pgoff=0 file=zero:1 flags=\n"), 0);
	/* The object is 2 pages long: touching page 2 is past its extent. */
	fake_set(&x.t, 0, 1, VMAFUZZ_PAGE_PRESENT);
	ASSERT_INT(step(&x, "touch 0 3", -EFAULT, "0-4 rw-s pgoff=0 file=zero:1 flags=\n"), -1);
	ASSERT_HAS(x.msg, "page 1");
	pmt_fini(&x);
}

static void test_pagemodel_name_uffd(void)
{
	struct pmt x;

	pmt_init(&x);
	ASSERT_INT(step(&x, "mmap 0 4 rw- anon", 0, "0-4 rw-p pgoff=0 flags=ac\n"), 0);
	ASSERT_INT(step(&x, "name 0 2 heap.a", 0,
			"0-2 rw-p pgoff=0 flags=ac name=heap.a\n2-4 rw-p pgoff=2 flags=ac\n"),
		   0);
	ASSERT_INT(check(&x, "0-2 rw-p pgoff=0 flags=ac name=heap.b\n2-4 rw-p pgoff=2 flags=ac\n"),
		   -1);
	ASSERT_HAS(x.msg, "page 0: name differs");
	ASSERT_INT(step(&x, "uffd-register 1 3 2 missing", 0,
			"0-1 rw-p pgoff=0 flags=ac name=heap.a\n"
			"1-2 rw-p pgoff=1 flags=um,ac uffd=2 name=heap.a\n"
			"2-4 rw-p pgoff=2 flags=um,ac uffd=2\n"),
		   0);
	/* A missing fault on an absent page goes to the context: EFAULT. */
	ASSERT_INT(step(&x, "touch 1 1", -EFAULT,
			"0-1 rw-p pgoff=0 flags=ac name=heap.a\n"
			"1-2 rw-p pgoff=1 av=1 flags=um,ac uffd=2 name=heap.a\n"
			"2-4 rw-p pgoff=2 flags=um,ac uffd=2\n"),
		   0);
	/* Closing the context unregisters every page it held. */
	ASSERT_INT(step(&x, "uffd-close 2", 0,
			"0-2 rw-p pgoff=0 av=1 flags=ac name=heap.a\n2-4 rw-p pgoff=2 flags=ac\n"),
		   0);
	ASSERT_INT(
		check(&x,
		      "0-2 rw-p pgoff=0 flags=ac name=heap.a\n2-4 rw-p pgoff=2 flags=um,ac uffd=2\n"),
		-1);
	ASSERT_HAS(x.msg, "page 2: flags differs");
	pmt_fini(&x);
}

/* A whole window of pages costs a handful of runs, not a million pages. */
static void test_pagemodel_wide_range(void)
{
	struct pmt x;

	pmt_init(&x);
	ASSERT_INT(step(&x, "mmap 0 0xfff00 rw- anon", 0, "0-1048320 rw-p pgoff=0 flags=ac\n"), 0);
	fake_set(&x.t, 0, 0xfff00, VMAFUZZ_PAGE_PRESENT | VMAFUZZ_PAGE_WRITTEN);
	ASSERT_INT(step(&x, "touch 0 0xfff00", 0, "0-1048320 rw-p pgoff=0 av=1 flags=ac\n"), 0);
	ASSERT_INT(step(&x, "mprotect 0x100 0x80000 r--", 0,
			"0-256 rw-p pgoff=0 av=1 flags=ac\n"
			"256-524544 r--p pgoff=256 av=1 flags=ac\n"
			"524544-1048320 rw-p pgoff=524544 av=1 flags=ac\n"),
		   0);
	pmt_fini(&x);
}

int main(void)
{
	RUN(test_pagemodel_empty);
	RUN(test_pagemodel_mmap_anon);
	RUN(test_pagemodel_mmap_kinds);
	RUN(test_pagemodel_munmap);
	RUN(test_pagemodel_mprotect_account);
	RUN(test_pagemodel_touch_presence);
	RUN(test_pagemodel_touch_efault);
	RUN(test_pagemodel_fork);
	RUN(test_pagemodel_fork_unfaulted_drops_presence);
	RUN(test_pagemodel_error_old_or_new);
	RUN(test_pagemodel_mremap_move_unfaulted);
	RUN(test_pagemodel_mremap_expand_tail);
	RUN(test_pagemodel_name_uffd);
	RUN(test_pagemodel_wide_range);
	return unit_exit();
}
