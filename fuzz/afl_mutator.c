// SPDX-License-Identifier: GPL-2.0
/*
 * AFL++'s custom mutator library for fuzz_diff: the structure-aware
 * mutator (fuzz/mutate.c) behind AFL++'s C API (docs/custom_mutators.md of
 * AFL++). scripts/fuzz loads it with AFL_CUSTOM_MUTATOR_LIBRARY; AFL++ runs
 * it as a stage of its own before havoc, so its own mutations go on as
 * well. It is built with the host compiler, without sanitizers or
 * instrumentation, because it is loaded into afl-fuzz, not into the target.
 *
 * The state is the seed AFL++ gives (-s) and a call counter, so a run with
 * a fixed seed mutates the same way; nothing here reaches the target.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vmafuzz/decode.h"
#include "vmafuzz/mutate.h"

struct mutator {
	unsigned int seed;
	unsigned int calls;
	uint8_t out[VMAFUZZ_ENCODE_MAX_BYTES];
};

void *afl_custom_init(void *afl, unsigned int seed);
size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf,
		       uint8_t *add_buf, size_t add_buf_size, size_t max_size);
void afl_custom_deinit(void *data);

void *afl_custom_init(void *afl, unsigned int seed)
{
	struct mutator *m = calloc(1, sizeof(*m));

	if (m)
		m->seed = seed;
	return m;
}

/* Return 0: no mutation this time (AFL++ skips the execution). */
size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf,
		       uint8_t *add_buf, size_t add_buf_size, size_t max_size)
{
	struct mutator *m = data;
	unsigned int seed = m->seed ^ (++m->calls * 0x9e3779b9u);
	size_t room = max_size < sizeof(m->out) ? max_size : sizeof(m->out), len;

	/* One in four a crossover with the other input AFL++ picked, if any. */
	if (add_buf && add_buf_size && seed % 4 == 0) {
		len = vmafuzz_crossover(buf, buf_size, add_buf, add_buf_size, m->out, room, seed);
	} else {
		/* Past the op cap's bytes nothing decodes: the head is the whole input. */
		size_t head = buf_size < room ? buf_size : room;

		memcpy(m->out, buf, head);
		len = vmafuzz_mutate(m->out, head, room, seed);
	}
	*out_buf = m->out;
	return len;
}

void afl_custom_deinit(void *data)
{
	free(data);
}
