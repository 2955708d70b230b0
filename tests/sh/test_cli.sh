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
check "shipped: says how many are valid" grep -qx "22 files valid" shipped.out

# A batch: the bad record is reported and skipped, the good ones come out.
mkdir batch && cd batch
expect batch 1 "" "$HANDOUT" render -q ../sessions/plain.xml ../typo.xml ../sessions/minimal.xml
check "batch: good records written" test -s out/plain.pdf -a -s out/minimal.pdf
check "batch: bad record not written" test ! -e out/typo.pdf
check "batch: paths printed" test "$(cat batch.out)" = "$(printf 'out/plain.pdf\nout/minimal.pdf')"
cd ..

# A valid session that once failed inside libharu (error 0x1033): it renders.
expect font4096 0 "" "$HANDOUT" render -q "$SRC_DIR/tests/data/regress/font-size-4096.xml" -o font4096.pdf
check "font4096: a valid PDF" qpdf --check font4096.pdf

# Notes on stderr say what was done to fit the page.
sed 's|</selfcare>|<tip ref="pelvic-tilt"/><tip ref="cat-cow"/></selfcare>|' sessions/plain.xml >tight.xml
expect notes 0 "" "$HANDOUT" render tight.xml -o plain.pdf
check "notes: shrink reported" grep -q "^tight.xml: note: body text reduced from 11.0 pt to 10.0 pt to fit on 1 page" notes.err

# Standard output.
expect stdout 0 "" "$HANDOUT" render -q sessions/minimal.xml -o -
check "stdout: a whole PDF" test "$(head -c 5 stdout.out)" = "%PDF-" -a "$(tail -c 6 stdout.out | tr -d '\r\n')" = "%%EOF"

# A failed write is one message: the path, what failed, what to do; never a
# second, vaguer line; nothing left behind.
cat >want.nodir <<'TXT'
missing/dir/x.pdf: error: cannot write: No such file or directory
  hint: check that the output folder exists, or create it first
TXT
expect nodir 3 want.nodir "$HANDOUT" render -q sessions/minimal.xml -o missing/dir/x.pdf
echo "a file, not a folder" >afile
cat >want.notdir <<'TXT'
afile/x.pdf: error: cannot write: Not a directory
  hint: a part of the output path is a file, not a folder; check the path
TXT
expect notdir 3 want.notdir "$HANDOUT" render -q sessions/minimal.xml -o afile/x.pdf
expect notdir_cat 3 want.notdir "$HANDOUT" catalogue -l es -o afile/x.pdf
# A write that fails halfway (the file size limit; works as root too): the
# temporary file goes, the message says why.
cat >want.fbig <<'TXT'
fbig.pdf: error: cannot write: File too large
  hint: the file is larger than this process may write: raise the limit (ulimit -f)
TXT
expect fbig 3 want.fbig bash -c 'trap "" XFSZ; ulimit -f 4; exec "$0" "$@"' "$HANDOUT" render -q sessions/minimal.xml -o fbig.pdf
check "fbig: no file, no temporary file" test -z "$(ls -A | grep -e '^fbig\.pdf' -e '^\.fbig' || true)"
# A full disk, where a private tmpfs can be mounted (root in a mount namespace).
mkdir full
if unshare -m mount -t tmpfs -o size=16k tmpfs full 2>/dev/null; then
	cat >want.full <<'TXT'
full/x.pdf: error: cannot write: No space left on device
  hint: free some disk space and try again
TXT
	expect full 3 want.full unshare -m bash -c 'mount -t tmpfs -o size=16k tmpfs full && exec "$0" "$@"' \
		"$HANDOUT" render -q sessions/minimal.xml -o full/x.pdf
else
	echo "note: cannot mount a tmpfs here; the full-disk case is not tested" >&2
fi
# The default folder out/ cannot be created (the current folder was deleted):
# said once, about out, not again as "input/output error" for the session.
mkdir gone
cat >want.gone <<'TXT'
out: error: cannot create the folder: No such file or directory
  hint: check that the current folder exists and that you may write to it, or give -o FILE
TXT
expect gone 3 want.gone bash -c 'cd gone && rmdir ../gone && exec "$0" "$@"' "$HANDOUT" render -q "$WORK_DIR/sessions/minimal.xml"
expect gone_cat 3 want.gone bash -c 'mkdir gone && cd gone && rmdir ../gone && exec "$0" "$@"' "$HANDOUT" catalogue -l es

# Hostile outputs: -o onto what is not a regular file is refused, in bounded
# time, naming the path; the thing itself and whatever it points at stay as
# they were, and no temporary file is left.
mkdir hostile && cd hostile
M="$WORK_DIR/sessions/minimal.xml"
# refused NAME PATH MESSAGE HINT: exit 3 and exactly "PATH: error: MESSAGE".
refused() {
	printf '%s: error: %s\n  hint: %s\n' "$2" "$3" "$4" >"want.$1"
	expect "$1" 3 "want.$1" timeout 10 "$HANDOUT" render -q "$M" -o "$2"
}
NOTFILE="give the path of a regular file, or - for standard output"
LINK="give the real path of the file: links in an output folder are not followed"
if mknod dev c 1 3 2>/dev/null; then
	refused dev dev "is a device, not a regular file; not replaced" "$NOTFILE"
	check "dev: still the device" test -c dev
else
	echo "note: mknod is not allowed here; the device case is not tested" >&2
fi
mkfifo fifo
refused fifo fifo "is a named pipe (FIFO), not a regular file; not replaced" "$NOTFILE"
check "fifo: still a FIFO" test -p fifo
if command -v python3 >/dev/null; then
	python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' sock
	refused sock sock "is a socket, not a regular file; not replaced" "$NOTFILE"
	check "sock: still a socket" test -S sock
else
	echo "note: no python3; the socket case is not tested" >&2
fi
echo keep >target.txt && ln -s target.txt link.pdf
refused link link.pdf "is a symbolic link; not replaced" "$LINK"
check "link: still a link to the untouched target" test -L link.pdf -a "$(cat target.txt)" = keep
ln -s nowhere.pdf dangling.pdf
refused dangling dangling.pdf "is a symbolic link; not replaced" "$LINK"
check "dangling: still dangling" test -L dangling.pdf -a ! -e nowhere.pdf
mkdir realdir && ln -s realdir dirlink
refused dirlink dirlink "is a symbolic link; not replaced" "$LINK"
check "dirlink: still a link" test -L dirlink
refused dir realdir "is a folder, not a file" "give the name of a file, not of a folder"
refused dirslash realdir/ "is a folder, not a file" "give the name of a file, not of a folder"
check "realdir: still empty" test -z "$(ls -A realdir)"
check "hostile: no temporary file left" test -z "$(ls -A | grep '^\.' || true)"
# /dev/stdout and /dev/fd/1 are standard output, exactly like -.
for p in /dev/stdout /dev/fd/1; do
	n=stdout$(echo "$p" | tr -d /)
	expect "$n" 0 /dev/null timeout 10 "$HANDOUT" render -q "$M" -o "$p"
	check "$n: the PDF alone" test "$(head -c 5 "$n.out")" = "%PDF-" -a "$(tail -c 6 "$n.out" | tr -d '\r\n')" = "%%EOF"
	check "$n: same bytes as -o -" cmp -s "$n.out" ../stdout.out
	expect "dump$n" 2 "" "$HANDOUT" render --dump "$M" -o "$p"
done
cd ..

# Permissions: a sheet is health information. A replaced file keeps its own
# permissions; a new one gets 0666 less the umask.
"$HANDOUT" render -q sessions/minimal.xml -o private.pdf
chmod 600 private.pdf
expect private 0 /dev/null "$HANDOUT" render -q sessions/minimal.xml -o private.pdf
check "private: still 600 (got $(stat -c %a private.pdf))" test "$(stat -c %a private.pdf)" = 600
(umask 077 && "$HANDOUT" render -q sessions/minimal.xml -o umask077.pdf)
check "umask 077: a new file is 600" test "$(stat -c %a umask077.pdf)" = 600
(umask 002 && "$HANDOUT" render -q sessions/minimal.xml -o umask002.pdf)
check "umask 002: a new file is 664" test "$(stat -c %a umask002.pdf)" = 664

# Temporary files of killed runs: the next run that writes the same name
# removes them (and says so), unless a live writer still holds one; nothing
# else in the folder is touched.
mkdir stale && cd stale
# a real handout killed mid-write (SIGXFSZ: over the file size limit; perl
# restores the signal's default action should this shell have inherited it
# ignored). A new file is written unnamed and linked whole: a killed run
# leaves nothing at all.
killed() {
	bash -c 'ulimit -f 4; exec perl -e '\''$SIG{XFSZ} = "DEFAULT"; exec @ARGV or die'\'' "$0" "$@"' \
		"$HANDOUT" render -q "$M" -o x.pdf 2>/dev/null || got=$?
}
got=0
killed
check "stale: killed by SIGXFSZ (status $got)" test "$got" = $((128 + $(kill -l XFSZ)))
check "stale: a killed run writing a new file leaves nothing" test -z "$(ls -A)"
# one that replaces a file writes a temporary file beside it first
echo "the old sheet" >x.pdf
got=0
killed
check "stale: killed by SIGXFSZ again (status $got)" test "$got" = $((128 + $(kill -l XFSZ)))
check "stale: the old file is whole" test "$(cat x.pdf)" = "the old sheet"
check "stale: the killed run left its temporary file" test "$(ls -A | grep -c '^\.x\.pdf\.')" = 1
# a process that held the lock of another one, killed with -9
bash -c 'exec 9>"$1" && flock 9 && touch "$1.ready" && exec sleep 60' _ .x.pdf.K1lled &
held=$!
for _ in $(seq 100); do [ -e .x.pdf.K1lled.ready ] && break; sleep 0.05; done
kill -9 $held && wait $held 2>/dev/null || true
rm -f .x.pdf.K1lled.ready
# a live writer: its lock is held until we let it go
bash -c 'exec 9>"$1" && flock 9 && touch "$1.ready" && exec sleep 60' _ .x.pdf.L1ve00 &
live=$!
for _ in $(seq 100); do [ -e .x.pdf.L1ve00.ready ] && break; sleep 0.05; done
rm -f .x.pdf.L1ve00.ready
# look-alikes and other people's files
echo b >.x.pdf.bak && echo o >.other.pdf.ABCDEF && echo keep >victim.txt
ln -s victim.txt .x.pdf.LINK00 && mkfifo .x.pdf.FIFO00
expect stale 0 "" timeout 10 "$HANDOUT" render "$M" -o x.pdf
check "stale: two removed, each said" test "$(grep -c '^\.x\.pdf\.[A-Za-z0-9]\{6\}: note: removed a temporary file left by an interrupted run$' stale.err)" = 2
check "stale: the rest untouched" test "$(ls -A | grep -v '^stale\.' | sort | tr '\n' ' ')" = ".other.pdf.ABCDEF .x.pdf.FIFO00 .x.pdf.L1ve00 .x.pdf.LINK00 .x.pdf.bak victim.txt x.pdf "
check "stale: victim untouched" test "$(cat victim.txt)" = keep
kill $live && wait $live 2>/dev/null || true
expect stale2 0 "" "$HANDOUT" render -q "$M" -o x.pdf
check "stale: a released one goes on the next run" test ! -e .x.pdf.L1ve00
cd ..

# Default output names: one rule, the library's (hd_output_path): a session
# file named like a device, hidden, or with a line break in its name gives
# an ordinary visible file in out/.
mkdir names && cd names
NL=$(printf 'line\nbreak.xml')
cp "$M" CON.xml && cp "$M" .xml && cp "$M" "$NL"
expect names 0 "" "$HANDOUT" render -q CON.xml .xml "$NL"
check "names: one safe path per line" test "$(cat names.out)" = "$(printf 'out/CON_.pdf\nout/xml.pdf\nout/line-break.pdf')"
check "names: the files are there" test -s out/CON_.pdf -a -s out/xml.pdf -a -s out/line-break.pdf
check "names: nothing hidden" test -z "$(ls -A out | grep '^\.' || true)"
# Same.xml and same.xml are one file on a case-insensitive disk: the second
# is refused like any other collision, the first client's sheet kept.
cp ../sessions/plain.xml Same.xml && cp "$M" same.xml
cat >want.case <<'TXT'
same.xml: error: out/same.pdf would take the place of out/Same.pdf, written in this run by another session: names that differ only in letter case are one file on many disks; not replaced
  hint: rename one of the session files, or render them in separate runs
TXT
expect case 1 want.case "$HANDOUT" render -q Same.xml same.xml
check "case: the first written, the second not" test -s out/Same.pdf -a ! -e out/same.pdf
check "case: one path printed" test "$(cat case.out)" = out/Same.pdf
check "case: the first client's sheet" test "$(pdftotext out/Same.pdf - | grep -c 'Daniel Okafor')" -ge 1
# Every path printed is one line: control characters are escaped.
printf '%s: error: cannot open file: No such file or directory\n  hint: %s\n' \
	'no\nsuch\x1b[31m\x7f\xc2\x9b1m\xc2\x85é .xml' 'check the spelling of the path and the current folder' >want.ctl
expect ctl 3 want.ctl "$HANDOUT" render -q "$(printf 'no\nsuch\033[31m\177\302\2331m\302\205é\302\240.xml')"
expect ctlout 0 /dev/null "$HANDOUT" render -q CON.xml -o "$(printf 'tab\there\nnl.pdf')"
check "ctlout: printed on one line" test "$(cat ctlout.out)" = 'tab\x09here\nnl.pdf'
check "ctlout: written where asked" test -s "$(printf 'tab\there\nnl.pdf')"
# ... and so are messages quoting the input (a character reference).
sed 's/ref="swedish"/ref="swe\&#10;dsh"/' "$SRC_DIR/xml/sessions/plain.xml" >ctlmsg.xml
cat >want.ctlmsg <<'TXT'
ctlmsg.xml:13: error: ref="swe\ndsh" on <technique> is not a library id
  hint: ids use lower-case letters, digits and '-', e.g. deep-tissue
1 of 1 file invalid
TXT
expect ctlmsg 1 want.ctlmsg "$HANDOUT" validate ctlmsg.xml
mkdir -p "$(printf 'd\001')" && echo x >"$(printf 'd\001/f')"
printf '%s: error: cannot write: Not a directory\n  hint: %s\n' 'd\x01/f/x.pdf' \
	'a part of the output path is a file, not a folder; check the path' >want.ctlwrite
expect ctlwrite 3 want.ctlwrite "$HANDOUT" render -q CON.xml -o "$(printf 'd\001/f/x.pdf')"
cd ..

# Usage errors and the small things.
expect usage1 2 "" "$HANDOUT" frobnicate
expect usage2 2 "" "$HANDOUT" render
expect usage3 2 "" "$HANDOUT" render a.xml b.xml -o x.pdf
expect version 0 "" "$HANDOUT" --version
check "version" test "$(cat version.out)" = "handout 0.2.0"
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
# A folder is checked as one client's records folder (tests/sh/test_report.sh
# has the rules); sessions/ holds several clients' records.
expect folder 1 "" timeout 10 "$HANDOUT" validate sessions
check "folder: checked as a records folder" grep -q "^sessions/plain.xml: error: this record is of 'Daniel Okafor', and sessions/minimal.xml is of 'Sam Lee'" folder.err
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
# validate makes every check render makes (issue 6, item 7): the clinic whose
# name cannot fit, characters the font lacks, right-to-left text.
cat >want.vclinic <<'TXT'
longclinic/clinic.xml: error: the clinic name "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW…" is too long for the page header
  hint: shorten <name> in the clinic file (or use a narrower logo)
1 of 1 file invalid
TXT
expect vclinic 1 want.vclinic "$HANDOUT" validate longclinic/clinic.xml
sed 's|</notes>|<p>Write \xe4\xb8\xad and \xf4\x8f\xbf\xbf here.</p></notes>|' sessions/plain.xml >vglyph.xml
cat >want.vglyph <<'TXT'
vglyph.xml: error: the font has no glyph for U+4E2D, U+10FFFF in "Write 中 and 􏿿 here."
  hint: replace the character, or choose a font family that has it (the template's <fonts>, or a fallback in fonts/fonts.xml)
1 of 1 file invalid
TXT
expect vglyph 1 want.vglyph "$HANDOUT" validate vglyph.xml
expect rglyph 1 "" "$HANDOUT" render -q vglyph.xml -o vglyph.pdf
check "render refuses what validate refuses" test "$(head -2 vglyph.err)" = "$(head -2 rglyph.err)"

# Right-to-left text is refused, never printed backwards (item 8).
sed 's|<name>Daniel Okafor</name>|<name>\xd7\x93\xd7\xa0\xd7\x99\xd7\x90\xd7\x9c Okafor</name>|; s|</notes>|<p>\xd8\xb4\xd9\x83\xd8\xb1\xd8\xa7 for today.</p></notes>|' sessions/plain.xml >rtl.xml
cat >want.rtl <<'TXT'
rtl.xml: error: right-to-left text cannot be printed yet (it would come out backwards): Hebrew from U+05D3 in "דניאל Okafor"
  hint: write it in Latin letters (for a name, its usual transliteration), or leave it out
rtl.xml: error: right-to-left text cannot be printed yet (it would come out backwards): Arabic from U+0634 in "شكرا for today."
  hint: write it in Latin letters (for a name, its usual transliteration), or leave it out
TXT
expect rtl 1 want.rtl "$HANDOUT" render rtl.xml -o rtl.pdf
check "rtl: no PDF" test ! -e rtl.pdf
expect vrtl 1 "" "$HANDOUT" validate rtl.xml

# Dates from 1900 on render; the PDF's creation date is the session's.
sed 's|<date>2026-11-20</date>|<date>1900-01-01</date>|; s|<next-visit>[^<]*</next-visit>||' sessions/plain.xml >old.xml
expect old 0 "" env -u SOURCE_DATE_EPOCH "$HANDOUT" render -q old.xml -o old.pdf
check "old: dated 1900" grep -aq "/CreationDate (D:19000101000000Z" <(qpdf --qdf --object-streams=disable old.pdf -)
expect vold 0 "" "$HANDOUT" validate old.xml

# A template of the wrong kind is refused by every command (item 9).
cat >want.kind1 <<TXT
$SRC_DIR/xml/templates/catalogue.xml: error: this is a catalogue template, not an aftercare template
  hint: use a template with kind="aftercare", such as templates/aftercare.xml in the data folder
TXT
expect kind1 1 want.kind1 "$HANDOUT" render -t "$SRC_DIR/xml/templates/catalogue.xml" sessions/plain.xml -o kind1.pdf
check "kind1: no PDF" test ! -e kind1.pdf
cat >want.kind2 <<TXT
$SRC_DIR/xml/templates/aftercare.xml: error: this is an aftercare template, not a catalogue template
  hint: use a template with kind="catalogue", such as templates/catalogue.xml in the data folder
TXT
expect kind2 1 want.kind2 "$HANDOUT" catalogue -t "$SRC_DIR/xml/templates/aftercare.xml" -o kind2.pdf

# Every command follows the same rules (item 13): an unknown kind or language
# is an error with the choices, options are named after the program, -q is
# accepted everywhere.
cat >want.badkind <<'TXT'
handout list: error: there is no kind of entry 'techniqe'; did you mean 'technique'?
  hint: the kinds are anatomy, cause, benefit, technique, before, selfcare, exercise, precaution, warning-sign or disclaimer
TXT
expect badkind 1 want.badkind "$HANDOUT" list -k techniqe
check "badkind: nothing listed" test ! -s badkind.out
cat >want.badlang <<'TXT'
handout list: error: the library has no language 'fr'
  hint: the library is written in en and es
TXT
expect badlang 1 want.badlang "$HANDOUT" list -l fr
sed 's/handout list:/handout catalogue:/' want.badlang >want.badlang2
expect badlang2 1 want.badlang2 "$HANDOUT" catalogue -l fr -o badlang2.pdf
cat >want.badopt <<'TXT'
handout render: unrecognized option '--version'
  hint: 'handout render --help' lists the options
TXT
expect badopt 2 want.badopt "$HANDOUT" render --version
expect quietcat 0 "" "$HANDOUT" catalogue -q -l es -o quietcat.pdf
expect quietval 0 "" "$HANDOUT" validate -q sessions/plain.xml
check "validate -q: no summary" test ! -s quietval.out

finish
