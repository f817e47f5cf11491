// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer's hooks for the structure-aware mutator (fuzz/mutate.c),
 * linked into the libFuzzer build of fuzz_diff only (AFL++'s driver has no
 * LLVMFuzzerMutate).
 *
 * Two mutations in three are whole-operation ones (vmafuzz_mutate()); the
 * third is libFuzzer's own byte-level mutation, which keeps what it does
 * best: values from comparisons and the dictionary, bit flips inside a
 * record. Crossover splices by whole operations, beside libFuzzer's own.
 *
 * VMAFUZZ_MUTATOR=bytes turns the structure-aware part off (libFuzzer's
 * mutations only), to measure what it adds (scripts/canaries --compare
 * mutator=structured mutator=bytes); it is read once, at start-up.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmafuzz/mutate.h"

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);
size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2,
				 size_t size2, uint8_t *out, size_t max_out_size,
				 unsigned int seed);

static bool structured = true;

__attribute__((constructor)) static void read_mutator_env(void)
{
	const char *v = getenv("VMAFUZZ_MUTATOR");

	if (!v || !*v || !strcmp(v, "structured"))
		return;
	if (!strcmp(v, "bytes")) {
		structured = false;
		return;
	}
	fprintf(stderr,
		"fuzz_diff: VMAFUZZ_MUTATOR: unknown mutator '%s' (known: structured, bytes)\n", v);
	exit(2);
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	size_t len;

	if (!structured || seed % 3 == 0)
		return LLVMFuzzerMutate(data, size, max_size);
	len = vmafuzz_mutate(data, size, max_size, seed);
	return len ? len : LLVMFuzzerMutate(data, size, max_size);
}

/*
 * 0 is "no crossover this time": libFuzzer then draws another mutation. With
 * VMAFUZZ_MUTATOR=bytes that is always so, and libFuzzer's own crossover
 * (inside LLVMFuzzerMutate) is the only one.
 */
size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2,
				 size_t size2, uint8_t *out, size_t max_out_size, unsigned int seed)
{
	if (!structured)
		return 0;
	return vmafuzz_crossover(data1, size1, data2, size2, out, max_out_size, seed);
}
