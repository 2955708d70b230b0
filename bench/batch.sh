#!/usr/bin/env bash
# Batch speed (issue 9), on this machine, in one run: 10,000-row client
# lists of aftercare sheets and of brochures (and 1,000 guides), made by
# `handout batch` with -j 1, -j 2 (threads sharing one engine) and as two
# shard processes; the in-process figure (bench/batch_inproc.c: the same
# rows rendered in memory, one thread, no files); peak RSS at 1,000 and at
# 10,000 rows. Prints a Markdown table with the issue's bars.
#
# Where the documents go: a fresh ext4 file system (made by mkfs.ext4 with
# its defaults, journal included, as on a clinic's Debian machine) mounted
# from a loop file, when this runs as root; else a folder under $TMPDIR. This
# machine's root is ext4 without a journal, where a new file's inode is not
# taken from those freed in the last minute or more and the kernel looks at
# each of them first: making a file cost from 14 to 208 microseconds of
# system time depending on what was deleted before (measured with a 10-line
# C program), which is the deletions' cost, not the batch's. Every run
# writes a folder of its own, and nothing is deleted until the end.
# usage: bench/batch.sh BUILD_DIR [ROWS] [GUIDE_ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."
B=${1:-build}
N=${2:-10000}
G=${3:-1000}
tmp=$(mktemp -d)
trap 'umount "$tmp/fs" 2>/dev/null; rm -rf "$tmp"' EXIT
docs=$tmp
FS="a folder under ${TMPDIR:-/tmp} ($(stat -f -c %T "$tmp"))"
if [ "$(id -u)" = 0 ] && command -v mkfs.ext4 >/dev/null && truncate -s 16G "$tmp/fs.img" &&
	mkfs.ext4 -q -F "$tmp/fs.img" 2>/dev/null && mkdir "$tmp/fs" &&
	mount -o loop "$tmp/fs.img" "$tmp/fs" 2>/dev/null; then
	docs=$tmp/fs
	FS="a fresh ext4 file system with a journal (mkfs.ext4 defaults, on a loop file)"
fi
export HANDOUT_DATA=$PWD/xml SOURCE_DATE_EPOCH=1763596800

# settle: before each measured run, as root, the dirty pages written out and
# the page cache dropped, so that every run starts from the same memory. On
# this virtual machine the host gives the guest its memory on first touch,
# at about 3 us a page (18 GB touched: 52 s of system time): a run's system
# time otherwise depends on how much memory the runs before it left warm.
# Writing 10,000 files of 27 KB cost 61-91 us of system time a file with the
# cache full of earlier runs' files, 22-27 us after a drop (a 20-line C
# program writing them as the batch does; README, "Measured speed").
settle() {
	if [ "$(id -u)" = 0 ] && [ -w /proc/sys/vm/drop_caches ]; then
		sync
		echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || true
	fi
}
# measure OUT CMD...: runs CMD, writes "wall cpu maxrss_kb" (seconds, seconds
# of user + system CPU of it and its children, the largest child's peak RSS).
measure() {
	local out=$1; shift
	settle
	python3 - "$out" "$@" <<'PY'
import os, resource, subprocess, sys, time
t = time.monotonic()
p = subprocess.Popen(sys.argv[2:], stdout=subprocess.DEVNULL)
_, status, ru = os.wait4(p.pid, 0)
wall = time.monotonic() - t
code = os.waitstatus_to_exitcode(status)
if code not in (0, 1):
    sys.exit("bench: %s exited %d" % (sys.argv[2:], code))
open(sys.argv[1], "w").write("%.3f %.3f %d %.3f %.3f\n" % (wall, ru.ru_utime + ru.ru_stime,
                              ru.ru_maxrss, ru.ru_utime, ru.ru_stime))
PY
}
# shards OUT LIST KIND: the list as two shard processes at once
shards() {
	local out=$1 list=$2 kind=$3 dest=$docs
	settle
	python3 - "$out" "$B/handout" "$list" "$kind" "$dest/$kind.p" <<'PY'
import os, subprocess, sys, time
out, prog, lst, kind, folder = sys.argv[1:]
t = time.monotonic()
ps = [subprocess.Popen([prog, "batch", lst, "-k", kind, "-o", folder, "-q", "--shard", "%d/2" % k],
                       stdout=subprocess.DEVNULL) for k in range(2)]
cpu = rss = 0
for p in ps:
    _, status, ru = os.wait4(p.pid, 0)
    cpu += ru.ru_utime + ru.ru_stime
    rss = max(rss, ru.ru_maxrss)
open(out, "w").write("%.3f %.3f %d\n" % (time.monotonic() - t, cpu, rss))
PY
}
f() { cut -d' ' -f"$2" "$1"; } # field 1 wall, 2 cpu, 3 rss, 4 user, 5 system

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
python3 tests/tools/gen_clients.py "$N" >"$tmp/rows.csv"
python3 tests/tools/gen_clients.py 1000 >"$tmp/rows1k.csv"
python3 tests/tools/gen_clients.py "$G" >"$tmp/guides.csv"
# The in-process figure and the -j 2 batch are measured in $R interleaved
# rounds and the round with the least CPU of each kept (as bench/run.sh does
# for the sheet): this machine's speed drifts by 5-10 % from one minute to
# the next, more than the difference being measured.
R=${BATCH_ROUNDS:-5}
fastest() { # fastest OUT FILES...: the file whose second field (CPU) is least
	local out=$1; shift
	sort -t' ' -k2,2g "$@" | head -1 >"$out"
}
# paired KIND ROWS: the median, over the rounds, of each round's batch CPU
# per document against the in-process figure measured just before it (a
# second estimate, less exposed to the machine's drift than least-vs-least)
paired() {
	local k=$1 n=$2 r
	for r in $(seq "$R"); do
		awk -v n="$n" -v c="$(cut -d' ' -f2 "$tmp/$k.j2.$r")" \
			'$1 == "inproc_cpu_ms_per_doc" { printf "%.4f\n", (c * 1000 / n - $2) * 100 / $2 }' \
			"$tmp/$k.inproc.$r"
	done | sort -g | awk '{ v[NR] = $1 } END { printf "%+.0f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
for kind in aftercare brochure; do
	o=$docs/$kind
	for r in $(seq "$R"); do
		settle
		"$B/bench/handout_batch_inproc" "$tmp/rows.csv" $kind >"$tmp/$kind.inproc.$r"
		measure "$tmp/$kind.j2.$r" "$B/handout" batch "$tmp/rows.csv" -k $kind -o "$o.2.$r" -j 2 -q
	done
	awk '$1 == "inproc_cpu_ms_per_doc" { print $2 }' "$tmp/$kind".inproc.* | sort -g | head -1 |
		awk '{ print "inproc_cpu_ms_per_doc", $1 }' >"$tmp/$kind.inproc"
	fastest "$tmp/$kind.j2" "$tmp/$kind".j2.*
	measure "$tmp/$kind.j1" "$B/handout" batch "$tmp/rows.csv" -k $kind -o "$o.1" -j 1 -q
	shards "$tmp/$kind.p2" "$tmp/rows.csv" $kind
	measure "$tmp/$kind.1k" "$B/handout" batch "$tmp/rows1k.csv" -k $kind -o "$o.3" -j 2 -q
	if diff -q <(cd "$o.1" && sha256sum ./*.pdf) <(cd "$o.2.1" && sha256sum ./*.pdf) >/dev/null &&
		diff -q <(cd "$o.1" && sha256sum ./*.pdf) <(cd "$docs/$kind.p" && sha256sum ./*.pdf) >/dev/null; then
		echo same >"$tmp/$kind.same"
	else
		echo DIFFERENT >"$tmp/$kind.same"
	fi
done
for r in $(seq "$R"); do
	settle
	"$B/bench/handout_batch_inproc" "$tmp/guides.csv" guide >"$tmp/guide.inproc.$r"
	measure "$tmp/guide.j2.$r" "$B/handout" batch "$tmp/guides.csv" -k guide -o "$docs/guide.2.$r" -j 2 -q
done
awk '$1 == "inproc_cpu_ms_per_doc" { print $2 }' "$tmp"/guide.inproc.* | sort -g | head -1 |
	awk '{ print "inproc_cpu_ms_per_doc", $1 }' >"$tmp/guide.inproc"
fastest "$tmp/guide.j2" "$tmp"/guide.j2.*

row() { # row KIND LABEL ROWS
	local k=$1 rows=$3 inproc j1w j2w j2c pw
	inproc=$(awk '$1 == "inproc_cpu_ms_per_doc" { print $2 }' "$tmp/$k.inproc")
	j1w=$(f "$tmp/$k.j1" 1) j2w=$(f "$tmp/$k.j2" 1) j2c=$(f "$tmp/$k.j2" 2) pw=$(f "$tmp/$k.p2" 1)
	awk -v label="$2" -v n="$rows" -v inproc="$inproc" -v j1w="$j1w" -v j2w="$j2w" -v j2c="$j2c" \
		-v pw="$pw" -v pc="$(f "$tmp/$k.p2" 2)" -v r1k="$(f "$tmp/$k.1k" 3)" -v r10k="$(f "$tmp/$k.j2" 3)" \
		-v same="$(cat "$tmp/$k.same")" -v paired="$(paired "$k" "$rows")" -v us="$(f "$tmp/$k.j2" 4)" -v sy="$(f "$tmp/$k.j2" 5)" 'BEGIN {
		cpu = j2c * 1000 / n
		printf "| %s | %d | %.2f | %.2f (%+.0f %%, paired %s %%; user %.2f, system %.2f) | %.1f | %.1f | %.2fx | %.2f | %.1f / %.1f | %.0f | %d → %d KB (%+.1f %%) | %s |\n",
			label, n, inproc, cpu, (cpu - inproc) * 100 / inproc, paired, us * 1000 / n, sy * 1000 / n, j1w, j2w, j1w / j2w,
			j2w / (j2c / 2), pw, pc, n / j2w, r1k, r10k, (r10k - r1k) * 100 / r1k, same
	}'
}
cat <<TABLE
Batches on this machine ($(nproc) cores; load average before: $LOAD0, after: $(cut -d' ' -f1-3 /proc/loadavg)), handout batch from a CSV list (tests/tools/gen_clients.py), the documents written to $FS:

| documents | rows | in-process CPU ms/doc | batch -j 2 CPU ms/doc (vs in-process) | -j 1 wall s | -j 2 wall s | speed-up | wall ÷ (CPU/2) | 2 shard processes: wall / CPU s | docs/s at -j 2 | peak RSS 1,000 → $N rows | -j 1, -j 2, shards |
|---|---|---|---|---|---|---|---|---|---|---|---|
$(row aftercare "aftercare sheets" "$N")
$(row brochure "brochures" "$N")
TABLE
awk -v n="$G" -v inproc="$(awk '$1 == "inproc_cpu_ms_per_doc" { print $2 }' "$tmp/guide.inproc")" \
	-v w="$(f "$tmp/guide.j2" 1)" -v c="$(f "$tmp/guide.j2" 2)" -v paired="$(paired guide "$G")" 'BEGIN {
	printf "| guides | %d | %.2f | %.2f (%+.0f %%, paired %s %%) | | %.1f | | %.2f | | %.0f | | |\n",
		n, inproc, c * 1000 / n, (c * 1000 / n - inproc) * 100 / inproc, paired, w, w / (c / 2), n / w }'
echo
echo "In-process and -j 2 figures: the least CPU of $R interleaved rounds each; \"paired\": the median"
echo "over the rounds of the batch against the in-process run just before it."
echo "Bars (issue 9): CPU per document within +10 % of in-process; -j 2 at least 1.7x faster than"
echo "-j 1; wall ÷ (CPU/2) at most 1.3; peak RSS at $N rows within 10 % of 1,000 rows."
