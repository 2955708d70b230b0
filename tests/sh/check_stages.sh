# The stages of the pipeline that must not depend on libxml2 or libharu
# (merge and layout: see CMakeLists.txt) name no symbol of either, nor of
# HarfBuzz, libpng or libhyphen (layout hyphenates through an interface). Arguments: their object files. (Not named test_*.sh:
# CTest runs it with the object files, see tests/CMakeLists.txt.)
set -euo pipefail
[ $# -gt 0 ] || { echo "no object files given" >&2; exit 2; }
bad=0
for o in "$@"; do
	[ -f "$o" ] || { echo "missing object file: $o" >&2; exit 2; }
	syms=$(nm -u "$o" | awk '{print $2}' | grep -E '^(xml|HPDF_|hb_|png_|hnj_)' || true)
	if [ -n "$syms" ]; then
		echo "$o uses a library it must not: $syms" >&2
		bad=1
	fi
done
echo "$# object files checked"
exit $bad
