#!/usr/bin/env bash
# A planted bug must be caught by the check it was planted for, and the same
# script must pass without it. The script names both in its header:
#   # canary: NAME
#   # check: CHECK
#   # exclusive: yes      (optional: no other check can see this canary)
# An exclusive canary must also get through when VMAFUZZ_ORACLES switches its
# check off: that shows the check, and only the check, stands between the bug
# and a silent pass.
# A canary whose check is "sanitizer" must make the tool stop with an ASan or
# UBSan report; in a build without sanitizers (SANITIZED 0) it is skipped
# (exit 77, which ctest counts as skipped).
# usage: canary.sh VMAFUZZ SCRIPT SANITIZED
set -u
vmafuzz=$1 script=$2 sanitized=${3:-0}
canary=$(sed -n 's/^# canary: *//p' "$script" | head -n1)
check=$(sed -n 's/^# check: *//p' "$script" | head -n1)
exclusive=$(sed -n 's/^# exclusive: *//p' "$script" | head -n1)
if [ -z "$canary" ] || [ -z "$check" ]; then
	echo "FAIL: $script lacks its '# canary:' or '# check:' header"
	exit 1
fi

out=$(env -u VMAFUZZ_CANARY "$vmafuzz" run "$script" 2>&1)
rc=$?
if [ "$rc" -ne 0 ]; then
	echo "FAIL: $script fails without canary $canary (exit $rc)"
	echo "$out"
	exit 1
fi
if [ "$check" = sanitizer ]; then
	if [ "$sanitized" != 1 ]; then
		echo "skipped: canary $canary needs a build with ASan and UBSan"
		exit 77
	fi
	out=$(VMAFUZZ_CANARY=$canary "$vmafuzz" run "$script" 2>&1)
	rc=$?
	if [ "$rc" -eq 0 ] || ! grep -qE '^==[0-9]+==ERROR: AddressSanitizer|runtime error:' <<<"$out"; then
		echo "FAIL: with canary $canary, exit $rc and no sanitizer report"
		echo "$out"
		exit 1
	fi
	grep -E '^==[0-9]+==ERROR: AddressSanitizer|runtime error:' <<<"$out" | head -n1
	echo "ok: canary $canary is caught by the sanitizers; the script passes without it"
	exit 0
fi
out=$(VMAFUZZ_CANARY=$canary "$vmafuzz" run "$script" 2>&1)
rc=$?
if [ "$rc" -ne 1 ]; then
	echo "FAIL: with canary $canary, exit $rc (want 1)"
	echo "$out"
	exit 1
fi
if ! grep -q "check '$check' failed" <<<"$out"; then
	echo "FAIL: canary $canary was not caught by check '$check'"
	echo "$out"
	exit 1
fi
if [ "$exclusive" = yes ]; then
	others=$(printf '%s\n' ret layout invariants pages rmap decision | grep -vx "$check" |
		paste -sd, -)
	out=$(VMAFUZZ_ORACLES=$others VMAFUZZ_CANARY=$canary "$vmafuzz" run "$script" 2>&1)
	rc=$?
	if [ "$rc" -ne 0 ]; then
		echo "FAIL: with canary $canary and check '$check' off, exit $rc (want 0: only '$check' should see it)"
		echo "$out"
		exit 1
	fi
	echo "ok: canary $canary is caught by check '$check' alone; the script passes without it"
	exit 0
fi
echo "ok: canary $canary is caught by check '$check'; the script passes without it"
