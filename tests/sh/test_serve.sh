#!/usr/bin/env bash
# The desk's server under hostile HTTP (tests/serve/hostile.py): security
# headers, CSRF, DNS rebinding, size limits, bad encodings, path tricks in
# client ids, junk requests, slowloris, 200 concurrent requests with memory
# flat, LAN mode and its password; then every problem of the Spanish page in
# Spanish. Each check prints ok or FAIL.
set -euo pipefail
: "${HANDOUT:?}" "${SRC_DIR:?}" "${WORK_DIR:?}"
rm -rf "$WORK_DIR"
mkdir -p "$WORK_DIR"
HANDOUT=$HANDOUT timeout 280 python3 "$SRC_DIR/tests/serve/hostile.py" "$WORK_DIR/hostile"

# The Spanish page's problems in Spanish, word for word (tests/serve/spanish.py).
HANDOUT=$HANDOUT timeout 120 python3 "$SRC_DIR/tests/serve/spanish.py" "$WORK_DIR/spanish"

# Email from the desk through a real SMTP server on loopback (the mail
# tests' aiosmtpd server): the client's address gets the message, the
# server's answer comes back to the page.
PY=/usr/bin/python3
if ! $PY -c 'import aiosmtpd' 2>/dev/null; then
	echo "SKIP email over SMTP: python3-aiosmtpd is not installed"
	exit 0
fi
smtp=$WORK_DIR/smtp
mkdir -p "$smtp"
$PY "$SRC_DIR/tests/tools/smtp_server.py" "$smtp" &
smtp_pid=$!
desk_pid=
cleanup() {
	kill "$smtp_pid" 2>/dev/null || true
	[ -z "$desk_pid" ] || kill "$desk_pid" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 100); do [ -s "$smtp/port" ] && break; sleep 0.1; done
port=$(cat "$smtp/port")
"$HANDOUT" serve --listen 127.0.0.1:0 --records "$WORK_DIR/rec" --smtp "smtp://127.0.0.1:$port" \
	>"$WORK_DIR/desk.out" 2>"$WORK_DIR/desk.err" &
desk_pid=$!
for _ in $(seq 100); do grep -q 'http://' "$WORK_DIR/desk.out" 2>/dev/null && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*' "$WORK_DIR/desk.out" | head -1)
token=$(curl -s "$url/" | grep -o 'name="csrf-token" content="[0-9a-f]*"' | cut -d'"' -f4)
answer=$(curl -s -H "X-Handout-CSRF: $token" -H 'Content-Type: application/x-www-form-urlencoded' \
	--data-urlencode 'client=Zoë Mail' --data-urlencode 'email=zoe@example.org' \
	--data 'date=2026-12-02&therapist=Maria&technique=swedish&area=neck' "$url/api/mail")
echo "$answer"
grep -q '"ok":true' <<<"$answer" && grep -q 'sent to zoe@example.org' <<<"$answer" ||
	{ echo "FAIL the desk did not send the email"; exit 1; }
grep -q 'zoe@example.org' "$smtp/1.json" && grep -q '^Content-Type: application/pdf' "$smtp/1.eml" ||
	{ echo "FAIL the SMTP server did not get the sheet"; exit 1; }
echo "ok   email from the desk over SMTP, the server's answer on the page"
