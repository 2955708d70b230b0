#!/usr/bin/env bash
# The desk's server under hostile HTTP (tests/serve/hostile.py): security
# headers, CSRF, DNS rebinding, size limits, bad encodings, path tricks in
# client ids, junk requests, slowloris, 200 concurrent requests with memory
# flat, LAN mode and its password. Each check prints ok or FAIL.
set -euo pipefail
: "${HANDOUT:?}" "${SRC_DIR:?}" "${WORK_DIR:?}"
rm -rf "$WORK_DIR"
mkdir -p "$WORK_DIR"
HANDOUT=$HANDOUT timeout 280 python3 "$SRC_DIR/tests/serve/hostile.py" "$WORK_DIR/hostile"
