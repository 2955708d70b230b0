# The proofreading catalogue: every word of every library entry, in every
# language, is in the PDF; the contents point at the right pages; the PDF is
# valid, embeds its fonts, and is the same bytes when made twice.
source "$(dirname "$0")/lib.sh"
cd "$WORK_DIR"

# words LANG: every word of every entry's text in LANG (title, summary, dose, sections).
words() {
	local f
	for f in "$SRC_DIR"/xml/library/*.xml; do
		# entries' texts and drawings' text alternatives (a file of drawings
		# has no <text>: xp's empty answer, not a failure)
		xp "$f" "//*[local-name()='text' or local-name()='alt'][@*[local-name()='lang']='$1']//text()"
		echo
	done | sed 's/&amp;/\&/g; s/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g; s/&apos;/'"'"'/g' |
		tr -s ' \t\r' '\n\n\n' | grep -v '^$' | fold | sort -u
}

check_words() { # check_words LANG PDF_TEXT_FILE
	local missing
	squeeze <"$2" >"$2.squeezed"
	words "$1" >"words.$1"
	# awk's index() over the whole text: a word split across lines still counts.
	missing=$(awk 'NR == FNR { text = text $0; next }
		!index(text, $0) { print "  missing: " $0 > "/dev/stderr"; n++ }
		END { print n + 0 }' "$2.squeezed" "words.$1")
	check "$1: every word of every entry is in the catalogue ($missing missing, $(wc -l <"words.$1") distinct words)" test "$missing" = 0
}

check "renders" "$HANDOUT" catalogue -o all.pdf
check "qpdf --check" qpdf --check all.pdf
pdftotext -enc UTF-8 all.pdf all.txt 2>all.err
check "pdftotext prints no warning" test ! -s all.err
check "fonts embedded" test -z "$(pdffonts all.pdf | awk 'NR > 2 && $(NF-4) != "yes"')"
check_words en all.txt
check_words es all.txt

# Every fact of the content brief is stated (tests/data/content-facts.txt).
facts_missing=0; facts=0
squeeze <all.txt | tr '[:upper:]' '[:lower:]' >all.lower
while IFS='|' read -r fact phrase; do
	case "$fact" in ''|'#'*) continue ;; esac
	facts=$((facts + 1))
	p=$(printf '%s' "$phrase" | squeeze | tr '[:upper:]' '[:lower:]')
	if ! grep -qF -- "$p" all.lower; then
		echo "  fact not found: $fact (looked for: $phrase)" >&2
		facts_missing=$((facts_missing + 1))
	fi
done <"$SRC_DIR/tests/data/content-facts.txt"
check "every fact of the content brief is stated ($facts facts, $facts_missing missing)" test "$facts" -ge 50 -a "$facts_missing" = 0

# The contents: each line's number is the page where that heading is.
toc_ok=0; toc_bad=0
while IFS=$'\t' read -r title page; do
	if pdftotext -enc UTF-8 -f "$page" -l "$page" all.pdf - 2>/dev/null | grep -qxF "$title"; then
		toc_ok=$((toc_ok + 1))
	else
		echo "  contents: '$title' is not on page $page" >&2
		toc_bad=$((toc_bad + 1))
	fi
done < <("$HANDOUT" catalogue --dump | awk '
	/^page / { page = $2 }
	page == 1 && /font=[RB] size=10.50/ {
		y = $3; t = $0; sub(/^[^"]*"/, "", t); sub(/"$/, "", t)
		if (t ~ /^[0-9]+$/) num[y] = t
		else if (t !~ /^[. ]+$/) title[y] = t
	}
	END { for (k in title) if (k in num) printf "%s\t%s\n", title[k], num[k] }')
check "contents: 24 lines (2 languages, 10 kinds and the drawings each), every one right ($toc_ok right, $toc_bad wrong)" test "$toc_ok" = 24 -a "$toc_bad" = 0

# Bookmarks: every language, kind, entry and drawing shown on its own
# (2 + 2 x (10 + 1) + 2 x (51 + 1)), titles as Unicode text, each pointing
# at the page its heading is on.
qpdf --json --json-key=outlines all.pdf >outline.json
check "bookmarks: 128 ($(grep -c '"title"' outline.json))" test "$(grep -c '"title"' outline.json)" = 128
check "bookmarks: Unicode titles" grep -q '"title": "Por qué duele la zona lumbar"' outline.json
# Each bookmark's page holds that heading. qpdf sorts keys: a bookmark's
# page comes before its children and its title after them, hence a stack.
bm_bad=0
while IFS=$'\t' read -r page title; do
	if ! pdftotext -enc UTF-8 -f "$page" -l "$page" all.pdf - 2>/dev/null | grep -qxF "$title"; then
		echo "  bookmark '$title' is not on page $page" >&2
		bm_bad=$((bm_bad + 1))
	fi
done < <(awk '/"destpageposfrom1"/ { p = $0; sub(/.*: /, "", p); sub(/,$/, "", p); stack[++n] = p }
	/"title"/ { t = $0; sub(/^[^"]*"title": "/, "", t); sub(/"$/, "", t); print stack[n--] "\t" t }' outline.json)
check "bookmarks: every one points at its heading ($bm_bad wrong)" test "$bm_bad" = 0

# One language only.
check "renders Spanish only" "$HANDOUT" catalogue -l es -o es.pdf
pdftotext -enc UTF-8 es.pdf es.txt
check_words es es.txt
check "Spanish only: no English section" test -z "$(grep -x 'Massage techniques' es.txt || true)"
"$HANDOUT" catalogue -l fr -o fr.pdf 2>fr.err && fail "unknown language accepted" || pass
check "unknown language: explained" grep -q "the library has no language 'fr'" fr.err

# Deterministic.
"$HANDOUT" catalogue -o again.pdf >/dev/null
check "byte-identical on a second run" cmp -s all.pdf again.pdf
finish
