# shellcheck shell=bash
# What the CLI tests share (sourced, not run, by a test called as
# `TEST VMAFUZZ`): the argument check, `cli` (the tool), `tmp` (a directory
# removed at exit), an environment without canaries or checks chosen, a
# failure count, and a status check that prints one line per step.

if [ $# -ne 1 ]; then
	echo "usage: $0 VMAFUZZ" >&2
	exit 2
fi
cli=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset VMAFUZZ_CANARY VMAFUZZ_ORACLES
bad=0

fail() {
	echo "FAIL $*"
	bad=$((bad + 1))
}

# expect_status WANT DESCRIPTION COMMAND...: run, check the exit status.
expect_status() {
	local want=$1 what=$2 status
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	status=$?
	if [ $status -ne "$want" ]; then
		fail "$what: exit status $status, want $want (stderr: $(head -n 3 "$tmp/err"))"
		return 1
	fi
	echo "ok   $what"
}
