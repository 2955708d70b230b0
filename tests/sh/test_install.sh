#!/usr/bin/env bash
# What `cmake --install` makes (issue 13): the installed tree, the exported
# symbols against the public header, the pkg-config file, the CMake package,
# the example built both ways against the install, and an install prefix
# that still works after it is moved; the build-tree program still reads the
# checkout's xml/ and --data / HANDOUT_DATA still override.
source "$(dirname "$0")/lib.sh"
unset HANDOUT_DATA
BUILD=$(dirname "$HANDOUT")
VERSION=$("$HANDOUT" --version | sed 's/^handout //')
CC=${CC:-cc}
# The sanitizer pass links the examples with the sanitized library.
read -r -a XFLAGS <<<"${EXAMPLE_CFLAGS:-}"
cd "$WORK_DIR"

P=$WORK_DIR/pfx
cmake --install "$BUILD" --prefix "$P" >install.log 2>&1 || { cat install.log >&2; fail "cmake --install failed"; finish; }
LIB=$(cd "$P" && ls -d lib*/libhandout.so | xargs dirname) # lib or lib/<multiarch>

# The tree: every part where GNUInstallDirs puts it.
for f in bin/handout "$LIB"/libhandout.a "$LIB"/libhandout.so "$LIB/libhandout.so.0" \
	"$LIB/libhandout.so.$VERSION" "$LIB/pkgconfig/handout.pc" \
	"$LIB/cmake/handout/handoutConfig.cmake" "$LIB/cmake/handout/handoutConfigVersion.cmake" \
	"$LIB/cmake/handout/handoutTargets.cmake" include/handout.h \
	share/handout/schema/session.rng share/handout/library/warning-signs.xml \
	share/handout/templates/aftercare.xml share/handout/clinic/clinic.xml \
	share/handout/clinic/logo.png share/handout/sessions/zoe.xml share/handout/fonts/fonts.xml \
	share/doc/handout/README.md share/doc/handout/examples/aftercare.c \
	share/man/man1/handout.1 share/man/man5/handout-xml.5 \
	share/doc/handout/examples/CMakeLists.txt; do
	check "installed: $f" test -e "$P/$f"
done
check "only the public header is installed" test "$(cd "$P/include" && find . -type f)" = ./handout.h
check "the shared library's soname is libhandout.so.0" \
	grep -q 'SONAME *libhandout\.so\.0$' <(objdump -p "$P/$LIB/libhandout.so")
check "libhandout.so.0 is a link to the versioned file" \
	test "$(readlink "$P/$LIB/libhandout.so.0")" = "libhandout.so.$VERSION"

check "man handout: the installed page" test "$(MANPATH=$P/share/man man -w handout)" = "$P/share/man/man1/handout.1"
check "man handout-xml: the installed page" test "$(MANPATH=$P/share/man man -w handout-xml)" = "$P/share/man/man5/handout-xml.5"
check "man handout: renders the commands" grep -q '^   catalogue$' <(MANPATH=$P/share/man MANWIDTH=100 man handout 2>/dev/null)

# Exported symbols: exactly the functions include/handout.h declares. The
# library is built with hidden visibility; HD_API in the header exports.
sed -n 's/^\(HD_API \)\{0,1\}[A-Za-z_][A-Za-z_ ]*[ *]\(hd_[a-z0-9_]*\)(.*/\2/p' \
	"$SRC_DIR/include/handout.h" | sort -u >api.txt
# libharu's three byte loops are replaced on purpose (src/render/render.c,
# "libharu's byte loops"): exported so that they take libharu's place.
nm -D --defined-only "$P/$LIB/libhandout.so" | awk '$2 ~ /^[TDBRVWiu]$/ {print $3}' |
	grep -vxE 'HPDF_(MemCpy|MemSet|StrLen)' | sort -u >exported.txt
check "the header declares the API (parsed $(wc -l <api.txt) functions)" test "$(wc -l <api.txt)" -ge 16
while read -r s; do
	fail "include/handout.h declares $s but libhandout.so does not export it: start its declaration with HD_API"
done < <(comm -23 api.txt exported.txt)
while read -r s; do
	fail "libhandout.so exports $s, which include/handout.h does not declare: make it static, or declare it in the header with HD_API if it is meant to be public"
done < <(comm -13 api.txt exported.txt)
pass

# pkg-config: the shared library; the dependencies only with --static.
export PKG_CONFIG_PATH=$P/$LIB/pkgconfig
check "pkg-config: version $VERSION" test "$(pkg-config --modversion handout)" = "$VERSION"
check "pkg-config --libs: the library alone" \
	test "$(pkg-config --libs handout | xargs)" = "-L$P/$LIB -lhandout"
check "pkg-config --cflags: the installed include folder" \
	grep -q -- "-I$P/include" <(pkg-config --cflags handout)
check "pkg-config: libharu and libhyphen (no .pc of their own) in Libs.private" \
	grep -q -- '-lhpdf -lhyphen' <(pkg-config --static --libs handout)
check "pkg-config: the data folder" test "$(pkg-config --variable=datadir handout)" = "$P/share/handout"

# The example, built as its comment says, with pkg-config ...
EX=$SRC_DIR/examples/aftercare.c
# shellcheck disable=SC2046 # the flags are words
if "$CC" -std=c99 -Wall -Wextra -pedantic -Werror "${XFLAGS[@]}" "$EX" \
	$(pkg-config --cflags --libs handout) -Wl,-rpath,"$P/$LIB" -o ex-pc 2>ex-pc.err; then
	pass
else
	cat ex-pc.err >&2
	fail "the example does not build with pkg-config --cflags --libs handout"
fi
mkdir run-pc
(cd run-pc && ../ex-pc >out.txt 2>err.txt) && pass || { cat run-pc/err.txt >&2; fail "the example (pkg-config) failed"; }
check "example (pkg-config): the installed data folder" \
	test "$(cat run-pc/out.txt)" = "aftercare.pdf: 1 page (data: $P/share/handout)"
check "example (pkg-config): the sheet of the session it built in memory" \
	grep -q 'Aftercare for Zoë Martin' <(pdftotext run-pc/aftercare.pdf - 2>/dev/null)
# ... against the static library with pkg-config --static ...
if [ -z "${XFLAGS[*]}" ]; then
	# shellcheck disable=SC2046
	if "$CC" -std=c99 "$EX" $(pkg-config --cflags handout) "$P/$LIB/libhandout.a" \
		$(pkg-config --static --libs handout | sed 's/-lhandout//') -o ex-static 2>ex-static.err; then
		pass
	else
		cat ex-static.err >&2
		fail "the example does not link statically with pkg-config --static --libs handout"
	fi
	check "example (static): no libhandout.so needed" test -z "$(ldd ex-static | grep libhandout || true)"
	(mkdir run-static && cd run-static && ../ex-static p.pdf >/dev/null) && pass ||
		fail "the statically linked example failed"
fi
# ... and with CMake: find_package(handout) -> handout::handout.
if cmake -S "$SRC_DIR/examples" -B ex-cmake -DCMAKE_PREFIX_PATH="$P" -DCMAKE_C_FLAGS="${XFLAGS[*]}" \
	-DCMAKE_EXE_LINKER_FLAGS="${XFLAGS[*]}" >ex-cmake.log 2>&1 && cmake --build ex-cmake >>ex-cmake.log 2>&1; then
	pass
else
	cat ex-cmake.log >&2
	fail "the examples do not build with find_package(handout)"
fi
check "find_package found the installed package" grep -q "handout_DIR:PATH=$P/$LIB/cmake/handout" ex-cmake/CMakeCache.txt
(mkdir run-cmake && cd run-cmake && ../ex-cmake/aftercare p.pdf >out.txt) && pass ||
	fail "the example (find_package) failed"
check "example (find_package): one page" test "$(cat run-cmake/out.txt 2>/dev/null)" = "p.pdf: 1 page (data: $P/share/handout)"

# The installed program finds the installed data without options ...
mkdir run && cd run
# (through PATH, as a user runs it: then only /proc/self/exe knows where it is)
check "installed program: list" grep -q '^deep-tissue ' <(PATH=$P/bin:$PATH handout list)
"$P/bin/handout" render -q "$P/share/handout/sessions/plain.xml" >render.out && pass || fail "installed program: render failed"
check "installed program: out/plain.pdf" test "$(cat render.out)" = out/plain.pdf
cd ..

# ... and so does a moved install: the data is found relative to the program
# and to libhandout.so (a changed clinic name proves which folder was read).
M=$WORK_DIR/moved/somewhere/else
mkdir -p "$(dirname "$M")" && mv "$P" "$M"
sed -i 's|<name>[^<]*</name>|<name>Moved Clinic</name>|' "$M/share/handout/clinic/clinic.xml"
mkdir run-moved && cd run-moved
"$M/bin/handout" render -q "$M/share/handout/sessions/zoe.xml" -o moved.pdf >/dev/null && pass || fail "moved install: render failed"
check "moved install: the program reads the moved data" grep -q 'Moved Clinic' <(pdftotext moved.pdf - 2>/dev/null)
# through PATH, as a user runs it: argv[0] is then "handout", no path
PATH=$M/bin:$PATH handout render -q "$M/share/handout/sessions/zoe.xml" -o path.pdf >/dev/null && pass || fail "moved install: render through PATH failed"
check "moved install: through PATH too" grep -q 'Moved Clinic' <(pdftotext path.pdf - 2>/dev/null)
check "moved install: validate" "$M/bin/handout" validate -q "$M"/share/handout/library/*.xml
LD_LIBRARY_PATH=$M/$LIB ../ex-pc >out.txt 2>/dev/null && pass || fail "moved install: the example failed"
check "moved install: libhandout.so reads the moved data" test "$(cat out.txt)" = "aftercare.pdf: 1 page (data: $M/share/handout)"
check "moved install: the example's sheet" grep -q 'Moved Clinic' <(pdftotext aftercare.pdf - 2>/dev/null)
# ... and its font configuration: a template in Liberation Sans.
sed 's|\(<type [^>]*/>\)|\1\n  <fonts family="Liberation Sans"/>|' "$M/share/handout/templates/aftercare.xml" >lib.xml
"$M/bin/handout" render -q -t lib.xml "$M/share/handout/sessions/plain.xml" -o lib.pdf >/dev/null && pass || fail "moved install: a Liberation Sans template failed"
check "moved install: a template in Liberation Sans" grep -q LiberationSans <(pdffonts lib.pdf 2>/dev/null)
sed -i 's|default="DejaVu Sans"|default="Liberation Sans"|' "$M/share/handout/fonts/fonts.xml"
"$M/bin/handout" render -q "$M/share/handout/sessions/plain.xml" -o default.pdf >/dev/null && pass || fail "moved install: render failed"
check "moved install: the installed fonts/fonts.xml read (its default changed)" grep -q LiberationSans <(pdffonts default.pdf 2>/dev/null)
sed -i 's|default="Liberation Sans"|default="DejaVu Sans"|' "$M/share/handout/fonts/fonts.xml"
# --data and HANDOUT_DATA still choose another folder.
cp -r "$SRC_DIR/xml" mydata
sed -i 's|<name>[^<]*</name>|<name>My Own Clinic</name>|' mydata/clinic/clinic.xml
"$M/bin/handout" --data mydata render -q mydata/sessions/plain.xml -o data.pdf >/dev/null && pass || fail "--data: render failed"
check "--data overrides the installed data" grep -q 'My Own Clinic' <(pdftotext data.pdf - 2>/dev/null)
HANDOUT_DATA=$PWD/mydata "$M/bin/handout" render -q mydata/sessions/plain.xml -o env.pdf >/dev/null && pass || fail "HANDOUT_DATA: render failed"
check "HANDOUT_DATA overrides the installed data" grep -q 'My Own Clinic' <(pdftotext env.pdf - 2>/dev/null)
# A folder that is not a data folder: one error that says what to give.
"$M/bin/handout" --data "$WORK_DIR" list >nodata.out 2>nodata.err && fail "--data with no schema/: exit 0" || pass
check "no data folder: one error naming the folder" \
	test "$(head -1 nodata.err)" = "$WORK_DIR: error: not a handout data folder: it has no schema/ folder"
check "no data folder: the hint names --data, HANDOUT_DATA and the installed folder" test "$(tail -1 nodata.err)" = \
	"  hint: give the data folder with --data DIR or HANDOUT_DATA=DIR; an installed handout reads <prefix>/share/handout, beside <prefix>/bin"
cd ..

# The build-tree program still reads the checkout's xml/, from any folder.
mkdir run-build && cd run-build
"$HANDOUT" render -q "$SRC_DIR/xml/sessions/plain.xml" -o build.pdf >/dev/null && pass || fail "build-tree program: render failed"
want=$(xp "$SRC_DIR/xml/clinic/clinic.xml" 'string(//*[local-name()="clinic"]/*[local-name()="name"])')
check "build-tree program: the checkout's clinic ($want)" grep -qF "$want" <(pdftotext build.pdf - 2>/dev/null)
cd ..
finish
