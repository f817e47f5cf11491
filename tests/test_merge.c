// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of lib/merge.c: vma_merge() of Linux v6.6 case by case
 * (SEMANTICS.md §3), its gates and mergeability predicates (§2), the
 * close-hook rules with the case-7 fix the model applies (§3.4, §3.6), the
 * anon_vma rules (§2.3) and propagation (§3.5), `fail merge` (§3.3 step 11),
 * and vma_expand() (§4.2). VMAs are built by hand; vma_merge() is called
 * directly, the way the kernel's tools/testing/vma tests call it.
 *
 * Every anonymous VMA here has pgoff = start page + BASE, so a merge that
 * computes a pgoff wrongly breaks ASSERT_PGOFF_LINEAR. The range under test
 * is always pages [3, 6).
 */
#include "vmatest.h"

#define BASE 100UL

/* P, C, N and the range: read-only; C (the VMA being changed) read-write. */
#define TGT F_RO
#define OLD F_RW

VT_FIXTURE()
static struct vmafuzz_coverage st;

static struct vm_area_struct *anon(unsigned long s, unsigned long e, unsigned long long flags,
				   char letter)
{
	struct vm_area_struct *v = vt_add(m, s, e, s + BASE, flags);

	vt_nm(&nm, letter, v);
	return v;
}

/* The case vma_merge() took since the last snapshot: 1-8, 0 for none. */
static int merge_case_taken(void)
{
	int c, taken = -1;

	for (c = 0; c <= 8; c++)
		if (m->stats.merge_case[c] != st.merge_case[c])
			taken = taken == -1 ? c : -2;
	return taken < 0 ? (taken == -1 ? 0 : -1) : taken;
}

static void snapshot(void)
{
	st = m->stats;
}

/* -------------------------------------------------- the eight cases */

/*
 * Where P, C and N sit for each case, before and after; the range is
 * [3, 6) with flags TGT. In the "modify" cases 4-8 the range is (part of)
 * a VMA with flags OLD: the tail of P in case 4, the head or all of C in
 * cases 5-8.
 *
 *              0123456789          0123456789
 *   case 1     PPP...NNN      ->   PPPPPPPPP     P survives, N freed
 *   case 2     PPP            ->   PPPPPP        P survives
 *   case 3     ......NNN      ->   ...NNNNNN     N survives, pgoff -= 3
 *   case 4     PPPPPPNNN      ->   PPPNNNNNN     N survives, P shrinks
 *   case 5     PPPCCCCCC      ->   PPPPPPCCC     P survives, C shrinks
 *   case 6     PPPCCCNNN      ->   PPPPPPPPP     P survives, C and N freed
 *   case 7     PPPCCC         ->   PPPPPP        P survives, C freed
 *   case 8     ...CCCNNN      ->   ...NNNNNN     N survives, C freed
 */
/* clang-format off */
static const struct {
	const char *before, *after;
	char survivor;
	int map_count;
} shapes[9] = {
	[1] = { "PPP...NNN", "PPPPPPPPP", 'P', 1 },
	[2] = { "PPP", "PPPPPP", 'P', 1 },
	[3] = { "......NNN", "...NNNNNN", 'N', 1 },
	[4] = { "PPPPPPNNN", "PPPNNNNNN", 'N', 2 },
	[5] = { "PPPCCCCCC", "PPPPPPCCC", 'P', 2 },
	[6] = { "PPPCCCNNN", "PPPPPPPPP", 'P', 1 },
	[7] = { "PPPCCC", "PPPPPP", 'P', 1 },
	[8] = { "...CCCNNN", "...NNNNNN", 'N', 1 },
};
/* clang-format on */

struct roles {
	struct vm_area_struct *p, *c, *n;
};

/* Gives a role its attributes before it is linked; may be NULL. */
typedef void (*role_fn)(struct vm_area_struct *v, char role);

static struct vm_area_struct *build_role(unsigned long s, unsigned long e, unsigned long long flags,
					 char role, role_fn fn)
{
	struct vm_area_struct *v = vt_alloc(m, s, e, s + BASE, flags);

	if (fn)
		fn(v, role);
	vt_link(v);
	vt_nm(&nm, role, v);
	return v;
}

static void build_shape(int c, struct roles *r, role_fn fn)
{
	memset(r, 0, sizeof(*r));
	if (c == 4)
		r->p = build_role(0, 6, OLD, 'P', fn);
	else if (c != 3 && c != 8)
		r->p = build_role(0, 3, TGT, 'P', fn);
	if (c == 5)
		r->c = build_role(3, 9, OLD, 'C', fn);
	else if (c >= 6)
		r->c = build_role(3, 6, OLD, 'C', fn);
	if (c == 1 || c == 3 || c == 4 || c == 6 || c == 8)
		r->n = build_role(6, 9, TGT, 'N', fn);
}

/* The anon_vma a caller would pass: that of the VMA being modified. */
static struct anon_vma *caller_anon(int c, const struct roles *r)
{
	if (c == 4)
		return r->p->anon_vma;
	if (c >= 5)
		return r->c->anon_vma;
	return NULL;
}

static struct vm_area_struct *merge_shape(int c, const struct roles *r, struct file *file,
					  struct anon_vma *anon)
{
	snapshot();
	return vma_merge(mm, c == 3 || c == 8 ? NULL : r->p, PG(3), PG(6), TGT, anon, file,
			 3 + BASE, NULL, NULL, NULL);
}

static struct vm_area_struct *role(const struct roles *r, char letter)
{
	return letter == 'P' ? r->p : letter == 'C' ? r->c : r->n;
}

/* A new range (cases 1-3) was mapped by hand: account it as mmap would. */
static void account_new_range(int c)
{
	if (c >= 1 && c <= 3)
		mm->total_vm += 3;
}

static void test_merge_cases_1_to_8(void)
{
	int c;

	for (c = 1; c <= 8; c++) {
		struct vm_area_struct *ret, *survivor;
		unsigned long gone[2] = { 0, 0 };
		struct roles r;

		VT_ITER_BEGIN();

		setup();
		build_shape(c, &r, NULL);
		ASSERT_LAYOUT(mm, &nm, shapes[c].before);
		survivor = role(&r, shapes[c].survivor);
		if (c == 1)
			gone[0] = r.n->serial;
		if (c == 6) {
			gone[0] = r.c->serial;
			gone[1] = r.n->serial;
		}
		if (c == 7 || c == 8)
			gone[0] = r.c->serial;

		ret = merge_shape(c, &r, NULL, caller_anon(c, &r));

		if (ret != survivor)
			UNIT_FAIL("case %d: returned %p, expected %c (%p)", c, (void *)ret,
				  shapes[c].survivor, (void *)survivor);
		ASSERT_INT(merge_case_taken(), c);
		ASSERT_LAYOUT(mm, &nm, shapes[c].after);
		ASSERT_PGOFF_LINEAR(mm, BASE);
		ASSERT_INT(mm->map_count, shapes[c].map_count);
		ASSERT_FALSE(gone[0] && vt_serial_linked(mm, gone[0]));
		ASSERT_FALSE(gone[1] && vt_serial_linked(mm, gone[1]));
		ASSERT_INT(survivor->vm_flags, TGT);
		account_new_range(c);
		ASSERT_INVARIANTS(m);
		VT_ITER_END("case %d", c);
		teardown();
	}
}

/* Exact numbers for each case, in the kernel tests' manner. */
static void test_merge_case_ranges_and_pgoffs(void)
{
	struct vm_area_struct *p, *c, *n;

	/*  0123456789
	 *  PPPPPPNNN     [3,6) of P becomes TGT: case 4
	 *  PPPNNNNNN  */
	setup();
	p = anon(0, 6, OLD, 'P');
	n = anon(6, 9, TGT, 'N');
	ASSERT_PTR(vma_merge(mm, p, PG(3), PG(6), TGT, NULL, NULL, 3 + BASE, NULL, NULL, NULL), n);
	ASSERT_VMA(p, 0, 3, BASE);
	ASSERT_VMA(n, 3, 9, 3 + BASE);
	ASSERT_INVARIANTS(m);
	teardown();

	/*  0123456789
	 *  PPPCCCCCC     [3,6) of C becomes TGT: case 5
	 *  PPPPPPCCC  */
	setup();
	p = anon(0, 3, TGT, 'P');
	c = anon(3, 9, OLD, 'C');
	ASSERT_PTR(vma_merge(mm, p, PG(3), PG(6), TGT, NULL, NULL, 3 + BASE, NULL, NULL, NULL), p);
	ASSERT_VMA(p, 0, 6, BASE);
	ASSERT_VMA(c, 6, 9, 6 + BASE);
	ASSERT_INVARIANTS(m);
	teardown();

	/*  0123456789
	 *  ...CCCNNN     C becomes TGT, no prev: case 8, N takes C's pgoff
	 *  ...NNNNNN  */
	setup();
	c = anon(3, 6, OLD, 'C');
	n = anon(6, 9, TGT, 'N');
	ASSERT_PTR(vma_merge(mm, NULL, PG(3), PG(6), TGT, NULL, NULL, 3 + BASE, NULL, NULL, NULL),
		   n);
	ASSERT_VMA(n, 3, 9, 3 + BASE);
	ASSERT_INT(mm->map_count, 1);
	ASSERT_INVARIANTS(m);
	teardown();
}

/* Case 3 also applies when a prev exists but is not adjacent. */
static void test_merge_case3_with_distant_prev(void)
{
	struct vm_area_struct *p, *n;

	/*  0123456789
	 *  PP....NNN     [3,6) new, prev = P (ends at 2)
	 *  PP.NNNNNN  */
	setup();
	p = anon(0, 2, TGT, 'P');
	n = anon(6, 9, TGT, 'N');
	snapshot();
	ASSERT_PTR(vma_merge(mm, p, PG(3), PG(6), TGT, NULL, NULL, 3 + BASE, NULL, NULL, NULL), n);
	ASSERT_INT(merge_case_taken(), 3);
	ASSERT_LAYOUT(mm, &nm, "PP.NNNNNN");
	ASSERT_PGOFF_LINEAR(mm, BASE);
	mm->total_vm += 3;
	ASSERT_INVARIANTS(m);
	teardown();
}

/* Case 7 still applies when a next exists that does not match. */
static void test_merge_case7_with_unmergeable_next(void)
{
	struct vm_area_struct *p;

	/*  0123456789
	 *  PPPCCCNNN     N has VM_DONTCOPY
	 *  PPPPPPNNN  */
	setup();
	p = anon(0, 3, TGT, 'P');
	anon(3, 6, OLD, 'C');
	anon(6, 9, TGT | VM_DONTCOPY, 'N');
	snapshot();
	ASSERT_PTR(vma_merge(mm, p, PG(3), PG(6), TGT, NULL, NULL, 3 + BASE, NULL, NULL, NULL), p);
	ASSERT_INT(merge_case_taken(), 7);
	ASSERT_LAYOUT(mm, &nm, "PPPPPPNNN");
	ASSERT_INT(mm->map_count, 2);
	ASSERT_INVARIANTS(m);
	teardown();
}

/* A range strictly inside one VMA never merges (§3.4, last note). */
static void test_merge_range_inside_a_vma_is_null(void)
{
	unsigned long long flags[] = { TGT, OLD };
	unsigned int i;

	for (i = 0; i < 2; i++) {
		struct vm_area_struct *v;

		/*  0123456789
		 *  VVVVVVVVV     [3,6) inside V, prev = V */
		setup();
		v = anon(0, 9, OLD, 'V');
		snapshot();
		ASSERT_NULL(vma_merge(mm, v, PG(3), PG(6), flags[i], NULL, NULL, 3 + BASE, NULL,
				      NULL, NULL));
		ASSERT_INT(merge_case_taken(), 0);
		ASSERT_LAYOUT(mm, &nm, "VVVVVVVVV");
		ASSERT_INVARIANTS(m);
		teardown();
	}
}

/* --------------------------------------------------------- the gates */

/* Requested flags with any VM_SPECIAL bit: no merge, whatever the neighbours. */
static void test_merge_special_gate(void)
{
	static const unsigned long long special[] = { VM_IO, VM_DONTEXPAND, VM_PFNMAP,
						      VM_MIXEDMAP };
	unsigned int i, c;

	for (i = 0; i < 4; i++) {
		for (c = 1; c <= 8; c += 5) { /* a new range (1) and a modify (6) */
			struct roles r;

			/*  0123456789
			 *  PPP...NNN  or  PPPCCCNNN, every flag equal, special */
			setup();
			memset(&r, 0, sizeof(r));
			r.p = anon(0, 3, TGT | special[i], 'P');
			if (c == 6)
				r.c = anon(3, 6, TGT | special[i], 'C');
			r.n = anon(6, 9, TGT | special[i], 'N');
			ASSERT_NULL(vma_merge(mm, r.p, PG(3), PG(6), TGT | special[i], NULL, NULL,
					      3 + BASE, NULL, NULL, NULL));
			ASSERT_LAYOUT(mm, &nm, c == 1 ? "PPP...NNN" : "PPPCCCNNN");
			ASSERT_INT(mm->map_count, c == 1 ? 2 : 3);
			ASSERT_INVARIANTS(m);
			teardown();
		}
	}
}

/* ------------------------------------------------ mergeability, each rule */

/*
 * Every flag bit takes part in the equality except VM_SOFTDIRTY, which is 0
 * in this configuration. A neighbour that differs in one bit is left out:
 * N differing gives case 2 instead of 1, P differing gives case 3.
 *
 *  0123456789
 *  PPP...NNN     one of P, N has flags TGT ^ bit
 *  PPPPPPNNN     (N differs)    ...NNNNNN with P kept (P differs)
 */
static void test_merge_flags_must_be_equal(void)
{
	/* clang-format off */
	static const unsigned long long bits[] = {
		VM_READ, VM_WRITE, VM_EXEC, VM_SHARED, VM_MAYREAD, VM_MAYWRITE, VM_MAYEXEC,
		VM_MAYSHARE, VM_GROWSDOWN, VM_UFFD_MISSING, VM_UFFD_WP, VM_LOCKED,
		VM_SEQ_READ, VM_RAND_READ, VM_DONTCOPY, VM_LOCKONFAULT, VM_ACCOUNT,
		VM_NORESERVE, VM_HUGETLB, VMAFUZZ_VM_SYNC, VM_WIPEONFORK, VM_DONTDUMP,
		VM_HUGEPAGE, VM_NOHUGEPAGE, VM_MERGEABLE,
	};
	/* clang-format on */
	unsigned int i, odd;

	ASSERT_HEX(VM_SOFTDIRTY, 0);
	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		for (odd = 0; odd < 2; odd++) {
			unsigned long long pf = odd ? TGT ^ bits[i] : TGT;
			unsigned long long nf = odd ? TGT : TGT ^ bits[i];
			struct vm_area_struct *p, *n;

			VT_ITER_BEGIN();

			setup();
			p = anon(0, 3, pf, 'P');
			n = anon(6, 9, nf, 'N');
			ASSERT_PTR(vma_merge(mm, p, PG(3), PG(6), TGT, NULL, NULL, 3 + BASE, NULL,
					     NULL, NULL),
				   odd ? n : p);
			ASSERT_LAYOUT(mm, &nm, odd ? "PPPNNNNNN" : "PPPPPPNNN");
			ASSERT_PGOFF_LINEAR(mm, BASE);
			mm->total_vm += 3;
			/* uffd bits without a context are not a state the checker allows */
			if (!(bits[i] & __VM_UFFD_FLAGS))
				ASSERT_INVARIANTS(m);
			VT_ITER_END("bit %#llx on %s", bits[i], odd ? "P" : "N");
			teardown();
		}
	}
}

/*
 * The other attributes: the range and one neighbour get `rest`, the other
 * neighbour (`odd`) gets its own. Each VMA gets its own objects (names,
 * policies), so equality is by value where the rule says so.
 */
struct attr_row {
	const char *what;
	void (*rest)(struct vm_area_struct *v);
	void (*odd)(struct vm_area_struct *v);
	bool merges;
};

static void a_none(struct vm_area_struct *v)
{
}

static void a_file1(struct vm_area_struct *v)
{
	vt_file(m, v, 1);
}

static void a_file2(struct vm_area_struct *v)
{
	vt_file(m, v, 2);
}

static void a_ctx1(struct vm_area_struct *v)
{
	vt_uffd(v, 1, VM_UFFD_MISSING);
}

static void a_ctx2(struct vm_area_struct *v)
{
	vt_uffd(v, 2, VM_UFFD_MISSING);
}

static void a_name_a(struct vm_area_struct *v)
{
	vt_name(v, "a");
}

static void a_name_b(struct vm_area_struct *v)
{
	vt_name(v, "b");
}

static void a_bind(struct vm_area_struct *v)
{
	vt_pol(v, VMAFUZZ_POL_BIND, -1);
}

static void a_bind_home0(struct vm_area_struct *v)
{
	vt_pol(v, VMAFUZZ_POL_BIND, 0);
}

static void a_interleave(struct vm_area_struct *v)
{
	vt_pol(v, VMAFUZZ_POL_INTERLEAVE, -1);
}

static void a_pgoff_skew(struct vm_area_struct *v)
{
	v->vm_pgoff += 1;
}

/* clang-format off */
static const struct attr_row attr_rows[] = {
	{ "nothing differs", a_none, a_none, true },
	{ "same open file", a_file1, a_file1, true },
	{ "different open files", a_file1, a_file2, false },
	{ "file against anonymous", a_none, a_file1, false },
	{ "anonymous against file", a_file1, a_none, false },
	{ "same uffd context", a_ctx1, a_ctx1, true },
	{ "uffd context against none", a_none, a_ctx1, false },
	{ "different uffd contexts", a_ctx1, a_ctx2, false },
	{ "equal names, separate objects", a_name_a, a_name_a, true },
	{ "different names", a_name_a, a_name_b, false },
	{ "a name against none", a_none, a_name_a, false },
	{ "none against a name", a_name_a, a_none, false },
	{ "equal policies, separate objects", a_bind, a_bind, true },
	{ "explicit policy against NULL", a_none, a_bind, false },
	{ "NULL against explicit policy", a_bind, a_none, false },
	{ "policy modes differ", a_bind, a_interleave, false },
	{ "policy home nodes differ", a_bind, a_bind_home0, false },
	{ "pgoff not linear", a_none, a_pgoff_skew, false },
};
/* clang-format on */

static void test_merge_attributes_must_match(void)
{
	unsigned int i, odd;

	for (i = 0; i < sizeof(attr_rows) / sizeof(attr_rows[0]); i++) {
		const struct attr_row *row = &attr_rows[i];

		for (odd = 0; odd < 2; odd++) { /* 0: N is odd, 1: P is odd */
			struct vm_area_struct *p, *n, *range, *ret, *want;
			const char *after;

			/*  0123456789
			 *  PPP...NNN     the range [3,6) has `rest`, so does one of P, N */
			VT_ITER_BEGIN();

			setup();
			p = vt_alloc(m, 0, 3, BASE, TGT);
			n = vt_alloc(m, 6, 9, 6 + BASE, TGT);
			(odd ? row->odd : row->rest)(p);
			(odd ? row->rest : row->odd)(n);
			vt_nm(&nm, 'P', vt_link(p));
			vt_nm(&nm, 'N', vt_link(n));
			/* The range's attributes, carried by a VMA that is never linked. */
			range = vt_alloc(m, 3, 6, 3 + BASE, TGT);
			row->rest(range);

			ret = vma_merge(mm, p, PG(3), PG(6), range->vm_flags, NULL, range->vm_file,
					range->vm_pgoff, range->vm_policy,
					range->vm_userfaultfd_ctx, range->anon_name);
			vm_area_free_full(range, false);

			want = row->merges || !odd ? p : n;
			after = row->merges ? "PPPPPPPPP" : odd ? "PPPNNNNNN" : "PPPPPPNNN";
			ASSERT_PTR(ret, want);
			ASSERT_LAYOUT(mm, &nm, after);
			mm->total_vm += 3;
			ASSERT_INVARIANTS(m);
			VT_ITER_END("%s, odd one %s", row->what, odd ? "P" : "N");
			teardown();
		}
	}
}

/* ----------------------------------------------------------- close hooks */

/*
 * 6.6 checks a close hook on N only, in every case that involves N (N "may
 * be removed" even where it survives); never on P; on C only in case 7, the
 * fix the model applies. One device file; the VMA named `closer` has
 * device_vm_ops (a close hook), the others file_vm_ops (none).
 */
static char closer;
static struct file *devf;

static void r_dev(struct vm_area_struct *v, char r)
{
	v->vm_file = get_file(devf);
	v->vm_ops = r == closer ? &device_vm_ops : &file_vm_ops;
}

static void test_merge_close_hooks(void)
{
	/* clang-format off */
	static const struct {
		int shape;
		char closer;
		int result;		/* the case taken, 0: NULL */
		const char *after;
	} rows[] = {
		{ 1, 'P', 1, "PPPPPPPPP" }, { 1, 'N', 2, "PPPPPPNNN" },
		{ 2, 'P', 2, "PPPPPP" },
		{ 3, 'N', 0, "......NNN" },
		{ 4, 'P', 4, "PPPNNNNNN" }, { 4, 'N', 0, "PPPPPPNNN" },
		{ 5, 'P', 5, "PPPPPPCCC" }, { 5, 'C', 5, "PPPPPPCCC" },
		{ 6, 'P', 6, "PPPPPPPPP" }, { 6, 'C', 6, "PPPPPPPPP" }, { 6, 'N', 7, "PPPPPPNNN" },
		{ 7, 'P', 7, "PPPPPP" }, { 7, 'C', 0, "PPPCCC" },
		{ 8, 'C', 8, "...NNNNNN" }, { 8, 'N', 0, "...CCCNNN" },
	};
	/* clang-format on */
	unsigned int i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct vm_area_struct *ret;
		struct roles r;
		int c = rows[i].shape;

		VT_ITER_BEGIN();

		setup();
		devf = file_open(m, FILE_DEVICE, 0, FILE_EXTENT_PAGES);
		closer = rows[i].closer;
		build_shape(c, &r, r_dev);
		fput(devf); /* the VMAs hold it now */
		ret = merge_shape(c, &r, devf, NULL);
		if (rows[i].result == 0)
			ASSERT_NULL(ret);
		else
			ASSERT_PTR(ret, rows[i].result == 4 || rows[i].result == 8 ? r.n : r.p);
		ASSERT_INT(merge_case_taken(), rows[i].result);
		ASSERT_LAYOUT(mm, &nm, rows[i].after);
		account_new_range(rows[i].result ? c : 0);
		ASSERT_INVARIANTS(m);
		VT_ITER_END("shape %d, close on %c", c, closer);
		teardown();
	}
}

/* The same with a real shm segment, whose every attach has the hooks. */
static void test_merge_close_shm(void)
{
	struct vm_area_struct *p, *c, *n;
	struct file *f;

	/*  0123456789
	 *  PPP...NNN     one segment, pgoff linear; N's close blocks case 1
	 *  PPPPPPNNN     case 2 instead */
	setup();
	f = file_open(m, FILE_SHM, 0, SHM_EXTENT_PAGES);
	p = vt_alloc(m, 0, 3, 0, TGT);
	n = vt_alloc(m, 6, 9, 6, TGT);
	vt_shm(p, f);
	vt_shm(n, f);
	vt_nm(&nm, 'P', vt_link(p));
	vt_nm(&nm, 'N', vt_link(n));
	fput(f);
	ASSERT_PTR(vma_merge(mm, p, PG(3), PG(6), TGT, NULL, f, 3, NULL, NULL, NULL), p);
	ASSERT_LAYOUT(mm, &nm, "PPPPPPNNN");
	ASSERT_INT(f->shm_nattch, 2);
	mm->total_vm += 3;
	ASSERT_INVARIANTS(m);
	teardown();

	/*  0123456789
	 *  PPPCCC        mprotect C to P's flags: case 7 would free C without
	 *  PPPCCC        its close hook (fc0c8f9089c2): refused, no event */
	setup();
	f = file_open(m, FILE_SHM, 0, SHM_EXTENT_PAGES);
	p = vt_alloc(m, 0, 3, 0, TGT);
	c = vt_alloc(m, 3, 6, 3, OLD);
	vt_shm(p, f);
	vt_shm(c, f);
	vt_nm(&nm, 'P', vt_link(p));
	vt_nm(&nm, 'C', vt_link(c));
	fput(f);
	m->fail_countdown[VMAFUZZ_FAIL_MERGE] = 1;
	ASSERT_NULL(vma_merge(mm, p, PG(3), PG(6), TGT, NULL, f, 3, NULL, NULL, NULL));
	ASSERT_INT(m->fail_countdown[VMAFUZZ_FAIL_MERGE], 1); /* not a `fail merge` event */
	ASSERT_LAYOUT(mm, &nm, "PPPCCC");
	ASSERT_INT(f->shm_nattch, 2);
	ASSERT_INVARIANTS(m);
	teardown();

	/*  0123456789
	 *  PPPCCCCCC     case 5 keeps C: allowed
	 *  PPPPPPCCC  */
	setup();
	f = file_open(m, FILE_SHM, 0, SHM_EXTENT_PAGES);
	p = vt_alloc(m, 0, 3, 0, TGT);
	c = vt_alloc(m, 3, 9, 3, OLD);
	vt_shm(p, f);
	vt_shm(c, f);
	vt_nm(&nm, 'P', vt_link(p));
	vt_nm(&nm, 'C', vt_link(c));
	fput(f);
	ASSERT_PTR(vma_merge(mm, p, PG(3), PG(6), TGT, NULL, f, 3, NULL, NULL, NULL), p);
	ASSERT_LAYOUT(mm, &nm, "PPPPPPCCC");
	ASSERT_VMA(c, 6, 9, 6);
	ASSERT_INT(f->shm_nattch, 2);
	ASSERT_INVARIANTS(m);
	teardown();
}

/* -------------------------------------------------------- anon_vma rules */

/*
 * §2.3 through vma_merge(): the incoming anon_vma against a neighbour's, for
 * N (case 3) and for P (case 2). "same" is the neighbour's own anon_vma,
 * "other" that of a faulted VMA far away (page 20); "forked" is a chain of
 * two (the neighbour's own anon_vma plus its parent's).
 */
enum nb_state {
	NB_UNFAULTED,
	NB_SINGULAR,
	NB_FORKED
};
enum in_state {
	IN_NULL,
	IN_SAME,
	IN_OTHER
};

static void test_merge_anon_vma_table(void)
{
	/* clang-format off */
	static const struct {
		enum in_state in;
		enum nb_state nb;
		bool merges;
	} rows[] = {
		{ IN_NULL, NB_UNFAULTED, true },	/* NULL, NULL */
		{ IN_NULL, NB_SINGULAR, true },		/* NULL, X, chain 1 */
		{ IN_NULL, NB_FORKED, false },		/* NULL, X, chain 2 */
		{ IN_OTHER, NB_UNFAULTED, false },	/* X, NULL: faulted into unfaulted */
		{ IN_SAME, NB_SINGULAR, true },		/* X, X */
		{ IN_SAME, NB_FORKED, true },		/* X, X, chain 2: equal is enough */
		{ IN_OTHER, NB_SINGULAR, false },	/* X, Y */
		{ IN_OTHER, NB_FORKED, false },		/* X, Y, chain 2 */
	};
	/* clang-format on */
	unsigned int i, side;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		for (side = 0; side < 2; side++) { /* 0: next (case 3), 1: prev (case 2) */
			struct vm_area_struct *nb, *far, *ret;
			struct anon_vma *in = NULL;

			/*  0123456789...20
			 *  ......NNN    F     case 3, or
			 *  PPP          F     case 2 */
			VT_ITER_BEGIN();

			setup();
			far = anon(20, 21, TGT, 'F');
			vt_fault(far);
			nb = side ? anon(0, 3, TGT, 'P') : anon(6, 9, TGT, 'N');
			if (rows[i].nb == NB_SINGULAR)
				vt_fault(nb);
			else if (rows[i].nb == NB_FORKED)
				vt_forked(nb, 1);
			if (rows[i].in == IN_SAME)
				in = nb->anon_vma;
			else if (rows[i].in == IN_OTHER)
				in = far->anon_vma;

			snapshot();
			ret = vma_merge(mm, side ? nb : NULL, PG(3), PG(6), TGT, in, NULL, 3 + BASE,
					NULL, NULL, NULL);
			ASSERT_PTR(ret, rows[i].merges ? nb : NULL);
			ASSERT_INT(merge_case_taken(), rows[i].merges ? (side ? 2 : 3) : 0);
			ASSERT_LAYOUT(
				mm, &nm,
				rows[i].merges ?
					(side ? "PPPPPP..............F" : "...NNNNNN...........F") :
					(side ? "PPP.................F" : "......NNN...........F"));
			if (rows[i].merges)
				mm->total_vm += 3;
			ASSERT_INVARIANTS(m);
			VT_ITER_END("row %u, %s", i, side ? "prev" : "next");
			teardown();
		}
	}
}

/*
 * The prev-against-next check of cases 1 and 6 (tgt NULL): P and N with
 * different anon_vmas cannot both be merged, and the fallback prefers P
 * (case 2 for a new range, case 7 for a modify).
 */
static void test_merge_incompatible_neighbours_fall_back_to_prev(void)
{
	int c;

	for (c = 1; c <= 6; c += 5) {
		struct vm_area_struct *p, *n, *ret;
		struct anon_vma *x, *y;

		/*  0123456789
		 *  PPP...NNN  or  PPPCCCNNN     P has X, N has Y, the range none
		 *  PPPPPPNNN                    case 2, or case 7 */
		setup();
		p = anon(0, 3, TGT, 'P');
		if (c == 6)
			anon(3, 6, OLD, 'C');
		n = anon(6, 9, TGT, 'N');
		x = vt_fault(p);
		y = vt_fault(n);
		snapshot();
		ret = vma_merge(mm, p, PG(3), PG(6), TGT, NULL, NULL, 3 + BASE, NULL, NULL, NULL);
		ASSERT_PTR(ret, p);
		ASSERT_INT(merge_case_taken(), c == 1 ? 2 : 7);
		ASSERT_LAYOUT(mm, &nm, "PPPPPPNNN");
		ASSERT_PTR(p->anon_vma, x);
		ASSERT_PTR(n->anon_vma, y);
		ASSERT_PGOFF_LINEAR(mm, BASE);
		if (c == 1)
			mm->total_vm += 3;
		ASSERT_INVARIANTS(m);
		teardown();
	}

	/* The same neighbours with one anon_vma, or one side unfaulted, do merge. */
	for (c = 0; c < 3; c++) {
		struct vm_area_struct *p, *n;
		struct anon_vma *x;

		/*  0123456789
		 *  PPP...NNN     X/X, X/-, -/X
		 *  PPPPPPPPP  */
		setup();
		p = anon(0, 3, TGT, 'P');
		n = anon(6, 9, TGT, 'N');
		if (c == 0) {
			x = vt_fault(p);
			anon_vma_clone(n, p);
		} else {
			x = vt_fault(c == 1 ? p : n);
		}
		ASSERT_PTR(vma_merge(mm, p, PG(3), PG(6), TGT, NULL, NULL, 3 + BASE, NULL, NULL,
				     NULL),
			   p);
		ASSERT_LAYOUT(mm, &nm, "PPPPPPPPP");
		ASSERT_PTR(p->anon_vma, x);
		ASSERT_INT(p->avc_count, 1);
		mm->total_vm += 3;
		ASSERT_INVARIANTS(m);
		teardown();
	}
}

/*
 * dup_anon_vma(): an unfaulted survivor takes the anon_vma and the whole
 * chain of the VMA that is removed or shrunk: P <- N (1), N <- P (4),
 * P <- C (5, 7), P <- N else P <- C (6), N <- C (8). The incoming anon_vma
 * only decides eligibility (§3.5); it is passed as NULL here so that the
 * neighbour's own anon_vma is what moves. A forked source (chain of 2)
 * copies its two entries, except where that source is the N that
 * can_vma_merge_before() checks (cases 1 and 6 through N): a forked N
 * does not merge at all.
 */
static void test_merge_anon_vma_propagation(void)
{
	static const struct {
		int c;
		char src;
	} rows[] = { { 1, 'N' }, { 4, 'P' }, { 5, 'C' }, { 6, 'N' },
		     { 6, 'C' }, { 7, 'C' }, { 8, 'C' } };
	unsigned int i, depth;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		for (depth = 0; depth < 2; depth++) {
			int c = rows[i].c;
			bool blocked = depth && rows[i].src == 'N';
			struct vm_area_struct *src, *survivor, *ret;
			struct anon_vma *av, *chain[4];
			unsigned int k, n;
			struct roles r;

			VT_ITER_BEGIN();

			setup();
			build_shape(c, &r, NULL);
			src = role(&r, rows[i].src);
			av = depth ? vt_forked(src, 1) : vt_fault(src);
			n = src->avc_count;
			for (k = 0; k < n; k++)
				chain[k] = src->avc[k];
			survivor = role(&r, shapes[c].survivor);

			ret = merge_shape(c, &r, NULL, NULL);

			if (blocked) {
				/* case 1 falls back to 2, case 6 to 7 */
				ASSERT_PTR(ret, r.p);
				ASSERT_INT(merge_case_taken(), c == 1 ? 2 : 7);
				ASSERT_NULL(r.p->anon_vma);
			} else {
				ASSERT_PTR(ret, survivor);
				ASSERT_INT(merge_case_taken(), c);
				ASSERT_LAYOUT(mm, &nm, shapes[c].after);
				ASSERT_PTR(survivor->anon_vma, av);
				ASSERT_INT(survivor->avc_count, n);
				for (k = 0; k < n && k < survivor->avc_count; k++)
					ASSERT_PTR(survivor->avc[k], chain[k]);
				if (c == 4) /* the shrunk P keeps its own */
					ASSERT_PTR(r.p->anon_vma, av);
				if (c == 5)
					ASSERT_PTR(r.c->anon_vma, av);
			}
			ASSERT_INT(depth + 1, n);
			account_new_range(c);
			ASSERT_INVARIANTS(m);
			VT_ITER_END("case %d, from %c, chain %u", c, rows[i].src, n);
			teardown();
		}
	}
}

/* Cases 2 and 3 move no anon_vma, and a faulted survivor keeps its own. */
static void test_merge_anon_vma_no_propagation(void)
{
	struct vm_area_struct *p, *n;
	struct anon_vma *x;

	/*  0123456789
	 *  PPP...NNN     P has X, N none, case 1: P keeps X, nothing copied
	 *  PPPPPPPPP  */
	setup();
	p = anon(0, 3, TGT, 'P');
	n = anon(6, 9, TGT, 'N');
	x = vt_fault(p);
	ASSERT_PTR(vma_merge(mm, p, PG(3), PG(6), TGT, NULL, NULL, 3 + BASE, NULL, NULL, NULL), p);
	ASSERT_PTR(p->anon_vma, x);
	ASSERT_INT(p->avc_count, 1);
	ASSERT_INT(x->refcount, 1);
	mm->total_vm += 3;
	ASSERT_INVARIANTS(m);
	teardown();

	/*  0123456789
	 *  ......NNN     case 3: N grows, keeps X
	 *  ...NNNNNN  */
	setup();
	n = anon(6, 9, TGT, 'N');
	x = vt_fault(n);
	ASSERT_PTR(vma_merge(mm, NULL, PG(3), PG(6), TGT, NULL, NULL, 3 + BASE, NULL, NULL, NULL),
		   n);
	ASSERT_PTR(n->anon_vma, x);
	ASSERT_INT(n->avc_count, 1);
	mm->total_vm += 3;
	ASSERT_INVARIANTS(m);
	teardown();
}

/* ------------------------------------------------------------ fail merge */

/*
 * `fail merge`: the tree preallocation fails after the dup; vma_merge()
 * returns NULL, nothing changed, and an anon_vma just cloned into the
 * survivor is unlinked again. Shapes and anon_vmas as in the propagation
 * test, so that every case but 2 and 3 has cloned something.
 */
static void test_merge_fail_merge_changes_nothing(void)
{
	static const char src[9] = { 0, 'N', 0, 0, 'P', 'C', 'N', 'C', 'C' };
	int c;

	for (c = 1; c <= 8; c++) {
		struct vm_area_struct *survivor;
		struct anon_vma *av = NULL;
		struct roles r;
		int map_count;

		VT_ITER_BEGIN();

		setup();
		build_shape(c, &r, NULL);
		if (src[c])
			av = vt_fault(role(&r, src[c]));
		survivor = role(&r, shapes[c].survivor);
		map_count = mm->map_count;
		m->fail_countdown[VMAFUZZ_FAIL_MERGE] = 1;

		ASSERT_NULL(merge_shape(c, &r, NULL, NULL));

		ASSERT_INT(m->fail_countdown[VMAFUZZ_FAIL_MERGE], 0);
		ASSERT_INT(merge_case_taken(), 0);
		ASSERT_LAYOUT(mm, &nm, shapes[c].before);
		ASSERT_PGOFF_LINEAR(mm, BASE);
		ASSERT_INT(mm->map_count, map_count);
		ASSERT_NULL(survivor->anon_vma);
		ASSERT_INT(survivor->avc_count, 0);
		if (av)
			ASSERT_INT(av->refcount, 1);
		ASSERT_INVARIANTS(m);
		VT_ITER_END("case %d", c);
		teardown();
	}
}

/* ------------------------------------------------------------ vma_expand */

static void test_merge_vma_expand(void)
{
	struct vm_area_struct *v, *n;
	struct anon_vma *x;
	unsigned long nserial;

	/*  0123456789
	 *  ...VVV...     grow both ways into free space
	 *  VVVVVVVVV  */
	setup();
	v = anon(3, 6, TGT, 'V');
	ASSERT_INT(vma_expand(v, PG(0), PG(9), BASE, NULL), 0);
	ASSERT_VMA(v, 0, 9, BASE);
	ASSERT_INT(mm->map_count, 1);
	mm->total_vm += 6;
	ASSERT_INVARIANTS(m);
	teardown();

	/*  0123456789
	 *  VVV...NNN     expand to N's end: N removed, its anon_vma taken
	 *  VVVVVVVVV  */
	setup();
	v = anon(0, 3, TGT, 'V');
	n = anon(6, 9, TGT, 'N');
	x = vt_fault(n);
	nserial = n->serial;
	ASSERT_INT(vma_expand(v, PG(0), PG(9), BASE, n), 0);
	ASSERT_VMA(v, 0, 9, BASE);
	ASSERT_INT(mm->map_count, 1);
	ASSERT_FALSE(vt_serial_linked(mm, nserial));
	ASSERT_PTR(v->anon_vma, x);
	ASSERT_INT(v->avc_count, 1);
	mm->total_vm += 3;
	ASSERT_INVARIANTS(m);
	teardown();

	/*  0123456789
	 *  VVV...NNN     expand short of N's end: N stays
	 *  VVVVVVNNN  */
	setup();
	v = anon(0, 3, TGT, 'V');
	n = anon(6, 9, TGT, 'N');
	ASSERT_INT(vma_expand(v, PG(0), PG(6), BASE, n), 0);
	ASSERT_LAYOUT(mm, &nm, "VVVVVVNNN");
	ASSERT_INT(mm->map_count, 2);
	mm->total_vm += 3;
	ASSERT_INVARIANTS(m);
	teardown();

	/*  0123456789
	 *  ......NNN     mmap's merge with next: next is the VMA itself
	 *  ...NNNNNN  */
	setup();
	n = anon(6, 9, TGT, 'N');
	ASSERT_INT(vma_expand(n, PG(3), PG(9), 3 + BASE, n), 0);
	ASSERT_VMA(n, 3, 9, 3 + BASE);
	ASSERT_INT(mm->map_count, 1);
	mm->total_vm += 3;
	ASSERT_INVARIANTS(m);
	teardown();

	/*  0123456789
	 *  VVV...NNN     `fail merge`: -ENOMEM, the clone from N undone
	 *  VVV...NNN  */
	setup();
	v = anon(0, 3, TGT, 'V');
	n = anon(6, 9, TGT, 'N');
	x = vt_fault(n);
	m->fail_countdown[VMAFUZZ_FAIL_MERGE] = 1;
	ASSERT_INT(vma_expand(v, PG(0), PG(9), BASE, n), -ENOMEM);
	ASSERT_INT(m->fail_countdown[VMAFUZZ_FAIL_MERGE], 0);
	ASSERT_LAYOUT(mm, &nm, "VVV...NNN");
	ASSERT_NULL(v->anon_vma);
	ASSERT_INT(v->avc_count, 0);
	ASSERT_INT(x->refcount, 1);
	ASSERT_INVARIANTS(m);
	teardown();
}

static const struct unit_case cases[] = {
	UNIT_CASE(test_merge_cases_1_to_8),
	UNIT_CASE(test_merge_case_ranges_and_pgoffs),
	UNIT_CASE(test_merge_case3_with_distant_prev),
	UNIT_CASE(test_merge_case7_with_unmergeable_next),
	UNIT_CASE(test_merge_range_inside_a_vma_is_null),
	UNIT_CASE(test_merge_special_gate),
	UNIT_CASE(test_merge_flags_must_be_equal),
	UNIT_CASE(test_merge_attributes_must_match),
	UNIT_CASE(test_merge_close_hooks),
	UNIT_CASE(test_merge_close_shm),
	UNIT_CASE(test_merge_anon_vma_table),
	UNIT_CASE(test_merge_incompatible_neighbours_fall_back_to_prev),
	UNIT_CASE(test_merge_anon_vma_propagation),
	UNIT_CASE(test_merge_anon_vma_no_propagation),
	UNIT_CASE(test_merge_fail_merge_changes_nothing),
	UNIT_CASE(test_merge_vma_expand),
};

int main(void)
{
	return UNIT_MAIN(cases);
}
