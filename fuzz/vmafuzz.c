// SPDX-License-Identifier: GPL-2.0
/*
 * vmafuzz: the command-line tool (SCRIPT-FORMAT.md, "Running").
 *
 *   vmafuzz run [--dump] FILE...
 *
 * parses every script first (a parse error runs nothing), then runs each on
 * the model's legacy and refactored paths in lockstep.
 *
 *   vmafuzz decode FILE...            vmafuzz encode SCRIPT [-o OUT]
 *
 * translate between a fuzz input's bytes and its script through the one
 * decoder (fuzz/decode.c, docs/BYTE-FORMAT.md).
 *
 *   vmafuzz replay [--coverage|--json] FILE|DIR...
 *   vmafuzz minimize FILE [-o OUT]
 *
 * run fuzz inputs through the checks of the fuzz_diff harness, reporting
 * instead of aborting, and reduce a failing input to a small one that fails
 * the same check (fuzz/minimize.c). Exit status: 0 all passed, 1 a check
 * failed, 2 a usage or input error.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inputs.h"
#include "minimize.h"
#include "vmafuzz/canary.h"
#include "vmafuzz/coverage.h"
#include "vmafuzz/decode.h"
#include "vmafuzz/lockstep.h"
#include "vmafuzz/script.h"
#include "vmafuzz/target.h"

#define STR_(x) #x
#define STR(x)	STR_(x)
#define OPS_CAP STR(VMAFUZZ_DECODE_MAX_OPS)

/* The full text for --help; only the usage lines after a usage error. */
static void usage(FILE *f, bool full)
{
	int i;

	fputs("usage: vmafuzz run [--dump] FILE...\n"
	      "       vmafuzz decode FILE...\n"
	      "       vmafuzz encode SCRIPT [-o OUT]\n"
	      "       vmafuzz replay [--coverage|--json] FILE|DIR...\n"
	      "       vmafuzz minimize FILE [-o OUT]\n"
	      "       vmafuzz canaries [--json]\n"
	      "       vmafuzz --help\n",
	      f);
	if (!full)
		return;
	fputs("\n"
	      "run     run each .vma script on the legacy and the refactored path in\n"
	      "        lockstep, checking every `=>`, expect and expect-counters, that\n"
	      "        the paths agree after every statement and that the model's\n"
	      "        invariants hold; prints PASS or FAIL per file.\n"
	      "        --dump  print every statement and the layout after it\n"
	      "decode  print the script each fuzz input (a file of bytes, or - for\n"
	      "        standard input) means, one statement per line after a header\n"
	      "        comment naming the file and its operation count\n"
	      "encode  write the bytes that decode to SCRIPT's operations (its\n"
	      "        expectations, results, dump statements and comments are\n"
	      "        dropped; more than " OPS_CAP " operations is an input error)\n"
	      "        to OUT: by default SCRIPT with .bin for .vma, - for standard\n"
	      "        output. The byte format is docs/BYTE-FORMAT.md\n"
	      "replay  run each fuzz input (FILE, or every file of DIR in sorted order)\n"
	      "        on both paths with every check of the fuzz_diff harness, and\n"
	      "        for each that fails print its name and the report; then\n"
	      "        `N inputs, N failed`. All in this process: a sanitizer error\n"
	      "        ends the replay with the sanitizer's report\n"
	      "        --coverage  then print what the inputs covered (merge cases,\n"
	      "                    split kinds, callers per path, ops and errors)\n"
	      "        --json      the same coverage as one JSON object on standard\n"
	      "                    output (everything else goes to standard error)\n"
	      "minimize\n"
	      "        reduce a failing input (bytes) to a small one that fails the\n"
	      "        same check (a sanitizer error or abort counts as the check\n"
	      "        `crash`): removes operations, then simplifies arguments, until\n"
	      "        nothing more goes; each candidate runs in a child process.\n"
	      "        Writes OUT (default FILE.min) as bytes and OUT.vma as the\n"
	      "        script, with a header naming the check, the operation counts\n"
	      "        and the canary; exit 2 if FILE does not fail\n"
	      "canaries\n"
	      "        list the planted and historical bugs VMAFUZZ_CANARY can switch\n"
	      "        on: name, where it lives (legacy, refactored, both, core), the\n"
	      "        check that catches it, the upstream fix it undoes, what it\n"
	      "        breaks; tab-separated, or --json: one array of objects\n"
	      "\n"
	      "Exit status: 0 all passed, 1 a check failed, 2 a usage or input error.\n"
	      "\n"
	      "Environment:\n"
	      "  VMAFUZZ_ORACLES=ret,layout,invariants,pages,rmap,decision\n"
	      "        the oracle checks to run (default: all)\n"
	      "  VMAFUZZ_CANARY=NAME[,NAME...]\n"
	      "        switch on planted bugs that prove a check can fire:\n",
	      f);
	for (i = 0; i < VMAFUZZ_CANARY_NR; i++)
		fprintf(f, "          %-28s %s\n", vmafuzz_canary_table[i].name,
			vmafuzz_canary_table[i].desc);
}

/* Every command that runs something runs it on both paths of the model. */
static const struct vmafuzz_target_ops *const model_targets[] = {
	&vmafuzz_target_legacy,
	&vmafuzz_target_refactored,
};

static int cmd_run(int argc, char **argv)
{
	struct vmafuzz_lockstep_opts o = {
		.targets = model_targets,
		.nr_targets = sizeof(model_targets) / sizeof(model_targets[0]),
	};
	struct vmafuzz_script *scripts;
	unsigned int passed = 0, failed = 0;
	int i, first, nr, status = 0;
	const char *bad;
	char err[512];

	for (i = 0; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (!strcmp(argv[i], "--dump")) {
			o.dump = true;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout, true);
			return 0;
		} else {
			fprintf(stderr, "vmafuzz run: unknown option '%s'\n", argv[i]);
			usage(stderr, false);
			return 2;
		}
	}
	first = i;
	nr = argc - first;
	if (nr <= 0) {
		fputs("vmafuzz run: no script given\n", stderr);
		usage(stderr, false);
		return 2;
	}
	if (vmafuzz_checks_from_env(&o.checks, &bad)) {
		fprintf(stderr, "vmafuzz: VMAFUZZ_ORACLES: unknown check '%s' (known:", bad);
		for (i = 0; i < VMAFUZZ_CHECK_NR; i++)
			fprintf(stderr, "%s%s", i ? "," : " ", vmafuzz_check_names[i]);
		fputs(")\n", stderr);
		return 2;
	}

	/* Every script parses before any runs: an input error runs nothing. */
	scripts = calloc((size_t)nr, sizeof(*scripts));
	if (!scripts) {
		fputs("vmafuzz: out of memory\n", stderr);
		return 2;
	}
	for (i = 0; i < nr; i++) {
		if (vmafuzz_script_load(&scripts[i], argv[first + i], err, sizeof(err))) {
			fprintf(stderr, "%s\n", err);
			status = 2;
			break;
		}
	}

	for (i = 0; i < nr && !status; i++) {
		int r = vmafuzz_lockstep_run_script(&scripts[i], &o);

		printf("%s %s\n", r ? "FAIL" : "PASS", argv[first + i]);
		fflush(stdout);
		if (r)
			failed++;
		else
			passed++;
	}
	if (!status) {
		printf("%u passed, %u failed\n", passed, failed);
		status = failed ? 1 : 0;
	}

	for (i = 0; i < nr; i++)
		vmafuzz_script_free(&scripts[i]);
	free(scripts);
	return status;
}

/* ------------------------------------------------------ decode and encode */

/* The whole of a file (or standard input for "-"); NULL with errno set. */
static uint8_t *read_bytes(const char *path, size_t *size)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0;
	int err = 0;

	if (!f)
		return NULL;
	for (;;) {
		size_t got;

		if (len == cap) {
			uint8_t *t;

			cap = cap ? 2 * cap : 4096;
			t = realloc(buf, cap);
			if (!t) {
				err = ENOMEM;
				break;
			}
			buf = t;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (!got) {
			if (ferror(f))
				err = errno ? errno : EIO;
			break;
		}
	}
	if (f != stdin)
		fclose(f);
	if (err) {
		free(buf);
		errno = err;
		return NULL;
	}
	*size = len;
	return buf;
}

static void print_ops(FILE *f, const struct vmafuzz_op *ops, unsigned int n)
{
	char line[VMAFUZZ_LINE_MAX];
	unsigned int i;

	for (i = 0; i < n; i++) {
		vmafuzz_op_format(line, sizeof(line), &ops[i]);
		fprintf(f, "%s\n", line);
	}
}

static int cmd_decode(int argc, char **argv)
{
	struct vmafuzz_op ops[VMAFUZZ_DECODE_MAX_OPS];
	int i, first = 0;

	if (argc && !strcmp(argv[0], "--"))
		first = 1;
	else if (argc && argv[0][0] == '-' && argv[0][1]) {
		fprintf(stderr, "vmafuzz decode: unknown option '%s'\n", argv[0]);
		usage(stderr, false);
		return 2;
	}
	if (argc - first <= 0) {
		fputs("vmafuzz decode: no input given\n", stderr);
		usage(stderr, false);
		return 2;
	}
	for (i = first; i < argc; i++) {
		size_t size = 0;
		uint8_t *data = read_bytes(argv[i], &size);
		int n;

		if (!data) {
			fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
			return 2;
		}
		n = vmafuzz_decode(data, size, ops, VMAFUZZ_DECODE_MAX_OPS);
		free(data);
		if (i > first)
			putchar('\n');
		printf("# %s: %d operation%s from %zu byte%s\n", argv[i], n, n == 1 ? "" : "s",
		       size, size == 1 ? "" : "s");
		print_ops(stdout, ops, (unsigned int)n);
	}
	return fflush(stdout) ? 2 : 0;
}

/*
 * The operations of the script in file PATH, in order, without dump; -1
 * (after a message) if it does not parse or holds more than the cap.
 */
static int script_ops(const char *path, struct vmafuzz_op *ops)
{
	struct vmafuzz_script s;
	unsigned int i, n = 0;
	char err[512];
	int ret;

	if (vmafuzz_script_load(&s, path, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	for (i = 0; i < s.nr; i++) {
		const struct vmafuzz_stmt *st = &s.stmts[i];

		if (st->type != VMAFUZZ_STMT_OP || st->op.op == VMAFUZZ_OP_DUMP)
			continue;
		if (n == VMAFUZZ_DECODE_MAX_OPS) {
			fprintf(stderr,
				"%s:%u:1: more than %d operations: a fuzz input holds at most %d\n",
				s.path, st->line, VMAFUZZ_DECODE_MAX_OPS, VMAFUZZ_DECODE_MAX_OPS);
			break;
		}
		ops[n++] = st->op;
	}
	ret = i < s.nr ? -1 : (int)n;
	vmafuzz_script_free(&s);
	return ret;
}

/* SCRIPT with .bin for a final .vma, else with .bin added. */
static char *default_output(const char *script)
{
	size_t n = strlen(script);
	char *out = malloc(n + 5);

	if (!out)
		return NULL;
	memcpy(out, script, n + 1);
	if (n > 4 && !strcmp(out + n - 4, ".vma"))
		out[n - 4] = '\0';
	strcat(out, ".bin");
	return out;
}

/*
 * The arguments of a command that takes one FILE and an optional -o OUT
 * (encode, minimize). Returns 0, 1 after printing the help (help_ok), or 2
 * after a usage error message.
 */
static int parse_file_and_out(int argc, char **argv, const char *cmd, const char *what,
			      bool help_ok, const char **file, const char **out)
{
	bool opts = true;
	int i;

	for (i = 0; i < argc; i++) {
		if (opts && !strcmp(argv[i], "--")) {
			opts = false;
		} else if (opts && !strcmp(argv[i], "-o")) {
			if (++i == argc) {
				fprintf(stderr, "vmafuzz %s: -o needs a file name\n", cmd);
				return 2;
			}
			*out = argv[i];
		} else if (opts && help_ok && (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))) {
			usage(stdout, true);
			return 1;
		} else if (opts && argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "vmafuzz %s: unknown option '%s'\n", cmd, argv[i]);
			usage(stderr, false);
			return 2;
		} else if (*file) {
			fprintf(stderr, "vmafuzz %s: one %s at a time\n", cmd, what);
			usage(stderr, false);
			return 2;
		} else {
			*file = argv[i];
		}
	}
	if (!*file) {
		fprintf(stderr, "vmafuzz %s: no %s given\n", cmd, what);
		usage(stderr, false);
		return 2;
	}
	return 0;
}

static int cmd_encode(int argc, char **argv)
{
	static uint8_t bytes[VMAFUZZ_ENCODE_MAX_BYTES];
	struct vmafuzz_op ops[VMAFUZZ_DECODE_MAX_OPS];
	const char *script = NULL, *out = NULL;
	char *path;
	int i, n, len, status = 0;
	FILE *f;

	i = parse_file_and_out(argc, argv, "encode", "script", false, &script, &out);
	if (i)
		return 2;
	n = script_ops(script, ops);
	if (n < 0)
		return 2;
	len = vmafuzz_encode(ops, (unsigned int)n, bytes, sizeof(bytes));
	if (len < 0) {
		/* Every op a script can write has an encoding: a bug, not an input error. */
		fprintf(stderr, "vmafuzz encode: %s: an operation has no encoding\n", script);
		return 1;
	}

	if (out && !strcmp(out, "-"))
		return fwrite(bytes, 1, (size_t)len, stdout) != (size_t)len || fflush(stdout) ? 2 :
												0;
	path = out ? strdup(out) : default_output(script);
	if (!path) {
		fputs("vmafuzz: out of memory\n", stderr);
		return 2;
	}
	f = fopen(path, "wb");
	if (!f || fwrite(bytes, 1, (size_t)len, f) != (size_t)len) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		status = 2;
	}
	if (f && fclose(f) && !status) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		status = 2;
	}
	free(path);
	return status;
}

/*
 * Hidden (for tests/encode_scenarios.sh): print each script's operations as
 * `vmafuzz decode` prints an input's, under a header comment with the file
 * name and operation count; no results, dump or expectations.
 */
static int cmd_ops(int argc, char **argv)
{
	struct vmafuzz_op ops[VMAFUZZ_DECODE_MAX_OPS];
	int i, n;

	for (i = 0; i < argc; i++) {
		n = script_ops(argv[i], ops);
		if (n < 0)
			return 2;
		if (i)
			putchar('\n');
		printf("# %s: %d operation%s\n", argv[i], n, n == 1 ? "" : "s");
		print_ops(stdout, ops, (unsigned int)n);
	}
	return fflush(stdout) ? 2 : 0;
}

/* A JSON string: the tables hold plain text, but quote what JSON needs. */
static void json_str(FILE *f, const char *s)
{
	putc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			putc(*s, f);
	}
	putc('"', f);
}

/* The canary table (canary.h), for scripts/canaries and the catalogue. */
static int cmd_canaries(int argc, char **argv)
{
	bool json = argc == 1 && !strcmp(argv[0], "--json");
	int i;

	if (argc && !json) {
		usage(stderr, false);
		return 2;
	}
	if (json)
		putchar('[');
	for (i = 0; i < VMAFUZZ_CANARY_NR; i++) {
		const char *where = vmafuzz_canary_where_names[vmafuzz_canary_table[i].where];

		if (!json) {
			printf("%s\t%s\t%s\t%s\t%s\n", vmafuzz_canary_table[i].name, where,
			       vmafuzz_canary_table[i].check, vmafuzz_canary_table[i].upstream,
			       vmafuzz_canary_table[i].desc);
			continue;
		}
		printf("%s\n  {\"name\": ", i ? "," : "");
		json_str(stdout, vmafuzz_canary_table[i].name);
		printf(", \"where\": ");
		json_str(stdout, where);
		printf(", \"check\": ");
		json_str(stdout, vmafuzz_canary_table[i].check);
		printf(", \"upstream\": ");
		json_str(stdout, vmafuzz_canary_table[i].upstream);
		printf(", \"description\": ");
		json_str(stdout, vmafuzz_canary_table[i].desc);
		putchar('}');
	}
	if (json)
		puts("\n]");
	return fflush(stdout) ? 2 : 0;
}

/* ---------------------------------------------------- replay and minimize */

/* The oracle checks VMAFUZZ_ORACLES names; exits 2 on an unknown one. */
static unsigned int checks_from_env(void)
{
	unsigned int checks;
	const char *bad;
	int i;

	if (!vmafuzz_checks_from_env(&checks, &bad))
		return checks;
	fprintf(stderr, "vmafuzz: VMAFUZZ_ORACLES: unknown check '%s' (known:", bad);
	for (i = 0; i < VMAFUZZ_CHECK_NR; i++)
		fprintf(stderr, "%s%s", i ? "," : " ", vmafuzz_check_names[i]);
	fputs(")\n", stderr);
	exit(2);
}

/*
 * Each input runs as fuzz_diff runs it: decoded, on both paths, every check
 * VMAFUZZ_ORACLES names after every op; a failure reports and the next input
 * runs. In this process: a sanitizer error ends the replay with its report.
 */
static int cmd_replay(int argc, char **argv)
{
	struct vmafuzz_lockstep_opts o = {
		.targets = model_targets,
		.nr_targets = sizeof(model_targets) / sizeof(model_targets[0]),
	};
	struct vmafuzz_stmt stmts[VMAFUZZ_DECODE_MAX_OPS];
	struct vmafuzz_op ops[VMAFUZZ_DECODE_MAX_OPS];
	bool coverage = false, json = false;
	struct inputs in = { 0 };
	size_t k, failed = 0;
	FILE *msg = stdout;
	int i;

	for (i = 0; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (!strcmp(argv[i], "--coverage")) {
			coverage = true;
		} else if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout, true);
			return 0;
		} else {
			fprintf(stderr, "vmafuzz replay: unknown option '%s'\n", argv[i]);
			usage(stderr, false);
			return 2;
		}
	}
	if (i == argc) {
		fputs("vmafuzz replay: no input given\n", stderr);
		usage(stderr, false);
		return 2;
	}
	o.checks = checks_from_env();
	if (json)
		msg = stderr; /* standard output is the JSON alone */
	for (; i < argc; i++) {
		if (inputs_add_arg(&in, argv[i])) {
			inputs_free(&in);
			return 2;
		}
	}

	for (k = 0; k < in.nr; k++) {
		struct vmafuzz_script s = { .path = in.path[k], .stmts = stmts };
		size_t size = 0;
		uint8_t *data = inputs_read(in.path[k], &size);
		int n, j;

		if (!data) {
			fprintf(stderr, "%s: %s\n", in.path[k], strerror(errno));
			inputs_free(&in);
			return 2;
		}
		n = vmafuzz_decode(data, size, ops, VMAFUZZ_DECODE_MAX_OPS);
		free(data);
		memset(stmts, 0, sizeof(stmts));
		for (j = 0; j < n; j++) {
			stmts[j].type = VMAFUZZ_STMT_OP;
			stmts[j].line = (unsigned int)j + 1; /* "FILE:N" names op N */
			stmts[j].op = ops[j];
		}
		s.nr = s.cap = (unsigned int)n;
		fflush(msg);
		if (vmafuzz_lockstep_run_script(&s, &o)) {
			fprintf(msg, "FAIL %s (%d operations)\n", in.path[k], n);
			failed++;
		}
		fflush(msg);
	}
	fprintf(msg, "%zu inputs, %zu failed\n", in.nr, failed);
	if (json)
		vmafuzz_coverage_json(stdout, &vmafuzz_coverage_total);
	else if (coverage)
		vmafuzz_coverage_print(stdout, &vmafuzz_coverage_total);
	inputs_free(&in);
	if (fflush(stdout))
		return 2;
	return failed ? 1 : 0;
}

static int write_bytes(const char *path, const uint8_t *bytes, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(bytes, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int cmd_minimize(int argc, char **argv)
{
	static uint8_t bytes[VMAFUZZ_ENCODE_MAX_BYTES];
	struct vmafuzz_op ops[VMAFUZZ_DECODE_MAX_OPS];
	struct vmafuzz_minimize m = { .timeout = 60 };
	const char *file = NULL, *out = NULL, *env;
	char *outpath, *vmapath;
	unsigned int n, orig;
	size_t size = 0;
	uint8_t *data;
	int i, len, status = 0;
	FILE *f;

	i = parse_file_and_out(argc, argv, "minimize", "input", true, &file, &out);
	if (i)
		return i == 1 ? 0 : 2;
	m.checks = checks_from_env();
	data = read_bytes(file, &size);
	if (!data) {
		fprintf(stderr, "%s: %s\n", file, strerror(errno));
		return 2;
	}
	orig = n = (unsigned int)vmafuzz_decode(data, size, ops, VMAFUZZ_DECODE_MAX_OPS);
	free(data);

	if (vmafuzz_minimize(&m, ops, &n)) {
		fprintf(stderr,
			"vmafuzz minimize: %s: the input does not fail (%u operations ran"
			" with every check passing): nothing to minimize\n",
			file, orig);
		return 2;
	}
	len = vmafuzz_encode(ops, n, bytes, sizeof(bytes));
	if (len < 0) {
		fprintf(stderr, "vmafuzz minimize: %s: the result has no encoding\n", file);
		return 1;
	}

	if (!out) {
		outpath = malloc(strlen(file) + 5);
		if (outpath)
			sprintf(outpath, "%s.min", file);
	} else {
		outpath = strdup(out);
	}
	vmapath = outpath ? malloc(strlen(outpath) + 5) : NULL;
	if (!vmapath) {
		fputs("vmafuzz: out of memory\n", stderr);
		free(outpath);
		return 2;
	}
	sprintf(vmapath, "%s.vma", outpath);

	if (write_bytes(outpath, bytes, (size_t)len)) {
		status = 2;
		goto out;
	}
	f = fopen(vmapath, "w");
	if (!f) {
		fprintf(stderr, "%s: %s\n", vmapath, strerror(errno));
		status = 2;
		goto out;
	}
	fprintf(f, "# vmafuzz minimize %s\n", file);
	fprintf(f, "# fails check '%s' with %u of the input's %u operations\n", m.check, n, orig);
	env = getenv("VMAFUZZ_CANARY");
	if (env && *env)
		fprintf(f, "# VMAFUZZ_CANARY=%s\n", env);
	env = getenv("VMAFUZZ_ORACLES");
	if (env && *env)
		fprintf(f, "# VMAFUZZ_ORACLES=%s\n", env);
	print_ops(f, ops, n);
	if (fclose(f)) {
		fprintf(stderr, "%s: %s\n", vmapath, strerror(errno));
		status = 2;
		goto out;
	}
	printf("%s: check '%s' fails with %u of %u operations (%lu runs): %s, %s\n", file, m.check,
	       n, orig, m.runs, outpath, vmapath);
out:
	free(vmapath);
	free(outpath);
	return status;
}

int main(int argc, char **argv)
{
	const char *bad;

	if (argc < 2) {
		usage(stderr, false);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout, true);
		return 0;
	}
	if (vmafuzz_canary_init(&bad)) {
		fprintf(stderr, "vmafuzz: VMAFUZZ_CANARY: unknown canary '%s' (known:", bad);
		for (int i = 0; i < VMAFUZZ_CANARY_NR; i++)
			fprintf(stderr, "%s%s", i ? "," : " ", vmafuzz_canary_table[i].name);
		fputs(")\n", stderr);
		return 2;
	}
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 2, argv + 2);
	if (!strcmp(argv[1], "decode"))
		return cmd_decode(argc - 2, argv + 2);
	if (!strcmp(argv[1], "encode"))
		return cmd_encode(argc - 2, argv + 2);
	if (!strcmp(argv[1], "ops"))
		return cmd_ops(argc - 2, argv + 2);
	if (!strcmp(argv[1], "replay"))
		return cmd_replay(argc - 2, argv + 2);
	if (!strcmp(argv[1], "minimize"))
		return cmd_minimize(argc - 2, argv + 2);
	if (!strcmp(argv[1], "canaries"))
		return cmd_canaries(argc - 2, argv + 2);
	fprintf(stderr, "vmafuzz: unknown command '%s'\n", argv[1]);
	usage(stderr, false);
	return 2;
}
