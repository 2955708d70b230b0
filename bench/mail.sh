#!/usr/bin/env bash
# The email benchmark (issue 10): messages per second for a 1,000-row list in
# one process, plain and with the PDF encrypted, and sending to a real SMTP
# server on loopback (tests/tools/smtp_server.py, Debian's python3-aiosmtpd).
# usage: bench/mail.sh BUILD_DIR [ROWS] [SENT]
set -euo pipefail
cd "$(dirname "$0")/.."
B=${1:-build}
ROWS=${2:-1000}
SENT=${3:-200}
tmp=$(mktemp -d)
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
"$PY" tests/tools/smtp_server.py "$tmp/server" 2>"$tmp/server.log" &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do [ -s "$tmp/server/port" ] && break; sleep 0.1; done
HANDOUT_DATA=$PWD/xml taskset -c 0 "$B/bench/handout_mail_bench" "$ROWS" \
	"smtp://127.0.0.1:$(cat "$tmp/server/port")" "$SENT"
