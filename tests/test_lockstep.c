// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of lib/lockstep.c on fake targets (fake_target.h): a correct pair
 * passes, and each planted bug (a return code, a layout, an invariant) and
 * each kind of failed expectation is reported by the right check, at the
 * right line, with the trace and the layouts; VMAFUZZ_ORACLES switches checks
 * off; every target created is destroyed.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_target.h"
#include "unit.h"
#include "vmafuzz/lockstep.h"
#include "vmafuzz/script.h"

FAKE_TARGET(fake_legacy, "legacy", FAKE_OK);
FAKE_TARGET(fake_refactored, "refactored", FAKE_OK);
FAKE_TARGET(fake_retbug, "retbug", FAKE_BUG_RET);
FAKE_TARGET(fake_laybug, "laybug", FAKE_BUG_LAYOUT);
FAKE_TARGET(fake_chkbug, "chkbug", FAKE_BUG_CHECK);

struct run {
	int r;
	char *out, *err;
};

static void run_free(struct run *rr)
{
	free(rr->out);
	free(rr->err);
}

/* Run text on the two targets a and b with the given checks. */
static struct run run_on(const char *text, const struct vmafuzz_target_ops *a,
			 const struct vmafuzz_target_ops *b, unsigned int checks, bool dump)
{
	const struct vmafuzz_target_ops *targets[] = { a, b };
	struct vmafuzz_lockstep_opts o = {
		.targets = targets,
		.nr_targets = b ? 2 : 1,
		.checks = checks,
		.dump = dump,
	};
	struct vmafuzz_script s;
	struct run rr = { 0 };
	size_t on, en;
	char err[256];

	if (vmafuzz_script_parse(&s, "t.vma", text, strlen(text), err, sizeof(err))) {
		UNIT_FAIL("parse: %s", err);
		rr.r = -1;
		return rr;
	}
	o.out = open_memstream(&rr.out, &on);
	o.err = open_memstream(&rr.err, &en);
	rr.r = vmafuzz_lockstep_run_script(&s, &o);
	fclose(o.out);
	fclose(o.err);
	vmafuzz_script_free(&s);
	return rr;
}

static struct run run2(const char *text, const struct vmafuzz_target_ops *b)
{
	return run_on(text, &fake_legacy, b, VMAFUZZ_CHECK_ALL, false);
}

static void test_lockstep_pass(void)
{
	struct run rr = run2("mmap 0 3 rw- anon => 0\n"
			     "mmap 3 2 r-- anon\n"
			     "mmap 10 1 rw- shared-anon\n"
			     "munmap 0 0 => EINVAL\n"
			     "expect\n"
			     "0-3 rw-p pgoff=0 file=- av=1 flags=ac\n"
			     "3-5 r--p av=2 flags=\n"
			     "10-11 rw-s file=zero:1 av=0\n"
			     "end\n"
			     "expect-counters map_count=3 total_vm=6 committed=3\n",
			     &fake_refactored);

	ASSERT_INT(rr.r, 0);
	ASSERT_STR(rr.err, "");
	ASSERT_STR(rr.out, "");
	run_free(&rr);
}

static void test_lockstep_ret_divergence(void)
{
	struct run rr = run2("mmap 0 10 rw- anon\n"
			     "munmap 0 7\n"
			     "mmap 20 1 rw- anon\n",
			     &fake_retbug);

	ASSERT_INT(rr.r, 1);
	ASSERT_HAS(rr.err, "t.vma:2: check 'ret' failed at: munmap 0 7\n");
	ASSERT_HAS(rr.err, "legacy returned 0, retbug returned ENOMEM");
	/* The trace: agreed results asserted, the divergent one as a comment. */
	ASSERT_HAS(rr.err, "\nmmap 0 10 rw- anon => 0\n");
	ASSERT_HAS(rr.err, "\nmunmap 0 7  # legacy => 0, retbug => ENOMEM\n");
	ASSERT_NOT_HAS(rr.err, "mmap 20");
	/* The layouts after the op, side by side, the first difference marked. */
	ASSERT_HAS(rr.err, "legacy");
	ASSERT_HAS(rr.err, "| retbug");
	ASSERT_HAS(rr.err, "\n> 7-10 rw-p");
	ASSERT_HAS(rr.err, "| 0-10 rw-p");
	run_free(&rr);
}

static void test_lockstep_result_mismatch(void)
{
	struct run rr = run2("mmap 0 10 rw- anon\n"
			     "\n"
			     "munmap 0 2 => ENOMEM\n",
			     &fake_refactored);

	ASSERT_INT(rr.r, 1);
	ASSERT_HAS(rr.err, "t.vma:3: check 'ret' failed at: munmap 0 2 => ENOMEM\n");
	ASSERT_HAS(rr.err, "legacy returned 0, the script expects ENOMEM");
	ASSERT_HAS(rr.err, "\nmunmap 0 2 => 0\n");
	run_free(&rr);
}

static void test_lockstep_layout_divergence(void)
{
	struct run rr = run2("mmap 0 4 rw- anon\n"
			     "mmap 4 4 rw- anon\n"
			     "mprotect 4 4 r--\n",
			     &fake_laybug);

	ASSERT_INT(rr.r, 1);
	ASSERT_HAS(rr.err, "t.vma:3: check 'layout' failed at: mprotect 4 4 r--\n");
	ASSERT_HAS(rr.err, "legacy and laybug differ at VMA 2 (4-8)");
	ASSERT_HAS(rr.err, "\n> 4-8 r--p");
	ASSERT_HAS(rr.err, "| 4-8 rw-p");
	/* committed differs too, and is marked */
	ASSERT_HAS(rr.err, "\n> committed=4");
	ASSERT_HAS(rr.err, "\n  map_count=2");
	run_free(&rr);
}

static void test_lockstep_invariants(void)
{
	struct run rr = run2("mmap 0 1 rw- anon\nmmap 2 1 rw- anon\nmmap 4 1 rw- anon\n"
			     "mmap 6 1 rw- anon\nmmap 8 1 rw- anon\n",
			     &fake_chkbug);

	ASSERT_INT(rr.r, 1);
	ASSERT_HAS(rr.err, "t.vma:4: check 'invariants' failed at: mmap 6 1 rw- anon\n");
	ASSERT_HAS(rr.err, "  chkbug: map_count 4 is too high\n");
	run_free(&rr);
}

static void test_lockstep_expect_line(void)
{
	struct run rr = run2("mmap 0 3 rw- anon\n"
			     "expect\n"
			     "0-3 rw-p pgoff=1   # wrong pgoff\n"
			     "end\n",
			     &fake_refactored);

	ASSERT_INT(rr.r, 1);
	ASSERT_HAS(rr.err, "t.vma:3: check 'expect' failed at: 0-3 rw-p pgoff=1\n");
	ASSERT_HAS(rr.err, "legacy has VMA 1 as 0-3 rw-p pgoff=0 file=- av=1 flags=ac");
	run_free(&rr);
}

static void test_lockstep_expect_count(void)
{
	struct run rr = run2("mmap 0 3 rw- anon\nmmap 5 1 --- anon\n"
			     "expect\n"
			     "0-3 rw-p\n"
			     "end\n",
			     &fake_refactored);

	ASSERT_INT(rr.r, 1);
	ASSERT_HAS(rr.err, "t.vma:3: check 'expect' failed at: expect\n");
	ASSERT_HAS(rr.err, "legacy has 2 VMAs, the expect block lists 1");
	run_free(&rr);

	rr = run2("expect\nend\nmmap 0 3 rw- anon\nexpect\nend\n", &fake_refactored);
	ASSERT_INT(rr.r, 1);
	ASSERT_HAS(rr.err, "t.vma:4: check 'expect' failed at: expect\n");
	run_free(&rr);
}

static void test_lockstep_expect_perms_always_checked(void)
{
	/* No keys: start, end, rwx and p/s are still compared. */
	static const char *const bad[] = {
		"0-3 r--p",
		"0-3 rw-s",
		"0-2 rw-p",
		"1-3 rw-p",
		"0-3 rwxp",
		"0-3 rw-p flags=",
		"0-3 rw-p av=0",
		"0-3 rw-p av=1+",
		"0-3 rw-p file=1",
		"0-3 rw-p pol=bind",
		"0-3 rw-p pol=default@0",
		"0-3 rw-p uffd=1",
		"0-3 rw-p name=x",
	};
	char text[256];
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct run rr;

		snprintf(text, sizeof(text), "mmap 0 3 rw- anon\nexpect\n%s\nend\n", bad[i]);
		rr = run2(text, &fake_refactored);
		if (rr.r != 1)
			UNIT_FAIL("expect line '%s' matched 0-3 rw-p ... av=1 flags=ac", bad[i]);
		run_free(&rr);
	}
}

static void test_lockstep_counters(void)
{
	struct run rr = run2("mmap 0 3 rw- anon\n"
			     "expect-counters map_count=1 committed=2\n",
			     &fake_refactored);

	ASSERT_INT(rr.r, 1);
	ASSERT_HAS(rr.err, "t.vma:2: check 'expect' failed at: "
			   "expect-counters map_count=1 committed=2\n");
	ASSERT_HAS(rr.err, "legacy has map_count=1 committed=3");
	run_free(&rr);
}

static void test_lockstep_oracles_off(void)
{
	const unsigned int all = VMAFUZZ_CHECK_ALL;
	struct run rr;

	/* Each planted bug passes with its check off and fails with it on. */
	rr = run_on("mmap 0 10 rw- anon\nmunmap 0 7\n", &fake_legacy, &fake_retbug,
		    all & ~VMAFUZZ_CHECK_RET, false);
	/* the layouts differ after the divergent munmap: that check sees it */
	ASSERT_INT(rr.r, 1);
	ASSERT_HAS(rr.err, "check 'layout'");
	run_free(&rr);
	/* ...and so does the page model, which follows the first target's result. */
	rr = run_on("mmap 0 10 rw- anon\nmunmap 0 7\n", &fake_legacy, &fake_retbug,
		    all & ~(VMAFUZZ_CHECK_RET | VMAFUZZ_CHECK_LAYOUT), false);
	ASSERT_INT(rr.r, 1);
	ASSERT_HAS(rr.err, "check 'pages'");
	run_free(&rr);
	rr = run_on("mmap 0 10 rw- anon\nmunmap 0 7\n", &fake_legacy, &fake_retbug,
		    all & ~(VMAFUZZ_CHECK_RET | VMAFUZZ_CHECK_LAYOUT | VMAFUZZ_CHECK_PAGES), false);
	ASSERT_INT(rr.r, 0);
	run_free(&rr);
	rr = run_on("mmap 0 4 rw- anon\nmprotect 0 4 r--\n", &fake_legacy, &fake_laybug,
		    all & ~VMAFUZZ_CHECK_LAYOUT, false);
	ASSERT_INT(rr.r, 1);
	ASSERT_HAS(rr.err, "check 'pages'");
	ASSERT_HAS(rr.err, "differs: VMA 0-4");
	run_free(&rr);
	rr = run_on("mmap 0 4 rw- anon\nmprotect 0 4 r--\n", &fake_legacy, &fake_laybug,
		    all & ~(VMAFUZZ_CHECK_LAYOUT | VMAFUZZ_CHECK_PAGES), false);
	ASSERT_INT(rr.r, 0);
	run_free(&rr);
	rr = run_on("mmap 0 1 rw- anon\nmmap 2 1 rw- anon\nmmap 4 1 rw- anon\nmmap 6 1 rw- anon\n",
		    &fake_legacy, &fake_chkbug, all & ~VMAFUZZ_CHECK_INVARIANTS, false);
	ASSERT_INT(rr.r, 0);
	run_free(&rr);
	/* The script's own assertions stay on. */
	rr = run_on("mmap 0 1 rw- anon => EINVAL\n", &fake_legacy, &fake_refactored, 0, false);
	ASSERT_INT(rr.r, 1);
	run_free(&rr);
}

static void test_lockstep_checks_parse(void)
{
	unsigned int c = 0;
	const char *bad = NULL;

	ASSERT_INT(vmafuzz_checks_parse(NULL, &c, &bad), 0);
	ASSERT_INT(c, VMAFUZZ_CHECK_ALL);
	ASSERT_INT(vmafuzz_checks_parse("", &c, &bad), 0);
	ASSERT_INT(c, VMAFUZZ_CHECK_ALL);
	ASSERT_INT(vmafuzz_checks_parse("ret,invariants", &c, &bad), 0);
	ASSERT_INT(c, VMAFUZZ_CHECK_RET | VMAFUZZ_CHECK_INVARIANTS);
	ASSERT_INT(vmafuzz_checks_parse("pages,rmap,decision,layout", &c, &bad), 0);
	ASSERT_INT(c, VMAFUZZ_CHECK_PAGES | VMAFUZZ_CHECK_RMAP | VMAFUZZ_CHECK_DECISION |
			      VMAFUZZ_CHECK_LAYOUT);
	ASSERT_INT(vmafuzz_checks_parse("ret,lay", &c, &bad), -1);
	ASSERT_STR(bad, "lay");
	ASSERT_INT(vmafuzz_checks_parse("ret,layouts", &c, &bad), -1);
	ASSERT_STR(bad, "layouts");
}

static void test_lockstep_dump(void)
{
	struct run rr = run2("mmap 0 3 rw- anon\ndump\n", &fake_refactored);

	ASSERT_INT(rr.r, 0);
	ASSERT_STR(rr.out, "expect\n"
			   "0-3 rw-p pgoff=0 file=- av=1 flags=ac pol=default uffd=0 name=-\n"
			   "end\n"
			   "expect-counters map_count=1 locked_vm=0 total_vm=3 committed=3\n");
	run_free(&rr);

	rr = run_on("mmap 0 3 rw- anon\nmunmap 0 0\nexpect-counters map_count=1\n", &fake_legacy,
		    &fake_refactored, VMAFUZZ_CHECK_ALL, true);
	ASSERT_INT(rr.r, 0);
	ASSERT_STR(rr.out, "mmap 0 3 rw- anon => 0\n"
			   "expect\n"
			   "0-3 rw-p pgoff=0 file=- av=1 flags=ac pol=default uffd=0 name=-\n"
			   "end\n"
			   "expect-counters map_count=1 locked_vm=0 total_vm=3 committed=3\n"
			   "munmap 0 0 => EINVAL\n"
			   "expect\n"
			   "0-3 rw-p pgoff=0 file=- av=1 flags=ac pol=default uffd=0 name=-\n"
			   "end\n"
			   "expect-counters map_count=1 locked_vm=0 total_vm=3 committed=3\n"
			   "expect-counters map_count=1\n");
	run_free(&rr);
}

static void test_lockstep_one_target(void)
{
	struct run rr = run_on("mmap 0 3 rw- anon\nexpect\nend\n", &fake_legacy, NULL,
			       VMAFUZZ_CHECK_ALL, false);

	ASSERT_INT(rr.r, 1);
	ASSERT_HAS(rr.err, "  legacy\n  expect\n  0-3 rw-p");
	run_free(&rr);
}

static void test_lockstep_destroys_every_target(void)
{
	int created = fake_created;

	ASSERT_INT(fake_created, fake_destroyed);
	run_free(&(struct run){ 0 });
	{
		struct run rr = run2("mmap 0 10 rw- anon\nmunmap 0 7\n", &fake_retbug);

		run_free(&rr);
	}
	ASSERT_INT(fake_created, created + 2);
	ASSERT_INT(fake_created, fake_destroyed);
}

int main(void)
{
	RUN(test_lockstep_pass);
	RUN(test_lockstep_ret_divergence);
	RUN(test_lockstep_result_mismatch);
	RUN(test_lockstep_layout_divergence);
	RUN(test_lockstep_invariants);
	RUN(test_lockstep_expect_line);
	RUN(test_lockstep_expect_count);
	RUN(test_lockstep_expect_perms_always_checked);
	RUN(test_lockstep_counters);
	RUN(test_lockstep_oracles_off);
	RUN(test_lockstep_checks_parse);
	RUN(test_lockstep_dump);
	RUN(test_lockstep_one_target);
	RUN(test_lockstep_destroys_every_target);
	return unit_exit();
}
