#!/usr/bin/env python3
"""Checks that handout(1) and `handout --help` say the same (issue 13).

usage: check_man.py HANDOUT MAN_DIR SCHEMA_DIR

The man page is rendered with `man -l` (so what is checked is what a reader
sees) and compared with the program's own help:

  - every command of `handout --help` has a subsection (.SS NAME) under
    COMMANDS, and every subsection is a command of `handout --help`;
  - the options `handout NAME --help` lists (-x, --long) are exactly those
    listed (.TP) in that subsection;
  - the options under "options for every command" are those of OPTIONS;
  - the environment variables the help names are in ENVIRONMENT and back;
  - the exit statuses of the help are those of EXIT STATUS;
  - the version in the page's footer is `handout --version`'s;
  - man reports no warning; handout-xml(5) names the root element of every
    schema in SCHEMA_DIR.

A command added to the program later fails here with a message that says
what to add to man/handout.1. Prints one line per problem; exits 1 if any.
"""
import os
import re
import subprocess
import sys

OPTION = re.compile(r"(?:(?<=[\s\[(,])|^)(--?[A-Za-z][A-Za-z0-9-]*)")
ENVVAR = re.compile(r"\b([A-Z][A-Z0-9]*_[A-Z0-9_]+)\b")
SECTIONS = ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "COMMANDS", "EXIT STATUS",
            "ENVIRONMENT", "FILES", "EXAMPLES", "SEE ALSO"]
problems = []


def problem(msg):
    problems.append(msg)
    print("FAIL: " + msg)


def run(*args):
    r = subprocess.run(args, capture_output=True, text=True)
    return r.returncode, r.stdout, r.stderr


def render(page):
    env = dict(os.environ, MANWIDTH="250", LC_ALL="C.UTF-8", MAN_KEEP_FORMATTING="")
    r = subprocess.run(["man", "--warnings", "-l", page], capture_output=True, text=True, env=env)
    if r.returncode != 0 or r.stderr.strip():
        problem(f"man -l {page}: status {r.returncode}, warnings: {r.stderr.strip()}")
    # overstrikes, if any, and the Unicode hyphen groff may use for \-
    text = re.sub(r".\x08", "", r.stdout).replace("\u2010", "-").replace("\u2212", "-")
    return text


def sections(text):
    """{SECTION: text}, and {subsection: text} of COMMANDS."""
    secs, subs = {}, {}
    cur, sub = None, None
    for line in text.split("\n"):
        if re.match(r"^[A-Z][A-Z ]+$", line):
            cur, sub = line.strip(), None
            secs[cur] = ""
            continue
        if cur == "COMMANDS" and re.match(r"^   \S", line):
            sub = line.strip()
            subs[sub] = ""
            continue
        if cur:
            secs[cur] += line + "\n"
        if sub:
            subs[sub] += line + "\n"
    return secs, subs


def options(text):
    """The options of an option list: lines that start (indented) with -x or
    --long, as `--help` lists them and as man renders a .TP tag."""
    found = set()
    for line in text.splitlines():
        m = re.match(r"^\s+(-[^\s,]+(?:, -[^\s,]+)*)", line)
        if m:
            found.update(OPTION.findall(m.group(1)))
    return found


def block(help_text, title):
    """The lines of help_text after the line `title` up to a blank line."""
    m = re.search(r"^" + re.escape(title) + r".*\n((?:.+\n)*)", help_text, re.M)
    return m.group(1) if m else ""


def main():
    handout, man_dir, schema_dir = sys.argv[1:4]
    page1 = os.path.join(man_dir, "handout.1")
    where = "man/handout.1"
    rc, main_help, _ = run(handout, "--help")
    if rc != 0:
        problem(f"handout --help: exit status {rc}")
    text = render(page1)
    secs, subs = sections(text)
    for s in SECTIONS:
        if s not in secs:
            problem(f"{where}: no {s} section (.SH {s})")

    # Commands: "  render SESSION.xml...  make ..." (a two-word command such
    # as "manifest merge" when the second word is a plain lower-case word).
    commands = []
    for line in block(main_help, "commands:").splitlines():
        if not re.match(r"^  \S", line):
            continue  # a description's second line
        words = re.split(r"\s{2,}", line.strip())[0].split()
        if not words:
            continue
        name = words[0]
        if len(words) > 1 and re.fullmatch(r"[a-z][a-z-]*", words[1]):
            rc2, _, _ = run(handout, name, words[1], "--help")
            if rc2 == 0:
                name += " " + words[1]
        commands.append(name)
    if len(commands) < 6:
        problem(f"handout --help lists {len(commands)} commands; the parser must be wrong")
    for cmd in commands:
        rc, out, err = run(handout, *cmd.split(), "--help")
        if rc != 0:
            problem(f"handout {cmd} --help: exit status {rc}: {err.strip()}")
            continue
        if cmd not in subs:
            problem(f"handout --help lists the command '{cmd}', which handout(1) lacks: add "
                    f"'.SS {cmd}' under '.SH COMMANDS' in {where}, with its synopsis, what it "
                    f"does and a '.TP' paragraph for each option of 'handout {cmd} --help'")
            continue
        want, have = options(out), options(subs[cmd])
        for o in sorted(want - have):
            problem(f"'handout {cmd} --help' shows the option {o}, which handout(1) does not "
                    f"under '.SS {cmd}': add a '.TP' paragraph for it in {where}")
        for o in sorted(have - want):
            problem(f"handout(1) shows the option {o} under '.SS {cmd}', which "
                    f"'handout {cmd} --help' does not: add it to the help text in "
                    f"src/cli/main.c, or remove it from {where}")
    for sub in subs:
        if sub not in commands:
            problem(f"handout(1) has a subsection '{sub}' under COMMANDS that "
                    f"'handout --help' does not list: add the command to the help text in "
                    f"src/cli/main.c, or remove the subsection from {where}")

    # Options of every command.
    want = options(block(main_help, "options for every command:"))
    have = options(secs.get("OPTIONS", ""))
    if not want:
        problem("handout --help has no 'options for every command:' block")
    for o in sorted(want - have):
        problem(f"handout --help shows the option {o} for every command, which the OPTIONS "
                f"section of handout(1) does not: add a '.TP' for it in {where}")
    for o in sorted(have - want):
        problem(f"the OPTIONS section of handout(1) shows {o}, which 'handout --help' does "
                f"not list under 'options for every command:'")

    # Environment.
    m = re.search(r"^environment:((?:.+\n)*)", main_help, re.M)
    want = set(ENVVAR.findall(m.group(0) if m else ""))
    want |= set(re.findall(r"\$([A-Z][A-Z0-9]*_[A-Z0-9_]+)", main_help))
    have = set(ENVVAR.findall(secs.get("ENVIRONMENT", "")))
    for v in sorted(want - have):
        problem(f"handout --help names the environment variable {v}, which the ENVIRONMENT "
                f"section of handout(1) does not: add a '.TP' for it in {where}")
    for v in sorted(have - want):
        problem(f"the ENVIRONMENT section of handout(1) names {v}, which 'handout --help' "
                f"does not: mention it in the help text in src/cli/main.c")

    # Exit statuses: "exit status: 0 ok, 1 invalid input, ..."
    m = re.search(r"^exit status:((?:.+\n)*)", main_help, re.M)
    want = set(re.findall(r"(?:^|,)\s*(\d+) ", m.group(1) if m else ""))
    have = set(re.findall(r"^ {7}(\d+)\b", secs.get("EXIT STATUS", ""), re.M))
    if not want:
        problem("handout --help has no 'exit status:' paragraph")
    if want != have:
        problem(f"exit statuses: 'handout --help' gives {sorted(want)}, the EXIT STATUS "
                f"section of handout(1) {sorted(have)}")

    # Version.
    _, version, _ = run(handout, "--version")
    if version.strip() not in text:
        problem(f"handout(1) does not say '{version.strip()}' (the .TH line of {where})")

    # handout-xml(5): every root element of the schemas.
    text5 = render(os.path.join(man_dir, "handout-xml.5"))
    for f in sorted(os.listdir(schema_dir)):
        if f.endswith(".rng"):
            root = f[:-4]
            if f"<{root}>" not in text5 and f"<{root} " not in text5:
                problem(f"handout-xml(5) does not describe <{root}> (schema/{f}): "
                        f"add a section for it in man/handout-xml.5")
    checked = len(commands)
    print(f"{checked} commands, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
