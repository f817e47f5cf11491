/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The engine-neutral contract every harness implements, one harness per file
 * (fuzz/fuzz_diff.c, fuzz/fuzz_script.c). Engines reach it through one driver
 * (fuzz/driver.c: libFuzzer, and AFL++ through its libFuzzer-compatible
 * driver); fuzz/replay.c runs files and directories through it with no engine
 * at all, which is how the corpus runs as an ordinary ctest test.
 *
 * A finding aborts inside FuzzerTestOneInput() after printing the input and
 * the report. Nothing that changes behaviour survives from one input to the
 * next; statistics (the coverage counters) may accumulate.
 */
#ifndef VMAFUZZ_FUZZER_H
#define VMAFUZZ_FUZZER_H

#include <stddef.h>
#include <stdint.h>

/*
 * Once per process, before the first input: reads VMAFUZZ_CANARY and
 * VMAFUZZ_ORACLES (an unknown name prints a message and exits 2). Returns 0.
 */
int FuzzerInitialize(int *argc, char ***argv);

/* One input. Returns 0; a finding never returns (it aborts). */
int FuzzerTestOneInput(const uint8_t *buf, size_t len);

/* Once at the end of a replay (engines may never call it). */
void FuzzerCleanup(void);

#endif /* VMAFUZZ_FUZZER_H */
