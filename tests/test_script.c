// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of lib/script.c: every statement and option parses, prints in its
 * canonical form and parses back to the same op; errno names both ways;
 * expect lines and counters; the error positions (LINE:COL) and messages;
 * and random and mutated inputs, which must give a clean result or a clean
 * error (ASan and LeakSanitizer watch).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "vmafuzz/script.h"

static bool op_equal(const struct vmafuzz_op *a, const struct vmafuzz_op *b)
{
	return a->op == b->op && a->addr == b->addr && a->len == b->len && a->newlen == b->newlen &&
	       a->newaddr == b->newaddr && a->flags == b->flags && a->count == b->count &&
	       a->pgoff == b->pgoff && a->prot == b->prot && a->kind == b->kind &&
	       a->file == b->file && a->advice == b->advice && a->policy == b->policy &&
	       a->ctx == b->ctx && a->mode == b->mode && a->fail == b->fail &&
	       !strcmp(a->name, b->name);
}

static int parse(struct vmafuzz_script *s, const char *text, char *err, size_t errsz)
{
	return vmafuzz_script_parse(s, "t.vma", text, strlen(text), err, errsz);
}

/* The whole script printed into a malloc'd string. */
static char *print(const struct vmafuzz_script *s)
{
	char *buf = NULL;
	size_t n;
	FILE *f = open_memstream(&buf, &n);

	vmafuzz_script_print(f, s);
	fclose(f);
	return buf;
}

/*
 * text (one statement) parses, prints as want (text itself when NULL), and
 * want parses back to the same statement.
 */
static void roundtrip(const char *text, const char *want)
{
	struct vmafuzz_script a, b;
	char err[256], buf[VMAFUZZ_LINE_MAX];
	char *out;

	if (!want)
		want = text;
	if (parse(&a, text, err, sizeof(err))) {
		UNIT_FAIL("'%s' does not parse: %s", text, err);
		return;
	}
	out = print(&a);
	ASSERT_STR(out, want);
	if (parse(&b, out, err, sizeof(err))) {
		UNIT_FAIL("printed '%s' does not parse: %s", out, err);
	} else {
		ASSERT_INT(a.nr, b.nr);
		if (a.nr == 1 && b.nr == 1 && a.stmts[0].type == VMAFUZZ_STMT_OP) {
			if (!op_equal(&a.stmts[0].op, &b.stmts[0].op))
				UNIT_FAIL("'%s' and its print '%s' parse to different ops", text,
					  out);
			ASSERT_INT(a.stmts[0].has_result, b.stmts[0].has_result);
			ASSERT_INT(a.stmts[0].result, b.stmts[0].result);
			/* op_format is the statement without its result. */
			vmafuzz_op_format(buf, sizeof(buf), &a.stmts[0].op);
			ASSERT_INT(strncmp(buf, out, strlen(buf)), 0);
		}
		vmafuzz_script_free(&b);
	}
	free(out);
	vmafuzz_script_free(&a);
}

static void test_script_roundtrip_canonical(void)
{
	static const char *const texts[] = {
		"mmap 0 1 rw- anon\n",
		"mmap 1048575 1 --- anon\n",
		"mmap 0 1048576 r-x anon\n",
		"mmap 16 4 rwx shared-anon\n",
		"mmap 3 2 r-- file:0@0\n",
		"mmap 3 2 r-- file:7@18446744073709551615\n",
		"mmap 3 2 rw- shared-file:5@12\n",
		"mmap 3 2 rw- shm:1@3\n",
		"mmap 3 2 rw- device:6@4294967296\n",
		"mmap 0 4 rw- anon noreplace noreserve locked populate stack growsdown\n",
		"mmap 0 4 rw- file:1@0 growsdown\n",
		"munmap 0 4\n",
		"munmap 0 0 => EINVAL\n",
		"mprotect 0 4 ---\n",
		"mprotect 0 4 -w-\n",
		"mprotect 0 4 --x\n",
		"madvise 0 4 wipeonfork\n",
		"mlock 0 4\n",
		"mlock 0 4 onfault\n",
		"munlock 0 4\n",
		"mlockall current\n",
		"mlockall future\n",
		"mlockall current+future\n",
		"mlockall current onfault\n",
		"mlockall current+future onfault => 0\n",
		"munlockall\n",
		"mbind 0 4 interleave\n",
		"home-node 0 4 => EOPNOTSUPP\n",
		"name 0 4 heap\n",
		"name 0 4 -\n",
		"name 0 4 A-Za-z0-9_.-abcdefghijklmnopqrst\n",
		"name 0 4 --\n",
		"uffd-register 0 4 1 missing\n",
		"uffd-register 0 4 7 wp\n",
		"uffd-register 0 4 3 missing+wp\n",
		"uffd-unregister 0 4 2\n",
		"uffd-close 7\n",
		"mremap 0 4 8\n",
		"mremap 0 4 8 maymove\n",
		"mremap 0 4 8 maymove fixed=100\n",
		"mremap 0 4 8 maymove fixed=1048568 dontunmap\n",
		"mremap 0 4 8 dontunmap\n",
		"mremap 0 0 8 fixed=0 => EINVAL\n",
		"brk 1048575\n",
		"brk 0\n",
		"touch 5 1\n",
		"touch 5 0\n",
		"touch 5 3 read\n",
		"fork\n",
		"fork => ENOMEM\n",
		"fail split 1\n",
		"fail merge 4294967295\n",
		"fail alloc 3\n",
		"max-map-count 1\n",
		"max-map-count 65530\n",
		"dump\n",
		"expect\nend\n",
		"expect\n0-3 rw-p\nend\n",
		("expect\n0-3 rw-p pgoff=0 file=- av=1 flags=ac pol=default uffd=0 name=-\n"
		 "3-5 r--s pgoff=18446744073709551615 file=shm:7.65535 av=0+ flags= "
		 "pol=preferred@0 uffd=7 name=x.y-z_0\n"
		 "1048575-1048576 ---p file=zero:2\n"
		 "end\n"),
		("expect\n5-6 rwxs file=dev:3.1 flags=gd,um,pf,uw,lo,io,sr,rr,dc,de,lf,ac,nr,wf,"
		 "dd,hg,nh,mg\nend\n"),
		"expect\n5-6 rw-p file=4 pol=interleave\nend\n",
		"expect-counters\n",
		"expect-counters map_count=1 locked_vm=0 total_vm=3 committed=9223372036854775807\n",
		"expect-counters committed=3\n",
	};
	unsigned int i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		roundtrip(texts[i], NULL);
}

/* Accepted spellings that print differently. */
static void test_script_roundtrip_normalizes(void)
{
	static const char *const pairs[][2] = {
		{ "mmap 0x10 0x4 rw- anon locked noreplace",
		  "mmap 16 4 rw- anon noreplace locked\n" },
		{ "mmap 0xA 0xaB rw- anon", "mmap 10 171 rw- anon\n" },
		{ "mmap 010 4 rw- file:07@0x10", "mmap 10 4 rw- file:7@16\n" },
		{ "mremap 0 4 8 dontunmap fixed=100 maymove",
		  "mremap 0 4 8 maymove fixed=100 dontunmap\n" },
		{ "touch 5", "touch 5 1\n" },
		{ "touch 5 read", "touch 5 1 read\n" },
		{ "  \tmunmap   0\t4  # comment", "munmap 0 4\n" },
		{ "munmap 0 4 => EWOULDBLOCK", "munmap 0 4 => EAGAIN\n" },
		{ "munmap 0 4 => EDEADLOCK", "munmap 0 4 => EDEADLK\n" },
		{ "munmap 0 4 => ENOTSUP", "munmap 0 4 => EOPNOTSUPP\n" },
		{ "munmap 0 4#comment", "munmap 0 4\n" },
		{ "munmap 0 4\r\n", "munmap 0 4\n" },
		{ "expect\n# c\n\n0x0-0x3   rw-p  av=2+ # c\n\t\nend # c\n",
		  "expect\n0-3 rw-p av=2+\nend\n" },
		{ "expect\n0-3 rw-p name=- pgoff=0x10 pol=bind@0\nend",
		  "expect\n0-3 rw-p pgoff=16 pol=bind@0 name=-\nend\n" },
		{ "expect\n0-3 rw-p flags=mg,ac,gd\nend",
		  "expect\n0-3 rw-p flags=gd,ac,mg\nend\n" },
		{ "expect-counters committed=3 map_count=0x1",
		  "expect-counters map_count=1 committed=3\n" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		roundtrip(pairs[i][0], pairs[i][1]);
}

/* Every combination of mmap kind, prot, option set and pgoff class. */
static void test_script_roundtrip_mmap_sweep(void)
{
	static const char *const kinds[] = {
		"anon",		 "shared-anon",
		"file:0@0",	 "shared-file:7@99",
		"shm:3@1048575", "device:5@18446744073709551615",
	};
	static const char *const opts[] = {
		"noreplace", "noreserve", "locked", "populate", "stack", "growsdown",
	};
	char text[256];
	unsigned int k, p, m, i;

	for (k = 0; k < 6; k++) {
		for (p = 0; p < 8; p++) {
			for (m = 0; m < 64; m++) {
				int n = snprintf(text, sizeof(text), "mmap 7 9 %c%c%c %s",
						 p & 1 ? 'r' : '-', p & 2 ? 'w' : '-',
						 p & 4 ? 'x' : '-', kinds[k]);

				for (i = 0; i < 6; i++) {
					if (m & (1u << i))
						n += snprintf(text + n, sizeof(text) - (size_t)n,
							      " %s", opts[i]);
				}
				snprintf(text + n, sizeof(text) - (size_t)n, "\n");
				roundtrip(text, NULL);
			}
		}
	}
}

static void test_script_roundtrip_word_tables(void)
{
	char text[128];
	unsigned int i;

	for (i = 0; i < VMAFUZZ_ADV_NR; i++) {
		snprintf(text, sizeof(text), "madvise 1 2 %s\n", vmafuzz_advice_names[i]);
		roundtrip(text, NULL);
	}
	for (i = 0; i < VMAFUZZ_POL_NR; i++) {
		snprintf(text, sizeof(text), "mbind 1 2 %s\n", vmafuzz_policy_names[i]);
		roundtrip(text, NULL);
		snprintf(text, sizeof(text), "expect\n1-2 r--p pol=%s\n3-4 r--p pol=%s@0\nend\n",
			 vmafuzz_policy_names[i], vmafuzz_policy_names[i]);
		roundtrip(text, NULL);
	}
	for (i = 0; i < VMAFUZZ_FAIL_NR; i++) {
		snprintf(text, sizeof(text), "fail %s %u\n", vmafuzz_fail_names[i], i + 1);
		roundtrip(text, NULL);
	}
	for (i = 1; i <= 7; i++) {
		snprintf(text, sizeof(text), "uffd-close %u\n", i);
		roundtrip(text, NULL);
	}
}

/* The parsed fields, not just the text. */
static void test_script_parse_fields(void)
{
	struct vmafuzz_script s;
	const struct vmafuzz_op *op;
	char err[256];

	if (parse(&s,
		  "mmap 5 6 r-x shared-file:3@0x20 locked noreserve => EEXIST\n"
		  "mremap 1 2 3 maymove fixed=9 dontunmap\n"
		  "touch 4 5 read\n"
		  "uffd-register 1 2 3 missing+wp\n"
		  "mlockall future onfault\n"
		  "name 1 2 abc\n"
		  "fail merge 7\n",
		  err, sizeof(err))) {
		UNIT_FAIL("%s", err);
		return;
	}
	ASSERT_INT(s.nr, 7);
	op = &s.stmts[0].op;
	ASSERT_INT(op->op, VMAFUZZ_OP_MMAP);
	ASSERT_INT(op->addr, 5);
	ASSERT_INT(op->len, 6);
	ASSERT_INT(op->prot, VMAFUZZ_PROT_READ | VMAFUZZ_PROT_EXEC);
	ASSERT_INT(op->kind, VMAFUZZ_KIND_SHARED_FILE);
	ASSERT_INT(op->file, 3);
	ASSERT_INT(op->pgoff, 32);
	ASSERT_INT(op->flags, VMAFUZZ_MMAP_LOCKED | VMAFUZZ_MMAP_NORESERVE);
	ASSERT_INT(s.stmts[0].has_result, 1);
	ASSERT_INT(s.stmts[0].result, -EEXIST);
	ASSERT_INT(s.stmts[0].line, 1);
	op = &s.stmts[1].op;
	ASSERT_INT(op->op, VMAFUZZ_OP_MREMAP);
	ASSERT_INT(op->len, 2);
	ASSERT_INT(op->newlen, 3);
	ASSERT_INT(op->newaddr, 9);
	ASSERT_INT(op->flags,
		   VMAFUZZ_MREMAP_MAYMOVE | VMAFUZZ_MREMAP_FIXED | VMAFUZZ_MREMAP_DONTUNMAP);
	ASSERT_INT(s.stmts[1].has_result, 0);
	op = &s.stmts[2].op;
	ASSERT_INT(op->addr, 4);
	ASSERT_INT(op->len, 5);
	ASSERT_INT(op->flags, 1);
	op = &s.stmts[3].op;
	ASSERT_INT(op->ctx, 3);
	ASSERT_INT(op->mode, VMAFUZZ_UFFD_MISSING | VMAFUZZ_UFFD_WP);
	ASSERT_INT(s.stmts[4].op.flags, VMAFUZZ_MCL_FUTURE | VMAFUZZ_MCL_ONFAULT);
	ASSERT_STR(s.stmts[5].op.name, "abc");
	ASSERT_INT(s.stmts[6].op.fail, VMAFUZZ_FAIL_MERGE);
	ASSERT_INT(s.stmts[6].op.count, 7);
	ASSERT_INT(s.stmts[6].line, 7);
	ASSERT_STR(s.path, "t.vma");
	vmafuzz_script_free(&s);
}

static void test_script_expect_fields(void)
{
	const struct vmafuzz_expect_line *e;
	struct vmafuzz_script s;
	char err[256];

	if (parse(&s,
		  "# header\n"
		  "expect\n"
		  "0-3 rw-p pgoff=7 file=- av=2+ flags=ac,lo pol=bind@0 uffd=3 name=n1\n"
		  "\n"
		  "3-4 r-xs file=shm:2.5\n"
		  "4-5 ---s file=zero:9 flags=\n"
		  "9-10 ---p file=6 pol=local\n"
		  "end\n"
		  "expect-counters locked_vm=3 committed=0\n",
		  err, sizeof(err))) {
		UNIT_FAIL("%s", err);
		return;
	}
	ASSERT_INT(s.nr, 2);
	ASSERT_INT(s.stmts[0].type, VMAFUZZ_STMT_EXPECT);
	ASSERT_INT(s.stmts[0].line, 2);
	ASSERT_INT(s.stmts[0].nr_expect, 4);
	e = &s.stmts[0].expect[0];
	ASSERT_INT(e->line, 3);
	ASSERT_INT(e->mask, VMAFUZZ_KEY_ALL);
	ASSERT_INT(e->v.start, 0);
	ASSERT_INT(e->v.end, 3);
	ASSERT_INT(e->v.pgoff, 7);
	ASSERT_INT(e->v.obj, VMAFUZZ_OBJ_ANON);
	ASSERT_INT(e->v.av, 2);
	ASSERT_INT(e->v.av_forked, 1);
	ASSERT_INT(e->v.flags,
		   VMAFUZZ_VM_READ | VMAFUZZ_VM_WRITE | VMAFUZZ_VM_ACCOUNT | VMAFUZZ_VM_LOCKED);
	ASSERT_INT(e->v.pol, VMAFUZZ_POL_BIND);
	ASSERT_INT(e->v.pol_home, 1);
	ASSERT_INT(e->v.uffd, 3);
	ASSERT_STR(e->v.name, "n1");
	e = &s.stmts[0].expect[1];
	ASSERT_INT(e->line, 5);
	ASSERT_INT(e->mask, VMAFUZZ_KEY_FILE);
	ASSERT_INT(e->v.flags,
		   VMAFUZZ_VM_READ | VMAFUZZ_VM_EXEC | VMAFUZZ_VM_MAYSHARE | VMAFUZZ_VM_SHARED);
	ASSERT_INT(e->v.obj, VMAFUZZ_OBJ_SHM);
	ASSERT_INT(e->v.file, 2);
	ASSERT_INT(e->v.inst, 5);
	e = &s.stmts[0].expect[2];
	ASSERT_INT(e->mask, VMAFUZZ_KEY_FILE | VMAFUZZ_KEY_FLAGS);
	ASSERT_INT(e->v.obj, VMAFUZZ_OBJ_ZERO);
	ASSERT_INT(e->v.inst, 9);
	ASSERT_INT(e->v.flags, VMAFUZZ_VM_MAYSHARE | VMAFUZZ_VM_SHARED);
	e = &s.stmts[0].expect[3];
	ASSERT_INT(e->v.obj, VMAFUZZ_OBJ_FILE);
	ASSERT_INT(e->v.file, 6);
	ASSERT_INT(e->v.pol, VMAFUZZ_POL_LOCAL);
	ASSERT_INT(e->v.pol_home, 0);
	ASSERT_INT(s.stmts[1].type, VMAFUZZ_STMT_COUNTERS);
	ASSERT_INT(s.stmts[1].counters_mask, VMAFUZZ_CNT_LOCKED_VM | VMAFUZZ_CNT_COMMITTED);
	ASSERT_INT(s.stmts[1].counters.locked_vm, 3);
	ASSERT_INT(s.stmts[1].counters.committed, 0);
	vmafuzz_script_free(&s);
}

static void test_script_errno_names(void)
{
	int e, err, n = 0;

	ASSERT_STR(vmafuzz_errno_name(0), "0");
	ASSERT_STR(vmafuzz_errno_name(-ENOMEM), "ENOMEM");
	ASSERT_STR(vmafuzz_errno_name(-EAGAIN), "EAGAIN");
	ASSERT_STR(vmafuzz_errno_name(-EOPNOTSUPP), "EOPNOTSUPP");
	ASSERT_STR(vmafuzz_errno_name(-EDEADLK), "EDEADLK");
	ASSERT_STR(vmafuzz_errno_name(-EHWPOISON), "EHWPOISON");
	ASSERT_INT(vmafuzz_errno_name(-100000) == NULL, 1);
	ASSERT_INT(vmafuzz_errno_name(5) == NULL, 1);
	/* Linux numbers 1..133 all have names, and each parses back. */
	for (e = 1; e <= 133; e++) {
		const char *name = vmafuzz_errno_name(-e);

		if (!name) {
			/* 41 and 58 are the slots of the aliases EWOULDBLOCK and EDEADLOCK */
			if (e != 41 && e != 58)
				UNIT_FAIL("errno %d has no name", e);
			continue;
		}
		n++;
		err = 1;
		ASSERT_INT(vmafuzz_errno_parse(name, &err), 0);
		ASSERT_INT(err, -e);
	}
	ASSERT_INT(n, 131);
	ASSERT_INT(vmafuzz_errno_parse("0", &err), 0);
	ASSERT_INT(err, 0);
	ASSERT_INT(vmafuzz_errno_parse("EWOULDBLOCK", &err), 0);
	ASSERT_INT(err, -EAGAIN);
	ASSERT_INT(vmafuzz_errno_parse("EDEADLOCK", &err), 0);
	ASSERT_INT(err, -EDEADLK);
	ASSERT_INT(vmafuzz_errno_parse("ENOTSUP", &err), 0);
	ASSERT_INT(err, -EOPNOTSUPP);
	ASSERT_INT(vmafuzz_errno_parse("enomem", &err), -1);
	ASSERT_INT(vmafuzz_errno_parse("EFOO", &err), -1);
	ASSERT_INT(vmafuzz_errno_parse("", &err), -1);
	ASSERT_INT(vmafuzz_errno_parse("00", &err), -1);
	ASSERT_INT(vmafuzz_errno_parse("-12", &err), -1);
}

/* text must fail at "t.vma:LINE:COL: " with a message containing msg. */
static void parse_error(const char *text, const char *where, const char *msg)
{
	struct vmafuzz_script s;
	char err[512], prefix[64];

	if (!parse(&s, text, err, sizeof(err))) {
		UNIT_FAIL("'%s' parsed; want an error at %s", text, where);
		vmafuzz_script_free(&s);
		return;
	}
	snprintf(prefix, sizeof(prefix), "t.vma:%s: ", where);
	if (strncmp(err, prefix, strlen(prefix)))
		UNIT_FAIL("'%s': want an error at %s, got '%s'", text, where, err);
	ASSERT_HAS(err, msg);
	/* Nothing of the script survives an error. */
	ASSERT_INT(s.nr, 0);
	ASSERT_INT(s.stmts == NULL, 1);
	ASSERT_INT(s.path == NULL, 1);
}

static void test_script_errors(void)
{
	parse_error("mmapp 0 1 rw- anon", "1:1", "unknown statement 'mmapp'");
	parse_error("\n\nmunmap 0 4x", "3:10", "expected a number for LEN, found '4x'");
	parse_error("munmap 0X1 4", "1:8", "lower-case 0x");
	parse_error("munmap 0x 4", "1:8", "expected a number");
	parse_error("munmap -1 4", "1:8", "expected a number");
	parse_error("munmap 18446744073709551616 4", "1:8", "too large");
	parse_error("munmap 0 18446744073709551615", "1:10", "outside the window");
	parse_error("mmap 1048570 10 rw- anon", "1:14",
		    "range 1048570+10 is outside the window (2^20 pages)");
	parse_error("mmap 1048576 0 rw- anon", "1:6", "address 1048576 is outside the window");
	parse_error("brk 0x100000", "1:5", "outside the window");
	parse_error("touch 1048575 2", "1:15", "range 1048575+2");
	parse_error("touch 1048576", "1:7", "address 1048576");
	parse_error("mremap 0 1048577 1", "1:10", "range 0+1048577");
	parse_error("mremap 0 1 1048577", "1:12", "range 0+1048577");
	parse_error("mremap 0 1 8 maymove fixed=1048569", "1:22", "range 1048569+8");
	parse_error("mremap 0 1 8 maymove fixed=1048576", "1:22", "address 1048576");
	parse_error("mremap 0 1 8 maymove fixed=1 fixed=2", "1:30", "duplicate option 'fixed='");
	parse_error("mremap 0 1 8 maymove maymove", "1:22", "duplicate option 'maymove'");
	parse_error("mremap 0 1 8 fixed=x", "1:14", "expected a number for fixed=NEW");
	parse_error("mremap 0 1 8 move", "1:14", "unknown mremap option 'move'");
	parse_error("mprotect 0 4 rw", "1:14", "expected PROT like rw- or r-x");
	parse_error("mprotect 0 4 wr-", "1:14", "expected PROT like rw- or r-x");
	parse_error("mprotect 0 4", "1:13", "expected PROT");
	parse_error("mprotect 0 4   ", "1:16", "expected PROT");
	parse_error("mprotect 0 4 # c", "1:17", "expected PROT");
	parse_error("mprotect 0", "1:11", "expected LEN");
	parse_error("mmap 0 4 rw- file:8@0", "1:14", "file index 8 is out of range (0-7)");
	parse_error("mmap 0 4 rw- file:1", "1:14", "expected file:F@PGOFF");
	parse_error("mmap 0 4 rw- file:@1", "1:14", "expected a number for F");
	parse_error("mmap 0 4 rw- file:1@", "1:14", "expected a number for PGOFF");
	parse_error("mmap 0 4 rw- anon:1@0", "1:14", "unknown KIND 'anon:1@0'");
	parse_error("mmap 0 4 rw- shm", "1:14", "unknown KIND 'shm'");
	parse_error("mmap 0 4 rw-", "1:13", "expected KIND");
	parse_error("mmap 0 4 rw- anon locked locked", "1:26", "duplicate option 'locked'");
	parse_error("mmap 0 4 rw- anon fixed", "1:19", "unknown mmap option 'fixed'");
	parse_error("madvise 0 4 dontneed", "1:13", "unknown ADVICE 'dontneed'");
	parse_error("mbind 0 4 preferred-many", "1:11", "unknown POLICY");
	parse_error("name 0 4 a/b", "1:10", "bad character '/' in name");
	parse_error("name 0 4 abcdefghijklmnopqrstuvwxyz0123456", "1:10", "too long (33 bytes");
	parse_error("name 0 4", "1:9", "expected NAME or -");
	parse_error("uffd-register 0 4 0 missing", "1:19", "CTX 0 is out of range (1-7)");
	parse_error("uffd-register 0 4 8 missing", "1:19", "CTX 8 is out of range (1-7)");
	parse_error("uffd-register 0 4 1 wp+missing", "1:21", "unknown MODE 'wp+missing'");
	parse_error("uffd-unregister 0 4", "1:20", "expected CTX");
	parse_error("uffd-close", "1:11", "expected CTX");
	parse_error("mlockall", "1:9", "expected current");
	parse_error("mlockall current current", "1:18", "unknown mlockall option 'current'");
	parse_error("mlock 0 4 onfalt", "1:11", "unknown mlock option 'onfalt'");
	parse_error("touch 0 read 4", "1:14", "unexpected '4'");
	parse_error("touch 0 4 write", "1:11", "expected 'read', found 'write'");
	parse_error("touch 0 write", "1:9", "expected LEN or 'read'");
	parse_error("fail split 0", "1:12", "fail count must be at least 1");
	parse_error("fail split 4294967296", "1:12", "out of range");
	parse_error("fail splits 1", "1:6", "unknown fail kind 'splits'");
	parse_error("max-map-count 0", "1:15", "max-map-count 0 is out of range (1-65530)");
	parse_error("max-map-count 65531", "1:15", "out of range");
	parse_error("fork now", "1:6", "unexpected 'now'");
	parse_error("munmap 0 4 =>", "1:14", "expected a result");
	parse_error("munmap 0 4 => ENOMEMORY", "1:15", "unknown result 'ENOMEMORY'");
	parse_error("munmap 0 4 => -12", "1:15", "unknown result");
	parse_error("munmap 0 4 => 0 0", "1:17", "unexpected '0' after the result");
	parse_error("munmap 0 4 =>0", "1:12", "unexpected '=>0'");
	parse_error("dump => 0", "1:6", "'dump' has no result");
	parse_error("expect => 0\nend", "1:8", "'expect' has no result");
	parse_error("expect-counters map_count=1 => 0", "1:29", "no result");
	parse_error("mmap\t0\t4\trw-\tanon\tlockd", "1:19", "unknown mmap option 'lockd'");
	parse_error("\t\tmunmap\t0x\t4", "1:10", "expected a number for ADDR");
	/* expect blocks */
	parse_error("mmap 0 1 rw- anon\n  expect\n0-1 rw-p\n", "2:3", "expect block has no 'end'");
	parse_error("expect\n0-1 rw-p\nmunmap 0 1\nend\n", "1:1", "line 3 starts a new statement");
	parse_error("expect\nexpect\nend\n", "1:1", "expect block has no 'end'");
	parse_error("end", "1:1", "'end' without 'expect'");
	parse_error("expect\nend x\n", "2:5", "unexpected 'x' after end");
	parse_error("expect x\nend\n", "1:8", "unexpected 'x'");
	parse_error("expect\n0-3 rw-p pgof=0\nend", "2:10", "unknown key 'pgof=0'");
	parse_error("expect\n0-3 rw-p pgoff\nend", "2:10", "unknown key 'pgoff'");
	parse_error("expect\n0-3 rw-p =>\nend", "2:10", "unknown key '=>'");
	parse_error("expect\n0-3 rw-p av=1 av=1\nend", "2:15", "duplicate key 'av='");
	parse_error("expect\n0-3 rw-p av=x\nend", "2:10", "expected a number for av");
	parse_error("expect\n0-3 rw-p av=65536\nend", "2:10", "out of range");
	parse_error("expect\n0-3 rw-p file=8\nend", "2:10", "file index 8");
	parse_error("expect\n0-3 rw-p file=shm:1\nend", "2:10", "expected shm:F.A");
	parse_error("expect\n0-3 rw-p file=shm:1.0\nend", "2:10", "instance 0 is out of range");
	parse_error("expect\n0-3 rw-p file=zero:\nend", "2:10", "bad file= value");
	parse_error("expect\n0-3 rw-p file=anon\nend", "2:10", "bad file= value 'anon'");
	parse_error("expect\n0-3 rw-p file=\nend", "2:10", "bad file= value");
	parse_error("expect\n0-3 rw-p flags=ac,\nend", "2:10", "unknown flag ''");
	parse_error("expect\n0-3 rw-p flags=ac,ac\nend", "2:10", "flag 'ac' given twice");
	parse_error("expect\n0-3 rw-p pol=bind@1\nend", "2:10", "unknown policy 'bind@1'");
	parse_error("expect\n0-3 rw-p uffd=8\nend", "2:10", "uffd 8 is out of range");
	parse_error("expect\n0-3 rw-p name=\nend", "2:10", "expected a NAME or -");
	parse_error("expect\n0-3 rw-p name=a:b\nend", "2:10", "bad character ':'");
	parse_error("expect\n3-3 rw-p\nend", "2:1", "empty range 3-3");
	parse_error("expect\n4-3 rw-p\nend", "2:1", "empty range 4-3");
	parse_error("expect\n0-3 rw-p\n2-4 rw-p\nend", "3:1", "overlaps");
	parse_error("expect\n5-6 rw-p\n0-3 rw-p\nend", "3:1", "overlaps or precedes");
	parse_error("expect\n0-1048577 rw-p\nend", "2:1", "outside the window");
	parse_error("expect\n1048576-1048577 rw-p\nend", "2:1", "address 1048576");
	parse_error("expect\n0-3\nend", "2:4", "expected PERMS");
	parse_error("expect\n0-3 rw-\nend", "2:5", "expected PERMS like rw-p");
	parse_error("expect\n0-3 rw-P\nend", "2:5", "expected PERMS");
	parse_error("expect\n03 rw-p\nend", "2:1", "expected START-END or 'end'");
	parse_error("expect\n-3 rw-p\nend", "2:1", "expected START-END");
	parse_error("expect\n0-x rw-p\nend", "2:1", "expected a number for END");
	parse_error("expect-counters rss=1", "1:17", "unknown counter 'rss=1'");
	parse_error("expect-counters map_count", "1:17", "unknown counter");
	parse_error("expect-counters map_count=1 map_count=2", "1:29", "duplicate counter");
	parse_error("expect-counters committed=9223372036854775808", "1:17", "too large");
	parse_error("expect-counters committed=-1", "1:17", "expected a number");
	/* bytes that are no part of the language */
	parse_error("munmap\v0 4", "1:1", "unknown statement 'munmap\\x0b0'");
	parse_error("munmap 0 4\rx", "1:10", "found '4\\x0dx'");
}

/* A NUL byte is an ordinary (bad) byte: the length decides, not the NUL. */
static void test_script_nul_byte(void)
{
	static const char text[] = "munmap 0 4\nmun\0map 0 4\n";
	struct vmafuzz_script s;
	char err[256];

	ASSERT_INT(vmafuzz_script_parse(&s, "t.vma", text, sizeof(text) - 1, err, sizeof(err)), -1);
	ASSERT_STR(err, "t.vma:2:1: unknown statement 'mun\\x00map'");
}

static void test_script_small_error_buffer(void)
{
	struct vmafuzz_script s;
	char err[12];

	memset(err, 'x', sizeof(err));
	ASSERT_INT(parse(&s, "bogus", err, sizeof(err)), -1);
	ASSERT_STR(err, "t.vma:1:1: ");
	ASSERT_INT(vmafuzz_script_parse(&s, NULL, "bogus", 5, NULL, 0), -1);
}

static void test_script_empty_and_comments(void)
{
	struct vmafuzz_script s;
	char err[256];

	ASSERT_INT(vmafuzz_script_parse(&s, "t.vma", "", 0, err, sizeof(err)), 0);
	ASSERT_INT(s.nr, 0);
	vmafuzz_script_free(&s);
	ASSERT_INT(parse(&s, "# only a comment\n\n   \t\n#\n", err, sizeof(err)), 0);
	ASSERT_INT(s.nr, 0);
	vmafuzz_script_free(&s);
	/* no newline at the end of the last line */
	ASSERT_INT(parse(&s, "fork\nfork", err, sizeof(err)), 0);
	ASSERT_INT(s.nr, 2);
	ASSERT_INT(s.stmts[1].line, 2);
	vmafuzz_script_free(&s);
}

static void test_script_load(void)
{
	char path[] = "/tmp/test_script_XXXXXX";
	struct vmafuzz_script s;
	char err[512];
	int fd = mkstemp(path);
	FILE *f;

	if (fd < 0) {
		UNIT_FAIL("mkstemp failed");
		return;
	}
	f = fdopen(fd, "w");
	fputs("mmap 0 4 rw- anon\nexpect\n0-4 rw-p\nend\n", f);
	fclose(f);
	ASSERT_INT(vmafuzz_script_load(&s, path, err, sizeof(err)), 0);
	ASSERT_INT(s.nr, 2);
	ASSERT_STR(s.path, path);
	vmafuzz_script_free(&s);
	remove(path);
	ASSERT_INT(vmafuzz_script_load(&s, path, err, sizeof(err)), -1);
	ASSERT_HAS(err, ": No such file or directory");
	ASSERT_INT(strncmp(err, path, strlen(path)), 0);
}

/*
 * A whole script prints, and its print parses and prints the same: the
 * printer's output is a fixed point.
 */
static void check_fixed_point(const char *text, size_t len)
{
	struct vmafuzz_script a, b;
	char err[512];
	char *p1, *p2;

	if (vmafuzz_script_parse(&a, "t.vma", text, len, err, sizeof(err))) {
		if (strncmp(err, "t.vma:", 6))
			UNIT_FAIL("error without position: '%s'", err);
		return;
	}
	p1 = print(&a);
	if (vmafuzz_script_parse(&b, "t.vma", p1, strlen(p1), err, sizeof(err))) {
		UNIT_FAIL("print does not parse: %s\n%s", err, p1);
	} else {
		p2 = print(&b);
		ASSERT_STR(p1, p2);
		free(p2);
		vmafuzz_script_free(&b);
	}
	free(p1);
	vmafuzz_script_free(&a);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

static const char seed_script[] =
	"# a seed to mutate\n"
	"mmap 0 16 rw- anon locked => 0\n"
	"mmap 0x10 4 r-x file:3@0x20 noreserve\n"
	"mprotect 2 3 r--\n"
	"madvise 0 8 dontfork\n"
	"mbind 0 4 bind\n"
	"name 1 2 heap.1\n"
	"uffd-register 0 4 2 missing+wp\n"
	"mremap 0 4 8 maymove fixed=100 dontunmap => EINVAL\n"
	"touch 3 2 read\n"
	"fail split 2\n"
	"fork\n"
	"expect\n"
	"0-3 rw-p pgoff=0 file=- av=1+ flags=ac,lo pol=bind@0 uffd=2 name=heap.1\n"
	"16-20 r-xp file=3\n"
	"end\n"
	"expect-counters map_count=2 committed=16\n"
	"dump\n";

static void test_script_mutations(void)
{
	static const char alphabet[] = " \t\n#=>-+:@.,0123456789abcdefxXrwps";
	const size_t n = sizeof(seed_script) - 1;
	char buf[sizeof(seed_script) + 64];
	unsigned int i, k;

	check_fixed_point(seed_script, n);
	for (i = 0; i < 20000; i++) {
		size_t len = n;

		memcpy(buf, seed_script, n);
		for (k = 0; k < 1 + rng() % 4 && len; k++) {
			size_t at = rng() % len;

			switch (rng() % 4) {
			case 0: /* replace a byte */
				buf[at] = rng() % 3 ? alphabet[rng() % (sizeof(alphabet) - 1)] :
						      (char)rng();
				break;
			case 1: /* delete a byte */
				memmove(buf + at, buf + at + 1, len - at - 1);
				len--;
				break;
			case 2: /* insert a byte */
				if (len < sizeof(buf)) {
					memmove(buf + at + 1, buf + at, len - at);
					buf[at] = alphabet[rng() % (sizeof(alphabet) - 1)];
					len++;
				}
				break;
			default: /* cut the text short */
				len = at;
				break;
			}
		}
		check_fixed_point(buf, len);
	}
}

static void test_script_random_bytes(void)
{
	char buf[256];
	unsigned int i, k;

	for (i = 0; i < 20000; i++) {
		size_t len = rng() % sizeof(buf);

		for (k = 0; k < len; k++)
			buf[k] = (char)rng();
		check_fixed_point(buf, len);
	}
}

int main(void)
{
	RUN(test_script_roundtrip_canonical);
	RUN(test_script_roundtrip_normalizes);
	RUN(test_script_roundtrip_mmap_sweep);
	RUN(test_script_roundtrip_word_tables);
	RUN(test_script_parse_fields);
	RUN(test_script_expect_fields);
	RUN(test_script_errno_names);
	RUN(test_script_errors);
	RUN(test_script_nul_byte);
	RUN(test_script_small_error_buffer);
	RUN(test_script_empty_and_comments);
	RUN(test_script_load);
	RUN(test_script_mutations);
	RUN(test_script_random_bytes);
	return unit_exit();
}
