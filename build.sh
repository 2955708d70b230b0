#!/usr/bin/env bash
# One entry point for people and CI (see README, "Quick start"):
#   ./build.sh samples   install what is missing, build, render the sample sheets, a
#                        brochure and a guide into out/
#   ./build.sh test      install what is missing, build, run every test, then again
#                        under AddressSanitizer + UndefinedBehaviorSanitizer
#   ./build.sh bench     build and run the benchmark (bench/run.sh)
#   ./build.sh deb       build the Debian packages into pkg/: a build of their own in
#                        build-deb/ (-DHANDOUT_DEB=ON: prefix /usr, no checkout path),
#                        then cpack (README, "Install")
set -euo pipefail
cd "$(dirname "$0")"

# Debian 12 packages: build tools, the libraries we link, the fonts we embed
# (DejaVu Sans: regular and bold in -core, the obliques in -extra; Liberation
# for the test of a template in another family), the hyphenation
# dictionaries we read, the PDF tools the tests check output with, man to
# read the manual, strace to count the font files a run opens, and
# debootstrap for the package test.
PACKAGES=(build-essential cmake pkg-config
          libhpdf-dev libxml2-dev libharfbuzz-dev libfontconfig-dev libpng-dev zlib1g-dev
          libqrencode-dev libhyphen-dev libgmime-3.0-dev libcurl4-openssl-dev libqpdf-dev
          libcsv-dev libssl-dev
          fonts-dejavu-core fonts-dejavu-extra fonts-liberation2 hyphen-en-us hyphen-es
          libcmocka-dev libxml2-utils poppler-utils qpdf python3 bc zbar-tools man-db strace
          debootstrap python3-aiosmtpd openssl parallel)
# The therapist's desk (handout serve): libmicrohttpd serves it, nettle hashes
# the clinic's password; its tests drive a real browser (chromium through
# chromium-driver and python3-selenium) and load it with ab (apache2-utils).
PACKAGES+=(libmicrohttpd-dev nettle-dev chromium chromium-driver python3-selenium apache2-utils)

install_deps() {
	local missing=()
	for p in "${PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
	done
	if ((${#missing[@]})); then
		echo "build.sh: installing ${missing[*]}" >&2
		local sudo=""
		[ "$(id -u)" = 0 ] || sudo="sudo"
		$sudo apt-get update -qq
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	fi
}

# A clean Debian 12 root for tests/sh/test_deb.sh, which installs the .deb
# into a throw-away overlay of it with apt-get: made once with debootstrap
# (minbase, ~200 MB, half a minute with a good mirror) and kept. Needs root
# and the mirror; without them the test says SKIP for that part. Set
# HANDOUT_DEB_ROOT= (empty) to skip it, or to another folder to keep it there.
clean_root() {
	local root=${HANDOUT_DEB_ROOT-/var/cache/handout/debian12-root}
	local mirror=${HANDOUT_DEBIAN_MIRROR:-http://deb.debian.org/debian}
	[ -n "$root" ] || return 0
	if [ ! -x "$root/usr/bin/apt-get" ]; then
		if [ "$(id -u)" != 0 ]; then
			echo "build.sh: not root: the .deb is not tried in a clean Debian 12 root" >&2
			return 0
		fi
		echo "build.sh: making a clean Debian 12 root in $root (debootstrap, once)" >&2
		rm -rf "$root.tmp"
		mkdir -p "$(dirname "$root")"
		if ! debootstrap --variant=minbase bookworm "$root.tmp" "$mirror" >"$root.log" 2>&1; then
			echo "build.sh: debootstrap failed (see $root.log); the .deb is not tried in a clean root" >&2
			rm -rf "$root.tmp"
			return 0
		fi
		mv "$root.tmp" "$root"
	fi
	export HANDOUT_DEB_ROOT=$root
}

build() { # build DIR [cmake options...]
	local dir=$1; shift
	cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
	cmake --build "$dir" -j"$(nproc)"
}

case "${1:-}" in
samples)
	install_deps
	build build
	./build/handout render xml/sessions/*.xml
	./build/handout brochure
	./build/handout guide xml/sessions/zoe.xml
	;;
test)
	install_deps
	build build -DHANDOUT_WERROR=ON
	clean_root
	ctest --test-dir build --output-on-failure -j"$(nproc)"
	echo "== again under AddressSanitizer + UndefinedBehaviorSanitizer =="
	build build-asan -DHANDOUT_SANITIZE=ON -DHANDOUT_ARENA_MALLOC=ON -DHANDOUT_WERROR=ON
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --test-dir build-asan --output-on-failure -j"$(nproc)"
	;;
deb)
	# The same three steps as tests/sh/test_deb.sh's.
	install_deps
	build build-deb -DHANDOUT_DEB=ON
	rm -f pkg/*.deb
	cpack --config build-deb/CPackConfig.cmake -B pkg >/dev/null
	ls pkg/*.deb
	;;
bench)
	PACKAGES+=(valgrind)
	install_deps
	build build
	bash bench/run.sh build
	;;
*)
	echo "usage: ./build.sh samples | test | bench | deb" >&2
	exit 2
	;;
esac
