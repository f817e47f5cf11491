#!/usr/bin/env bash
# Malformed-script test: each corpus/malformed/*.vma holds one error, and its
# first line says where: "# error: LINE:COL". `vmafuzz run FILE` must exit 2
# with stderr starting "FILE:LINE:COL:".
#
# Usage: tests/malformed.sh VMAFUZZ [FILE...]   (default: every corpus/malformed/*.vma)
set -u

if [ $# -lt 1 ]; then
	echo "usage: $0 VMAFUZZ [FILE...]" >&2
	exit 2
fi
cli=$1
shift
if [ $# -eq 0 ]; then
	set -- "$(dirname "$0")"/../corpus/malformed/*.vma
fi

ok=0
bad=0
for f in "$@"; do
	header=$(head -n 1 -- "$f")
	want=${header#"# error: "}
	if [ "$want" = "$header" ] || ! [[ $want =~ ^[0-9]+:[0-9]+$ ]]; then
		echo "FAIL $f: first line must be '# error: LINE:COL', is '$header'"
		bad=$((bad + 1))
		continue
	fi
	err=$("$cli" run "$f" 2>&1 >/dev/null)
	status=$?
	first=${err%%$'\n'*}
	if [ $status -ne 2 ]; then
		echo "FAIL $f: exit status $status, want 2 (stderr: $first)"
		bad=$((bad + 1))
	elif [[ $first != "$f:$want: "* ]]; then
		echo "FAIL $f: want '$f:$want: ...', got '$first'"
		bad=$((bad + 1))
	else
		echo "ok   $first"
		ok=$((ok + 1))
	fi
done
echo "$ok ok, $bad failed"
[ $bad -eq 0 ]
