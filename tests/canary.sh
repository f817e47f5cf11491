#!/usr/bin/env bash
# A planted bug must be caught by the check it was planted for, and the same
# script must pass without it. The script names both in its header:
#   # canary: NAME
#   # check: CHECK
#   # exclusive: yes      (optional: no other check can see this canary)
# An exclusive canary must also get through when VMAFUZZ_ORACLES switches its
# check off: that shows the check, and only the check, stands between the bug
# and a silent pass.
# usage: canary.sh VMAFUZZ SCRIPT
set -u
vmafuzz=$1 script=$2
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
