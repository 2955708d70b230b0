# The command line: exact diagnostics, exit statuses, no partial output,
# batches that keep going, hostile inputs refused.
source "$(dirname "$0")/lib.sh"
cd "$WORK_DIR"
cp -r "$SRC_DIR/xml/sessions" sessions

# expect NAME STATUS EXPECTED_STDERR_FILE command...
expect() {
	local name=$1 status=$2 want=$3; shift 3
	local got=0
	"$@" >"$name.out" 2>"$name.err" || got=$?
	check "$name: exit status $status (got $got)" test "$got" = "$status"
	if [ -n "$want" ]; then
		if diff -u "$want" "$name.err" >"$name.diff"; then pass; else fail "$name: stderr differs"; cat "$name.diff" >&2; fi
	fi
}

# Unknown references: every one reported, with a suggestion; no PDF written.
sed 's/ref="swedish"/ref="swedsh"/; s/ref="drink-water"/ref="drink-watr"/' sessions/plain.xml >typo.xml
cat >want.typo <<'TXT'
typo.xml:13: error: technique 'swedsh' is not in the library; did you mean 'swedish'?
  hint: run 'handout list' to see every id in the library
typo.xml:29: error: self-care tip 'drink-watr' is not in the library; did you mean 'drink-water'?
  hint: run 'handout list' to see every id in the library
TXT
expect typo 1 want.typo "$HANDOUT" render typo.xml -o typo.pdf
check "typo: no PDF written" test ! -e typo.pdf
check "typo: no temporary file left" test -z "$(ls -A | grep '^\.' || true)"

# Every problem in one run: schema errors (a bad area, a bad pressure) and
# unknown ids together, by validate and by render alike.
sed 's/ref="swedish"/ref="swedsh"/; s/ref="drink-water"/ref="drink-watr"/; s/<area>lumbar-left</<area>lumbar-lft</; s/<pressure>medium</<pressure>hard</' \
	sessions/plain.xml >allinone.xml
cat >want.allinone <<'TXT'
allinone.xml:17: error: 'lumbar-lft' is not an area
  hint: did you mean 'lumbar-left'?
allinone.xml:21: error: 'hard' is not a pressure
  hint: use light, medium, firm or deep
allinone.xml:13: error: technique 'swedsh' is not in the library; did you mean 'swedish'?
  hint: run 'handout list' to see every id in the library
allinone.xml:29: error: self-care tip 'drink-watr' is not in the library; did you mean 'drink-water'?
  hint: run 'handout list' to see every id in the library
TXT
expect allinone_render 1 want.allinone "$HANDOUT" render allinone.xml -o allinone.pdf
{ cat want.allinone; echo "1 of 1 file invalid"; } >want.allinone_validate
expect allinone_validate 1 want.allinone_validate "$HANDOUT" validate allinone.xml
# ... and with a problem only the loader finds (a date that does not exist).
sed 's/ref="swedish"/ref="swedsh"/; s/2026-11-20/2026-02-30/' sessions/plain.xml >baddate.xml
cat >want.baddate <<'TXT'
baddate.xml:8: error: 2026-02-30 is not a real date (February 2026 has 28 days)
  hint: check the day of the month
baddate.xml:13: error: technique 'swedsh' is not in the library; did you mean 'swedish'?
  hint: run 'handout list' to see every id in the library
TXT
expect baddate 1 want.baddate "$HANDOUT" render baddate.xml -o baddate.pdf

# A session from standard input (-): the same PDF as from the file; its
# diagnostics name <stdin>; without -o it goes to out/stdin.pdf; more than
# 1 MB is refused without reading it all; only one - per run.
expect stdin_render 0 "" sh -c '"$1" render -q - -o stdin.pdf <"$2"' sh "$HANDOUT" sessions/plain.xml
expect file_render 0 "" "$HANDOUT" render -q sessions/plain.xml -o file.pdf
check "stdin: the same bytes as the file" cmp stdin.pdf file.pdf
expect stdin_pipe 0 "" sh -c 'cat "$2" | "$1" render -q - -o stdin-pipe.pdf' sh "$HANDOUT" sessions/plain.xml
check "stdin: a pipe too" cmp stdin-pipe.pdf file.pdf
mkdir stdindir
expect stdin_default 0 "" sh -c 'cd stdindir && "$1" render -q - <../sessions/minimal.xml' sh "$HANDOUT"
check "stdin: out/stdin.pdf" test "$(cat stdin_default.out)" = "out/stdin.pdf" -a -s stdindir/out/stdin.pdf
sed 's/^typo\.xml:/<stdin>:/' want.typo >want.stdintypo
expect stdin_typo 1 want.stdintypo sh -c '"$1" render - -o x.pdf <typo.xml' sh "$HANDOUT"
{ cat want.stdintypo; echo "1 of 1 file invalid"; } >want.stdinvalidate
expect stdin_validate 1 want.stdinvalidate sh -c '"$1" validate - <typo.xml' sh "$HANDOUT"
cat >want.stdinbig <<'TXT'
<stdin>: error: input is too large (more than 1048576 bytes; the limit is 1048576 bytes)
  hint: split the file or check that it is the right one
TXT
expect stdin_big 1 want.stdinbig timeout 10 sh -c 'yes "<p>never ending</p>" | "$1" render - -o big.pdf' sh "$HANDOUT"
cat >want.stdintwice <<'TXT'
handout render: error: standard input (-) can be read only once; give - for one session
TXT
expect stdin_twice 2 want.stdintwice "$HANDOUT" render - -
cat >want.stdintwicev <<'TXT'
handout validate: error: standard input (-) can be read only once; give - for one file
TXT
expect stdin_twice_validate 2 want.stdintwicev "$HANDOUT" validate - sessions/plain.xml -
cat >want.stdintmpl <<'TXT'
handout render: error: -t and -c take a file; only a session can come from standard input (-)
TXT
expect stdin_template 2 want.stdintmpl "$HANDOUT" render -t - sessions/plain.xml

# A missing file.
cat >want.missing <<'TXT'
nope.xml: error: cannot open file: No such file or directory
  hint: check the spelling of the path and the current folder
TXT
expect missing 3 want.missing "$HANDOUT" render nope.xml -o nope.pdf

# Malformed XML, and a schema violation, through validate.
printf '<session xmlns="urn:handout:session:1" version="1">\n<client><name>A</name></client>\n' >cut.xml
cat >want.cut <<'TXT'
cut.xml:3:1: error: the file ends before <session> (line 1) is closed
  hint: add the missing end tag
1 of 1 file invalid
TXT
expect cut 1 want.cut "$HANDOUT" validate cut.xml

# An empty container names what it needs (it used to say "is missing <>").
sed 's|<techniques>.*</techniques>|<techniques></techniques>|' sessions/minimal.xml >empty-techniques.xml
cat >want.emptytech <<'TXT'
empty-techniques.xml:7: error: <techniques> needs at least one <technique>
  hint: add <technique ref="..."/> for each technique used ('handout list -k technique' lists them)
1 of 1 file invalid
TXT
expect emptytech 1 want.emptytech "$HANDOUT" validate empty-techniques.xml

# Over-long and blank names: refused with the length in characters.
sed "s|<name>Sam Lee</name>|<name>$(printf 'Zo\xc3\xab\xc5\x81%.0s' $(seq 125))</name>|" sessions/minimal.xml >longname.xml
cat >want.longname <<'TXT'
longname.xml:4: error: the client's name is 500 characters long; the limit is 100
  hint: shorten it: it is printed in the title, "Aftercare for ..."
TXT
expect longname_render 1 want.longname "$HANDOUT" render longname.xml -o longname.pdf
check "long name: no PDF" test ! -e longname.pdf
sed 's|<name>Sam Lee</name>|<name>\xc2\xa0\xc2\xa0\xc2\xa0</name>|' sessions/minimal.xml >nbspname.xml
cat >want.nbspname <<'TXT'
nbspname.xml:4: error: <name> holds only white space
  hint: write the text between the tags; no-break and other invisible spaces do not count
1 of 1 file invalid
TXT
expect nbspname 1 want.nbspname "$HANDOUT" validate nbspname.xml

# Everything the project ships validates.
expect shipped 0 "" "$HANDOUT" validate "$SRC_DIR"/xml/library/*.xml "$SRC_DIR"/xml/templates/*.xml \
	"$SRC_DIR"/xml/clinic/*.xml "$SRC_DIR"/xml/sessions/*.xml
check "shipped: says how many are valid" grep -qx "18 files valid" shipped.out

# A batch: the bad record is reported and skipped, the good ones come out.
mkdir batch && cd batch
expect batch 1 "" "$HANDOUT" render -q ../sessions/plain.xml ../typo.xml ../sessions/minimal.xml
check "batch: good records written" test -s out/plain.pdf -a -s out/minimal.pdf
check "batch: bad record not written" test ! -e out/typo.pdf
check "batch: paths printed" test "$(cat batch.out)" = "$(printf 'out/plain.pdf\nout/minimal.pdf')"
cd ..

# Notes on stderr say what was done to fit the page.
expect notes 0 "" "$HANDOUT" render sessions/plain.xml -o plain.pdf
check "notes: shrink reported" grep -q "note: body text reduced from 11.0 pt to 10.5 pt to fit on 1 page" notes.err

# Standard output.
expect stdout 0 "" "$HANDOUT" render -q sessions/minimal.xml -o -
check "stdout: a whole PDF" test "$(head -c 5 stdout.out)" = "%PDF-" -a "$(tail -c 6 stdout.out | tr -d '\r\n')" = "%%EOF"

# A folder that does not exist: clear error, nothing left behind.
expect nodir 3 "" "$HANDOUT" render -q sessions/minimal.xml -o missing/dir/x.pdf
check "nodir: names the file" grep -q "cannot write missing/dir/x.pdf" nodir.err

# Usage errors and the small things.
expect usage1 2 "" "$HANDOUT" frobnicate
expect usage2 2 "" "$HANDOUT" render
expect usage3 2 "" "$HANDOUT" render a.xml b.xml -o x.pdf
expect version 0 "" "$HANDOUT" --version
check "version" test "$(cat version.out)" = "handout 0.1.0"
expect help 0 "" "$HANDOUT" render --help
check "render --help" grep -q "^usage: handout render" help.out

# The library listing.
expect list 0 "" "$HANDOUT" list
check "list: swedish" grep -Eq "^swedish +technique +Swedish massage$" list.out
expect list_es 0 "" "$HANDOUT" list -l es -k warning-sign
check "list: six warning signs in Spanish" test "$(wc -l <list_es.out)" = 6

# A character the font cannot show is named, and nothing is written.
sed 's|</notes>|<p>Write \xe4\xb8\xad here.</p></notes>|' sessions/plain.xml >cjk.xml
expect cjk 1 "" "$HANDOUT" render cjk.xml -o cjk.pdf
check "cjk: named, with the file" grep -q "^cjk.xml: error: the font has no glyph for U+4E2D in" cjk.err
check "cjk: no PDF" test ! -e cjk.pdf

# Hostile inputs through the program: refused quickly, nothing leaks.
cat >xxe.xml <<'TXT'
<?xml version="1.0"?>
<!DOCTYPE session [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<session xmlns="urn:handout:session:1" version="1"><client><name>&x;</name></client></session>
TXT
expect xxe 1 "" timeout 10 "$HANDOUT" render xxe.xml -o xxe.pdf
check "xxe: refused" grep -q "DOCTYPE is not allowed" xxe.err
check "xxe: nothing leaked" test -z "$(grep -h 'root:' xxe.err xxe.out || true)"
gzip -c sessions/plain.xml >gz.xml
expect gzip 1 "" timeout 10 "$HANDOUT" render gz.xml -o gz.pdf
check "gzip: refused as not XML" grep -qi "gzip" gzip.err
cp "$SRC_DIR/xml/clinic/logo.png" png.xml
expect png 1 "" timeout 10 "$HANDOUT" validate png.xml
check "png: refused" grep -qi "PNG" png.err

# FIFOs, devices and folders as any input: refused at once (a FIFO nobody
# writes to would block forever), naming the file; a batch goes on.
mkfifo fifo.xml
ln -s fifo.xml fifo-link.xml
fifo_err() { # fifo_err PATH: the exact refusal of PATH as a FIFO
	printf '%s: error: not a regular file (a FIFO)\n  hint: give the path of an ordinary file\n' "$1"
}
{ fifo_err fifo.xml; echo "1 of 1 file invalid"; } >want.fifo
expect fifo_session 1 want.fifo timeout 10 "$HANDOUT" validate fifo.xml
{ fifo_err fifo-link.xml; echo "1 of 1 file invalid"; } >want.fifolink
expect fifo_link 1 want.fifolink timeout 10 "$HANDOUT" validate fifo-link.xml
fifo_err fifo.xml >want.fifotmpl
expect fifo_template 1 want.fifotmpl timeout 10 "$HANDOUT" render -t fifo.xml sessions/minimal.xml -o fifo.pdf
expect fifo_clinic 1 want.fifotmpl timeout 10 "$HANDOUT" render -c fifo.xml sessions/minimal.xml -o fifo.pdf
fifo_err fifo.xml >want.fiforender
expect fifo_render 1 want.fiforender timeout 10 "$HANDOUT" render fifo.xml -o fifo.pdf
check "fifo: no PDF" test ! -e fifo.pdf
mkdir fifologo && cp "$SRC_DIR/xml/clinic/clinic.xml" fifologo/ && mkfifo fifologo/logo.png
fifo_err fifologo/logo.png >want.fifologo
expect fifo_logo 1 want.fifologo timeout 10 "$HANDOUT" render -c fifologo/clinic.xml sessions/minimal.xml -o fifo.pdf
cp -r "$SRC_DIR/xml" fifodata && mkfifo fifodata/library/zz-fifo.xml
fifo_err fifodata/library/zz-fifo.xml >want.fifolib
expect fifo_library 1 want.fifolib timeout 10 "$HANDOUT" --data fifodata validate sessions/minimal.xml
printf '/dev/zero: error: not a regular file (a character device)\n  hint: give the path of an ordinary file\n1 of 1 file invalid\n' >want.devzero
expect dev_zero 1 want.devzero timeout 10 "$HANDOUT" validate /dev/zero
printf 'sessions: error: this is a folder, not a file\n  hint: give the path of a file inside that folder\n1 of 1 file invalid\n' >want.folder
expect folder 3 want.folder timeout 10 "$HANDOUT" validate sessions
mkdir fifobatch
(cd fifobatch && timeout 10 "$HANDOUT" render -q ../sessions/plain.xml ../fifo.xml ../sessions/minimal.xml \
	>fifobatch.out 2>fifobatch.err) && fail "fifo batch: accepted" || pass
check "fifo batch: the others made" test -s fifobatch/out/plain.pdf -a -s fifobatch/out/minimal.pdf
check "fifo batch: explained" grep -qx "../fifo.xml: error: not a regular file (a FIFO)" fifobatch/fifobatch.err

# One cap for every kind of problem: 100 errors listed, then one line that
# counts the rest (10,000 duplicate tips; 10,000 ids the schema refuses).
tips_session() { # tips_session FORMAT: a session with 10,000 tips made by FORMAT
	printf '<?xml version="1.0" encoding="UTF-8"?>\n<session xmlns="urn:handout:session:1" version="1">\n'
	printf '<client><name>Sam</name></client><date>2026-11-20</date><therapist>Maria</therapist>\n'
	printf '<techniques><technique ref="swedish"/></techniques>\n<areas><area>neck</area></areas>\n<selfcare>\n'
	for ((i = 0; i < 10000; i++)); do printf "$1\n" "$i"; done
	printf '</selfcare>\n</session>\n'
}
tips_session '<tip ref="drink-water"/>' >duptips.xml
tips_session '<tip ref="Bad_%d"/>' >badtips.xml
for f in duptips badtips; do
	expect "$f" 1 "" timeout 10 "$HANDOUT" validate "$f.xml"
	check "$f: 100 errors and one summary" test "$(grep -c ': error: ' "$f.err")" = 101
done
check "duptips: summary last" test "$(tail -3 duptips.err | head -1)" = "duptips.xml: error: 9899 more errors not shown"
check "badtips: summary last" test "$(tail -3 badtips.err | head -1)" = "badtips.xml: error: 9900 more errors not shown"
check "cap: the hint" test "$(tail -2 badtips.err | head -1)" = "  hint: only the first 100 errors are listed; fix them and run again"

# 100,000 attributes on one element: refused by the pre-scan at once
# (libxml2 alone took over 10 s), with the element's place.
{ printf '<?xml version="1.0" encoding="UTF-8"?>\n<session xmlns="urn:handout:session:1" version="1">\n  <print'
  seq -f ' a%.0f=""' 100000 | tr -d '\n'; printf '/>\n</session>\n'; } >attrs.xml
cat >want.attrs <<'TXT'
attrs.xml:3:3: error: <print> has 100000 attributes; the limit is 64
  hint: no element of a handout file has more than a few; is this the right file?
1 of 1 file invalid
TXT
expect attrs 1 want.attrs timeout 10 "$HANDOUT" validate attrs.xml
expect attrs_render 1 "" timeout 10 "$HANDOUT" render attrs.xml -o attrs.pdf
check "attrs: render names it too" test "$(head -1 attrs_render.err)" = "$(head -1 want.attrs)"

# validate reads up to 4 MB (a library file) but a 3 MB session record is
# refused by its own 1 MB cap, read from its root element, before parsing.
{ printf '<?xml version="1.0" encoding="UTF-8"?>\n<session xmlns="urn:handout:session:1" version="1">\n'
  awk 'BEGIN { for (i = 0; i < 52000; i++) print "<p>Padding padding padding padding padding padding.</p>" }'
  printf '</session>\n'; } >big.xml
cat >want.big <<TXT
big.xml: error: file is too large for a session record ($(stat -c %s big.xml) bytes; the limit is 1048576 bytes)
  hint: split the file or check that it is the right one
1 of 1 file invalid
TXT
expect big 1 want.big timeout 10 "$HANDOUT" validate big.xml

# A corrupt logo: a clear error, never a crash.
mkdir clinic && cp "$SRC_DIR/xml/clinic/clinic.xml" clinic/
head -c 1500 "$SRC_DIR/xml/clinic/logo.png" >clinic/logo.png
expect badlogo 1 "" "$HANDOUT" render -c clinic/clinic.xml sessions/minimal.xml -o badlogo.pdf
check "badlogo: explained" grep -q "clinic/logo.png: error: the logo is not a valid PNG image" badlogo.err
check "badlogo: no PDF" test ! -e badlogo.pdf
# Two sessions with the same file name in one batch: the second must not
# replace the first client's sheet.
mkdir -p dup/a dup/b && cp sessions/plain.xml dup/a/x.xml && cp sessions/minimal.xml dup/b/x.xml
(cd dup && "$HANDOUT" render -q a/x.xml b/x.xml >dup.out 2>dup.err) && fail "dup: accepted" || pass
check "dup: explained" grep -q "^b/x.xml: error: out/x.pdf was already written in this run" dup/dup.err
check "dup: the first sheet kept" test "$(pdftotext dup/out/x.pdf - | grep -c 'Daniel Okafor')" -ge 1

# Options that would mix outputs, and --data=DIR after the command.
expect dumpstdout 2 "" "$HANDOUT" render --dump sessions/minimal.xml -o -
expect dataeq 0 "" "$HANDOUT" list --data="$SRC_DIR/xml" -k technique
check "--data=DIR after the command" test "$(wc -l <dataeq.out)" = 5

# A date no PDF can hold is ignored with a warning, never undefined behaviour.
SOURCE_DATE_EPOCH=9223372036854775807 "$HANDOUT" render -q sessions/minimal.xml -o epoch.pdf 2>epoch.err
check "epoch: warned" grep -q "ignoring SOURCE_DATE_EPOCH=9223372036854775807" epoch.err
check "epoch: still made" qpdf --check epoch.pdf

# A clinic name too long for the header is the clinic file's error: over
# 80 characters for the loader, or, within them, too wide at the smallest
# size the header allows.
mkdir -p longclinic && sed 's|<name>[^<]*</name>|<name>Riverside Massage and Wellness Clinic of the Greater Metropolitan Area, with its Surrounding Towns and Villages</name>|' \
	"$SRC_DIR/xml/clinic/clinic.xml" >longclinic/clinic.xml && cp "$SRC_DIR/xml/clinic/logo.png" longclinic/
cat >want.longclinic <<'TXT'
longclinic/clinic.xml:4: error: the clinic's name is 111 characters long; the limit is 80
  hint: shorten it: it is printed in the header of every page
TXT
expect longclinic 1 want.longclinic "$HANDOUT" render -c longclinic/clinic.xml sessions/minimal.xml -o longname.pdf
sed "s|<name>[^<]*</name>|<name>$(printf 'W%.0s' $(seq 80))</name>|" "$SRC_DIR/xml/clinic/clinic.xml" >longclinic/clinic.xml
expect longname 1 "" "$HANDOUT" render -c longclinic/clinic.xml sessions/minimal.xml -o longname.pdf
check "long clinic name: blamed on the clinic file" grep -q "^longclinic/clinic.xml: error: the clinic name .* is too long for the page header" longname.err
check "long clinic name: no PDF" test ! -e longname.pdf
finish
