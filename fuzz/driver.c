// SPDX-License-Identifier: GPL-2.0
/*
 * The one engine driver: libFuzzer's entry points forwarding to the contract
 * of fuzzer.h. AFL++ uses it too: afl-clang-fast, given -fsanitize=fuzzer,
 * links its own libFuzzer-compatible driver, which calls these in persistent
 * mode. Linked with fuzz/fuzz_diff.c or fuzz/fuzz_script.c.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzzer.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len);
const char *__asan_default_options(void);

/*
 * ASan's defaults for a fuzzing run; ASAN_OPTIONS overrides each. The model
 * allocates and frees small objects on every operation, and ASan's default
 * 256 MB quarantine of freed memory makes nearly every allocation touch a
 * fresh page: 16 MB still holds the frees of hundreds of inputs (a
 * use-after-free inside one input is always caught) and nearly doubles the
 * executions per second. Without ASan nothing reads this.
 */
const char *__asan_default_options(void)
{
	return "quarantine_size_mb=16";
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return FuzzerInitialize(argc, argv);
}

int LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len)
{
	return FuzzerTestOneInput(buf, len);
}
