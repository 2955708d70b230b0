#!/usr/bin/env bash
# Runs the benchmark on the Zoë sample (the tightest sheet) and prints a table.
# usage: bench/run.sh BUILD_DIR [N_IN_PROCESS] [N_FRESH] [N_NAIVE]
set -euo pipefail
cd "$(dirname "$0")/.."
B=${1:-build}
N=${2:-2000}
M=${3:-30}
K=${4:-200}
S=xml/sessions/zoe.xml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$B/handout" render -q --dump "$S" >"$tmp/zoe.dump"
# One core: the in-process figure is single-threaded anyway; pin it to be fair.
taskset -c 0 "$B/bench/handout_bench" "$S" "$B/handout" "$N" "$M" >"$tmp/ours"
taskset -c 0 "$B/bench/handout_naive" "$tmp/zoe.dump" "$K" >"$tmp/naive"
get() { awk -v k="$1" '$1 == k { print $2 }' "$tmp/ours" "$tmp/naive"; }
ours=$(get in_process_ms_per_sheet)
naive=$(get naive_ms_per_sheet)
cat <<TABLE
| measure (Zoë sample, one core) | handout | bar | naive libharu |
|---|---|---|---|
| ms per sheet, in one process ($N sheets) | $ours | ≤ 3 | $naive |
| sheets per second, in one process | $(get in_process_sheets_per_second) | | $(awk -v n="$naive" 'BEGIN { printf "%.0f", 1000 / n }') |
| ms per sheet, fresh process (mean of $M) | $(get fresh_process_ms_per_sheet) | ≤ 30 | |
| bytes per PDF | $(get bytes_per_pdf) | ≤ 30,000 | $(get naive_bytes_per_pdf) |
| peak RSS, in one process (KB) | $(get in_process_peak_rss_kb) | ≤ 20,480 | $(get naive_peak_rss_kb) |
| peak RSS, fresh process (KB) | $(get fresh_process_peak_rss_kb) | ≤ 20,480 | |
| engine start-up (fonts, schemas, library), ms | $(get engine_startup_ms) | | |
| speed-up over naive | $(awk -v a="$ours" -v b="$naive" 'BEGIN { printf "%.1fx", b / a }') | | |
TABLE
