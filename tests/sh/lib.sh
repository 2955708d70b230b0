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
	echo "$((CHECKS - FAILS)) passed, $FAILS failed"
	[ "$FAILS" = 0 ]
}

# xp FILE XPATH: the string value of an XPath (namespace-agnostic paths).
xp() { xmllint --xpath "$2" "$1" 2>/dev/null || true; }
# Strips every kind of whitespace (line breaks may fall anywhere in the PDF).
squeeze() { tr -d ' \t\n\r\f\v' | sed 's/\xc2\xa0//g'; }
