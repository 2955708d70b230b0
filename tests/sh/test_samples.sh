# End to end: every sample session becomes a PDF that keeps every word it
# should show, always shows the warning signs, passes qpdf --check, embeds
# its fonts with a ToUnicode map, extracts without warnings, is byte-identical
# when made twice, and lays out exactly as its golden dump says.
source "$(dirname "$0")/lib.sh"
LIB=("$SRC_DIR"/xml/library/*.xml)

# entry_text ID LANG PART: a part (title, summary) of a library entry.
entry_text() {
	local f
	for f in "${LIB[@]}"; do
		xp "$f" "string(//*[local-name()='entry'][@id='$1']/*[local-name()='text'][@*[local-name()='lang']='$2']/*[local-name()='$3'])"
	done
}

for session in "$SRC_DIR"/xml/sessions/*.xml; do
	name=$(basename "$session" .xml)
	pdf="$WORK_DIR/$name.pdf"
	check "$name: renders" "$HANDOUT" render -q "$session" -o "$pdf"
	[ -s "$pdf" ] || { fail "$name: no PDF"; continue; }

	check "$name: qpdf --check" qpdf --check "$pdf" >/dev/null
	pdftotext -enc UTF-8 "$pdf" "$WORK_DIR/$name.txt" 2>"$WORK_DIR/$name.err" || fail "$name: pdftotext failed"
	check "$name: pdftotext prints no warning" test ! -s "$WORK_DIR/$name.err"
	fonts=$(pdffonts "$pdf" | awk 'NR > 2')
	check "$name: has fonts" test -n "$fonts"
	check "$name: every font embedded" test -z "$(awk '$(NF-4) != "yes"' <<<"$fonts")"
	check "$name: every font has a ToUnicode map" test -z "$(awk '$(NF-2) != "yes"' <<<"$fonts")"

	# Nothing lost: every word the template selects, in order, as whole words
	# (tests/tools/nothing_lost.py reads the XML itself, apart from the C code).
	lang=$(xp "$session" "string(//*[local-name()='language'])"); lang=${lang:-en}
	got=$(squeeze <"$WORK_DIR/$name.txt")
	check "$name: nothing lost, in order" python3 "$SRC_DIR/tests/tools/nothing_lost.py" \
		"$session" "$WORK_DIR/$name.txt" "$SRC_DIR/xml"

	# Warning signs: every warning-sign entry's title, always.
	for f in "${LIB[@]}"; do
		for id in $(xp "$f" "//*[local-name()='entry'][@kind='warning-sign']/@id" | sed 's/ *id="\([^"]*\)"/\1 /g'); do
			t=$(entry_text "$id" "$lang" title | squeeze)
			check "$name: warning sign $id shown" test -n "$t" -a -z "${got##*"$t"*}"
		done
	done

	# Deterministic: the same inputs give the same bytes.
	"$HANDOUT" render -q "$session" -o "$WORK_DIR/$name.again.pdf"
	check "$name: byte-identical on a second run" cmp -s "$pdf" "$WORK_DIR/$name.again.pdf"

	# Golden layout dump (regenerate with UPDATE_GOLDEN=1 after reviewing the change).
	"$HANDOUT" render -q --dump "$session" >"$WORK_DIR/$name.dump"
	golden="$SRC_DIR/tests/golden/$name.dump"
	if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
		cp "$WORK_DIR/$name.dump" "$golden"
	fi
	if [ -f "$golden" ]; then
		check "$name: layout matches tests/golden/$name.dump" diff -u "$golden" "$WORK_DIR/$name.dump"
	else
		fail "$name: no golden dump (run with UPDATE_GOLDEN=1 and review it)"
	fi
done
# The oracle can fail: one word changed in the extracted text is caught.
sed 's/Move slowly/Move/' "$WORK_DIR/plain.txt" >"$WORK_DIR/plain.doctored.txt"
rc=0
python3 "$SRC_DIR/tests/tools/nothing_lost.py" "$SRC_DIR/xml/sessions/plain.xml" \
	"$WORK_DIR/plain.doctored.txt" "$SRC_DIR/xml" 2>"$WORK_DIR/doctored.err" || rc=$?
check "nothing_lost.py notices a changed word (status $rc)" test "$rc" = 1
check "nothing_lost.py names it" grep -q "missing or out of order: 'Move'" "$WORK_DIR/doctored.err"
finish
