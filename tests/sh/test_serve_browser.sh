#!/usr/bin/env bash
# The desk in a real browser (tests/serve/browser.py): headless Chromium
# through chromium-driver and Debian's python3-selenium, by keyboard alone
# and by clicking; screenshots in $WORK_DIR/browser/screens. BROWSER_ARGS
# may say --quick (the sanitizer pass: the keyboard path only).
set -euo pipefail
: "${HANDOUT:?}" "${SRC_DIR:?}" "${WORK_DIR:?}"
PY=/usr/bin/python3
if ! [ -x /usr/bin/chromedriver ] || ! $PY -c 'import selenium' 2>/dev/null; then
	echo "SKIP: chromium-driver or python3-selenium is not installed (./build.sh installs them)"
	exit 77
fi
rm -rf "$WORK_DIR"
mkdir -p "$WORK_DIR"
HANDOUT=$HANDOUT timeout 280 $PY "$SRC_DIR/tests/serve/browser.py" "$WORK_DIR/browser" ${BROWSER_ARGS:-}
