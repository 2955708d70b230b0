#!/usr/bin/env python3
"""Word-space stretch of justified lines, read from layout dumps (--dump).

A justified line is drawn with extra space after each U+0020 (the dump's
`ws=`, points per space; a run of the line without a space shows 0). A line
is the text items of one page at one y (the justified text of these
documents is never in two columns side by side); its stretch in em is its
largest ws over that run's size, and it is justified when that is above 0.
A line is hyphenated when its last run (the one furthest right) ends with a
soft hyphen (U+00AD, a break the layout made) or a hyphen (U+2010, a word
broken after its own hyphen).

usage: stretch.py [--threshold EM] NAME=DUMP...
Prints one Markdown table row per dump: name, justified lines, the largest
stretch (em), lines stretched more than the threshold (0.25 em), hyphenated
lines. Exit status 0; 2 when a dump cannot be read.
"""
import re
import sys

TEXT = re.compile(r'^\s+text x=(\S+) y=(\S+) font=\S+ size=(\S+) ws=(\S+) color=\S+ "(.*)"$')


def measure(path, threshold):
    lines = {}
    page = 0
    with open(path, encoding="utf-8") as f:
        for raw in f:
            raw = raw.rstrip("\n")
            if raw.startswith("page "):
                page = int(raw.split()[1])
                continue
            m = TEXT.match(raw)
            if not m:
                continue
            x, y, size, ws, text = float(m[1]), m[2], float(m[3]), float(m[4]), m[5]
            line = lines.setdefault((page, y), {"stretch": 0.0, "x": -1.0, "last": ""})
            line["stretch"] = max(line["stretch"], ws / size)
            if x > line["x"]:
                line["x"], line["last"] = x, text
    stretches = [ln["stretch"] for ln in lines.values() if ln["stretch"] > 0]
    hyph = sum(1 for ln in lines.values() if ln["last"].endswith(("\u00ad", "\u2010")))
    return (len(stretches), max(stretches, default=0.0),
            sum(1 for s in stretches if s > threshold + 1e-9), hyph)


def main(argv):
    args = argv[1:]
    threshold = 0.25
    if len(args) >= 2 and args[0] == "--threshold":
        threshold, args = float(args[1]), args[2:]
    if not args:
        print(__doc__.strip().split("\n\n")[2], file=sys.stderr)
        return 2
    for arg in args:
        name, _, path = arg.partition("=")
        try:
            n, mx, over, hyph = measure(path, threshold)
        except OSError as e:
            print(f"stretch.py: {e}", file=sys.stderr)
            return 2
        print(f"| {name} | {n} | {mx:.3f} | {over} | {hyph} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
