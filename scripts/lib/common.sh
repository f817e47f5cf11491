# shellcheck shell=bash
# Sourced by scripts/fuzz, repro, minimize, cmin and bench (scripts/canaries
# too, for ensure_built); not a command.
# Sets $root (the repository) and $me (the script's name for messages), and
# gives them one way to die, to build a preset only when its binaries are
# older than the sources, and to run the command-line tool.

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
me=scripts/$(basename "$0")

# die STATUS MESSAGE...: the message on standard error, then exit STATUS.
die() {
	local status=$1
	shift
	echo "$me: $*" >&2
	exit "$status"
}

# A flag's value, or a usage error: need_arg "$@" with the flag as $1.
need_arg() {
	[ $# -ge 2 ] && [ -n "$2" ] || die 2 "$1 needs a value (see --help)"
}

positive_int() {
	case "$2" in
	'' | *[!0-9]* | 0) die 2 "$1 needs a positive number, not '$2'" ;;
	esac
}

# The sources every binary is built from; a binary older than one is stale.
SOURCES=(lib fuzz include bench CMakeLists.txt CMakePresets.json tests/CMakeLists.txt)

stale() {
	local bin src
	for bin in "$@"; do
		[ -x "$bin" ] || return 0
		for src in "${SOURCES[@]}"; do
			[ -e "$root/$src" ] || continue
			[ -z "$(find "$root/$src" -newer "$bin" -print -quit 2>/dev/null)" ] || return 0
		done
	done
	return 1
}

# ensure_built PRESET BINARY...: configure and build PRESET quietly when a
# BINARY (a path under build/PRESET/) is missing or older than a source.
# Build output appears only when the build fails (exit status 2 then).
ensure_built() {
	local preset=$1 log status=0 bin
	shift
	local bins=("$@")

	stale "${bins[@]}" || return 0
	command -v cmake >/dev/null 2>&1 ||
		die 2 "cmake not found; scripts/test installs what is missing"
	mkdir -p "$root/build"
	# One build at a time (scripts/vmafuzz takes the same lock).
	exec 8>"$root/build/.vmafuzz-build.lock"
	command -v flock >/dev/null 2>&1 && flock 8
	if stale "${bins[@]}"; then
		echo "$me: building the $preset preset ..." >&2
		log=$(mktemp "$root/build/.build-$preset.XXXXXX")
		(
			cd "$root"
			[ -f "build/$preset/CMakeCache.txt" ] || cmake --preset "$preset"
			cmake --build --preset "$preset" -j"$(nproc 2>/dev/null || echo 2)"
		) >"$log" 2>&1 || status=$?
		if [ "$status" -ne 0 ]; then
			cat "$log" >&2
			rm -f "$log"
			exec 8>&-
			die 2 "building the $preset preset failed"
		fi
		rm -f "$log"
		for bin in "${bins[@]}"; do
			[ -x "$bin" ] || {
				exec 8>&-
				die 2 "the $preset preset built, but not ${bin#"$root"/}"
			}
			# make is satisfied; a touched source that builds nothing must not rebuild every run.
			touch "$bin"
		done
	fi
	exec 8>&-
}

# The command-line tool (ASan + UBSan), built first if needed by its wrapper.
vmafuzz() {
	"$root/scripts/vmafuzz" "$@"
}

# Sanitizer defaults for the binaries run directly; what the caller set is
# appended, so it wins.
sanitizer_env() {
	export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
	export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
}

# The number of operations an input decodes to (from `vmafuzz decode`'s header).
op_count() {
	vmafuzz decode "$1" | sed -n '1s/^# .*: \([0-9][0-9]*\) operations\{0,1\} from .*/\1/p'
}

# The set of canary names the tool knows, one per line.
canary_names() {
	sed -n 's/^[[:space:]]*X([A-Z0-9_]*, "\([a-z0-9-]*\)",.*/\1/p' \
		"$root/include/vmafuzz/canary.h"
}
