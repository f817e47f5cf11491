// SPDX-License-Identifier: GPL-2.0
/*
 * The byte decoder and its inverse (docs/BYTE-FORMAT.md is the normative
 * description; keep the two in step).
 *
 * An input is a sequence of 8-byte records. A record's first byte selects the
 * operation and its form: the dense form packs small arguments (pages 0-63 or
 * 0x80000-0x8003f, lengths 1-16) into the record's other seven bytes, so that
 * random bytes make neighbouring ranges collide and merge; the wide form
 * reads full-width fields from a bit stream over those bytes and a fixed
 * number of following records, so every argument a script can write has an
 * encoding. Because the number of records an operation takes depends on its
 * first byte only, a mutation of any other byte changes one operation and
 * leaves every later one where it was.
 */
#include <string.h>

#include "vmafuzz/decode.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define WINDOW	      VMAFUZZ_WINDOW_PAGES

/* ------------------------------------------------------------ kind byte */

/*
 * The dense forms share kind bytes 0x00-0xef in proportion to these weights
 * (in this order, each a contiguous range), weighted towards the operations
 * that decide merges. Their sum is 240.
 */
#define DENSE_KINDS(X)        \
	X(MMAP, 32)           \
	X(MUNMAP, 12)         \
	X(MPROTECT, 24)       \
	X(MADVISE, 20)        \
	X(MLOCK, 14)          \
	X(MUNLOCK, 8)         \
	X(MLOCKALL, 4)        \
	X(MUNLOCKALL, 2)      \
	X(MBIND, 16)          \
	X(HOME_NODE, 6)       \
	X(NAME, 16)           \
	X(UFFD_REGISTER, 14)  \
	X(UFFD_UNREGISTER, 8) \
	X(UFFD_CLOSE, 6)      \
	X(MREMAP, 20)         \
	X(BRK, 6)             \
	X(TOUCH, 16)          \
	X(FORK, 6)            \
	X(FAIL, 8)            \
	X(MAX_MAP_COUNT, 2)

/*
 * The wide forms: kind bytes 0xf0-0xff, one each, in this order, with the
 * number of records that follow the kind record. Operations without
 * arguments beyond the dense form's reach (mlockall, munlockall, uffd-close,
 * fork) have none.
 */
#define WIDE_KINDS(X)         \
	X(MMAP, 1)            \
	X(MUNMAP, 0)          \
	X(MPROTECT, 0)        \
	X(MADVISE, 0)         \
	X(MLOCK, 0)           \
	X(MUNLOCK, 0)         \
	X(MBIND, 0)           \
	X(HOME_NODE, 0)       \
	X(NAME, 4)            \
	X(UFFD_REGISTER, 0)   \
	X(UFFD_UNREGISTER, 0) \
	X(MREMAP, 1)          \
	X(BRK, 0)             \
	X(TOUCH, 0)           \
	X(FAIL, 0)            \
	X(MAX_MAP_COUNT, 0)

#define WIDE_FIRST 0xf0

static const struct {
	enum vmafuzz_op_kind op;
	unsigned int weight;
} dense_kinds[] = {
#define X(e, w) { VMAFUZZ_OP_##e, w },
	DENSE_KINDS(X)
#undef X
};

static const struct {
	enum vmafuzz_op_kind op;
	unsigned int ext;
} wide_kinds[] = {
#define X(e, n) { VMAFUZZ_OP_##e, n },
	WIDE_KINDS(X)
#undef X
};

_Static_assert(0
#define X(e, w) +w
		       DENSE_KINDS(X)
#undef X
		       == WIDE_FIRST,
	       "the dense weights must fill kind bytes 0x00-0xef");
_Static_assert(WIDE_FIRST + ARRAY_SIZE(wide_kinds) == 256,
	       "the wide forms must fill kind bytes 0xf0-0xff");

struct form {
	enum vmafuzz_op_kind op;
	bool wide;
	unsigned int ext; /* records after the kind record */
};

static struct form form_of(uint8_t k)
{
	struct form f = { 0 };
	unsigned int i, first = 0;

	if (k >= WIDE_FIRST) {
		f.op = wide_kinds[k - WIDE_FIRST].op;
		f.wide = true;
		f.ext = wide_kinds[k - WIDE_FIRST].ext;
		return f;
	}
	for (i = 0; i < ARRAY_SIZE(dense_kinds); i++) {
		first += dense_kinds[i].weight;
		if (k < first)
			break;
	}
	f.op = dense_kinds[i].op;
	return f;
}

/* The canonical kind byte of a form: the first of its range. */
static int kind_byte(enum vmafuzz_op_kind op, bool wide, unsigned int *ext)
{
	unsigned int i, first = 0;

	if (wide) {
		for (i = 0; i < ARRAY_SIZE(wide_kinds); i++) {
			if (wide_kinds[i].op == op) {
				*ext = wide_kinds[i].ext;
				return (int)(WIDE_FIRST + i);
			}
		}
		return -1;
	}
	*ext = 0;
	for (i = 0; i < ARRAY_SIZE(dense_kinds); i++) {
		if (dense_kinds[i].op == op)
			return (int)first;
		first += dense_kinds[i].weight;
	}
	return -1;
}

/* -------------------------------------------------- small value tables */

/* Dense mmap KIND, from 3 bits: anon and file twice as likely. */
static const uint8_t dense_mmap_kinds[8] = {
	VMAFUZZ_KIND_ANON,	  VMAFUZZ_KIND_ANON,	    VMAFUZZ_KIND_FILE, VMAFUZZ_KIND_FILE,
	VMAFUZZ_KIND_SHARED_ANON, VMAFUZZ_KIND_SHARED_FILE, VMAFUZZ_KIND_SHM,  VMAFUZZ_KIND_DEVICE,
};

/* Dense NAME, from 2 bits: few names, so equal names meet and merge. */
static const char *const dense_names[4] = { "", "a", "b", "c" };

/* A wide name's characters, one byte each, modulo 65. */
static const char name_chars[] = "abcdefghijklmnopqrstuvwxyz"
				 "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				 "0123456789_.-";
#define NAME_CHARS (sizeof(name_chars) - 1)

/* The high dense region: where mremap places a moved mapping. */
#define HIGH_BASE 0x80000u

static uint32_t dense_addr(uint8_t b)
{
	return (b & 0x3fu) + ((b & 0xc0) == 0xc0 ? HIGH_BASE : 0);
}

static bool dense_addr_ok(uint32_t a)
{
	return a < 64 || (a >= HIGH_BASE && a < HIGH_BASE + 64);
}

static uint8_t dense_addr_byte(uint32_t a)
{
	return (uint8_t)(a < 64 ? a : 0xc0 | (a - HIGH_BASE));
}

static uint32_t dense_len(uint8_t b)
{
	return 1 + (b & 15u);
}

static bool dense_len_ok(uint32_t l)
{
	return l >= 1 && l <= 16;
}

static bool has_file(uint8_t kind)
{
	return kind != VMAFUZZ_KIND_ANON && kind != VMAFUZZ_KIND_SHARED_ANON;
}

static uint32_t min_u32(uint64_t a, uint32_t b)
{
	return a < b ? (uint32_t)a : b;
}

/* --------------------------------------------------------- dense forms */

/*
 * p[0..6] are the record's bytes 1-7 (called b1-b7 in BYTE-FORMAT.md). Most
 * operations start with ADDR in b1 and LEN in b2.
 */
static void decode_dense(struct vmafuzz_op *op, const uint8_t *p)
{
	uint32_t addr = dense_addr(p[0]), len = dense_len(p[1]);

	switch (op->op) {
	case VMAFUZZ_OP_MMAP:
		op->addr = addr;
		op->len = len;
		op->prot = p[2] & 7;
		op->kind = dense_mmap_kinds[(p[2] >> 3) & 7];
		if (has_file(op->kind)) {
			op->file = p[3] & 7;
			/* pgoff 0-15, or ADDR+0-15 where mappings line up to merge */
			op->pgoff = (p[4] & 15u) + (p[4] & 0x10 ? addr : 0);
		}
		op->flags = p[5] & 0x3fu;
		break;
	case VMAFUZZ_OP_MUNMAP:
	case VMAFUZZ_OP_MUNLOCK:
	case VMAFUZZ_OP_HOME_NODE:
		op->addr = addr;
		op->len = len;
		break;
	case VMAFUZZ_OP_MPROTECT:
		op->addr = addr;
		op->len = len;
		op->prot = p[2] & 7;
		break;
	case VMAFUZZ_OP_MADVISE:
		op->addr = addr;
		op->len = len;
		op->advice = (uint8_t)(p[2] % VMAFUZZ_ADV_NR);
		break;
	case VMAFUZZ_OP_MLOCK:
	case VMAFUZZ_OP_TOUCH:
		op->addr = addr;
		op->len = len;
		op->flags = p[2] & 1u;
		break;
	case VMAFUZZ_OP_MLOCKALL:
		op->flags = p[0] % 3u + 1;
		if (p[1] & 1)
			op->flags |= VMAFUZZ_MCL_ONFAULT;
		break;
	case VMAFUZZ_OP_MBIND:
		op->addr = addr;
		op->len = len;
		op->policy = (uint8_t)(p[2] % VMAFUZZ_POL_NR);
		break;
	case VMAFUZZ_OP_NAME:
		op->addr = addr;
		op->len = len;
		strcpy(op->name, dense_names[p[2] & 3]);
		break;
	case VMAFUZZ_OP_UFFD_REGISTER:
		op->mode = (uint8_t)(p[3] % 3 + 1);
		/* fall through */
	case VMAFUZZ_OP_UFFD_UNREGISTER:
		op->addr = addr;
		op->len = len;
		op->ctx = (uint8_t)(p[2] % VMAFUZZ_MAX_CTX + 1);
		break;
	case VMAFUZZ_OP_UFFD_CLOSE:
		op->ctx = (uint8_t)(p[0] % VMAFUZZ_MAX_CTX + 1);
		break;
	case VMAFUZZ_OP_MREMAP:
		op->addr = addr;
		op->len = len;
		op->newlen = dense_len(p[2]);
		op->flags = p[3] & 7u;
		if (op->flags & VMAFUZZ_MREMAP_FIXED)
			op->newaddr = dense_addr(p[4]);
		break;
	case VMAFUZZ_OP_BRK:
		op->addr = addr;
		break;
	case VMAFUZZ_OP_FAIL:
		op->fail = (uint8_t)(p[0] % VMAFUZZ_FAIL_NR);
		op->count = dense_len(p[1]);
		break;
	case VMAFUZZ_OP_MAX_MAP_COUNT:
		op->count = (p[0] & 63u) + 1;
		break;
	default: /* munlockall, fork */
		break;
	}
}

/* Whether op has a dense form; if so, its bytes b1-b7 go to p[0..6]. */
static bool encode_dense(const struct vmafuzz_op *op, uint8_t *p)
{
	bool range = dense_addr_ok(op->addr) && dense_len_ok(op->len);
	unsigned int i;

	p[0] = dense_addr_byte(op->addr);
	p[1] = (uint8_t)(op->len - 1);
	switch (op->op) {
	case VMAFUZZ_OP_MMAP:
		if (!range)
			return false;
		for (i = 0; i < ARRAY_SIZE(dense_mmap_kinds); i++) {
			if (dense_mmap_kinds[i] == op->kind)
				break;
		}
		p[2] = (uint8_t)((op->prot & 7) | (i & 7) << 3);
		if (has_file(op->kind)) {
			p[3] = op->file;
			if (op->pgoff < 16)
				p[4] = (uint8_t)op->pgoff;
			else if (op->pgoff >= op->addr && op->pgoff - op->addr < 16)
				p[4] = (uint8_t)(0x10 | (op->pgoff - op->addr));
			else
				return false;
		}
		p[5] = (uint8_t)op->flags;
		return true;
	case VMAFUZZ_OP_MUNMAP:
	case VMAFUZZ_OP_MUNLOCK:
	case VMAFUZZ_OP_HOME_NODE:
		return range;
	case VMAFUZZ_OP_MPROTECT:
		p[2] = op->prot;
		return range;
	case VMAFUZZ_OP_MADVISE:
		p[2] = op->advice;
		return range;
	case VMAFUZZ_OP_MLOCK:
	case VMAFUZZ_OP_TOUCH:
		p[2] = (uint8_t)op->flags;
		return range;
	case VMAFUZZ_OP_MLOCKALL:
		p[0] = (uint8_t)((op->flags & 3) - 1);
		p[1] = op->flags & VMAFUZZ_MCL_ONFAULT ? 1 : 0;
		return true;
	case VMAFUZZ_OP_MBIND:
		p[2] = op->policy;
		return range;
	case VMAFUZZ_OP_NAME:
		for (i = 0; i < ARRAY_SIZE(dense_names); i++) {
			if (!strcmp(op->name, dense_names[i])) {
				p[2] = (uint8_t)i;
				return range;
			}
		}
		return false;
	case VMAFUZZ_OP_UFFD_REGISTER:
		p[3] = (uint8_t)(op->mode - 1);
		/* fall through */
	case VMAFUZZ_OP_UFFD_UNREGISTER:
		p[2] = (uint8_t)(op->ctx - 1);
		return range;
	case VMAFUZZ_OP_UFFD_CLOSE:
		p[0] = (uint8_t)(op->ctx - 1);
		p[1] = 0;
		return true;
	case VMAFUZZ_OP_MREMAP:
		p[2] = (uint8_t)(op->newlen - 1);
		p[3] = (uint8_t)op->flags;
		if (op->flags & VMAFUZZ_MREMAP_FIXED) {
			if (!dense_addr_ok(op->newaddr))
				return false;
			p[4] = dense_addr_byte(op->newaddr);
		}
		return range && dense_len_ok(op->newlen);
	case VMAFUZZ_OP_BRK:
		p[1] = 0;
		return dense_addr_ok(op->addr);
	case VMAFUZZ_OP_FAIL:
		p[0] = op->fail;
		p[1] = (uint8_t)(op->count - 1);
		return op->count >= 1 && op->count <= 16;
	case VMAFUZZ_OP_MAX_MAP_COUNT:
		p[0] = (uint8_t)(op->count - 1);
		p[1] = 0;
		return op->count >= 1 && op->count <= 64;
	default: /* munlockall, fork */
		p[0] = p[1] = 0;
		return true;
	}
}

/* ---------------------------------------------------------- wide forms */

/*
 * A wide form's fields are read from a bit stream over the bytes after the
 * kind byte: bit i is bit (i % 8) of byte i / 8, and a field of w bits takes
 * the next w bits, least significant first.
 */
struct bits {
	uint8_t *p;
	unsigned int pos;
};

static uint64_t get_bits(struct bits *b, unsigned int w)
{
	uint64_t v = 0;
	unsigned int i, take;

	for (i = 0; i < w; i += take, b->pos += take) {
		unsigned int shift = b->pos % 8;

		take = 8 - shift < w - i ? 8 - shift : w - i;
		v |= (uint64_t)(b->p[b->pos / 8] >> shift & ((1u << take) - 1)) << i;
	}
	return v;
}

static void put_bits(struct bits *b, unsigned int w, uint64_t v)
{
	unsigned int i, take;

	for (i = 0; i < w; i += take, b->pos += take) {
		unsigned int shift = b->pos % 8;

		take = 8 - shift < w - i ? 8 - shift : w - i;
		b->p[b->pos / 8] |= (uint8_t)((v >> i & ((1u << take) - 1)) << shift);
	}
}

/* ADDR (20 bits, any page) and LEN (21 bits, clamped to the window's end). */
static void get_range(struct bits *b, struct vmafuzz_op *op)
{
	op->addr = (uint32_t)get_bits(b, 20);
	op->len = min_u32(get_bits(b, 21), WINDOW - op->addr);
}

static void decode_wide(struct vmafuzz_op *op, uint8_t *p)
{
	struct bits b = { p, 0 };
	unsigned int i, n;

	switch (op->op) {
	case VMAFUZZ_OP_MMAP:
		get_range(&b, op);
		op->prot = (uint8_t)get_bits(&b, 3);
		op->kind = (uint8_t)(get_bits(&b, 3) % VMAFUZZ_KIND_NR);
		op->file = (uint8_t)get_bits(&b, 3);
		op->flags = (uint32_t)get_bits(&b, 6);
		op->pgoff = get_bits(&b, 64);
		if (!has_file(op->kind)) {
			op->file = 0;
			op->pgoff = 0;
		}
		break;
	case VMAFUZZ_OP_MUNMAP:
	case VMAFUZZ_OP_MUNLOCK:
	case VMAFUZZ_OP_HOME_NODE:
		get_range(&b, op);
		break;
	case VMAFUZZ_OP_MPROTECT:
		get_range(&b, op);
		op->prot = (uint8_t)get_bits(&b, 3);
		break;
	case VMAFUZZ_OP_MADVISE:
		get_range(&b, op);
		op->advice = (uint8_t)(get_bits(&b, 4) % VMAFUZZ_ADV_NR);
		break;
	case VMAFUZZ_OP_MLOCK:
	case VMAFUZZ_OP_TOUCH:
		get_range(&b, op);
		op->flags = (uint32_t)get_bits(&b, 1);
		break;
	case VMAFUZZ_OP_MBIND:
		get_range(&b, op);
		op->policy = (uint8_t)(get_bits(&b, 3) % VMAFUZZ_POL_NR);
		break;
	case VMAFUZZ_OP_NAME:
		get_range(&b, op);
		n = (unsigned int)get_bits(&b, 6);
		if (n > VMAFUZZ_NAME_MAX)
			n = VMAFUZZ_NAME_MAX;
		/* The characters are the bytes of the following records. */
		for (i = 0; i < n; i++)
			op->name[i] = name_chars[p[7 + i] % NAME_CHARS];
		op->name[n] = '\0';
		/* "-" alone is how a script says "no name". */
		if (!strcmp(op->name, "-"))
			op->name[0] = '\0';
		break;
	case VMAFUZZ_OP_UFFD_REGISTER:
	case VMAFUZZ_OP_UFFD_UNREGISTER:
		get_range(&b, op);
		op->ctx = (uint8_t)(get_bits(&b, 3) % VMAFUZZ_MAX_CTX + 1);
		if (op->op == VMAFUZZ_OP_UFFD_REGISTER)
			op->mode = (uint8_t)(get_bits(&b, 2) % 3 + 1);
		break;
	case VMAFUZZ_OP_MREMAP:
		get_range(&b, op);
		op->newlen = min_u32(get_bits(&b, 21), WINDOW - op->addr);
		op->flags = (uint32_t)get_bits(&b, 3);
		op->newaddr = (uint32_t)get_bits(&b, 20);
		if (op->flags & VMAFUZZ_MREMAP_FIXED)
			op->newaddr = min_u32(op->newaddr, WINDOW - op->newlen);
		else
			op->newaddr = 0;
		break;
	case VMAFUZZ_OP_BRK:
		op->addr = (uint32_t)get_bits(&b, 20);
		break;
	case VMAFUZZ_OP_FAIL:
		op->fail = (uint8_t)(get_bits(&b, 2) % VMAFUZZ_FAIL_NR);
		op->count = (uint32_t)get_bits(&b, 32);
		if (!op->count)
			op->count = 1;
		break;
	case VMAFUZZ_OP_MAX_MAP_COUNT:
		op->count = (uint32_t)get_bits(&b, 16);
		if (!op->count)
			op->count = 1;
		if (op->count > VMAFUZZ_DEFAULT_MAX_MAP_COUNT)
			op->count = VMAFUZZ_DEFAULT_MAX_MAP_COUNT;
		break;
	default:
		break;
	}
}

/* The bytes after the kind byte of a wide form; p is zeroed by the caller. */
static void encode_wide(const struct vmafuzz_op *op, uint8_t *p)
{
	struct bits b = { p, 0 };
	size_t i, n;

	switch (op->op) {
	case VMAFUZZ_OP_BRK:
		put_bits(&b, 20, op->addr);
		return;
	case VMAFUZZ_OP_FAIL:
		put_bits(&b, 2, op->fail);
		put_bits(&b, 32, op->count);
		return;
	case VMAFUZZ_OP_MAX_MAP_COUNT:
		put_bits(&b, 16, op->count);
		return;
	default:
		break;
	}
	put_bits(&b, 20, op->addr);
	put_bits(&b, 21, op->len);
	switch (op->op) {
	case VMAFUZZ_OP_MMAP:
		put_bits(&b, 3, op->prot);
		put_bits(&b, 3, op->kind);
		put_bits(&b, 3, op->file);
		put_bits(&b, 6, op->flags);
		put_bits(&b, 64, op->pgoff);
		break;
	case VMAFUZZ_OP_MPROTECT:
		put_bits(&b, 3, op->prot);
		break;
	case VMAFUZZ_OP_MADVISE:
		put_bits(&b, 4, op->advice);
		break;
	case VMAFUZZ_OP_MLOCK:
	case VMAFUZZ_OP_TOUCH:
		put_bits(&b, 1, op->flags);
		break;
	case VMAFUZZ_OP_MBIND:
		put_bits(&b, 3, op->policy);
		break;
	case VMAFUZZ_OP_NAME:
		n = strnlen(op->name, VMAFUZZ_NAME_MAX);
		put_bits(&b, 6, n);
		for (i = 0; i < n; i++) {
			const char *c = memchr(name_chars, op->name[i], NAME_CHARS);

			/* A character outside the set fails the check in encode_op(). */
			p[7 + i] = (uint8_t)(c ? c - name_chars : 0);
		}
		break;
	case VMAFUZZ_OP_UFFD_REGISTER:
		put_bits(&b, 3, op->ctx - 1u);
		put_bits(&b, 2, op->mode - 1u);
		break;
	case VMAFUZZ_OP_UFFD_UNREGISTER:
		put_bits(&b, 3, op->ctx - 1u);
		break;
	case VMAFUZZ_OP_MREMAP:
		put_bits(&b, 21, op->newlen);
		put_bits(&b, 3, op->flags);
		put_bits(&b, 20, op->newaddr);
		break;
	default:
		break;
	}
}

/* ------------------------------------------------------------ the API */

int vmafuzz_decode_dense_kind(enum vmafuzz_op_kind op)
{
	unsigned int ext;

	return kind_byte(op, false, &ext);
}

#define PAYLOAD_MAX (VMAFUZZ_DECODE_MAX_RECORDS * VMAFUZZ_DECODE_RECORD - 1)

/* One operation from the kind byte k and the bytes after it (p). */
static void decode_op(struct vmafuzz_op *op, uint8_t k, uint8_t *p)
{
	struct form f = form_of(k);

	memset(op, 0, sizeof(*op));
	op->op = f.op;
	if (f.wide)
		decode_wide(op, p);
	else
		decode_dense(op, p);
}

int vmafuzz_decode(const uint8_t *data, size_t size, struct vmafuzz_op *ops, unsigned int max_ops)
{
	unsigned int n = 0;
	size_t off = 0;

	if (max_ops > VMAFUZZ_DECODE_MAX_OPS)
		max_ops = VMAFUZZ_DECODE_MAX_OPS;
	while (n < max_ops && off < size) {
		uint8_t payload[PAYLOAD_MAX] = { 0 };
		struct form f = form_of(data[off]);
		size_t len = VMAFUZZ_DECODE_RECORD * (1 + f.ext);
		size_t have = size - off < len ? size - off : len;

		/* A record cut short by the end of the input reads as zeros. */
		memcpy(payload, data + off + 1, have - 1);
		decode_op(&ops[n++], data[off], payload);
		off += len;
	}
	return (int)n;
}

/*
 * The form of op in rec, if it decodes back to op: returns the length of its
 * records, or -1.
 */
static int encode_form(const struct vmafuzz_op *op, bool wide, uint8_t rec[PAYLOAD_MAX + 1])
{
	struct vmafuzz_op back;
	unsigned int ext;
	int k = kind_byte(op->op, wide, &ext);

	if (k < 0)
		return -1;
	memset(rec, 0, PAYLOAD_MAX + 1);
	rec[0] = (uint8_t)k;
	if (wide)
		encode_wide(op, rec + 1);
	else if (!encode_dense(op, rec + 1))
		return -1;
	decode_op(&back, rec[0], rec + 1);
	if (!vmafuzz_op_equal(&back, op))
		return -1;
	return (int)(VMAFUZZ_DECODE_RECORD * (1 + ext));
}

/*
 * The canonical records of one op: the dense form if it has one, else the
 * wide form. An op no script can write comes back from neither: -1.
 */
static int encode_op(const struct vmafuzz_op *op, uint8_t rec[PAYLOAD_MAX + 1])
{
	int len;

	if ((unsigned int)op->op >= VMAFUZZ_OP_NR)
		return -1;
	len = encode_form(op, false, rec);
	if (len < 0)
		len = encode_form(op, true, rec);
	return len;
}

int vmafuzz_encode(const struct vmafuzz_op *ops, unsigned int n, uint8_t *out, size_t cap)
{
	unsigned int i, nr = 0;
	size_t off = 0;

	for (i = 0; i < n; i++) {
		uint8_t rec[PAYLOAD_MAX + 1];
		int len;

		if (ops[i].op == VMAFUZZ_OP_DUMP)
			continue;
		if (++nr > VMAFUZZ_DECODE_MAX_OPS)
			return -1;
		len = encode_op(&ops[i], rec);
		if (len < 0 || (size_t)len > cap - off)
			return -1;
		memcpy(out + off, rec, (size_t)len);
		off += (size_t)len;
	}
	return (int)off;
}

bool vmafuzz_op_equal(const struct vmafuzz_op *a, const struct vmafuzz_op *b)
{
	return a->op == b->op && a->addr == b->addr && a->len == b->len && a->newlen == b->newlen &&
	       a->newaddr == b->newaddr && a->flags == b->flags && a->count == b->count &&
	       a->pgoff == b->pgoff && a->prot == b->prot && a->kind == b->kind &&
	       a->file == b->file && a->advice == b->advice && a->policy == b->policy &&
	       a->ctx == b->ctx && a->mode == b->mode && a->fail == b->fail &&
	       !strncmp(a->name, b->name, sizeof(a->name));
}
