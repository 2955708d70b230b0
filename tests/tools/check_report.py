#!/usr/bin/env python3
"""Checks a progress report's layout dump against its records folder:
usage check_report.py DUMP RECORDS_DIR [en|es] [PDFTOTEXT_OUTPUT].

The chart (tests/sh/test_report.sh; src/merge/chart.c draws it):
  - the scale: six grid lines, 0 to 10 from the bottom, evenly spaced;
  - the "before" series (filled circles) and the "after" series (open
    squares): one marker per recorded score and none for a missing one,
    each at y = y(0) + score * (y(10) - y(0)) / 10, in visit order;
  - time in proportion: every marker's x is where the visit's day falls
    between the first and the last visit.
The table: its first column lists the visits' dates in order, each once,
and its header row ("Date") starts the table on every page it reaches.
With the text pdftotext extracted from the PDF: every visit's date and its
scores ("7→5", "5→-" with white space removed) are in it, in visit order.
Prints what it checked; exits 1 with the first mismatch."""
import datetime
import glob
import os
import re
import sys
import xml.etree.ElementTree as ET

NS = "{urn:handout:session:1}"
TOL = 0.3  # points: the dump rounds to 1/8 pt


def fail(msg):
    print("check_report: " + msg, file=sys.stderr)
    sys.exit(1)


def visits(folder):
    out = []
    for path in sorted(glob.glob(os.path.join(folder, "*.xml"))):
        if os.path.basename(path).startswith("."):
            continue
        root = ET.parse(path).getroot()
        date = root.find(NS + "date")
        day = datetime.date.fromisoformat(date.text.strip())
        time = date.get("time") or "00:00"
        pain = root.find(NS + "pain")
        before = after = None
        if pain is not None:
            before = int(pain.get("before")) if pain.get("before") is not None else None
            after = int(pain.get("after")) if pain.get("after") is not None else None
        out.append((day, time, before, after))
    out.sort(key=lambda v: (v[0], v[1]))
    return out


def pages(dump):
    cur = None
    result = []
    for line in open(dump, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("page "):
            cur = []
            result.append(cur)
        elif cur is not None:
            cur.append(line.strip())
    return result


def nums(s):
    return [float(x) for x in re.findall(r"-?\d+\.\d+", s)]


def main():
    dump, folder = sys.argv[1], sys.argv[2]
    lang = sys.argv[3] if len(sys.argv) > 3 else "en"
    vs = visits(folder)
    pgs = pages(dump)
    first = pgs[0]

    # the scale: the grid path is the first light-grey stroke of page 1
    grid = next((l for l in first if l.startswith("path stroke=bbbbbb")), None)
    if not grid:
        fail("no grid lines on page 1")
    ys = sorted(set(round(v, 2) for v in nums(grid.split(" M ", 1)[1])[1::2]))
    if len(ys) != 6:
        fail("the grid has %d lines, not 6 (0, 2 .. 10)" % len(ys))
    y0, y10 = ys[0], ys[-1]
    step = (y10 - y0) / 5
    for k, y in enumerate(ys):
        if abs(y - (y0 + k * step)) > TOL:
            fail("grid line %d at %.2f, not evenly spaced" % (k, y))
    unit = (y10 - y0) / 10

    # markers: filled circles (before) start "path fill=222222 M", open
    # squares (after) are "R x y w h" in a "path fill=ffffff stroke=..."
    circles, squares = [], []
    for l in first:
        if l.startswith("path fill=222222 M"):
            for sub in l.split(" M ")[1:]:
                v = nums(sub)
                # M at (cx + r, cy), the first curve ends at (cx, cy - r)
                circles.append((v[6], v[1]))
        if l.startswith("path fill=ffffff stroke=222222") and " R " in l:
            for m in re.finditer(r"R (-?\d+\.\d+) (-?\d+\.\d+) (-?\d+\.\d+) (-?\d+\.\d+)", l):
                x, y, w, h = map(float, m.groups())
                squares.append((x + w / 2, y + h / 2))
    # the legend's markers sit below the axis
    circles = [c for c in circles if c[1] >= y0 - TOL]
    squares = [s for s in squares if s[1] >= y0 - TOL]
    want_b = [v for v in vs if v[2] is not None]
    want_a = [v for v in vs if v[3] is not None]
    if len(circles) != len(want_b):
        fail("%d 'before' markers for %d recorded scores" % (len(circles), len(want_b)))
    if len(squares) != len(want_a):
        fail("%d 'after' markers for %d recorded scores" % (len(squares), len(want_a)))
    circles.sort()
    squares.sort()

    def minute(v):
        return (v[0] - vs[0][0]).days * 1440 + int(v[1][:2]) * 60 + int(v[1][3:])

    xs = {}
    for (x, y), v in zip(circles, want_b):
        if abs(y - (y0 + v[2] * unit)) > TOL:
            fail("before %s: y %.2f, want %.2f (score %d)" % (v[0], y, y0 + v[2] * unit, v[2]))
        xs.setdefault(minute(v), x)
    for (x, y), v in zip(squares, want_a):
        if abs(y - (y0 + v[3] * unit)) > TOL:
            fail("after %s: y %.2f, want %.2f (score %d)" % (v[0], y, y0 + v[3] * unit, v[3]))
        if minute(v) in xs and abs(xs[minute(v)] - x) > TOL:
            fail("after %s: x %.2f, its before marker at %.2f" % (v[0], x, xs[minute(v)]))
        xs.setdefault(minute(v), x)
    if len(xs) >= 2:
        t0, t1 = min(xs), max(xs)
        x0, x1 = xs[t0], xs[t1]
        for t, x in xs.items():
            want = x0 + (x1 - x0) * (t - t0) / (t1 - t0)
            if abs(x - want) > 0.6:
                fail("a marker at x %.2f, want %.2f for its day" % (x, want))

    # the table: the first column's dates in order, the header on each page
    dates = []
    if lang == "es":
        months = "ene feb mar abr may jun jul ago sept oct nov dic".split()
        head, shape = "Fecha", r"^\d{1,2} [a-z]{3,4} \d{4}"
    else:
        months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
        head, shape = "Date", r"^[A-Z][a-z]{2} \d{1,2}, \d{4}"
    head_x = None
    table_pages = 0
    for pg in pgs:
        texts = [(nums(l)[:2], re.search(r'"(.*)"$', l).group(1)) for l in pg if l.startswith("text ")]
        heads = [t for t in texts if t[1] == head]
        rows = [t for t in texts if re.match(shape, t[1])]
        if heads:
            head_x = heads[0][0][0]
        if rows and head_x is not None:
            rows = [r for r in rows if abs(r[0][0] - head_x) < TOL]
        if rows:
            table_pages += 1
            if not heads:
                fail("a page of the table without its header row")
            if min(r[0][1] for r in rows) > heads[0][0][1] or max(r[0][1] for r in rows) > heads[0][0][1]:
                fail("a row above the header on a page")
            for r in sorted(rows, key=lambda r: -r[0][1]):
                dates.append(r[1])
    if lang == "es":
        want = ["%d %s %d" % (v[0].day, months[v[0].month - 1], v[0].year) for v in vs]
    else:
        want = ["%s %d, %d" % (months[v[0].month - 1], v[0].day, v[0].year) for v in vs]
    got = [re.match(shape, d).group(0) for d in dates]
    if got != want:
        fail("the table's dates %s, want %s" % (got[:8], want[:8]))
    if len(sys.argv) > 4:
        text = open(sys.argv[4], encoding="utf-8").read()
        for ch in " \t\n\r\f\v\u00a0\u00ad":
            text = text.replace(ch, "")
        text = text.replace("\u2013", "-")
        at = 0
        for v, d in zip(vs, want):
            b = "-" if v[2] is None else str(v[2])
            a = "-" if v[3] is None else str(v[3])
            cell = (d.replace(" ", "")) if v[2] is None and v[3] is None else None
            i = text.find(d.replace(" ", ""), at)
            if i < 0:
                fail("the text lacks the visit of %s after position %d" % (d, at))
            at = i
            if v[2] is not None or v[3] is not None:
                j = text.find(b + "\u2192" + a, at)
                if j < 0:
                    fail("the text lacks the scores %s→%s of %s" % (b, a, d))
        print("text: every visit's date and scores, in order")
    print("chart: %d before and %d after markers at their scores and days; "
          "table: %d rows in date order on %d page(s), each with its header"
          % (len(circles), len(squares), len(dates), table_pages))


if __name__ == "__main__":
    main()
