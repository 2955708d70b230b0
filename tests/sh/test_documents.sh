# The brochure and the guide, end to end: valid PDFs with embedded fonts that
# extract without warnings and are the same bytes when made twice; every word
# the template selects, in reading order (the brochure panel by panel, with
# every word inside its panel); the warning signs on every one; the guide's
# contents lines and bookmarks pointing at the right pages and its running
# header on every page after the cover; golden layout dumps; content that
# overflows a panel is an error naming the panel.
source "$(dirname "$0")/lib.sh"
cd "$WORK_DIR"
XML="$SRC_DIR/xml"
ORACLE=(python3 "$SRC_DIR/tests/tools/nothing_lost.py")
MM=2.834645669 # points per millimetre

# common NAME PDF: the checks every document gets.
common() {
	local name=$1 pdf=$2
	check "$name: qpdf --check" qpdf --check "$pdf" >/dev/null
	pdftotext -enc UTF-8 "$pdf" "$name.txt" 2>"$name.err" || fail "$name: pdftotext failed"
	check "$name: pdftotext prints no warning" test ! -s "$name.err"
	fonts=$(pdffonts "$pdf" | awk 'NR > 2')
	check "$name: has fonts" test -n "$fonts"
	check "$name: every font embedded" test -z "$(awk '$(NF-4) != "yes"' <<<"$fonts")"
	check "$name: every font has a ToUnicode map" test -z "$(awk '$(NF-2) != "yes"' <<<"$fonts")"
	# Every warning sign of the library, in the document's language.
	local lang=${3:-en} f id t
	for f in "$XML"/library/*.xml; do
		for id in $(xp "$f" "//*[local-name()='entry'][@kind='warning-sign']/@id" | sed 's/ *id="\([^"]*\)"/\1 /g'); do
			t=$(xp "$f" "string(//*[local-name()='entry'][@id='$id']/*[local-name()='text'][@*[local-name()='lang']='$lang']/*[local-name()='title'])")
			check "$name: warning sign $id shown" grep -qF -- "$t" "$name.txt"
		done
	done
}

# golden NAME COMMAND...: the layout dump of the command matches tests/golden/NAME.dump
golden() {
	local name=$1; shift
	"$@" --dump >"$name.dump"
	if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
		cp "$name.dump" "$SRC_DIR/tests/golden/$name.dump"
	fi
	check "$name: layout matches tests/golden/$name.dump" diff -u "$SRC_DIR/tests/golden/$name.dump" "$name.dump"
}

# ----- brochure ---------------------------------------------------------------
# brochure NAME LANG PAPER [SESSION]
brochure() {
	local name=$1 lang=$2 paper=$3 session=${4:-} args
	if [ -n "$session" ]; then args=("$session"); else args=(-l "$lang" -p "$paper"); fi
	check "$name: renders" "$HANDOUT" brochure -q "${args[@]}" -o "$name.pdf"
	[ -s "$name.pdf" ] || { fail "$name: no PDF"; return; }
	common "$name" "$name.pdf" "$lang"
	check "$name: two pages" test "$(pdfinfo "$name.pdf" | awk '/^Pages:/ { print $2 }')" = 2
	if [ "$paper" = a4 ]; then want="841.89 x 595.28"; else want="792 x 612"; fi
	check "$name: landscape $paper ($want)" grep -q "^Page size: *$want pts" <(pdfinfo "$name.pdf")
	# Every word inside its panel; the text panel by panel, in the order of
	# the folded sheet; every word the template selects, in that order.
	check "$name: every word inside a panel" python3 "$SRC_DIR/tests/tools/panels.py" "$name.pdf" 3 \
		"$(echo "10 * $MM" | bc)" "$(echo "10 * $MM" | bc)" "$(echo "20 * $MM" | bc)" >"$name.panels"
	check "$name: nothing lost, panel by panel" "${ORACLE[@]}" --lang "$lang" "${session:--}" \
		"$name.panels" "$XML" "$XML/templates/brochure.xml"
	"$HANDOUT" brochure -q "${args[@]}" -o "$name.again.pdf"
	check "$name: byte-identical on a second run" cmp -s "$name.pdf" "$name.again.pdf"
	golden "$name" "$HANDOUT" brochure -q "${args[@]}"
}

brochure brochure-en-a4 en a4
brochure brochure-es-letter es letter
brochure brochure-plain en a4 "$XML/sessions/plain.xml"
check "brochure-plain: prepared for the client" grep -q "Prepared for Daniel Okafor" brochure-plain.txt
check "brochure for anyone: no client" test -z "$(grep 'Prepared for' brochure-en-a4.txt || true)"
check "brochure-es-letter: in Spanish" grep -q "Consulta a un médico" brochure-es-letter.txt

# A session that asks for large print: the brochure in standard print, and a
# note that says so (a third of a page has no room for 15 pt text).
"$HANDOUT" brochure "$XML/sessions/large-print.xml" -o brochure-large.pdf 2>brochure-large.err
check "brochure-large: made" qpdf --check brochure-large.pdf >/dev/null
check "brochure-large: the note" grep -qF "large-print.xml: note: a tri-fold brochure has no room for large print: it is made in standard print" brochure-large.err
check "brochure-large: standard body size" grep -q "^layout pages=2 body=8.5" <("$HANDOUT" brochure -q "$XML/sessions/large-print.xml" --dump)
check "brochure --large is gone" test "$("$HANDOUT" brochure --large -o x.pdf 2>/dev/null; echo $?)" = 2

# The panels fold in the right order: the cover is the right-hand panel of
# page 1, the back panel its middle one, the flap its left one.
pdftotext -enc UTF-8 -f 1 -l 1 -x 560 -y 0 -W 282 -H 595 brochure-en-a4.pdf cover.txt
check "the cover is page 1, right panel" grep -q "Easing lower" cover.txt
pdftotext -enc UTF-8 -f 1 -l 1 -x 281 -y 0 -W 280 -H 595 brochure-en-a4.pdf back.txt
check "the back panel is page 1, middle panel" grep -q "Visit us" back.txt
pdftotext -enc UTF-8 -f 1 -l 1 -x 0 -y 0 -W 280 -H 595 brochure-en-a4.pdf flap.txt
check "the flap is page 1, left panel" grep -q "Before your visit" flap.txt

# Content that does not fit its panels: an error naming the panel and how
# much is over, and no PDF.
sed 's/<type body="8.5"/<type body="12"/; s/min-body="8"/min-body="12"/' "$XML/templates/brochure.xml" >big.xml
"$HANDOUT" brochure -t big.xml -o big.pdf 2>big.err && fail "an overfull brochure was made" || pass
check "overfull: no PDF" test ! -e big.pdf
check "overfull: names the panel and the overflow" \
	grep -qE "^big.xml: error: the content of 'main' does not fit: [0-9]+ pt \([0-9]+ mm\) are left over after the third inside panel \(page 2, right\)$" big.err
check "overfull: every panel that overflows is named" \
	grep -qE "^big.xml: error: the content of 'flap' does not fit: .* after the inside flap \(page 1, left\)$" big.err
check "overfull: says what to do" grep -q "hint: choose less content for this document, or a smaller type size in the template" big.err

# ----- guide --------------------------------------------------------------------
# guide NAME SESSION LANG
guide() {
	local name=$1 session=$2 lang=$3
	check "$name: renders" "$HANDOUT" guide -q "$session" -o "$name.pdf"
	[ -s "$name.pdf" ] || { fail "$name: no PDF"; return; }
	common "$name" "$name.pdf" "$lang"
	check "$name: nothing lost, in order" "${ORACLE[@]}" "$session" "$name.txt" "$XML" \
		"$XML/templates/guide.xml"
	"$HANDOUT" guide -q "$session" -o "$name.again.pdf"
	check "$name: byte-identical on a second run" cmp -s "$name.pdf" "$name.again.pdf"
	golden "$name" "$HANDOUT" guide -q "$session"

	# The running header: every page after the cover has the client's name
	# and the date, and "Page X of Y"; the cover has no header.
	local pages client date p
	pages=$(pdfinfo "$name.pdf" | awk '/^Pages:/ { print $2 }')
	client=$(xp "$session" "string(//*[local-name()='client']/*[local-name()='name'])")
	check "$name: more than 4 pages ($pages)" test "$pages" -gt 4
	date=$(sed -n 's/.*"\([^"]*\) · \([^"]*\)".*/\2/p' "$name.dump" | head -1)
	for p in $(seq 2 "$pages"); do
		pdftotext -enc UTF-8 -f "$p" -l "$p" "$name.pdf" page.txt
		# (in large print the header's right side may wrap: compare without spaces)
		check "$name: page $p has the client and the date" \
			grep -qF -- "$(printf '%s·%s' "$client" "$date" | squeeze)" <(squeeze <page.txt)
		check "$name: page $p says page $p of $pages" grep -qE "(Page|Página) $p (of|de) $pages" page.txt
	done
	pdftotext -enc UTF-8 -f 1 -l 1 "$name.pdf" page.txt
	check "$name: the cover has no running header" test -z "$(grep -E '(Page|Página) 1 ' page.txt || true)"

	# Contents: each line's number is the page where its heading is.
	local ok=0 bad=0 title num
	while IFS=$'\t' read -r title num; do
		# a heading's own line (the warning signs' has a sign before it)
		if pdftotext -enc UTF-8 -f "$num" -l "$num" "$name.pdf" - 2>/dev/null |
			sed 's/^⚠ //' | grep -qxF -- "$title"; then
			ok=$((ok + 1))
		else
			echo "  contents: '$title' is not on page $num" >&2
			bad=$((bad + 1))
		fi
	done < <(awk '
		/^page / { page = $2 }
		page == 2 && /^  text / {
			y = $3; t = $0; sub(/^[^"]*"/, "", t); sub(/"$/, "", t)
			if (t ~ /^[0-9]+$/) num[y] = t
			else if (t ~ /^[. ]+$/) dots[y] = 1
			else if (y in title) title[y] = title[y] " " t
			else title[y] = t
		}
		END { for (k in title) if ((k in num) && (k in dots)) printf "%s\t%s\n", title[k], num[k] }' "$name.dump")
	check "$name: contents, at least 10 lines, every one right ($ok right, $bad wrong)" test "$ok" -ge 10 -a "$bad" = 0

	# Bookmarks: the chapters and their entries, each on the page of its heading.
	qpdf --json --json-key=outlines "$name.pdf" >outline.json
	check "$name: bookmarks ($(grep -c '"title"' outline.json))" test "$(grep -c '"title"' outline.json)" -ge 10
	bad=0
	while IFS=$'\t' read -r p title; do
		if ! pdftotext -enc UTF-8 -f "$p" -l "$p" "$name.pdf" - 2>/dev/null | grep -qF -- "$title"; then
			echo "  bookmark '$title' is not on page $p" >&2
			bad=$((bad + 1))
		fi
	done < <(awk '/"destpageposfrom1"/ { p = $0; sub(/.*: /, "", p); sub(/,$/, "", p); stack[++n] = p }
		/"title"/ { t = $0; sub(/^[^"]*"title": "/, "", t); sub(/"$/, "", t); print stack[n--] "\t" t }' outline.json)
	check "$name: every bookmark points at its heading ($bad wrong)" test "$bad" = 0
}

guide guide-plain "$XML/sessions/plain.xml" en
guide guide-spanish "$XML/sessions/spanish.xml" es
guide guide-large-print "$XML/sessions/large-print.xml" en
check "guide-large-print: US Letter" grep -q "^Page size: *612 x 792 pts" <(pdfinfo guide-large-print.pdf)
finish
