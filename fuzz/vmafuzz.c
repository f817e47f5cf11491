// SPDX-License-Identifier: GPL-2.0
/*
 * vmafuzz: the command-line tool (SCRIPT-FORMAT.md, "Running").
 *
 *   vmafuzz run [--dump] FILE...
 *
 * parses every script first (a parse error runs nothing), then runs each on
 * the model's legacy and refactored paths in lockstep. Exit status: 0 all
 * passed, 1 a check failed, 2 a usage or input error.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmafuzz/canary.h"
#include "vmafuzz/lockstep.h"
#include "vmafuzz/script.h"
#include "vmafuzz/target.h"

/* The full text for --help; the first three lines and a pointer after a usage error. */
static void usage(FILE *f, bool full)
{
	int i;

	fputs("usage: vmafuzz run [--dump] FILE...\n"
	      "       vmafuzz decode|encode|replay ...   (not implemented yet)\n"
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
		fprintf(f, "          %-20s %s\n", vmafuzz_canary_names[i],
			vmafuzz_canary_descs[i]);
}

static int cmd_run(int argc, char **argv)
{
	static const struct vmafuzz_target_ops *const targets[] = {
		&vmafuzz_target_legacy,
		&vmafuzz_target_refactored,
	};
	struct vmafuzz_lockstep_opts o = {
		.targets = targets,
		.nr_targets = sizeof(targets) / sizeof(targets[0]),
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
			fprintf(stderr, "%s%s", i ? "," : " ", vmafuzz_canary_names[i]);
		fputs(")\n", stderr);
		return 2;
	}
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 2, argv + 2);
	if (!strcmp(argv[1], "decode") || !strcmp(argv[1], "encode") ||
	    !strcmp(argv[1], "replay")) {
		fprintf(stderr, "vmafuzz %s: not implemented yet\n", argv[1]);
		return 2;
	}
	fprintf(stderr, "vmafuzz: unknown command '%s'\n", argv[1]);
	usage(stderr, false);
	return 2;
}
