/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The structure-aware mutator of fuzz_diff inputs: it decodes the bytes
 * (docs/BYTE-FORMAT.md), changes the operation sequence as a whole
 * operation at a time, and encodes the result, so that a mutation never
 * shifts the records after it, and a new range tends to start or end where
 * another operation's range does. Engines call it through their own hooks
 * (fuzz/libfuzzer_mutator.c); it has no engine dependency, and its unit
 * test runs in every build.
 */
#ifndef VMAFUZZ_MUTATE_H
#define VMAFUZZ_MUTATE_H

#include <stddef.h>
#include <stdint.h>

/**
 * vmafuzz_mutate() - change an input by whole operations
 * @data: the input; the result is written over it
 * @size: its length
 * @max_size: room at @data; the result is never longer
 * @seed: the only source of randomness: the same @data and @seed give the
 *        same result
 *
 * Applies one to four of: insert a new operation, delete a run of them,
 * duplicate, move or swap operations, give an operation another kind over
 * the same range, draw its other arguments anew, nudge its address or
 * length, align its start or end with another operation's range, add after
 * an operation the one that undoes it over the same range (munmap after
 * mmap, dodump after dontdump, munlock after mlock, ...: a change and its
 * reversal are what split a VMA and merge it again), and arm a one-shot
 * failure (`fail`) right before an operation, so the failure lands in that
 * operation.
 *
 * Return: the length of the result (canonical bytes: vmafuzz_encode() of the
 * new sequence), or 0 when no change fitting @max_size was found; @data is
 * then unchanged.
 */
size_t vmafuzz_mutate(uint8_t *data, size_t size, size_t max_size, unsigned int seed);

/**
 * vmafuzz_crossover() - splice two inputs by whole operations
 * @a: the first input, @asize its length
 * @b: the second, @bsize its length
 * @out: where the result goes, room for @max_out bytes
 * @seed: the only source of randomness
 *
 * Either @a's first operations followed by @b's last ones, or a run of
 * @b's operations inserted into @a, cut to the op cap.
 *
 * Return: the length of the result, or 0 when none fits @max_out.
 */
size_t vmafuzz_crossover(const uint8_t *a, size_t asize, const uint8_t *b, size_t bsize,
			 uint8_t *out, size_t max_out, unsigned int seed);

#endif /* VMAFUZZ_MUTATE_H */
