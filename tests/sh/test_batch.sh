# handout batch end to end on the sample lists: the documents, the summary,
# the manifest and its escaping, resume, -j 2 byte for byte as -j 1, bad rows
# with their row and column, hostile lists refused cleanly, names that try
# to leave the folder, shards and their merge (by hand, through the
# environment of a Kubernetes Indexed Job or a Slurm array, and with GNU
# parallel, the README's recipe).
source "$(dirname "$0")/lib.sh"
cd "$WORK_DIR"
CLIENTS="$SRC_DIR/xml/clients"
H=("$HANDOUT" --data "$SRC_DIR/xml")
# run COMMAND...: runs it, its exit status in $rc (set -e would stop at a failure)
run() { rc=0; "$@" || rc=$?; }

# --- the sample list -------------------------------------------------------------
run "${H[@]}" batch "$CLIENTS/clients.csv" -k aftercare -o one >one.out 2>one.err
check "sample: exit 0" test $rc = 0
check "sample: the summary" test "$(cat one.out)" = "6 of 6 made: see one/manifest.csv"
check "sample: nothing on stderr (no bar when not a terminal)" test ! -s one.err
check "sample: six PDFs" test "$(ls one/*.pdf | wc -l)" = 6
check "sample: named by client and id" test -f "one/Zoë-Łukasiewicz-c-0001.pdf"
check "sample: O'Brien, Siobhán" test -f "one/OBrien-Siobhán-c-0004.pdf"
pdftotext -enc UTF-8 "one/Юлия-Смирнова-c-0005.pdf" yulia.txt
check "sample: the sheet is the client's" grep -q "Aftercare for Юлия Смирнова" yulia.txt
check "sample: qpdf --check" qpdf --check "one/Chen-Wei-c-0006.pdf" >/dev/null
check "sample: manifest header" test "$(head -1 one/manifest.csv | tr -d '\r')" = \
	"row,id,client,status,output,pages,bytes,sha256,code,field,column,message,inputs"
rows() { python3 -c 'import json, sys
print(" ".join(str(json.loads(l)[sys.argv[2]]) for l in open(sys.argv[1])))' "$@"; }
check "sample: manifest has a line per row, in row order (a row is a record: row 2 spans two lines)" \
	test "$(rows one/manifest.jsonl row)" = "2 3 4 5 6 7"
check "sample: the CSV manifest has the same rows" \
	test "$(python3 -c 'import csv, sys
print(" ".join(r["row"] for r in csv.DictReader(open(sys.argv[1], newline=""))))' one/manifest.csv)" = "2 3 4 5 6 7"
# the manifest says the truth about each file: size and SHA-256
ok=1
while IFS=, read -r row id rest; do
	f=$(python3 - "one/manifest.jsonl" "$id" <<'PY'
import json, sys
for l in open(sys.argv[1]):
    e = json.loads(l)
    if e["id"] == sys.argv[2]:
        print(e["output"], e["bytes"], e["sha256"], e["status"], e["pages"])
PY
)
	read -r out bytes sha status pages <<<"$f" || continue
	[ "$status" = made ] && [ "$(stat -c %s "one/$out")" = "$bytes" ] &&
		[ "$(sha256sum "one/$out" | cut -d' ' -f1)" = "$sha" ] && [ "$pages" = 1 ] || ok=0
done < <(tail -n +2 one/manifest.csv)
check "sample: manifest bytes and SHA-256 match the files" test $ok = 1

# --- -j 2 is byte for byte -j 1 ---------------------------------------------------------
"${H[@]}" batch "$CLIENTS/clients.csv" -k aftercare -o two -j 2 >/dev/null 2>&1
check "-j 2: the same files, byte for byte, and the same manifests" diff -r one two

# --- Ctrl-C: the rows under way are finished, the manifest written, the way on said ------
python3 "$SRC_DIR/tests/tools/gen_clients.py" 400 >many.csv
"${H[@]}" batch many.csv -k aftercare -o int >int.out 2>int.err &
pid=$!
for _ in $(seq 600); do [ -s int/manifest.jsonl ] && break; sleep 0.05; done
kill -INT $pid
rc=0
wait $pid || rc=$?
check "Ctrl-C: exit 130" test $rc = 130
check "Ctrl-C: the summary says how to finish" grep -qE \
	"^[0-9,]+ of 400 made, interrupted: see int/manifest.csv; run the same command again to finish$" int.out
run "${H[@]}" batch many.csv -k aftercare -o int >int2.out 2>&1
check "Ctrl-C: the same command finishes" grep -qE "^400 of 400 made \([0-9,]+ unchanged, kept\): see int/manifest.csv$" int2.out
run "${H[@]}" batch "$CLIENTS/clients.csv" -o deep/a/b -k brochure -q
check "-o: the folder made with its parents" test "$rc $(ls deep/a/b/*.pdf | wc -l)" = "0 6"
mkdir -p blocked && : >blocked/file
run "${H[@]}" batch "$CLIENTS/clients.csv" -o blocked/file/sub -k brochure >nodir.out 2>nodir.err
check "an output folder that cannot be made: exit 3, the folder named, no summary" test \
	"$rc $(cat nodir.err) $(wc -c <nodir.out)" = \
	"3 blocked/file/sub: error: cannot create the folder: Not a directory
  hint: check that you may write there, or give another folder with -o 0"

# --- an interrupted run's temporary files: removed once, at the start ----------------
cp -r one stale
printf 'half' >stale/.Ann-Lee-c-0002.pdf.Ab12Cd
printf 'mine' >stale/.notes.txt.Ab12Cd
printf 'mine' >stale/.hidden
run "${H[@]}" batch "$CLIENTS/clients.csv" -k aftercare -o stale >stale.out 2>stale.err
check "stale temporary file: removed" test ! -e stale/.Ann-Lee-c-0002.pdf.Ab12Cd
check "stale temporary file: said so" grep -qF "stale/.Ann-Lee-c-0002.pdf.Ab12Cd: note: removed a temporary file left by an interrupted run" stale.err
check "other hidden files: left alone" test -e stale/.notes.txt.Ab12Cd -a -e stale/.hidden

# --- resume ---------------------------------------------------------------------------
stat -c '%i %Y' one/*.pdf >before.stat
sleep 1.1 # a file made again would show a new modification time
run "${H[@]}" batch "$CLIENTS/clients.csv" -k aftercare -o one >again.out 2>&1
check "resume: exit 0" test $rc = 0
check "resume: the summary" test "$(cat again.out)" = \
	"6 of 6 made (6 unchanged, kept): see one/manifest.csv"
stat -c '%i %Y' one/*.pdf >after.stat
check "resume: no file touched" cmp -s before.stat after.stat
check "resume: every row 'skipped' in the manifest" \
	test "$(rows one/manifest.jsonl status | tr ' ' '\n' | sort -u)" = skipped
# one row changed: only it is made again
sed 's/Chen Wei,,en,letter,2026-11-22/Chen Wei,,en,a4,2026-11-22/' "$CLIENTS/clients.csv" >changed.csv
"${H[@]}" batch changed.csv -k aftercare -o one >changed.out 2>&1
check "resume: a changed row is made again, the others kept" test "$(cat changed.out)" = \
	"6 of 6 made (5 unchanged, kept): see one/manifest.csv"
# a file removed or damaged is made again
rm "one/Ann-Lee-c-0002.pdf"
printf 'x' >>"one/José-Álvarez-c-0003.pdf"
"${H[@]}" batch changed.csv -k aftercare -o one >damaged.out 2>&1
check "resume: missing and damaged files are made again" test "$(cat damaged.out)" = \
	"6 of 6 made (4 unchanged, kept): see one/manifest.csv"
check "resume: the damaged file is whole again" cmp "one/José-Álvarez-c-0003.pdf" "two/José-Álvarez-c-0003.pdf"
"${H[@]}" batch changed.csv -k aftercare -o one --force >force.out 2>&1
check "--force: every row made" test "$(cat force.out)" = "6 of 6 made: see one/manifest.csv"

# --- a mapping file, a BOM, semicolons ------------------------------------------------------
run "${H[@]}" batch "$CLIENTS/booking-export.csv" --map "$CLIENTS/booking-export.map" -k brochure \
	-o booking >booking.out 2>booking.err
check "mapping: exit 0" test $rc = 0
check "mapping: First Name + Last Name" test -f "booking/Zoë-Łukasiewicz-1001-brochure.pdf"
check "mapping: no warning (Phone mapped to -)" test ! -s booking.err
run "${H[@]}" batch "$CLIENTS/booking-export.csv" -k brochure -o nomap >nomap.out 2>nomap.err
check "no mapping: the list has no client column" test $rc = 1
check "no mapping: said so" grep -qF "booking-export.csv:1: error: no column gives the client's name" nomap.err

# --- bad rows ---------------------------------------------------------------------------
python3 "$SRC_DIR/tests/tools/gen_clients.py" 30 --bad 10 >bad.csv 2>bad.expected
run "${H[@]}" batch bad.csv -k aftercare -o bad >bad.out 2>bad.err
check "bad rows: exit 1" test $rc = 1
check "bad rows: the summary" test "$(cat bad.out)" = "20 of 30 made, 10 refused: see bad/manifest.csv"
check "bad rows: twenty PDFs" test "$(ls bad/*.pdf | wc -l)" = 20
check "bad rows: each on stderr with its row and column" test \
	"$(grep ': error: ' bad.err | sed 's/^bad.csv:\([0-9]*\):\([a-z_]*\): error: .*/\1 \2/')" = \
	"$(cut -d' ' -f1,2 bad.expected)"
check "bad rows: each in the manifest with row, column and code" test \
	"$(python3 -c '
import json
for l in open("bad/manifest.jsonl"):
    e = json.loads(l)
    if e["status"] == "refused":
        print(e["row"], e["column"], e["code"])')" = "$(cat bad.expected)"
check "bad rows: the message is in the manifest" \
	grep -qF '"message":"'"'"'hard'"'"' is not a pressure"' bad/manifest.jsonl
prow=$(awk '$2 == "pressure" { print $1 }' bad.expected)
grep -A1 "bad.csv:$prow:" bad.err >prow.err
check "bad rows: the exact message" test "$(cat prow.err)" = \
"bad.csv:$prow:pressure: error: 'hard' is not a pressure
  hint: use light, medium, firm or deep"

# --- rows that would clash: a repeated id, names that differ only in letter case -----------
cat >dup.csv <<'CSV'
client_id,client,date,therapist,techniques,areas
c-1,Ann Lee,2026-11-02,Tom Baker,swedish,neck
c-1,Bob Ray,2026-11-02,Tom Baker,swedish,neck
C-2,Ann Lee,2026-11-02,Tom Baker,swedish,neck
c-2,ann lee,2026-11-02,Tom Baker,swedish,neck
c-3,Eve Moss,2026-11-02,Tom Baker,swedish,neck
CSV
run "${H[@]}" batch dup.csv -k aftercare -o dup >dup.out 2>dup.err
check "clashes: exit 1, the others made" test "$rc $(cat dup.out)" = \
	"1 3 of 5 made, 2 refused: see dup/manifest.csv"
check "clashes: each with its file, row and column" test "$(cat dup.err)" = \
"dup.csv:3:client_id: error: the id 'c-1' is already row 2's
  hint: give each row its own client_id, or leave the column empty
dup.csv:5:client: error: this row's file would be the file of row 4 too: the ids 'C-2' and 'c-2' differ only in letter case, and so do the names (one file on many disks)
  hint: give ids that differ in more than letter case"
check "clashes: the first of each kept" test "$(cd dup && LC_ALL=C ls *.pdf | tr '\n' ' ')" = \
	"Ann-Lee-C-2.pdf Ann-Lee-c-1.pdf Eve-Moss-c-3.pdf "
check "clashes: in the manifest with code and column" grep -qF \
	'5,c-2,ann lee,refused,,,,,name-clash,client,client,"this row' dup/manifest.csv
run "${H[@]}" batch dup.csv -k aftercare -o dup >dup2.out 2>/dev/null
check "clashes: a rerun keeps the first row of a repeated id (its line is its own)" \
	test "$(cat dup2.out)" = "3 of 5 made (3 unchanged, kept), 2 refused: see dup/manifest.csv"

# --- empty cells leave a field out: a brochure needs only the name; a sheet says which column
printf 'client,therapist,date,techniques,areas\nAnn Lee,,2026-11-20,,neck\nBo Chan,  ,2026-11-20,swedish,neck\n' >empty.csv
run "${H[@]}" batch empty.csv -k brochure -o emptyb >emptyb.out 2>emptyb.err
check "empty cells: brochures made" test "$rc $(cat emptyb.out)" = "0 2 of 2 made: see emptyb/manifest.csv"
run "${H[@]}" batch empty.csv -k aftercare -o emptys >emptys.out 2>emptys.err
check "empty cells: a sheet names the column of what it misses" test "$(grep ': error: ' emptys.err)" = \
"empty.csv:2:therapist: error: the therapist's name is missing
empty.csv:2:techniques: error: the list of techniques is missing
empty.csv:3:therapist: error: the therapist's name is missing"

# --- lists with nothing to make, or refused whole: one clear line, or only the error --------
printf 'client_id,client\n' >header-only.csv
run "${H[@]}" batch header-only.csv -k brochure -o ho >ho.out 2>ho.err
check "a list with no rows: said, exit 0" test "$rc $(cat ho.out)" = "0 the list has no rows: nothing to make"
run "${H[@]}" batch header-only.csv -k brochure --check >hoc.out 2>&1
check "a list with no rows, --check: said" test "$rc $(cat hoc.out)" = "0 the list has no rows: nothing to make"
printf 'client_id,client,Visit Date,therapist,techniques,areas\nc-1,Ann,2026-11-20,Tom,swedish,neck\n' >nodate.csv
run "${H[@]}" batch nodate.csv -k aftercare -o nd >nd.out 2>nd.err
check "a list refused whole (no date column): exit 1, the error, no summary" \
	test "$rc $(wc -c <nd.out) $(grep -c 'no column gives' nd.err)" = "1 0 1"
mkdir -p xl && cp "$SRC_DIR/xml/sessions/plain.xml" xl/ &&
	printf '<sessions xmlns="urn:handout:list:1" version="1">\n<session file="plain.xml"/>\n<session file="missing.xml"/>\n</sessions>\n' >xl/list.xml
run "${H[@]}" batch xl/list.xml -k brochure --check >xlc.out 2>xlc.err
check "--check: a row that cannot be read counts as failed" \
	test "$rc $(cat xlc.out)" = "3 2 rows checked: 1 ready, 1 failed (see above)"
run "${H[@]}" batch xl/list.xml -k brochure -o xlo >xlo.out 2>xlo.err
check "an XML list: named after the session files, as handout render names them" \
	test "$rc $(cd xlo && ls *.pdf)" = "3 plain-brochure.pdf"
check "an XML list: a session file that cannot be read, with the list's row" test \
	"$(grep -c 'xl/list.xml:3: note: the session file of this row is xl/missing.xml' xlo.err)" = 1
mkdir -p xl/other && cp "$SRC_DIR/xml/sessions/zoe.xml" xl/other/plain.xml &&
	printf '<sessions xmlns="urn:handout:list:1" version="1">\n<session file="plain.xml"/>\n<session file="other/plain.xml"/>\n</sessions>\n' >xl/two.xml
run "${H[@]}" batch xl/two.xml -k brochure -o xlt >xlt.out 2>xlt.err
check "an XML list: two session files of one name, the later refused" \
	test "$rc $(cat xlt.out)" = "1 1 of 2 made, 1 refused: see xlt/manifest.csv"
run "${H[@]}" batch "$SRC_DIR/xml/records" -k report --eml-dir rep-eml >rm.out 2>rm.err
check "reports with mail options: a usage error" test "$rc $(cat rm.err)" = \
	"2 handout batch: error: progress reports are not mailed by a batch: make them with -k report, without the mail options"
printf 'client_id,client\nc-1,Ann\n' >onerow.csv
for k in 0 1 2 3; do "${H[@]}" batch onerow.csv -k brochure -o sh1 --shard $k/4 -q; done
run "${H[@]}" manifest merge -o sh1/all.csv sh1/manifest-*-of-4.jsonl
check "merge: shards with no rows merge too" test "$rc $(tail -n +2 sh1/all.csv | wc -l)" = "0 1"

# --- --check: every row checked as the batch would, nothing made ------------------------------
run "${H[@]}" batch dup.csv -k aftercare -o dupcheck --check >dupcheck.out 2>dupcheck.err
check "--check: exit 1 when a row is refused" test $rc = 1
check "--check: the summary" test "$(cat dupcheck.out)" = "5 rows checked: 3 ready, 2 refused (see above)"
check "--check: the same problems as the batch" cmp dupcheck.err dup.err
check "--check: no folder, no manifest" test ! -e dupcheck
run "${H[@]}" batch bad.csv -k aftercare -o badcheck --check >badcheck.out 2>badcheck.err
check "--check: bad rows, the same rows and messages as the batch" \
	diff <(grep -A1 ': error: ' bad.err) badcheck.err
check "--check: bad rows, the summary" test "$(cat badcheck.out)" = \
	"30 rows checked: 20 ready, 10 refused (see above)"
run "${H[@]}" batch "$CLIENTS/clients.csv" -k brochure -o okcheck --check >okcheck.out 2>okcheck.err
check "--check: a good list, exit 0" test "$rc $(cat okcheck.out)" = "0 6 rows checked: 6 ready; nothing was made"
check "--check: a good list, nothing on stderr, nothing made" test ! -s okcheck.err -a ! -e okcheck
run "${H[@]}" batch "$CLIENTS/clients.csv" -k brochure --check --eml-dir mails >mailcheck.out 2>mailcheck.err
check "--check: with mail options, a usage error" test "$rc $(cat mailcheck.err)" = \
	"2 handout batch: error: --check makes and sends nothing: leave out the mail options"
run "${H[@]}" batch "$CLIENTS/clients.csv" -k guide --check --shard 1/3 >shardcheck.out
"${H[@]}" batch "$CLIENTS/clients.csv" -k guide -o shardmade --shard 1/3 -q >shardmade.out
check "--check: a shard checks its share, the rows the batch makes" test \
	"$(cut -d' ' -f1 shardcheck.out) $(cut -d' ' -f4 shardcheck.out)" = \
	"$(cut -d' ' -f3 shardmade.out) $(cut -d' ' -f1 shardmade.out)"
check "--check: a shard is a share" test "$(cut -d' ' -f1 shardcheck.out)" -lt 6
printf 'client\nAnn\n' >one.csv
run "${H[@]}" batch one.csv -k brochure --check >onecheck.out
check "--check: one row is a row" test "$(cat onecheck.out)" = "1 row checked: 1 ready; nothing was made"
run "${H[@]}" validate dup.csv >val.out 2>val.err
check "validate of a client list: exit 1, and the way to check it" test "$rc $(cat val.err)" = \
"1 dup.csv: error: a client list is checked for the documents it will make
  hint: handout batch dup.csv -k brochure|guide|aftercare --check
1 of 1 file invalid"

# --- hostile lists and names ---------------------------------------------------------------
printf 'client,notes\r\n"=cmd|'"'"' /C calc'"'"'!A0",x\r\n../../etc/passwd,y\r\nCON,z\r\n@SUM(1+1),w\r\n-2+3,v\r\n' >hostile.csv
find . -name '*.pdf' | sort >pdfs.before
run timeout 120 "${H[@]}" batch hostile.csv -k brochure -o hostile >hostile.out 2>hostile.err
check "hostile names: exit 0" test $rc = 0
# the PDFs that appeared, by name (not by time: a file written a moment
# before may carry a later time stamp than one written after it)
check "hostile names: every file inside the folder" test \
	"$(find . -name '*.pdf' | sort | comm -13 pdfs.before - | grep -vc '^./hostile/')" = 0
check "hostile names: five files" test "$(ls hostile/*.pdf | wc -l)" = 5
check "hostile names: a device name never stands alone (the row id follows)" test -f hostile/CON-r4-brochure.pdf
check "hostile names: ../ is dropped" test -f hostile/etcpasswd-r3-brochure.pdf
check "hostile names: no formula in the CSV manifest" test \
	"$(tail -n +2 hostile/manifest.csv | cut -d, -f3 | grep -c '^[=+@-]')" = 0
check "hostile names: the formula cell is quoted and defused" \
	grep -qF ",\"'=cmd|' /C calc'!A0\",made," hostile/manifest.csv
check "hostile names: so are @ and -" grep -qF ",\"'@SUM(1+1)\",made," hostile/manifest.csv
check "hostile names: the JSON keeps the name as it is" grep -qF '"client":"=cmd|'"'"' /C calc'"'"'!A0"' hostile/manifest.jsonl
# files refused whole, quickly
printf 'client,notes\r\nAnn,"never closed\r\nBo,x\r\n' >unterminated.csv
run timeout 120 "${H[@]}" batch unterminated.csv -k brochure -o u >u.out 2>u.err
check "unterminated quote: exit 1" test $rc = 1
check "unterminated quote: nothing made" test ! -e u/manifest.csv
check "unterminated quote: row and column" grep -qF "unterminated.csv:2:notes: error: a quote opened in this row is never closed" u.err
python3 -c 'print(",".join("c%d" % i for i in range(100000)))' >wide.csv
run timeout 120 "${H[@]}" batch wide.csv -k brochure -o w >w.out 2>w.err
check "100,000 columns: refused" grep -qF "wide.csv:1: error: the header row has 100000 columns; the limit is 256" w.err
python3 -c '
import sys
sys.stdout.write("client,notes\r\nAnn," + "a" * 1048576 + "\r\nBo\x00,x\r\nCy,fine\r\n")' >big.csv
run timeout 120 "${H[@]}" batch big.csv -k brochure -o big >big.out 2>big.err
check "1 MB cell, NUL: those rows refused, the others made" test "$(cat big.out)" = \
	"1 of 3 made, 2 refused: see big/manifest.csv"
printf 'client\r\nZo\xeb\r\n' >cp1252.csv
run "${H[@]}" batch cp1252.csv -k brochure -o cp >cp.out 2>cp.err
check "Windows-1252: refused with the row and the way out" grep -qF "cp1252.csv:2:client: error: this text is not UTF-8 (byte 0xEB)" cp.err
run "${H[@]}" batch cp1252.csv --encoding windows-1252 -k brochure -o cp >cp.out 2>cp.err
check "Windows-1252: converted when asked" test -f "cp/Zoë-r2-brochure.pdf"
# --encoding windows-1252 for a file that is UTF-8 would garble every name:
# refused, with or without a byte order mark
printf 'client,notes\r\nAnn,x\r\nZoë Núñez,y\r\n' >utf8.csv
run "${H[@]}" batch utf8.csv --encoding windows-1252 -k brochure -o u8 >u8.out 2>u8.err
check "UTF-8 said to be Windows-1252: refused whole, nothing made" test "$rc $(ls u8 2>/dev/null | wc -l)" = "1 0"
check "UTF-8 said to be Windows-1252: the row, the column and the way out" test "$(cat u8.err)" = \
"utf8.csv:3:client: error: 'Zoë Núñez' is written in UTF-8, as is every cell of this file: it is not Windows-1252
  hint: leave out --encoding windows-1252: the file is UTF-8 already"
printf '\xef\xbb\xbfclient\r\nAnn\r\n' >bom.csv
run "${H[@]}" batch bom.csv --encoding windows-1252 -k brochure -o bom >bom.out 2>bom.err
check "a UTF-8 byte order mark said to be Windows-1252: refused" test "$rc $(cat bom.err)" = \
"1 bom.csv: error: this file starts with a UTF-8 byte order mark: it is UTF-8, not Windows-1252
  hint: leave out --encoding windows-1252: the file is UTF-8 already"

# --- shards ---------------------------------------------------------------------------------
python3 "$SRC_DIR/tests/tools/gen_clients.py" 40 >forty.csv
"${H[@]}" batch forty.csv -k aftercare -o single >/dev/null
for k in 0 1 2; do
	"${H[@]}" batch forty.csv -k aftercare -o shards --shard $k/3 >shard$k.out
done
check "shards: the union is the single run, byte for byte" \
	diff <(cd single && sha256sum *.pdf) <(cd shards && sha256sum *.pdf)
check "shards: no row done twice" test \
	"$(cat shards/manifest-*-of-3.jsonl | python3 -c '
import json, sys
ids = [json.loads(l)["id"] for l in sys.stdin]
print(len(ids), len(set(ids)))')" = "40 40"
check "shards: each is a real share" test "$(grep -c . shards/manifest-0-of-3.jsonl)" -lt 40
"${H[@]}" manifest merge -o merged.csv shards/manifest-0-of-3.csv shards/manifest-1-of-3.csv \
	shards/manifest-2-of-3.csv >merge.out
check "merge: the single run's manifest, byte for byte (CSV)" cmp merged.csv single/manifest.csv
check "merge: and JSON Lines" cmp merged.jsonl single/manifest.jsonl
# a row done twice with different results is an error
sed 's/"pages":1/"pages":9/' shards/manifest-1-of-3.jsonl >other.jsonl
run "${H[@]}" manifest merge -o twice.csv shards/manifest-1-of-3.jsonl other.jsonl >/dev/null 2>twice.err
check "merge: a row done twice is refused" test $rc = 1
check "merge: and named" grep -q "is listed by two manifests" twice.err
# one shard's manifest is not the whole list: written, and the missing shards said
run "${H[@]}" manifest merge -o part.csv shards/manifest-1-of-3.jsonl >part.out 2>part.err
check "merge: missing shards, exit 1" test $rc = 1
check "merge: missing shards named, and what was written" test "$(cat part.err)" = \
"handout manifest: error: shards 0, 2 of 3 are not given
  hint: merge every shard's manifest (manifest-*-of-N.jsonl), or run the missing shards first: the merged manifest is written, but lists only the rows of the shards given"
check "merge: missing shards, the given one written" cmp part.jsonl shards/manifest-1-of-3.jsonl
# the shard index from a Kubernetes Indexed Job, or a Slurm array (1-based here)
JOB_COMPLETION_INDEX=1 "${H[@]}" batch forty.csv -k aftercare -o k8s --shard 3 >/dev/null
check "JOB_COMPLETION_INDEX: shard 1 of 3" cmp k8s/manifest-1-of-3.jsonl shards/manifest-1-of-3.jsonl
SLURM_ARRAY_TASK_ID=3 SLURM_ARRAY_TASK_MIN=1 "${H[@]}" batch forty.csv -k aftercare -o slurm --shard 3 >/dev/null
check "SLURM_ARRAY_TASK_ID: task 3 of 1-3 is shard 2" cmp slurm/manifest-2-of-3.jsonl shards/manifest-2-of-3.jsonl
run "${H[@]}" batch forty.csv -k aftercare -o x --shard 3 >/dev/null 2>noindex.err
check "--shard N without an index: usage error" test $rc = 2
# GNU parallel, as in the README (locally; --sshlogin spreads it over machines)
if command -v parallel >/dev/null; then
	parallel --will-cite -j 3 "${H[@]}" batch forty.csv -k aftercare -o par --shard {}/3 -q ::: 0 1 2 >/dev/null
	check "parallel: three shards" test "$(ls par/manifest-*-of-3.jsonl | wc -l)" = 3
	"${H[@]}" manifest merge -o par/manifest.csv par/manifest-*-of-3.jsonl >/dev/null
	check "parallel: merged manifest is the single run's" cmp par/manifest.csv single/manifest.csv
	check "parallel: the same files" diff <(cd single && sha256sum *.pdf) <(cd par && sha256sum *.pdf)
else
	fail "GNU parallel is not installed (Debian: parallel)"
fi

# the example Kubernetes Indexed Job runs this very command, shard from the index
python3 - "$SRC_DIR/examples/batch/k8s-indexed-job.yaml" >k8s.check <<'PY'
import sys, yaml
job = yaml.safe_load(open(sys.argv[1]))
spec = job["spec"]
c = spec["template"]["spec"]["containers"][0]["command"]
print(job["kind"], spec["completionMode"], spec["completions"] == spec["parallelism"],
      c[:2], c[c.index("--shard") + 1] == str(spec["completions"]))
PY
check "k8s example: an Indexed Job running handout batch --shard N" test "$(cat k8s.check)" = \
	"Job Indexed True ['handout', 'batch'] True"

# --- usage ---------------------------------------------------------------------------------
run "${H[@]}" batch forty.csv >/dev/null 2>&1
check "usage: -k is required" test $rc = 2
run "${H[@]}" batch forty.csv -k catalogue >/dev/null 2>&1
check "usage: unknown kind" test $rc = 2
run "${H[@]}" batch forty.csv -k brochure -j 0 >/dev/null 2>&1
check "usage: -j 0" test $rc = 2
run "${H[@]}" batch forty.csv -k brochure --shard 3/3 >/dev/null 2>&1
check "usage: --shard 3/3" test $rc = 2
run "${H[@]}" batch nothere.csv -k brochure -o nothere >/dev/null 2>&1
check "a missing list: exit 3" test $rc = 3
finish
