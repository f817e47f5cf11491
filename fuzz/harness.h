/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every harness and the command-line tool read from the environment,
 * once per process: the planted bugs (VMAFUZZ_CANARY) and the oracle checks
 * (VMAFUZZ_ORACLES). An unknown name is a usage error: a message naming the
 * known ones, then exit status 2, before any input runs.
 */
#ifndef VMAFUZZ_FUZZ_HARNESS_H
#define VMAFUZZ_FUZZ_HARNESS_H

#include <stdio.h>
#include <stdlib.h>

#include "vmafuzz/canary.h"
#include "vmafuzz/lockstep.h"

static inline void vmafuzz_harness_canaries(const char *who)
{
	const char *bad;
	int i;

	if (!vmafuzz_canary_init(&bad))
		return;
	fprintf(stderr, "%s: VMAFUZZ_CANARY: unknown canary '%s' (known:", who, bad);
	for (i = 0; i < VMAFUZZ_CANARY_NR; i++)
		fprintf(stderr, "%s%s", i ? "," : " ", vmafuzz_canary_table[i].name);
	fputs(")\n", stderr);
	exit(2);
}

static inline unsigned int vmafuzz_harness_checks(const char *who)
{
	unsigned int checks;
	const char *bad;
	int i;

	if (!vmafuzz_checks_from_env(&checks, &bad))
		return checks;
	fprintf(stderr, "%s: VMAFUZZ_ORACLES: unknown check '%s' (known:", who, bad);
	for (i = 0; i < VMAFUZZ_CHECK_NR; i++)
		fprintf(stderr, "%s%s", i ? "," : " ", vmafuzz_check_names[i]);
	fputs(")\n", stderr);
	exit(2);
}

#endif /* VMAFUZZ_FUZZ_HARNESS_H */
