/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The byte decoder: the one mapping from a fuzz input's bytes to operations,
 * shared by every harness and by `vmafuzz decode`/`vmafuzz encode`. The byte
 * format is docs/BYTE-FORMAT.md; this header and fuzz/decode.c follow it.
 */
#ifndef VMAFUZZ_DECODE_H
#define VMAFUZZ_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmafuzz/op.h"

/* Bytes per record; every operation is one record or a few. */
#define VMAFUZZ_DECODE_RECORD 8

/*
 * The op cap: an input means at most this many operations; bytes after the
 * last record of the 64th op are ignored. Scenarios have fewer than 20.
 */
#define VMAFUZZ_DECODE_MAX_OPS 64

/* The largest operation, in records (a wide `name`: its record and 4 more). */
#define VMAFUZZ_DECODE_MAX_RECORDS 5

/* Bytes that always hold the encoding of VMAFUZZ_DECODE_MAX_OPS operations. */
#define VMAFUZZ_ENCODE_MAX_BYTES \
	(VMAFUZZ_DECODE_MAX_OPS * VMAFUZZ_DECODE_MAX_RECORDS * VMAFUZZ_DECODE_RECORD)

/**
 * vmafuzz_decode() - the operations a byte string means
 * @data: the input (may be NULL when @size is 0)
 * @size: its length in bytes
 * @ops: where the operations go
 * @max_ops: room in @ops; pass VMAFUZZ_DECODE_MAX_OPS (a smaller value cuts
 *           the sequence short, a larger one changes nothing)
 *
 * Total: every byte string decodes, by clamping, never by rejecting, and
 * every operation produced is one a script can express (vmafuzz_op_format()
 * prints it as a statement that parses back to an identical op). `dump` is
 * never produced. Deterministic and free of state.
 *
 * Return: the number of operations written, 0 to min(@max_ops, the cap).
 */
int vmafuzz_decode(const uint8_t *data, size_t size, struct vmafuzz_op *ops, unsigned int max_ops);

/**
 * vmafuzz_encode() - the canonical bytes of an operation sequence
 * @ops: the operations; each must be one a script can express (as the
 *       parser leaves it: fields a statement does not carry are zero)
 * @n: how many
 * @out: where the bytes go
 * @cap: room in @out
 *
 * vmafuzz_decode() of the result gives back @ops exactly. Each op takes its
 * shortest form, so the bytes are a function of the sequence alone, and
 * encodings concatenate: encode(a) followed by encode(b) decodes to a, b.
 * `dump` has no encoding and is skipped.
 *
 * Return: the bytes written, or -1 if they do not fit in @cap, an op is not
 * expressible, or the sequence is over VMAFUZZ_DECODE_MAX_OPS.
 */
int vmafuzz_encode(const struct vmafuzz_op *ops, unsigned int n, uint8_t *out, size_t cap);

/**
 * vmafuzz_decode_dense_kind() - the first kind byte of an operation's dense form
 * @op: the operation
 *
 * A record of this byte followed by any seven bytes decodes to one @op, with
 * its arguments taken from those bytes (the structure-aware mutator draws
 * fresh arguments for an operation this way).
 *
 * Return: the byte, or -1 if @op has no dense form (`dump`).
 */
int vmafuzz_decode_dense_kind(enum vmafuzz_op_kind op);

/*
 * Two operations are the same statement: every field a statement carries is
 * equal (the identity the decode/encode round trip keeps).
 */
bool vmafuzz_op_equal(const struct vmafuzz_op *a, const struct vmafuzz_op *b);

#endif /* VMAFUZZ_DECODE_H */
