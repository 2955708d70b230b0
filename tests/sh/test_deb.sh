#!/usr/bin/env bash
# The Debian packages (issue 13; README, "Install"): made the way
# ./build.sh deb makes them (a build of their own, -DHANDOUT_DEB=ON, then
# cpack), after checking that cpack refuses the developer's build. Then:
#  - each package's file list (dpkg -c), exactly: libhandout.so.0 and
#    handout.pc in /usr/lib/<triplet>, the data in /usr/share/handout, the
#    manual in /usr/share/man; nothing outside /usr, nothing under /usr/local,
#    no file in two packages;
#  - each package's control fields: Depends against the libraries its files
#    actually link (each NEEDED soname's package, found with dpkg -S), the
#    packages of the build and its data and fonts; libhandout-dev's against
#    the .pc files and -l libraries its handout.pc names; the shlibs file;
#  - no packaged file names the checkout or the build tree (the library's
#    last-resort data folder is compiled in only outside the package build);
#  - the packaged example built with find_package(handout) against the
#    extracted files; the extracted packages run with the checkout and the
#    build tree hidden (a mount namespace with an empty tmpfs over them: as
#    if moved away);
#  - when HANDOUT_DEB_ROOT names a clean Debian 12 root (./build.sh test
#    makes one with debootstrap), the real thing, in a throw-away overlay of
#    it: apt-get install the program (which pulls the library, the data and
#    the fonts), the samples rendered; then libhandout-dev, gcc and
#    pkg-config, and the packaged example built with pkg-config (shared and
#    static) and run; the PDFs checked with pdftotext there.
source "$(dirname "$0")/lib.sh"
BUILD=$(cd "$(dirname "$HANDOUT")" && pwd)
VERSION=$("$HANDOUT" --version | sed 's/^handout //')
ARCH=$(dpkg --print-architecture)
MA=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
L=/usr/lib/$MA
cd "$WORK_DIR"

# The developer's build (prefix /usr/local, the checkout's path compiled
# in) is not packed: cpack says how to make the packages instead.
if cpack -G DEB --config "$BUILD/CPackConfig.cmake" -B refused >refused.log 2>&1; then
	fail "cpack packed the developer's build $BUILD"
else
	check "cpack refuses the developer's build, and says how" grep -q 'build.sh deb' refused.log
fi

# The package build, kept in the build tree between runs ($BUILD/deb). -j1:
# ctest runs other tests beside this one.
start=$SECONDS
DEB_BUILD=$BUILD/deb
if ! {
	cmake -S "$SRC_DIR" -B "$DEB_BUILD" -DHANDOUT_DEB=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo &&
		cmake --build "$DEB_BUILD" -j1 &&
		cpack --config "$DEB_BUILD/CPackConfig.cmake" -B pkg
} >pkg-build.log 2>&1; then
	cat pkg-build.log >&2
	fail "the package build (cmake -DHANDOUT_DEB=ON, cpack) failed"
	finish
fi
echo "time: the package build and cpack, $((SECONDS - start)) s"
check "the package build installs to /usr" grep -qx 'CMAKE_INSTALL_PREFIX:PATH=/usr' "$DEB_BUILD/CMakeCache.txt"

PKGS="libhandout0 handout-data libhandout-dev handout"
deb() { # deb NAME: the package's file
	local a=$ARCH
	[ "$1" = handout-data ] && a=all
	echo "pkg/$1_${VERSION}_$a.deb"
}
for p in $PKGS; do
	check "the package $(deb "$p")" test -f "$(deb "$p")"
	echo "$(deb "$p"): $(stat -c %s "$(deb "$p")") bytes"
done
check "four packages, no more" test "$(ls pkg/*.deb | wc -l)" = 4
[ "$FAILS" = 0 ] || finish

# The file lists (dpkg -c), the folders left out: each exactly as expected.
for p in $PKGS; do
	dpkg-deb -c "$(deb "$p")" | awk '{ $1 = $2 = $3 = $4 = $5 = ""; sub(/^ +/, ""); print }' |
		sed 's|^\./|/|' | grep -v '/$' | LC_ALL=C sort >"files-$p.txt"
	echo "== dpkg -c $(deb "$p") (files)"
	if [ "$p" = handout-data ]; then
		grep -v '^/usr/share/handout/[a-z]*/.*/' "files-$p.txt" | sed 's/^/  /'
		echo "  ... $(wc -l <"files-$p.txt") files in all"
	else
		sed 's/^/  /' "files-$p.txt"
	fi
done
cat >expect-libhandout0.txt <<EOF
$L/libhandout.so.0 -> libhandout.so.$VERSION
$L/libhandout.so.$VERSION
EOF
cat >expect-libhandout-dev.txt <<EOF
/usr/include/handout.h
$L/cmake/handout/handoutConfig.cmake
$L/cmake/handout/handoutConfigVersion.cmake
$L/cmake/handout/handoutTargets-relwithdebinfo.cmake
$L/cmake/handout/handoutTargets.cmake
$L/libhandout.a
$L/libhandout.so -> libhandout.so.0
$L/pkgconfig/handout.pc
/usr/share/doc/handout/examples/CMakeLists.txt
/usr/share/doc/handout/examples/aftercare.c
EOF
cat >expect-handout.txt <<EOF
/usr/bin/handout
/usr/share/doc/handout/README.md
/usr/share/man/man1/handout.1
/usr/share/man/man5/handout-xml.5
EOF
# the data: every file of the checkout's data folders, and the font families
{
	(cd "$SRC_DIR/xml" && find schema library templates clinic sessions records -type f) |
		sed 's|^|/usr/share/handout/|'
	echo /usr/share/handout/fonts/fonts.xml
	echo /usr/share/doc/handout/README-xml.md
} >expect-handout-data.txt
for p in $PKGS; do
	LC_ALL=C sort -o "expect-$p.txt" "expect-$p.txt"
	if diff -u "expect-$p.txt" "files-$p.txt" >"diff-$p.txt"; then
		pass
	else
		cat "diff-$p.txt" >&2
		fail "$p: the files are not the expected ones (- expected, + packaged)"
	fi
done
cat files-*.txt | sed 's/ -> .*//' >all-files.txt
check "nothing under /usr/local" test -z "$(grep '^/usr/local/' all-files.txt)"
check "nothing outside /usr" test -z "$(grep -v '^/usr/' all-files.txt)"
check "no file in two packages" test -z "$(LC_ALL=C sort all-files.txt | uniq -d)"

# The control fields.
field() { dpkg-deb -f "$(deb "$1")" "$2"; }
relations() { field "$1" Depends | tr ',' '\n' | sed 's/^ *//; s/ *$//'; } # one a line
names() { relations "$1" | tr '|' '\n' | sed 's/^ *//; s/ .*//' | sort -u; }  # the package names
for p in $PKGS; do
	names "$p" >"depends-$p.txt"
	echo "$p: Depends: $(field "$p" Depends)"
done
check "handout-data: Architecture all" test "$(field handout-data Architecture)" = all
check "handout-data: depends on nothing" test -z "$(field handout-data Depends)"
check "libhandout0: Section libs" test "$(field libhandout0 Section)" = libs
check "libhandout-dev: Section libdevel" test "$(field libhandout-dev Section)" = libdevel
check "libhandout0 depends on handout-data (= $VERSION)" grep -qx "handout-data (= $VERSION)" <(relations libhandout0)
check "libhandout-dev depends on libhandout0 (= $VERSION)" grep -qx "libhandout0 (= $VERSION)" <(relations libhandout-dev)
check "handout depends on libhandout0 (= $VERSION)" grep -qx "libhandout0 (= $VERSION)" <(relations handout)
# DejaVu Sans: regular and bold in -core, the obliques in -extra (Debian 12)
check "libhandout0 depends on fonts-dejavu-core" grep -qx fonts-dejavu-core depends-libhandout0.txt
check "libhandout0 depends on fonts-dejavu-extra" grep -qx fonts-dejavu-extra depends-libhandout0.txt
check "libhandout0 recommends the hyphenation dictionaries" test "$(field libhandout0 Recommends)" = "hyphen-en-us, hyphen-es"
check "libhandout0's shlibs: libhandout0 (>= $VERSION)" \
	test "$(dpkg-deb --ctrl-tarfile "$(deb libhandout0)" | tar -xOf - ./shlibs)" = "libhandout 0 libhandout0 (>= $VERSION)"

mkdir root
for p in $PKGS; do dpkg-deb -x "$(deb "$p")" root; done

# pkg_of PATH: the installed package that holds PATH (dpkg knows a file by
# the path its package installed, /lib or /usr/lib: merged /usr, which may be
# either side of a link); empty if none.
pkg_of() {
	local p pkg
	for p in "$1" "$(readlink -f "$1")" "${1/#\/usr\/lib\//\/lib\/}" "${1/#\/lib\//\/usr\/lib\/}"; do
		pkg=$(dpkg -S "$p" 2>/dev/null | head -1 | cut -d: -f1) || true
		[ -n "$pkg" ] && break
	done
	echo "$pkg"
}
# Depends of the packages with programs and libraries: exactly the packages
# of the libraries their files link (objdump's NEEDED), and the extras.
depends_are_linked() { # depends_are_linked PACKAGE FILE EXTRA...
	local p=$1 f=root$2 so path pkg
	shift 2
	objdump -p "$f" | awk '$1 == "NEEDED" {print $2}' >"needed-$p.txt"
	check "$p: its $f links something" test -s "needed-$p.txt"
	printf '%s\n' "$@" >"linked-$p.txt"
	for so in $(cat "needed-$p.txt"); do
		if [ "$so" = libhandout.so.0 ]; then
			pkg=libhandout0
		else
			path=$(ldconfig -p | awk -v so="$so" '$1 == so {print $NF}' | head -1)
			pkg=$(pkg_of "$path")
		fi
		if [ -z "$pkg" ]; then
			fail "$p: no installed package holds $so ($path)"
			continue
		fi
		echo "$pkg" >>"linked-$p.txt"
		check "$p: Depends names $pkg (for $so)" grep -qx "$pkg" "depends-$p.txt"
	done
	sort -u -o "linked-$p.txt" "linked-$p.txt"
	for d in $(cat "depends-$p.txt"); do
		check "$p: Depends: $d is linked (or is data or fonts)" grep -qx "$d" "linked-$p.txt"
	done
}
depends_are_linked libhandout0 "$L/libhandout.so.$VERSION" handout-data fonts-dejavu-core fonts-dejavu-extra
depends_are_linked handout /usr/bin/handout
check "the program uses the packaged library" grep -qx libhandout.so.0 needed-handout.txt

# libhandout-dev: the package of every .pc file in handout.pc's
# Requires.private (pkg-config fails without them, even without --static)
# and of every library in its Libs.private (libhandout.a needs them), and
# nothing else beside libhandout0.
pc=root$L/pkgconfig/handout.pc
echo libhandout0 >needs-dev.txt
for m in $(sed -n 's/^Requires.private://p' "$pc" | tr ',' ' '); do
	f=$(pkg-config --variable=pcfiledir "$m")/$m.pc
	pkg=$(pkg_of "$f")
	[ -n "$pkg" ] || { fail "libhandout-dev: no installed package holds $m.pc"; continue; }
	echo "$pkg" >>needs-dev.txt
	check "libhandout-dev: Depends names $pkg (for $m.pc)" grep -qx "$pkg" depends-libhandout-dev.txt
done
for l in $(sed -n 's/^Libs.private://p' "$pc" | tr ' ' '\n' | sed -n 's/^-l//p'); do
	case $l in pthread | m) continue ;; esac # libc's
	pkg=$(pkg_of "$L/lib$l.so")
	[ -n "$pkg" ] || { fail "libhandout-dev: no installed package holds lib$l.so"; continue; }
	echo "$pkg" >>needs-dev.txt
	check "libhandout-dev: Depends names $pkg (for -l$l)" grep -qx "$pkg" depends-libhandout-dev.txt
done
# ... and of the libraries the whole static link line names (pkg-config
# --static): libxml2-dev does not depend on liblzma-dev, though its .pc file
# needs -llzma for --static (Debian 12), so libhandout-dev names it.
for l in $(PKG_CONFIG_PATH=root$L/pkgconfig pkg-config --static --libs-only-l handout |
	tr ' ' '\n' | sed -n 's/^-l//p'); do
	case $l in handout | pthread | m | dl | rt | c) continue ;; esac
	pkg=$(pkg_of "$L/lib$l.so")
	[ -n "$pkg" ] && echo "$pkg" >>needs-dev.txt
done
# (the first of each alternative: libcurl4-openssl-dev | libcurl-dev)
for d in $(relations libhandout-dev | sed 's/ *|.*//; s/ .*//'); do
	check "libhandout-dev: Depends: $d is needed by handout.pc" grep -qx "$d" needs-dev.txt
done
check "handout.pc: prefix /usr, libdir $L" \
	test "$(sed -n 's/^prefix=//p; s/^libdir=//p' "$pc" | tr '\n' ' ')" = "/usr \${prefix}/lib/$MA "

# No packaged file names the checkout or the build tree: the library's
# last-resort data folder (HANDOUT_DEV_DATA) is left out of the package
# build, and -ffile-prefix-map keeps the folders out of debugging information
# and the static library. The developer's library does name the checkout:
# the check can see the path when it is there.
check "the developer's libhandout.so names the checkout (HANDOUT_DEV_DATA)" \
	grep -qF "$SRC_DIR/xml" <(strings -a "$BUILD/libhandout.so.0")
check "strings of the packaged libhandout.so.0 do not name the checkout" \
	test -z "$(strings -a "root$L/libhandout.so.$VERSION" | grep -F "$SRC_DIR" || true)"
check "libhandout.a without debugging information (stripped as dh_strip does)" \
	test -z "$(objdump -h "root$L/libhandout.a" | grep -F .debug_info || true)"
check "no packaged file names the checkout or the build tree" \
	test -z "$(grep -rlF -e "$SRC_DIR" -e "$BUILD" root || true)"

# The CMake package where libhandout-dev puts it (lib/<triplet>/cmake), the
# extracted files as the prefix: the packaged example built with
# find_package(handout) and run (the clean root below has no cmake).
if cmake -S root/usr/share/doc/handout/examples -B ex-cmake -DCMAKE_PREFIX_PATH="$WORK_DIR/root/usr" \
	>ex-cmake.log 2>&1 && cmake --build ex-cmake >>ex-cmake.log 2>&1; then
	pass
else
	cat ex-cmake.log >&2
	fail "the packaged example does not build with find_package(handout)"
fi
check "find_package found $L/cmake/handout" \
	grep -qx "handout_DIR:PATH=$WORK_DIR/root$L/cmake/handout" ex-cmake/CMakeCache.txt
(cd ex-cmake && ./aftercare p.pdf >out.txt) && pass || fail "the example (find_package) failed"
check "the example (find_package) ran with the packaged library and its data" \
	test "$(cat ex-cmake/out.txt 2>/dev/null)" = "p.pdf: 1 page (data: $WORK_DIR/root/usr/share/handout)"

# The extracted packages, run where neither the checkout nor the build tree
# can be seen: every sample session, a brochure, a guide and a report.
T=$(mktemp -d /tmp/handout-deb.XXXXXX)
trap 'rm -rf "$T"' EXIT
cp -a root "$T/root"
cat >"$T/run.sh" <<'SH'
set -e
cd "$1"
mkdir work && cd work
R=$1/root/usr
# the program finds libhandout.so.0 there, and the library its data beside it
export LD_LIBRARY_PATH=$R/lib/$3
"$R/bin/handout" render -q "$R"/share/handout/sessions/*.xml >render.out
"$R/bin/handout" brochure -q >>render.out
"$R/bin/handout" guide -q "$R/share/handout/sessions/zoe.xml" >>render.out
"$R/bin/handout" report -q "$R/share/handout/records/c-0042" >>render.out
"$R/bin/handout" validate -q "$R"/share/handout/library/*.xml "$R"/share/handout/templates/*.xml
ldd "$R/bin/handout" | grep 'libhandout\.so\.0' >ldd.out
test ! -e "$2" # the checkout is hidden
SH
if unshare -m true 2>/dev/null; then
	if unshare -m sh -c 'mount -t tmpfs none "$2" && mount -t tmpfs none "$1" && sh "$3/run.sh" "$3" "$1/CMakeLists.txt" "$4"' \
		sh "$SRC_DIR" "$BUILD" "$T" "$MA" >run.log 2>&1; then
		pass
	else
		cat run.log >&2
		fail "the extracted packages failed with the checkout hidden"
	fi
else
	echo "note: no mount namespace here (unshare -m needs root): the extracted packages are run with the checkout in place"
	sh "$T/run.sh" "$T" /nonexistent "$MA" >run.log 2>&1 && pass || { cat run.log >&2; fail "the extracted packages failed"; }
fi
check "extracted packages: a sheet per sample session, a brochure, a guide, a report" \
	test "$(cat "$T/work/render.out" 2>/dev/null | wc -l)" = "$(($(ls "$SRC_DIR"/xml/sessions/*.xml | wc -l) + 3))"
check "extracted packages: the program ran with the packaged libhandout.so.0" \
	grep -qF "$T/root$L/libhandout.so.0" "$T/work/ldd.out"
check "extracted packages: Zoë's sheet" grep -q 'Zoë' <(pdftotext "$T/work/out/zoe.pdf" - 2>/dev/null)
check "extracted packages: qpdf --check" qpdf --check "$T/work/out/zoe-guide.pdf" >/dev/null

# A clean Debian 12: apt-get install the packages, then use them.
if [ -z "${HANDOUT_DEB_ROOT:-}" ] || [ ! -x "${HANDOUT_DEB_ROOT}/usr/bin/apt-get" ]; then
	echo "SKIP: apt-get install in a clean Debian 12 root: HANDOUT_DEB_ROOT is not set (./build.sh test sets it)"
	finish
	exit
fi
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: apt-get install in a clean Debian 12 root: not root (mount and chroot need it)"
	finish
	exit
fi
mkdir "$T/debs"
for p in $PKGS; do cp "$(deb "$p")" "$T/debs/"; done
# What runs inside the root. The order keeps each step honest: the program
# and its Depends first, on a root that has nothing else (a test tool
# installed before could bring a missing dependency along: poppler-utils
# brings fontconfig-config, which depends on fonts-dejavu-core); then
# libhandout-dev alone; the compiler and the PDF tools last.
cat >"$T/inside.sh" <<'SH'
set -e
ma=$1
export DEBIAN_FRONTEND=noninteractive
apt_install() {
	apt-get install -y -qq --no-install-recommends -o Dpkg::Options::=--force-unsafe-io "$@" \
		>>/tmp/apt.log 2>&1 || { tail -20 /tmp/apt.log; exit 1; }
}
mkdir -p /tmp/w && cd /tmp/w
t0=$(date +%s)
lap() { echo "$1 $(($(date +%s) - t0)) s" >>times.txt; t0=$(date +%s); }
apt-get update -qq
lap "apt-get update"
apt_install /tmp/debs/handout_*.deb /tmp/debs/libhandout0_*.deb /tmp/debs/handout-data_*.deb
dpkg-query -W -f='${Package} ${Status}\n' handout libhandout0 handout-data fonts-dejavu-core \
	fonts-dejavu-extra >status-runtime.txt
{ dpkg -l '*-dev' 2>/dev/null || true; } | awk '$1 == "ii" {print $2}' >dev-after-runtime.txt
ldd /usr/bin/handout | grep libhandout >ldd.txt
handout render -q /usr/share/handout/sessions/*.xml >render.out
handout brochure -q -l es -p letter >>render.out
handout guide -q /usr/share/handout/sessions/zoe.xml >>render.out
handout report -q /usr/share/handout/records/c-0042 >>render.out
handout list | head -1 >list.out
lap "the program installed and run"
apt_install /tmp/debs/libhandout-dev_*.deb
lap "libhandout-dev installed"
dpkg-query -W -f='${Package} ${Status}\n' libhandout-dev >status-dev.txt
dpkg -L handout libhandout0 handout-data libhandout-dev >dpkg-L.txt
apt_install gcc libc6-dev pkg-config poppler-utils
lap "gcc, pkg-config, poppler-utils installed"
pdftotext out/zoe.pdf zoe.txt
pdffonts out/zoe.pdf >zoe-fonts.txt
ex=/usr/share/doc/handout/examples/aftercare.c
cc -std=c99 -Wall -Wextra -pedantic -Werror "$ex" $(pkg-config --cflags --libs handout) -o ex-shared
./ex-shared ex-shared.pdf >ex-shared.out
pdftotext ex-shared.pdf ex-shared.txt
cc -std=c99 "$ex" $(pkg-config --cflags handout) /usr/lib/$ma/libhandout.a \
	$(pkg-config --static --libs handout | sed 's/-lhandout//') -o ex-static
ldd ex-static >ex-static.ldd
./ex-static ex-static.pdf >ex-static.out
lap "the example built and run"
# the kept downloads: only what the mirror still has (no old versions piling up)
apt-get autoclean -qq >/dev/null
SH
cat >"$T/clean.sh" <<'SH'
set -e
base=$1 t=$2 cache=$3
mkdir -p "$t/up" "$t/wk" "$t/r"
if ! mount -t overlay overlay -o "lowerdir=$base,upperdir=$t/up,workdir=$t/wk" "$t/r" 2>/dev/null; then
	cp -a "$base/." "$t/r/"
fi
mount --bind /dev "$t/r/dev"
mount -t proc proc "$t/r/proc"
# apt's downloads kept beside the root: fetched from the mirror once
if [ -n "$cache" ] && mkdir -p "$cache/partial" 2>/dev/null; then
	mount --bind "$cache" "$t/r/var/cache/apt/archives"
fi
cp /etc/resolv.conf "$t/r/etc/resolv.conf"
cp -r "$t/debs" "$t/inside.sh" "$t/r/tmp/"
rc=0
chroot "$t/r" sh /tmp/inside.sh "$4" || rc=$?
cp -r "$t/r/tmp/w" "$t/clean"
exit $rc
SH
start=$SECONDS
cache=${HANDOUT_DEB_APT_CACHE-$(dirname "$HANDOUT_DEB_ROOT")/apt-archives}
# one run at a time per cache (apt locks it, and fails rather than waits)
lock=/dev/null
[ -n "$cache" ] && mkdir -p "$cache" 2>/dev/null && lock=$cache.lock
if flock "$lock" unshare -m sh "$T/clean.sh" "$HANDOUT_DEB_ROOT" "$T" "$cache" "$MA" >clean.log 2>&1; then
	pass
else
	cat clean.log >&2
	fail "the packages in a clean Debian 12 root ($HANDOUT_DEB_ROOT): apt-get install and use failed"
fi
echo "time: the clean Debian 12 root (apt-get install, render, build the example), $((SECONDS - start)) s"
C=$T/clean
sed 's/^/  /' "$C/times.txt" 2>/dev/null || true
check "clean root: the program, the library, the data and the fonts installed" \
	test "$(grep -c 'install ok installed' "$C/status-runtime.txt" 2>/dev/null)" = 5
check "clean root: the program pulls no -dev package" test ! -s "$C/dev-after-runtime.txt"
# (/lib/<triplet> or /usr/lib/<triplet>: merged /usr, ld.so's cache says either)
check "clean root: the program uses $L/libhandout.so.0" grep -q "=> \(/usr\)\{0,1\}/lib/$MA/libhandout\.so\.0 " "$C/ldd.txt"
check "clean root: a sheet per sample session, a brochure, a guide, a report" \
	test "$(cat "$C/render.out" 2>/dev/null | wc -l)" = "$(($(ls "$SRC_DIR"/xml/sessions/*.xml | wc -l) + 3))"
check "clean root: handout list" grep -q '^[a-z-]* ' "$C/list.out"
check "clean root: libhandout-dev installed" grep -q 'install ok installed' "$C/status-dev.txt"
check "clean root: dpkg -L puts the library in $L" grep -qx "$L/libhandout.so.0" "$C/dpkg-L.txt"
check "clean root: dpkg -L puts handout.pc in $L/pkgconfig" grep -qx "$L/pkgconfig/handout.pc" "$C/dpkg-L.txt"
check "clean root: dpkg -L: nothing under /usr/local" test -z "$(grep '^/usr/local' "$C/dpkg-L.txt")"
check "clean root: Zoë's sheet (pdftotext there)" grep -q 'Zoë' "$C/zoe.txt"
check "clean root: the fonts embedded (pdffonts there)" grep -q 'DejaVuSans' "$C/zoe-fonts.txt"
check "clean root: the example, built with pkg-config, reads /usr/share/handout" \
	test "$(cat "$C/ex-shared.out" 2>/dev/null)" = "ex-shared.pdf: 1 page (data: /usr/share/handout)"
check "clean root: the example's sheet (pdftotext there)" grep -q 'Zoë Martin' "$C/ex-shared.txt"
check "clean root: the example, linked with libhandout.a, needs no libhandout.so" \
	test -s "$C/ex-static.ldd" -a -z "$(grep libhandout "$C/ex-static.ldd")"
check "clean root: the static example reads /usr/share/handout" \
	test "$(cat "$C/ex-static.out" 2>/dev/null)" = "ex-static.pdf: 1 page (data: /usr/share/handout)"
finish
