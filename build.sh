#!/usr/bin/env bash
# One entry point for people and CI (see README, "Quick start"):
#   ./build.sh samples   install what is missing, build, render the sample sheets, a
#                        brochure and a guide into out/
#   ./build.sh test      install what is missing, build, run every test, then again
#                        under AddressSanitizer + UndefinedBehaviorSanitizer
#   ./build.sh bench     build and run the benchmark (bench/run.sh)
set -euo pipefail
cd "$(dirname "$0")"

# Debian 12 packages: build tools, the libraries we link, the fonts we embed,
# the hyphenation dictionaries we read, and the PDF tools the tests check
# output with.
PACKAGES=(build-essential cmake pkg-config
          libhpdf-dev libxml2-dev libharfbuzz-dev libpng-dev zlib1g-dev libqrencode-dev libhyphen-dev
          libgmime-3.0-dev libcurl4-openssl-dev libqpdf-dev
          fonts-dejavu-core hyphen-en-us hyphen-es
          libcmocka-dev libxml2-utils poppler-utils qpdf python3 bc zbar-tools
          python3-aiosmtpd openssl)

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
	ctest --test-dir build --output-on-failure -j"$(nproc)"
	echo "== again under AddressSanitizer + UndefinedBehaviorSanitizer =="
	build build-asan -DHANDOUT_SANITIZE=ON -DHANDOUT_ARENA_MALLOC=ON -DHANDOUT_WERROR=ON
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --test-dir build-asan --output-on-failure -j"$(nproc)"
	;;
bench)
	PACKAGES+=(valgrind)
	install_deps
	build build
	bash bench/run.sh build
	;;
*)
	echo "usage: ./build.sh samples | test | bench" >&2
	exit 2
	;;
esac
