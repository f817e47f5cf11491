/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The input minimizer behind `vmafuzz minimize`: reduces a failing operation
 * sequence to a smaller one that still fails the same check, first by
 * removing operations, then by simplifying their arguments, until neither
 * changes anything.
 */
#ifndef VMAFUZZ_FUZZ_MINIMIZE_H
#define VMAFUZZ_FUZZ_MINIMIZE_H

#include <stdio.h>

#include "vmafuzz/decode.h"
#include "vmafuzz/op.h"

/* Room for a check name: a VMAFUZZ_CHECKS name, "expect", "crash" or "timeout". */
#define VMAFUZZ_OUTCOME_MAX 32

struct vmafuzz_minimize {
	unsigned int checks;  /* VMAFUZZ_CHECK_* to run */
	unsigned int timeout; /* seconds one run may take */
	/* Filled in: */
	unsigned long runs;		 /* candidates run */
	char check[VMAFUZZ_OUTCOME_MAX]; /* the failure being kept */
};

/*
 * The outcome of running ops on both paths in a child process: "" when every
 * check held, else the failed check's name as the runner reports it ("check
 * 'NAME' failed"), or "crash" when the child died any other way (a sanitizer,
 * an abort), or "timeout". The child's output goes to report (NULL: nowhere).
 */
void vmafuzz_outcome(struct vmafuzz_minimize *m, const struct vmafuzz_op *ops, unsigned int n,
		     char out[VMAFUZZ_OUTCOME_MAX], FILE *report);

/*
 * Minimize ops[0..*n) in place. Returns -1 when the sequence does not fail
 * (m->check is then ""), else 0 with *n the new count and m->check the check
 * every step kept failing.
 */
int vmafuzz_minimize(struct vmafuzz_minimize *m, struct vmafuzz_op *ops, unsigned int *n);

#endif /* VMAFUZZ_FUZZ_MINIMIZE_H */
