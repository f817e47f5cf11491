#!/usr/bin/env bash
# Byte-format round trip over the scenarios: for each script, `vmafuzz encode`
# then `vmafuzz decode` must give back the script's own operations, as the
# hidden `vmafuzz ops` prints them (expectations, results, dump and comments
# are not operations). A script over the op cap cannot be a fuzz input: it is
# skipped with a note, not failed.
#
# Usage: tests/encode_scenarios.sh VMAFUZZ [FILE...]   (default: every corpus/scenarios/*.vma)
set -u

if [ $# -lt 1 ]; then
	echo "usage: $0 VMAFUZZ [FILE...]" >&2
	exit 2
fi
cli=$1
shift
if [ $# -eq 0 ]; then
	set -- "$(dirname "$0")"/../corpus/scenarios/*.vma
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

bad=0
skipped=0
scripts=()
inputs=()
# LeakSanitizer's exit scan would double the time of these 200-odd runs; the
# batched ops and decode below, and tests/decode_cli.sh, run with it.
for f in "$@"; do
	bin=$tmp/${#inputs[@]}.bin
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 "$cli" encode "$f" -o "$bin" 2>"$tmp/err"
	status=$?
	if [ $status -eq 2 ] && grep -q "operations: a fuzz input holds at most" "$tmp/err"; then
		echo "skip $f: $(head -n 1 "$tmp/err")"
		skipped=$((skipped + 1))
	elif [ $status -ne 0 ]; then
		echo "FAIL $f: encode exited $status: $(head -n 1 "$tmp/err")"
		bad=$((bad + 1))
	else
		scripts+=("$f")
		inputs+=("$bin")
	fi
done

# One process each for all the scripts and all the inputs (a sanitized
# process takes a while to start): the headers differ only in the file name.
strip_names() {
	sed -E 's/^# .*: ([0-9]+ operations?).*$/# \1/'
}
if [ ${#scripts[@]} -gt 0 ]; then
	"$cli" ops "${scripts[@]}" >"$tmp/want" 2>"$tmp/err" ||
		{ echo "FAIL ops: $(head -n 1 "$tmp/err")"; exit 1; }
	"$cli" decode "${inputs[@]}" >"$tmp/got" 2>"$tmp/err" ||
		{ echo "FAIL decode: $(head -n 1 "$tmp/err")"; exit 1; }
	if ! cmp -s <(strip_names <"$tmp/want") <(strip_names <"$tmp/got"); then
		# Name the scripts that differ, one at a time.
		for i in "${!scripts[@]}"; do
			"$cli" ops "${scripts[$i]}" | tail -n +2 >"$tmp/want1"
			"$cli" decode "${inputs[$i]}" | tail -n +2 >"$tmp/got1"
			if ! diff -u "$tmp/want1" "$tmp/got1" >"$tmp/diff"; then
				echo "FAIL ${scripts[$i]}: decoded statements differ (- script, + decoded):"
				sed 's/^/    /' "$tmp/diff"
				bad=$((bad + 1))
			fi
		done
		[ $bad -gt 0 ] || { echo "FAIL: the outputs differ, but no script alone does"; bad=1; }
	fi
fi
echo "$((${#scripts[@]} - bad < 0 ? 0 : ${#scripts[@]} - bad)) ok, $bad failed, $skipped skipped (over the op cap)"
[ $bad -eq 0 ]
