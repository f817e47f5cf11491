// SPDX-License-Identifier: GPL-2.0
/*
 * The lockstep runner (lockstep.h): every statement of a script goes to every
 * target in turn, and after each operation the oracle compares the results,
 * the canonical layouts and the targets' own invariants. The script's
 * expectations are checked against each target. The first failure is reported
 * with the op trace as a pasteable script and both layouts side by side.
 *
 * Each kind of failure has a report function of its own: with abort_on_fail
 * (the fuzz harnesses) each aborts at its own site, so the fuzzer's crash
 * deduplication keeps a return-code divergence apart from a broken invariant.
 */
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "vmafuzz/lockstep.h"
#include "vmafuzz/pagemodel.h"

const char *const vmafuzz_check_names[VMAFUZZ_CHECK_NR] = {
#define X(e, s) [VMAFUZZ_CHECK_BIT_##e] = s,
	VMAFUZZ_CHECKS(X)
#undef X
};

int vmafuzz_checks_parse(const char *list, unsigned int *checks, const char **bad)
{
	static char bad_name[64];
	unsigned int on = 0;

	if (!list || !*list) {
		*checks = VMAFUZZ_CHECK_ALL;
		return 0;
	}
	while (*list) {
		size_t n = strcspn(list, ",");
		unsigned int i;

		for (i = 0; n && i < VMAFUZZ_CHECK_NR; i++) {
			if (strlen(vmafuzz_check_names[i]) == n &&
			    !memcmp(vmafuzz_check_names[i], list, n))
				break;
		}
		if (n && i == VMAFUZZ_CHECK_NR) {
			if (n >= sizeof(bad_name))
				n = sizeof(bad_name) - 1;
			memcpy(bad_name, list, n);
			bad_name[n] = '\0';
			if (bad)
				*bad = bad_name;
			return -1;
		}
		if (n)
			on |= 1u << i;
		list += n;
		if (*list == ',')
			list++;
	}
	*checks = on;
	return 0;
}

int vmafuzz_checks_from_env(unsigned int *checks, const char **bad)
{
	return vmafuzz_checks_parse(getenv("VMAFUZZ_ORACLES"), checks, bad);
}

/* --------------------------------------------------------------- the state */

struct trace_entry {
	const struct vmafuzz_stmt *st;
	int ret[VMAFUZZ_LOCKSTEP_MAX_TARGETS];
};

struct lockstep {
	const struct vmafuzz_lockstep_opts *o;
	const char *path;
	unsigned int nt;
	struct vmafuzz_target *t[VMAFUZZ_LOCKSTEP_MAX_TARGETS];
	struct vmafuzz_layout l[VMAFUZZ_LOCKSTEP_MAX_TARGETS];
	bool fresh; /* l[] describe the targets' current state */
	FILE *out, *err;
	/* Check 4: the page model, and target 0's layout before the current op. */
	struct vmafuzz_pagemodel *pm;
	struct vmafuzz_layout pre;
	/* Every op applied so far, with each target's result. */
	struct trace_entry *trace;
	unsigned int nr_trace, cap_trace;
};

static const char *tname(const struct lockstep *ls, unsigned int i)
{
	return ls->o->targets[i]->name;
}

static void refresh_layouts(struct lockstep *ls)
{
	unsigned int i;

	if (ls->fresh)
		return;
	for (i = 0; i < ls->nt; i++) {
		vmafuzz_layout_clear(&ls->l[i]);
		ls->o->targets[i]->layout(ls->t[i], &ls->l[i]);
	}
	ls->fresh = true;
}

static struct trace_entry *trace_push(struct lockstep *ls, const struct vmafuzz_stmt *st)
{
	struct trace_entry *e;

	if (ls->nr_trace == ls->cap_trace) {
		unsigned int cap = ls->cap_trace ? 2 * ls->cap_trace : 64;

		e = realloc(ls->trace, (size_t)cap * sizeof(*e));
		if (!e) {
			fputs("vmafuzz: out of memory\n", stderr);
			abort();
		}
		ls->trace = e;
		ls->cap_trace = cap;
	}
	e = &ls->trace[ls->nr_trace++];
	memset(e, 0, sizeof(*e));
	e->st = st;
	return e;
}

/* "ENOMEM", or the number when a broken target returned no errno. */
static const char *result_name(int r, char *buf, size_t sz)
{
	const char *name = vmafuzz_errno_name(r);

	if (name)
		return name;
	snprintf(buf, sz, "%d", r);
	return buf;
}

/* ---------------------------------------------------------------- reports */

/* The statement as the report's first line shows it. */
static void format_stmt(char *buf, size_t sz, const struct vmafuzz_stmt *st,
			const struct vmafuzz_expect_line *el)
{
	char rb[16];
	int n;

	switch (st->type) {
	case VMAFUZZ_STMT_OP:
		n = vmafuzz_op_format(buf, sz, &st->op);
		if (st->has_result && n >= 0 && (size_t)n < sz)
			snprintf(buf + n, sz - (size_t)n, " => %s",
				 result_name(st->result, rb, sizeof(rb)));
		break;
	case VMAFUZZ_STMT_EXPECT:
		if (el)
			vmafuzz_lvma_format_keys(buf, sz, &el->v, el->mask);
		else
			snprintf(buf, sz, "expect");
		break;
	case VMAFUZZ_STMT_COUNTERS:
		vmafuzz_counters_format_keys(buf, sz, &st->counters, st->counters_mask);
		break;
	}
}

/* The ops so far as a script: agreed results as "=> X", divergent ones as a comment. */
static void print_trace(struct lockstep *ls)
{
	char buf[VMAFUZZ_LINE_MAX], rb[16];
	unsigned int i, k;

	fprintf(ls->err, "# the operations so far, as a script:\n");
	for (i = 0; i < ls->nr_trace; i++) {
		const struct trace_entry *e = &ls->trace[i];
		bool agree = true;

		for (k = 1; k < ls->nt; k++)
			agree &= e->ret[k] == e->ret[0];
		vmafuzz_op_format(buf, sizeof(buf), &e->st->op);
		fputs(buf, ls->err);
		if (agree) {
			fprintf(ls->err, " => %s\n", result_name(e->ret[0], rb, sizeof(rb)));
			continue;
		}
		fputs("  #", ls->err);
		for (k = 0; k < ls->nt; k++)
			fprintf(ls->err, "%s %s => %s", k ? "," : "", tname(ls, k),
				result_name(e->ret[k], rb, sizeof(rb)));
		fputc('\n', ls->err);
	}
}

/*
 * The common part of every report. line is the script line to name (an
 * expect block's own line when one line of it failed); other is the target to
 * show beside the first one.
 */
static void report(struct lockstep *ls, const char *check, const struct vmafuzz_stmt *st,
		   const struct vmafuzz_expect_line *el, unsigned int other, const char *reason)
{
	char buf[VMAFUZZ_LINE_MAX];

	format_stmt(buf, sizeof(buf), st, el);
	fprintf(ls->err, "%s:%u: check '%s' failed at: %s\n", ls->path, el ? el->line : st->line,
		check, buf);
	fprintf(ls->err, "  %s\n", reason);
	print_trace(ls);
	refresh_layouts(ls);
	fprintf(ls->err, "# the layouts after it:\n");
	if (ls->nt == 1) {
		fprintf(ls->err, "  %s\n", tname(ls, 0));
		vmafuzz_layout_print(ls->err, &ls->l[0], "  ");
	} else {
		if (!other || other >= ls->nt)
			other = 1;
		vmafuzz_layout_print_diff(ls->err, tname(ls, 0), &ls->l[0], tname(ls, other),
					  &ls->l[other]);
	}
	fflush(ls->err);
}

/* Each failed check reports through one of these, so that each aborts apart. */
static __attribute__((noinline)) int fail_ret(struct lockstep *ls, const struct vmafuzz_stmt *st,
					      unsigned int other, const char *reason)
{
	report(ls, "ret", st, NULL, other, reason);
	if (ls->o->abort_on_fail)
		abort();
	return 1;
}

static __attribute__((noinline)) int fail_result(struct lockstep *ls, const struct vmafuzz_stmt *st,
						 unsigned int other, const char *reason)
{
	report(ls, "ret", st, NULL, other, reason);
	if (ls->o->abort_on_fail)
		abort();
	return 1;
}

static __attribute__((noinline)) int fail_layout(struct lockstep *ls, const struct vmafuzz_stmt *st,
						 unsigned int other, const char *reason)
{
	report(ls, "layout", st, NULL, other, reason);
	if (ls->o->abort_on_fail)
		abort();
	return 1;
}

static __attribute__((noinline)) int fail_invariants(struct lockstep *ls,
						     const struct vmafuzz_stmt *st,
						     unsigned int other, const char *reason)
{
	report(ls, "invariants", st, NULL, other, reason);
	if (ls->o->abort_on_fail)
		abort();
	return 1;
}

static __attribute__((noinline)) int fail_pages(struct lockstep *ls, const struct vmafuzz_stmt *st,
						unsigned int other, const char *reason)
{
	report(ls, "pages", st, NULL, other, reason);
	if (ls->o->abort_on_fail)
		abort();
	return 1;
}

static __attribute__((noinline)) int fail_rmap(struct lockstep *ls, const struct vmafuzz_stmt *st,
					       unsigned int other, const char *reason)
{
	report(ls, "rmap", st, NULL, other, reason);
	if (ls->o->abort_on_fail)
		abort();
	return 1;
}

static __attribute__((noinline)) int fail_decision(struct lockstep *ls,
						   const struct vmafuzz_stmt *st,
						   unsigned int other, const char *reason)
{
	report(ls, "decision", st, NULL, other, reason);
	if (ls->o->abort_on_fail)
		abort();
	return 1;
}

static __attribute__((noinline)) int fail_expect(struct lockstep *ls, const struct vmafuzz_stmt *st,
						 const struct vmafuzz_expect_line *el,
						 unsigned int other, const char *reason)
{
	report(ls, "expect", st, el, other, reason);
	if (ls->o->abort_on_fail)
		abort();
	return 1;
}

/* ----------------------------------------------------------------- checks */

/* (1) every target returned the same. */
static int check_ret(struct lockstep *ls, const struct vmafuzz_stmt *st, const int *ret)
{
	char reason[256], rb[16];
	struct strbuf sb;
	unsigned int i, odd = 0;

	for (i = 1; i < ls->nt; i++) {
		if (ret[i] != ret[0]) {
			odd = i;
			break;
		}
	}
	if (!odd)
		return 0;
	sb_init(&sb, reason, sizeof(reason));
	for (i = 0; i < ls->nt; i++)
		sb_printf(&sb, "%s%s returned %s", i ? ", " : "", tname(ls, i),
			  result_name(ret[i], rb, sizeof(rb)));
	return fail_ret(ls, st, odd, reason);
}

/* (1b) every target returned what the script's "=> RESULT" says. */
static int check_result(struct lockstep *ls, const struct vmafuzz_stmt *st, const int *ret)
{
	char reason[256], rb[16], eb[16];
	unsigned int i;

	for (i = 0; i < ls->nt; i++) {
		if (ret[i] == st->result)
			continue;
		snprintf(reason, sizeof(reason), "%s returned %s, the script expects %s",
			 tname(ls, i), result_name(ret[i], rb, sizeof(rb)),
			 result_name(st->result, eb, sizeof(eb)));
		return fail_result(ls, st, i, reason);
	}
	return 0;
}

/* (2) every target's canonical layout and counters equal the first's. */
static int check_layout(struct lockstep *ls, const struct vmafuzz_stmt *st)
{
	char reason[256];
	unsigned int i;

	refresh_layouts(ls);
	for (i = 1; i < ls->nt; i++) {
		const struct vmafuzz_layout *a = &ls->l[0], *b = &ls->l[i];
		long d = vmafuzz_layout_diff(a, b);

		if (d < 0)
			continue;
		if ((unsigned long)d < a->nr && (unsigned long)d < b->nr)
			snprintf(reason, sizeof(reason), "%s and %s differ at VMA %ld (%u-%u)",
				 tname(ls, 0), tname(ls, i), d + 1, a->v[d].start, a->v[d].end);
		else if (a->nr != b->nr)
			snprintf(reason, sizeof(reason), "%s has %u VMAs, %s has %u", tname(ls, 0),
				 a->nr, tname(ls, i), b->nr);
		else
			snprintf(reason, sizeof(reason), "%s and %s differ in the counters",
				 tname(ls, 0), tname(ls, i));
		return fail_layout(ls, st, i, reason);
	}
	return 0;
}

/* (3) every target's own invariants hold. */
static int check_invariants(struct lockstep *ls, const struct vmafuzz_stmt *st)
{
	char msg[256], reason[320];
	unsigned int i;

	for (i = 0; i < ls->nt; i++) {
		msg[0] = '\0';
		if (!ls->o->targets[i]->check(ls->t[i], msg, sizeof(msg)))
			continue;
		snprintf(reason, sizeof(reason), "%s: %s", tname(ls, i),
			 msg[0] ? msg : "invariant broken (no message)");
		return fail_invariants(ls, st, i, reason);
	}
	return 0;
}

static void layout_copy(struct vmafuzz_layout *dst, const struct vmafuzz_layout *src)
{
	unsigned int i;

	vmafuzz_layout_clear(dst);
	for (i = 0; i < src->nr; i++)
		*vmafuzz_layout_push(dst) = src->v[i];
	dst->c = src->c;
}

/*
 * (4) the page model takes the op (the targets agreed on its result and
 * layout), then every target must show what it says of each page. The
 * layout after the op becomes the next op's "before".
 */
static int check_pages(struct lockstep *ls, const struct vmafuzz_stmt *st, int ret)
{
	char msg[512], reason[600];
	unsigned int i;
	int r = 0;

	refresh_layouts(ls);
	msg[0] = '\0';
	if (vmafuzz_pagemodel_apply(ls->pm, &st->op, ret, &ls->pre, &ls->l[0], ls->o->targets[0],
				    ls->t[0], msg, sizeof(msg))) {
		snprintf(reason, sizeof(reason), "%s: %s", tname(ls, 0),
			 msg[0] ? msg : "the page model cannot explain the outcome (no message)");
		r = fail_pages(ls, st, 0, reason);
	}
	for (i = 0; !r && i < ls->nt; i++) {
		int bad;

		msg[0] = '\0';
		/*
		 * The layout check, when on, has just shown every target's layout
		 * equal to the first's: comparing their attributes with the page
		 * model again would find what it found for the first.
		 */
		if (i && (ls->o->checks & VMAFUZZ_CHECK_LAYOUT))
			bad = vmafuzz_pagemodel_check_presence(ls->pm, &ls->l[i], ls->o->targets[i],
							       ls->t[i], msg, sizeof(msg));
		else
			bad = vmafuzz_pagemodel_check(ls->pm, &ls->l[i], ls->o->targets[i], ls->t[i],
						      msg, sizeof(msg));
		if (!bad)
			continue;
		snprintf(reason, sizeof(reason), "%s: %s", tname(ls, i),
			 msg[0] ? msg : "pages differ from the page model (no message)");
		r = fail_pages(ls, st, i, reason);
	}
	layout_copy(&ls->pre, &ls->l[0]);
	return r;
}

/* (5) every written private page is reachable through its VMA's anon_vma chain. */
static int check_rmap(struct lockstep *ls, const struct vmafuzz_stmt *st)
{
	char msg[256], reason[320];
	unsigned int i;

	for (i = 0; i < ls->nt; i++) {
		if (!ls->o->targets[i]->check_rmap)
			continue;
		msg[0] = '\0';
		if (!ls->o->targets[i]->check_rmap(ls->t[i], msg, sizeof(msg)))
			continue;
		snprintf(reason, sizeof(reason), "%s: %s", tname(ls, i),
			 msg[0] ? msg : "rmap broken (no message)");
		return fail_rmap(ls, st, i, reason);
	}
	return 0;
}

/* (6) every vma_merge() took the case the independent case table predicts. */
static int check_decision(struct lockstep *ls, const struct vmafuzz_stmt *st)
{
	char msg[256], reason[320];
	unsigned int i;

	for (i = 0; i < ls->nt; i++) {
		if (!ls->o->targets[i]->check_decision)
			continue;
		msg[0] = '\0';
		if (!ls->o->targets[i]->check_decision(ls->t[i], msg, sizeof(msg)))
			continue;
		snprintf(reason, sizeof(reason), "%s: %s", tname(ls, i),
			 msg[0] ? msg : "wrong merge decision (no message)");
		return fail_decision(ls, st, i, reason);
	}
	return 0;
}

/* An expect block against each target's layout. */
static int check_expect(struct lockstep *ls, const struct vmafuzz_stmt *st)
{
	char reason[2 * VMAFUZZ_LINE_MAX], got[VMAFUZZ_LINE_MAX];
	unsigned int i, k;

	refresh_layouts(ls);
	for (i = 0; i < ls->nt; i++) {
		const struct vmafuzz_layout *l = &ls->l[i];
		unsigned int n = l->nr < st->nr_expect ? l->nr : st->nr_expect;

		for (k = 0; k < n; k++) {
			const struct vmafuzz_expect_line *el = &st->expect[k];

			if (vmafuzz_lvma_matches(&l->v[k], &el->v, el->mask))
				continue;
			vmafuzz_lvma_format(got, sizeof(got), &l->v[k]);
			snprintf(reason, sizeof(reason), "%s has VMA %u as %s", tname(ls, i), k + 1,
				 got);
			return fail_expect(ls, st, el, i, reason);
		}
		if (l->nr != st->nr_expect) {
			snprintf(reason, sizeof(reason),
				 "%s has %u VMAs, the expect block lists %u", tname(ls, i), l->nr,
				 st->nr_expect);
			return fail_expect(ls, st, NULL, i, reason);
		}
	}
	return 0;
}

/* expect-counters against each target's counters. */
static int check_counters(struct lockstep *ls, const struct vmafuzz_stmt *st)
{
	char reason[2 * VMAFUZZ_LINE_MAX], got[VMAFUZZ_LINE_MAX];
	unsigned int i;

	refresh_layouts(ls);
	for (i = 0; i < ls->nt; i++) {
		const struct vmafuzz_counters *c = &ls->l[i].c, *e = &st->counters;
		unsigned int m = st->counters_mask;

		if ((!(m & VMAFUZZ_CNT_MAP_COUNT) || c->map_count == e->map_count) &&
		    (!(m & VMAFUZZ_CNT_LOCKED_VM) || c->locked_vm == e->locked_vm) &&
		    (!(m & VMAFUZZ_CNT_TOTAL_VM) || c->total_vm == e->total_vm) &&
		    (!(m & VMAFUZZ_CNT_COMMITTED) || c->committed == e->committed))
			continue;
		vmafuzz_counters_format_keys(got, sizeof(got), c, m);
		/* Skip the "expect-counters" the line starts with. */
		snprintf(reason, sizeof(reason), "%s has%s", tname(ls, i),
			 got + strlen("expect-counters"));
		return fail_expect(ls, st, NULL, i, reason);
	}
	return 0;
}

/* ------------------------------------------------------------------ the run */

static void dump_op(struct lockstep *ls, const struct vmafuzz_stmt *st, int ret)
{
	char buf[VMAFUZZ_LINE_MAX], rb[16];

	vmafuzz_op_format(buf, sizeof(buf), &st->op);
	fprintf(ls->out, "%s => %s\n", buf, result_name(ret, rb, sizeof(rb)));
	refresh_layouts(ls);
	vmafuzz_layout_print(ls->out, &ls->l[0], NULL);
}

static int run_op(struct lockstep *ls, const struct vmafuzz_stmt *st)
{
	unsigned int checks = ls->o->checks;
	struct trace_entry *e;
	unsigned int i;

	if (st->op.op == VMAFUZZ_OP_DUMP) {
		refresh_layouts(ls);
		vmafuzz_layout_print(ls->out, &ls->l[0], NULL);
		return 0;
	}
	e = trace_push(ls, st);
	for (i = 0; i < ls->nt; i++)
		e->ret[i] = ls->o->targets[i]->apply(ls->t[i], &st->op);
	ls->fresh = false;

	if ((checks & VMAFUZZ_CHECK_RET) && check_ret(ls, st, e->ret))
		return 1;
	if (st->has_result && check_result(ls, st, e->ret))
		return 1;
	if ((checks & VMAFUZZ_CHECK_LAYOUT) && check_layout(ls, st))
		return 1;
	if ((checks & VMAFUZZ_CHECK_INVARIANTS) && check_invariants(ls, st))
		return 1;
	if ((checks & VMAFUZZ_CHECK_PAGES) && check_pages(ls, st, e->ret[0]))
		return 1;
	if ((checks & VMAFUZZ_CHECK_RMAP) && check_rmap(ls, st))
		return 1;
	if ((checks & VMAFUZZ_CHECK_DECISION) && check_decision(ls, st))
		return 1;
	if (ls->o->dump)
		dump_op(ls, st, e->ret[0]);
	return 0;
}

int vmafuzz_lockstep_run_script(const struct vmafuzz_script *s,
				const struct vmafuzz_lockstep_opts *o)
{
	struct lockstep ls = {
		.o = o,
		.path = s->path ? s->path : "<input>",
		.nt = o->nr_targets,
		.out = o->out ? o->out : stdout,
		.err = o->err ? o->err : stderr,
	};
	unsigned int i;
	int r = 0;

	if (!ls.nt || ls.nt > VMAFUZZ_LOCKSTEP_MAX_TARGETS) {
		fprintf(ls.err, "%s: cannot run on %u targets (1 to %d)\n", ls.path, ls.nt,
			VMAFUZZ_LOCKSTEP_MAX_TARGETS);
		return 1;
	}
	vmafuzz_layout_init(&ls.pre);
	if (o->checks & VMAFUZZ_CHECK_PAGES) {
		ls.pm = vmafuzz_pagemodel_new();
		if (!ls.pm) {
			fprintf(ls.err, "%s: page model: out of memory\n", ls.path);
			return 1;
		}
	}
	for (i = 0; i < ls.nt; i++) {
		vmafuzz_layout_init(&ls.l[i]);
		ls.t[i] = o->targets[i]->create();
		if (!ls.t[i]) {
			fprintf(ls.err, "%s: target %s: out of memory\n", ls.path, tname(&ls, i));
			r = 1;
			goto out;
		}
	}

	for (i = 0; i < s->nr && !r; i++) {
		const struct vmafuzz_stmt *st = &s->stmts[i];

		switch (st->type) {
		case VMAFUZZ_STMT_OP:
			r = run_op(&ls, st);
			break;
		case VMAFUZZ_STMT_EXPECT:
			if (o->dump)
				vmafuzz_stmt_print(ls.out, st);
			r = check_expect(&ls, st);
			break;
		case VMAFUZZ_STMT_COUNTERS:
			if (o->dump)
				vmafuzz_stmt_print(ls.out, st);
			r = check_counters(&ls, st);
			break;
		}
	}

out:
	for (i = 0; i < ls.nt; i++) {
		if (ls.t[i])
			o->targets[i]->destroy(ls.t[i]);
		vmafuzz_layout_fini(&ls.l[i]);
	}
	vmafuzz_pagemodel_free(ls.pm);
	vmafuzz_layout_fini(&ls.pre);
	free(ls.trace);
	return r;
}
