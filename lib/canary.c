// SPDX-License-Identifier: GPL-2.0
/*
 * Planted bugs (canary.h): the table and the parser of VMAFUZZ_CANARY.
 * The word is set once per process, before any model runs, so a canary test
 * in the model costs one well-predicted branch.
 */
#include <stdlib.h>
#include <string.h>

#include "vmafuzz/canary.h"

uint64_t vmafuzz_canaries;

const struct vmafuzz_canary_info vmafuzz_canary_table[VMAFUZZ_CANARY_NR] = {
#define X(e, s, w, c, u, d) [VMAFUZZ_CANARY_##e] = { s, VMAFUZZ_CANARY_##w, c, u, d },
	VMAFUZZ_CANARIES(X)
#undef X
};

const char *const vmafuzz_canary_where_names[4] = {
	[VMAFUZZ_CANARY_LEGACY] = "legacy",
	[VMAFUZZ_CANARY_REFACTORED] = "refactored",
	[VMAFUZZ_CANARY_BOTH] = "both",
	[VMAFUZZ_CANARY_CORE] = "core",
};

_Static_assert(VMAFUZZ_CANARY_NR <= 64, "vmafuzz_canaries is one 64-bit word");

int vmafuzz_canary_init(const char **bad)
{
	/* Returned through *bad, so it must outlive the environment string. */
	static char bad_name[64];
	const char *env = getenv("VMAFUZZ_CANARY");
	uint64_t on = 0;

	while (env && *env) {
		size_t n = strcspn(env, ",");
		int i;

		/* Empty items ("a,,b", a trailing comma) name nothing. */
		for (i = 0; n && i < VMAFUZZ_CANARY_NR; i++) {
			if (strlen(vmafuzz_canary_table[i].name) == n &&
			    !memcmp(vmafuzz_canary_table[i].name, env, n))
				break;
		}
		if (n && i == VMAFUZZ_CANARY_NR) {
			if (n >= sizeof(bad_name))
				n = sizeof(bad_name) - 1;
			memcpy(bad_name, env, n);
			bad_name[n] = '\0';
			if (bad)
				*bad = bad_name;
			vmafuzz_canaries = 0;
			return -1;
		}
		if (n)
			on |= 1ull << i;
		env += n;
		if (*env == ',')
			env++;
	}
	vmafuzz_canaries = on;
	return 0;
}
