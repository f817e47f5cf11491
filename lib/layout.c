// SPDX-License-Identifier: GPL-2.0
/*
 * The canonical layout (layout.h): building it, renumbering object identities
 * by first appearance in address order, comparing two layouts or a layout and
 * an expect line, and printing it in the expect syntax of SCRIPT-FORMAT.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "vmafuzz/layout.h"

void vmafuzz_layout_init(struct vmafuzz_layout *l)
{
	memset(l, 0, sizeof(*l));
}

void vmafuzz_layout_fini(struct vmafuzz_layout *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void vmafuzz_layout_clear(struct vmafuzz_layout *l)
{
	l->nr = 0;
	memset(&l->c, 0, sizeof(l->c));
}

struct vmafuzz_lvma *vmafuzz_layout_push(struct vmafuzz_layout *l)
{
	struct vmafuzz_lvma *v;

	if (l->nr == l->cap) {
		unsigned int cap = l->cap ? 2 * l->cap : 16;

		v = realloc(l->v, (size_t)cap * sizeof(*v));
		if (!v) {
			/* Every caller would have to give up anyway: the oracle needs the layout. */
			fputs("vmafuzz: out of memory\n", stderr);
			abort();
		}
		l->v = v;
		l->cap = cap;
	}
	v = &l->v[l->nr++];
	memset(v, 0, sizeof(*v));
	return v;
}

/*
 * Canonical numbering. Each raw identity lives in a class that is numbered on
 * its own: anon_vmas, shared-anonymous objects, and the attaches (opens) of
 * each segment (device) F. A class's next number and the raw -> canonical map
 * sit in one open-addressed table, so a layout is renumbered in O(n).
 */
enum {
	CLASS_AV,
	CLASS_ZERO,
	CLASS_SHM,		     /* + F */
	CLASS_DEV = CLASS_SHM + 256, /* + F */
	CLASS_NR = CLASS_DEV + 256,
};

struct canon {
	uint32_t *keys; /* class << 16 | raw, plus 1 so that 0 marks a free slot */
	uint16_t *vals;
	size_t mask;
	uint16_t next[CLASS_NR];
};

static uint16_t canon_id(struct canon *cn, unsigned int class, uint16_t raw)
{
	uint32_t key = ((uint32_t) class << 16 | raw) + 1;
	uint32_t h = key * 0x9e3779b1u;
	size_t i = (size_t)(h ^ h >> 16) & cn->mask;

	while (cn->keys[i] && cn->keys[i] != key)
		i = (i + 1) & cn->mask;
	if (!cn->keys[i]) {
		cn->keys[i] = key;
		cn->vals[i] = ++cn->next[class];
	}
	return cn->vals[i];
}

void vmafuzz_layout_canonicalize(struct vmafuzz_layout *l)
{
	/* Small layouts (the common case when fuzzing) need no allocation. */
	uint32_t small_keys[256];
	uint16_t small_vals[256];
	struct canon cn;
	size_t slots = 16;
	unsigned int i;

	/* At most two identities per VMA; keep the table at most half full. */
	while (slots < 4 * (size_t)l->nr)
		slots *= 2;
	memset(cn.next, 0, sizeof(cn.next));
	cn.mask = slots - 1;
	if (slots <= 256) {
		cn.keys = small_keys;
		cn.vals = small_vals;
	} else {
		cn.keys = malloc(slots * sizeof(*cn.keys));
		cn.vals = malloc(slots * sizeof(*cn.vals));
		if (!cn.keys || !cn.vals) {
			fputs("vmafuzz: out of memory\n", stderr);
			abort();
		}
	}
	memset(cn.keys, 0, slots * sizeof(*cn.keys));

	for (i = 0; i < l->nr; i++) {
		struct vmafuzz_lvma *v = &l->v[i];

		if (v->av)
			v->av = canon_id(&cn, CLASS_AV, v->av);
		switch (v->obj) {
		case VMAFUZZ_OBJ_ZERO:
			v->file = 0;
			v->inst = canon_id(&cn, CLASS_ZERO, v->inst);
			break;
		case VMAFUZZ_OBJ_SHM:
			v->inst = canon_id(&cn, CLASS_SHM + v->file, v->inst);
			break;
		case VMAFUZZ_OBJ_DEV:
			v->inst = canon_id(&cn, CLASS_DEV + v->file, v->inst);
			break;
		case VMAFUZZ_OBJ_ANON:
			v->file = 0;
			v->inst = 0;
			break;
		default:
			v->inst = 0;
			break;
		}
	}

	if (cn.keys != small_keys) {
		free(cn.keys);
		free(cn.vals);
	}
}

bool vmafuzz_lvma_equal(const struct vmafuzz_lvma *a, const struct vmafuzz_lvma *b)
{
	return a->start == b->start && a->end == b->end && a->pgoff == b->pgoff &&
	       a->flags == b->flags && a->obj == b->obj && a->file == b->file &&
	       a->inst == b->inst && a->av == b->av && a->av_forked == b->av_forked &&
	       a->pol == b->pol && a->pol_home == b->pol_home && a->uffd == b->uffd &&
	       !strcmp(a->name, b->name);
}

long vmafuzz_layout_diff(const struct vmafuzz_layout *a, const struct vmafuzz_layout *b)
{
	unsigned int n = a->nr < b->nr ? a->nr : b->nr;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (!vmafuzz_lvma_equal(&a->v[i], &b->v[i]))
			return i;
	}
	if (a->nr != b->nr || !vmafuzz_counters_equal(&a->c, &b->c))
		return n;
	return -1;
}

bool vmafuzz_counters_equal(const struct vmafuzz_counters *a, const struct vmafuzz_counters *b)
{
	return a->map_count == b->map_count && a->locked_vm == b->locked_vm &&
	       a->total_vm == b->total_vm && a->committed == b->committed;
}

static void format_file(struct strbuf *sb, const struct vmafuzz_lvma *v)
{
	switch (v->obj) {
	case VMAFUZZ_OBJ_ANON:
		sb_printf(sb, "-");
		break;
	case VMAFUZZ_OBJ_FILE:
		sb_printf(sb, "%u", v->file);
		break;
	case VMAFUZZ_OBJ_SHM:
		sb_printf(sb, "shm:%u.%u", v->file, v->inst);
		break;
	case VMAFUZZ_OBJ_DEV:
		sb_printf(sb, "dev:%u.%u", v->file, v->inst);
		break;
	case VMAFUZZ_OBJ_ZERO:
		sb_printf(sb, "zero:%u", v->inst);
		break;
	default:
		/* Only a broken target gets here; say so rather than hide it. */
		sb_printf(sb, "?obj%u", v->obj);
		break;
	}
}

static void format_flags(struct strbuf *sb, uint64_t flags)
{
	const char *sep = "";

#define X(s, bit)                              \
	if (flags & (bit)) {                   \
		sb_printf(sb, "%s%s", sep, s); \
		sep = ",";                     \
	}
	VMAFUZZ_FLAG_NAMES(X)
#undef X
}

int vmafuzz_lvma_format_keys(char *buf, size_t sz, const struct vmafuzz_lvma *v, unsigned int mask)
{
	struct strbuf sb;

	sb_init(&sb, buf, sz);
	sb_printf(&sb, "%u-%u %c%c%c%c", v->start, v->end, v->flags & VMAFUZZ_VM_READ ? 'r' : '-',
		  v->flags & VMAFUZZ_VM_WRITE ? 'w' : '-', v->flags & VMAFUZZ_VM_EXEC ? 'x' : '-',
		  v->flags & VMAFUZZ_VM_MAYSHARE ? 's' : 'p');
	if (mask & VMAFUZZ_KEY_PGOFF)
		sb_printf(&sb, " pgoff=%llu", (unsigned long long)v->pgoff);
	if (mask & VMAFUZZ_KEY_FILE) {
		sb_printf(&sb, " file=");
		format_file(&sb, v);
	}
	if (mask & VMAFUZZ_KEY_AV)
		sb_printf(&sb, " av=%u%s", v->av, v->av_forked ? "+" : "");
	if (mask & VMAFUZZ_KEY_FLAGS) {
		sb_printf(&sb, " flags=");
		format_flags(&sb, v->flags);
	}
	if (mask & VMAFUZZ_KEY_POL) {
		if (v->pol < VMAFUZZ_POL_NR)
			sb_printf(&sb, " pol=%s", vmafuzz_policy_names[v->pol]);
		else
			sb_printf(&sb, " pol=?%u", v->pol);
		if (v->pol_home)
			sb_printf(&sb, "@0");
	}
	if (mask & VMAFUZZ_KEY_UFFD)
		sb_printf(&sb, " uffd=%u", v->uffd);
	if (mask & VMAFUZZ_KEY_NAME)
		sb_printf(&sb, " name=%s", v->name[0] ? v->name : "-");
	return sb_len(&sb);
}

int vmafuzz_lvma_format(char *buf, size_t sz, const struct vmafuzz_lvma *v)
{
	return vmafuzz_lvma_format_keys(buf, sz, v, VMAFUZZ_KEY_ALL);
}

/* X(bit, "key", field): the counters in the order they are printed. */
#define COUNTERS(X)                                      \
	X(VMAFUZZ_CNT_MAP_COUNT, "map_count", map_count) \
	X(VMAFUZZ_CNT_LOCKED_VM, "locked_vm", locked_vm) \
	X(VMAFUZZ_CNT_TOTAL_VM, "total_vm", total_vm)    \
	X(VMAFUZZ_CNT_COMMITTED, "committed", committed)

int vmafuzz_counters_format_keys(char *buf, size_t sz, const struct vmafuzz_counters *c,
				 unsigned int mask)
{
	struct strbuf sb;

	sb_init(&sb, buf, sz);
	sb_printf(&sb, "expect-counters");
#define X(bit, s, field)  \
	if (mask & (bit)) \
		sb_printf(&sb, " %s=%lld", s, (long long)c->field);
	COUNTERS(X)
#undef X
	return sb_len(&sb);
}

int vmafuzz_counters_format(char *buf, size_t sz, const struct vmafuzz_counters *c)
{
	return vmafuzz_counters_format_keys(buf, sz, c, VMAFUZZ_CNT_ALL);
}

void vmafuzz_layout_print(FILE *f, const struct vmafuzz_layout *l, const char *indent)
{
	char line[VMAFUZZ_LINE_MAX];
	unsigned int i;

	if (!indent)
		indent = "";
	fprintf(f, "%sexpect\n", indent);
	for (i = 0; i < l->nr; i++) {
		vmafuzz_lvma_format(line, sizeof(line), &l->v[i]);
		fprintf(f, "%s%s\n", indent, line);
	}
	fprintf(f, "%send\n", indent);
	vmafuzz_counters_format(line, sizeof(line), &l->c);
	fprintf(f, "%s%s\n", indent, line);
}

/*
 * Row i of the diff: line i of each layout ("" past its end). Rows that
 * print the same yet differ differ in bits the syntax does not show (MAY
 * bits, VM_SHARED, unnamed flags): those get the raw flags appended.
 */
static void diff_row(char *la, char *lb, size_t sz, const struct vmafuzz_layout *a,
		     const struct vmafuzz_layout *b, unsigned int i)
{
	la[0] = lb[0] = '\0';
	if (i < a->nr)
		vmafuzz_lvma_format(la, sz, &a->v[i]);
	if (i < b->nr)
		vmafuzz_lvma_format(lb, sz, &b->v[i]);
	if (i < a->nr && i < b->nr && !strcmp(la, lb) && !vmafuzz_lvma_equal(&a->v[i], &b->v[i])) {
		size_t l = strlen(la);

		snprintf(la + l, sz - l, " # raw flags %#llx", (unsigned long long)a->v[i].flags);
		snprintf(lb + l, sz - l, " # raw flags %#llx", (unsigned long long)b->v[i].flags);
	}
}

void vmafuzz_layout_print_diff(FILE *f, const char *name_a, const struct vmafuzz_layout *a,
			       const char *name_b, const struct vmafuzz_layout *b)
{
	char la[VMAFUZZ_LINE_MAX + 32], lb[VMAFUZZ_LINE_MAX + 32];
	unsigned int n = a->nr > b->nr ? a->nr : b->nr;
	long first = vmafuzz_layout_diff(a, b);
	/* wide enough for a counter row: "committed=" and 20 digits */
	int w = 32;
	unsigned int i;

	if ((int)strlen(name_a) > w)
		w = (int)strlen(name_a);
	for (i = 0; i < n; i++) {
		diff_row(la, lb, sizeof(la), a, b, i);
		if ((int)strlen(la) > w)
			w = (int)strlen(la);
	}

	fprintf(f, "  %-*s | %s\n", w, name_a, name_b);
	fprintf(f, "  %-*s | %s\n", w, "expect", "expect");
	for (i = 0; i < n; i++) {
		diff_row(la, lb, sizeof(la), a, b, i);
		fprintf(f, "%c %-*s | %s\n", first >= 0 && (unsigned long)first == i ? '>' : ' ', w,
			la, lb);
	}
	fprintf(f, "  %-*s | %s\n", w, "end", "end");
#define X(bit, s, field)                                               \
	snprintf(la, sizeof(la), "%s=%lld", s, (long long)a->c.field); \
	snprintf(lb, sizeof(lb), "%s=%lld", s, (long long)b->c.field); \
	fprintf(f, "%c %-*s | %s\n", a->c.field != b->c.field ? '>' : ' ', w, la, lb);
	COUNTERS(X)
#undef X
}

bool vmafuzz_lvma_matches(const struct vmafuzz_lvma *v, const struct vmafuzz_lvma *e,
			  unsigned int mask)
{
	const uint64_t always = VMAFUZZ_VM_READ | VMAFUZZ_VM_WRITE | VMAFUZZ_VM_EXEC;

	if (v->start != e->start || v->end != e->end)
		return false;
	if ((v->flags & always) != (e->flags & always))
		return false;
	if (!(v->flags & VMAFUZZ_VM_MAYSHARE) != !(e->flags & VMAFUZZ_VM_MAYSHARE))
		return false;
	if ((mask & VMAFUZZ_KEY_PGOFF) && v->pgoff != e->pgoff)
		return false;
	if (mask & VMAFUZZ_KEY_FILE) {
		if (v->obj != e->obj)
			return false;
		if (v->obj != VMAFUZZ_OBJ_ANON && v->obj != VMAFUZZ_OBJ_ZERO && v->file != e->file)
			return false;
		if (v->obj != VMAFUZZ_OBJ_ANON && v->obj != VMAFUZZ_OBJ_FILE && v->inst != e->inst)
			return false;
	}
	if ((mask & VMAFUZZ_KEY_AV) && (v->av != e->av || v->av_forked != e->av_forked))
		return false;
	if ((mask & VMAFUZZ_KEY_FLAGS) &&
	    (v->flags & VMAFUZZ_VM_NAMED) != (e->flags & VMAFUZZ_VM_NAMED))
		return false;
	if ((mask & VMAFUZZ_KEY_POL) && (v->pol != e->pol || v->pol_home != e->pol_home))
		return false;
	if ((mask & VMAFUZZ_KEY_UFFD) && v->uffd != e->uffd)
		return false;
	if ((mask & VMAFUZZ_KEY_NAME) && strcmp(v->name, e->name))
		return false;
	return true;
}
