// SPDX-License-Identifier: GPL-2.0
/*
 * The plain replay main: runs inputs through a harness's FuzzerTestOneInput()
 * with no fuzzing engine, so the corpus is an ordinary test and a crasher
 * reproduces with any compiler (gcc builds it too).
 *
 *   fuzz_diff_replay [--no-fork] FILE|DIR...
 *
 * Each FILE, and every regular file in each DIR in sorted (byte) order, is
 * one input. The inputs run in a child process, so a finding (the harness
 * aborts) fails that input and the replay goes on with the next in a new
 * child: one line per input (PASS or FAIL), then "N inputs, N failed". A
 * leak LeakSanitizer finds when the child exits fails the replay too.
 * --no-fork runs them all in this process instead, for a debugger; the
 * first finding then ends the run. Exit status: 0 all passed, 1 an input
 * failed, 2 a usage or input error.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzzer.h"
#include "inputs.h"

/* Runs one input in this process; 2 when it cannot be read. */
static int run_one(const char *path)
{
	size_t len = 0;
	uint8_t *buf = inputs_read(path, &len);

	if (!buf) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return 2;
	}
	FuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

/*
 * Runs in[start..) in one child process, which prints PASS for each input
 * it gets through and leaves in *cursor the index of the input it is on.
 * Forking once per batch, not per input, keeps a large corpus fast under
 * ASan. Returns the index of the input the child died on (after a FAIL
 * line), in->nr when every input passed, or -1 when an input was
 * unreadable (2 from the child).
 */
static long run_batch(const struct inputs *in, size_t start, volatile size_t *cursor,
		      size_t *failed)
{
	int status;
	size_t i;
	pid_t pid;

	*cursor = start;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("replay: fork");
		exit(2);
	}
	if (!pid) {
		for (i = start; i < in->nr; i++) {
			*cursor = i;
			if (run_one(in->path[i]))
				exit(2);
			printf("PASS %s\n", in->path[i]);
			fflush(stdout);
		}
		*cursor = in->nr;
		exit(0); /* exit, not _exit: LeakSanitizer runs at exit */
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			perror("replay: waitpid");
			exit(2);
		}
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return (long)in->nr;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 2)
		return -1;
	i = *cursor;
	if (i < in->nr)
		printf("FAIL %s", in->path[i]);
	else /* every input ran; the exit failed: a leak LeakSanitizer found at exit */
		printf("FAIL at exit, after %s", in->path[in->nr - 1]);
	if (WIFSIGNALED(status))
		printf(" (signal %d)\n", WTERMSIG(status));
	else
		printf(" (exit status %d)\n", WEXITSTATUS(status));
	(*failed)++;
	return (long)i;
}

static void usage(FILE *f, const char *prog)
{
	fprintf(f, "usage: %s [--no-fork] FILE|DIR...\n", prog);
}

int main(int argc, char **argv)
{
	struct inputs in = { 0 };
	bool fork_each = true;
	volatile size_t *cursor;
	size_t i, failed = 0;
	int first = 1, status = 0;

	for (; first < argc && argv[first][0] == '-'; first++) {
		if (!strcmp(argv[first], "--")) {
			first++;
			break;
		}
		if (!strcmp(argv[first], "--no-fork")) {
			fork_each = false;
		} else if (!strcmp(argv[first], "--help") || !strcmp(argv[first], "-h")) {
			usage(stdout, argv[0]);
			return 0;
		} else {
			fprintf(stderr, "%s: unknown option '%s'\n", argv[0], argv[first]);
			usage(stderr, argv[0]);
			return 2;
		}
	}
	if (first == argc) {
		usage(stderr, argv[0]);
		return 2;
	}
	FuzzerInitialize(&argc, &argv);

	for (; first < argc; first++) {
		if (inputs_add_arg(&in, argv[first]))
			return 2;
	}

	if (fork_each) {
		/* One slot the child writes and the parent reads after it ends. */
		cursor = mmap(NULL, sizeof(*cursor), PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (cursor == MAP_FAILED) {
			perror("replay: mmap");
			return 2;
		}
		for (i = 0; i < in.nr;) {
			long r = run_batch(&in, i, cursor, &failed);

			if (r < 0) {
				status = 2;
				break;
			}
			i = (size_t)r + 1;
		}
		munmap((void *)cursor, sizeof(*cursor));
	} else {
		for (i = 0; i < in.nr && status != 2; i++) {
			if (run_one(in.path[i]))
				status = 2;
			else
				printf("PASS %s\n", in.path[i]);
		}
	}
	if (status != 2) {
		printf("%zu inputs, %zu failed\n", in.nr, failed);
		status = failed ? 1 : 0;
	}
	fflush(stdout);

	FuzzerCleanup();
	inputs_free(&in);
	return status;
}
