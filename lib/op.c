// SPDX-License-Identifier: GPL-2.0
/*
 * The name tables of op.h, generated from its X-macros so that the parser,
 * the printer and the decoder can never disagree on a word.
 */
#include "vmafuzz/op.h"

const char *const vmafuzz_op_names[VMAFUZZ_OP_NR] = {
#define X(e, s) [VMAFUZZ_OP_##e] = s,
	VMAFUZZ_OPS(X)
#undef X
};

const char *const vmafuzz_kind_names[VMAFUZZ_KIND_NR] = {
#define X(e, s) [VMAFUZZ_KIND_##e] = s,
	VMAFUZZ_KINDS(X)
#undef X
};

const char *const vmafuzz_advice_names[VMAFUZZ_ADV_NR] = {
#define X(e, s) [VMAFUZZ_ADV_##e] = s,
	VMAFUZZ_ADVICES(X)
#undef X
};

const char *const vmafuzz_policy_names[VMAFUZZ_POL_NR] = {
#define X(e, s) [VMAFUZZ_POL_##e] = s,
	VMAFUZZ_POLICIES(X)
#undef X
};

const char *const vmafuzz_fail_names[VMAFUZZ_FAIL_NR] = {
#define X(e, s) [VMAFUZZ_FAIL_##e] = s,
	VMAFUZZ_FAILS(X)
#undef X
};
