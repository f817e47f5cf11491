#!/usr/bin/env bash
# A planted bug must be caught by the check it was planted for, and the same
# script must pass without it. The script names both in its header:
#   # canary: NAME
#   # check: CHECK
# usage: canary.sh VMAFUZZ SCRIPT
set -u
vmafuzz=$1 script=$2
canary=$(sed -n 's/^# canary: *//p' "$script" | head -n1)
check=$(sed -n 's/^# check: *//p' "$script" | head -n1)
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
echo "ok: canary $canary is caught by check '$check'; the script passes without it"
