# The progress report, end to end: valid PDFs with embedded fonts that
# extract without warnings and are the same bytes when made twice; the
# warning signs on every one; A4 and Letter, English and Spanish; golden
# layout dumps of reports over 1, 5 and 60 visits; the chart's markers at
# the right coordinates and the table's rows in date order with the header
# repeated on each page (tests/tools/check_report.py); an honest chart (no
# scores: a sentence, not a line at 0); and records folders that are not
# one client's history refused with exact messages.
source "$(dirname "$0")/lib.sh"
cd "$WORK_DIR"
XML="$SRC_DIR/xml"
GEN=(python3 "$SRC_DIR/tests/tools/gen_records.py")
CHECK=(python3 "$SRC_DIR/tests/tools/check_report.py")

# common NAME PDF LANG: the checks every client document gets.
common() {
	local name=$1 pdf=$2 lang=$3 f id t
	check "$name: qpdf --check" qpdf --check "$pdf" >/dev/null
	pdftotext -enc UTF-8 "$pdf" "$name.txt" 2>"$name.pdferr" || fail "$name: pdftotext failed"
	check "$name: pdftotext prints no warning" test ! -s "$name.pdferr"
	fonts=$(pdffonts "$pdf" | awk 'NR > 2')
	check "$name: every font embedded" test -z "$(awk '$(NF-4) != "yes"' <<<"$fonts")"
	for f in "$XML"/library/*.xml; do
		for id in $(xp "$f" "//*[local-name()='entry'][@kind='warning-sign']/@id" | sed 's/ *id="\([^"]*\)"/\1 /g'); do
			t=$(xp "$f" "string(//*[local-name()='entry'][@id='$id']/*[local-name()='text'][@*[local-name()='lang']='$lang']/*[local-name()='title'])")
			check "$name: warning sign $id shown" grep -qF -- "$(squeeze <<<"$t")" <(squeeze <"$name.txt")
		done
	done
}

golden() { # golden NAME COMMAND...
	local name=$1; shift
	"$@" --dump >"$name.dump"
	if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
		cp "$name.dump" "$SRC_DIR/tests/golden/$name.dump"
	fi
	check "$name: layout matches tests/golden/$name.dump" diff -u "$SRC_DIR/tests/golden/$name.dump" "$name.dump"
}

# ----- the sample folders -----------------------------------------------------
check "c-0042: renders" "$HANDOUT" report -q "$XML/records/c-0042" -o c-0042.pdf
common c-0042 c-0042.pdf en
check "c-0042: A4" grep -q "^Page size: *595.28 x 841.89 pts" <(pdfinfo c-0042.pdf)
check "c-0042: title" grep -q "Progress report for Amara Osei" c-0042.txt
check "c-0042: summary" grep -q "6 visits, from September 2, 2026 to November 25, 2026" c-0042.txt
check "c-0042: the latest programme" grep -q "Your home programme now" c-0042.txt
check "c-0042: the latest dose" grep -qF "Hold30soneachside,onceaday" <(squeeze <c-0042.txt)
check "c-0042: not an older tip" test -z "$(grep 'Knee-to-chest' c-0042.txt || true)"
check "c-0042: a missing score is a dash" grep -qF "5→-" <(squeeze <c-0042.txt)
"$HANDOUT" report -q "$XML/records/c-0042" -o c-0042.again.pdf
check "c-0042: byte-identical on a second run" cmp -s c-0042.pdf c-0042.again.pdf
"$HANDOUT" report -q "$XML/records/c-0042" --dump >c-0042.dump
check "c-0042: chart and table" "${CHECK[@]}" c-0042.dump "$XML/records/c-0042"

check "c-0107: renders" "$HANDOUT" report -q "$XML/records/c-0107/" -o c-0107.pdf
common c-0107 c-0107.pdf es
check "c-0107: Letter" grep -q "^Page size: *612 x 792 pts" <(pdfinfo c-0107.pdf)
check "c-0107: in Spanish" grep -q "Informe de evolución de Lucía Fernández" c-0107.txt
check "c-0107: Spanish dates" grep -q "3 visitas, del 6 de octubre de 2026 al 3 de noviembre de 2026" c-0107.txt
"$HANDOUT" report -q "$XML/records/c-0107" --dump >c-0107.dump
check "c-0107: chart and table" "${CHECK[@]}" c-0107.dump "$XML/records/c-0107" es

# Without -o: out/<folder>-report.pdf, whatever the trailing slash.
mkdir cwd && (cd cwd && "$HANDOUT" report -q "$XML/records/c-0042/" >../cwd.out)
check "default output name" test "$(cat cwd.out)" = "out/c-0042-report.pdf" -a -s cwd/out/c-0042-report.pdf

# ----- 1, 5 and 60 visits -----------------------------------------------------
mkdir one five
cp "$XML/records/c-0042/2026-09-02.xml" one/
cp "$XML"/records/c-0042/2026-{09-02,09-16,09-30,10-14,11-04}.xml five/
"${GEN[@]}" 60 sixty 1 >sixty.dates
for n in one five sixty; do
	check "report-$n: renders" "$HANDOUT" report -q "$n" -o "$n.pdf"
	common "report-$n" "$n.pdf" en
	"$HANDOUT" report -q "$n" --dump >"$n.dump"
	check "report-$n: chart, table and text" "${CHECK[@]}" "$n.dump" "$n" en "report-$n.txt"
	golden "report-$n" "$HANDOUT" report -q "$n"
done
check "report-one: one visit" grep -q "One visit, on September 2, 2026" report-one.txt
check "report-sixty: more than one page of visits" test "$(pdfinfo sixty.pdf | awk '/^Pages:/ { print $2 }')" -ge 3
check "report-sixty: 60 dates generated" test "$(wc -l <sixty.dates)" = 60

# No pain scores at all: the chart says so, and draws no line at 0.
mkdir nopain
sed '/<pain/d' "$XML/records/c-0042/2026-09-02.xml" >nopain/2026-09-02.xml
sed '/<pain/d' "$XML/records/c-0042/2026-09-16.xml" >nopain/2026-09-16.xml
check "nopain: renders" "$HANDOUT" report -q nopain -o nopain.pdf
pdftotext -enc UTF-8 nopain.pdf nopain.txt
check "nopain: says no scores were recorded" grep -q "No pain scores were recorded." nopain.txt
"$HANDOUT" report -q nopain --dump >nopain.dump
check "nopain: no markers" "${CHECK[@]}" nopain.dump nopain

# Visits on one day: told apart by their times, in the table and the chart.
mkdir twice
cp "$XML/records/c-0042/2026-09-02.xml" twice/2026-09-02-0930.xml
sed 's/time="09:30"/time="17:00"/; s/before="7" after="5"/before="5" after="3"/' \
	"$XML/records/c-0042/2026-09-02.xml" >twice/2026-09-02-1700.xml
check "twice: renders" "$HANDOUT" report -q twice -o twice.pdf
pdftotext -enc UTF-8 twice.pdf twice.txt
check "twice: both times shown" grep -qF "Sep2,2026,9:30" <(squeeze <twice.txt)
check "twice: both times shown" grep -qF "Sep2,2026,17:00" <(squeeze <twice.txt)
"$HANDOUT" report -q twice --dump >twice.dump
check "twice: chart and table" "${CHECK[@]}" twice.dump twice

# ----- records folders that are not one client's history ----------------------
expect() { # expect NAME STATUS WANTFILE COMMAND...
	local name=$1 status=$2 want=$3; shift 3
	local got=0
	"$@" >"$name.out" 2>"$name.err" || got=$?
	check "$name: exit status $status (got $got)" test "$got" = "$status"
	if [ -n "$want" ]; then
		if diff -u "$want" "$name.err" >"$name.diff"; then pass; else fail "$name: stderr differs"; cat "$name.diff" >&2; fi
	fi
}

mkdir empty
printf 'empty: error: the folder has no session records\n  hint: a records folder holds one session record (.xml) per visit of one client\n1 of 1 file invalid\n' >want.empty
expect empty 1 want.empty "$HANDOUT" validate empty
head -n 2 want.empty >want.empty2
expect empty_report 1 want.empty2 "$HANDOUT" report empty -o empty.pdf
check "empty: no PDF" test ! -e empty.pdf

printf 'nosuch: error: cannot open the records folder: No such file or directory\n  hint: give the folder that holds the client'"'"'s session records\n' >want.nosuch
expect nosuch 3 want.nosuch "$HANDOUT" report nosuch -o nosuch.pdf

mkdir twoids
cp "$XML/records/c-0042/2026-09-02.xml" twoids/
sed 's/id="c-0042"/id="c-0043"/' "$XML/records/c-0042/2026-09-16.xml" >twoids/2026-09-16.xml
cat >want.twoids <<'TXT'
twoids/2026-09-16.xml: error: this record is of client 'c-0043', and twoids/2026-09-02.xml is of client 'c-0042'
  hint: a records folder holds the visits of one client
1 of 1 file invalid
TXT
expect twoids 1 want.twoids "$HANDOUT" validate twoids

mkdir twonames
sed 's/ id="c-0042"//' "$XML/records/c-0042/2026-09-02.xml" >twonames/2026-09-02.xml
sed 's/ id="c-0042"//; s/Amara Osei/Amara Osei-Mensah/' "$XML/records/c-0042/2026-09-16.xml" >twonames/2026-09-16.xml
cat >want.twonames <<'TXT'
twonames/2026-09-16.xml: error: this record is of 'Amara Osei-Mensah', and twonames/2026-09-02.xml is of 'Amara Osei'
  hint: a records folder holds the visits of one client; give each record <client id="..."> when the name was written differently
1 of 1 file invalid
TXT
expect twonames 1 want.twonames "$HANDOUT" validate twonames
# the same id under two spellings of the name: one client
mkdir renamed
cp "$XML/records/c-0042/2026-09-02.xml" renamed/
sed 's/Amara Osei/Amara Osei-Mensah/' "$XML/records/c-0042/2026-09-16.xml" >renamed/2026-09-16.xml
expect renamed 0 "" "$HANDOUT" validate renamed

mkdir sametime
cp "$XML/records/c-0042/2026-09-02.xml" sametime/2026-09-02.xml
cp "$XML/records/c-0042/2026-09-02.xml" sametime/2026-09-02-again.xml
cat >want.sametime <<'TXT'
sametime/2026-09-02.xml: error: this visit has the same date and time as sametime/2026-09-02-again.xml
  hint: two visits on one day need their times: <date time="HH:MM">
1 of 1 file invalid
TXT
expect sametime 1 want.sametime "$HANDOUT" validate sametime

mkdir misnamed
cp "$XML/records/c-0042/2026-09-02.xml" misnamed/2026-09-03.xml
cat >want.misnamed <<'TXT'
misnamed/2026-09-03.xml: error: the file name does not start with the visit's date, 2026-09-02
  hint: name each record by its visit's date, e.g. 2026-11-20.xml or 2026-11-20-1530.xml, so that the folder lists the visits in order
1 of 1 file invalid
TXT
expect misnamed 1 want.misnamed "$HANDOUT" validate misnamed

# A link is refused (it could point anywhere); other files, hidden files
# and subfolders are left alone.
mkdir linked
cp "$XML/records/c-0042/2026-09-02.xml" linked/
ln -s /etc/passwd linked/2026-09-16.xml
cat >want.linked <<'TXT'
linked/2026-09-16.xml: error: a session record may not be a symbolic link
  hint: keep each record as a plain file in the folder
1 of 1 file invalid
TXT
expect linked 1 want.linked "$HANDOUT" validate linked
mkdir others others/sub
cp "$XML/records/c-0042/2026-09-02.xml" others/
echo "not a record" >others/notes.txt
echo "<junk" >others/.2026-01-01.xml
cp "$XML/records/c-0042/2026-09-16.xml" others/sub/
expect others 0 "" "$HANDOUT" report -q others -o others.pdf
check "others: one visit" grep -q "One visit" <(pdftotext others.pdf -)

# An invalid record: its own errors, with file and line; no report.
mkdir broken
cp "$XML/records/c-0042/2026-09-02.xml" broken/
sed 's/before="6"/before="11"/' "$XML/records/c-0042/2026-09-16.xml" >broken/2026-09-16.xml
sed 's|<pain before="5"/>|<pain after="-1"/>|' "$XML/records/c-0042/2026-09-30.xml" >broken/2026-09-30.xml
cat >want.broken <<'TXT'
broken/2026-09-16.xml:11: error: before="11" on <pain> is not a pain score
  hint: use a whole number from 0 (no pain) to 10 (the worst pain imaginable)
broken/2026-09-30.xml:11: error: after="-1" on <pain> is not a pain score
  hint: use a whole number from 0 (no pain) to 10 (the worst pain imaginable)
TXT
expect broken 1 want.broken "$HANDOUT" report broken -o broken.pdf
check "broken: no PDF" test ! -e broken.pdf

# Too many records: refused at once, in bounded time.
"${GEN[@]}" 10000 many 2 >/dev/null
cat >want.many <<'TXT'
many: error: the folder holds more than 1000 session records
  hint: split the history into folders of at most 1000 visits
TXT
expect many 1 want.many timeout 20 "$HANDOUT" report many -o many.pdf

# ----- a batch of reports: one per client folder under a root -----------------
mkdir -p root
cp -r "$XML/records/c-0042" "$XML/records/c-0107" root/
cp -r sixty root/c-0600
mkdir root/misnamed && cp "$XML/records/c-0042/2026-09-02.xml" root/misnamed/2026-01-01.xml
echo "not a client" >root/notes.txt
expect batch 1 "" "$HANDOUT" batch root -k report -o reports -j 2 -q
check "batch: the good folders made" test -s reports/c-0042-report.pdf -a -s reports/c-0107-report.pdf \
	-a -s reports/c-0600-report.pdf
check "batch: the bad folder not made" test ! -e reports/misnamed-report.pdf
check "batch: the bad folder's error, with its file" grep -qF \
	"root/misnamed/2026-01-01.xml: error: the file name does not start with the visit's date, 2026-09-02" batch.err
check "batch: manifest rows" test "$(cut -d, -f1-4 reports/manifest.csv)" = "$(printf '%s\n' \
	'row,id,client,status' '1,c-0042,Amara Osei,made' '2,c-0107,Lucía Fernández,made' \
	'3,c-0600,Noor Haddad,made' '4,misnamed,,refused')"
for c in c-0042 c-0107 c-0600; do
	"$HANDOUT" report -q "root/$c" -o "single-$c.pdf"
	check "batch: $c the very bytes of 'handout report'" cmp -s "reports/$c-report.pdf" "single-$c.pdf"
done
expect batch_again 1 "" "$HANDOUT" batch root -k report -o reports -q
check "batch: a rerun keeps what is unchanged" test "$(grep -c ',skipped,' reports/manifest.csv)" = 3
touch -d '2020-01-01' reports/c-0107-report.pdf
sed -i 's/before="8"/before="9"/' root/c-0107/2026-10-06.xml
expect batch_changed 1 "" "$HANDOUT" batch root -k report -o reports -q
check "batch: a changed record remakes its report only" test \
	"$(grep -c ',skipped,' reports/manifest.csv),$(grep -c ',made,' reports/manifest.csv)" = "2,1"
printf 'root: error: a folder is not a client list\n  hint: give a CSV file or an XML list; a folder of clients'"'"' records folders makes progress reports (-k report)\n' >want.notlist
expect batch_kind 1 "" "$HANDOUT" batch root -k brochure -o wrong -q
check "batch: a folder for brochures is refused" grep -qF "root: error: a folder is not a client list" batch_kind.err

finish
