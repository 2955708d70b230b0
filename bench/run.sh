#!/usr/bin/env bash
# The benchmark (./build.sh bench): this build and a reference build of the
# code before the layout redesign (issue 7, commit db7afdc), in the same run
# on the same machine, and a naive libharu program; prints Markdown tables.
# usage: bench/run.sh BUILD_DIR [N_IN_PROCESS] [N_FRESH] [N_NAIVE]
set -euo pipefail
cd "$(dirname "$0")/.."
B=${1:-build}
N=${2:-2000}
M=${3:-30}
K=${4:-200}
REF_COMMIT=db7afdc
S=xml/sessions/zoe.xml
tmp=$(mktemp -d)
trap 'git worktree remove --force "$tmp/ref" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT

# The reference: the same benchmark program against the code as it was.
ref=""
if git rev-parse -q --verify "$REF_COMMIT^{commit}" >/dev/null 2>&1 &&
	git worktree add -q --detach "$tmp/ref" "$REF_COMMIT" 2>/dev/null; then
	cmake -S "$tmp/ref" -B "$tmp/ref/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON >/dev/null
	cp bench/bench.c "$tmp/ref/bench/bench.c"
	cmake --build "$tmp/ref/build" --target handout handout_bench -j"$(nproc)" >/dev/null
	ref="$tmp/ref/build"
else
	echo "bench: no reference build (commit $REF_COMMIT not in this clone)" >&2
fi

"$B/handout" render -q --dump "$S" >"$tmp/zoe.dump"
# One core: the in-process figure is single-threaded anyway; pin it to be fair.
run() { # run BUILD SESSION KIND OUT [DATA]
	HANDOUT_DATA=${5:-$PWD/xml} taskset -c 0 "$1/bench/handout_bench" "$2" "$1/handout" "$N" "$M" "$3" >"$4"
}
# The sheet against the reference: three rounds, interleaved so that both
# see the same machine, and the fastest round of each kept (the machine's
# speed drifts by about 10 % between runs).
for round in 1 2 3; do
	run "$B" "$S" render "$tmp/sheet.$round"
	[ -n "$ref" ] && run "$ref" "$S" render "$tmp/ref_sheet.$round" "$tmp/ref/xml"
done
fastest() { # fastest PREFIX: the round with the lowest ms per sheet
	for f in "$1".*; do echo "$(awk '$1 == "in_process_ms_per_sheet" { print $2 }' "$f") $f"; done |
		sort -n | head -1 | cut -d' ' -f2
}
cp "$(fastest "$tmp/sheet")" "$tmp/sheet"
[ -n "$ref" ] && cp "$(fastest "$tmp/ref_sheet")" "$tmp/ref_sheet"
run "$B" "$S" brochure "$tmp/brochure"
run "$B" bench/sessions/guide-12.xml guide "$tmp/guide"
# Progress reports: 5 visits (the first five of the sample) and 60 (generated).
mkdir -p "$tmp/r5" && cp xml/records/c-0042/2026-{09-02,09-16,09-30,10-14,11-04}.xml "$tmp/r5/"
python3 tests/tools/gen_records.py 60 "$tmp/r60" >/dev/null
run "$B" "$tmp/r5" report "$tmp/report5"
run "$B" "$tmp/r60" report "$tmp/report60"
taskset -c 0 "$B/bench/handout_naive" "$tmp/zoe.dump" "$K" >"$tmp/naive"

# Instructions per sheet (callgrind): the same on a busy machine and an idle
# one. 50 sheets minus 0 sheets, so start-up and the warm-up render cancel.
instr() { # instr BUILD DATA: instructions per sheet
	local a b
	a=$(HANDOUT_DATA=$2 valgrind --tool=callgrind --callgrind-out-file=/dev/null \
		"$1/bench/handout_bench" "$S" "$1/handout" 50 0 2>&1 >/dev/null | awk '/Collected/ { print $4 }')
	b=$(HANDOUT_DATA=$2 valgrind --tool=callgrind --callgrind-out-file=/dev/null \
		"$1/bench/handout_bench" "$S" "$1/handout" 0 0 2>&1 >/dev/null | awk '/Collected/ { print $4 }')
	echo $(((a - b) / 50))
}
I_OURS=n/a I_REF=n/a
if command -v valgrind >/dev/null; then
	I_OURS=$(instr "$B" "$PWD/xml")
	[ -n "$ref" ] && I_REF=$(instr "$ref" "$tmp/ref/xml")
fi
get() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%+.1f %%", (a - b) * 100 / b; else print "n/a" }'; }
r() { [ -n "$ref" ] && get "$1" "$tmp/ref_sheet" || echo "n/a"; }
ours=$(get in_process_ms_per_sheet "$tmp/sheet")
naive=$(get naive_ms_per_sheet "$tmp/naive")
cat <<TABLE
Aftercare sheet (the Zoë sample), one core:

| measure | handout | before the redesign (same run) | change | bar | naive libharu |
|---|---|---|---|---|---|
| ms per sheet, in one process ($N sheets, fastest of 3 rounds) | $ours | $(r in_process_ms_per_sheet) | $(pct "$ours" "$(r in_process_ms_per_sheet)") | within +10 % | $naive |
| instructions per sheet (callgrind) | $I_OURS | $I_REF | $(pct "$I_OURS" "$I_REF") | within +10 % | |
| sheets per second, in one process | $(get in_process_sheets_per_second "$tmp/sheet") | $(r in_process_sheets_per_second) | | | $(awk -v n="$naive" 'BEGIN { printf "%.0f", 1000 / n }') |
| ms per sheet, fresh process (mean of $M) | $(get fresh_process_ms_per_sheet "$tmp/sheet") | $(r fresh_process_ms_per_sheet) | | ≤ 30 | |
| bytes per PDF | $(get bytes_per_pdf "$tmp/sheet") | $(r bytes_per_pdf) | $(pct "$(get bytes_per_pdf "$tmp/sheet")" "$(r bytes_per_pdf)") | within +10 % | $(get naive_bytes_per_pdf "$tmp/naive") |
| pages | $(get pages "$tmp/sheet") | $(r pages) | | | |
| peak RSS, in one process (KB) | $(get in_process_peak_rss_kb "$tmp/sheet") | $(r in_process_peak_rss_kb) | | ≤ 20,480 | $(get naive_peak_rss_kb "$tmp/naive") |
| engine start-up (fonts, schemas, library), ms | $(get engine_startup_ms "$tmp/sheet") | $(r engine_startup_ms) | | | |
| speed-up over naive | $(awk -v a="$ours" -v b="$naive" 'BEGIN { printf "%.1fx", b / a }') | | | | |

Other documents, one core, in one process ($N each):

| document | pages | ms per document | bar | documents per second | bytes per PDF | fresh process, ms |
|---|---|---|---|---|---|---|
| tri-fold brochure (prepared for the Zoë session) | $(get pages "$tmp/brochure") | $(get in_process_ms_per_sheet "$tmp/brochure") | < 5 | $(get in_process_sheets_per_second "$tmp/brochure") | $(get bytes_per_pdf "$tmp/brochure") | $(get fresh_process_ms_per_sheet "$tmp/brochure") |
| guide (bench/sessions/guide-12.xml) | $(get pages "$tmp/guide") | $(get in_process_ms_per_sheet "$tmp/guide") | < 20 | $(get in_process_sheets_per_second "$tmp/guide") | $(get bytes_per_pdf "$tmp/guide") | $(get fresh_process_ms_per_sheet "$tmp/guide") |
| progress report, 5 visits (xml/records/c-0042) | $(get pages "$tmp/report5") | $(get in_process_ms_per_sheet "$tmp/report5") | < 5 | $(get in_process_sheets_per_second "$tmp/report5") | $(get bytes_per_pdf "$tmp/report5") | $(get fresh_process_ms_per_sheet "$tmp/report5") |
| progress report, 60 visits (tests/tools/gen_records.py) | $(get pages "$tmp/report60") | $(get in_process_ms_per_sheet "$tmp/report60") | < 20 | $(get in_process_sheets_per_second "$tmp/report60") | $(get bytes_per_pdf "$tmp/report60") | $(get fresh_process_ms_per_sheet "$tmp/report60") |
TABLE

# Email: messages per second, plain and encrypted, and sending (bench/mail.sh).
echo
bash bench/mail.sh "$B"

# The therapist's desk: the page's weight and the time from "Preview" to
# the PDF over HTTP on loopback (bench/desk.py).
echo
echo "The desk (handout serve), 200 previews of the Zoë sheet:"
echo
HANDOUT=$B/handout python3 bench/desk.py 200 | sed 's/^/- /'

# Batches: speed of handout batch against its bars (bench/batch.sh).
echo
bash bench/batch.sh "$B"
