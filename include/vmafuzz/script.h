/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The .vma script: parser and printer for SCRIPT-FORMAT.md.
 */
#ifndef VMAFUZZ_SCRIPT_H
#define VMAFUZZ_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "vmafuzz/layout.h"
#include "vmafuzz/op.h"

enum vmafuzz_stmt_type {
	VMAFUZZ_STMT_OP,
	VMAFUZZ_STMT_EXPECT,
	VMAFUZZ_STMT_COUNTERS,
};

struct vmafuzz_expect_line {
	struct vmafuzz_lvma v;	/* start, end, prot bits and 's' in flags; keys */
	unsigned int mask;	/* VMAFUZZ_KEY_* given on the line */
	unsigned int line;
};

struct vmafuzz_stmt {
	enum vmafuzz_stmt_type type;
	unsigned int line;		/* 1-based line of the statement */
	/* VMAFUZZ_STMT_OP */
	struct vmafuzz_op op;
	bool has_result;
	int result;			/* 0 or -errno */
	/* VMAFUZZ_STMT_EXPECT */
	unsigned int nr_expect;
	struct vmafuzz_expect_line *expect;
	/* VMAFUZZ_STMT_COUNTERS */
	unsigned int counters_mask;	/* VMAFUZZ_CNT_* */
	struct vmafuzz_counters counters;
};

struct vmafuzz_script {
	char *path;
	unsigned int nr, cap;
	struct vmafuzz_stmt *stmts;
};

/*
 * Parse text into s. On error returns -1 and writes "FILE:LINE:COL: message"
 * into err (the caller prints it and exits 2); nothing in s is valid then.
 */
int vmafuzz_script_parse(struct vmafuzz_script *s, const char *path, const char *text,
			 size_t len, char *err, size_t errsz);
int vmafuzz_script_load(struct vmafuzz_script *s, const char *path, char *err, size_t errsz);
void vmafuzz_script_free(struct vmafuzz_script *s);

/* Print one operation as a script statement (no newline, no result). */
int vmafuzz_op_format(char *buf, size_t sz, const struct vmafuzz_op *op);
/* Print one statement (with "=> RESULT" if it has one), newline-terminated. */
void vmafuzz_stmt_print(FILE *f, const struct vmafuzz_stmt *st);
void vmafuzz_script_print(FILE *f, const struct vmafuzz_script *s);

/* Errno names: "ENOMEM" <-> -ENOMEM; "0" for 0. */
const char *vmafuzz_errno_name(int err);
int vmafuzz_errno_parse(const char *name, int *err);

#endif /* VMAFUZZ_SCRIPT_H */
