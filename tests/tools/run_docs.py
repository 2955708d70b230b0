#!/usr/bin/env python3
"""Runs the examples of a Markdown file, as written, in a copy of the tree.

usage: run_docs.py SRC_DIR BUILD_DIR WORK_DIR FILE.md...

Every ```sh block is run with bash (set -e) from the root of a fresh copy of
the repository, whose build/ is BUILD_DIR and whose data folder is the copy's
xml/ (so an example that edits the library edits the copy). A block fails the
test when any command in it fails. HTML comments, invisible on GitHub, say
what else to do:

  <!-- docs-test: skip REASON -->           the next sh block is not run
  <!-- docs-test: unsanitized REASON -->    ... not run when DOCS_CFLAGS is set (the
                                            sanitizer pass: a plain cc cannot link)
  <!-- docs-test: write PATH -->            the next code block is written to PATH
  <!-- docs-test: insert PATH before TEXT --> ... inserted before the last TEXT in PATH
  <!-- docs-test: output "TEXT" -->         the last sh block printed TEXT
  <!-- docs-test: pdf PATH has "TEXT" -->   pdftotext of PATH contains TEXT
  <!-- docs-test: compile PATH -->          the next ```c block is written to PATH,
                                            compiled against BUILD_DIR/libhandout.a
                                            and run (it must exit 0)

Each file gets its own copy, so one file's examples cannot help another's.
Prints one line per step; exits 1 if any step failed.
"""
import os
import re
import shutil
import subprocess
import sys

MARK = re.compile(r"<!--\s*docs-test:\s*(.*?)\s*-->")
FENCE = re.compile(r"^```(\w*)\s*$")


def blocks(path):
    """Yields ('mark', text, line) and ('code', lang, text, line) in order."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if m:
            start = i + 1
            j = start
            while j < len(lines) and not lines[j].startswith("```"):
                j += 1
            if j == len(lines):
                raise SystemExit(f"{path}:{i + 1}: code block never closed")
            yield ("code", m.group(1), "\n".join(lines[start:j]) + "\n", i + 1)
            i = j + 1
            continue
        for mm in MARK.finditer(lines[i]):
            yield ("mark", mm.group(1), i + 1)
        i += 1


def copy_tree(src, dst, build):
    ignore = shutil.ignore_patterns(".git", "build", "build-*", "out", "__pycache__")
    shutil.copytree(src, dst, ignore=ignore, symlinks=True)
    os.symlink(os.path.abspath(build), os.path.join(dst, "build"))


def link_flags():
    out = subprocess.run(["pkg-config", "--libs", "libxml-2.0", "harfbuzz", "harfbuzz-subset", "fontconfig",
                          "libpng", "zlib", "libqrencode"], capture_output=True, text=True, check=True)
    return out.stdout.split() + ["-lhpdf", "-lhyphen", "-lpthread", "-lm"]


def run_file(md, src, build, work):
    name = os.path.relpath(md, src)
    root = os.path.join(work, re.sub(r"[^A-Za-z0-9]+", "-", name))
    shutil.rmtree(root, ignore_errors=True)
    copy_tree(src, root, build)
    env = dict(os.environ, HANDOUT_DATA=os.path.join(root, "xml"))
    fails = 0
    steps = 0
    pending = None      # a mark that applies to the next code block
    last_output = ""
    skipped = False     # the last code block was not run: its output marks are not checked
    for b in blocks(md):
        if b[0] == "mark":
            text, line = b[1], b[2]
            where = f"{name}:{line}"
            m = re.fullmatch(r'output "(.*)"', text)
            p = re.fullmatch(r'pdf (\S+) has "(.*)"', text)
            if (m or p) and skipped:
                print(f"skip {where}: the block above was not run")
            elif m:
                steps += 1
                if m.group(1) in last_output:
                    print(f"ok   {where}: printed \"{m.group(1)}\"")
                else:
                    fails += 1
                    print(f"FAIL {where}: the block above did not print \"{m.group(1)}\"; it printed:\n"
                          f"{last_output}")
            elif p:
                steps += 1
                pdf = os.path.join(root, p.group(1))
                r = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True)
                got = " ".join(r.stdout.split())
                if r.returncode == 0 and p.group(2) in got:
                    print(f"ok   {where}: {p.group(1)} shows \"{p.group(2)}\"")
                else:
                    fails += 1
                    print(f"FAIL {where}: {p.group(1)} does not show \"{p.group(2)}\" {r.stderr}")
            elif re.match(r"(skip|unsanitized|write|insert|compile)\b", text):
                pending = (text, line)
            else:
                fails += 1
                print(f"FAIL {where}: unknown docs-test mark: {text}")
            continue
        _, lang, code, line = b
        where = f"{name}:{line}"
        mark, pending = pending, None
        skipped = False
        if mark and mark[0].startswith("skip"):
            print(f"skip {where}: {mark[0][4:].strip()}")
            skipped = True
            continue
        if mark and mark[0].startswith("unsanitized") and os.environ.get("DOCS_CFLAGS"):
            print(f"skip {where}: {mark[0][11:].strip()}")
            skipped = True
            continue
        if mark and mark[0].startswith("write "):
            path = os.path.join(root, mark[0].split(None, 1)[1])
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(code)
            print(f"ok   {where}: wrote {mark[0].split(None, 1)[1]}")
            continue
        if mark and mark[0].startswith("insert "):
            mm = re.fullmatch(r"insert (\S+) before (.+)", mark[0])
            path = os.path.join(root, mm.group(1))
            with open(path, encoding="utf-8") as f:
                text = f.read()
            at = text.rfind(mm.group(2))
            steps += 1
            if at < 0:
                fails += 1
                print(f"FAIL {where}: {mm.group(1)} has no {mm.group(2)}")
                continue
            with open(path, "w", encoding="utf-8") as f:
                f.write(text[:at] + code + text[at:])
            print(f"ok   {where}: inserted into {mm.group(1)}")
            continue
        if mark and mark[0].startswith("compile "):
            steps += 1
            src_c = os.path.join(root, mark[0].split(None, 1)[1])
            with open(src_c, "w", encoding="utf-8") as f:
                f.write(code)
            exe = src_c + ".bin"
            cc = [os.environ.get("CC", "cc"), "-std=c99", "-Wall", "-Wextra", "-Werror",
                  "-I", os.path.join(root, "include"), src_c,
                  os.path.join(build, "libhandout.a")] + link_flags() + ["-o", exe]
            cc += os.environ.get("DOCS_CFLAGS", "").split()
            r = subprocess.run(cc, capture_output=True, text=True)
            if r.returncode == 0:
                r = subprocess.run([exe], cwd=root, env=env, capture_output=True, text=True)
            last_output = r.stdout + r.stderr
            if r.returncode == 0:
                print(f"ok   {where}: compiled and ran the C example")
            else:
                fails += 1
                print(f"FAIL {where}: the C example failed ({r.returncode}):\n{last_output}")
            continue
        if lang != "sh":
            continue
        steps += 1
        r = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", code], cwd=root, env=env,
                           capture_output=True, text=True)
        last_output = r.stdout + r.stderr
        if r.returncode == 0:
            print(f"ok   {where}: " + code.strip().split("\n")[0])
        else:
            fails += 1
            print(f"FAIL {where}: exit status {r.returncode}:\n{code}--- output:\n{last_output}")
    if pending:
        fails += 1
        print(f"FAIL {name}:{pending[1]}: docs-test mark with no code block after it")
    if steps == 0:
        fails += 1
        print(f"FAIL {name}: no examples were run (has the file lost its marks?)")
    return fails


def main():
    if len(sys.argv) < 5:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    src, build, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    fails = sum(run_file(os.path.join(src, md), src, build, work) for md in sys.argv[4:])
    print(f"{fails} failed")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
