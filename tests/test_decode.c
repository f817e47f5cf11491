// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of fuzz/decode.c against docs/BYTE-FORMAT.md: the decoder is
 * total and every op it makes is a statement a script can write; decode,
 * encode, decode is the identity on random inputs; every operation and every
 * option value has a byte pattern; boundary values round-trip; the cap, the
 * zero padding of a short record and the stability of op boundaries under
 * mutation; and the worked example of the document.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "vmafuzz/decode.h"
#include "vmafuzz/script.h"

#define CAP VMAFUZZ_DECODE_MAX_OPS
#define REC VMAFUZZ_DECODE_RECORD

static void fmt(const struct vmafuzz_op *op, char *buf, size_t sz)
{
	vmafuzz_op_format(buf, sz, op);
}

/* One statement's text parses to one op; -1 with a message if not. */
static int parse_one(const char *text, struct vmafuzz_op *op)
{
	struct vmafuzz_script s;
	char err[256];
	int r = -1;

	if (vmafuzz_script_parse(&s, "t.vma", text, strlen(text), err, sizeof(err))) {
		UNIT_FAIL("'%s' does not parse: %s", text, err);
		return -1;
	}
	if (s.nr == 1 && s.stmts[0].type == VMAFUZZ_STMT_OP) {
		*op = s.stmts[0].op;
		r = 0;
	} else {
		UNIT_FAIL("'%s' is not one statement (%u)", text, s.nr);
	}
	vmafuzz_script_free(&s);
	return r;
}

/* op prints as a statement that parses back to op. */
static void assert_expressible(const struct vmafuzz_op *op, const char *what)
{
	char buf[VMAFUZZ_LINE_MAX], back_buf[VMAFUZZ_LINE_MAX];
	struct vmafuzz_op back;

	fmt(op, buf, sizeof(buf));
	if (op->op == VMAFUZZ_OP_DUMP)
		UNIT_FAIL("%s: the decoder made a dump", what);
	if (parse_one(buf, &back))
		return;
	if (!vmafuzz_op_equal(op, &back)) {
		fmt(&back, back_buf, sizeof(back_buf));
		UNIT_FAIL("%s: '%s' parses back to a different op ('%s')", what, buf, back_buf);
	}
}

/* The ops printed as one script parse back to the same ops (one parse: fast). */
static void assert_script(const struct vmafuzz_op *ops, int n, const char *what)
{
	static char text[CAP * VMAFUZZ_LINE_MAX];
	struct vmafuzz_script s;
	char err[256];
	size_t len = 0;
	int i;

	for (i = 0; i < n; i++) {
		if (ops[i].op == VMAFUZZ_OP_DUMP)
			UNIT_FAIL("%s: the decoder made a dump", what);
		len += (size_t)vmafuzz_op_format(text + len, sizeof(text) - len, &ops[i]);
		text[len++] = '\n';
	}
	if (vmafuzz_script_parse(&s, "t.vma", text, len, err, sizeof(err))) {
		UNIT_FAIL("%s: its script does not parse: %s", what, err);
		return;
	}
	if ((int)s.nr != n) {
		UNIT_FAIL("%s: %d ops print as %u statements", what, n, s.nr);
	} else {
		for (i = 0; i < n; i++) {
			if (!vmafuzz_op_equal(&ops[i], &s.stmts[i].op))
				assert_expressible(&ops[i], what); /* says which and how */
		}
	}
	vmafuzz_script_free(&s);
}

static void assert_ops_equal(const struct vmafuzz_op *a, int na, const struct vmafuzz_op *b, int nb,
			     const char *what)
{
	char x[VMAFUZZ_LINE_MAX], y[VMAFUZZ_LINE_MAX];
	int i;

	if (na != nb) {
		UNIT_FAIL("%s: %d ops, then %d", what, na, nb);
		return;
	}
	for (i = 0; i < na; i++) {
		if (!vmafuzz_op_equal(&a[i], &b[i])) {
			fmt(&a[i], x, sizeof(x));
			fmt(&b[i], y, sizeof(y));
			UNIT_FAIL("%s: op %d differs:\n  '%s'\n  '%s'", what, i, x, y);
			return;
		}
	}
}

/* ------------------------------------------------------------------ tests */

static void test_decode_empty_input_is_no_ops(void)
{
	struct vmafuzz_op ops[CAP];

	ASSERT_INT(vmafuzz_decode(NULL, 0, ops, CAP), 0);
	ASSERT_INT(vmafuzz_decode((const uint8_t *)"\0", 1, ops, 0), 0);
}

/* The worked example of docs/BYTE-FORMAT.md, byte for byte. */
static void test_decode_worked_example(void)
{
	static const uint8_t in[] = {
		0x00, 0x00, 0x03, 0x03, 0x00, 0x00, 0x00, 0x00, /* mmap, dense */
		0x2c, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, /* mprotect */
		0x8a, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, /* name */
		0xd0, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, /* touch */
		0xb6, 0x00, 0x03, 0x07, 0x01, 0x00, 0x00, 0x00, /* mremap */
		0xfc, 0x45, 0x23, 0x01, 0x00, 0x00, 0x00, 0x00, /* brk, wide */
		0xe0,						/* fork, cut short */
	};
	static const char *const want[] = {
		"mmap 0 4 rw- anon",	"mprotect 2 1 r--", "name 3 1 a", "touch 0 4",
		"mremap 0 4 8 maymove", "brk 74565",	    "fork",
	};
	static const uint8_t wide[] = {
		0xf0, 0xff, 0xff, 0x1f, 0x00, 0x00, 0xa6, 0x03, /* mmap, wide */
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* its pgoff */
		0xf8, 0x00, 0x00, 0x20, 0x00, 0x00, 0x0c, 0x00, /* name, wide */
		0x07, 0x04, 0x00, 0x0f, 0x3f, 0x35, 0x00, 0x00, /* its characters */
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0xb6, 0x00, 0x01, 0x02, 0x03, 0xcc, 0x00, 0x00, /* mremap */
	};
	static const char *const want_wide[] = {
		"mmap 1048575 1 rw- file:7@18446744073709551615",
		"name 0 2 heap.1",
		"mremap 0 2 3 maymove fixed=524300",
	};
	struct vmafuzz_op ops[CAP];
	uint8_t out[VMAFUZZ_ENCODE_MAX_BYTES];
	char buf[VMAFUZZ_LINE_MAX];
	int i, n;

	n = vmafuzz_decode(in, sizeof(in), ops, CAP);
	ASSERT_INT(n, 7);
	for (i = 0; i < n && i < 7; i++) {
		fmt(&ops[i], buf, sizeof(buf));
		ASSERT_STR(buf, want[i]);
	}
	/* The canonical bytes are the example's, plus the fork's padding. */
	ASSERT_INT(vmafuzz_encode(ops, (unsigned int)n, out, sizeof(out)), 7 * REC);
	ASSERT_INT(memcmp(out, in, sizeof(in)), 0);

	n = vmafuzz_decode(wide, sizeof(wide), ops, CAP);
	ASSERT_INT(n, 3);
	for (i = 0; i < n && i < 3; i++) {
		fmt(&ops[i], buf, sizeof(buf));
		ASSERT_STR(buf, want_wide[i]);
	}
	ASSERT_INT(vmafuzz_encode(ops, (unsigned int)n, out, sizeof(out)), (int)sizeof(wide));
	ASSERT_INT(memcmp(out, wide, sizeof(wide)), 0);
}

/* The kind byte table of the document: where each range starts and ends. */
static void test_decode_kind_table(void)
{
	static const struct {
		uint8_t first, last;
		const char *op;
	} table[] = {
		{ 0x00, 0x1f, "mmap" },
		{ 0x20, 0x2b, "munmap" },
		{ 0x2c, 0x43, "mprotect" },
		{ 0x44, 0x57, "madvise" },
		{ 0x58, 0x65, "mlock" },
		{ 0x66, 0x6d, "munlock" },
		{ 0x6e, 0x71, "mlockall" },
		{ 0x72, 0x73, "munlockall" },
		{ 0x74, 0x83, "mbind" },
		{ 0x84, 0x89, "home-node" },
		{ 0x8a, 0x99, "name" },
		{ 0x9a, 0xa7, "uffd-register" },
		{ 0xa8, 0xaf, "uffd-unregister" },
		{ 0xb0, 0xb5, "uffd-close" },
		{ 0xb6, 0xc9, "mremap" },
		{ 0xca, 0xcf, "brk" },
		{ 0xd0, 0xdf, "touch" },
		{ 0xe0, 0xe5, "fork" },
		{ 0xe6, 0xed, "fail" },
		{ 0xee, 0xef, "max-map-count" },
		{ 0xf0, 0xf0, "mmap" },
		{ 0xf1, 0xf1, "munmap" },
		{ 0xf2, 0xf2, "mprotect" },
		{ 0xf3, 0xf3, "madvise" },
		{ 0xf4, 0xf4, "mlock" },
		{ 0xf5, 0xf5, "munlock" },
		{ 0xf6, 0xf6, "mbind" },
		{ 0xf7, 0xf7, "home-node" },
		{ 0xf8, 0xf8, "name" },
		{ 0xf9, 0xf9, "uffd-register" },
		{ 0xfa, 0xfa, "uffd-unregister" },
		{ 0xfb, 0xfb, "mremap" },
		{ 0xfc, 0xfc, "brk" },
		{ 0xfd, 0xfd, "touch" },
		{ 0xfe, 0xfe, "fail" },
		{ 0xff, 0xff, "max-map-count" },
	};
	/* Records each wide form takes after its kind record. */
	static const struct {
		uint8_t kind;
		int ext;
	} ext[] = { { 0xf0, 1 }, { 0xf8, 4 }, { 0xfb, 1 } };
	struct vmafuzz_op op;
	unsigned int i, k, next = 0;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		ASSERT_INT(table[i].first, next);
		for (k = table[i].first; k <= table[i].last; k++) {
			uint8_t rec[REC] = { (uint8_t)k };

			ASSERT_INT(vmafuzz_decode(rec, sizeof(rec), &op, 1), 1);
			if (strcmp(vmafuzz_op_names[op.op], table[i].op))
				UNIT_FAIL("kind byte 0x%02x is '%s', the table says '%s'", k,
					  vmafuzz_op_names[op.op], table[i].op);
		}
		next = table[i].last + 1u;
	}
	ASSERT_INT(next, 256);

	/* Two wide ops in a row: the second starts after the first's records. */
	for (k = 0xf0; k <= 0xff; k++) {
		uint8_t in[6 * REC] = { 0 };
		struct vmafuzz_op ops[2];
		int e = 0;

		for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
			if (ext[i].kind == k)
				e = ext[i].ext;
		}
		in[0] = (uint8_t)k;
		in[(size_t)(e + 1) * REC] = 0xe0; /* fork */
		ASSERT_INT(vmafuzz_decode(in, (size_t)(e + 1) * REC + 1, ops, 2), 2);
		if (ops[1].op != VMAFUZZ_OP_FORK)
			UNIT_FAIL("after wide kind 0x%02x (%d more records) comes '%s', not fork",
				  k, e, vmafuzz_op_names[ops[1].op]);
	}
}

/*
 * (a) For 10,000 random inputs of random lengths: every decoded op is a
 * statement, decode(encode(decode(x))) == decode(x), and the encoding is
 * canonical (encoding the result again gives the same bytes).
 */
static void test_decode_random_roundtrip(void)
{
	static uint8_t in[1200], out[VMAFUZZ_ENCODE_MAX_BYTES], out2[VMAFUZZ_ENCODE_MAX_BYTES];
	struct vmafuzz_op a[CAP], b[CAP], c[CAP];
	unsigned int iter, total = 0, wide = 0;
	char what[64];

	for (iter = 0; iter < 10000 && unit_failed < 20; iter++) {
		size_t size = (size_t)(unit_rand() % sizeof(in)), i;
		unsigned int bias = (unsigned int)(unit_rand() % 4);
		int na, nb, nc, len, len2;

		/* A quarter of the inputs lean to wide kind bytes 0xf0-0xff. */
		for (i = 0; i < size; i++) {
			uint64_t r = unit_rand();

			in[i] = (uint8_t)r;
			if (!bias && (r >> 8) % 3 == 0)
				in[i] |= 0xf0;
		}
		snprintf(what, sizeof(what), "input %u (%zu bytes)", iter, size);
		na = vmafuzz_decode(in, size, a, CAP);
		if (na < 0 || na > CAP || (size && !na)) {
			UNIT_FAIL("%s: decoded to %d ops", what, na);
			continue;
		}
		assert_script(a, na, what);
		len = vmafuzz_encode(a, (unsigned int)na, out, sizeof(out));
		if (len < 0) {
			UNIT_FAIL("%s: its ops do not encode", what);
			continue;
		}
		nb = vmafuzz_decode(out, (size_t)len, b, CAP);
		assert_ops_equal(a, na, b, nb, what);
		len2 = vmafuzz_encode(b, (unsigned int)nb, out2, sizeof(out2));
		ASSERT_INT(len2, len);
		if (len2 == len && memcmp(out, out2, (size_t)len))
			UNIT_FAIL("%s: encoding is not canonical", what);
		/* Canonical bytes are whole records: they decode as they are. */
		ASSERT_INT(len % REC, 0);
		nc = vmafuzz_decode(out, (size_t)len, c, CAP);
		ASSERT_INT(nc, na);
		total += (unsigned int)na;
		wide += (unsigned int)(len / REC - na);
	}
	printf("random round trip: %u inputs, %u ops, %u extension records\n", iter, total, wide);
}

/* Feature bits collected by test_decode_reachable. */
struct reached {
	bool op[VMAFUZZ_OP_NR][2]; /* [op][wide] */
	bool mmap_kind[VMAFUZZ_KIND_NR][2];
	bool file[VMAFUZZ_KIND_NR][VMAFUZZ_MAX_FILE + 1];
	bool prot[2][8]; /* [mmap, mprotect][prot] */
	bool mmap_opt[6];
	bool advice[VMAFUZZ_ADV_NR];
	bool policy[VMAFUZZ_POL_NR];
	bool mode[4];
	bool ctx[3][VMAFUZZ_MAX_CTX + 1]; /* [register, unregister, close][ctx] */
	bool mremap[8];
	bool mlockall[8];
	bool mlock_onfault[2], touch_read[2];
	bool fail[VMAFUZZ_FAIL_NR];
	bool name_clear, name_set, name_char[128];
};

static void note(struct reached *r, const struct vmafuzz_op *op, bool wide)
{
	unsigned int i;

	r->op[op->op][wide] = true;
	switch (op->op) {
	case VMAFUZZ_OP_MMAP:
		r->mmap_kind[op->kind][wide] = true;
		r->file[op->kind][op->file] = true;
		r->prot[0][op->prot] = true;
		for (i = 0; i < 6; i++) {
			if (op->flags & (1u << i))
				r->mmap_opt[i] = true;
		}
		break;
	case VMAFUZZ_OP_MPROTECT:
		r->prot[1][op->prot] = true;
		break;
	case VMAFUZZ_OP_MADVISE:
		r->advice[op->advice] = true;
		break;
	case VMAFUZZ_OP_MBIND:
		r->policy[op->policy] = true;
		break;
	case VMAFUZZ_OP_UFFD_REGISTER:
		r->mode[op->mode] = true;
		r->ctx[0][op->ctx] = true;
		break;
	case VMAFUZZ_OP_UFFD_UNREGISTER:
		r->ctx[1][op->ctx] = true;
		break;
	case VMAFUZZ_OP_UFFD_CLOSE:
		r->ctx[2][op->ctx] = true;
		break;
	case VMAFUZZ_OP_MREMAP:
		r->mremap[op->flags] = true;
		break;
	case VMAFUZZ_OP_MLOCKALL:
		r->mlockall[op->flags] = true;
		break;
	case VMAFUZZ_OP_MLOCK:
		r->mlock_onfault[op->flags] = true;
		break;
	case VMAFUZZ_OP_TOUCH:
		r->touch_read[op->flags] = true;
		break;
	case VMAFUZZ_OP_FAIL:
		r->fail[op->fail] = true;
		break;
	case VMAFUZZ_OP_NAME:
		if (!op->name[0])
			r->name_clear = true;
		else
			r->name_set = true;
		for (i = 0; op->name[i]; i++)
			r->name_char[(unsigned char)op->name[i] & 127] = true;
		break;
	default:
		break;
	}
}

/*
 * (b) Every operation, in both its forms where it has two, and every value
 * of every small argument is reached by a byte pattern: the first kind byte
 * of each form, its other bytes all set to one value, and one of them
 * changed to each value in turn.
 */
static void test_decode_reachable(void)
{
	static struct reached r;
	static const char name_chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
					 "0123456789_.-";
	struct vmafuzz_op op, prev = { .op = VMAFUZZ_OP_NR };
	unsigned int k, u, pos, v, i, j, size;

	for (k = 0; k < 256; k++) {
		uint8_t in[5 * REC] = { (uint8_t)k };

		/* Only the first kind byte of a range: the rest mean the same. */
		vmafuzz_decode(in, sizeof(in), &op, 1);
		if (k < 0xf0 && op.op == prev.op)
			continue;
		prev = op;
		size = k == 0xf0 || k == 0xfb ? 2 * REC : k == 0xf8 ? 5 * REC : REC;
		/* Every 7th value as the fill: enough to reach each combination. */
		for (u = 0; u < 256; u += 7) {
			for (pos = 1; pos < size; pos++) {
				memset(in + 1, (int)u, sizeof(in) - 1);
				for (v = 0; v < 256; v++) {
					in[pos] = (uint8_t)v;
					if (vmafuzz_decode(in, size, &op, 1) != 1) {
						UNIT_FAIL("kind 0x%02x: no op", k);
						return;
					}
					note(&r, &op, k >= 0xf0);
				}
			}
		}
	}
	for (i = 0; i < VMAFUZZ_OP_NR; i++) {
		bool has_wide = i != VMAFUZZ_OP_MLOCKALL && i != VMAFUZZ_OP_MUNLOCKALL &&
				i != VMAFUZZ_OP_UFFD_CLOSE && i != VMAFUZZ_OP_FORK;

		if (i == VMAFUZZ_OP_DUMP) {
			ASSERT_INT(r.op[i][0] || r.op[i][1], 0);
			continue;
		}
		if (!r.op[i][0])
			UNIT_FAIL("no dense %s", vmafuzz_op_names[i]);
		if (r.op[i][1] != has_wide)
			UNIT_FAIL("wide %s: reached %d, want %d", vmafuzz_op_names[i], r.op[i][1],
				  has_wide);
	}
	for (i = 0; i < VMAFUZZ_KIND_NR; i++) {
		if (!r.mmap_kind[i][0] || !r.mmap_kind[i][1])
			UNIT_FAIL("mmap kind %s: dense %d, wide %d", vmafuzz_kind_names[i],
				  r.mmap_kind[i][0], r.mmap_kind[i][1]);
		for (j = 0; j <= VMAFUZZ_MAX_FILE; j++) {
			bool want = i == VMAFUZZ_KIND_ANON || i == VMAFUZZ_KIND_SHARED_ANON ? !j :
											      true;

			if (r.file[i][j] != want)
				UNIT_FAIL("mmap %s with file %u: reached %d", vmafuzz_kind_names[i],
					  j, r.file[i][j]);
		}
	}
	for (i = 0; i < 8; i++) {
		if (!r.prot[0][i] || !r.prot[1][i])
			UNIT_FAIL("prot %u: mmap %d, mprotect %d", i, r.prot[0][i], r.prot[1][i]);
		if (!r.mremap[i])
			UNIT_FAIL("mremap flags %u unreached", i);
	}
	for (i = 0; i < 6; i++) {
		if (!r.mmap_opt[i])
			UNIT_FAIL("mmap option bit %u unreached", i);
	}
	for (i = 0; i < VMAFUZZ_ADV_NR; i++) {
		if (!r.advice[i])
			UNIT_FAIL("advice %s unreached", vmafuzz_advice_names[i]);
	}
	for (i = 0; i < VMAFUZZ_POL_NR; i++) {
		if (!r.policy[i])
			UNIT_FAIL("policy %s unreached", vmafuzz_policy_names[i]);
	}
	for (i = 0; i < VMAFUZZ_FAIL_NR; i++) {
		if (!r.fail[i])
			UNIT_FAIL("fail %s unreached", vmafuzz_fail_names[i]);
	}
	for (i = 0; i < 4; i++)
		ASSERT_INT(r.mode[i], i != 0);
	for (j = 0; j < 3; j++) {
		for (i = 0; i <= VMAFUZZ_MAX_CTX; i++) {
			if (r.ctx[j][i] != (i != 0))
				UNIT_FAIL("ctx %u of statement %u: reached %d", i, j, r.ctx[j][i]);
		}
	}
	/* current, future, current+future, each with and without onfault */
	for (i = 0; i < 8; i++)
		ASSERT_INT(r.mlockall[i], (i & 3) != 0);
	ASSERT_INT(r.mlock_onfault[0] && r.mlock_onfault[1], 1);
	ASSERT_INT(r.touch_read[0] && r.touch_read[1], 1);
	ASSERT_INT(r.name_clear && r.name_set, 1);
	for (i = 0; name_chars[i]; i++) {
		if (!r.name_char[(unsigned char)name_chars[i]])
			UNIT_FAIL("name character '%c' unreached", name_chars[i]);
	}
}

/*
 * (c) Boundary and unusual values round-trip through encode and decode, one
 * at a time and all together; and each takes the form the document says.
 */
static void test_decode_boundaries(void)
{
	static const struct {
		const char *text;
		int bytes; /* its canonical encoding's length */
	} cases[] = {
		{ "mmap 0 1 --- anon", 8 },
		{ "mmap 63 16 rwx shared-anon", 8 },
		{ "mmap 524288 16 rw- anon", 8 },
		{ "mmap 524351 16 rw- file:3@524366", 8 },
		{ "mmap 3 2 rw- shm:0@15", 8 },
		{ "mmap 3 2 r-x device:7@18", 8 },
		{ "mmap 3 2 r-x device:7@19", 16 },
		{ "mmap 64 1 rw- anon", 16 },
		{ "mmap 0 17 rw- anon", 16 },
		{ "mmap 0 0 rw- anon", 16 },
		{ "mmap 524287 1 rw- anon", 16 },
		{ "mmap 0 1048576 --- anon", 16 },
		{ "mmap 1048575 0 r-- anon", 16 },
		{ "mmap 1048575 1 rwx file:7@18446744073709551615 noreplace noreserve locked "
		  "populate stack growsdown",
		  16 },
		{ "mmap 5 1 rw- shared-file:4@4294967296 growsdown", 16 },
		{ "munmap 0 1048576", 8 },
		{ "munmap 1048575 1", 8 },
		{ "mprotect 1048575 1 --x", 8 },
		{ "madvise 524288 64 normal", 8 },
		{ "madvise 0 0 dontfork", 8 },
		{ "mlock 100 3 onfault", 8 },
		{ "munlock 0 1048576", 8 },
		{ "mlockall current", 8 },
		{ "mlockall future onfault", 8 },
		{ "mlockall current+future onfault", 8 },
		{ "munlockall", 8 },
		{ "mbind 524351 1 local", 8 },
		{ "home-node 0 1048576", 8 },
		{ "name 0 1 -", 8 },
		{ "name 0 1 c", 8 },
		{ "name 0 1 d", 40 },
		{ "name 5 3 abcdefghijklmnopqrstuvwxyzABCDEF", 40 },
		{ "name 1048575 1 GHIJKLMNOPQRSTUVWXYZ0123456789_.", 40 },
		{ "name 0 1 --", 40 },
		{ "name 0 1 -a", 40 },
		{ "name 0 1 .", 40 },
		{ "uffd-register 1048575 1 7 missing+wp", 8 },
		{ "uffd-register 0 1 1 wp", 8 },
		{ "uffd-unregister 0 0 7", 8 },
		{ "uffd-close 7", 8 },
		{ "uffd-close 1", 8 },
		{ "mremap 0 1048576 1048576 maymove fixed=0 dontunmap", 16 },
		{ "mremap 1048575 1 1 maymove fixed=1048575", 16 },
		{ "mremap 10 0 0", 16 },
		{ "mremap 5 3 7 dontunmap", 8 },
		{ "mremap 5 3 7 fixed=9", 8 },
		{ "mremap 5 3 16 maymove fixed=524351", 8 },
		{ "mremap 5 3 17 maymove", 16 },
		{ "brk 0", 8 },
		{ "brk 524351", 8 },
		{ "brk 1048575", 8 },
		{ "touch 1048575 1 read", 8 },
		{ "touch 0 0", 8 },
		{ "touch 0 1048576", 8 },
		{ "touch 7 16", 8 },
		{ "fork", 8 },
		{ "fail split 1", 8 },
		{ "fail merge 16", 8 },
		{ "fail alloc 17", 8 },
		{ "fail split 4294967295", 8 },
		{ "max-map-count 1", 8 },
		{ "max-map-count 64", 8 },
		{ "max-map-count 65", 8 },
		{ "max-map-count 65530", 8 },
	};
	static uint8_t out[VMAFUZZ_ENCODE_MAX_BYTES];
	struct vmafuzz_op all[CAP], back[CAP];
	unsigned int i, n = 0;
	int len, nb;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vmafuzz_op op;

		if (parse_one(cases[i].text, &op))
			continue;
		len = vmafuzz_encode(&op, 1, out, sizeof(out));
		if (len != cases[i].bytes)
			UNIT_FAIL("'%s' encodes to %d bytes, want %d", cases[i].text, len,
				  cases[i].bytes);
		if (len < 0)
			continue;
		nb = vmafuzz_decode(out, (size_t)len, back, CAP);
		assert_ops_equal(&op, 1, back, nb, cases[i].text);
		if (n < CAP)
			all[n++] = op;
	}
	len = vmafuzz_encode(all, n, out, sizeof(out));
	if (len < 0) {
		UNIT_FAIL("the boundary cases together do not encode");
		return;
	}
	nb = vmafuzz_decode(out, (size_t)len, back, CAP);
	assert_ops_equal(all, (int)n, back, nb, "all boundary cases");
}

/* Clamping: out-of-range wide fields become the nearest value a script has. */
static void test_decode_wide_fields_clamp(void)
{
	struct vmafuzz_op op;
	char buf[VMAFUZZ_LINE_MAX];
	uint8_t in[5 * REC];

	/* munmap, addr 0xfffff, len 2^21-1: clamped to the window's end */
	memset(in, 0xff, sizeof(in));
	in[0] = 0xf1;
	ASSERT_INT(vmafuzz_decode(in, REC, &op, 1), 1);
	fmt(&op, buf, sizeof(buf));
	assert_expressible(&op, buf);
	ASSERT_STR(buf, "munmap 1048575 1");

	/* mremap fixed: NEW clamped so NEW+NEWLEN stays inside */
	in[0] = 0xfb;
	ASSERT_INT(vmafuzz_decode(in, 2 * REC, &op, 1), 1);
	fmt(&op, buf, sizeof(buf));
	assert_expressible(&op, buf);
	ASSERT_STR(buf, "mremap 1048575 1 1 maymove fixed=1048575 dontunmap");

	/* name: length 63 is 32, each character byte 0xff is 0xff % 65 = 60: '8' */
	in[0] = 0xf8;
	ASSERT_INT(vmafuzz_decode(in, sizeof(in), &op, 1), 1);
	fmt(&op, buf, sizeof(buf));
	assert_expressible(&op, buf);
	ASSERT_STR(buf, "name 1048575 1 88888888888888888888888888888888");

	/* a one-character name "-" is "no name" */
	memset(in, 0, sizeof(in));
	in[0] = 0xf8;
	in[6] = 1 << 1; /* length 1 at bit 41 */
	in[8] = 64;	/* '-' */
	ASSERT_INT(vmafuzz_decode(in, sizeof(in), &op, 1), 1);
	fmt(&op, buf, sizeof(buf));
	assert_expressible(&op, buf);
	ASSERT_STR(buf, "name 0 0 -");

	/* fail 0 and max-map-count 0 are 1; max-map-count 65535 is 65530 */
	memset(in, 0, sizeof(in));
	in[0] = 0xfe;
	ASSERT_INT(vmafuzz_decode(in, REC, &op, 1), 1);
	fmt(&op, buf, sizeof(buf));
	assert_expressible(&op, buf);
	ASSERT_STR(buf, "fail split 1");
	in[0] = 0xff;
	ASSERT_INT(vmafuzz_decode(in, REC, &op, 1), 1);
	fmt(&op, buf, sizeof(buf));
	assert_expressible(&op, buf);
	ASSERT_STR(buf, "max-map-count 1");
	in[1] = in[2] = 0xff;
	ASSERT_INT(vmafuzz_decode(in, REC, &op, 1), 1);
	fmt(&op, buf, sizeof(buf));
	assert_expressible(&op, buf);
	ASSERT_STR(buf, "max-map-count 65530");
}

/* The cap: at most VMAFUZZ_DECODE_MAX_OPS ops, whatever max_ops says. */
static void test_decode_op_cap(void)
{
	static uint8_t in[(CAP + 10) * REC];
	struct vmafuzz_op ops[CAP + 10];
	uint8_t out[VMAFUZZ_ENCODE_MAX_BYTES];
	unsigned int i;

	memset(in, 0xe0, sizeof(in)); /* forks */
	ASSERT_INT(vmafuzz_decode(in, sizeof(in), ops, CAP + 10), CAP);
	ASSERT_INT(vmafuzz_decode(in, sizeof(in), ops, 5), 5);
	/* The largest encoding fits VMAFUZZ_ENCODE_MAX_BYTES. */
	for (i = 0; i < CAP; i++)
		parse_one("name 1048575 1 abcdefghijklmnopqrstuvwxyzABCDEF", &ops[i]);
	ASSERT_INT(vmafuzz_encode(ops, CAP, out, sizeof(out)), VMAFUZZ_ENCODE_MAX_BYTES);
	ASSERT_INT(vmafuzz_encode(ops, CAP, out, sizeof(out) - 1), -1);
	ops[CAP] = ops[0];
	ASSERT_INT(vmafuzz_encode(ops, CAP + 1, out, sizeof(out)), -1);
}

/* A record cut short by the end of the input reads as if zero-padded. */
static void test_decode_short_record_is_zero_padded(void)
{
	uint8_t in[5 * REC], padded[5 * REC];
	struct vmafuzz_op a[CAP], b[CAP];
	unsigned int k;
	size_t cut;

	for (k = 0; k < 256; k++) {
		for (cut = 1; cut < sizeof(in); cut++) {
			size_t i;
			int na, nb;

			for (i = 0; i < sizeof(in); i++)
				in[i] = (uint8_t)unit_rand();
			in[0] = (uint8_t)k;
			memcpy(padded, in, cut);
			memset(padded + cut, 0, sizeof(padded) - cut);
			na = vmafuzz_decode(in, cut, a, 1);
			nb = vmafuzz_decode(padded, sizeof(padded), b, 1);
			assert_ops_equal(a, na, b, nb, "short record");
		}
	}
}

/*
 * Mutation stability: in an input of dense records, changing any byte but
 * a kind byte changes that record's op only; changing a kind byte changes
 * that op, and a wide kind swallows the records it takes, no more.
 */
static void test_decode_boundaries_stable_under_mutation(void)
{
	uint8_t in[16 * REC];
	struct vmafuzz_op a[CAP], b[CAP];
	unsigned int iter;

	for (iter = 0; iter < 2000; iter++) {
		size_t i, pos;
		int na, nb, rec, ext = 0;
		uint8_t old;

		for (i = 0; i < sizeof(in); i++)
			in[i] = (uint8_t)unit_rand();
		for (i = 0; i < sizeof(in); i += REC)
			in[i] %= 0xf0;
		na = vmafuzz_decode(in, sizeof(in), a, CAP);
		ASSERT_INT(na, 16);
		pos = (size_t)(unit_rand() % sizeof(in));
		rec = (int)(pos / REC);
		old = in[pos];
		in[pos] = (uint8_t)unit_rand();
		if (pos % REC == 0 && in[pos] >= 0xf0)
			ext = in[pos] == 0xf0 || in[pos] == 0xfb ? 1 : in[pos] == 0xf8 ? 4 : 0;
		nb = vmafuzz_decode(in, sizeof(in), b, CAP);
		if (rec + ext >= 16)
			ext = 15 - rec;
		ASSERT_INT(nb, na - ext);
		for (i = 0; i < (size_t)na && i < (size_t)nb; i++) {
			size_t j = i <= (size_t)rec ? i : i + (size_t)ext;

			if (i == (size_t)rec)
				continue;
			if (!vmafuzz_op_equal(&a[j], &b[i])) {
				UNIT_FAIL("byte %zu: 0x%02x -> 0x%02x changed op %zu", pos, old,
					  in[pos], i);
				break;
			}
		}
	}
}

/* Encodings concatenate: encode(x) then encode(y) decodes to x, y. */
static void test_encode_concatenates(void)
{
	static uint8_t in[600], both[2 * VMAFUZZ_ENCODE_MAX_BYTES];
	struct vmafuzz_op x[CAP], y[CAP], xy[2 * CAP], back[CAP];
	unsigned int iter;

	for (iter = 0; iter < 500; iter++) {
		size_t i, size = (size_t)(unit_rand() % 200);
		int nx, ny, lx, ly, nb;

		for (i = 0; i < sizeof(in); i++)
			in[i] = (uint8_t)unit_rand();
		nx = vmafuzz_decode(in, size, x, CAP / 2);
		ny = vmafuzz_decode(in + 300, size, y, CAP / 2);
		lx = vmafuzz_encode(x, (unsigned int)nx, both, VMAFUZZ_ENCODE_MAX_BYTES);
		ly = vmafuzz_encode(y, (unsigned int)ny, both + lx, VMAFUZZ_ENCODE_MAX_BYTES);
		if (lx < 0 || ly < 0) {
			UNIT_FAIL("iteration %u: does not encode", iter);
			return;
		}
		memcpy(xy, x, (size_t)nx * sizeof(x[0]));
		memcpy(xy + nx, y, (size_t)ny * sizeof(y[0]));
		nb = vmafuzz_decode(both, (size_t)(lx + ly), back, CAP);
		assert_ops_equal(xy, nx + ny, back, nb, "concatenation");
	}
}

/* Ops no script can write have no encoding; dump is skipped. */
static void test_encode_refuses_what_no_script_writes(void)
{
	struct vmafuzz_op op, ops[2];
	uint8_t out[64];

	parse_one("mmap 0 1 rw- anon", &op);
	op.addr = VMAFUZZ_WINDOW_PAGES;
	ASSERT_INT(vmafuzz_encode(&op, 1, out, sizeof(out)), -1);
	parse_one("mmap 0 1 rw- anon", &op);
	op.pgoff = 5; /* anon carries no pgoff */
	ASSERT_INT(vmafuzz_encode(&op, 1, out, sizeof(out)), -1);
	parse_one("munmap 10 1", &op);
	op.len = VMAFUZZ_WINDOW_PAGES;
	ASSERT_INT(vmafuzz_encode(&op, 1, out, sizeof(out)), -1);
	parse_one("name 0 1 ab", &op);
	op.name[1] = '/';
	ASSERT_INT(vmafuzz_encode(&op, 1, out, sizeof(out)), -1);
	strcpy(op.name, "-");
	ASSERT_INT(vmafuzz_encode(&op, 1, out, sizeof(out)), -1);
	parse_one("uffd-close 1", &op);
	op.ctx = 0;
	ASSERT_INT(vmafuzz_encode(&op, 1, out, sizeof(out)), -1);
	parse_one("max-map-count 5", &op);
	op.count = VMAFUZZ_DEFAULT_MAX_MAP_COUNT + 1;
	ASSERT_INT(vmafuzz_encode(&op, 1, out, sizeof(out)), -1);
	parse_one("fail split 5", &op);
	op.count = 0;
	ASSERT_INT(vmafuzz_encode(&op, 1, out, sizeof(out)), -1);
	parse_one("mremap 0 1 1 maymove", &op);
	op.newaddr = 7; /* without fixed= */
	ASSERT_INT(vmafuzz_encode(&op, 1, out, sizeof(out)), -1);
	parse_one("mlockall current", &op);
	op.flags = VMAFUZZ_MCL_ONFAULT;
	ASSERT_INT(vmafuzz_encode(&op, 1, out, sizeof(out)), -1);

	/* dump is output only: it has no bytes and is left out */
	parse_one("dump", &ops[0]);
	parse_one("fork", &ops[1]);
	ASSERT_INT(vmafuzz_encode(ops, 1, out, sizeof(out)), 0);
	ASSERT_INT(vmafuzz_encode(ops, 2, out, sizeof(out)), REC);
	ASSERT_INT(out[0], 0xe0);
}

int main(void)
{
	RUN(test_decode_empty_input_is_no_ops);
	RUN(test_decode_worked_example);
	RUN(test_decode_kind_table);
	RUN(test_decode_random_roundtrip);
	RUN(test_decode_reachable);
	RUN(test_decode_boundaries);
	RUN(test_decode_wide_fields_clamp);
	RUN(test_decode_op_cap);
	RUN(test_decode_short_record_is_zero_padded);
	RUN(test_decode_boundaries_stable_under_mutation);
	RUN(test_encode_concatenates);
	RUN(test_encode_refuses_what_no_script_writes);
	return unit_exit();
}
