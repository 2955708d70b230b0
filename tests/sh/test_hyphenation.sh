# Hyphenation and typography end to end: justified text breaks words in the
# document's language, the PDF marks each break distinctly (U+00AD where the
# layout broke a word, U+2010 where a word broke after its own hyphen) so
# that pdftotext's text, joined as tests/tools/nothing_lost.py joins it,
# still has every word whole; names are never broken, at most two lines in
# a row end with a hyphen, and a missing dictionary is a warning, not a
# failure.
source "$(dirname "$0")/lib.sh"
cd "$WORK_DIR"
DATA="$SRC_DIR/tests/data/hyphenation"
ORACLE=(python3 "$SRC_DIR/tests/tools/nothing_lost.py")
SHY=$'\u00ad'
HYPHEN=$'\u2010'

# lines_ending TEXT CHAR: how many lines of the file end with CHAR
lines_ending() { grep -c -- "$2\$" "$1" || true; }
# joined TEXT: the text with its broken words joined (nothing_lost.py's rule)
# and its lines run together
joined() {
	python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import nothing_lost as n
print(n.join_lines(open(sys.argv[2], encoding="utf-8").read()).replace("\n", " "))' \
		"$SRC_DIR/tests/tools" "$1"
}

# at_most_two_in_a_row DUMP: no three lines in a row end with a hyphen. A
# line is the text items in a row with the same y (the dump lists a frame's
# lines in order); any other line, the last of a paragraph included, ends a
# run.
at_most_two_in_a_row() {
	awk -v shy="$SHY" -v hy="$HYPHEN" '
		function end_line() { if (last ~ (shy "\"$") || last ~ (hy "\"$")) { if (++run > 2) bad++ } else run = 0 }
		/^  text / {
			y = $3
			if (y != prev_y && started) end_line()
			prev_y = y; last = $0; started = 1
		}
		END { if (started) end_line(); exit bad > 0 }' "$1"
}

for lang in en es; do
	session="$DATA/$lang.xml"
	check "$lang: renders" "$HANDOUT" render -q "$session" -o "$lang.pdf"
	pdftotext -enc UTF-8 "$lang.pdf" "$lang.txt"
	"$HANDOUT" render -q --dump "$session" >"$lang.dump"
	check "$lang: some lines end where the layout broke a word (U+00AD)" \
		test "$(lines_ending "$lang.txt" "$SHY")" -ge 3
	check "$lang: nothing lost, words joined again" "${ORACLE[@]}" "$session" "$lang.txt" \
		"$SRC_DIR/xml" >/dev/null
	check "$lang: at most two hyphenated lines in a row" at_most_two_in_a_row "$lang.dump"
	# The oracle can fail: a line break left where the layout broke a word
	# (the soft hyphen dropped, so nothing says to join) loses the word.
	awk -v shy="$SHY" '{ if (!done && sub(shy "$", "")) done = 1; print }' "$lang.txt" >"$lang.split.txt"
	rc=0
	"${ORACLE[@]}" "$session" "$lang.split.txt" "$SRC_DIR/xml" >/dev/null 2>"$lang.split.err" || rc=$?
	check "$lang: the oracle notices a word left broken (status $rc)" test "$rc" = 1
done

# English: a compound broken after its own hyphen is drawn with U+2010 and
# read back with its hyphen; the names are never broken; typography.
check "en: a word broken after its own hyphen (U+2010)" test "$(lines_ending en.txt "$HYPHEN")" -ge 1
check "en: re-evaluating read back whole, with its hyphen" grep -q "re-evaluating" <(joined en.txt)
check "en: no name broken" test -z "$(grep -E "(Maxim|Feath|Barth|Under)[a-z]*$SHY\$" en.txt || true)"
check "en: curly quotes and apostrophes" grep -q "Don’t hold your breath; keep stretching “gently”" <(joined en.txt)
check "en: ranges with an en dash" grep -q "20–30 seconds, 3–5 times" <(joined en.txt)
check "es: angle quotes, ranges" grep -q "20–30 segundos, 3–5 veces al día, y dinos «qué tal»" <(joined es.txt)

# Without dictionaries: one warning per run, naming the folder and the
# package; the PDF is made, words only break after their own hyphens, and
# nothing is lost.
mkdir -p empty
rc=0
HANDOUT_HYPHEN_DIR="$WORK_DIR/empty" "$HANDOUT" render "$DATA/en.xml" -o nodict.pdf 2>nodict.err || rc=$?
check "no dictionary: still rendered (status $rc)" test "$rc" = 0 -a -s nodict.pdf
check "no dictionary: one warning" test "$(grep -c 'warning:' nodict.err)" = 1
check "no dictionary: names the folder and the package" grep -q \
	"^$WORK_DIR/empty: warning: no hyphenation dictionary for 'en' here: justified text in 'en' is set without hyphenation" nodict.err
check "no dictionary: says what to install" grep -q "hint: install the Debian package hyphen-en-us" nodict.err
pdftotext -enc UTF-8 nodict.pdf nodict.txt
check "no dictionary: no word broken by the layout" test "$(lines_ending nodict.txt "$SHY")" = 0
check "no dictionary: nothing lost" "${ORACLE[@]}" "$DATA/en.xml" nodict.txt "$SRC_DIR/xml" >/dev/null
# a batch warns once, not once per document
rc=0
HANDOUT_HYPHEN_DIR="$WORK_DIR/empty" "$HANDOUT" render "$DATA/en.xml" "$SRC_DIR/xml/sessions/zoe.xml" \
	"$SRC_DIR/xml/sessions/plain.xml" 2>batch.err >/dev/null || rc=$?
check "no dictionary, a batch: one warning for three sheets" test "$(grep -c 'warning:' batch.err)" = 1

# Every sample document keeps the rule of two.
for g in "$SRC_DIR"/tests/golden/*.dump; do
	check "$(basename "$g"): at most two hyphenated lines in a row" at_most_two_in_a_row "$g"
done
finish
