#!/usr/bin/env bash
# Word-space stretch of justified text, from the layout dumps of every sample
# session (its aftercare sheet and its guide) and of the brochure for anyone
# (English A4 and Spanish): a Markdown table (tests/tools/stretch.py).
# usage: bench/stretch.sh [BUILD_DIR]       (from any folder)
set -euo pipefail
cd "$(dirname "$0")/.."
B=${1:-build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
args=()
for s in xml/sessions/*.xml; do
	n=$(basename "$s" .xml)
	"$B/handout" render -q --dump "$s" >"$tmp/$n-sheet.dump"
	"$B/handout" guide -q --dump "$s" >"$tmp/$n-guide.dump"
	args+=("$n sheet=$tmp/$n-sheet.dump" "$n guide=$tmp/$n-guide.dump")
done
"$B/handout" brochure -q --dump >"$tmp/brochure.dump"
"$B/handout" brochure -q -l es --dump >"$tmp/brochure-es.dump"
args+=("brochure=$tmp/brochure.dump" "brochure -l es=$tmp/brochure-es.dump")
echo "| document | justified lines | largest stretch (em) | lines over 0.25 em | hyphenated lines |"
echo "|---|---|---|---|---|"
python3 tests/tools/stretch.py "${args[@]}"
