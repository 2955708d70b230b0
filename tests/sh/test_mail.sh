# handout mail: the message as a mail program reads it (Python's email
# package), byte-identical reruns, hostile names and addresses, the PDF
# encrypted (qpdf and pdftotext with and without the password), and real
# SMTP to a real server on loopback (tests/tools/smtp_server.py, aiosmtpd):
# plain, STARTTLS with a certificate made here, implicit TLS, AUTH, and the
# server's faults (550, 451, 421, a connection dropped during DATA, no
# STARTTLS when it is required).
source "$(dirname "$0")/lib.sh"
cd "$WORK_DIR"
cp -r "$SRC_DIR/xml/sessions" sessions
INFO="python3 $SRC_DIR/tests/tools/eml_info.py"
SERVER="$SRC_DIR/tests/tools/smtp_server.py"
# Debian's python3-aiosmtpd is installed for Debian's own python3, which a
# python3 earlier in PATH (pyenv, a venv) does not see
SERVER_PY=/usr/bin/python3
[ -x "$SERVER_PY" ] || SERVER_PY=python3

# expect NAME STATUS command...: runs it, output in NAME.out and NAME.err
expect() {
	local name=$1 status=$2 got=0; shift 2
	"$@" >"$name.out" 2>"$name.err" || got=$?
	check "$name: exit status $status (got $got; $(head -c 300 "$name.err"))" test "$got" = "$status"
}
has() { # has FILE LINE: FILE has exactly this line
	grep -qxF -- "$2" "$1" || { echo "  $1 lacks: $2" >&2; return 1; }
}

# ----- the message, written as an .eml ---------------------------------------

expect eml 0 "$HANDOUT" mail -q sessions/zoe.xml -o zoe.eml
check "eml: the path is printed" has eml.out "zoe.eml"
$INFO zoe.eml --pdf zoe-att.pdf >zoe.info || fail "zoe.eml does not parse as text + PDF"
check "eml: From the clinic's sender" has zoe.info "From: Riverside Massage & Wellness <sheets@riverside-massage.example>"
check "eml: Reply-To" has zoe.info "Reply-To: Riverside Massage & Wellness <hello@riverside-massage.example>"
check "eml: To the client, RFC 2047 name" has zoe.info "To: Zoë Łukasiewicz <zoe@example.org>"
check "eml: Subject from the template" has zoe.info "Subject: Your aftercare sheet from Riverside Massage & Wellness"
check "eml: Date is SOURCE_DATE_EPOCH" has zoe.info "Date: Thu, 20 Nov 2025 00:00:00 +0000"
check "eml: Message-ID" grep -qE '^Message-ID: <[0-9a-f]{32}\.handout@riverside-massage\.example>$' zoe.info
check "eml: Content-Language" has zoe.info "Content-Language: en"
check "eml: the greeting" has zoe.info "text: Hello Zoë Łukasiewicz,"
check "eml: no password note when not encrypted" sh -c '! grep -q "protected with a password" zoe.info'
check "eml: attachment name" has zoe.info "attachment-filename: zoe.pdf"
check "eml: an attachment" has zoe.info "attachment-disposition: attachment"
# the raw bytes: headers in ASCII (encoded words), CRLF line ends, lines of
# at most 998 characters (RFC 5322), 78 in the body
raw_ok() {
	python3 - "$1" <<'PY'
import sys
raw = open(sys.argv[1], "rb").read()
head, body = raw.split(b"\r\n\r\n", 1)
lines = raw.split(b"\r\n")
sys.exit(0 if all(32 <= c < 127 or c == 9 for c in head.replace(b"\r\n", b""))
         and b"\n" not in raw.replace(b"\r\n", b"") and b"\r" not in raw.replace(b"\r\n", b"")
         and max(map(len, lines)) <= 998 and max(map(len, body.split(b"\r\n"))) <= 78 else 1)
PY
}
check "eml: ASCII headers, CRLF, short lines" raw_ok zoe.eml
"$HANDOUT" render -q sessions/zoe.xml -o zoe.pdf >/dev/null
check "eml: the attachment is exactly the rendered PDF" cmp -s zoe.pdf zoe-att.pdf
"$HANDOUT" mail -q sessions/zoe.xml -o zoe-again.eml >/dev/null
check "eml: byte-identical rerun" cmp -s zoe.eml zoe-again.eml
cat sessions/zoe.xml | "$HANDOUT" mail -q - -o stdin.eml >/dev/null
check "eml: from standard input, the same message but the file name" \
	test "$(grep -c stdin.pdf stdin.eml)" = 2
check "eml: the same Message-ID for the same document and client" \
	test "$(grep '^Message-Id' stdin.eml)" = "$(grep '^Message-Id' zoe.eml)"

# Spanish, a guide, a brochure
expect es 0 "$HANDOUT" mail -q sessions/spanish.xml -k guide -o es.eml
$INFO es.eml --pdf es.pdf >es.info || fail "es.eml does not parse"
check "es: Spanish subject" has es.info "Subject: Tu guía para la espalda de Riverside Massage & Wellness"
check "es: Spanish greeting" has es.info "text: Hola, Lucía Fernández Ortega:"
check "es: Content-Language" has es.info "Content-Language: es"
check "es: guide file name" has es.info "attachment-filename: spanish-guide.pdf"
check "es: the attachment is a guide" sh -c "pdftotext es.pdf - | grep -qx 'Índice'"
expect brochure 0 "$HANDOUT" mail -q sessions/zoe.xml -k brochure -o brochure.eml
$INFO brochure.eml >brochure.info || fail "brochure.eml does not parse"
check "brochure: subject" has brochure.info "Subject: Easing lower back pain: a brochure from Riverside Massage & Wellness"
check "brochure: file name" has brochure.info "attachment-filename: zoe-brochure.pdf"
check "brochure: another Message-ID than the sheet's" \
	test "$(grep '^Message-Id' brochure.eml)" != "$(grep '^Message-Id' zoe.eml)"

# ----- refused: no address, a bad one, no sender -------------------------------

expect noemail 1 "$HANDOUT" mail sessions/minimal.xml -o minimal.eml
check "noemail: the message" has noemail.err "sessions/minimal.xml: error: the session record has no email address for the client: there is no one to mail it to"
check "noemail: nothing written" test ! -e minimal.eml
# the session's schema takes it (no space, one '@', a dot after it); mail does not
sed 's|<email>zoe@example.org</email>|<email>zoe,bcc:x\&gt;@example.org</email>|' sessions/zoe.xml >badaddr.xml
expect badaddr 1 "$HANDOUT" mail badaddr.xml -o badaddr.eml
check "badaddr: the address refused, why" grep -qF "badaddr.xml: error: the client's email address 'zoe,bcc:x>@example.org' cannot be used: the part before the '@' has a character" badaddr.err
check "badaddr: nothing written" test ! -e badaddr.eml
sed 's|<email>zoe@example.org</email>|<email>zoe@localhost</email>|' sessions/zoe.xml >nodot.xml
expect nodot 1 "$HANDOUT" mail nodot.xml -o nodot.eml
check "nodot: refused (by the session's schema)" grep -qF "nodot.xml:7: error: 'zoe@localhost' is not an email address" nodot.err
sed '/<sender>/,/<\/sender>/d' "$SRC_DIR/xml/clinic/clinic.xml" >nosender.xml
cp "$SRC_DIR/xml/clinic/logo.png" .
expect nosender 1 "$HANDOUT" mail sessions/zoe.xml -c nosender.xml -o nosender.eml
check "nosender: the message" has nosender.err "nosender.xml: error: the clinic profile has no <sender>: an email needs a From address"
expect nowhere 2 "$HANDOUT" mail sessions/zoe.xml
check "nowhere: says what is missing" grep -qF -- "-o FILE.eml, --eml-dir DIR or --smtp URL" nowhere.err

# ----- hostile fields ------------------------------------------------------------

# A name that tries to end the To header and add its own (CR LF as character
# references, quotes, angle brackets, commas, a second address), and a session file name
# with a line break: one To address, no Bcc, a safe attachment name.
mkdir -p hostile
# (U+0085, U+2028 and the other controls are in test_mail.c: DejaVu has no
# glyph for them, so no PDF is made for such a name)
sed 's|<name>Zoë Łukasiewicz</name>|<name>Eve\&#13;\&#10;Bcc: victim@evil.example\&#13;\&#10;"Mallory" \&lt;m@evil.example\&gt;, x@evil.example</name>|' \
	sessions/zoe.xml >"hostile/a
Bcc: b@evil.example.xml"
expect hostile 0 "$HANDOUT" mail -q "hostile/a
Bcc: b@evil.example.xml" -o hostile.eml
$INFO hostile.eml >hostile.info || fail "hostile.eml does not parse"
check "hostile: one To address, the client's" has hostile.info "to-addresses: zoe@example.org"
check "hostile: the name kept as one line" has hostile.info 'to-names: Eve Bcc: victim@evil.example "Mallory" <m@evil.example>, x@evil.example'
check "hostile: no header added" has hostile.info "header-names: Date From Reply-To Subject To Message-Id Content-Language MIME-Version Content-Type"
check "hostile: no Bcc anywhere in the headers" sh -c "! sed '/^\r\$/q' hostile.eml | grep -qi '^bcc'"
check "hostile: a safe attachment name" has hostile.info "attachment-filename: a-Bcc-bevilexample.pdf"
# a file name that is not ASCII: RFC 2231, read back as written
cp sessions/zoe.xml "sessions/Zoë Łuk.xml"
expect rfc2231 0 "$HANDOUT" mail -q "sessions/Zoë Łuk.xml" -o rfc2231.eml
$INFO rfc2231.eml >rfc2231.info || fail "rfc2231.eml does not parse"
check "rfc2231: the file name" has rfc2231.info "attachment-filename: Zoë-Łuk.pdf"
check "rfc2231: encoded as RFC 2231 says" grep -qF "filename*=UTF-8''Zo%C3%AB-%C5%81uk.pdf" rfc2231.eml
# 10 MB of notes: the session is over its 1 MB limit; refused before parsing
{ sed -n '1,/<notes>/p' sessions/zoe.xml | sed '$d'; printf '  <notes><p>'; head -c 10000000 /dev/zero | tr '\0' 'a'; printf '</p></notes>\n'; sed -n '/<\/notes>/,$p' sessions/zoe.xml | sed 1d; } >huge.xml
expect huge 1 "$HANDOUT" mail huge.xml -o huge.eml
check "huge: refused for its size" grep -qF "huge.xml: error:" huge.err
check "huge: nothing written" test ! -e huge.eml

# ----- the PDF protected with a password ---------------------------------------

printf 'Blue-Heron-42 zoë\n' >pw.txt
chmod 600 pw.txt
expect enc 0 "$HANDOUT" mail -q sessions/zoe.xml --password-file pw.txt -o enc.eml
$INFO enc.eml --pdf enc.pdf >enc.info || fail "enc.eml does not parse"
check "enc: the note about the password" has enc.info "text: The attachment is protected with a password. We give it to you in person"
check "enc: the password is not in the message" sh -c "! grep -q 'Blue-Heron' enc.eml"
check "enc: the password is not in the message's text" sh -c "! grep -q 'Blue-Heron' enc.info"
check "enc: qpdf: AES-256, R6" sh -c "qpdf --password='Blue-Heron-42 zoë' --show-encryption enc.pdf | grep -qx 'R = 6' && qpdf --password='Blue-Heron-42 zoë' --show-encryption enc.pdf | grep -qx 'file encryption method: AESv3'"
check "enc: opens with the password" qpdf --password='Blue-Heron-42 zoë' --decrypt enc.pdf dec.pdf
check "enc: and is the document" sh -c "pdftotext dec.pdf - | grep -q 'Zoë'"
check "enc: pdftotext with the password" sh -c "pdftotext -upw 'Blue-Heron-42 zoë' enc.pdf - | grep -q 'Aftercare for'"
check "enc: does not open without it" sh -c "! qpdf --decrypt enc.pdf nopw.pdf 2>/dev/null"
check "enc: nor with another" sh -c "! qpdf --password=Blue-Heron-43 --decrypt enc.pdf nopw.pdf 2>/dev/null"
check "enc: pdftotext without it fails" sh -c "! pdftotext enc.pdf - >/dev/null 2>&1"
check "enc: qpdf --check with the password" sh -c "qpdf --password='Blue-Heron-42 zoë' --check enc.pdf >/dev/null"
check "enc: the same Message-ID as unencrypted" \
	test "$(grep '^Message-Id' enc.eml)" = "$(grep '^Message-Id' zoe.eml)"
echo "sizes: sheet PDF $(stat -c %s zoe.pdf) B, encrypted $(stat -c %s enc.pdf) B; .eml $(stat -c %s zoe.eml) B, encrypted $(stat -c %s enc.eml) B"
chmod 644 pw.txt
expect pwmode 1 "$HANDOUT" mail sessions/zoe.xml --password-file pw.txt -o pwmode.eml
check "pwmode: refused, says why" has pwmode.err "pw.txt: error: the password file can be read by others (mode 0644)"
check "pwmode: nothing written" test ! -e pwmode.eml
chmod 600 pw.txt
ln -s pw.txt pwlink.txt
expect pwlink 1 "$HANDOUT" mail sessions/zoe.xml --password-file pwlink.txt -o pwlink.eml
check "pwlink: a link refused" has pwlink.err "pwlink.txt: error: cannot read the password file: it is a symbolic link"
: >empty.txt; chmod 600 empty.txt
expect pwempty 1 "$HANDOUT" mail sessions/zoe.xml --password-file empty.txt -o pwempty.eml
check "pwempty: refused" has pwempty.err "empty.txt: error: the password file's first line is empty"

# ----- SMTP to a real server on loopback -----------------------------------------

PIDS=()
cleanup() { local p; for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
# start NAME args...: a server in NAME/; PORT is its port
start() {
	local dir=$1 i; shift
	"$SERVER_PY" "$SERVER" "$dir" "$@" 2>"$dir.log" &
	PIDS+=($!)
	for i in $(seq 100); do [ -s "$dir/port" ] && break; sleep 0.1; done
	PORT=$(cat "$dir/port")
}
received() { ls "$1" | grep -c '\.eml$' || true; }

start plain
expect send 0 "$HANDOUT" mail -q sessions/zoe.xml --smtp "smtp://127.0.0.1:$PORT"
check "send: the server's answer is reported" grep -qE "^sent to zoe@example.org \(Message-ID <[0-9a-f]{32}\.handout@riverside-massage\.example>\): 250 2\.0\.0 Ok: queued as HD0001$" send.out
check "send: one message received" test "$(received plain)" = 1
check "send: envelope" grep -qF '"mail_from": "sheets@riverside-massage.example", "rcpt_tos": ["zoe@example.org"]' plain/1.json
check "send: what the server got is the .eml, byte for byte" cmp -s plain/1.eml zoe.eml
$INFO plain/1.eml --pdf got.pdf >got.info || fail "the received message does not parse"
check "send: the attachment is the rendered PDF" cmp -s got.pdf zoe.pdf
check "send: the To the server got" has got.info "To: Zoë Łukasiewicz <zoe@example.org>"

# encrypted, sent: the server gets an AES-256 PDF that opens with the password only
expect sendenc 0 "$HANDOUT" mail -q sessions/spanish.xml --password-file pw.txt --smtp "smtp://localhost:$PORT"
$INFO plain/2.eml --pdf got-enc.pdf >got-enc.info || fail "the received encrypted message does not parse"
check "sendenc: R6 AES-256" sh -c "qpdf --password='Blue-Heron-42 zoë' --show-encryption got-enc.pdf | grep -qx 'R = 6'"
check "sendenc: not without the password" sh -c "! qpdf --decrypt got-enc.pdf x.pdf 2>/dev/null"
check "sendenc: Spanish note" has got-enc.info "text: El documento adjunto está protegido con una contraseña. Te la damos en"

# the recipient refused (550): reported, permanent, nothing delivered
start reject --reject zoe@example.org
expect reject 5 "$HANDOUT" mail -q sessions/zoe.xml --smtp "smtp://127.0.0.1:$PORT"
check "reject: the server's words" grep -qF "smtp://127.0.0.1:$PORT: error: not sent: 550 5.1.1 <zoe@example.org>: Recipient address rejected: no such user" reject.err
check "reject: a permanent failure's hint" grep -qF "the server refused it" reject.err
check "reject: nothing delivered" test "$(received reject)" = 0

# 451, then 421, then accepted: each failure temporary, said so; the third run delivers once
start busy --replies 451,421
expect busy1 5 "$HANDOUT" mail -q sessions/zoe.xml --smtp "smtp://127.0.0.1:$PORT"
check "busy1: 451 reported as temporary" grep -qF "not sent: 451 4.3.0 Try again later" busy1.err
check "busy1: try again" grep -qF "try again later" busy1.err
expect busy2 5 "$HANDOUT" mail -q sessions/zoe.xml --smtp "smtp://127.0.0.1:$PORT"
check "busy2: 421 reported" grep -qF "not sent: 421 4.7.0 Too busy, closing" busy2.err
expect busy3 0 "$HANDOUT" mail -q sessions/zoe.xml --smtp "smtp://127.0.0.1:$PORT"
check "busy: delivered once, after the failures" test "$(received busy)" = 1

# the connection dropped during DATA: not sent (the server never said 250), temporary
start drop --drop 1
expect drop 5 "$HANDOUT" mail -q sessions/zoe.xml --smtp "smtp://127.0.0.1:$PORT"
check "drop: reported as a failure to try again" grep -qF "try again later" drop.err
check "drop: nothing delivered" test "$(received drop)" = 0
expect drop2 0 "$HANDOUT" mail -q sessions/zoe.xml --smtp "smtp://127.0.0.1:$PORT"
check "drop: the rerun delivers once" test "$(received drop)" = 1

# STARTTLS with a certificate made here, and AUTH
openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 2 \
	-subj /CN=localhost -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" 2>/dev/null
start tls --cert cert.pem --key key.pem --user clinic --password 's3cret pass'
expect tls 0 env HANDOUT_SMTP_PASSWORD='s3cret pass' "$HANDOUT" mail -q sessions/zoe.xml \
	--smtp "smtp://127.0.0.1:$PORT" --starttls --smtp-ca cert.pem --smtp-user clinic
check "tls: delivered over TLS, logged in" grep -qF '"tls": true, "login": "clinic"' tls/1.json
check "tls: the SMTP password is not in the message" sh -c "! grep -q 's3cret' tls/1.eml"
printf 's3cret pass\n' >smtp-pw.txt; chmod 600 smtp-pw.txt
expect tlsfile 0 "$HANDOUT" mail -q sessions/zoe.xml --smtp "smtp://127.0.0.1:$PORT" --starttls \
	--smtp-ca cert.pem --smtp-user clinic --smtp-password-file smtp-pw.txt
check "tlsfile: the password from a file" test "$(received tls)" = 2
expect badpw 5 env HANDOUT_SMTP_PASSWORD=wrong "$HANDOUT" mail -q sessions/zoe.xml \
	--smtp "smtp://127.0.0.1:$PORT" --starttls --smtp-ca cert.pem --smtp-user clinic
check "badpw: login refused, what to check" grep -qF "check the user name and the password" badpw.err
expect noca 5 env HANDOUT_SMTP_PASSWORD='s3cret pass' "$HANDOUT" mail -q sessions/zoe.xml \
	--smtp "smtp://127.0.0.1:$PORT" --starttls --smtp-user clinic
check "noca: an unverified certificate refused" grep -qF "give its CA with --smtp-ca FILE" noca.err
check "tls: nothing more delivered" test "$(received tls)" = 2
expect nopw 2 "$HANDOUT" mail -q sessions/zoe.xml --smtp "smtp://127.0.0.1:$PORT" --smtp-user clinic
check "nopw: where the password comes from" grep -qF "set HANDOUT_SMTP_PASSWORD" nopw.err

# implicit TLS (smtps://)
start implicit --cert cert.pem --key key.pem --implicit-tls
expect smtps 0 "$HANDOUT" mail -q sessions/zoe.xml --smtp "smtps://127.0.0.1:$PORT" --smtp-ca cert.pem
check "smtps: delivered over TLS" grep -qF '"tls": true' implicit/1.json

# TLS required and the server offers no STARTTLS: nothing sent
expect nostarttls 5 "$HANDOUT" mail -q sessions/zoe.xml --smtp "smtp://127.0.0.1:$(cat plain/port)" --starttls
check "nostarttls: refused, why" grep -qF "the server offers no STARTTLS" nostarttls.err
check "nostarttls: nothing delivered" test "$(received plain)" = 2
# ... and to an address that is not loopback, STARTTLS is required without asking
IP=$(hostname -I 2>/dev/null | tr ' ' '\n' | grep -E '^[0-9]+\.' | grep -v '^127\.' | head -1 || true)
if [ -n "$IP" ]; then
	start outside --host "$IP"
	expect outside 5 "$HANDOUT" mail -q sessions/zoe.xml --smtp "smtp://$IP:$PORT"
	check "outside: no clear text beyond this machine" grep -qF "the server offers no STARTTLS" outside.err
	check "outside: nothing delivered" test "$(received outside)" = 0
else
	echo "note: no address other than loopback here; the STARTTLS-by-default check is skipped"
fi

# addresses that are not SMTP servers, or carry a password
expect url 1 "$HANDOUT" mail -q sessions/zoe.xml --smtp "http://127.0.0.1:$PORT"
check "url: not SMTP" grep -qF "is not an SMTP server address" url.err
expect urluser 1 "$HANDOUT" mail -q sessions/zoe.xml --smtp "smtp://clinic:pw@127.0.0.1:$PORT"
check "urluser: refused" grep -qF "the SMTP address names a user" urluser.err
check "no stray deliveries" test "$(received plain)" = 2

# ----- many clients: .eml files, and a mail merge with its journal ---------------

expect emldir 0 "$HANDOUT" mail -q sessions/zoe.xml sessions/spanish.xml sessions/plain.xml -k guide --eml-dir emls
check "emldir: one message per session" test "$(ls emls | tr '\n' ' ')" = "plain-guide.eml spanish-guide.eml zoe-guide.eml "
check "emldir: the paths printed" has emldir.out "emls/spanish-guide.eml"
expect nojournal 2 "$HANDOUT" mail -q sessions/zoe.xml sessions/plain.xml --smtp "smtp://127.0.0.1:$(cat plain/port)"
check "nojournal: several clients need a journal" grep -qF "sending to several clients needs --journal FILE" nojournal.err

# 500 clients; a brochure each
mkdir -p list
for i in $(seq 1 500); do
	sed -e "s|<name>Zoë Łukasiewicz</name>|<name>Client Núñez $i</name>|" \
		-e "s|<email>zoe@example.org</email>|<email>client-$i@example.org</email>|" \
		sessions/zoe.xml >"list/c$i.xml"
done
# one address refused (550), the first DATA answered 451 then accepted on the retry
start merge --reject client-7@example.org --replies 451
MERGE=("$HANDOUT" mail -q list/c{1..500}.xml -k brochure --smtp "smtp://127.0.0.1:$PORT"
	--journal merge.journal --retry-delay 0)
# the first run is killed (kill -9) once the server has taken 100 messages
"${MERGE[@]}" --rate 6000 >merge1.out 2>merge1.err &
run=$!
for _ in $(seq 600); do [ "$(received merge)" -ge 100 ] && break; sleep 0.05; done
kill -9 "$run" 2>/dev/null || true
wait "$run" 2>/dev/null || true
first=$(received merge)
check "merge: killed in the middle ($first of 500 delivered)" test "$first" -ge 100 -a "$first" -lt 499
expect merge2 5 "${MERGE[@]}" --rate 0
recipients() { cat merge/*.json | python3 -c 'import json,sys; [print(r) for l in sys.stdin.read().replace("}{", "}\n{").splitlines() for r in json.loads(l)["rcpt_tos"]]'; }
recipients | sort >merge.rcpts
check "merge: nobody got two messages" test -z "$(uniq -d merge.rcpts)"
# A row the killed run handed to the server without recording the answer is
# "uncertain": not sent again (it may have arrived; README, "Email"). Every
# other client but the refused one has exactly one message.
sed -n 's/^handout mail: warning: not sent again to \([^:]*\):.*/\1/p' merge2.err | sort >merge.uncertain
check "merge: at most the one row in flight is uncertain ($(wc -l <merge.uncertain))" test "$(wc -l <merge.uncertain)" -le 1
check "merge: every client but the refused one has their message, or is reported uncertain" \
	test "$(sort -u merge.rcpts merge.uncertain | wc -l)" = 499
check "merge: the refused address, not delivered" sh -c "! grep -qx client-7@example.org merge.rcpts"
check "merge: the refusal reported with the server's words" grep -qF "550 5.1.1 <client-7@example.org>: Recipient address rejected" merge1.err merge2.err
already=$(grep -c '^already sent to ' merge2.out || true)
check "merge: the rerun skips what the first run sent ($already)" \
	test "$already" -le "$first" -a "$already" -ge $((first - $(wc -l <merge.uncertain)))
check "merge: the journal says sent for every delivered message but an uncertain one" \
	test "$(cut -f1 merge.journal | grep -cx sent)" -ge $(( $(wc -l <merge.rcpts) - $(wc -l <merge.uncertain) ))
# a third run sends nothing more
expect merge3 5 "${MERGE[@]}" --rate 0
check "merge: a third run sends nothing" test "$(recipients | wc -l)" = "$(wc -l <merge.rcpts)"
check "merge: and says so for every one the journal has as sent" \
	test "$(grep -c '^already sent to ' merge3.out)" = "$(cut -f1 merge.journal | grep -cx sent)"
check "merge: the refused one is not tried again" grep -qF "the server refused it in an earlier run (journal)" merge3.err
check "merge: the journal is private" test "$(stat -c %a merge.journal)" = 600
check "merge: no password, no message text in the journal" sh -c "! grep -q 'Blue-Heron\|Hello' merge.journal"

# ----- handout batch LIST --mail: the same over a CSV client list -----------------

{
	echo "client_id,client,email,language"
	for i in $(seq 1 500); do echo "c-$i,Client Núñez $i,client-$i@example.org,$([ $((i % 2)) = 0 ] && echo es || echo en)"; done
	echo "c-501,No Address,,en"
} >clients.csv
start bmerge --reject client-7@example.org --replies 451
BATCH=("$HANDOUT" batch clients.csv -k brochure -o bout -q --mail --smtp "smtp://127.0.0.1:$PORT"
	--retry-delay 0)
"${BATCH[@]}" --rate 6000 >bmerge1.out 2>bmerge1.err &
run=$!
for _ in $(seq 1200); do [ "$(received bmerge)" -ge 100 ] && break; sleep 0.05; done
kill -9 "$run" 2>/dev/null || true
wait "$run" 2>/dev/null || true
first=$(received bmerge)
check "batch --mail: killed in the middle ($first of 500 delivered)" test "$first" -ge 100 -a "$first" -lt 499
check "batch --mail: the journal beside the documents" test -s bout/mail.journal
expect bmerge2 5 "${BATCH[@]}" --rate 0
cat bmerge/*.json | python3 -c 'import json,sys; [print(r) for l in sys.stdin.read().replace("}{", "}\n{").splitlines() for r in json.loads(l)["rcpt_tos"]]' | sort >bmerge.rcpts
check "batch --mail: nobody got two messages" test -z "$(uniq -d bmerge.rcpts)"
sed -n 's/.*not sent again to \([^:]*\):.*/\1/p' bmerge2.err | sort >bmerge.uncertain
check "batch --mail: everyone but the refused and the one without an address has theirs, or is reported uncertain" \
	test "$(sort -u bmerge.rcpts bmerge.uncertain | wc -l)" = 499
check "batch --mail: the summary" grep -qE "^mail: [0-9]+ sent, [0-9]+ sent before, 2 refused(, 1 uncertain)?: see bout/mail.csv$" bmerge2.out
check "batch --mail: the row without an address, by its row" grep -qF "clients.csv:502: error: the session record has no email address for the client" bmerge2.err
check "batch --mail: mail.csv, the refused row with the server's words" \
	grep -qE '^8,c-7,Client Núñez 7,client-7@example.org,refused,[0-9a-f]{32}\.handout@riverside-massage\.example,' bout/mail.csv
check "batch --mail: mail.csv, one line per row made" test "$(wc -l <bout/mail.csv)" = 502
check "batch --mail: the Spanish rows in Spanish" sh -c "grep -l 'client-2@example.org' bmerge/*.eml | head -1 | xargs grep -q 'Content-Language: es'"
expect bmerge3 5 "${BATCH[@]}" --rate 0
check "batch --mail: a third run sends nothing" test "$(received bmerge)" = "$(wc -l <bmerge.rcpts)"
check "batch --mail: and says why" grep -qE "^mail: 0 sent, [0-9]+ sent before, 2 refused" bmerge3.out
# .eml files for every row, without sending
expect bemls 1 "$HANDOUT" batch clients.csv -k brochure -o bout -q --eml-dir bemls
check "batch --eml-dir: one message per row with an address" test "$(ls bemls | wc -l)" = 500
check "batch --eml-dir: named like the PDFs" test -e "bemls/Client-Núñez-1-c-1-brochure.eml"
expect bnosmtp 2 "$HANDOUT" batch clients.csv -k brochure -o bout -q --mail
check "batch --mail without --smtp: a usage error" grep -qF -- "--mail needs --smtp URL" bnosmtp.err

# a password per row, from a column of the list: each PDF opens with its own
printf 'client_id,client,email,Password\np-1,Ana Pérez,ana@example.org,Río-Azul-17\np-2,Ben Ode,ben@example.org,Tall-Pine-23\np-3,Cy Roe,cy@example.org,\n' >pwlist.csv
expect pwcol 1 "$HANDOUT" batch pwlist.csv -k brochure -o pwout -q --eml-dir pwemls --password-column Password
check "pwcol: a message for each row with a password" test "$(ls pwemls | wc -l)" = 2
$INFO "pwemls/Ana-Pérez-p-1-brochure.eml" --pdf pw1.pdf >/dev/null || fail "the first row's message does not parse"
$INFO "pwemls/Ben-Ode-p-2-brochure.eml" --pdf pw2.pdf >/dev/null || fail "the second row's message does not parse"
check "pwcol: the first opens with its row's password, R6" sh -c "qpdf --password='Río-Azul-17' --show-encryption pw1.pdf | grep -qx 'R = 6'"
check "pwcol: not with the other row's" sh -c "! qpdf --password='Tall-Pine-23' --decrypt pw1.pdf x.pdf 2>/dev/null"
check "pwcol: the second with its own" qpdf --password='Tall-Pine-23' --decrypt pw2.pdf pw2-open.pdf
check "pwcol: a row without a password gets no message, and is told" grep -qF "pwlist.csv:4: error: no password in column 'Password': the document is never sent unprotected" pwcol.err
check "pwcol: the passwords are nowhere in handout's files" sh -c "! grep -rqa 'Río-Azul\|Tall-Pine' pwemls pwout"
expect pwnocol 1 "$HANDOUT" batch pwlist.csv -k brochure -o pwout -q --eml-dir pwemls --password-column Secret
check "pwnocol: a column the list lacks" grep -qF "the list has no column 'Secret' for the passwords" pwnocol.err

finish
