// SPDX-License-Identifier: GPL-2.0
/*
 * The input minimizer (minimize.h). Every candidate runs in a child process,
 * so a candidate that crashes the model (a sanitizer report, an abort) is an
 * outcome like any other, "crash", and the minimizer itself survives it. A
 * candidate is kept only when it fails the same check as the input did, so
 * the reduction never slides from one bug to another.
 *
 * Operations go first: chunks of half the sequence, then quarters, down to
 * single operations. Then every address down together, and each operation's
 * arguments, each towards its simplest value (addresses towards 0 or a
 * neighbour's edge, lengths towards 1, options and flags dropped one at a
 * time, pgoff 0, names shorter, counts smaller), in big steps first. The
 * passes repeat until none changes anything. Every candidate must have a
 * byte encoding, so the result can be written as an input.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "minimize.h"
#include "vmafuzz/lockstep.h"
#include "vmafuzz/script.h"
#include "vmafuzz/target.h"

static const struct vmafuzz_target_ops *const targets[] = {
	&vmafuzz_target_legacy,
	&vmafuzz_target_refactored,
};

/* In the child: run the ops, report to stderr; exit 0 passed, 1 a check failed. */
static __attribute__((noreturn)) void run_child(const struct vmafuzz_minimize *m,
						const struct vmafuzz_op *ops, unsigned int n)
{
	static char path[] = "input";
	struct vmafuzz_stmt stmts[VMAFUZZ_DECODE_MAX_OPS];
	struct vmafuzz_script s = { .path = path, .stmts = stmts, .nr = n, .cap = n };
	struct vmafuzz_lockstep_opts o = {
		.targets = targets,
		.nr_targets = sizeof(targets) / sizeof(targets[0]),
		.checks = m->checks,
	};
	unsigned int i;
	int r;

	memset(stmts, 0, sizeof(stmts));
	for (i = 0; i < n; i++) {
		stmts[i].type = VMAFUZZ_STMT_OP;
		stmts[i].line = i + 1;
		stmts[i].op = ops[i];
	}
	r = vmafuzz_lockstep_run_script(&s, &o);
	fflush(NULL);
	/*
	 * While a check's failure is being kept, a candidate's leak does not
	 * matter, and skipping LeakSanitizer's scan at exit makes a run several
	 * times faster. When the failure is a crash (a leak is one) or not known
	 * yet, exit() lets LeakSanitizer look.
	 */
	if (m->check[0] && strcmp(m->check, "crash") && strcmp(m->check, "timeout"))
		_exit(r ? 1 : 0);
	exit(r ? 1 : 0);
}

/* The check a report names ("check 'NAME' failed"); false if none. */
static bool report_check(const char *text, char out[VMAFUZZ_OUTCOME_MAX])
{
	const char *p = strstr(text, "check '"), *q;

	if (!p)
		return false;
	p += strlen("check '");
	q = strchr(p, '\'');
	if (!q || q == p || (size_t)(q - p) >= VMAFUZZ_OUTCOME_MAX)
		return false;
	memcpy(out, p, (size_t)(q - p));
	out[q - p] = '\0';
	return true;
}

void vmafuzz_outcome(struct vmafuzz_minimize *m, const struct vmafuzz_op *ops, unsigned int n,
		     char out[VMAFUZZ_OUTCOME_MAX], FILE *report)
{
	char *text = NULL;
	size_t len = 0, cap = 0;
	int fds[2], status;
	pid_t pid;

	m->runs++;
	if (pipe(fds)) {
		perror("vmafuzz: pipe");
		exit(2);
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("vmafuzz: fork");
		exit(2);
	}
	if (!pid) {
		close(fds[0]);
		dup2(fds[1], STDOUT_FILENO);
		dup2(fds[1], STDERR_FILENO);
		close(fds[1]);
		alarm(m->timeout);
		run_child(m, ops, n);
	}
	close(fds[1]);
	for (;;) {
		ssize_t got;

		if (len + 4096 + 1 > cap) {
			char *t;

			cap = cap ? 2 * cap : 65536;
			t = realloc(text, cap);
			if (!t) {
				fputs("vmafuzz: out of memory\n", stderr);
				exit(2);
			}
			text = t;
		}
		got = read(fds[0], text + len, cap - len - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		len += (size_t)got;
	}
	close(fds[0]);
	text[len] = '\0';
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			perror("vmafuzz: waitpid");
			exit(2);
		}
	}
	if (report)
		fwrite(text, 1, len, report);

	/* A sanitizer report outranks a check that failed before it. */
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		out[0] = '\0';
	else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
		snprintf(out, VMAFUZZ_OUTCOME_MAX, "timeout");
	else if (strstr(text, "Sanitizer: ") || strstr(text, "runtime error: ") ||
		 !WIFEXITED(status) || WEXITSTATUS(status) != 1 || !report_check(text, out))
		snprintf(out, VMAFUZZ_OUTCOME_MAX, "crash");
	free(text);
}

/* Does ops[0..n) have an encoding and fail m->check? */
static bool still_fails(struct vmafuzz_minimize *m, const struct vmafuzz_op *ops, unsigned int n)
{
	static uint8_t bytes[VMAFUZZ_ENCODE_MAX_BYTES];
	char got[VMAFUZZ_OUTCOME_MAX];

	if (!n || vmafuzz_encode(ops, n, bytes, sizeof(bytes)) < 0)
		return false;
	vmafuzz_outcome(m, ops, n, got, NULL);
	return !strcmp(got, m->check);
}

/* ------------------------------------------------------------ operations */

/* Remove chunks of n/2, n/4, ... 1 operations while the failure stays. */
static bool remove_ops(struct vmafuzz_minimize *m, struct vmafuzz_op *ops, unsigned int *n)
{
	struct vmafuzz_op cand[VMAFUZZ_DECODE_MAX_OPS];
	unsigned int chunk, start, len, nr = *n;
	bool changed = false;

	for (chunk = nr / 2 ? nr / 2 : 1;; chunk /= 2) {
		for (start = 0; start < nr && nr > 1;) {
			len = chunk < nr - start ? chunk : nr - start;
			memcpy(cand, ops, start * sizeof(*ops));
			memcpy(cand + start, ops + start + len, (nr - start - len) * sizeof(*ops));
			if (still_fails(m, cand, nr - len)) {
				nr -= len;
				memcpy(ops, cand, nr * sizeof(*ops));
				changed = true;
			} else {
				start += len;
			}
		}
		if (chunk <= 1)
			break;
	}
	*n = nr;
	return changed;
}

/* ------------------------------------------------------------- arguments */

enum field {
	F_ADDR,
	F_LEN,
	F_NEWLEN,
	F_NEWADDR,
	F_COUNT,
	F_PGOFF,
	F_FILE,
	F_CTX
};

static uint64_t get(const struct vmafuzz_op *op, enum field f)
{
	switch (f) {
	case F_ADDR:
		return op->addr;
	case F_LEN:
		return op->len;
	case F_NEWLEN:
		return op->newlen;
	case F_NEWADDR:
		return op->newaddr;
	case F_COUNT:
		return op->count;
	case F_PGOFF:
		return op->pgoff;
	case F_FILE:
		return op->file;
	case F_CTX:
		return op->ctx;
	}
	return 0;
}

static void set(struct vmafuzz_op *op, enum field f, uint64_t v)
{
	switch (f) {
	case F_ADDR:
		op->addr = (uint32_t)v;
		break;
	case F_LEN:
		op->len = (uint32_t)v;
		break;
	case F_NEWLEN:
		op->newlen = (uint32_t)v;
		break;
	case F_NEWADDR:
		op->newaddr = (uint32_t)v;
		break;
	case F_COUNT:
		op->count = (uint32_t)v;
		break;
	case F_PGOFF:
		op->pgoff = v;
		break;
	case F_FILE:
		op->file = (uint8_t)v;
		break;
	case F_CTX:
		op->ctx = (uint8_t)v;
		break;
	}
}

/* Replace ops[i] by cand if the failure stays; true when it did. */
static bool try_op(struct vmafuzz_minimize *m, struct vmafuzz_op *ops, unsigned int n,
		   unsigned int i, const struct vmafuzz_op *cand)
{
	struct vmafuzz_op save = ops[i];

	if (vmafuzz_op_equal(&save, cand))
		return false;
	ops[i] = *cand;
	if (still_fails(m, ops, n))
		return true;
	ops[i] = save;
	return false;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Lower field f of ops[i] towards floor: floor itself, then the values in
 * near[] (a neighbour's edges) from the smallest, then halfway, a quarter of
 * the way, ... down to one less. Only smaller values, so this ends.
 */
static bool shrink(struct vmafuzz_minimize *m, struct vmafuzz_op *ops, unsigned int n,
		   unsigned int i, enum field f, uint64_t floor, const uint64_t *near,
		   unsigned int nr_near)
{
	bool changed = false, again = true;

	while (again) {
		uint64_t v = get(&ops[i], f), c[2 * VMAFUZZ_DECODE_MAX_OPS * 3 + 70], d;
		unsigned int k, nc = 0;

		again = false;
		if (v <= floor)
			break;
		c[nc++] = floor;
		for (k = 0; k < nr_near; k++) {
			if (near[k] > floor && near[k] < v)
				c[nc++] = near[k];
		}
		qsort(c + 1, nc - 1, sizeof(c[0]), cmp_u64);
		for (d = (v - floor) / 2; d >= 1; d /= 2)
			c[nc++] = v - d;
		for (k = 0; k < nc && !again; k++) {
			struct vmafuzz_op cand = ops[i];

			set(&cand, f, c[k]);
			again = try_op(m, ops, n, i, &cand);
		}
		changed |= again;
	}
	return changed;
}

/* Clear the bits of *field (in cand) one at a time, each kept if the failure stays. */
static bool drop_bits(struct vmafuzz_minimize *m, struct vmafuzz_op *ops, unsigned int n,
		      unsigned int i, size_t offset, size_t size)
{
	bool changed = false;
	unsigned int bit;

	for (bit = 0; bit < 8 * size && bit < 32; bit++) {
		struct vmafuzz_op cand = ops[i];
		uint32_t v = 0;

		memcpy(&v, (char *)&cand + offset, size);
		if (!(v >> bit & 1))
			continue;
		v &= ~(1u << bit);
		memcpy((char *)&cand + offset, &v, size);
		if (cand.op == VMAFUZZ_OP_MREMAP && !(cand.flags & VMAFUZZ_MREMAP_FIXED))
			cand.newaddr = 0; /* no fixed=: NEW means nothing */
		changed |= try_op(m, ops, n, i, &cand);
	}
	return changed;
}

/* The edges of the other operations' ranges, where op i might as well start. */
static unsigned int neighbours(const struct vmafuzz_op *ops, unsigned int n, unsigned int i,
			       uint32_t len, uint64_t *near)
{
	unsigned int k, nr = 0;

	for (k = 0; k < n; k++) {
		const struct vmafuzz_op *o = &ops[k];

		if (k == i || !vmafuzz_op_has_range(o->op))
			continue;
		near[nr++] = o->addr;
		near[nr++] = (uint64_t)o->addr + o->len;
		if (o->addr >= len)
			near[nr++] = o->addr - len; /* ends where the other starts */
	}
	return nr;
}

static bool simplify_op(struct vmafuzz_minimize *m, struct vmafuzz_op *ops, unsigned int n,
			unsigned int i)
{
	uint64_t near[3 * VMAFUZZ_DECODE_MAX_OPS];
	struct vmafuzz_op *op = &ops[i];
	bool changed = false;
	unsigned int nr;

	if (vmafuzz_op_has_addr(op->op)) {
		nr = neighbours(ops, n, i, op->op == VMAFUZZ_OP_BRK ? 0 : op->len, near);
		changed |= shrink(m, ops, n, i, F_ADDR, 0, near, nr);
	}
	if (vmafuzz_op_has_range(op->op) && op->len)
		changed |= shrink(m, ops, n, i, F_LEN, 1, NULL, 0);
	switch (op->op) {
	case VMAFUZZ_OP_MMAP:
		changed |= drop_bits(m, ops, n, i, offsetof(struct vmafuzz_op, flags), 4);
		changed |= shrink(m, ops, n, i, F_PGOFF, 0, NULL, 0);
		changed |= shrink(m, ops, n, i, F_FILE, 0, NULL, 0);
		break;
	case VMAFUZZ_OP_MREMAP:
		near[0] = op->len;
		if (op->newlen)
			changed |= shrink(m, ops, n, i, F_NEWLEN, 1, near, 1);
		changed |= drop_bits(m, ops, n, i, offsetof(struct vmafuzz_op, flags), 4);
		if (op->flags & VMAFUZZ_MREMAP_FIXED) {
			nr = neighbours(ops, n, i, op->newlen, near);
			changed |= shrink(m, ops, n, i, F_NEWADDR, 0, near, nr);
		}
		break;
	case VMAFUZZ_OP_MLOCK:
	case VMAFUZZ_OP_MLOCKALL:
	case VMAFUZZ_OP_TOUCH:
		changed |= drop_bits(m, ops, n, i, offsetof(struct vmafuzz_op, flags), 4);
		break;
	case VMAFUZZ_OP_UFFD_REGISTER:
		changed |= drop_bits(m, ops, n, i, offsetof(struct vmafuzz_op, mode), 1);
		changed |= shrink(m, ops, n, i, F_CTX, 1, NULL, 0);
		break;
	case VMAFUZZ_OP_UFFD_UNREGISTER:
	case VMAFUZZ_OP_UFFD_CLOSE:
		changed |= shrink(m, ops, n, i, F_CTX, 1, NULL, 0);
		break;
	case VMAFUZZ_OP_FAIL:
	case VMAFUZZ_OP_MAX_MAP_COUNT:
		changed |= shrink(m, ops, n, i, F_COUNT, 1, NULL, 0);
		break;
	case VMAFUZZ_OP_NAME: {
		size_t len = strlen(op->name);

		/* One character, else one fewer at a time. */
		while (len > 1) {
			struct vmafuzz_op cand = *op;

			cand.name[1] = '\0';
			if (try_op(m, ops, n, i, &cand)) {
				changed = true;
				break;
			}
			cand = *op;
			cand.name[len - 1] = '\0';
			if (!try_op(m, ops, n, i, &cand))
				break;
			changed = true;
			len--;
		}
		break;
	}
	default:
		break;
	}
	return changed;
}

/*
 * Move every address of the sequence down by the same amount at once: the
 * lowest address first, then half of it, and so on. Operations that only
 * fail together (an mmap and the mremap of what it mapped) cannot move one
 * at a time.
 */
static bool shift_all(struct vmafuzz_minimize *m, struct vmafuzz_op *ops, unsigned int n)
{
	struct vmafuzz_op cand[VMAFUZZ_DECODE_MAX_OPS];
	bool changed = false, again = true;
	unsigned int i;

	while (again) {
		uint32_t low = UINT32_MAX, d;

		again = false;
		for (i = 0; i < n; i++) {
			if (vmafuzz_op_has_addr(ops[i].op))
				low = ops[i].addr < low ? ops[i].addr : low;
			if (ops[i].op == VMAFUZZ_OP_MREMAP && (ops[i].flags & VMAFUZZ_MREMAP_FIXED))
				low = ops[i].newaddr < low ? ops[i].newaddr : low;
		}
		if (low == UINT32_MAX || !low)
			break;
		for (d = low; d >= 1 && !again; d /= 2) {
			memcpy(cand, ops, n * sizeof(*ops));
			for (i = 0; i < n; i++) {
				if (vmafuzz_op_has_addr(cand[i].op))
					cand[i].addr -= d;
				if (cand[i].op == VMAFUZZ_OP_MREMAP &&
				    (cand[i].flags & VMAFUZZ_MREMAP_FIXED))
					cand[i].newaddr -= d;
			}
			if (still_fails(m, cand, n)) {
				memcpy(ops, cand, n * sizeof(*ops));
				changed = again = true;
			}
		}
	}
	return changed;
}

int vmafuzz_minimize(struct vmafuzz_minimize *m, struct vmafuzz_op *ops, unsigned int *n)
{
	bool changed = true;
	unsigned int i;

	vmafuzz_outcome(m, ops, *n, m->check, NULL);
	if (!m->check[0])
		return -1;
	while (changed) {
		changed = remove_ops(m, ops, n);
		changed |= shift_all(m, ops, *n);
		for (i = 0; i < *n; i++)
			changed |= simplify_op(m, ops, *n, i);
	}
	return 0;
}
