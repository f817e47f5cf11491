#!/usr/bin/env bash
# A short fuzzing run of one harness from a temporary copy of its corpus; it
# fails if the engine reports any finding (the correct model must give none)
# or does not run at all.
# usage: fuzz_smoke.sh libfuzzer|afl HARNESS CORPUS_DIR SECONDS
set -u
engine=$1 harness=$2 corpus=$3 secs=$4
name=$(basename "$harness")
work=$(mktemp -d "${TMPDIR:-/tmp}/vmafuzz-smoke-$name-$engine.XXXXXX")
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/corpus"
cp -- "$corpus"/* "$work/corpus/"

case "$engine" in
libfuzzer)
	# A finding makes libFuzzer write crash-*/leak-*/timeout-* in $work and exit non-zero.
	cd "$work" || exit 1
	"$harness" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 \
		-print_final_stats=1 corpus >"$work/log" 2>&1
	rc=$?
	artifacts=$(find "$work" -maxdepth 1 -name 'crash-*' -o -maxdepth 1 -name 'leak-*' \
		-o -maxdepth 1 -name 'timeout-*' -o -maxdepth 1 -name 'oom-*' | wc -l)
	if [ "$rc" -ne 0 ] || [ "$artifacts" -ne 0 ]; then
		tail -n 200 "$work/log"
		echo "FAIL: $name under libFuzzer: exit $rc, $artifacts finding(s)"
		exit 1
	fi
	grep -E '^stat::|#[0-9]+ +DONE' "$work/log"
	echo "ok: $name ran ${secs}s under libFuzzer with no finding"
	;;
afl)
	# afl-fuzz insists on these sanitizer settings for an ASan build.
	export ASAN_OPTIONS=abort_on_error=1:symbolize=0:detect_leaks=1
	export UBSAN_OPTIONS=abort_on_error=1:halt_on_error=1:symbolize=0
	export AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
	export AFL_NO_AFFINITY=1 AFL_FAST_CAL=1
	# fuzz_diff fuzzes with the structure-aware mutator, as scripts/fuzz does.
	if [ "$name" = fuzz_diff ]; then
		lib=$(dirname "$harness")/libvmafuzz-afl-mutator.so
		[ -f "$lib" ] || { echo "FAIL: no AFL++ custom mutator $lib"; exit 1; }
		export AFL_CUSTOM_MUTATOR_LIBRARY=$lib
	fi
	afl-fuzz -i "$work/corpus" -o "$work/out" -V "$secs" -t 2000 -- "$harness" \
		>"$work/log" 2>&1
	rc=$?
	stats=$(find "$work/out" -name fuzzer_stats | head -n1)
	crashes=$(find "$work/out" -path '*/crashes/*' -type f ! -name README.txt | wc -l)
	if [ -n "${AFL_CUSTOM_MUTATOR_LIBRARY-}" ] && ! grep -q 'Loading custom mutator library' "$work/log"; then
		tail -n 60 "$work/log"
		echo "FAIL: $name under AFL++ did not load $AFL_CUSTOM_MUTATOR_LIBRARY"
		exit 1
	fi
	if [ "$rc" -ne 0 ] || [ -z "$stats" ] || [ "$crashes" -ne 0 ]; then
		tail -n 60 "$work/log"
		for f in $(find "$work/out" -path '*/crashes/*' -type f ! -name README.txt | head -n3); do
			echo "== $f"
			"$harness" <"$f" 2>&1 | tail -n 60
		done
		echo "FAIL: $name under AFL++: exit $rc, $crashes crash(es)"
		exit 1
	fi
	grep -E '^(execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs) ' "$stats"
	echo "ok: $name ran ${secs}s under AFL++ with no crash"
	;;
*)
	echo "fuzz_smoke.sh: unknown engine '$engine'" >&2
	exit 2
	;;
esac
exit 0
