// SPDX-License-Identifier: GPL-2.0
/*
 * Coverage statistics of the model (include/vmafuzz/coverage.h): the names,
 * the running total, and printing as a table or as JSON.
 */
#include <errno.h>
#include <stdio.h>

#include "vmafuzz/coverage.h"

const char *const vmafuzz_caller_names[VMAFUZZ_CALLER_NR] = {
#define X(e, s) s,
	VMAFUZZ_CALLERS(X)
#undef X
};

const char *const vmafuzz_path_names[VMAFUZZ_PATH_NR] = { "legacy", "refactored" };

const char *const vmafuzz_cov_errno_names[VMAFUZZ_COV_ERR_NR] = {
#define X(e) #e,
	VMAFUZZ_COV_ERRNOS(X)
#undef X
	"other",
};

struct vmafuzz_coverage vmafuzz_coverage_total;

void vmafuzz_coverage_add(struct vmafuzz_coverage *to, const struct vmafuzz_coverage *from)
{
	const unsigned long *s = (const unsigned long *)from;
	unsigned long *d = (unsigned long *)to;
	size_t i;

	/* The struct is unsigned longs only. */
	for (i = 0; i < sizeof(*to) / sizeof(unsigned long); i++)
		d[i] += s[i];
}

void vmafuzz_coverage_print(FILE *f, const struct vmafuzz_coverage *c)
{
	unsigned int i, p, e;

	fprintf(f, "vma_merge cases (%lu model instances):\n", c->models);
	for (i = 1; i <= 8; i++)
		fprintf(f, "  case %u %12lu\n", i, c->merge_case[i]);
	fprintf(f, "  no merge %10lu\n", c->merge_case[0]);
	fprintf(f, "splits:\n  new_below=1 %7lu\n  new_below=0 %7lu\n  refused at map_count %lu\n",
		c->split_below, c->split_above, c->split_refused);
	fprintf(f, "callers:%*s%12s %12s\n", 19, "", vmafuzz_path_names[0], vmafuzz_path_names[1]);
	for (i = 0; i < VMAFUZZ_CALLER_NR; i++) {
		fprintf(f, "  %-26s", vmafuzz_caller_names[i]);
		for (p = 0; p < VMAFUZZ_PATH_NR; p++)
			fprintf(f, " %12lu", c->caller[p][i]);
		fputc('\n', f);
	}
	fprintf(f, "operations and error returns:\n");
	for (i = 0; i < VMAFUZZ_OP_NR; i++) {
		if (!c->op[i])
			continue;
		fprintf(f, "  %-16s %10lu", vmafuzz_op_names[i], c->op[i]);
		for (e = 0; e < VMAFUZZ_COV_ERR_NR; e++)
			if (c->op_error[i][e])
				fprintf(f, " %s=%lu", vmafuzz_cov_errno_names[e], c->op_error[i][e]);
		fputc('\n', f);
	}
	fprintf(f, "injected failures:");
	for (i = 0; i < VMAFUZZ_FAIL_NR; i++)
		fprintf(f, " %s=%lu", vmafuzz_fail_names[i], c->injected[i]);
	fputc('\n', f);
}

void vmafuzz_coverage_json(FILE *f, const struct vmafuzz_coverage *c)
{
	unsigned int i, p, e;

	fprintf(f, "{\"models\": %lu, \"merge_case\": {", c->models);
	for (i = 0; i <= 8; i++)
		fprintf(f, "%s\"%u\": %lu", i ? ", " : "", i, c->merge_case[i]);
	fprintf(f, "}, \"split\": {\"below\": %lu, \"above\": %lu, \"refused\": %lu}, \"caller\": {",
		c->split_below, c->split_above, c->split_refused);
	for (p = 0; p < VMAFUZZ_PATH_NR; p++) {
		fprintf(f, "%s\"%s\": {", p ? ", " : "", vmafuzz_path_names[p]);
		for (i = 0; i < VMAFUZZ_CALLER_NR; i++)
			fprintf(f, "%s\"%s\": %lu", i ? ", " : "", vmafuzz_caller_names[i],
				c->caller[p][i]);
		fputc('}', f);
	}
	fprintf(f, "}, \"op\": {");
	for (i = 0; i < VMAFUZZ_OP_NR; i++) {
		fprintf(f, "%s\"%s\": {\"calls\": %lu", i ? ", " : "", vmafuzz_op_names[i], c->op[i]);
		for (e = 0; e < VMAFUZZ_COV_ERR_NR; e++)
			fprintf(f, ", \"%s\": %lu", vmafuzz_cov_errno_names[e], c->op_error[i][e]);
		fputc('}', f);
	}
	fprintf(f, "}, \"injected\": {");
	for (i = 0; i < VMAFUZZ_FAIL_NR; i++)
		fprintf(f, "%s\"%s\": %lu", i ? ", " : "", vmafuzz_fail_names[i], c->injected[i]);
	fprintf(f, "}}\n");
}
