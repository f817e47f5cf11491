#!/usr/bin/env bash
# `vmafuzz replay` and `vmafuzz minimize` as users call them: a clean input
# replays with exit status 0; with a planted bug (VMAFUZZ_CANARY) the same
# kind of input fails with the report; minimize reduces a padded failing
# input to the operations the failure needs; usage and input errors exit 2.
#
# Usage: tests/replay_cli.sh VMAFUZZ
set -u

# shellcheck source=tests/cli_lib.sh
. "$(dirname "$0")/cli_lib.sh"

# mlock-swallow-error: legacy mlock_fixup returns 0 where the split fails
# (here at the map-count limit). Three operations show it; the rest is
# padding for minimize to remove or simplify.
cat >"$tmp/crash.vma" <<'EOT'
mmap 40 4 rw- file:3@7 noreserve
mprotect 41 1 r--
name 40 2 b
touch 40 4
mmap 8 9 rw- anon populate
max-map-count 1
mbind 50 3 interleave
mlock 12 1 onfault
madvise 40 4 dontfork
munmap 40 4
fork
EOT
expect_status 0 "encode the failing script" "$cli" encode "$tmp/crash.vma" -o "$tmp/crash.bin"
mkdir "$tmp/dir"
cp "$tmp/crash.bin" "$tmp/dir/b.bin"
printf '\x00\x00\x03\x03\x00\x00\x00\x00' >"$tmp/dir/a.bin"

expect_status 0 "replay without the canary" "$cli" replay "$tmp/dir"
grep -qx '2 inputs, 0 failed' "$tmp/out" || fail "replay summary: $(tail -n 1 "$tmp/out")"
if expect_status 1 "replay with the canary" env VMAFUZZ_CANARY=mlock-swallow-error "$cli" replay "$tmp/dir"; then
	grep -qx '2 inputs, 1 failed' "$tmp/out" || fail "replay summary: $(tail -n 1 "$tmp/out")"
	grep -q "^FAIL $tmp/dir/b.bin" "$tmp/out" || fail "replay does not name the failing input"
	grep -q "check 'ret' failed at: mlock 12 1 onfault" "$tmp/err" ||
		fail "replay does not report the failed check"
	grep -q '^# the operations so far, as a script:' "$tmp/err" || fail "replay prints no op trace"
fi
if expect_status 0 "replay --coverage" "$cli" replay --coverage "$tmp/dir"; then
	grep -q 'mlock_fixup' "$tmp/out" || fail "replay --coverage shows no callers"
fi
if expect_status 0 "replay --json" "$cli" replay --json "$tmp/dir"; then
	head -c 1 "$tmp/out" | grep -q '{' || fail "replay --json does not print JSON alone"
	if command -v python3 >/dev/null; then
		python3 -m json.tool "$tmp/out" >/dev/null || fail "replay --json: not valid JSON"
	fi
fi
expect_status 2 "replay without an input" "$cli" replay
expect_status 2 "replay of a missing file" "$cli" replay "$tmp/missing.bin"
expect_status 2 "replay with an unknown option" "$cli" replay --frob "$tmp/dir"
expect_status 2 "replay with an unknown check" env VMAFUZZ_ORACLES=nope "$cli" replay "$tmp/dir"

expect_status 2 "minimize an input that does not fail" "$cli" minimize "$tmp/crash.bin"
if expect_status 0 "minimize with the canary" env VMAFUZZ_CANARY=mlock-swallow-error \
	"$cli" minimize "$tmp/crash.bin"; then
	[ -s "$tmp/crash.bin.min" ] || fail "minimize wrote no $tmp/crash.bin.min"
	ops=$(grep -cv '^#' "$tmp/crash.bin.min.vma")
	[ "$ops" -le 3 ] || fail "minimize left $ops operations (want at most 3)"
	grep -q "^# fails check 'ret' with $ops of the input's 11 operations" "$tmp/crash.bin.min.vma" ||
		fail "the .vma header does not name the check and counts"
	grep -q '^# VMAFUZZ_CANARY=mlock-swallow-error' "$tmp/crash.bin.min.vma" ||
		fail "the .vma header does not name the canary"
	grep -q '^mlock 0 1$' "$tmp/crash.bin.min.vma" ||
		fail "minimize did not simplify the mlock's arguments: $(grep mlock "$tmp/crash.bin.min.vma")"
	"$cli" decode "$tmp/crash.bin.min" | tail -n +2 >"$tmp/min.ops"
	grep -v '^#' "$tmp/crash.bin.min.vma" | diff -u - "$tmp/min.ops" ||
		fail "OUT and OUT.vma hold different operations"
	expect_status 1 "the minimized input still fails" env VMAFUZZ_CANARY=mlock-swallow-error \
		"$cli" replay "$tmp/crash.bin.min"
fi
expect_status 0 "minimize -o" env VMAFUZZ_CANARY=mlock-swallow-error \
	"$cli" minimize "$tmp/crash.bin" -o "$tmp/small.bin"
if [ ! -s "$tmp/small.bin" ] || [ ! -s "$tmp/small.bin.vma" ]; then
	fail "minimize -o wrote no OUT and OUT.vma"
fi
expect_status 2 "minimize without an input" "$cli" minimize
expect_status 2 "minimize of two inputs" "$cli" minimize "$tmp/crash.bin" "$tmp/crash.bin"

[ $bad -eq 0 ] && echo "all ok"
[ $bad -eq 0 ]
