// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_diff: the differential harness (DESIGN.md, "The oracle"). The bytes
 * decode (fuzz/decode.c, docs/BYTE-FORMAT.md) to at most 64 operations, which
 * run on the model's legacy and refactored paths in lockstep with every
 * oracle check enabled by VMAFUZZ_ORACLES (default all) after every op.
 *
 * A finding prints the decoded input as a script, then the runner's report
 * (the op trace up to the failing op, both layouts, the failed check), and
 * aborts inside the runner at the failed check's own site, so the engines'
 * crash deduplication keeps different bugs apart.
 *
 * To print the input before the report, a failing input runs twice: first
 * quietly without aborting (the common, passing case pays for one run only),
 * then, after the input is printed, again with abort_on_fail. The model is
 * deterministic and keeps no state across inputs, so the second run fails
 * the same way; if it does not, that is a finding of its own.
 *
 * A sanitizer report (a use-after-free in the model, say) ends the process
 * inside the first run, before anything is printed: in a sanitized build a
 * death callback prints the decoded input then, after the report.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzer.h"
#include "harness.h"
#include "vmafuzz/coverage.h"
#include "vmafuzz/decode.h"
#include "vmafuzz/lockstep.h"
#include "vmafuzz/script.h"
#include "vmafuzz/target.h"

static const struct vmafuzz_target_ops *const targets[] = {
	&vmafuzz_target_legacy,
	&vmafuzz_target_refactored,
};

#ifdef __has_feature
#if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer)
#define HAVE_SANITIZER 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_UNDEFINED__)
#define HAVE_SANITIZER 1
#endif

#ifdef HAVE_SANITIZER
void __sanitizer_set_death_callback(void (*callback)(void));
#endif

#ifdef VMAFUZZ_EXTRA_COUNTERS
/*
 * The model's layout features (vmafuzz/coverage.h) as libFuzzer's extra
 * counters: the engine clears them before each input and reads them after,
 * as it does its edge counters. AFL++ has no such section.
 */
__attribute__((section("__libfuzzer_extra_counters"),
	       used)) static uint8_t layout_features[VMAFUZZ_FEATURES_SIZE];
#endif

/*
 * The input running now, for the death callback: set for the length of one
 * quiet run, NULL otherwise.
 */
static const struct vmafuzz_script *running;
static size_t running_len;

/* Read once by FuzzerInitialize(); never changed by an input. */
static unsigned int checks;
/* Where the quiet first run reports: nowhere. */
static FILE *quiet;

static void print_input(FILE *f, const struct vmafuzz_script *s, size_t len);

#ifdef HAVE_SANITIZER
static void print_running_input(void)
{
	if (running)
		print_input(stderr, running, running_len);
}
#endif

int FuzzerInitialize(int *argc, char ***argv)
{
	vmafuzz_harness_canaries("fuzz_diff");
	checks = vmafuzz_harness_checks("fuzz_diff");
#ifdef VMAFUZZ_EXTRA_COUNTERS
	vmafuzz_features = layout_features;
#endif
#ifdef HAVE_SANITIZER
	__sanitizer_set_death_callback(print_running_input);
#endif
	quiet = fopen("/dev/null", "w");
	if (!quiet) {
		perror("fuzz_diff: /dev/null");
		exit(2);
	}
	return 0;
}

static void print_input(FILE *f, const struct vmafuzz_script *s, size_t len)
{
	fprintf(f, "# fuzz_diff input, decoded: %u operation%s from %zu byte%s\n", s->nr,
		s->nr == 1 ? "" : "s", len, len == 1 ? "" : "s");
	vmafuzz_script_print(f, s);
	fflush(f);
}

static __attribute__((noreturn, noinline)) void fail_nondeterministic(void)
{
	fputs("fuzz_diff: the input failed quietly but passed when run again: the model kept\n"
	      "state from one run to the next, or is not deterministic\n",
	      stderr);
	abort();
}

int FuzzerTestOneInput(const uint8_t *buf, size_t len)
{
	static char path[] = "input";
	struct vmafuzz_stmt stmts[VMAFUZZ_DECODE_MAX_OPS];
	struct vmafuzz_op ops[VMAFUZZ_DECODE_MAX_OPS];
	struct vmafuzz_script s = { .path = path, .stmts = stmts };
	struct vmafuzz_lockstep_opts o = {
		.targets = targets,
		.nr_targets = sizeof(targets) / sizeof(targets[0]),
		.checks = checks,
		.err = quiet,
	};
	int i, n;

	n = vmafuzz_decode(buf, len, ops, VMAFUZZ_DECODE_MAX_OPS);
	for (i = 0; i < n; i++) {
		memset(&stmts[i], 0, sizeof(stmts[i]));
		stmts[i].type = VMAFUZZ_STMT_OP;
		stmts[i].line = (unsigned int)i + 1; /* the report's "input:N" is op N */
		stmts[i].op = ops[i];
	}
	s.nr = s.cap = (unsigned int)n;

	running = &s;
	running_len = len;
	if (!vmafuzz_lockstep_run_script(&s, &o)) {
		running = NULL;
		return 0;
	}
	running = NULL;

	print_input(stderr, &s, len);
	o.err = stderr;
	o.abort_on_fail = true;
	vmafuzz_lockstep_run_script(&s, &o);
	fail_nondeterministic();
}

void FuzzerCleanup(void)
{
	if (quiet)
		fclose(quiet);
	quiet = NULL;
}
