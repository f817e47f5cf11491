# shellcheck shell=bash
# Helpers the CLI tests share (sourced, not run): a temporary directory,
# a failure count, and a status check that prints one line per step.
# The caller sets `tmp` (a directory) before using expect_status.

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
