/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The lockstep runner: one script on N targets side by side, with the oracle
 * after every operation (DESIGN.md, "The oracle"). Used by `vmafuzz run`, and
 * by the fuzz harnesses, which make each failed check abort at a site of its
 * own so that crash deduplication keeps different bugs apart.
 */
#ifndef VMAFUZZ_LOCKSTEP_H
#define VMAFUZZ_LOCKSTEP_H

#include <stdbool.h>
#include <stdio.h>

#include "vmafuzz/script.h"
#include "vmafuzz/target.h"

/* X(ENUM, "name"): the oracle checks VMAFUZZ_ORACLES can switch on and off. */
#define VMAFUZZ_CHECKS(X)           \
	X(RET, "ret")               \
	X(LAYOUT, "layout")         \
	X(INVARIANTS, "invariants") \
	X(PAGES, "pages")           \
	X(RMAP, "rmap")             \
	X(DECISION, "decision")

enum {
#define X(e, s) VMAFUZZ_CHECK_BIT_##e,
	VMAFUZZ_CHECKS(X)
#undef X
	VMAFUZZ_CHECK_NR
};

enum {
#define X(e, s) VMAFUZZ_CHECK_##e = 1u << VMAFUZZ_CHECK_BIT_##e,
	VMAFUZZ_CHECKS(X)
#undef X
	VMAFUZZ_CHECK_ALL = (1u << VMAFUZZ_CHECK_NR) - 1,
};

extern const char *const vmafuzz_check_names[VMAFUZZ_CHECK_NR];

#define VMAFUZZ_LOCKSTEP_MAX_TARGETS 4

struct vmafuzz_lockstep_opts {
	const struct vmafuzz_target_ops *const *targets;
	unsigned int nr_targets; /* 1 .. VMAFUZZ_LOCKSTEP_MAX_TARGETS */
	unsigned int checks;	 /* VMAFUZZ_CHECK_* that are on */
	bool dump;		 /* print each statement and the layout after it */
	bool abort_on_fail;	 /* abort() after the report, at the check's own site */
	FILE *out;		 /* dump and `dump` output; NULL: stdout */
	FILE *err;		 /* failure reports; NULL: stderr */
};

/*
 * Parse a comma-separated list of check names ("ret,layout"). An empty or
 * NULL list means all checks. Returns 0, or -1 with *bad naming (in a static
 * buffer) the first unknown name. vmafuzz_checks_from_env() reads
 * VMAFUZZ_ORACLES.
 */
int vmafuzz_checks_parse(const char *list, unsigned int *checks, const char **bad);
int vmafuzz_checks_from_env(unsigned int *checks, const char **bad);

/*
 * Run script s on every target of o, each in a fresh address space that is
 * destroyed at the end. The script's own assertions (`=> RESULT`, expect,
 * expect-counters) are always checked; o->checks switches the oracle's
 * cross-target and invariant checks. On the first failure a report goes to
 * o->err (file, line, check, statement, reason, the op trace as a script and
 * the layouts) and the run stops. Returns 0 when everything held, 1 when a
 * check failed (or a target could not be created).
 */
int vmafuzz_lockstep_run_script(const struct vmafuzz_script *s,
				const struct vmafuzz_lockstep_opts *o);

#endif /* VMAFUZZ_LOCKSTEP_H */
