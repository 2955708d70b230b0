#!/usr/bin/env bash
# Replays the fuzz corpus: builds tests/fuzz/fuzz_session.c (load and merge)
# and tests/fuzz/fuzz_render.c (the whole pipeline to a PDF) with the small
# driver (no libFuzzer needed) against the library CTest already built, and
# runs every seed in tests/fuzz/corpus/session/ through both. A crash, a sanitizer
# report or a broken contract (the target aborts) fails the test.
. "$(dirname "$0")/lib.sh"

CC=${CC:-cc}
LIB="$(dirname "$HANDOUT")/libhandout.a"
FUZZ="$SRC_DIR/tests/fuzz"
check "the static library exists ($LIB)" test -f "$LIB"

flags=(-g -O1 -std=gnu11 -Wall -Wextra -I"$SRC_DIR/include")
for stage in "$SRC_DIR"/src/*/; do flags+=(-I"$stage"); done
flags+=(-DHD_FUZZ_DATA_DIR="\"$SRC_DIR/xml\"")
# Match the library: a sanitized library needs the sanitizer runtimes. (grep
# reads all of nm's output: with -q, nm could die of SIGPIPE and pipefail
# would call the library unsanitized.)
if nm "$LIB" 2>/dev/null | grep '__asan_init' >/dev/null; then
	flags+=(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
	echo "library built with sanitizers: so is the driver"
fi
read -r -a libs <<<"$(pkg-config --libs libxml-2.0 harfbuzz harfbuzz-subset fontconfig libpng zlib libqrencode)"

for target in fuzz_session fuzz_render; do
	if ! "$CC" "${flags[@]}" "$FUZZ/$target.c" "$FUZZ/driver.c" "$LIB" "${libs[@]}" \
		-lhpdf -lhyphen -lpthread -lm -o "$WORK_DIR/$target" 2>"$WORK_DIR/build.log"; then
		cat "$WORK_DIR/build.log" >&2
		fail "the fuzz target $target builds"
		finish
		exit 1
	fi
	pass
done

shopt -s nullglob
seeds=("$FUZZ"/corpus/session/*)
check "the corpus has seeds" test "${#seeds[@]}" -ge 10
for target in fuzz_session fuzz_render; do
	# One process per seed, so a crash names its input.
	for seed in "${seeds[@]}"; do
		if TMPDIR="$WORK_DIR" timeout 60 "$WORK_DIR/$target" "$seed" >"$WORK_DIR/run.log" 2>&1; then
			pass
		else
			cat "$WORK_DIR/run.log" >&2
			fail "$target crashed or aborted on $seed"
		fi
	done
	# And all in one process, as libFuzzer would run them (state kept between inputs).
	check "$target: the whole corpus in one process" env TMPDIR="$WORK_DIR" timeout 120 \
		"$WORK_DIR/$target" "${seeds[@]}"
done
finish
