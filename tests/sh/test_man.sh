#!/usr/bin/env bash
# The manual pages (issue 13): handout(1) and `handout --help` cannot drift
# apart (tests/tools/check_man.py compares every command, option, exit
# status and environment variable, and says what to add where); both pages
# render without a warning, and the checker itself fails on a page that
# lacks a command or an option.
source "$(dirname "$0")/lib.sh"

if python3 "$SRC_DIR/tests/tools/check_man.py" "$HANDOUT" "$SRC_DIR/man" "$SRC_DIR/xml/schema"; then
	pass
else
	fail "handout(1) and handout --help differ (see above)"
fi

# The checker must be able to fail: a page without the brochure's --paper,
# with catalogue renamed, without HANDOUT_HYPHEN_DIR and with exit status 4
# missing.
mkdir -p "$WORK_DIR/bad"
cp "$SRC_DIR/man/handout-xml.5" "$WORK_DIR/bad/"
sed -e '/^\.BR \\-p ", " \\-\\-paper/,+5d' -e 's/^\.SS catalogue$/.SS catalog/' \
	-e '/^\.B HANDOUT_HYPHEN_DIR$/d' -e '/^\.B 4$/,+1d' \
	"$SRC_DIR/man/handout.1" >"$WORK_DIR/bad/handout.1"
out=$(python3 "$SRC_DIR/tests/tools/check_man.py" "$HANDOUT" "$WORK_DIR/bad" "$SRC_DIR/xml/schema") &&
	fail "the checker passed a page that lacks options and commands" || pass
check "a missing option is named with where to add it" grep -qF \
	"FAIL: 'handout brochure --help' shows the option --paper, which handout(1) does not under '.SS brochure': add a '.TP' paragraph for it in man/handout.1" <<<"$out"
check "a missing command is named" grep -qF "FAIL: handout --help lists the command 'catalogue', which handout(1) lacks" <<<"$out"
check "a subsection that is no command is named" grep -qF "has a subsection 'catalog' under COMMANDS" <<<"$out"
check "a missing variable is named" grep -qF "names the environment variable HANDOUT_HYPHEN_DIR" <<<"$out"
check "a missing exit status is named" grep -qF "exit statuses: 'handout --help' gives ['0', '1', '2', '3', '4', '5'], the EXIT STATUS section of handout(1) ['0', '1', '2', '3', '5']" <<<"$out"

# What a reader sees: each command, exit status and file format.
page=$(MANWIDTH=120 man -l "$SRC_DIR/man/handout.1" 2>/dev/null)
for c in render brochure guide report validate list catalogue; do
	check "man handout: the command $c" grep -qE "^   $c\$" <<<"$page"
	check "man handout: the synopsis of $c" grep -qE "^       handout $c( |\$)" <<<"$page"
done
page5=$(MANWIDTH=120 man -l "$SRC_DIR/man/handout-xml.5" 2>/dev/null)
for s in "SESSION RECORDS" "CLINIC PROFILES" TEMPLATES "LIBRARY FILES"; do
	check "man handout-xml: $s" grep -qx "$s" <<<"$page5"
done
finish
