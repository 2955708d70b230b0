# The reliability bars of issue 9, with real files:
#  - a 10,000-row list with 10 bad rows of different kinds gives exactly 9,990
#    documents, and each bad row is in the manifest and on stderr with its row
#    and column;
#  - kill -9 at 30 random moments: never a partial PDF under a final name, the
#    manifest always matches the disk, and a rerun completes only the rows
#    the manifest does not list as done.
# BATCH_ROWS overrides 10,000 and BATCH_KILL_MS the longest wait before a
# kill, 400 ms (the sanitizer build runs fewer rows, each ten times slower).
source "$(dirname "$0")/lib.sh"
cd "$WORK_DIR"
H=("$HANDOUT" --data "$SRC_DIR/xml")
GEN=(python3 "$SRC_DIR/tests/tools/gen_clients.py")
N=${BATCH_ROWS:-10000}
run() { rc=0; "$@" || rc=$?; }

# --- 10 bad rows in N ----------------------------------------------------------------
"${GEN[@]}" "$N" --bad 10 >big.csv 2>big.expected
run "${H[@]}" batch big.csv -k aftercare -o big -j 2 -q >big.out 2>big.err
check "bad rows: exit 1" test $rc = 1
check "bad rows: exactly N - 10 documents" test "$(find big -name '*.pdf' | wc -l)" = $((N - 10))
check "bad rows: the summary" test "$(cat big.out)" = \
	"$(python3 -c 'import sys; n = int(sys.argv[1]); print(f"{n - 10:,} of {n:,} made, 10 refused: see big/manifest.csv")' "$N")"
check "bad rows: on stderr with row and column, the ten kinds" test \
	"$(grep ': error: ' big.err | sed 's/^big.csv:\([0-9]*\):\([a-z_]*\): error: .*/\1 \2/' | sort -n)" = \
	"$(cut -d' ' -f1,2 big.expected)"
python3 - big/manifest.jsonl big.expected "$N" >manifest.check <<'PY'
import json, os, sys, hashlib
rows = [json.loads(l) for l in open(sys.argv[1])]
expected = [l.split() for l in open(sys.argv[2])]
refused = [[str(e["row"]), e["column"], e["code"]] for e in rows if e["status"] == "refused"]
print("rows", len(rows) == int(sys.argv[3]))
print("refused", refused == expected)
ok = all(e["status"] == "made" and os.path.getsize("big/" + e["output"]) == e["bytes"]
         for e in rows if e["status"] != "refused")
print("sizes", ok)
sample = [e for e in rows if e["status"] == "made"][::997]
print("sha", all(hashlib.sha256(open("big/" + e["output"], "rb").read()).hexdigest() == e["sha256"]
                 for e in sample))
PY
check "bad rows: the manifest lists every row" grep -qx "rows True" manifest.check
check "bad rows: each bad row in the manifest with row, column and code" grep -qx "refused True" manifest.check
check "bad rows: the manifest's sizes are the files'" grep -qx "sizes True" manifest.check
check "bad rows: the manifest's SHA-256 are the files'" grep -qx "sha True" manifest.check

# --- kill -9 at 30 random moments ---------------------------------------------------
M=$((N < 600 ? N : 600))
"${GEN[@]}" "$M" --seed 4 >kill.csv
"${H[@]}" batch kill.csv -k aftercare -o ref -q >/dev/null
RANDOM=20261202
partial=0 unlisted_max=0 mismatch=0 relisted=0
# state: what the manifest (last line of each id wins) says is done, checked
# against the disk and the reference run
check_state() {
	python3 - kill/manifest.jsonl kill ref <<'PY'
import hashlib, json, os, sys
done = {}
try:
    for line in open(sys.argv[1], encoding="utf-8"):
        if not line.endswith("\n"):
            break
        e = json.loads(line)
        done[e["id"]] = e
except FileNotFoundError:
    pass
out, ref = sys.argv[2], sys.argv[3]
listed = {e["output"] for e in done.values() if e["status"] in ("made", "skipped")}
files = {f for f in os.listdir(out) if f.endswith(".pdf")} if os.path.isdir(out) else set()
partial = sum(open(os.path.join(out, f), "rb").read() != open(os.path.join(ref, f), "rb").read()
              for f in files)
mismatch = 0
for e in done.values():
    if e["status"] not in ("made", "skipped"):
        continue
    p = os.path.join(out, e["output"])
    if not os.path.exists(p) or hashlib.sha256(open(p, "rb").read()).hexdigest() != e["sha256"]:
        mismatch += 1
print(partial, len(files - listed), mismatch, len(listed))
PY
}
for i in $(seq 30); do
	# a fresh start now and then, so that the kills fall early, midway and late
	[ $((i % 4)) = 1 ] && rm -rf kill
	"${H[@]}" batch kill.csv -k aftercare -o kill -j 2 -q >/dev/null 2>&1 &
	pid=$!
	ms=$((RANDOM % ${BATCH_KILL_MS:-400} + 20))
	sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
	kill -9 $pid 2>/dev/null || true
	wait $pid 2>/dev/null || true
	read -r p u m l <<<"$(check_state)"
	partial=$((partial + p))
	mismatch=$((mismatch + m))
	[ "$u" -gt "$unlisted_max" ] && unlisted_max=$u
done
check "kill -9: never a partial PDF under a final name" test $partial = 0
check "kill -9: every file the manifest lists is there, with its SHA-256" test $mismatch = 0
check "kill -9: at most the rows in flight (one per worker) are on disk but not yet listed" \
	test "$unlisted_max" -le 2
read -r p u m listed <<<"$(check_state)"
{ find kill -name '*.pdf' -printf '%f %i %T@\n' 2>/dev/null || true; } | sort >before.times
python3 - kill/manifest.jsonl >listed.names <<'PY'
import json, sys
done = {}
try:
    lines = open(sys.argv[1]).readlines()
except FileNotFoundError:
    lines = []
for line in lines:
    if line.endswith("\n"):
        e = json.loads(line)
        done[e["id"]] = e
for e in done.values():
    if e["status"] in ("made", "skipped"):
        print(e["output"])
PY
run "${H[@]}" batch kill.csv -k aftercare -o kill -j 2 -q >rerun.out 2>&1
check "rerun: exit 0" test $rc = 0
if [ "$listed" -gt 0 ]; then
	check "rerun: only the missing rows are made" grep -qF "($listed unchanged, kept)" rerun.out
else
	check "rerun: every row made" grep -qxF "$M of $M made: see kill/manifest.csv" rerun.out
fi
find kill -name '*.pdf' -printf '%f %i %T@\n' | sort >after.times
check "rerun: the listed files are untouched" test \
	"$(grep -Ff listed.names before.times)" = "$(grep -Ff listed.names after.times)"
check "rerun: every file is the reference run's" diff <(cd ref && sha256sum *.pdf) <(cd kill && sha256sum *.pdf)
check "rerun: the manifest is the reference run's, but for statuses" test \
	"$(sed 's/"status":"skipped"/"status":"made"/' kill/manifest.jsonl | sha256sum)" = \
	"$(sha256sum <ref/manifest.jsonl)"
finish
