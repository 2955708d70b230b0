# Shared helpers for the shell tests. Environment (set by CTest):
#   HANDOUT   the program under test
#   SRC_DIR   the source tree
#   WORK_DIR  a scratch folder for this test (emptied first)
set -euo pipefail
: "${HANDOUT:?}" "${SRC_DIR:?}" "${WORK_DIR:?}"
rm -rf "$WORK_DIR"
mkdir -p "$WORK_DIR"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1763596800}
FAILS=0
CHECKS=0

pass() { CHECKS=$((CHECKS + 1)); }
fail() { CHECKS=$((CHECKS + 1)); FAILS=$((FAILS + 1)); echo "FAIL: $*" >&2; }
check() { # check "description" command...
	local what=$1; shift
	if "$@"; then pass; else fail "$what"; fi
}
finish() {
	if [ -e "$WORK_DIR/.tool-failed" ]; then
		fail "a helper tool failed (see above): the checks that used it prove nothing"
	fi
	echo "$((CHECKS - FAILS)) passed, $FAILS failed"
	[ "$FAILS" = 0 ]
}

# xp FILE XPATH: the string value of an XPath (namespace-agnostic paths).
# An empty node set is an empty answer (xmllint's status 10); any other
# failure of xmllint (a missing file, a bad path) fails the test at finish,
# even when xp ran inside $(...): an empty answer must never pass unnoticed.
xp() {
	local rc=0
	xmllint --xpath "$2" "$1" 2>"$WORK_DIR/.xp.err" || rc=$?
	if [ "$rc" != 0 ] && [ "$rc" != 10 ]; then
		echo "xp: xmllint --xpath '$2' $1 failed ($rc): $(cat "$WORK_DIR/.xp.err")" >&2
		touch "$WORK_DIR/.tool-failed"
	fi
}
# Folds the printer's characters back to the ASCII the XML is written in
# (README, "Typography"; tests/tools/nothing_lost.py does the same): ’ and ‘
# to ', “ ” « » to ", the en dash and U+2010 HYPHEN to -, and drops soft
# hyphens (U+00AD: where the layout broke a word at a line's end).
fold() {
	LC_ALL=C sed -e "s/\xe2\x80\x98/'/g; s/\xe2\x80\x99/'/g" \
		-e 's/\xe2\x80\x9c/"/g; s/\xe2\x80\x9d/"/g; s/\xc2\xab/"/g; s/\xc2\xbb/"/g' \
		-e 's/\xe2\x80\x90/-/g; s/\xe2\x80\x93/-/g; s/\xc2\xad//g'
}
# Strips every kind of whitespace (line breaks may fall anywhere in the PDF),
# after folding: a word broken at a line's end comes out whole.
squeeze() { fold | tr -d ' \t\n\r\f\v' | sed 's/\xc2\xa0//g'; }
