#!/usr/bin/env bash
# The Debian package (issue 13): cpack -G DEB from this build; its Depends
# checked against the libraries the program and libhandout.so actually link
# (each NEEDED soname's package, found with dpkg -S, and nothing more) plus
# fonts-dejavu-core; its contents; the extracted package run with the
# checkout and the build tree hidden (a mount namespace with an empty tmpfs
# over them: as if moved away); and, when HANDOUT_DEB_ROOT names a clean
# Debian 12 root (./build.sh test makes one with debootstrap), the real
# thing: `apt-get install ./handout_*.deb` in a copy of that root (an
# overlay, thrown away after), then the samples rendered there.
source "$(dirname "$0")/lib.sh"
BUILD=$(dirname "$HANDOUT")
VERSION=$("$HANDOUT" --version | sed 's/^handout //')
cd "$WORK_DIR"

if ! cpack -G DEB --config "$BUILD/CPackConfig.cmake" -B pkg >cpack.log 2>&1; then
	cat cpack.log >&2
	fail "cpack -G DEB failed"
	finish
fi
deb=$(echo pkg/handout_"$VERSION"_*.deb)
check "the package: $deb" test -f "$deb"
echo "package: $deb, $(stat -c %s "$deb") bytes"

# Depends: exactly the packages of the linked libraries, and the fonts.
dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/^ *//; s/ .*//' | sort -u >depends.txt
# DejaVu Sans: regular and bold in -core, the obliques in -extra (Debian 12)
check "Depends: fonts-dejavu-core" grep -qx fonts-dejavu-core depends.txt
check "Depends: fonts-dejavu-extra" grep -qx fonts-dejavu-extra depends.txt
dpkg-deb -x "$deb" root
: >needed.txt
for f in root/usr/bin/handout root/usr/lib*/libhandout.so.0 root/usr/lib/*/libhandout.so.0; do
	[ -e "$f" ] || continue
	objdump -p "$f" | awk '$1 == "NEEDED" {print $2}' >>needed.txt
done
check "the program and the library link something" test -s needed.txt
: >linked.txt
for so in $(sort -u needed.txt); do
	path=$(ldconfig -p | awk -v so="$so" '$1 == so {print $NF}' | head -1)
	# dpkg knows a file by the path its package installed (/lib or /usr/lib:
	# merged /usr), which may be either side of a link
	pkg=
	for p in "$path" "$(readlink -f "$path")" "${path/#\/usr\/lib\//\/lib\/}" "${path/#\/lib\//\/usr\/lib\/}"; do
		pkg=$(dpkg -S "$p" 2>/dev/null | head -1 | cut -d: -f1) || true
		[ -n "$pkg" ] && break
	done
	if [ -z "$pkg" ]; then
		fail "no installed package holds $so ($path)"
		continue
	fi
	echo "$pkg" >>linked.txt
	check "Depends names $pkg (for $so)" grep -qx "$pkg" depends.txt
done
sort -u -o linked.txt linked.txt
for p in $(cat depends.txt); do
	case $p in fonts-dejavu-core | fonts-dejavu-extra) continue ;; esac
	check "Depends: $p is linked" grep -qx "$p" linked.txt
done
check "Recommends: the hyphenation dictionaries" test "$(dpkg-deb -f "$deb" Recommends)" = "hyphen-en-us, hyphen-es"

# Contents.
for f in usr/bin/handout usr/include/handout.h usr/share/handout/schema/session.rng \
	usr/share/handout/templates/aftercare.xml usr/share/handout/sessions/zoe.xml \
	usr/share/man/man1/handout.1 usr/share/man/man5/handout-xml.5; do
	check "package holds /$f" test -e "root/$f"
done
check "package: the shared library" test -n "$(find root/usr/lib* -name 'libhandout.so.0' -print -quit)"
check "package: handout.pc" test -n "$(find root/usr/lib* -name handout.pc -print -quit)"

# The extracted package, run where neither the checkout nor the build tree
# can be seen: every sample session, a brochure and a guide.
T=$(mktemp -d /tmp/handout-deb.XXXXXX)
trap 'rm -rf "$T"' EXIT
cp -a root "$T/root"
cp "$SRC_DIR/tests/tools/nothing_lost.py" "$T/" 2>/dev/null || true
cat >"$T/run.sh" <<'SH'
set -e
cd "$1"
mkdir work && cd work
R=$1/root/usr
"$R/bin/handout" render -q "$R"/share/handout/sessions/*.xml >render.out
"$R/bin/handout" brochure -q >>render.out
"$R/bin/handout" guide -q "$R/share/handout/sessions/zoe.xml" >>render.out
"$R/bin/handout" report -q "$R/share/handout/records/c-0042" >>render.out
"$R/bin/handout" validate -q "$R"/share/handout/library/*.xml "$R"/share/handout/templates/*.xml
test ! -e "$2" # the checkout is hidden
SH
if unshare -m true 2>/dev/null; then
	if unshare -m sh -c 'mount -t tmpfs none "$2" && mount -t tmpfs none "$1" && sh "$3/run.sh" "$3" "$1/CMakeLists.txt"' \
		sh "$SRC_DIR" "$(cd "$BUILD" && pwd)" "$T" >run.log 2>&1; then
		pass
	else
		cat run.log >&2
		fail "the extracted package failed with the checkout hidden"
	fi
else
	echo "note: no mount namespace here (unshare -m needs root): the extracted package is run with the checkout in place"
	sh "$T/run.sh" "$T" /nonexistent >run.log 2>&1 && pass || { cat run.log >&2; fail "the extracted package failed"; }
fi
check "extracted package: a sheet per sample session, a brochure, a guide, a report" \
	test "$(cat "$T/work/render.out" 2>/dev/null | wc -l)" = "$(($(ls "$SRC_DIR"/xml/sessions/*.xml | wc -l) + 3))"
check "extracted package: Zoë's sheet" grep -q 'Zoë' <(pdftotext "$T/work/out/zoe.pdf" - 2>/dev/null)
check "extracted package: qpdf --check" qpdf --check "$T/work/out/zoe-guide.pdf" >/dev/null

# A clean Debian 12: apt-get install ./handout_*.deb, then the samples.
if [ -z "${HANDOUT_DEB_ROOT:-}" ] || [ ! -x "${HANDOUT_DEB_ROOT}/usr/bin/apt-get" ]; then
	echo "SKIP: apt-get install in a clean Debian 12 root: HANDOUT_DEB_ROOT is not set (./build.sh test sets it)"
	finish
	exit
fi
cp "$deb" "$T/"
cat >"$T/clean.sh" <<'SH'
set -e
base=$1 t=$2 deb=$3
mkdir -p "$t/up" "$t/wk" "$t/r"
if ! mount -t overlay overlay -o "lowerdir=$base,upperdir=$t/up,workdir=$t/wk" "$t/r" 2>/dev/null; then
	cp -a "$base/." "$t/r/"
fi
mount --bind /dev "$t/r/dev"
mount -t proc proc "$t/r/proc"
cp /etc/resolv.conf "$t/r/etc/resolv.conf"
cp "$t/$deb" "$t/r/tmp/"
chroot "$t/r" sh -c "
	set -e
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends /tmp/$deb >/tmp/apt.log 2>&1 || { tail -20 /tmp/apt.log; exit 1; }
	dpkg-query -W -f='\${Status}\n' handout fonts-dejavu-core fonts-dejavu-extra
	mkdir -p /tmp/w && cd /tmp/w
	handout render -q /usr/share/handout/sessions/*.xml
	handout brochure -q -l es -p letter
	handout guide -q /usr/share/handout/sessions/zoe.xml
	handout report -q /usr/share/handout/records/c-0042
	handout list | head -1
"
cp -r "$t/r/tmp/w/out" "$t/clean-out"
SH
if unshare -m sh "$T/clean.sh" "$HANDOUT_DEB_ROOT" "$T" "$(basename "$deb")" >clean.log 2>&1; then
	pass
else
	cat clean.log >&2
	fail "apt-get install ./$(basename "$deb") in a clean Debian 12 root, then the samples, failed"
fi
check "clean root: handout and its fonts installed" test "$(grep -c 'install ok installed' clean.log)" = 3
check "clean root: every sample sheet" test "$(ls "$T"/clean-out/*.pdf 2>/dev/null | wc -l)" -ge "$(($(ls "$SRC_DIR"/xml/sessions/*.xml | wc -l) + 3))"
check "clean root: Zoë's sheet" grep -q 'Zoë' <(pdftotext "$T/clean-out/zoe.pdf" - 2>/dev/null)
check "clean root: the fonts embedded" grep -q 'DejaVuSans' <(pdffonts "$T/clean-out/zoe.pdf" 2>/dev/null)
finish
