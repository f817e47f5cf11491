#!/usr/bin/env bash
# scripts/canaries as users call it, without fuzzing: --help, --list (every
# canary the tool knows), and the usage errors (a bad flag prints the usage,
# an unknown canary names itself, bad values and configurations), each exit
# status 2 before anything builds or runs.
#
# Usage: tests/canaries_cli.sh VMAFUZZ
set -u

# shellcheck source=tests/cli_lib.sh
. "$(dirname "$0")/cli_lib.sh"
canaries=$(cd "$(dirname "$0")/.." && pwd)/scripts/canaries
# The build's own tool lists the canaries (scripts/vmafuzz would build asan).
export VMAFUZZ_CLI=$cli

# expect_error DESCRIPTION MESSAGE ARGS...: exit status 2, MESSAGE on stderr.
expect_error() {
	local what=$1 msg=$2
	shift 2
	expect_status 2 "$what" python3 "$canaries" "$@" || return
	grep -qF -- "$msg" "$tmp/err" || fail "$what: stderr lacks '$msg': $(head -n 2 "$tmp/err")"
}

if expect_status 0 "--help" python3 "$canaries" --help; then
	grep -q '^Usage: scripts/canaries' "$tmp/out" || fail "--help prints no usage"
fi
if expect_status 0 "--list" python3 "$canaries" --list; then
	"$cli" canaries | cut -f1 >"$tmp/names"
	[ -s "$tmp/names" ] || fail "the tool lists no canaries"
	while IFS= read -r name; do
		grep -q "^$name " "$tmp/out" || fail "--list lacks $name"
	done <"$tmp/names"
fi

expect_error "a bad flag" "unknown argument '--bogus'" --bogus
grep -q '^Usage: scripts/canaries' "$tmp/err" || fail "a bad flag prints no usage"
expect_error "an unknown canary" "unknown canary 'no-such-canary'" --only no-such-canary
expect_error "an unknown canary in a list" "unknown canary 'nope'" \
	--only "$(head -n1 "$tmp/names"),nope"
expect_error "--trials 0" "--trials needs a positive number" --trials 0
expect_error "--time without a value" "--time needs a value" --time
expect_error "--from elsewhere" "--from is corpus, empty or both" --from elsewhere
expect_error "--engine honggfuzz" "--engine is libfuzzer or afl" --engine honggfuzz
expect_error "--compare with one configuration" "--compare needs two" --compare engine=afl
expect_error "--compare with an unknown key" "unknown key 'speed'" --compare engine=afl speed=2
expect_error "--compare with a bad engine" "engine is libfuzzer or afl" \
	--compare engine=afl engine=honggfuzz
expect_error "--compare with a bad mutator" "mutator is structured or bytes" \
	--compare mutator=bytes mutator=grammar
VMAFUZZ_MUTATOR=grammar expect_error "a bad VMAFUZZ_MUTATOR" "VMAFUZZ_MUTATOR is structured or bytes" --list

[ $bad -eq 0 ] && echo "all ok"
[ $bad -eq 0 ]
