// SPDX-License-Identifier: GPL-2.0
/*
 * The .vma script (SCRIPT-FORMAT.md): parser, printer and the errno names.
 *
 * The parser reads any byte string: every malformed input ends in one
 * "FILE:LINE:COL: message" and an empty script, never in a crash or a leak
 * (it is fuzzed). The printer writes the canonical text of each statement,
 * which parses back to the same statement.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "vmafuzz/script.h"

/* ------------------------------------------------------------- errno names */

struct errno_name {
	const char *name;
	int err;
};

/*
 * Every name of Linux's asm-generic errno-base.h and errno.h, in number
 * order. The values are the host's, as the model returns them. (Kept by
 * hand: clang-format would put one name on a line.)
 */
/* clang-format off */
#define E(x) { #x, x }
static const struct errno_name errno_names[] = {
	E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO), E(E2BIG),
	E(ENOEXEC), E(EBADF), E(ECHILD), E(EAGAIN), E(ENOMEM), E(EACCES),
	E(EFAULT), E(ENOTBLK), E(EBUSY), E(EEXIST), E(EXDEV), E(ENODEV),
	E(ENOTDIR), E(EISDIR), E(EINVAL), E(ENFILE), E(EMFILE), E(ENOTTY),
	E(ETXTBSY), E(EFBIG), E(ENOSPC), E(ESPIPE), E(EROFS), E(EMLINK),
	E(EPIPE), E(EDOM), E(ERANGE),
	E(EDEADLK), E(ENAMETOOLONG), E(ENOLCK), E(ENOSYS), E(ENOTEMPTY),
	E(ELOOP), E(ENOMSG), E(EIDRM), E(ECHRNG), E(EL2NSYNC), E(EL3HLT),
	E(EL3RST), E(ELNRNG), E(EUNATCH), E(ENOCSI), E(EL2HLT), E(EBADE),
	E(EBADR), E(EXFULL), E(ENOANO), E(EBADRQC), E(EBADSLT), E(EBFONT),
	E(ENOSTR), E(ENODATA), E(ETIME), E(ENOSR), E(ENONET), E(ENOPKG),
	E(EREMOTE), E(ENOLINK), E(EADV), E(ESRMNT), E(ECOMM), E(EPROTO),
	E(EMULTIHOP), E(EDOTDOT), E(EBADMSG), E(EOVERFLOW), E(ENOTUNIQ),
	E(EBADFD), E(EREMCHG), E(ELIBACC), E(ELIBBAD), E(ELIBSCN), E(ELIBMAX),
	E(ELIBEXEC), E(EILSEQ), E(ERESTART), E(ESTRPIPE), E(EUSERS),
	E(ENOTSOCK), E(EDESTADDRREQ), E(EMSGSIZE), E(EPROTOTYPE),
	E(ENOPROTOOPT), E(EPROTONOSUPPORT), E(ESOCKTNOSUPPORT), E(EOPNOTSUPP),
	E(EPFNOSUPPORT), E(EAFNOSUPPORT), E(EADDRINUSE), E(EADDRNOTAVAIL),
	E(ENETDOWN), E(ENETUNREACH), E(ENETRESET), E(ECONNABORTED),
	E(ECONNRESET), E(ENOBUFS), E(EISCONN), E(ENOTCONN), E(ESHUTDOWN),
	E(ETOOMANYREFS), E(ETIMEDOUT), E(ECONNREFUSED), E(EHOSTDOWN),
	E(EHOSTUNREACH), E(EALREADY), E(EINPROGRESS), E(ESTALE), E(EUCLEAN),
	E(ENOTNAM), E(ENAVAIL), E(EISNAM), E(EREMOTEIO), E(EDQUOT),
	E(ENOMEDIUM), E(EMEDIUMTYPE), E(ECANCELED), E(ENOKEY), E(EKEYEXPIRED),
	E(EKEYREVOKED), E(EKEYREJECTED), E(EOWNERDEAD), E(ENOTRECOVERABLE),
	E(ERFKILL), E(EHWPOISON),
};
/* clang-format on */

/* Accepted on input only; the printer uses the canonical name. */
static const struct errno_name errno_aliases[] = {
	{ "EWOULDBLOCK", EAGAIN },
	{ "EDEADLOCK", EDEADLK },
	{ "ENOTSUP", EOPNOTSUPP },
};
#undef E

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const char *vmafuzz_errno_name(int err)
{
	size_t i;

	if (!err)
		return "0";
	for (i = 0; i < ARRAY_SIZE(errno_names); i++) {
		if (errno_names[i].err == -err)
			return errno_names[i].name;
	}
	return NULL;
}

static bool word_eq(const char *p, size_t n, const char *word)
{
	return strlen(word) == n && !memcmp(p, word, n);
}

static int errno_parse_n(const char *p, size_t n, int *err)
{
	size_t i;

	if (word_eq(p, n, "0")) {
		*err = 0;
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(errno_names); i++) {
		if (word_eq(p, n, errno_names[i].name)) {
			*err = -errno_names[i].err;
			return 0;
		}
	}
	for (i = 0; i < ARRAY_SIZE(errno_aliases); i++) {
		if (word_eq(p, n, errno_aliases[i].name)) {
			*err = -errno_aliases[i].err;
			return 0;
		}
	}
	return -1;
}

int vmafuzz_errno_parse(const char *name, int *err)
{
	return errno_parse_n(name, strlen(name), err);
}

/* ----------------------------------------------------------------- lexing */

struct tok {
	const char *p;
	size_t n;
	size_t col; /* 1-based byte column; one past the line when missing */
};

struct parser {
	const char *path;
	char *err;
	size_t errsz;
	struct vmafuzz_script *s;
	/* The current line: its bytes up to (not including) '\n' or "\r\n". */
	const char *line;
	size_t linelen;
	size_t cend; /* where tokens end: the first '#', else linelen */
	size_t pos;
	unsigned int lineno;
};

__attribute__((format(printf, 4, 5))) static int perr_at(struct parser *ps, unsigned int line,
							 size_t col, const char *fmt, ...)
{
	struct strbuf sb;
	va_list ap;
	size_t room;

	sb_init(&sb, ps->err, ps->errsz);
	sb_printf(&sb, "%s:%u:%zu: ", ps->path, line, col);
	room = sb.n < sb.sz ? sb.sz - sb.n : 0;
	if (room) {
		va_start(ap, fmt);
		vsnprintf(sb.buf + sb.n, room, fmt, ap);
		va_end(ap);
	}
	return -1;
}

#define perr(ps, col, ...) perr_at(ps, (ps)->lineno, col, __VA_ARGS__)

/*
 * A token as an error message shows it: at most 40 bytes, anything that is
 * not printable ASCII (or is a quote or backslash) escaped as \xNN.
 */
struct quoted {
	char s[4 * 40 + 4];
};

static const char *quote(struct quoted *q, const char *p, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < n && i < 40; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c < 0x20 || c >= 0x7f || c == '\'' || c == '\\')
			o += (size_t)snprintf(q->s + o, sizeof(q->s) - o, "\\x%02x", c);
		else
			q->s[o++] = (char)c;
	}
	if (i < n) {
		memcpy(q->s + o, "...", 3);
		o += 3;
	}
	q->s[o] = '\0';
	return q->s;
}

#define Q(t) quote(&(struct quoted){ { 0 } }, (t)->p, (t)->n)

static bool next_tok(struct parser *ps, struct tok *t)
{
	while (ps->pos < ps->cend && (ps->line[ps->pos] == ' ' || ps->line[ps->pos] == '\t'))
		ps->pos++;
	if (ps->pos >= ps->cend) {
		t->p = NULL;
		t->n = 0;
		t->col = ps->linelen + 1;
		return false;
	}
	t->p = ps->line + ps->pos;
	t->col = ps->pos + 1;
	while (ps->pos < ps->cend && ps->line[ps->pos] != ' ' && ps->line[ps->pos] != '\t')
		ps->pos++;
	t->n = (size_t)(ps->line + ps->pos - t->p);
	return true;
}

static void unget_tok(struct parser *ps, const struct tok *t)
{
	ps->pos = t->col - 1;
}

static bool tok_is(const struct tok *t, const char *word)
{
	return word_eq(t->p, t->n, word);
}

/* The next token if it is an optional argument: not "=>" and not the end. */
static bool next_arg(struct parser *ps, struct tok *t)
{
	if (!next_tok(ps, t))
		return false;
	if (tok_is(t, "=>")) {
		unget_tok(ps, t);
		return false;
	}
	return true;
}

static int need_tok(struct parser *ps, struct tok *t, const char *what)
{
	if (next_arg(ps, t))
		return 0;
	return perr(ps, t->col, "expected %s", what);
}

/* ---------------------------------------------------------------- numbers */

enum {
	NUM_OK,
	NUM_BAD,
	NUM_UPPER_X,
	NUM_TOO_LARGE,
};

/* Decimal, or hex after a lower-case "0x" (either case of digit). */
static int parse_u64(const char *p, size_t n, uint64_t *out)
{
	unsigned int base = 10;
	uint64_t v = 0;
	size_t i = 0;

	if (n >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		if (p[1] == 'X')
			return NUM_UPPER_X;
		base = 16;
		i = 2;
	}
	if (i == n)
		return NUM_BAD;
	for (; i < n; i++) {
		unsigned int d;
		char c = p[i];

		if (c >= '0' && c <= '9')
			d = (unsigned int)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = (unsigned int)(c - 'a' + 10);
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = (unsigned int)(c - 'A' + 10);
		else
			return NUM_BAD;
		if (v > (UINT64_MAX - d) / base)
			return NUM_TOO_LARGE;
		v = v * base + d;
	}
	*out = v;
	return NUM_OK;
}

/*
 * The number at p (n bytes), part of the token that starts at col; what names
 * it in messages ("LEN", "pgoff").
 */
static int num_part(struct parser *ps, const char *p, size_t n, size_t col, const char *what,
		    uint64_t *v)
{
	struct quoted q;

	switch (parse_u64(p, n, v)) {
	case NUM_OK:
		return 0;
	case NUM_UPPER_X:
		return perr(ps, col, "bad number '%s' for %s: hex starts with a lower-case 0x",
			    quote(&q, p, n), what);
	case NUM_TOO_LARGE:
		return perr(ps, col, "number '%s' for %s is too large", quote(&q, p, n), what);
	default:
		return perr(ps, col, "expected a number for %s, found '%s'", what, quote(&q, p, n));
	}
}

static int need_num(struct parser *ps, const char *what, uint64_t *v, struct tok *t)
{
	if (need_tok(ps, t, what))
		return -1;
	return num_part(ps, t->p, t->n, t->col, what, v);
}

static int check_addr(struct parser *ps, uint64_t v, size_t col)
{
	if (v >= VMAFUZZ_WINDOW_PAGES)
		return perr(ps, col, "address %llu is outside the window (2^20 pages)",
			    (unsigned long long)v);
	return 0;
}

static int check_range(struct parser *ps, uint64_t addr, uint64_t len, size_t col)
{
	if (addr >= VMAFUZZ_WINDOW_PAGES || len > VMAFUZZ_WINDOW_PAGES - addr)
		return perr(ps, col, "range %llu+%llu is outside the window (2^20 pages)",
			    (unsigned long long)addr, (unsigned long long)len);
	return 0;
}

static int need_addr(struct parser *ps, const char *what, uint32_t *out)
{
	struct tok t;
	uint64_t v;

	if (need_num(ps, what, &v, &t) || check_addr(ps, v, t.col))
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* A length whose range from addr must lie inside the window. */
static int need_len(struct parser *ps, const char *what, uint32_t addr, uint32_t *out)
{
	struct tok t;
	uint64_t v;

	if (need_num(ps, what, &v, &t) || check_range(ps, addr, v, t.col))
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* A number in [lo, hi]; what names it in messages. */
static int need_bounded(struct parser *ps, const char *what, uint64_t lo, uint64_t hi,
			uint32_t *out)
{
	struct tok t;
	uint64_t v;

	if (need_num(ps, what, &v, &t))
		return -1;
	if (v < lo && hi == UINT32_MAX)
		return perr(ps, t.col, "%s must be at least %llu", what, (unsigned long long)lo);
	if (v < lo || v > hi)
		return perr(ps, t.col, "%s %llu is out of range (%llu-%llu)", what,
			    (unsigned long long)v, (unsigned long long)lo, (unsigned long long)hi);
	*out = (uint32_t)v;
	return 0;
}

/* ------------------------------------------------------------- arguments */

static int prot_part(const char *p, size_t n, uint8_t *prot)
{
	if (n != 3 || (p[0] != 'r' && p[0] != '-') || (p[1] != 'w' && p[1] != '-') ||
	    (p[2] != 'x' && p[2] != '-'))
		return -1;
	*prot = (uint8_t)((p[0] == 'r' ? VMAFUZZ_PROT_READ : 0) |
			  (p[1] == 'w' ? VMAFUZZ_PROT_WRITE : 0) |
			  (p[2] == 'x' ? VMAFUZZ_PROT_EXEC : 0));
	return 0;
}

static int need_prot(struct parser *ps, uint8_t *prot)
{
	struct tok t;

	if (need_tok(ps, &t, "PROT like rw- or r-x"))
		return -1;
	if (prot_part(t.p, t.n, prot))
		return perr(ps, t.col, "expected PROT like rw- or r-x, found '%s'", Q(&t));
	return 0;
}

/* One word of a name table (op.h); choices lists them for the message. */
static int need_word(struct parser *ps, const char *what, const char *const *names, unsigned int nr,
		     const char *choices, uint8_t *out)
{
	struct tok t;
	unsigned int i;

	if (need_tok(ps, &t, what))
		return -1;
	for (i = 0; i < nr; i++) {
		if (tok_is(&t, names[i])) {
			*out = (uint8_t)i;
			return 0;
		}
	}
	return perr(ps, t.col, "unknown %s '%s' (expected %s)", what, Q(&t), choices);
}

/*
 * NAME: 1 to 32 of [A-Za-z0-9_.-], or "-" alone for none. Used by the name
 * statement and the name= key; col is where the value starts.
 */
static int name_part(struct parser *ps, const char *p, size_t n, size_t col,
		     char out[VMAFUZZ_NAME_MAX + 1])
{
	struct quoted q;
	size_t i;

	if (word_eq(p, n, "-")) {
		out[0] = '\0';
		return 0;
	}
	if (!n)
		return perr(ps, col, "expected a NAME or -");
	if (n > VMAFUZZ_NAME_MAX)
		return perr(ps, col, "name '%s' is too long (%zu bytes, at most %d)",
			    quote(&q, p, n), n, VMAFUZZ_NAME_MAX);
	for (i = 0; i < n; i++) {
		char c = p[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '-'))
			return perr(ps, col,
				    "bad character '%s' in name (allowed: A-Z a-z 0-9 _ . -)",
				    quote(&q, p + i, 1));
	}
	memcpy(out, p, n);
	out[n] = '\0';
	return 0;
}

#define KIND_CHOICES \
	"anon, shared-anon, file:F@PGOFF, shared-file:F@PGOFF, shm:F@PGOFF or device:F@PGOFF"

static int file_index(struct parser *ps, const char *p, size_t n, size_t col, uint8_t *file)
{
	uint64_t f;

	if (num_part(ps, p, n, col, "F", &f))
		return -1;
	if (f > VMAFUZZ_MAX_FILE)
		return perr(ps, col, "file index %llu is out of range (0-%d)",
			    (unsigned long long)f, VMAFUZZ_MAX_FILE);
	*file = (uint8_t)f;
	return 0;
}

static int need_kind(struct parser *ps, struct vmafuzz_op *op)
{
	const char *colon, *at;
	struct tok t;
	unsigned int k;

	if (need_tok(ps, &t, "KIND"))
		return -1;
	if (tok_is(&t, "anon") || tok_is(&t, "shared-anon")) {
		op->kind = tok_is(&t, "anon") ? VMAFUZZ_KIND_ANON : VMAFUZZ_KIND_SHARED_ANON;
		return 0;
	}
	colon = memchr(t.p, ':', t.n);
	for (k = VMAFUZZ_KIND_FILE; colon && k < VMAFUZZ_KIND_NR; k++) {
		if (word_eq(t.p, (size_t)(colon - t.p), vmafuzz_kind_names[k]))
			break;
	}
	if (!colon || k == VMAFUZZ_KIND_NR)
		return perr(ps, t.col, "unknown KIND '%s' (expected %s)", Q(&t), KIND_CHOICES);
	colon++;
	at = memchr(colon, '@', (size_t)(t.p + t.n - colon));
	if (!at)
		return perr(ps, t.col, "expected %s:F@PGOFF, found '%s'", vmafuzz_kind_names[k],
			    Q(&t));
	op->kind = (uint8_t)k;
	if (file_index(ps, colon, (size_t)(at - colon), t.col, &op->file))
		return -1;
	at++;
	return num_part(ps, at, (size_t)(t.p + t.n - at), t.col, "PGOFF", &op->pgoff);
}

/* An option word from a table of X(bit, "word"); each at most once. */
struct opt_word {
	unsigned int bit;
	const char *word;
};

static int opt_bit(struct parser *ps, const struct tok *t, const struct opt_word *opts, size_t nr,
		   const char *what, const char *choices, uint32_t *flags)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		if (!tok_is(t, opts[i].word))
			continue;
		if (*flags & opts[i].bit)
			return perr(ps, t->col, "duplicate option '%s'", opts[i].word);
		*flags |= opts[i].bit;
		return 0;
	}
	return perr(ps, t->col, "unknown %s option '%s' (expected %s)", what, Q(t), choices);
}

static const struct opt_word mmap_opts[] = {
#define X(e, s, v) { v, s },
	VMAFUZZ_MMAP_OPTS(X)
#undef X
};

static int parse_mmap(struct parser *ps, struct vmafuzz_op *op)
{
	struct tok t;

	if (need_addr(ps, "ADDR", &op->addr) || need_len(ps, "LEN", op->addr, &op->len) ||
	    need_prot(ps, &op->prot) || need_kind(ps, op))
		return -1;
	while (next_arg(ps, &t)) {
		if (opt_bit(ps, &t, mmap_opts, ARRAY_SIZE(mmap_opts), "mmap",
			    "noreplace, noreserve, locked, populate, stack or growsdown",
			    &op->flags))
			return -1;
	}
	return 0;
}

static int parse_mremap(struct parser *ps, struct vmafuzz_op *op)
{
	static const struct opt_word opts[] = {
		{ VMAFUZZ_MREMAP_MAYMOVE, "maymove" },
		{ VMAFUZZ_MREMAP_DONTUNMAP, "dontunmap" },
	};
	const char *choices = "maymove, fixed=NEW or dontunmap";
	struct tok t;

	if (need_addr(ps, "ADDR", &op->addr) || need_len(ps, "OLDLEN", op->addr, &op->len) ||
	    need_len(ps, "NEWLEN", op->addr, &op->newlen))
		return -1;
	while (next_arg(ps, &t)) {
		uint64_t v;

		if (t.n < 6 || memcmp(t.p, "fixed=", 6)) {
			if (opt_bit(ps, &t, opts, ARRAY_SIZE(opts), "mremap", choices, &op->flags))
				return -1;
			continue;
		}
		if (op->flags & VMAFUZZ_MREMAP_FIXED)
			return perr(ps, t.col, "duplicate option 'fixed='");
		if (num_part(ps, t.p + 6, t.n - 6, t.col, "fixed=NEW", &v) ||
		    check_addr(ps, v, t.col) || check_range(ps, v, op->newlen, t.col))
			return -1;
		op->newaddr = (uint32_t)v;
		op->flags |= VMAFUZZ_MREMAP_FIXED;
	}
	return 0;
}

static int parse_touch(struct parser *ps, struct vmafuzz_op *op)
{
	struct tok t;
	uint64_t v;

	if (need_addr(ps, "ADDR", &op->addr))
		return -1;
	op->len = 1;
	if (!next_arg(ps, &t))
		return 0;
	if (!tok_is(&t, "read")) {
		if (t.p[0] < '0' || t.p[0] > '9')
			return perr(ps, t.col, "expected LEN or 'read', found '%s'", Q(&t));
		if (num_part(ps, t.p, t.n, t.col, "LEN", &v) || check_range(ps, op->addr, v, t.col))
			return -1;
		op->len = (uint32_t)v;
		if (!next_arg(ps, &t))
			return 0;
	}
	if (!tok_is(&t, "read"))
		return perr(ps, t.col, "expected 'read', found '%s'", Q(&t));
	op->flags = 1;
	return 0;
}

static int parse_mlockall(struct parser *ps, struct vmafuzz_op *op)
{
	struct tok t;

	if (need_tok(ps, &t, "current, future or current+future"))
		return -1;
	if (tok_is(&t, "current"))
		op->flags = VMAFUZZ_MCL_CURRENT;
	else if (tok_is(&t, "future"))
		op->flags = VMAFUZZ_MCL_FUTURE;
	else if (tok_is(&t, "current+future"))
		op->flags = VMAFUZZ_MCL_CURRENT | VMAFUZZ_MCL_FUTURE;
	else
		return perr(
			ps, t.col,
			"unknown mlockall flags '%s' (expected current, future or current+future)",
			Q(&t));
	if (next_arg(ps, &t)) {
		if (!tok_is(&t, "onfault"))
			return perr(ps, t.col, "unknown mlockall option '%s' (expected onfault)",
				    Q(&t));
		op->flags |= VMAFUZZ_MCL_ONFAULT;
	}
	return 0;
}

static int parse_uffd_mode(struct parser *ps, struct vmafuzz_op *op)
{
	struct tok t;

	if (need_tok(ps, &t, "MODE"))
		return -1;
	if (tok_is(&t, "missing"))
		op->mode = VMAFUZZ_UFFD_MISSING;
	else if (tok_is(&t, "wp"))
		op->mode = VMAFUZZ_UFFD_WP;
	else if (tok_is(&t, "missing+wp"))
		op->mode = VMAFUZZ_UFFD_MISSING | VMAFUZZ_UFFD_WP;
	else
		return perr(ps, t.col, "unknown MODE '%s' (expected missing, wp or missing+wp)",
			    Q(&t));
	return 0;
}

#define ADVICE_CHOICES                                                          \
	"dontfork, dofork, dontdump, dodump, hugepage, nohugepage, mergeable, " \
	"unmergeable, wipeonfork, keeponfork, sequential, random or normal"
#define POLICY_CHOICES "default, bind, interleave, preferred or local"

static int need_ctx(struct parser *ps, struct vmafuzz_op *op)
{
	uint32_t ctx;

	if (need_bounded(ps, "CTX", 1, VMAFUZZ_MAX_CTX, &ctx))
		return -1;
	op->ctx = (uint8_t)ctx;
	return 0;
}

/* The arguments of op->op, after its word. */
static int parse_op_args(struct parser *ps, struct vmafuzz_op *op)
{
	struct tok t;

	switch (op->op) {
	case VMAFUZZ_OP_MMAP:
		return parse_mmap(ps, op);
	case VMAFUZZ_OP_MREMAP:
		return parse_mremap(ps, op);
	case VMAFUZZ_OP_TOUCH:
		return parse_touch(ps, op);
	case VMAFUZZ_OP_MLOCKALL:
		return parse_mlockall(ps, op);
	case VMAFUZZ_OP_UFFD_CLOSE:
		return need_ctx(ps, op);
	case VMAFUZZ_OP_BRK:
		return need_addr(ps, "PAGE", &op->addr);
	case VMAFUZZ_OP_FAIL:
		if (need_word(ps, "fail kind", vmafuzz_fail_names, VMAFUZZ_FAIL_NR,
			      "split, merge or alloc", &op->fail))
			return -1;
		return need_bounded(ps, "fail count", 1, UINT32_MAX, &op->count);
	case VMAFUZZ_OP_MAX_MAP_COUNT:
		return need_bounded(ps, "max-map-count", 1, VMAFUZZ_DEFAULT_MAX_MAP_COUNT,
				    &op->count);
	case VMAFUZZ_OP_MUNLOCKALL:
	case VMAFUZZ_OP_FORK:
	case VMAFUZZ_OP_DUMP:
		return 0;
	default:
		break;
	}

	/* The rest start with ADDR LEN. */
	if (need_addr(ps, "ADDR", &op->addr) || need_len(ps, "LEN", op->addr, &op->len))
		return -1;
	switch (op->op) {
	case VMAFUZZ_OP_MPROTECT:
		return need_prot(ps, &op->prot);
	case VMAFUZZ_OP_MADVISE:
		return need_word(ps, "ADVICE", vmafuzz_advice_names, VMAFUZZ_ADV_NR, ADVICE_CHOICES,
				 &op->advice);
	case VMAFUZZ_OP_MLOCK:
		if (next_arg(ps, &t)) {
			if (!tok_is(&t, "onfault"))
				return perr(ps, t.col,
					    "unknown mlock option '%s' (expected onfault)", Q(&t));
			op->flags = 1;
		}
		return 0;
	case VMAFUZZ_OP_MBIND:
		return need_word(ps, "POLICY", vmafuzz_policy_names, VMAFUZZ_POL_NR, POLICY_CHOICES,
				 &op->policy);
	case VMAFUZZ_OP_NAME:
		if (need_tok(ps, &t, "NAME or -"))
			return -1;
		return name_part(ps, t.p, t.n, t.col, op->name);
	case VMAFUZZ_OP_UFFD_REGISTER:
		return need_ctx(ps, op) || parse_uffd_mode(ps, op) ? -1 : 0;
	case VMAFUZZ_OP_UFFD_UNREGISTER:
		return need_ctx(ps, op);
	default:
		/* munmap, munlock, home-node: ADDR LEN only */
		return 0;
	}
}

/* ------------------------------------------------------------ statements */

static struct vmafuzz_stmt *push_stmt(struct parser *ps)
{
	struct vmafuzz_script *s = ps->s;
	struct vmafuzz_stmt *st;

	if (s->nr == s->cap) {
		unsigned int cap = s->cap ? 2 * s->cap : 32;

		st = cap > s->cap ? realloc(s->stmts, (size_t)cap * sizeof(*st)) : NULL;
		if (!st) {
			perr(ps, 1, "out of memory");
			return NULL;
		}
		s->stmts = st;
		s->cap = cap;
	}
	st = &s->stmts[s->nr++];
	memset(st, 0, sizeof(*st));
	st->line = ps->lineno;
	return st;
}

/* After a statement's arguments: an optional "=> RESULT", then nothing. */
static int parse_result(struct parser *ps, struct vmafuzz_stmt *st, const char *what)
{
	struct tok t, r;

	if (!next_tok(ps, &t))
		return 0;
	if (!tok_is(&t, "=>"))
		return perr(ps, t.col, "unexpected '%s' at the end of %s", Q(&t), what);
	if (st->type != VMAFUZZ_STMT_OP || st->op.op == VMAFUZZ_OP_DUMP)
		return perr(ps, t.col, "'%s' has no result to assert", what);
	if (!next_tok(ps, &r))
		return perr(ps, r.col, "expected a result (0 or an errno name) after '=>'");
	if (errno_parse_n(r.p, r.n, &st->result))
		return perr(ps, r.col,
			    "unknown result '%s' (expected 0 or an errno name like ENOMEM)", Q(&r));
	st->has_result = true;
	if (next_tok(ps, &t))
		return perr(ps, t.col, "unexpected '%s' after the result", Q(&t));
	return 0;
}

static int parse_op(struct parser *ps, enum vmafuzz_op_kind kind)
{
	struct vmafuzz_stmt *st = push_stmt(ps);

	if (!st)
		return -1;
	st->type = VMAFUZZ_STMT_OP;
	st->op.op = kind;
	if (parse_op_args(ps, &st->op))
		return -1;
	return parse_result(ps, st, vmafuzz_op_names[kind]);
}

/* X(bit, "key", field) */
#define COUNTER_KEYS(X)                                  \
	X(VMAFUZZ_CNT_MAP_COUNT, "map_count", map_count) \
	X(VMAFUZZ_CNT_LOCKED_VM, "locked_vm", locked_vm) \
	X(VMAFUZZ_CNT_TOTAL_VM, "total_vm", total_vm)    \
	X(VMAFUZZ_CNT_COMMITTED, "committed", committed)

static int parse_counters(struct parser *ps)
{
	struct vmafuzz_stmt *st = push_stmt(ps);
	struct tok t;

	if (!st)
		return -1;
	st->type = VMAFUZZ_STMT_COUNTERS;
	while (next_arg(ps, &t)) {
		const char *eq = memchr(t.p, '=', t.n);
		size_t klen = eq ? (size_t)(eq - t.p) : t.n;
		unsigned int bit = 0;
		int64_t *field = NULL;
		uint64_t v;

#define X(b, s, f)                       \
	if (word_eq(t.p, klen, s)) {     \
		bit = b;                 \
		field = &st->counters.f; \
	}
		COUNTER_KEYS(X)
#undef X
		if (!eq || !bit)
			return perr(
				ps, t.col,
				"unknown counter '%s' (expected map_count=N, locked_vm=N, total_vm=N or committed=N)",
				Q(&t));
		if (st->counters_mask & bit)
			return perr(ps, t.col, "duplicate counter '%.*s'", (int)klen, t.p);
		eq++;
		if (num_part(ps, eq, (size_t)(t.p + t.n - eq), t.col, "the counter", &v))
			return -1;
		if (v > INT64_MAX)
			return perr(ps, t.col, "counter value %llu is too large",
				    (unsigned long long)v);
		*field = (int64_t)v;
		st->counters_mask |= bit;
	}
	return parse_result(ps, st, "expect-counters");
}

/* ------------------------------------------------------------ expect lines */

/* file= -, F, shm:F.A, dev:F.A or zero:K */
static int file_value(struct parser *ps, const char *p, size_t n, size_t col,
		      struct vmafuzz_lvma *v)
{
	const char *dot, *num = p + 4, *end = p + n;
	struct quoted q;
	uint64_t k;

	if (word_eq(p, n, "-")) {
		v->obj = VMAFUZZ_OBJ_ANON;
		return 0;
	}
	if (n && p[0] >= '0' && p[0] <= '9') {
		v->obj = VMAFUZZ_OBJ_FILE;
		return file_index(ps, p, n, col, &v->file);
	}
	if (n > 5 && !memcmp(p, "zero:", 5)) {
		v->obj = VMAFUZZ_OBJ_ZERO;
		num = p + 5;
	} else if (n > 4 && !memcmp(p, "shm:", 4)) {
		v->obj = VMAFUZZ_OBJ_SHM;
	} else if (n > 4 && !memcmp(p, "dev:", 4)) {
		v->obj = VMAFUZZ_OBJ_DEV;
	} else {
		return perr(ps, col,
			    "bad file= value '%s' (expected -, F, shm:F.A, dev:F.A or zero:K)",
			    quote(&q, p, n));
	}
	if (v->obj != VMAFUZZ_OBJ_ZERO) {
		dot = memchr(num, '.', (size_t)(end - num));
		if (!dot)
			return perr(ps, col, "expected %.4sF.A, found '%s'", p, quote(&q, p, n));
		if (file_index(ps, num, (size_t)(dot - num), col, &v->file))
			return -1;
		num = dot + 1;
	}
	if (num_part(ps, num, (size_t)(end - num), col, "the instance", &k))
		return -1;
	if (k < 1 || k > UINT16_MAX)
		return perr(ps, col, "instance %llu is out of range (1-%u)", (unsigned long long)k,
			    UINT16_MAX);
	v->inst = (uint16_t)k;
	return 0;
}

static int flags_value(struct parser *ps, const char *p, size_t n, size_t col,
		       struct vmafuzz_lvma *v)
{
	const char *end = p + n;
	struct quoted q;

	/* "flags=" alone: none */
	while (n) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		size_t len = comma ? (size_t)(comma - p) : (size_t)(end - p);
		uint64_t bit = 0;

#define X(s, b)                 \
	if (word_eq(p, len, s)) \
		bit = b;
		VMAFUZZ_FLAG_NAMES(X)
#undef X
		if (!bit)
			return perr(
				ps, col,
				"unknown flag '%s' (expected gd um pf uw lo io sr rr dc de lf ac nr wf dd hg nh mg)",
				quote(&q, p, len));
		if (v->flags & bit)
			return perr(ps, col, "flag '%s' given twice", quote(&q, p, len));
		v->flags |= bit;
		if (!comma)
			break;
		p = comma + 1;
	}
	return 0;
}

static int av_value(struct parser *ps, const char *p, size_t n, size_t col, struct vmafuzz_lvma *v)
{
	uint64_t k;

	if (n && p[n - 1] == '+') {
		v->av_forked = true;
		n--;
	}
	if (num_part(ps, p, n, col, "av", &k))
		return -1;
	if (k > UINT16_MAX)
		return perr(ps, col, "av %llu is out of range (0-%u)", (unsigned long long)k,
			    UINT16_MAX);
	v->av = (uint16_t)k;
	return 0;
}

static int pol_value(struct parser *ps, const char *p, size_t n, size_t col, struct vmafuzz_lvma *v)
{
	struct quoted q;
	unsigned int i;

	if (n > 2 && !memcmp(p + n - 2, "@0", 2)) {
		v->pol_home = true;
		n -= 2;
	}
	for (i = 0; i < VMAFUZZ_POL_NR; i++) {
		if (word_eq(p, n, vmafuzz_policy_names[i])) {
			v->pol = (uint8_t)i;
			return 0;
		}
	}
	return perr(ps, col, "unknown policy '%s' (expected %s, optionally with @0)",
		    quote(&q, p, n), POLICY_CHOICES);
}

/* START-END */
static int range_value(struct parser *ps, const struct tok *t, struct vmafuzz_lvma *v)
{
	const char *dash = memchr(t->p, '-', t->n);
	uint64_t start, end;

	if (!dash || t->p[0] < '0' || t->p[0] > '9')
		return perr(ps, t->col, "expected START-END or 'end', found '%s'", Q(t));
	if (num_part(ps, t->p, (size_t)(dash - t->p), t->col, "START", &start) ||
	    num_part(ps, dash + 1, (size_t)(t->p + t->n - dash - 1), t->col, "END", &end) ||
	    check_addr(ps, start, t->col))
		return -1;
	if (end > VMAFUZZ_WINDOW_PAGES)
		return perr(ps, t->col, "range %s is outside the window (2^20 pages)", Q(t));
	if (start >= end)
		return perr(ps, t->col, "empty range %s (START must be below END)", Q(t));
	v->start = (uint32_t)start;
	v->end = (uint32_t)end;
	return 0;
}

static int perms_value(struct parser *ps, const struct tok *t, struct vmafuzz_lvma *v)
{
	uint8_t prot;

	if (t->n != 4 || prot_part(t->p, 3, &prot) || (t->p[3] != 'p' && t->p[3] != 's'))
		return perr(ps, t->col, "expected PERMS like rw-p or r--s, found '%s'", Q(t));
	if (prot & VMAFUZZ_PROT_READ)
		v->flags |= VMAFUZZ_VM_READ;
	if (prot & VMAFUZZ_PROT_WRITE)
		v->flags |= VMAFUZZ_VM_WRITE;
	if (prot & VMAFUZZ_PROT_EXEC)
		v->flags |= VMAFUZZ_VM_EXEC;
	if (t->p[3] == 's')
		v->flags |= VMAFUZZ_VM_MAYSHARE | VMAFUZZ_VM_SHARED;
	return 0;
}

static int parse_expect_line(struct parser *ps, struct vmafuzz_stmt *st, const struct tok *first)
{
	static const char *const keys[] = {
		"pgoff", "file", "av", "flags", "pol", "uffd", "name",
	};
	struct vmafuzz_expect_line *el;
	struct vmafuzz_lvma *v;
	struct tok t;

	if (st->nr_expect == UINT32_MAX / 2)
		return perr(ps, first->col, "too many expect lines");
	if (!(st->nr_expect & (st->nr_expect - 1))) {
		/* Capacity is the next power of two: grow at 0, 1, 2, 4, ... */
		unsigned int cap = st->nr_expect ? 2 * st->nr_expect : 1;

		el = realloc(st->expect, (size_t)cap * sizeof(*el));
		if (!el)
			return perr(ps, first->col, "out of memory");
		st->expect = el;
	}
	el = &st->expect[st->nr_expect];
	memset(el, 0, sizeof(*el));
	el->line = ps->lineno;
	v = &el->v;
	if (range_value(ps, first, v))
		return -1;
	if (st->nr_expect && v->start < st->expect[st->nr_expect - 1].v.end)
		return perr(ps, first->col, "range %s overlaps or precedes the line before (%u-%u)",
			    Q(first), st->expect[st->nr_expect - 1].v.start,
			    st->expect[st->nr_expect - 1].v.end);
	if (!next_tok(ps, &t))
		return perr(ps, t.col, "expected PERMS like rw-p or r--s");
	if (perms_value(ps, &t, v))
		return -1;

	while (next_tok(ps, &t)) {
		const char *eq = memchr(t.p, '=', t.n);
		size_t klen = eq ? (size_t)(eq - t.p) : 0;
		const char *val = eq ? eq + 1 : NULL;
		size_t vlen = eq ? (size_t)(t.p + t.n - val) : 0;
		unsigned int k, bit;
		uint64_t n;
		int r = 0;

		for (k = 0; eq && k < ARRAY_SIZE(keys); k++) {
			if (word_eq(t.p, klen, keys[k]))
				break;
		}
		if (!eq || k == ARRAY_SIZE(keys))
			return perr(
				ps, t.col,
				"unknown key '%s' (expected pgoff=, file=, av=, flags=, pol=, uffd= or name=)",
				Q(&t));
		bit = 1u << k;
		if (el->mask & bit)
			return perr(ps, t.col, "duplicate key '%s='", keys[k]);
		el->mask |= bit;
		switch (bit) {
		case VMAFUZZ_KEY_PGOFF:
			r = num_part(ps, val, vlen, t.col, "pgoff", &v->pgoff);
			break;
		case VMAFUZZ_KEY_FILE:
			r = file_value(ps, val, vlen, t.col, v);
			break;
		case VMAFUZZ_KEY_AV:
			r = av_value(ps, val, vlen, t.col, v);
			break;
		case VMAFUZZ_KEY_FLAGS:
			r = flags_value(ps, val, vlen, t.col, v);
			break;
		case VMAFUZZ_KEY_POL:
			r = pol_value(ps, val, vlen, t.col, v);
			break;
		case VMAFUZZ_KEY_UFFD:
			r = num_part(ps, val, vlen, t.col, "uffd", &n);
			if (!r && n > VMAFUZZ_MAX_CTX)
				r = perr(ps, t.col, "uffd %llu is out of range (0-%d)",
					 (unsigned long long)n, VMAFUZZ_MAX_CTX);
			if (!r)
				v->uffd = (uint8_t)n;
			break;
		case VMAFUZZ_KEY_NAME:
			r = name_part(ps, val, vlen, t.col, v->name);
			break;
		}
		if (r)
			return -1;
	}
	st->nr_expect++;
	return 0;
}

/* ------------------------------------------------------------- the script */

static bool is_statement_word(const struct tok *t)
{
	unsigned int i;

	for (i = 0; i < VMAFUZZ_OP_NR; i++) {
		if (tok_is(t, vmafuzz_op_names[i]))
			return true;
	}
	return tok_is(t, "expect") || tok_is(t, "expect-counters");
}

void vmafuzz_script_free(struct vmafuzz_script *s)
{
	unsigned int i;

	for (i = 0; i < s->nr; i++)
		free(s->stmts[i].expect);
	free(s->stmts);
	free(s->path);
	memset(s, 0, sizeof(*s));
}

static int parse_lines(struct parser *ps, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	/* The open expect block: its statement index, line and column. */
	long block = -1;
	unsigned int block_line = 0;
	size_t block_col = 0;
	struct tok t;

	for (ps->lineno = 1; p < end; ps->lineno++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *hash;
		unsigned int i;

		ps->line = p;
		ps->linelen = (size_t)((nl ? nl : end) - p);
		if (ps->linelen && p[ps->linelen - 1] == '\r')
			ps->linelen--;
		hash = memchr(p, '#', ps->linelen);
		ps->cend = hash ? (size_t)(hash - p) : ps->linelen;
		ps->pos = 0;
		p = nl ? nl + 1 : end;
		if (ps->lineno == UINT32_MAX)
			return perr(ps, 1, "too many lines");

		if (!next_tok(ps, &t))
			continue;

		if (block >= 0) {
			struct vmafuzz_stmt *st = &ps->s->stmts[block];

			if (tok_is(&t, "end")) {
				if (next_tok(ps, &t))
					return perr(ps, t.col, "unexpected '%s' after end", Q(&t));
				block = -1;
				continue;
			}
			if (is_statement_word(&t))
				return perr_at(
					ps, block_line, block_col,
					"expect block has no 'end' (line %u starts a new statement)",
					ps->lineno);
			if (parse_expect_line(ps, st, &t))
				return -1;
			continue;
		}

		if (tok_is(&t, "expect")) {
			struct vmafuzz_stmt *st = push_stmt(ps);

			if (!st)
				return -1;
			st->type = VMAFUZZ_STMT_EXPECT;
			if (parse_result(ps, st, "expect"))
				return -1;
			block = (long)ps->s->nr - 1;
			block_line = ps->lineno;
			block_col = t.col;
			continue;
		}
		if (tok_is(&t, "expect-counters")) {
			if (parse_counters(ps))
				return -1;
			continue;
		}
		if (tok_is(&t, "end"))
			return perr(ps, t.col, "'end' without 'expect'");
		for (i = 0; i < VMAFUZZ_OP_NR; i++) {
			if (tok_is(&t, vmafuzz_op_names[i]))
				break;
		}
		if (i == VMAFUZZ_OP_NR)
			return perr(ps, t.col, "unknown statement '%s'", Q(&t));
		if (parse_op(ps, (enum vmafuzz_op_kind)i))
			return -1;
	}
	if (block >= 0)
		return perr_at(ps, block_line, block_col, "expect block has no 'end'");
	return 0;
}

int vmafuzz_script_parse(struct vmafuzz_script *s, const char *path, const char *text, size_t len,
			 char *err, size_t errsz)
{
	struct parser ps = {
		.path = path ? path : "<input>",
		.err = err,
		.errsz = errsz,
		.s = s,
	};

	memset(s, 0, sizeof(*s));
	if (errsz)
		err[0] = '\0';
	if (parse_lines(&ps, text, len))
		goto fail;
	s->path = strdup(ps.path);
	if (!s->path) {
		perr(&ps, 1, "out of memory");
		goto fail;
	}
	return 0;
fail:
	vmafuzz_script_free(s);
	return -1;
}

int vmafuzz_script_load(struct vmafuzz_script *s, const char *path, char *err, size_t errsz)
{
	char *text = NULL;
	size_t len = 0, cap = 0;
	FILE *f;
	int r;

	memset(s, 0, sizeof(*s));
	f = fopen(path, "rb");
	if (!f)
		goto io_error;
	for (;;) {
		size_t got;

		if (len == cap) {
			char *t;

			cap = cap ? 2 * cap : 65536;
			t = realloc(text, cap);
			if (!t) {
				errno = ENOMEM;
				goto io_error;
			}
			text = t;
		}
		got = fread(text + len, 1, cap - len, f);
		len += got;
		if (got == 0) {
			if (ferror(f)) {
				errno = errno ? errno : EIO;
				goto io_error;
			}
			break;
		}
	}
	fclose(f);
	r = vmafuzz_script_parse(s, path, text ? text : "", len, err, errsz);
	free(text);
	return r;

io_error:
	snprintf(err, errsz, "%s: %s", path, strerror(errno));
	if (f)
		fclose(f);
	free(text);
	return -1;
}

/* --------------------------------------------------------------- printing */

static void format_prot(struct strbuf *sb, unsigned int prot)
{
	sb_printf(sb, " %c%c%c", prot & VMAFUZZ_PROT_READ ? 'r' : '-',
		  prot & VMAFUZZ_PROT_WRITE ? 'w' : '-', prot & VMAFUZZ_PROT_EXEC ? 'x' : '-');
}

/* names[i] for i < nr, else a marker that no parser accepts (a broken op). */
static const char *table_name(const char *const *names, unsigned int nr, unsigned int i)
{
	return i < nr ? names[i] : "?";
}

int vmafuzz_op_format(char *buf, size_t sz, const struct vmafuzz_op *op)
{
	struct strbuf sb;
	size_t i;

	sb_init(&sb, buf, sz);
	sb_printf(&sb, "%s", table_name(vmafuzz_op_names, VMAFUZZ_OP_NR, op->op));
	switch (op->op) {
	case VMAFUZZ_OP_MUNLOCKALL:
	case VMAFUZZ_OP_FORK:
	case VMAFUZZ_OP_DUMP:
		break;
	case VMAFUZZ_OP_UFFD_CLOSE:
		sb_printf(&sb, " %u", op->ctx);
		break;
	case VMAFUZZ_OP_BRK:
		sb_printf(&sb, " %u", op->addr);
		break;
	case VMAFUZZ_OP_FAIL:
		sb_printf(&sb, " %s %u", table_name(vmafuzz_fail_names, VMAFUZZ_FAIL_NR, op->fail),
			  op->count);
		break;
	case VMAFUZZ_OP_MAX_MAP_COUNT:
		sb_printf(&sb, " %u", op->count);
		break;
	case VMAFUZZ_OP_MLOCKALL:
		/* current+future is the only pair the syntax has, in this order. */
		sb_printf(&sb, " %s%s%s", op->flags & VMAFUZZ_MCL_CURRENT ? "current" : "",
			  (op->flags & (VMAFUZZ_MCL_CURRENT | VMAFUZZ_MCL_FUTURE)) ==
					  (VMAFUZZ_MCL_CURRENT | VMAFUZZ_MCL_FUTURE) ?
				  "+" :
				  "",
			  op->flags & VMAFUZZ_MCL_FUTURE ? "future" : "");
		if (op->flags & VMAFUZZ_MCL_ONFAULT)
			sb_printf(&sb, " onfault");
		break;
	case VMAFUZZ_OP_TOUCH:
		sb_printf(&sb, " %u %u%s", op->addr, op->len, op->flags & 1 ? " read" : "");
		break;
	case VMAFUZZ_OP_MREMAP:
		sb_printf(&sb, " %u %u %u", op->addr, op->len, op->newlen);
		if (op->flags & VMAFUZZ_MREMAP_MAYMOVE)
			sb_printf(&sb, " maymove");
		if (op->flags & VMAFUZZ_MREMAP_FIXED)
			sb_printf(&sb, " fixed=%u", op->newaddr);
		if (op->flags & VMAFUZZ_MREMAP_DONTUNMAP)
			sb_printf(&sb, " dontunmap");
		break;
	default:
		sb_printf(&sb, " %u %u", op->addr, op->len);
		break;
	}

	switch (op->op) {
	case VMAFUZZ_OP_MMAP:
		format_prot(&sb, op->prot);
		if (op->kind == VMAFUZZ_KIND_ANON || op->kind == VMAFUZZ_KIND_SHARED_ANON)
			sb_printf(&sb, " %s", vmafuzz_kind_names[op->kind]);
		else
			sb_printf(&sb, " %s:%u@%llu",
				  table_name(vmafuzz_kind_names, VMAFUZZ_KIND_NR, op->kind),
				  op->file, (unsigned long long)op->pgoff);
		for (i = 0; i < ARRAY_SIZE(mmap_opts); i++) {
			if (op->flags & mmap_opts[i].bit)
				sb_printf(&sb, " %s", mmap_opts[i].word);
		}
		break;
	case VMAFUZZ_OP_MPROTECT:
		format_prot(&sb, op->prot);
		break;
	case VMAFUZZ_OP_MADVISE:
		sb_printf(&sb, " %s", table_name(vmafuzz_advice_names, VMAFUZZ_ADV_NR, op->advice));
		break;
	case VMAFUZZ_OP_MLOCK:
		if (op->flags & 1)
			sb_printf(&sb, " onfault");
		break;
	case VMAFUZZ_OP_MBIND:
		sb_printf(&sb, " %s", table_name(vmafuzz_policy_names, VMAFUZZ_POL_NR, op->policy));
		break;
	case VMAFUZZ_OP_NAME:
		/* %.*s: a broken op's name may lack its NUL. */
		sb_printf(&sb, " %.*s", VMAFUZZ_NAME_MAX, op->name[0] ? op->name : "-");
		break;
	case VMAFUZZ_OP_UFFD_REGISTER:
		sb_printf(&sb, " %u %s", op->ctx,
			  op->mode == VMAFUZZ_UFFD_MISSING		       ? "missing" :
			  op->mode == VMAFUZZ_UFFD_WP			       ? "wp" :
			  op->mode == (VMAFUZZ_UFFD_MISSING | VMAFUZZ_UFFD_WP) ? "missing+wp" :
										 "?");
		break;
	case VMAFUZZ_OP_UFFD_UNREGISTER:
		sb_printf(&sb, " %u", op->ctx);
		break;
	default:
		break;
	}
	return sb_len(&sb);
}

static void print_result(FILE *f, int result)
{
	const char *name = vmafuzz_errno_name(result);

	if (name)
		fprintf(f, " => %s", name);
	else
		fprintf(f, " # result %d is no errno name", result);
}

void vmafuzz_stmt_print(FILE *f, const struct vmafuzz_stmt *st)
{
	char buf[VMAFUZZ_LINE_MAX];
	unsigned int i;

	switch (st->type) {
	case VMAFUZZ_STMT_OP:
		vmafuzz_op_format(buf, sizeof(buf), &st->op);
		fputs(buf, f);
		if (st->has_result)
			print_result(f, st->result);
		fputc('\n', f);
		break;
	case VMAFUZZ_STMT_EXPECT:
		fputs("expect\n", f);
		for (i = 0; i < st->nr_expect; i++) {
			vmafuzz_lvma_format_keys(buf, sizeof(buf), &st->expect[i].v,
						 st->expect[i].mask);
			fprintf(f, "%s\n", buf);
		}
		fputs("end\n", f);
		break;
	case VMAFUZZ_STMT_COUNTERS:
		vmafuzz_counters_format_keys(buf, sizeof(buf), &st->counters, st->counters_mask);
		fprintf(f, "%s\n", buf);
		break;
	}
}

void vmafuzz_script_print(FILE *f, const struct vmafuzz_script *s)
{
	unsigned int i;

	for (i = 0; i < s->nr; i++)
		vmafuzz_stmt_print(f, &s->stmts[i]);
}
