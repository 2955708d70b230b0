#!/usr/bin/env bash
# The font configuration (issue 13, fonts/fonts.xml): DejaVu Sans stays the
# default; a template chooses another installed family (Liberation Sans,
# from fonts-liberation2) with no C change, and it is what the PDF embeds,
# every word still there; a character it lacks (the template's U+26A0) comes
# from the fallback for its script, noted once; a clinic's data folder may
# carry its own fonts/fonts.xml, and its own .ttf files beside it; families
# unknown or not installed are clear errors; each family is opened once per
# engine, and the default without asking fontconfig.
source "$(dirname "$0")/lib.sh"
cd "$WORK_DIR"
XML=$SRC_DIR/xml
ORACLE=(python3 "$SRC_DIR/tests/tools/nothing_lost.py")
LIB2=/usr/share/fonts/truetype/liberation2

# embedded PDF: the base fonts pdffonts lists (subset tag dropped), sorted
embedded() { pdffonts "$1" | awk 'NR > 2 {sub(/^[A-Z]+\+/, "", $1); print $1}' | sort | tr '\n' ' '; }
# with_family NAME FILE: the aftercare template, in font family NAME
with_family() {
	sed "s|\(<type [^>]*/>\)|\1\n  <fonts family=\"$1\"/>|" "$XML/templates/aftercare.xml" >"$2"
}

# The default: DejaVu Sans, found by file.
"$HANDOUT" render -q "$XML/sessions/zoe.xml" -o default.pdf >/dev/null
check "default: DejaVu Sans" test "$(embedded default.pdf)" = \
	"DejaVuSans,Book DejaVuSans-Bold,Bold DejaVuSans-Oblique,Oblique "

# A template in Liberation Sans: no C change, the PDF embeds it.
if ! fc-list : file | grep 'LiberationSans-Regular.ttf' >/dev/null; then
	fail "fonts-liberation2 is not installed (build.sh installs it)"
	finish
fi
with_family "Liberation Sans" lib.xml
"$HANDOUT" render -t lib.xml "$XML/sessions/zoe.xml" -o lib.pdf >lib.out 2>lib.err && pass || { cat lib.err >&2; fail "Liberation Sans: render failed"; }
check "Liberation Sans: its faces embedded, DejaVu Sans Bold for the one character it lacks" \
	test "$(embedded lib.pdf)" = \
	"DejaVuSans-Bold,Bold LiberationSans LiberationSans-Bold,Bold LiberationSans-Italic,Italic "
check "Liberation Sans: qpdf --check" qpdf --check lib.pdf >/dev/null
check "Liberation Sans: every font embedded with ToUnicode" \
	test -z "$(pdffonts lib.pdf | awk 'NR > 2 && ($(NF-4) != "yes" || $(NF-2) != "yes")')"
pdftotext -enc UTF-8 lib.pdf lib.txt 2>lib.pdftotext.err
check "Liberation Sans: pdftotext prints no warning" test ! -s lib.pdftotext.err
check "Liberation Sans: nothing lost" "${ORACLE[@]}" "$XML/sessions/zoe.xml" lib.txt "$XML" lib.xml
check "Liberation Sans: Greek and Cyrillic from Liberation itself" grep -q 'Ψυχή' lib.txt
check "Liberation Sans: the warning sign symbol shown" grep -q '⚠' lib.txt
cat >want.note <<TXT
$XML/sessions/zoe.xml: note: Liberation Sans has no U+26A0 (⚠): it is set in DejaVu Sans, the fallback for other text
  hint: the fallbacks are set in fonts/fonts.xml; this note comes once per run
TXT
check "Liberation Sans: the fallback noted" diff -u want.note <(grep -A1 'U+26A0' lib.err)
# A batch: the note once, the family opened once (one openat of each file).
# (LeakSanitizer cannot run under ptrace: no leak check in the traced runs.)
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
strace -f -e trace=openat -o batch.strace "$HANDOUT" render -t lib.xml -q \
	"$XML/sessions/zoe.xml" "$XML/sessions/plain.xml" "$XML/sessions/spanish.xml" >/dev/null 2>batch.err
check "batch: every sheet in Liberation Sans" test "$(embedded out/plain.pdf)" = \
	"DejaVuSans-Bold,Bold LiberationSans LiberationSans-Bold,Bold LiberationSans-Italic,Italic "
check "batch: LiberationSans-Regular.ttf opened once" test "$(grep -c 'LiberationSans-Regular.ttf' batch.strace)" = 1
check "batch: DejaVuSans-Bold.ttf (default and fallback) opened once" test "$(grep -c 'DejaVuSans-Bold.ttf"' batch.strace)" = 1
# The default family costs no fontconfig: its files are named.
strace -f -e trace=openat -o default.strace "$HANDOUT" render -q "$XML/sessions/plain.xml" -o d2.pdf >/dev/null
check "default: fontconfig not asked (no /etc/fonts read)" test "$(grep -c '/etc/fonts' default.strace)" = 0
export ASAN_OPTIONS=${ASAN_OPTIONS%detect_leaks=0}
check "Liberation Sans: fontconfig asked" test "$(grep -c '/etc/fonts' batch.strace)" -gt 0

# Headings in another family: the bold faces (headings, titles, bold
# labels) in Liberation Serif, the body in Liberation Sans.
sed "s|\(<type [^>]*/>\)|\1\n  <fonts family=\"Liberation Sans\" headings=\"Liberation Serif\"/>|" \
	"$XML/templates/aftercare.xml" >pair.xml
"$HANDOUT" render -q -t pair.xml "$XML/sessions/zoe.xml" -o pair.pdf >/dev/null && pass || fail "headings: render failed"
check "headings: Liberation Serif Bold with Liberation Sans" test "$(embedded pair.pdf)" = \
	"DejaVuSans-Bold,Bold LiberationSans LiberationSans-Italic,Italic LiberationSerif-Bold,Bold "
pdftotext -enc UTF-8 pair.pdf pair.txt
check "headings: nothing lost" "${ORACLE[@]}" "$XML/sessions/zoe.xml" pair.txt "$XML" pair.xml
check "headings: qpdf --check" qpdf --check pair.pdf >/dev/null
sed "s|\(<type [^>]*/>\)|\1\n  <fonts headings=\"Liberation Serif\"/>|" "$XML/templates/aftercare.xml" >head-only.xml
"$HANDOUT" render -q -t head-only.xml "$XML/sessions/plain.xml" -o head-only.pdf >/dev/null && pass || fail "headings alone: render failed"
check "headings alone: DejaVu Sans body, Liberation Serif Bold (and DejaVu's for U+26A0)" \
	test "$(embedded head-only.pdf)" = \
	"DejaVuSans,Book DejaVuSans-Bold,Bold DejaVuSans-Oblique,Oblique LiberationSerif-Bold,Bold "

# Noto Sans too, when fonts-noto-core is installed.
if fc-list : file | grep 'NotoSans-Regular.ttf' >/dev/null; then
	with_family "Noto Sans" noto.xml
	"$HANDOUT" render -q -t noto.xml "$XML/sessions/plain.xml" -o noto.pdf >/dev/null && pass || fail "Noto Sans: render failed"
	check "Noto Sans: embedded (and DejaVu Sans Bold for U+26A0)" test "$(embedded noto.pdf)" = \
		"DejaVuSans-Bold,Bold NotoSans-Bold,Bold NotoSans-Italic,Italic NotoSans-Regular "
else
	echo "note: fonts-noto-core is not installed; Noto Sans not tried"
fi

# A family the configuration does not declare: the template's line, the choices.
with_family "Comic Sans" comic.xml
cat >want.comic <<TXT
comic.xml:6: error: the font family 'Comic Sans' is not in the font configuration
  hint: the families of $SRC_DIR/fonts/fonts.xml are: DejaVu Sans, Liberation Sans, Liberation Serif, Noto Sans
TXT
"$HANDOUT" render -t comic.xml "$XML/sessions/plain.xml" -o comic.pdf >/dev/null 2>comic.err && fail "unknown family: exit 0" || check "unknown family: exit status 1" test $? = 1
check "unknown family: the message" diff -u want.comic comic.err

# A clinic's own data folder: its fonts/fonts.xml, Liberation Sans by
# default, and a family of its own from .ttf files beside it.
cp -r "$XML" data
mkdir data/fonts
for s in Regular Bold Italic BoldItalic; do cp "$LIB2/LiberationSerif-$s.ttf" "data/fonts/Clinic-$s.ttf"; done
cat >data/fonts/fonts.xml <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<fonts xmlns="urn:handout:fonts:1" version="1" default="Liberation Sans">
  <family name="Liberation Sans" package="fonts-liberation2">
    <face style="regular" fontconfig="Liberation Sans:style=Regular"/>
    <face style="bold" fontconfig="Liberation Sans:style=Bold"/>
    <face style="italic" fontconfig="Liberation Sans:style=Italic"/>
    <face style="bold-italic" fontconfig="Liberation Sans:style=Bold Italic"/>
  </family>
  <family name="Clinic Serif">
    <face style="regular" file="Clinic-Regular.ttf"/>
    <face style="bold" file="Clinic-Bold.ttf"/>
    <face style="italic" file="Clinic-Italic.ttf"/>
    <face style="bold-italic" file="Clinic-BoldItalic.ttf"/>
  </family>
  <family name="Missing Sans" package="fonts-missing">
    <face style="regular" fontconfig="Missing Sans:style=Regular"/>
    <face style="bold" file="/nonexistent/Missing-Bold.ttf"/>
    <face style="italic" fontconfig="Missing Sans:style=Italic"/>
    <face style="bold-italic" fontconfig="Missing Sans:style=Bold Italic"/>
  </family>
  <family name="DejaVu Sans">
    <face style="regular" file="/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"/>
    <face style="bold" file="/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"/>
    <face style="italic" file="/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf"/>
    <face style="bold-italic" file="/usr/share/fonts/truetype/dejavu/DejaVuSans-BoldOblique.ttf"/>
  </family>
  <fallback script="other" families="Clinic Serif, DejaVu Sans"/>
</fonts>
XML
"$HANDOUT" --data data render -q data/sessions/plain.xml -o own.pdf >/dev/null && pass || fail "own fonts.xml: render failed"
check "own fonts.xml: its default, Liberation Sans" test "$(embedded own.pdf)" = \
	"DejaVuSans-Bold,Bold LiberationSans LiberationSans-Bold,Bold LiberationSans-Italic,Italic "
sed "s|\(<type [^>]*/>\)|\1\n  <fonts family=\"Clinic Serif\"/>|" data/templates/aftercare.xml >serif.xml
"$HANDOUT" --data data render -q -t serif.xml data/sessions/plain.xml -o serif.pdf >/dev/null && pass || fail "own .ttf: render failed"
check "own .ttf files beside fonts.xml: embedded" test "$(embedded serif.pdf)" = \
	"DejaVuSans-Bold,Bold LiberationSerif LiberationSerif-Bold,Bold LiberationSerif-Italic,Italic "
sed "s|\(<type [^>]*/>\)|\1\n  <fonts family=\"Missing Sans\"/>|" data/templates/aftercare.xml >missing.xml
"$HANDOUT" --data data render -t missing.xml data/sessions/plain.xml -o missing.pdf >/dev/null 2>missing.err && fail "missing family: exit 0" || check "missing family: exit status 4" test $? = 4
check "missing family: the face fontconfig substitutes is named" grep -qF \
	"data/fonts/fonts.xml:15: error: the regular face of the font family 'Missing Sans' is not installed (fontconfig offers '" missing.err
check "missing family: a named file that is not there" grep -qF \
	"data/fonts/fonts.xml:15: error: the bold face of the font family 'Missing Sans' is not installed: no file /nonexistent/Missing-Bold.ttf" missing.err
check "missing family: what to install" grep -qF "hint: install the Debian package fonts-missing, or choose another family in the template" missing.err
check "missing family: no PDF" test ! -e missing.pdf

# validate: the configuration is valid; a family not installed is a warning.
check "validate fonts/fonts.xml" test "$("$HANDOUT" validate "$SRC_DIR/fonts/fonts.xml" 2>&1)" = "1 file valid"
"$HANDOUT" --data data validate data/fonts/fonts.xml >v.out 2>v.err && pass || fail "validate: a family not installed made the file invalid"
check "validate: a warning for the family not installed" grep -qF "warning: the regular face of the font family 'Missing Sans' is not installed" v.err
printf '<?xml version="1.0" encoding="UTF-8"?>\n<fonts xmlns="urn:handout:fonts:1" version="1" default="Nope">\n  <family name="A">\n    <face style="regular" file="a.ttf"/>\n  </family>\n  <fallback script="greek" families="A, B"/>\n</fonts>\n' >bad.xml
cat >want.bad <<'TXT'
bad.xml:3: error: the family 'A' has no bold face
  hint: a family needs all four: regular, bold, italic, bold-italic
bad.xml:6: error: the fallback for greek names the family 'B', which is not declared
  hint: declare it with <family name="..."> above, or leave it out
bad.xml:2: error: the default family 'Nope' is not declared
  hint: declare it with <family name="...">, or name a declared one
1 of 1 file invalid
TXT
"$HANDOUT" validate bad.xml >/dev/null 2>bad.err && fail "a bad fonts.xml: exit 0" || check "a bad fonts.xml: exit status 1" test $? = 1
check "a bad fonts.xml: every problem, with its line" diff -u want.bad bad.err
finish
