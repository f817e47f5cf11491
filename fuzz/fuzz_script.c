// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_script: the script parser (SCRIPT-FORMAT.md). Any text either parses
 * or is rejected with a message, never a crash; text that parses prints as a
 * script that parses back to the same statements, and printing that again
 * gives the same text. Operations compare with vmafuzz_op_equal() (the
 * identity the byte decoder keeps too), everything else field by field;
 * line numbers are not compared, the printer does not keep them.
 *
 * A mismatch prints the input, the printed text and the first difference,
 * then aborts at a site of its own per kind of difference.
 */
#define _GNU_SOURCE /* open_memstream */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzer.h"
#include "harness.h"
#include "vmafuzz/decode.h"
#include "vmafuzz/script.h"

int FuzzerInitialize(int *argc, char ***argv)
{
	/* The parser reads neither, but a harness takes the same environment. */
	vmafuzz_harness_canaries("fuzz_script");
	(void)vmafuzz_harness_checks("fuzz_script");
	return 0;
}

/* The script as text; aborts when memory runs out (not a finding of the parser). */
static char *print_script(const struct vmafuzz_script *s, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);

	if (!f) {
		perror("fuzz_script: open_memstream");
		abort();
	}
	vmafuzz_script_print(f, s);
	if (fclose(f)) {
		perror("fuzz_script: open_memstream");
		abort();
	}
	return text;
}

static void print_context(const uint8_t *buf, size_t len, const char *printed, size_t plen)
{
	fprintf(stderr, "# fuzz_script input (%zu bytes):\n", len);
	fwrite(buf, 1, len, stderr);
	fprintf(stderr, "\n# printed as (%zu bytes):\n", plen);
	fwrite(printed, 1, plen, stderr);
	fputs("# end\n", stderr);
}

static __attribute__((noreturn, noinline)) void fail_reparse(const char *err)
{
	fprintf(stderr, "fuzz_script: the printed script does not parse: %s\n", err);
	abort();
}

static __attribute__((noreturn, noinline)) void fail_count(unsigned int a, unsigned int b)
{
	fprintf(stderr, "fuzz_script: %u statements parsed, %u after printing\n", a, b);
	abort();
}

static __attribute__((noreturn, noinline)) void fail_statement(unsigned int i, const char *what)
{
	fprintf(stderr, "fuzz_script: statement %u differs after printing: %s\n", i + 1, what);
	abort();
}

static __attribute__((noreturn, noinline)) void fail_reprint(void)
{
	fputs("fuzz_script: printing the reparsed script gives different text\n", stderr);
	abort();
}

/* Which field of two statements differs, or NULL when none does. */
static const char *stmt_diff(const struct vmafuzz_stmt *a, const struct vmafuzz_stmt *b)
{
	const struct vmafuzz_counters *ca = &a->counters, *cb = &b->counters;
	unsigned int k;

	if (a->type != b->type)
		return "statement type";
	switch (a->type) {
	case VMAFUZZ_STMT_OP:
		if (!vmafuzz_op_equal(&a->op, &b->op))
			return "operation";
		if (a->has_result != b->has_result)
			return "has a result";
		if (a->has_result && a->result != b->result)
			return "result";
		break;
	case VMAFUZZ_STMT_EXPECT:
		if (a->nr_expect != b->nr_expect)
			return "number of expect lines";
		for (k = 0; k < a->nr_expect; k++) {
			if (a->expect[k].mask != b->expect[k].mask)
				return "keys of an expect line";
			if (!vmafuzz_lvma_equal(&a->expect[k].v, &b->expect[k].v))
				return "values of an expect line";
		}
		break;
	case VMAFUZZ_STMT_COUNTERS:
		if (a->counters_mask != b->counters_mask)
			return "keys of expect-counters";
		if (ca->map_count != cb->map_count || ca->locked_vm != cb->locked_vm ||
		    ca->total_vm != cb->total_vm || ca->committed != cb->committed)
			return "values of expect-counters";
		break;
	}
	return NULL;
}

int FuzzerTestOneInput(const uint8_t *buf, size_t len)
{
	struct vmafuzz_script a, b;
	char err[512], *text, *again;
	size_t tlen, alen;
	const char *what;
	unsigned int i;

	if (vmafuzz_script_parse(&a, "input", (const char *)buf, len, err, sizeof(err)))
		return 0; /* rejected with a message: fine */

	text = print_script(&a, &tlen);
	if (vmafuzz_script_parse(&b, "printed", text, tlen, err, sizeof(err))) {
		print_context(buf, len, text, tlen);
		fail_reparse(err);
	}
	if (a.nr != b.nr) {
		print_context(buf, len, text, tlen);
		fail_count(a.nr, b.nr);
	}
	for (i = 0; i < a.nr; i++) {
		what = stmt_diff(&a.stmts[i], &b.stmts[i]);
		if (!what)
			continue;
		print_context(buf, len, text, tlen);
		vmafuzz_stmt_print(stderr, &a.stmts[i]);
		vmafuzz_stmt_print(stderr, &b.stmts[i]);
		fail_statement(i, what);
	}
	again = print_script(&b, &alen);
	if (alen != tlen || memcmp(again, text, tlen)) {
		print_context(buf, len, text, tlen);
		fprintf(stderr, "# printed again as:\n%.*s# end\n", (int)alen, again);
		fail_reprint();
	}

	free(again);
	free(text);
	vmafuzz_script_free(&b);
	vmafuzz_script_free(&a);
	return 0;
}

void FuzzerCleanup(void)
{
}
