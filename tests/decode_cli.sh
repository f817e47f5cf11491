#!/usr/bin/env bash
# `vmafuzz decode` and `vmafuzz encode` as users call them: the worked example
# of docs/BYTE-FORMAT.md, the default output name, -o -, and the input
# errors (a parse error, a script over the op cap, a missing file), each
# exit status 2 with its message.
#
# Usage: tests/decode_cli.sh VMAFUZZ
set -u

# shellcheck source=tests/cli_lib.sh
. "$(dirname "$0")/cli_lib.sh"

# The worked example: bytes to script, script to the same bytes.
printf '\x00\x00\x03\x03\x00\x00\x00\x00\x2c\x02\x00\x01\x00\x00\x00\x00' >"$tmp/example"
printf '\x8a\x03\x00\x01\x00\x00\x00\x00\xd0\x00\x03\x00\x00\x00\x00\x00' >>"$tmp/example"
printf '\xb6\x00\x03\x07\x01\x00\x00\x00\xfc\x45\x23\x01\x00\x00\x00\x00\xe0' >>"$tmp/example"
# Its canonical bytes: the same, the lone fork byte padded to a record.
{ cat "$tmp/example"; printf '\0\0\0\0\0\0\0'; } >"$tmp/example.padded"
cat >"$tmp/example.want" <<EOT
# $tmp/example: 7 operations from 49 bytes
mmap 0 4 rw- anon
mprotect 2 1 r--
name 3 1 a
touch 0 4
mremap 0 4 8 maymove
brk 74565
fork
EOT
if expect_status 0 "decode the worked example" "$cli" decode "$tmp/example"; then
	diff -u "$tmp/example.want" "$tmp/out" || fail "decode of the worked example differs"
fi
tail -n +2 "$tmp/example.want" >"$tmp/ex.vma"
if expect_status 0 "encode it back to SCRIPT.bin" "$cli" encode "$tmp/ex.vma"; then
	cmp -s "$tmp/ex.bin" "$tmp/example.padded" || fail "encode did not write the canonical bytes to $tmp/ex.bin"
fi
if expect_status 0 "encode -o -" "$cli" encode "$tmp/ex.vma" -o -; then
	cmp -s "$tmp/out" "$tmp/example.padded" || fail "encode -o - did not write the canonical bytes"
fi
if expect_status 0 "encode -o OUT" "$cli" encode -o "$tmp/other.bin" "$tmp/ex.vma"; then
	cmp -s "$tmp/other.bin" "$tmp/example.padded" || fail "encode -o OUT did not write the canonical bytes"
fi

# Expectations, results, dump and comments are dropped.
cat >"$tmp/full.vma" <<EOT
# a comment
mmap 0 4 rw- anon => 0
dump
expect
0-4 rw-p
end
expect-counters map_count=1
fork => 0
EOT
if expect_status 0 "encode drops what is not an operation" "$cli" encode "$tmp/full.vma" -o "$tmp/full.bin"; then
	expect_status 0 "decode it" "$cli" decode "$tmp/full.bin" &&
		[ "$(tail -n +2 "$tmp/out")" = $'mmap 0 4 rw- anon\nfork' ] ||
		fail "full.vma decodes to: $(cat "$tmp/out")"
fi

# Input errors: exit status 2, with the message users need.
printf 'mmap 0 1 rw- anon\nmunmap 0 x\n' >"$tmp/bad.vma"
if expect_status 2 "a parse error" "$cli" encode "$tmp/bad.vma"; then
	grep -q "^$tmp/bad.vma:2:10: " "$tmp/err" || fail "parse error message: $(cat "$tmp/err")"
fi
for i in $(seq 65); do echo fork; done >"$tmp/cap.vma"
if expect_status 2 "a script over the op cap" "$cli" encode "$tmp/cap.vma"; then
	grep -q "^$tmp/cap.vma:65:1: more than 64 operations" "$tmp/err" ||
		fail "over-cap message: $(cat "$tmp/err")"
	[ -e "$tmp/cap.bin" ] && fail "an over-cap script still wrote $tmp/cap.bin"
fi
head -n 64 "$tmp/cap.vma" >"$tmp/cap64.vma"
expect_status 0 "a script of exactly 64 operations" "$cli" encode "$tmp/cap64.vma"
expect_status 2 "decode of a missing file" "$cli" decode "$tmp/missing.bin"
expect_status 2 "encode without a script" "$cli" encode
expect_status 2 "encode -o without a name" "$cli" encode "$tmp/ex.vma" -o
expect_status 2 "an unknown command" "$cli" frobnicate "$tmp/example"

[ $bad -eq 0 ] && echo "all ok"
[ $bad -eq 0 ]
