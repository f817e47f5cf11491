#!/usr/bin/env bash
# The negative harness test: fuzz_diff must fire on every planted bug. Each
# corpus/canaries/*.vma, encoded as a fuzz input, must replay clean through
# the harness without its canary and fail with it, through the check its
# header names, after printing the decoded input. A canary caught by the
# sanitizers must end in an ASan or UBSan report followed by the decoded
# input (the harness's death callback); without sanitizers (SANITIZED 0)
# those canaries are skipped.
# usage: replay_canaries.sh VMAFUZZ FUZZ_DIFF_REPLAY CANARY_DIR SANITIZED
set -u
cli=$1 replay=$2 dir=$3 sanitized=${4:-0}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad=0
unset VMAFUZZ_CANARY VMAFUZZ_ORACLES

for script in "$dir"/*.vma; do
	name=$(basename "$script" .vma)
	canary=$(sed -n 's/^# canary: *//p' "$script" | head -n1)
	check=$(sed -n 's/^# check: *//p' "$script" | head -n1)
	if ! "$cli" encode "$script" -o "$tmp/$name.bin" 2>"$tmp/err"; then
		echo "FAIL $name: cannot encode: $(cat "$tmp/err")"
		bad=$((bad + 1))
		continue
	fi
	if ! "$replay" "$tmp/$name.bin" >"$tmp/out" 2>&1; then
		echo "FAIL $name: fails without canary $canary"
		tail -n 30 "$tmp/out"
		bad=$((bad + 1))
		continue
	fi
	# What the report must say: the check, or a sanitizer's own words.
	if [ "$check" = sanitizer ]; then
		if [ "$sanitized" != 1 ]; then
			echo "skip $name: needs a build with ASan and UBSan"
			continue
		fi
		want='^==[0-9]+==ERROR: AddressSanitizer|runtime error:' caught="the sanitizers"
	else
		want="check '$check' failed" caught="check '$check'"
	fi
	VMAFUZZ_CANARY=$canary "$replay" "$tmp/$name.bin" >"$tmp/out" 2>&1
	rc=$?
	if [ $rc -ne 1 ] || ! grep -qE -- "$want" "$tmp/out" ||
		! grep -q '^# fuzz_diff input, decoded:' "$tmp/out" ||
		! grep -q "^FAIL $tmp/$name.bin" "$tmp/out"; then
		echo "FAIL $name: with canary $canary: exit $rc, want 1 with a report from $caught and the input"
		tail -n 40 "$tmp/out"
		bad=$((bad + 1))
		continue
	fi
	echo "ok   $name: fuzz_diff fires through $caught"
done
[ $bad -eq 0 ] && echo "all ok"
[ $bad -eq 0 ]
