#!/usr/bin/env bash
# Pictures (issue 8): the library's drawings are checked like all content,
# with the line and column of a mistake; every sample sheet shows the body
# diagram with exactly the session's areas shaded and numbered as in its
# "Where we worked" list; exercises show their drawing, which is left out
# (with a note) only when the sheet would not fit on one page with it; the
# pictures add at most 3 KB per page.
source "$(dirname "$0")/lib.sh"
cd "$WORK_DIR"

expect() { # expect NAME STATUS WANT_FILE COMMAND...: exit status and exact stderr
	local name=$1 status=$2 want=$3; shift 3
	local got=0
	"$@" >"$name.out" 2>"$name.err" || got=$?
	check "$name: exit status $status (got $got)" test "$got" = "$status"
	if diff -u "$want" "$name.err" >"$name.diff"; then pass; else
		fail "$name: stderr differs"
		cat "$name.diff" >&2
	fi
}

# ----- a drawing with mistakes: each reported where it is --------------------
# (checked on its own, against the shipped library: a library with a bad
# file in it would stop every command, validate included, at start-up)
cat >zz-bad.xml <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<library xmlns="urn:handout:library:1" version="1" languages="en es">
  <drawing id="bad-one" viewBox="0 0 100 50">
    <alt xml:lang="en">A test.</alt>
    <alt xml:lang="es">Una prueba.</alt>
    <path d="M 10 10 L 20 20 Q 5" stroke="ink"/>
    <path d="M 10 10
             L 20 20 X 3" stroke="ink"/>
    <circle cx="5" cy="5" r="0" fill="ink"/>
    <rect x="1" y="1" width="3" height="3"/>
    <path region="lumbar-left" d="M0 0 L 1 1 Z"/>
    <path region="lumbar-left" d="M0 0 L 1 1 Z"/>
    <path d="M 0 0 L 100001 3" stroke="ink"/>
  </drawing>
  <drawing id="bad-two" viewBox="0 0 -1 5">
    <alt xml:lang="en">Only English.</alt>
    <line x1="0" y1="0" x2="1" y2="1" stroke="ink"/>
  </drawing>
</library>
XML
cat >want.bad <<'TXT'
zz-bad.xml:6:33: error: drawing 'bad-one': expected four numbers (x1 y1 x y) after 'Q' (near " L 20 20 Q 5")
  hint: path data takes M, L, H, V, C, S, Q, T, A and Z with numbers; see xml/README.md, "Drawings"
zz-bad.xml:8:22: error: drawing 'bad-one': unknown path command (use M L H V C S Q T A Z) (near "    L 20 20 X 3")
  hint: path data takes M, L, H, V, C, S, Q, T, A and Z with numbers; see xml/README.md, "Drawings"
zz-bad.xml:9: error: drawing 'bad-one': <circle>: a radius must be greater than 0
zz-bad.xml:10: error: drawing 'bad-one': this <rect> paints nothing
  hint: give it stroke="ink" (or another colour), fill="...", or both
zz-bad.xml:12: error: drawing 'bad-one' has region 'lumbar-left' twice
  hint: draw each area as one closed path
zz-bad.xml:13:22: error: drawing 'bad-one': a number in the path data is out of range (at most 100000) (near "M 0 0 L 100001 3")
  hint: path data takes M, L, H, V, C, S, Q, T, A and Z with numbers; see xml/README.md, "Drawings"
zz-bad.xml:15:34: error: drawing 'bad-two': viewBox="0 0 -1 5" is not x y width height
  hint: viewBox is four numbers: x y width height, the width and height greater than 0
zz-bad.xml:15: error: drawing 'bad-two' has no text alternative in 'es'
  hint: add <alt xml:lang="es"> saying in words what the picture shows
1 of 1 file invalid
TXT
expect bad 1 want.bad "$HANDOUT" validate zz-bad.xml

# What the schema catches, in plain words (no libxml2 jargon).
cat >zz-schema.xml <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<library xmlns="urn:handout:library:1" version="1" languages="en es">
  <drawing id="s" viewBox="0 0 10 10">
    <alt xml:lang="en">x</alt>
    <alt xml:lang="es">x</alt>
    <path d="M0 0 L 1 1" stroke="blue"/>
    <circle cx="1" cy="1" r="x" fill="ink"/>
    <path region="elbow" d="M0 0 L1 1 Z"/>
    <square x="1"/>
  </drawing>
  <drawing id="t" viewBox="0 0 10">
    <path d="M0 0 L 1 1" stroke="ink"/>
  </drawing>
</library>
XML
cat >want.schema <<'TXT'
zz-schema.xml:6: error: stroke="blue" on <path> is not a colour name
  hint: use ink, muted, shade, paper, accent or none
zz-schema.xml:7: error: r="x" on <circle> is not a number
  hint: write a plain number such as 12 or -3.5
zz-schema.xml:8: error: region="elbow" on <path> is not a body area
  hint: use neck, shoulder-left, shoulder-right, upper-back, mid-back, lumbar-left, lumbar-right, sacrum, glute-left, glute-right, hip-left, hip-right, hamstring-left or hamstring-right
zz-schema.xml:9: error: <square> is not allowed inside <drawing>
  hint: a drawing holds its <alt> texts, then <path>, <circle>, <ellipse>, <rect> and <line> shapes
zz-schema.xml:11: error: viewBox="0 0 10" on <drawing> is not four numbers
  hint: write x y width height, e.g. "0 0 320 120"
zz-schema.xml:12: error: <drawing> needs its <alt> text first
  hint: write what the picture shows in words, one <alt xml:lang="..."> per language, before the shapes
1 of 1 file invalid
TXT
expect schema 1 want.schema "$HANDOUT" validate zz-schema.xml

# An entry that names a drawing the library lacks: said at the entry, with
# the closest id; checked against the whole library even when one file is
# validated on its own.
sed 's/drawing="cat-cow"/drawing="cat-cw"/' "$SRC_DIR/xml/library/exercises.xml" >exercises.xml
cat >want.ref <<'TXT'
exercises.xml:80: error: entry 'cat-cow' names drawing 'cat-cw', which is not in the library
  hint: did you mean 'cat-cow'?
1 of 1 file invalid
TXT
expect ref 1 want.ref "$HANDOUT" validate exercises.xml

# A hostile drawing: 30,000 segments, in bounded time, one message.
python3 - >huge.xml <<'PY'
print('<?xml version="1.0" encoding="UTF-8"?>')
print('<library xmlns="urn:handout:library:1" version="1" languages="en es">')
print('<drawing id="huge" viewBox="0 0 10 10"><alt xml:lang="en">x</alt><alt xml:lang="es">x</alt>')
print('<path stroke="ink" d="M0 0' + ' l1 1' * 30000 + '"/>')
print('</drawing>\n</library>')
PY
start=$(date +%s%N)
"$HANDOUT" validate huge.xml >huge.out 2>huge.err || true
ms=$((($(date +%s%N) - start) / 1000000))
check "huge drawing: refused with the limit" grep -q "the drawing has too many segments (the limit is 20000)" huge.err
check "huge drawing: one message" test "$(grep -c 'error:' huge.err)" = 1
check "huge drawing: in bounded time ($ms ms)" test "$ms" -lt 10000

# ----- the body diagram on every sample sheet ----------------------------------
# The areas of a session, in order; the tint is the shaded regions' fill.
for s in "$SRC_DIR"/xml/sessions/*.xml; do
	name=$(basename "$s" .xml)
	"$HANDOUT" render -q --dump "$s" >"$name.dump" 2>/dev/null
	xp "$s" "//*[local-name()='area']/text()" | tr -s ' \n' '\n' | grep -v '^$' >"$name.areas" || true
	n=$(wc -l <"$name.areas")
	# the shaded regions: filled paths in the tint, on page 1
	shaded=$(awk '/^page / { p = $2 } p == 1 && /^  path fill=b/ && !/stroke/' "$name.dump" | wc -l)
	check "$name: $n areas, $n regions shaded (got $shaded)" test "$shaded" = "$n"
	# their numbers, bold, 1..n
	nums=$(awk '/^page / { p = $2 } p == 1 && /font=B/ && /"[0-9]+"$/ { t = $NF; gsub(/"/, "", t); print t }' \
		"$name.dump" | sort -n | uniq | tr '\n' ' ')
	want=$(seq 1 "$n" | tr '\n' ' ')
	check "$name: the regions are numbered $want(got $nums)" test "$nums" = "$want"
	# the legend: "1 <the first area's label>" in the PDF's text, in the
	# session's language
	"$HANDOUT" render -q "$s" -o "$name.pdf" 2>/dev/null
	pdftotext -enc UTF-8 "$name.pdf" - | sed 's/\xc2\xa0/ /g' | tr -s ' \n' ' ' >"$name.txt"
	lang=$(xp "$s" "string(//*[local-name()='language'])")
	label=$(xp "$SRC_DIR/xml/templates/aftercare.xml" \
		"string(//*[local-name()='labels'][@*[local-name()='lang']='${lang:-en}']/*[@key='area.$(head -1 "$name.areas")'])")
	check "$name: the legend begins \"1 $label\"" grep -qF "1 $label" "$name.txt"
done

# The shaded regions are the worked ones: lumbar-left and lumbar-right of
# plain.xml sit left and right of each other, left first (seen from behind).
awk '/^page / { p = $2 } p == 1 && /^  path fill=b/ && !/stroke/ { print $4 }' plain.dump >plain.x
check "plain: the left side's region is left of the right side's" \
	awk 'NR == 1 { a = $1 } NR == 2 { b = $1 } END { exit !(a < b) }' plain.x

# ----- exercises ----------------------------------------------------------------
# The same sessions from a template whose exercises show no drawing: what
# the body diagram alone draws with round strokes.
cp -r "$SRC_DIR/xml" nodraw
sed -i 's| drawings="float"[^/]*/>|/>|' nodraw/templates/aftercare.xml
rounds() { grep -c ' round ' "$1" || true; }
# plain.xml has the knee-to-chest stretch and fits one page with its
# drawing, without a note.
"$HANDOUT" --data nodraw render -q --dump "$SRC_DIR/xml/sessions/plain.xml" >plain-nodraw.dump
"$HANDOUT" render --dump "$SRC_DIR/xml/sessions/plain.xml" >/dev/null 2>plain.err
check "plain: one page" test "$(grep -c '^page ' plain.dump)" = 1
check "plain: the exercise drawing is drawn ($(rounds plain.dump) round strokes, $(rounds plain-nodraw.dump) without it)" \
	test "$(rounds plain.dump)" -gt "$(rounds plain-nodraw.dump)"
check "plain: no note about drawings" test -z "$(grep drawings plain.err || true)"
# A session that fits one page only without its drawings: they are left
# out, with a note, and it stays on one page.
python3 - "$SRC_DIR/xml/sessions/plain.xml" >tight.xml <<'PY'
import sys, re
s = open(sys.argv[1], encoding='utf-8').read()
tips = ''.join('<tip ref="%s"/>' % t for t in ('pelvic-tilt', 'cat-cow'))
s = re.sub(r'(<selfcare>)', r'\1' + tips, s)
notes = '<p>' + ' '.join(['Keep moving gently every day and rest when you need to.'] * 2) + '</p>'
s = re.sub(r'(<notes>)', r'\1' + notes, s)
sys.stdout.write(s)
PY
"$HANDOUT" render --dump tight.xml >tight.dump 2>tight.err || true
"$HANDOUT" --data nodraw render -q --dump tight.xml >tight-nodraw.dump 2>/dev/null || true
check "tight: the note says the drawings were left out" \
	grep -q "note: the drawings of the exercises were left out to fit on 1 page" tight.err
check "tight: one page" test "$(grep -c '^page ' tight.dump)" = 1
check "tight: the same page as with no exercise drawings at all" cmp -s tight.dump tight-nodraw.dump

# ----- QR codes ---------------------------------------------------------------
# The clinic's booking address as a QR code that a real decoder (zbarimg)
# reads back exactly: on the brochure's back panel, on the guide's last
# page, and on the aftercare sheet when its template asks for it.
url=$(xp "$SRC_DIR/xml/clinic/clinic.xml" "string(//*[local-name()='booking'])")
check "the sample clinic has a booking address" test -n "$url"
scan() { # scan PDF PAGE: what zbarimg reads on that page at 150 dpi
	rm -f scan-*.png
	pdftoppm -r 150 -png -f "$2" -l "$2" "$1" scan
	zbarimg -q --raw scan-*.png 2>/dev/null || true
}
"$HANDOUT" brochure -q "$SRC_DIR/xml/sessions/zoe.xml" -o qr-brochure.pdf
check "brochure: the back panel's QR code reads $url" test "$(scan qr-brochure.pdf 1)" = "$url"
"$HANDOUT" guide -q "$SRC_DIR/xml/sessions/plain.xml" -o qr-guide.pdf
last=$(pdfinfo qr-guide.pdf | awk '/^Pages:/ { print $2 }')
check "guide: the last page's QR code reads $url" test "$(scan qr-guide.pdf "$last")" = "$url"
cp -r "$SRC_DIR/xml" withqr
sed -i 's|    <next-visit/>|    <qr float="right" width="0.1"/>\n    <next-visit/>|' withqr/templates/aftercare.xml
"$HANDOUT" --data withqr render -q "$SRC_DIR/xml/sessions/plain.xml" -o qr-sheet.pdf
check "sheet (template with <qr/>): the QR code reads $url" test "$(scan qr-sheet.pdf 1)" = "$url"
check "sheet (template with <qr/>): still one page" test "$(pdfinfo qr-sheet.pdf | awk '/^Pages:/ { print $2 }')" = 1
# Another address, with capitals and a query: read back byte for byte.
sed -i 's|<booking>[^<]*</booking>|<booking>https://Book.Example.org/visit?clinic=42\&amp;lang=es</booking>|' withqr/clinic/clinic.xml
"$HANDOUT" --data withqr render -q "$SRC_DIR/xml/sessions/plain.xml" -o qr-sheet2.pdf
check "sheet: a query address reads back exactly" \
	test "$(scan qr-sheet2.pdf 1)" = "https://Book.Example.org/visit?clinic=42&lang=es"
# A clinic without one: no QR code anywhere, nothing else changes.
sed -i 's|<booking>[^<]*</booking>||' withqr/clinic/clinic.xml
"$HANDOUT" --data withqr brochure -q -o qr-none.pdf
check "no booking address: no QR code" test -z "$(scan qr-none.pdf 1)"
# An address that is not http:// or https:// is a validation error.
sed 's|<booking>[^<]*</booking>|<booking>ftp://riverside.example/book</booking>|' \
	"$SRC_DIR/xml/clinic/clinic.xml" >badqr.xml
cp "$SRC_DIR/xml/clinic/logo.png" .
cat >want.badqr <<'TXT'
badqr.xml:12: error: the booking address 'ftp://riverside.example/book' does not start with https:// or http://
  hint: a client's phone opens it: write the whole address, starting with https://, e.g. https://example.org/book
1 of 1 file invalid
TXT
expect badqr 1 want.badqr "$HANDOUT" validate badqr.xml
sed 's|<booking>[^<]*</booking>|<booking>https:// riverside.example</booking>|' \
	"$SRC_DIR/xml/clinic/clinic.xml" >badqr2.xml
cat >want.badqr2 <<'TXT'
badqr2.xml:12: error: the booking address 'https:// riverside.example' is not a web address
  hint: write it without spaces, with the site's name after https://
1 of 1 file invalid
TXT
expect badqr2 1 want.badqr2 "$HANDOUT" validate badqr2.xml

# ----- size --------------------------------------------------------------------
# The pictures add at most 3 KB per page: the same sheets from a template
# without them.
cp -r "$SRC_DIR/xml" nopic
sed -i 's|<body-diagram [^>]*/>||; s| drawings="float"[^/]*/>|/>|' nopic/templates/aftercare.xml
for name in plain spanish zoe; do
	"$HANDOUT" render -q "$SRC_DIR/xml/sessions/$name.xml" -o "with-$name.pdf" 2>/dev/null
	"$HANDOUT" --data nopic render -q "$SRC_DIR/xml/sessions/$name.xml" -o "without-$name.pdf" 2>/dev/null
	a=$(stat -c %s "with-$name.pdf"); b=$(stat -c %s "without-$name.pdf")
	p=$(pdfinfo "with-$name.pdf" | awk '/^Pages:/ { print $2 }')
	check "$name: pictures add $((a - b)) bytes over $p page(s), at most 3072 per page" test $((a - b)) -le $((3072 * p))
	check "$name: qpdf --check" qpdf --check "with-$name.pdf"
done

finish
