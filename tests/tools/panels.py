#!/usr/bin/env python3
"""Panels of a folded document: every word on its panel, read panel by panel.

Reads the word boxes pdftotext -bbox-layout finds in PDF and checks that
every word lies wholly inside one of the panels: the COLUMNS equal columns of
the page between the side margins, GUTTER points apart (a word in a gutter
would be cut by a fold or sit on it). Then prints the text panel by panel,
page by page (page 1 left to right, then page 2...), each panel's words in
reading order (top to bottom, then left to right; a line of the panel per line of
output), so that an ordered check (nothing_lost.py) sees what a reader of
the folded sheet sees.

usage: panels.py PDF COLUMNS MARGIN_LEFT MARGIN_RIGHT GUTTER   (lengths in points)
Exit status 0; 1 when a word lies outside every panel (each one named);
2 when the PDF cannot be read.
"""
import subprocess
import sys
import xml.etree.ElementTree as ET

XHTML = "{http://www.w3.org/1999/xhtml}"
SLACK = 0.75  # points: a glyph's box may stick out of its advance by this much


def main(argv):
    if len(argv) != 6:
        print(__doc__.strip().splitlines()[-3], file=sys.stderr)
        return 2
    pdf = argv[1]
    cols = int(argv[2])
    ml, mr, gutter = (float(x) for x in argv[3:6])
    try:
        out = subprocess.run(["pdftotext", "-bbox-layout", "-enc", "UTF-8", pdf, "-"],
                             capture_output=True, check=True).stdout
        root = ET.fromstring(out)
    except (OSError, subprocess.CalledProcessError, ET.ParseError) as e:
        print(f"panels.py: cannot read {pdf}: {e}", file=sys.stderr)
        return 2
    bad = 0
    text = []
    for pno, page in enumerate(root.iter(XHTML + "page"), 1):
        width = float(page.get("width"))
        colw = (width - ml - mr - gutter * (cols - 1)) / cols
        panels = [(ml + k * (colw + gutter), ml + k * (colw + gutter) + colw) for k in range(cols)]
        words = [[] for _ in panels]
        for w in page.iter(XHTML + "word"):
            x0, x1 = float(w.get("xMin")), float(w.get("xMax"))
            y0 = float(w.get("yMin"))
            for k, (a, b) in enumerate(panels):
                if x0 >= a - SLACK and x1 <= b + SLACK:
                    words[k].append((round(y0 / 2.0), x0, w.text or ""))
                    break
            else:
                print(f"page {pno}: the word '{w.text}' (x {x0:.1f} to {x1:.1f}) lies outside "
                      f"every panel", file=sys.stderr)
                bad += 1
        for k, ws in enumerate(words):
            ws.sort()
            # one output line per line of the panel, so that a word broken at
            # a line's end (U+00AD, U+2010) is joined by nothing_lost.py
            lines, last = [], None
            for y, _, t in ws:
                if y != last:
                    lines.append([])
                    last = y
                lines[-1].append(t)
            text.append("\n".join(" ".join(ln) for ln in lines))
    print("\n".join(text))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
