#!/usr/bin/env bash
# tools/drawing_preview.py (issue 8): the library's drawings pass its checks,
# every exercise has a drawing, the previews are well-formed SVG with the
# regions numbered, and each kind of mistake is reported as FILE:LINE: error.
source "$(dirname "$0")/lib.sh"

tool="$SRC_DIR/tools/drawing_preview.py"
drawings="$SRC_DIR/xml/library/drawings.xml"

# The shipped drawings: no error, no warning, within budget.
if python3 "$tool" "$drawings" --out "$WORK_DIR/svg" --all-regions --contact \
	>"$WORK_DIR/out.txt" 2>"$WORK_DIR/err.txt"; then pass; else
	fail "the shipped drawings do not pass the checks: $(cat "$WORK_DIR/err.txt")"
fi
check "no warning on the shipped drawings" test ! -s "$WORK_DIR/err.txt"
check "body-back has its 14 regions" grep -q '^body-back: [0-9]* segments (budget 110), 14 regions$' "$WORK_DIR/out.txt"

# Every exercise of the library has a drawing of the same id.
for f in "$SRC_DIR"/xml/library/*.xml; do
	[ "$f" = "$drawings" ] && continue
	xp "$f" "//*[local-name()='entry'][@kind='exercise']/@id" | { grep -o '"[^"]*"' || true; } | tr -d '"'
done >"$WORK_DIR/exercises.txt"
check "the library has exercises" test -s "$WORK_DIR/exercises.txt"
while read -r id; do
	check "exercise $id has a drawing" grep -q "^$id: " "$WORK_DIR/out.txt"
	check "exercise $id has a preview" test -s "$WORK_DIR/svg/$id.svg"
done <"$WORK_DIR/exercises.txt"

# The previews are well-formed; --all-regions numbers all 14 regions.
for svg in "$WORK_DIR"/svg/*.svg; do
	check "$(basename "$svg") is well-formed" xmllint --noout "$svg"
done
check "contact sheet written" test -s "$WORK_DIR/svg/contact.svg"
check "14 numbers on body-back" test "$(grep -c '<text' "$WORK_DIR/svg/body-back.svg")" = 14
python3 "$tool" "$drawings" --out "$WORK_DIR/sub" --shade-regions sacrum,neck --grey -q
check "a subset numbers only its regions" test "$(grep -c '<text' "$WORK_DIR/sub/body-back.svg")" = 2
check "the first region listed is number 1" grep -q '>1</text>' "$WORK_DIR/sub/body-back.svg"
check "--grey uses no colour" bash -c "! grep -Eo '#[0-9a-f]{6}' '$WORK_DIR/sub/body-back.svg' |
	grep -Ev '#([0-9a-f]{2})\\1\\1'"
python3 "$tool" "$drawings" --shade-regions lumbar >/dev/null 2>&1 &&
	fail "--shade-regions accepted an unknown region" || pass

# Mistakes: each is reported with its line, and the exit status is 1.
cat >"$WORK_DIR/bad.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<library xmlns="urn:handout:library:1" version="1" languages="en es">
  <drawing id="body-back" viewBox="0 0 200 400">
    <alt xml:lang="en">A body.</alt>
    <path region="neck" d="M90 58 H110 L111 71 H89 Z"/>
    <path region="lumbar" d="M68 168 H98 V204 H79 Z"/>
    <path region="sacrum" d="M87 206 H113 L100 238" stroke="ink"/>
    <circle cx="100" cy="30" r="18" stroke="black" fill="paper" opacity="1"/>
    <path region="mid-back" d="M65 128 H134 L133 166 H67 Z"/>
    <path d="M10 10 L20 1e2" stroke="ink"/>
    <path d="M10 10 C20 20 30" stroke="ink"/>
    <path d="M10 10 L20-20" stroke="ink"/>
    <polygon points="1 2 3 4"/>
    <path region="upper-back" d="M0 0 H300 V300 H0 Z"/>
  </drawing>
  <drawing id="cat-cow" viewBox="0 0 320 120">
    <alt xml:lang="en">A cat.</alt>
    <alt xml:lang="es">Un gato.</alt>
    <path d="M0 0 L1 1 L2 2 L3 3 L4 4 L5 5 L6 6 L7 7 L8 8 L9 9 L10 10 L11 11 L12 12
             L13 13 L14 14 L15 15 L16 16 L17 17 L18 18 L19 19 L20 20 L21 21 L22 22"/>
    <circle cx="1" cy="1" r="1"/><circle cx="1" cy="1" r="1"/><circle cx="1" cy="1" r="1"/>
    <circle cx="1" cy="1" r="1"/><circle cx="1" cy="1" r="1"/><circle cx="1" cy="1" r="1"/>
    <circle cx="1" cy="1" r="1"/><circle cx="1" cy="1" r="1"/>
  </drawing>
  <drawing id="cat-cow" viewBox="0 0 320 120">
    <alt xml:lang="en">Again.</alt>
    <alt xml:lang="es">Otra vez.</alt>
  </drawing>
</library>
XML
python3 "$tool" "$WORK_DIR/bad.xml" >/dev/null 2>"$WORK_DIR/bad.txt" &&
	fail "a file full of mistakes passed" || pass
expect() { # expect "message": the exact line is among the reported problems
	check "reported: $1" grep -qxF "$WORK_DIR/bad.xml:$1" "$WORK_DIR/bad.txt"
}
expect "6: error: unknown region 'lumbar' (the regions are: neck, shoulder-left, shoulder-right, upper-back, mid-back, lumbar-left, lumbar-right, sacrum, glute-left, glute-right, hip-left, hip-right, hamstring-left, hamstring-right)"
expect "7: error: region 'sacrum' must be a closed shape (end it with Z)"
expect "7: error: region 'sacrum' must not have stroke: the program paints regions itself"
expect "8: error: <circle> has no attribute 'opacity'"
expect "8: error: stroke=\"black\" is not a colour name (use one of ink, muted, shade, paper, accent, none)"
expect "9: error: region 'mid-back' comes after a painted shape: put every region first, the outline on top"
expect "10: error: bad path data: unexpected 'e' in path data at character 13 (exponents are not allowed)"
expect "11: error: bad path data: C needs groups of 6 numbers, got 3"
expect "12: error: bad path data: numbers must be separated by a space or a comma (at character 11: '-20')"
expect "13: error: unknown element <polygon> in a drawing (allowed: alt, path, circle, ellipse, rect, line)"
expect "3: error: drawing 'body-back' has no <alt xml:lang=\"es\">"
expect "3: error: drawing 'body-back' has no region for: shoulder-left, shoulder-right, lumbar-left, lumbar-right, glute-left, glute-right, hip-left, hip-right, hamstring-left, hamstring-right"
check "overlapping regions reported" grep -q "^$WORK_DIR/bad.xml:14: error: regions '[a-z-]*' and 'upper-back' overlap" "$WORK_DIR/bad.txt"
expect "16: error: drawing 'cat-cow' has 63 path segments; the budget is 60"
expect "25: error: duplicate id 'cat-cow' (first on line 16)"
check "the count of errors closes the report" grep -q "^$WORK_DIR/bad.xml: [0-9]* errors$" "$WORK_DIR/bad.txt"

# --png makes one PNG per drawing (when rsvg-convert is installed).
if command -v rsvg-convert >/dev/null; then
	python3 "$tool" "$drawings" --out "$WORK_DIR/png" --png --width 90,600 -q
	check "a PNG at each width" test -s "$WORK_DIR/png/body-back-90.png" -a -s "$WORK_DIR/png/figure-four-600.png"
fi
finish
