// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of lib/layout.c: canonical renumbering, the expect-syntax
 * printers, layout comparison, the side-by-side diff and expect-line
 * matching; plus the name tables of lib/op.c and lib/canary.c.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "vmafuzz/canary.h"
#include "vmafuzz/layout.h"
#include "vmafuzz/lockstep.h"
#include "vmafuzz/script.h"

#define ANON_RW                                                                          \
	(VMAFUZZ_VM_READ | VMAFUZZ_VM_WRITE | VMAFUZZ_VM_MAYREAD | VMAFUZZ_VM_MAYWRITE | \
	 VMAFUZZ_VM_MAYEXEC)

static struct vmafuzz_lvma *push(struct vmafuzz_layout *l, uint32_t start, uint32_t end)
{
	struct vmafuzz_lvma *v = vmafuzz_layout_push(l);

	v->start = start;
	v->end = end;
	v->pgoff = start;
	v->flags = ANON_RW | VMAFUZZ_VM_ACCOUNT;
	return v;
}

static void test_layout_canonicalize(void)
{
	/* raw identities as a model might hand them over: serials, out of order */
	static const struct {
		uint8_t obj, file;
		uint16_t inst, av;
		uint16_t want_inst, want_av;
	} rows[] = {
		{ VMAFUZZ_OBJ_ANON, 0, 77, 900, 0, 1 },
		{ VMAFUZZ_OBJ_ANON, 0, 0, 0, 0, 0 },
		{ VMAFUZZ_OBJ_ZERO, 0, 40, 0, 1, 0 },
		{ VMAFUZZ_OBJ_SHM, 2, 40, 300, 1, 2 }, /* same raw inst, other class */
		{ VMAFUZZ_OBJ_SHM, 2, 41, 900, 2, 1 },
		{ VMAFUZZ_OBJ_SHM, 3, 41, 0, 1, 0 }, /* numbered per F */
		{ VMAFUZZ_OBJ_SHM, 2, 40, 0, 1, 0 },
		{ VMAFUZZ_OBJ_DEV, 2, 40, 0, 1, 0 }, /* devices apart from segments */
		{ VMAFUZZ_OBJ_ZERO, 5, 39, 7, 2, 3 },
		{ VMAFUZZ_OBJ_ZERO, 0, 40, 300, 1, 2 },
		{ VMAFUZZ_OBJ_FILE, 4, 99, 0, 0, 0 },
		{ VMAFUZZ_OBJ_DEV, 2, 0, 0, 2, 0 }, /* raw 0 is an identity too */
	};
	const unsigned int nr = sizeof(rows) / sizeof(rows[0]);
	struct vmafuzz_layout l;
	unsigned int i;

	vmafuzz_layout_init(&l);
	for (i = 0; i < nr; i++) {
		struct vmafuzz_lvma *v = push(&l, 2 * i, 2 * i + 1);

		v->obj = rows[i].obj;
		v->file = rows[i].file;
		v->inst = rows[i].inst;
		v->av = rows[i].av;
	}
	vmafuzz_layout_canonicalize(&l);
	for (i = 0; i < nr; i++) {
		ASSERT_INT(l.v[i].inst, rows[i].want_inst);
		ASSERT_INT(l.v[i].av, rows[i].want_av);
	}
	ASSERT_INT(l.v[8].file, 0); /* a ZERO object has no F */
	ASSERT_INT(l.v[10].file, 4);
	/* Idempotent. */
	vmafuzz_layout_canonicalize(&l);
	for (i = 0; i < nr; i++) {
		ASSERT_INT(l.v[i].inst, rows[i].want_inst);
		ASSERT_INT(l.v[i].av, rows[i].want_av);
	}
	vmafuzz_layout_fini(&l);
}

/* Large layouts take the allocated table; many classes at once. */
static void test_layout_canonicalize_large(void)
{
	struct vmafuzz_layout l;
	unsigned int i;

	vmafuzz_layout_init(&l);
	for (i = 0; i < 5000; i++) {
		struct vmafuzz_lvma *v = push(&l, i, i + 1);

		v->av = (uint16_t)(60000 - i / 2); /* pairs share an anon_vma */
		v->obj = VMAFUZZ_OBJ_SHM;
		v->file = (uint8_t)(i % 8);
		v->inst = (uint16_t)(1000 + i / 8 % 3);
	}
	vmafuzz_layout_canonicalize(&l);
	for (i = 0; i < 5000; i++) {
		ASSERT_INT(l.v[i].av, i / 2 + 1);
		ASSERT_INT(l.v[i].inst, i / 8 % 3 + 1);
	}
	vmafuzz_layout_fini(&l);
}

static void test_layout_format(void)
{
	struct vmafuzz_lvma v = { 0 };
	struct vmafuzz_counters c = { 1, 0, 3, 3 };
	char buf[VMAFUZZ_LINE_MAX];

	v.start = 0;
	v.end = 3;
	v.flags = ANON_RW | VMAFUZZ_VM_ACCOUNT;
	v.av = 1;
	ASSERT_INT(vmafuzz_lvma_format(buf, sizeof(buf), &v), 63);
	ASSERT_STR(buf, "0-3 rw-p pgoff=0 file=- av=1 flags=ac pol=default uffd=0 name=-");
	vmafuzz_counters_format(buf, sizeof(buf), &c);
	ASSERT_STR(buf, "expect-counters map_count=1 locked_vm=0 total_vm=3 committed=3");

	v.start = 1048575;
	v.end = 1048576;
	v.pgoff = 18446744073709551615ull;
	v.flags = VMAFUZZ_VM_EXEC | VMAFUZZ_VM_MAYSHARE | VMAFUZZ_VM_SHARED | VMAFUZZ_VM_NAMED |
		  VMAFUZZ_VM_HUGETLB | VMAFUZZ_VM_MIXEDMAP;
	v.obj = VMAFUZZ_OBJ_SHM;
	v.file = 7;
	v.inst = 65535;
	v.av = 2;
	v.av_forked = true;
	v.pol = VMAFUZZ_POL_INTERLEAVE;
	v.pol_home = true;
	v.uffd = 7;
	strcpy(v.name, "abcdefghijklmnopqrstuvwxyz012345");
	vmafuzz_lvma_format(buf, sizeof(buf), &v);
	ASSERT_STR(buf, "1048575-1048576 --xs pgoff=18446744073709551615 file=shm:7.65535 av=2+ "
			"flags=gd,um,pf,uw,lo,io,sr,rr,dc,de,lf,ac,nr,wf,dd,hg,nh,mg "
			"pol=interleave@0 uffd=7 name=abcdefghijklmnopqrstuvwxyz012345");
	v.obj = VMAFUZZ_OBJ_DEV;
	v.flags = VMAFUZZ_VM_READ | VMAFUZZ_VM_SHARED; /* VM_SHARED alone shows no 's' */
	vmafuzz_lvma_format_keys(buf, sizeof(buf), &v, VMAFUZZ_KEY_FILE | VMAFUZZ_KEY_FLAGS);
	ASSERT_STR(buf, "1048575-1048576 r--p file=dev:7.65535 flags=");
	v.obj = VMAFUZZ_OBJ_ZERO;
	v.inst = 3;
	vmafuzz_lvma_format_keys(buf, sizeof(buf), &v, VMAFUZZ_KEY_FILE);
	ASSERT_STR(buf, "1048575-1048576 r--p file=zero:3");
	v.obj = VMAFUZZ_OBJ_FILE;
	v.file = 5;
	vmafuzz_lvma_format_keys(buf, sizeof(buf), &v, VMAFUZZ_KEY_FILE | VMAFUZZ_KEY_POL);
	ASSERT_STR(buf, "1048575-1048576 r--p file=5 pol=interleave@0");
	vmafuzz_counters_format_keys(buf, sizeof(buf), &c, VMAFUZZ_CNT_TOTAL_VM);
	ASSERT_STR(buf, "expect-counters total_vm=3");
	/* snprintf contract: truncated, terminated, full length returned */
	ASSERT_INT(vmafuzz_counters_format(buf, 10, &c), 62);
	ASSERT_STR(buf, "expect-co");
}

/* Every printed line parses back as an expect line that matches it. */
static void test_layout_print_parses_back(void)
{
	struct vmafuzz_layout l;
	struct vmafuzz_script s;
	struct vmafuzz_lvma *v;
	char *text = NULL, err[256];
	size_t n;
	FILE *f;
	unsigned int i;

	vmafuzz_layout_init(&l);
	push(&l, 0, 3)->av = 1;
	v = push(&l, 3, 5);
	v->obj = VMAFUZZ_OBJ_SHM;
	v->file = 1;
	v->inst = 1;
	v->flags = VMAFUZZ_VM_READ | VMAFUZZ_VM_MAYSHARE | VMAFUZZ_VM_SHARED | VMAFUZZ_VM_LOCKED;
	v->pol = VMAFUZZ_POL_BIND;
	v->pol_home = true;
	strcpy(v->name, "x");
	v = push(&l, 9, 10);
	v->av = 2;
	v->av_forked = true;
	v->uffd = 3;
	v->flags |= VMAFUZZ_VM_UFFD_MISSING | VMAFUZZ_VM_HUGETLB; /* hidden bit */
	l.c = (struct vmafuzz_counters){ 3, 2, 6, 4 };

	f = open_memstream(&text, &n);
	vmafuzz_layout_print(f, &l, NULL);
	fclose(f);
	ASSERT_STR(text, "expect\n"
			 "0-3 rw-p pgoff=0 file=- av=1 flags=ac pol=default uffd=0 name=-\n"
			 "3-5 r--s pgoff=3 file=shm:1.1 av=0 flags=lo pol=bind@0 uffd=0 name=x\n"
			 "9-10 rw-p pgoff=9 file=- av=2+ flags=um,ac pol=default uffd=3 name=-\n"
			 "end\n"
			 "expect-counters map_count=3 locked_vm=2 total_vm=6 committed=4\n");
	if (vmafuzz_script_parse(&s, "p.vma", text, n, err, sizeof(err))) {
		UNIT_FAIL("%s", err);
	} else {
		ASSERT_INT(s.nr, 2);
		ASSERT_INT(s.stmts[0].nr_expect, 3);
		for (i = 0; i < 3 && i < s.stmts[0].nr_expect; i++) {
			const struct vmafuzz_expect_line *e = &s.stmts[0].expect[i];

			ASSERT_INT(e->mask, VMAFUZZ_KEY_ALL);
			if (!vmafuzz_lvma_matches(&l.v[i], &e->v, e->mask))
				UNIT_FAIL("printed line %u does not match its VMA", i);
		}
		ASSERT_INT(vmafuzz_counters_equal(&s.stmts[1].counters, &l.c), 1);
		vmafuzz_script_free(&s);
	}
	free(text);

	f = open_memstream(&text, &n);
	vmafuzz_layout_print(f, &l, "  ");
	fclose(f);
	ASSERT_INT(strncmp(text, "  expect\n  0-3 rw-p", 19), 0);
	ASSERT_HAS(text, "\n  end\n  expect-counters map_count=3");
	free(text);
	vmafuzz_layout_fini(&l);
}

static void test_layout_diff(void)
{
	struct vmafuzz_layout a, b;

	vmafuzz_layout_init(&a);
	vmafuzz_layout_init(&b);
	ASSERT_INT(vmafuzz_layout_diff(&a, &b), -1);
	push(&a, 0, 3);
	push(&a, 3, 5);
	push(&b, 0, 3);
	push(&b, 3, 5);
	ASSERT_INT(vmafuzz_layout_diff(&a, &b), -1);
	/* every field counts, hidden flag bits included */
	b.v[1].flags &= ~VMAFUZZ_VM_MAYEXEC;
	ASSERT_INT(vmafuzz_layout_diff(&a, &b), 1);
	b.v[1].flags = a.v[1].flags;
	strcpy(b.v[0].name, "n");
	ASSERT_INT(vmafuzz_layout_diff(&a, &b), 0);
	b.v[0].name[0] = '\0';
	b.v[0].av_forked = true;
	ASSERT_INT(vmafuzz_layout_diff(&a, &b), 0);
	b.v[0].av_forked = false;
	/* lines agree, one is longer: its first extra line */
	push(&b, 7, 8);
	ASSERT_INT(vmafuzz_layout_diff(&a, &b), 2);
	ASSERT_INT(vmafuzz_layout_diff(&b, &a), 2);
	b.nr--;
	/* lines agree, counters differ: nr */
	b.c.committed = 1;
	ASSERT_INT(vmafuzz_layout_diff(&a, &b), 2);
	ASSERT_INT(vmafuzz_counters_equal(&a.c, &b.c), 0);
	b.c.committed = 0;
	ASSERT_INT(vmafuzz_counters_equal(&a.c, &b.c), 1);
	ASSERT_INT(vmafuzz_layout_diff(&a, &b), -1);
	/* clear empties lines and counters, keeps the memory */
	b.c.map_count = 5;
	vmafuzz_layout_clear(&b);
	ASSERT_INT(b.nr, 0);
	ASSERT_INT(b.c.map_count, 0);
	ASSERT_INT(b.cap >= 2, 1);
	vmafuzz_layout_fini(&a);
	vmafuzz_layout_fini(&b);
}

static void test_layout_print_diff(void)
{
	struct vmafuzz_layout a, b;
	char *text = NULL;
	size_t n;
	FILE *f;

	vmafuzz_layout_init(&a);
	vmafuzz_layout_init(&b);
	push(&a, 0, 3);
	push(&a, 3, 5);
	push(&b, 0, 3);
	push(&b, 3, 5)->flags &= ~VMAFUZZ_VM_MAYEXEC; /* prints the same */
	push(&b, 6, 7);
	a.c = (struct vmafuzz_counters){ 2, 0, 5, 5 };
	b.c = (struct vmafuzz_counters){ 3, 0, 6, 5 };
	f = open_memstream(&text, &n);
	vmafuzz_layout_print_diff(f, "legacy", &a, "refactored", &b);
	fclose(f);
	ASSERT_HAS(text, "  legacy ");
	ASSERT_HAS(text, " | refactored\n");
	ASSERT_HAS(text, "\n  0-3 rw-p pgoff=0");
	ASSERT_HAS(text, "\n> 3-5 rw-p pgoff=3 file=- av=0 flags=ac pol=default uffd=0 name=- "
			 "# raw flags 0x100073 | 3-5 rw-p");
	ASSERT_HAS(text, "# raw flags 0x100033\n");
	/* only the first difference is marked */
	ASSERT_NOT_HAS(text, "> 6-7");
	ASSERT_NOT_HAS(text, ">  ");
	ASSERT_HAS(text, "| 6-7 rw-p");
	ASSERT_HAS(text, "\n> map_count=2 ");
	ASSERT_HAS(text, "\n  locked_vm=0 ");
	ASSERT_HAS(text, "\n> total_vm=5 ");
	ASSERT_HAS(text, "\n  committed=5 ");
	free(text);
	vmafuzz_layout_fini(&a);
	vmafuzz_layout_fini(&b);
}

static void test_layout_matches(void)
{
	struct vmafuzz_lvma v = { 0 }, e = { 0 };

	v.start = e.start = 2;
	v.end = e.end = 4;
	v.flags = ANON_RW | VMAFUZZ_VM_ACCOUNT | VMAFUZZ_VM_HUGETLB;
	v.pgoff = 2;
	v.av = 1;
	e.flags = VMAFUZZ_VM_READ | VMAFUZZ_VM_WRITE;
	ASSERT_INT(vmafuzz_lvma_matches(&v, &e, 0), 1);
	ASSERT_INT(vmafuzz_lvma_matches(&v, &e, VMAFUZZ_KEY_FLAGS), 0);
	e.flags |= VMAFUZZ_VM_ACCOUNT;
	/* hidden and unnamed bits do not count */
	ASSERT_INT(vmafuzz_lvma_matches(&v, &e, VMAFUZZ_KEY_FLAGS), 1);
	e.flags |= VMAFUZZ_VM_MAYSHARE | VMAFUZZ_VM_SHARED;
	ASSERT_INT(vmafuzz_lvma_matches(&v, &e, 0), 0);
	e.flags &= ~(VMAFUZZ_VM_MAYSHARE | VMAFUZZ_VM_SHARED | VMAFUZZ_VM_WRITE);
	ASSERT_INT(vmafuzz_lvma_matches(&v, &e, 0), 0);
	e.flags |= VMAFUZZ_VM_WRITE;
	e.end = 5;
	ASSERT_INT(vmafuzz_lvma_matches(&v, &e, 0), 0);
	e.end = 4;
	ASSERT_INT(vmafuzz_lvma_matches(&v, &e, VMAFUZZ_KEY_PGOFF), 0);
	e.pgoff = 2;
	ASSERT_INT(vmafuzz_lvma_matches(&v, &e, VMAFUZZ_KEY_ALL & ~VMAFUZZ_KEY_AV), 1);
	ASSERT_INT(vmafuzz_lvma_matches(&v, &e, VMAFUZZ_KEY_AV), 0);
	e.av = 1;
	ASSERT_INT(vmafuzz_lvma_matches(&v, &e, VMAFUZZ_KEY_ALL), 1);
	e.av_forked = true;
	ASSERT_INT(vmafuzz_lvma_matches(&v, &e, VMAFUZZ_KEY_AV), 0);
	e.av_forked = false;
	/* file=: the kind, F where it has one, the instance where it has one */
	v.obj = e.obj = VMAFUZZ_OBJ_ZERO;
	v.inst = 1;
	e.inst = 2;
	ASSERT_INT(vmafuzz_lvma_matches(&v, &e, VMAFUZZ_KEY_FILE), 0);
	e.inst = 1;
	e.file = 3; /* meaningless for zero */
	ASSERT_INT(vmafuzz_lvma_matches(&v, &e, VMAFUZZ_KEY_FILE), 1);
	v.obj = e.obj = VMAFUZZ_OBJ_SHM;
	ASSERT_INT(vmafuzz_lvma_matches(&v, &e, VMAFUZZ_KEY_FILE), 0);
	v.file = 3;
	ASSERT_INT(vmafuzz_lvma_matches(&v, &e, VMAFUZZ_KEY_FILE), 1);
	e.obj = VMAFUZZ_OBJ_DEV;
	ASSERT_INT(vmafuzz_lvma_matches(&v, &e, VMAFUZZ_KEY_FILE), 0);
	ASSERT_INT(vmafuzz_lvma_matches(&v, &e, 0), 1);
	e.obj = VMAFUZZ_OBJ_SHM;
	e.pol_home = true;
	ASSERT_INT(vmafuzz_lvma_matches(&v, &e, VMAFUZZ_KEY_POL), 0);
	e.pol_home = false;
	e.uffd = 2;
	ASSERT_INT(vmafuzz_lvma_matches(&v, &e, VMAFUZZ_KEY_UFFD), 0);
	e.uffd = 0;
	strcpy(e.name, "a");
	ASSERT_INT(vmafuzz_lvma_matches(&v, &e, VMAFUZZ_KEY_NAME), 0);
	ASSERT_INT(vmafuzz_lvma_matches(&v, &e, VMAFUZZ_KEY_ALL & ~VMAFUZZ_KEY_NAME), 1);
}

static void test_layout_name_tables(void)
{
	ASSERT_STR(vmafuzz_op_names[VMAFUZZ_OP_MMAP], "mmap");
	ASSERT_STR(vmafuzz_op_names[VMAFUZZ_OP_HOME_NODE], "home-node");
	ASSERT_STR(vmafuzz_op_names[VMAFUZZ_OP_DUMP], "dump");
	ASSERT_STR(vmafuzz_kind_names[VMAFUZZ_KIND_DEVICE], "device");
	ASSERT_STR(vmafuzz_advice_names[VMAFUZZ_ADV_NORMAL], "normal");
	ASSERT_STR(vmafuzz_policy_names[VMAFUZZ_POL_LOCAL], "local");
	ASSERT_STR(vmafuzz_fail_names[VMAFUZZ_FAIL_ALLOC], "alloc");
}

/* Written against the table, not particular names: canaries come and go. */
static void test_layout_canary_init(void)
{
	const char *bad = NULL;
	char list[256];

	unsetenv("VMAFUZZ_CANARY");
	ASSERT_INT(vmafuzz_canary_init(&bad), 0);
	ASSERT_INT(vmafuzz_canaries, 0);
	setenv("VMAFUZZ_CANARY", "", 1);
	ASSERT_INT(vmafuzz_canary_init(&bad), 0);
	ASSERT_INT(vmafuzz_canaries, 0);
	setenv("VMAFUZZ_CANARY", vmafuzz_canary_table[1].name, 1);
	ASSERT_INT(vmafuzz_canary_init(&bad), 0);
	ASSERT_INT(vmafuzz_canaries, 1ull << 1);
	ASSERT_INT(vmafuzz_canary(1), 1);
	ASSERT_INT(vmafuzz_canary(0), 0);
	/* a list, with an empty item and a trailing comma */
	snprintf(list, sizeof(list), "%s,,%s,", vmafuzz_canary_table[0].name,
		 vmafuzz_canary_table[VMAFUZZ_CANARY_NR - 1].name);
	setenv("VMAFUZZ_CANARY", list, 1);
	ASSERT_INT(vmafuzz_canary_init(&bad), 0);
	ASSERT_INT(vmafuzz_canaries, 1ull | 1ull << (VMAFUZZ_CANARY_NR - 1));
	/* a prefix of a name is no name */
	snprintf(list, sizeof(list), "%s,%.4s", vmafuzz_canary_table[0].name, vmafuzz_canary_table[1].name);
	setenv("VMAFUZZ_CANARY", list, 1);
	ASSERT_INT(vmafuzz_canary_init(&bad), -1);
	ASSERT_INT(strlen(bad), 4);
	ASSERT_INT(strncmp(bad, vmafuzz_canary_table[1].name, 4), 0);
	ASSERT_INT(vmafuzz_canaries, 0);
	unsetenv("VMAFUZZ_CANARY");
	ASSERT_INT(vmafuzz_canary_init(&bad), 0);
	for (int i = 0; i < VMAFUZZ_CANARY_NR; i++) {
		ASSERT_INT(vmafuzz_canary_table[i].name && *vmafuzz_canary_table[i].name, 1);
		ASSERT_INT(vmafuzz_canary_table[i].desc && *vmafuzz_canary_table[i].desc, 1);
		ASSERT_INT(vmafuzz_canary_table[i].upstream && *vmafuzz_canary_table[i].upstream, 1);
		/* The check is one the runner can name, or the sanitizers. */
		unsigned int checks;
		const char *unknown;

		ASSERT_INT(!strcmp(vmafuzz_canary_table[i].check, "sanitizer") ||
				   !vmafuzz_checks_parse(vmafuzz_canary_table[i].check, &checks,
							 &unknown),
			   1);
	}
}

int main(void)
{
	RUN(test_layout_canonicalize);
	RUN(test_layout_canonicalize_large);
	RUN(test_layout_format);
	RUN(test_layout_print_parses_back);
	RUN(test_layout_diff);
	RUN(test_layout_print_diff);
	RUN(test_layout_matches);
	RUN(test_layout_name_tables);
	RUN(test_layout_canary_init);
	return unit_exit();
}
