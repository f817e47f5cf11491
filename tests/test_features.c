// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of the layout features (lib/features.c): off, nothing is
 * counted; on, each pair of touching VMAs after each operation counts at
 * the index of what the two differ in, and a pair that differs only in a
 * madvise flag while its names are two objects with one string (where the
 * 2022 name use-after-free waited) has an index of its own.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "vmafuzz/coverage.h"
#include "vmafuzz/lockstep.h"
#include "vmafuzz/script.h"
#include "vmafuzz/target.h"

static uint8_t map[VMAFUZZ_FEATURES_SIZE];

/* Run text on the legacy path alone, with the features on or off. */
static void run(const char *text, bool on)
{
	static const struct vmafuzz_target_ops *const targets[] = { &vmafuzz_target_legacy };
	struct vmafuzz_lockstep_opts o = { .targets = targets, .nr_targets = 1, .checks = ~0u };
	struct vmafuzz_script s;
	char err[256];

	if (on)
		memset(map, 0, sizeof(map));
	vmafuzz_features = on ? map : NULL;
	if (vmafuzz_script_parse(&s, "t.vma", text, strlen(text), err, sizeof(err))) {
		UNIT_FAIL("does not parse: %s", err);
		return;
	}
	ASSERT_INT(vmafuzz_lockstep_run_script(&s, &o), 0);
	vmafuzz_script_free(&s);
	vmafuzz_features = NULL;
}

static unsigned int nonzero(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < VMAFUZZ_FEATURES_SIZE; i++)
		n += map[i] != 0;
	return n;
}

static void test_features_off_counts_nothing(void)
{
	unsigned int i, touched = 0;

	memset(map, 0xaa, sizeof(map));
	run("mmap 0 4 rw- anon\nmprotect 1 1 r--\n", false);
	for (i = 0; i < VMAFUZZ_FEATURES_SIZE; i++)
		touched += map[i] != 0xaa;
	ASSERT_INT(touched, 0);
}

static void test_features_count_touching_pairs_only(void)
{
	run("mmap 0 4 rw- anon\nmmap 10 4 rw- anon\n", true);
	ASSERT_INT(nonzero(), 0); /* they do not touch */
}

static void test_features_count_each_pair_after_each_op(void)
{
	/* after the mprotect: A|B (flags), B|C (flags); after the touch: A|B and B|C again */
	run("mmap 0 6 rw- anon\nmprotect 2 2 r--\n", true);
	ASSERT_INT(nonzero(), 1);
	ASSERT_INT(map[VMAFUZZ_DIFF_FLAGS], 2);
	run("mmap 0 6 rw- anon\nmprotect 2 2 r--\ntouch 0 1\n", true);
	ASSERT_INT(map[VMAFUZZ_DIFF_FLAGS], 3);				/* B|C */
	ASSERT_INT(map[VMAFUZZ_DIFF_FLAGS | VMAFUZZ_HALF_ANON_VMA], 1); /* A|B */
}

static void test_features_see_attributes(void)
{
	run("mmap 0 2 rw- file:1@0\nmmap 2 2 rw- file:1@9\n", true);
	ASSERT_INT(map[VMAFUZZ_DIFF_PGOFF], 1);
	run("mmap 0 2 rw- file:1@0\nmmap 2 2 rw- file:2@2\n", true);
	ASSERT_INT(map[VMAFUZZ_DIFF_FILE], 1);
	run("mmap 0 4 rw- anon\nmbind 2 2 bind\n", true);
	ASSERT_INT(map[VMAFUZZ_DIFF_POLICY], 1);
	run("mmap 0 4 rw- anon\nuffd-register 2 2 1 missing\n", true);
	ASSERT_INT(map[VMAFUZZ_DIFF_FLAGS | VMAFUZZ_DIFF_UFFD], 1);
	run("mmap 0 4 rw- anon\nname 2 2 x\n", true);
	ASSERT_INT(map[VMAFUZZ_NAME_DIFFERENT << VMAFUZZ_NAME_SHIFT], 1);
}

static void test_features_tell_two_name_objects_from_one(void)
{
	/* one name call over both: one object, kept apart by the flag only */
	run("mmap 0 4 rw- anon\nmadvise 2 2 dontdump\nname 0 4 x\n", true);
	ASSERT_INT(map[VMAFUZZ_DIFF_FLAGS], 2);
	ASSERT_INT(map[VMAFUZZ_DIFF_FLAGS | VMAFUZZ_NAME_EQUAL_STRINGS << VMAFUZZ_NAME_SHIFT], 0);
	/* two calls: two objects with one string */
	run("mmap 0 4 rw- anon\nmadvise 2 2 dontdump\nname 0 2 x\nname 2 2 x\n", true);
	ASSERT_INT(map[VMAFUZZ_DIFF_FLAGS | VMAFUZZ_NAME_EQUAL_STRINGS << VMAFUZZ_NAME_SHIFT], 1);
}

int main(void)
{
	RUN(test_features_off_counts_nothing);
	RUN(test_features_count_touching_pairs_only);
	RUN(test_features_count_each_pair_after_each_op);
	RUN(test_features_see_attributes);
	RUN(test_features_tell_two_name_objects_from_one);
	return unit_exit();
}
