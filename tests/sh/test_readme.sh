#!/usr/bin/env bash
# Every example in README.md and xml/README.md runs as written (issue 6, item
# 17): the sh blocks from a copy of the tree, the worked example's XML written
# where it says, the C example compiled against the library and run. The
# marks that drive it are HTML comments in the READMEs (tests/tools/run_docs.py).
source "$(dirname "$0")/lib.sh"

build_dir=$(dirname "$HANDOUT")
if python3 "$SRC_DIR/tests/tools/run_docs.py" "$SRC_DIR" "$build_dir" "$WORK_DIR" \
	README.md xml/README.md; then
	pass
else
	fail "an example in the READMEs does not run as written (see above)"
fi

# The runner itself must be able to fail: a README whose command fails, whose
# promised output is missing, or that has no examples at all.
mkdir -p "$WORK_DIR/bad"
cat >"$WORK_DIR/bad/BAD.md" <<'MD'
```sh
build/handout validate no-such-file.xml
```
```sh
true
```
<!-- docs-test: output "files valid" -->
MD
out=$(python3 "$SRC_DIR/tests/tools/run_docs.py" "$WORK_DIR/bad" "$build_dir" "$WORK_DIR/badrun" BAD.md) &&
	fail "the runner passed a README with a failing command" || pass
check "a failing command is reported with its line" grep -q '^FAIL BAD.md:1: exit status [1-9]' <<<"$out"
check "a missing output is reported" grep -q '^FAIL BAD.md:7: the block above did not print "files valid"' <<<"$out"
printf 'no examples here\n' >"$WORK_DIR/bad/EMPTY.md"
out=$(python3 "$SRC_DIR/tests/tools/run_docs.py" "$WORK_DIR/bad" "$build_dir" "$WORK_DIR/badrun" EMPTY.md) &&
	fail "the runner passed a README without examples" || pass
check "a README without examples is reported" grep -q 'no examples were run' <<<"$out"
finish
