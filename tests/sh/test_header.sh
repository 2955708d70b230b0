#!/usr/bin/env bash
# The public header compiles on its own, first and alone, as strict C99 and
# (when g++ is installed) as C++: a user includes <handout.h> and nothing else.
. "$(dirname "$0")/lib.sh"

CC=${CC:-cc}
printf '#include <handout.h>\n' >"$WORK_DIR/alone.c"
# A second file that uses what the header declares, so unused or broken
# declarations (an enum, a macro initialiser) are compiled too.
cat >"$WORK_DIR/use.c" <<'C'
#include <handout.h>
int use(void);
int use(void)
{
	hd_diags d = HD_DIAGS_INIT;
	hd_engine_options eo = HD_ENGINE_OPTIONS_INIT;
	hd_render_options ro = HD_RENDER_OPTIONS_INIT;
	hd_output out = { 0, 0, 0, 0, 0, 0.0, 0.0 };
	unsigned what = HD_RENDER_PDF | HD_RENDER_DUMP;
	(void)out;
	hd_diags_free(&d);
	return (int)eo.version + (int)ro.version + (int)what + HD_EPDF + (int)sizeof(HD_VERSION_STRING);
}
C

strict() { "$@" -Wall -Wextra -pedantic -Werror -fsyntax-only -I"$SRC_DIR/include"; }

check "handout.h alone as C99" strict "$CC" -std=c99 "$WORK_DIR/alone.c"
check "handout.h used as C99" strict "$CC" -std=c99 "$WORK_DIR/use.c"
check "handout.h alone as C11" strict "$CC" -std=c11 "$WORK_DIR/alone.c"
if command -v g++ >/dev/null 2>&1; then
	check "handout.h alone as C++" strict g++ -x c++ -std=c++11 "$WORK_DIR/alone.c"
	check "handout.h used as C++" strict g++ -x c++ -std=c++11 "$WORK_DIR/use.c"
else
	echo "skip: g++ is not installed, the C++ check did not run"
fi
finish
