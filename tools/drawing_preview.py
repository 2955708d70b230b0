#!/usr/bin/env python3
"""Check the library's drawings and preview them as SVG (and PNG).

usage: drawing_preview.py FILE.xml [--out DIR] [--shade-regions a,b,c | --all-regions]
                          [--grey] [--accent #rrggbb] [--png] [--width W[,W...]]
                          [--contact] [--quiet]

FILE.xml is a drawings file (`<library xmlns="urn:handout:library:1">` holding
`<drawing>` elements; the format is described in xml/README.md, "Drawings").
The file is always checked first; every problem is printed as
`FILE:LINE: error: ...` (or `warning:`) and the exit status is 1 if there was
any error. Checked: unknown elements and attributes, colour names, numbers,
path data (the SVG subset M L H V C S Q A Z, in both cases), a text
alternative in every language of `languages` (en and es), duplicate ids, the
14 body regions (known codes, each once, closed, painted first, the label spot
inside the region, no two regions overlapping) and the segment budget
(`body-back` 110, every other drawing 60; a circle or ellipse counts 5, a
rounded rectangle 9, a rectangle 1, a line 2, an arc one per quarter turn).

With --out DIR, one SVG per drawing is written to DIR/ID.svg, the colour names
mapped to RGB as the program does (ink #222222, muted #8a8a8a, shade #e4e4e4,
paper #ffffff, accent #2a7f8f unless --accent says otherwise):
  --shade-regions a,b,c  tint those regions of body-back (accent at 35 % on
                         white) and number them 1, 2, 3 in that order, at the
                         centre of each region's bounding box, as the sheet does
  --all-regions          tint and number all 14 regions (in the list's order)
  --grey                 render in greyscale (what a black-and-white printer shows)
  --png                  also make DIR/ID.png with rsvg-convert (Debian
                         package librsvg2-bin), --width pixels wide (default
                         600); several widths give DIR/ID-W.png each
  --contact              also write DIR/contact.svg (and .png): all drawings on one sheet
Standard library only.
"""
import argparse
import math
import os
import re
import shutil
import subprocess
import sys
import xml.parsers.expat

NS = "urn:handout:library:1"
XML_NS = "http://www.w3.org/XML/1998/namespace"

REGIONS = ["neck", "shoulder-left", "shoulder-right", "upper-back", "mid-back",
           "lumbar-left", "lumbar-right", "sacrum", "glute-left", "glute-right",
           "hip-left", "hip-right", "hamstring-left", "hamstring-right"]
REGION_DRAWING = "body-back"
BUDGET = {"body-back": 110}
DEFAULT_BUDGET = 60

COLOURS = {"ink": "#222222", "muted": "#8a8a8a", "shade": "#e4e4e4",
           "paper": "#ffffff", "accent": "#2a7f8f"}
TINT = 0.35                 # a worked region: accent at 35 % on white
LABEL_SIZE = 12.0           # region numbers: font size in viewBox units (digits ~9 high)
LABEL_BOX = (7.0, 9.0)      # room wanted around a region's label spot (one digit)

PAINT = {"stroke", "fill", "stroke-width", "dash"}
SHAPES = {
    "path": {"d", "region"} | PAINT,
    "circle": {"cx", "cy", "r"} | PAINT,
    "ellipse": {"cx", "cy", "rx", "ry"} | PAINT,
    "rect": {"x", "y", "width", "height", "rx"} | PAINT,
    "line": {"x1", "y1", "x2", "y2"} | PAINT,
}
REQUIRED = {"path": ["d"], "circle": ["cx", "cy", "r"], "ellipse": ["cx", "cy", "rx", "ry"],
            "rect": ["x", "y", "width", "height"], "line": ["x1", "y1", "x2", "y2"]}
POSITIVE = {"r", "rx", "ry", "width", "height", "stroke-width", "dash"}

NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)\Z")
ARGS = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "S": 4, "Q": 4, "A": 7, "Z": 0}
PATH_TOKEN = re.compile(r"\s*(?:([MmLlHhVvCcSsQqAaZz])|([+-]?(?:\d+(?:\.\d*)?|\.\d+))|(,)|(\S))")


class Problems:
    def __init__(self, path):
        self.path = path
        self.errors = 0
        self.warnings = 0

    def error(self, line, msg):
        self.errors += 1
        sys.stdout.flush()
        print(f"{self.path}:{line}: error: {msg}", file=sys.stderr, flush=True)

    def warning(self, line, msg):
        self.warnings += 1
        sys.stdout.flush()
        print(f"{self.path}:{line}: warning: {msg}", file=sys.stderr, flush=True)


class Node:
    def __init__(self, name, attrs, line):
        self.name = name          # (namespace, local)
        self.attrs = attrs        # {(namespace, local): value}
        self.line = line
        self.children = []
        self.text = ""

    def get(self, local, ns=""):
        return self.attrs.get((ns, local))


def split_name(name):
    if " " in name:
        ns, local = name.split(" ", 1)
        return ns, local
    return "", name


def parse(path, problems):
    """Parses FILE into Nodes with line numbers (expat: no DTD, no entities)."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack = []
    root = []

    def start(name, attrs):
        node = Node(split_name(name), {split_name(k): v for k, v in attrs.items()},
                    parser.CurrentLineNumber)
        if stack:
            stack[-1].children.append(node)
        else:
            root.append(node)
        stack.append(node)

    def end(name):
        stack.pop()

    def chars(data):
        if stack:
            stack[-1].text += data

    def doctype(*args):
        problems.error(parser.CurrentLineNumber, "a DOCTYPE is not allowed")

    def entity(*args):
        problems.error(parser.CurrentLineNumber, "entity declarations are not allowed")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    try:
        with open(path, "rb") as f:
            parser.ParseFile(f)
    except xml.parsers.expat.ExpatError as e:
        problems.error(e.lineno, f"not well-formed XML: {xml.parsers.expat.ErrorString(e.code)}")
        return None
    except OSError as e:
        print(f"{path}: error: {e.strerror}", file=sys.stderr)
        problems.errors += 1
        return None
    return root[0] if root else None


# ---------------------------------------------------------------- path data

def parse_path(d):
    """Returns a list of (command, [numbers]) with implicit repeats made
    explicit (a repeated M becomes L), or raises ValueError."""
    pos = 0
    tokens = []
    prev = None            # 'num', 'sep', 'cmd'
    while pos < len(d):
        m = PATH_TOKEN.match(d, pos)
        if not m or m.end() == pos:
            break
        had_space = m.start(1 if m.group(1) else 2 if m.group(2) else 3 if m.group(3) else 4) > pos
        if m.group(4):
            raise ValueError(f"unexpected '{m.group(4)}' in path data at character {m.start(4) + 1}"
                             + (" (exponents are not allowed)" if m.group(4) in "eE" else ""))
        if m.group(1):
            tokens.append(("cmd", m.group(1)))
            prev = "cmd"
        elif m.group(3):
            if prev != "num":
                raise ValueError(f"misplaced comma at character {m.start(3) + 1}")
            prev = "sep"
        else:
            if prev == "num" and not had_space:
                raise ValueError(f"numbers must be separated by a space or a comma "
                                 f"(at character {m.start(2) + 1}: '{m.group(2)}')")
            tokens.append(("num", m.group(2)))
            prev = "num"
        pos = m.end()
    if prev == "sep":
        raise ValueError("path data ends with a comma")
    out = []
    i = 0
    if not tokens:
        raise ValueError("empty path data")
    if tokens[0] != ("cmd", "M") and tokens[0] != ("cmd", "m"):
        raise ValueError("path data must start with M or m")
    while i < len(tokens):
        kind, val = tokens[i]
        if kind != "cmd":
            raise ValueError(f"number {val} without a command")
        i += 1
        n = ARGS[val.upper()]
        nums = []
        while i < len(tokens) and tokens[i][0] == "num":
            nums.append(float(tokens[i][1]))
            i += 1
        if n == 0:
            if nums:
                raise ValueError(f"{val} takes no numbers")
            out.append((val, []))
            continue
        if not nums or len(nums) % n:
            raise ValueError(f"{val} needs groups of {n} number{'s' if n > 1 else ''}, got {len(nums)}")
        for k in range(0, len(nums), n):
            cmd = val
            if k and val in "Mm":
                cmd = "L" if val == "M" else "l"
            args = nums[k:k + n]
            if cmd in "Aa":
                if args[0] < 0 or args[1] < 0:
                    raise ValueError("arc radii must not be negative")
                if args[3] not in (0, 1) or args[4] not in (0, 1):
                    raise ValueError("arc flags must be 0 or 1")
            out.append((cmd, args))
    return out


def arc_to_centre(x1, y1, rx, ry, phi, fa, fs, x2, y2):
    """SVG implementation notes F.6.5: returns (cx, cy, rx, ry, phi, t1, dt) or None."""
    if rx == 0 or ry == 0 or (x1 == x2 and y1 == y2):
        return None
    cp, sp = math.cos(phi), math.sin(phi)
    dx, dy = (x1 - x2) / 2, (y1 - y2) / 2
    x1p = cp * dx + sp * dy
    y1p = -sp * dx + cp * dy
    lam = (x1p / rx) ** 2 + (y1p / ry) ** 2
    if lam > 1:
        s = math.sqrt(lam)
        rx, ry = rx * s, ry * s
    num = rx * rx * ry * ry - rx * rx * y1p * y1p - ry * ry * x1p * x1p
    den = rx * rx * y1p * y1p + ry * ry * x1p * x1p
    co = math.sqrt(max(0.0, num / den)) if den else 0.0
    if fa == fs:
        co = -co
    cxp, cyp = co * rx * y1p / ry, -co * ry * x1p / rx
    cx = cp * cxp - sp * cyp + (x1 + x2) / 2
    cy = sp * cxp + cp * cyp + (y1 + y2) / 2

    def ang(ux, uy, vx, vy):
        a = math.atan2(ux * vy - uy * vx, ux * vx + uy * vy)
        return a
    t1 = ang(1, 0, (x1p - cxp) / rx, (y1p - cyp) / ry)
    dt = ang((x1p - cxp) / rx, (y1p - cyp) / ry, (-x1p - cxp) / rx, (-y1p - cyp) / ry)
    if not fs and dt > 0:
        dt -= 2 * math.pi
    elif fs and dt < 0:
        dt += 2 * math.pi
    return cx, cy, rx, ry, phi, t1, dt


def walk_path(cmds, steps=16):
    """Flattens path commands. Returns (subpaths, control_points, segments,
    closed) where subpaths are lists of points, control_points every point
    the data names (end and control points), segments the count of drawing
    operations (an arc counts one per started quarter turn) and closed whether
    every subpath ends with Z."""
    subs, ctrl = [], []
    cur = None
    x = y = sx = sy = 0.0
    last_c = last_q = None       # reflected control points for S and T-like Q
    segs = 0
    closed = True
    open_sub = False

    def cubic(p0, p1, p2, p3):
        pts = []
        for i in range(1, steps + 1):
            t = i / steps
            u = 1 - t
            pts.append((u * u * u * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t * t * t * p3[0],
                        u * u * u * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t * t * t * p3[1]))
        return pts

    for cmd, a in cmds:
        rel = cmd.islower()
        C = cmd.upper()
        ox, oy = (x, y) if rel else (0.0, 0.0)
        if C == "M":
            if open_sub:
                closed = False
            x, y = a[0] + ox, a[1] + oy
            sx, sy = x, y
            cur = [(x, y)]
            subs.append(cur)
            ctrl.append((x, y))
            open_sub = True
            last_c = last_q = None
            segs += 1
            continue
        if C == "Z":
            x, y = sx, sy
            cur.append((x, y))
            open_sub = False
            last_c = last_q = None
            segs += 1
            continue
        if not open_sub:             # drawing after Z starts at the subpath's start
            cur = [(x, y)]
            subs.append(cur)
            open_sub = True
        segs += 1
        if C == "L":
            x, y = a[0] + ox, a[1] + oy
            cur.append((x, y))
            ctrl.append((x, y))
            last_c = last_q = None
        elif C == "H":
            x = a[0] + ox
            cur.append((x, y))
            ctrl.append((x, y))
            last_c = last_q = None
        elif C == "V":
            y = a[0] + oy
            cur.append((x, y))
            ctrl.append((x, y))
            last_c = last_q = None
        elif C in "CS":
            if C == "C":
                p1 = (a[0] + ox, a[1] + oy)
                p2 = (a[2] + ox, a[3] + oy)
                p3 = (a[4] + ox, a[5] + oy)
            else:
                p1 = (2 * x - last_c[0], 2 * y - last_c[1]) if last_c else (x, y)
                p2 = (a[0] + ox, a[1] + oy)
                p3 = (a[2] + ox, a[3] + oy)
            cur.extend(cubic((x, y), p1, p2, p3))
            ctrl.extend([p1, p2, p3])
            last_c, last_q = p2, None
            x, y = p3
        elif C == "Q":
            q = (a[0] + ox, a[1] + oy)
            p3 = (a[2] + ox, a[3] + oy)
            p1 = (x + 2 / 3 * (q[0] - x), y + 2 / 3 * (q[1] - y))
            p2 = (p3[0] + 2 / 3 * (q[0] - p3[0]), p3[1] + 2 / 3 * (q[1] - p3[1]))
            cur.extend(cubic((x, y), p1, p2, p3))
            ctrl.extend([q, p3])
            last_c, last_q = None, q
            x, y = p3
        elif C == "A":
            x2, y2 = a[5] + ox, a[6] + oy
            c = arc_to_centre(x, y, abs(a[0]), abs(a[1]), math.radians(a[2]), int(a[3]), int(a[4]), x2, y2)
            if c is None:
                cur.append((x2, y2))
            else:
                cx, cy, rx, ry, phi, t1, dt = c
                n = max(1, math.ceil(abs(dt) / (math.pi / 2) - 1e-9))
                segs += n - 1
                for i in range(1, steps * n + 1):
                    t = t1 + dt * i / (steps * n)
                    ex, ey = rx * math.cos(t), ry * math.sin(t)
                    cur.append((cx + ex * math.cos(phi) - ey * math.sin(phi),
                                cy + ex * math.sin(phi) + ey * math.cos(phi)))
                    ctrl.append(cur[-1])
            x, y = x2, y2
            last_c = last_q = None
    if open_sub:
        closed = False
    return subs, ctrl, segs, closed


def winding(pt, polys):
    """Nonzero winding number of pt over closed polygons."""
    px, py = pt
    w = 0
    for poly in polys:
        n = len(poly)
        for i in range(n):
            (x0, y0), (x1, y1) = poly[i], poly[(i + 1) % n]
            if y0 <= py < y1 or y1 <= py < y0:
                xi = x0 + (py - y0) * (x1 - x0) / (y1 - y0)
                if xi > px:
                    w += 1 if y1 > y0 else -1
    return w


def bbox(points):
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


# ---------------------------------------------------------------- checking

class Shape:
    def __init__(self, node):
        self.node = node
        self.kind = node.name[1]
        self.attrs = {k[1]: v for k, v in node.attrs.items()}
        self.region = self.attrs.get("region")
        self.segments = 0
        self.polys = []         # flattened subpaths (regions)
        self.ctrl = []


class Drawing:
    def __init__(self, node):
        self.node = node
        self.id = node.get("id")
        self.viewbox = None
        self.alts = {}
        self.shapes = []
        self.segments = 0


def check_number(problems, line, name, value, positive=False):
    if value is None:
        return None
    if not NUMBER.match(value.strip()):
        problems.error(line, f"{name}=\"{value}\" is not a number (plain decimals only, no exponent)")
        return None
    v = float(value)
    if positive and v <= 0:
        problems.error(line, f"{name}=\"{value}\" must be greater than 0")
        return None
    if "." in value and len(value.strip().split(".")[1]) > 1:
        problems.warning(line, f"{name}=\"{value}\": keep coordinates to one decimal")
    return v


def check_shape(problems, drawing, node):
    s = Shape(node)
    line = node.line
    allowed = SHAPES[s.kind]
    for (ns, local), value in node.attrs.items():
        if ns or local not in allowed:
            name = f"{{{ns}}}{local}" if ns else local
            problems.error(line, f"<{s.kind}> has no attribute '{name}'")
    if node.children or node.text.strip():
        problems.error(line, f"<{s.kind}> must be empty")
    for req in REQUIRED[s.kind]:
        if req not in s.attrs:
            problems.error(line, f"<{s.kind}> needs a '{req}' attribute")
    for key in ("stroke", "fill"):
        v = s.attrs.get(key)
        if v is not None and v not in COLOURS and v != "none":
            problems.error(line, f"{key}=\"{v}\" is not a colour name "
                                 f"(use one of {', '.join(list(COLOURS) + ['none'])})")
    nums = {}
    for key, v in s.attrs.items():
        if key in ("d", "region", "stroke", "fill"):
            continue
        nums[key] = check_number(problems, line, key, v, key in POSITIVE)
    s.nums = nums
    if s.kind == "path" and "d" in s.attrs:
        try:
            cmds = parse_path(s.attrs["d"])
        except ValueError as e:
            problems.error(line, f"bad path data: {e}")
            cmds = None
        if cmds:
            for cmd, args in cmds:
                for v in args:
                    if abs(v - round(v, 1)) > 1e-9:
                        problems.warning(line, f"path data: keep coordinates to one decimal ({v:g})")
                        break
            s.polys, s.ctrl, s.segments, closed = walk_path(cmds)
            if s.region is not None and not closed:
                problems.error(line, f"region '{s.region}' must be a closed shape (end it with Z)")
    elif s.kind in ("circle", "ellipse"):
        s.segments = 5
    elif s.kind == "rect":
        s.segments = 9 if nums.get("rx") else 1
    elif s.kind == "line":
        s.segments = 2
    if s.region is None and s.attrs.get("stroke", "none") == "none" and s.attrs.get("fill", "none") == "none":
        problems.warning(line, f"<{s.kind}> has neither stroke nor fill: it draws nothing")
    if s.region is not None:
        if drawing.id != REGION_DRAWING:
            problems.error(line, f"region=\"{s.region}\": only the drawing '{REGION_DRAWING}' has regions")
        elif s.region not in REGIONS:
            problems.error(line, f"unknown region '{s.region}' (the regions are: {', '.join(REGIONS)})")
        paint = [k for k in ("stroke", "fill", "stroke-width", "dash") if k in s.attrs]
        if paint:
            problems.error(line, f"region '{s.region}' must not have {', '.join(paint)}: "
                                 "the program paints regions itself")
    return s


def check_regions(problems, d):
    regions = [s for s in d.shapes if s.region is not None]
    seen = {}
    painted = False
    for s in d.shapes:
        if s.region is None:
            painted = True
        elif painted:
            problems.error(s.node.line, f"region '{s.region}' comes after a painted shape: "
                                        "put every region first, the outline on top")
    for s in regions:
        if s.region in seen:
            problems.error(s.node.line, f"region '{s.region}' is already drawn on line {seen[s.region]}")
        else:
            seen[s.region] = s.node.line
    if d.id == REGION_DRAWING:
        missing = [r for r in REGIONS if r not in seen]
        if missing:
            problems.error(d.node.line, f"drawing '{d.id}' has no region for: {', '.join(missing)}")
    if d.id != REGION_DRAWING:
        return
    good = [s for s in regions if s.polys and s.region in REGIONS]
    for s in good:
        pts = [p for poly in s.polys for p in poly]
        x0, y0, x1, y1 = bbox(pts)
        s.bbox = (x0, y0, x1, y1)
        s.centre = ((x0 + x1) / 2, (y0 + y1) / 2)
        c0 = bbox(s.ctrl)
        cc = ((c0[0] + c0[2]) / 2, (c0[1] + c0[3]) / 2)
        if not winding(s.centre, s.polys):
            problems.error(s.node.line, f"region '{s.region}': the centre of its bounding box "
                                        f"({s.centre[0]:.1f}, {s.centre[1]:.1f}) is outside it, "
                                        "where the program prints its number")
            continue
        if math.hypot(cc[0] - s.centre[0], cc[1] - s.centre[1]) > 1.0:
            problems.warning(s.node.line, f"region '{s.region}': the bounding box of its points and control "
                                          f"points is centred at ({cc[0]:.1f}, {cc[1]:.1f}), the shape's at "
                                          f"({s.centre[0]:.1f}, {s.centre[1]:.1f}); keep control points "
                                          "within the shape's extent")
        w, h = LABEL_BOX
        cx, cy = s.centre
        box = [(cx + w / 2 * i / 2, cy + h / 2 * j / 2) for i in range(-2, 3) for j in range(-2, 3)]
        if not all(winding(p, s.polys) for p in box):
            problems.warning(s.node.line, f"region '{s.region}': no room for a {w:g} x {h:g} number "
                                          f"around ({cx:.1f}, {cy:.1f})")
    # overlaps: sample a fine grid over each pair's common bounding box
    step = 0.5
    for i, a in enumerate(good):
        for b in good[i + 1:]:
            if not (hasattr(a, "bbox") and hasattr(b, "bbox")):
                continue
            x0, y0 = max(a.bbox[0], b.bbox[0]), max(a.bbox[1], b.bbox[1])
            x1, y1 = min(a.bbox[2], b.bbox[2]), min(a.bbox[3], b.bbox[3])
            if x0 >= x1 or y0 >= y1:
                continue
            n = 0
            y = math.floor(y0 / step) * step + step / 2
            while y < y1:
                x = math.floor(x0 / step) * step + step / 2
                while x < x1:
                    if winding((x, y), a.polys) and winding((x, y), b.polys):
                        n += 1
                    x += step
                y += step
            area = n * step * step
            if area > 1.0:
                problems.error(b.node.line, f"regions '{a.region}' and '{b.region}' overlap "
                                            f"(about {area:.0f} square units)")


def check(path, problems):
    root = parse(path, problems)
    if root is None:
        return None, []
    if root.name != (NS, "library"):
        problems.error(root.line, f"the root element must be <library xmlns=\"{NS}\">")
        return root, []
    langs = (root.get("languages") or "").split()
    for (ns, local) in root.attrs:
        if ns or local not in ("version", "languages"):
            problems.error(root.line, f"<library> has no attribute '{local}'")
    if root.get("version") != "1":
        problems.error(root.line, "<library> needs version=\"1\"")
    if not langs:
        problems.error(root.line, "<library> needs languages=\"en es\"")
    for lang in ("en", "es"):
        if langs and lang not in langs:
            problems.error(root.line, f"languages=\"{' '.join(langs)}\" must include {lang}")
    if root.text.strip():
        problems.error(root.line, "text directly inside <library>")
    drawings = []
    ids = {}
    for node in root.children:
        if node.name != (NS, "drawing"):
            problems.error(node.line, f"unknown element <{node.name[1]}> (a drawings file holds <drawing>s)")
            continue
        d = Drawing(node)
        for (ns, local) in node.attrs:
            if ns or local not in ("id", "viewBox"):
                problems.error(node.line, f"<drawing> has no attribute '{local}'")
        if not d.id:
            problems.error(node.line, "<drawing> needs an id")
        elif not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", d.id):
            problems.error(node.line, f"id \"{d.id}\": use lower-case letters, digits and hyphens")
        elif d.id in ids:
            problems.error(node.line, f"duplicate id '{d.id}' (first on line {ids[d.id]})")
        else:
            ids[d.id] = node.line
        vb = node.get("viewBox")
        if vb is None:
            problems.error(node.line, "<drawing> needs a viewBox=\"0 0 WIDTH HEIGHT\"")
        else:
            parts = vb.replace(",", " ").split()
            if len(parts) != 4 or not all(NUMBER.match(p) for p in parts) \
                    or float(parts[2]) <= 0 or float(parts[3]) <= 0:
                problems.error(node.line, f"viewBox=\"{vb}\" must be four numbers: x y width height "
                                          "(width and height above 0)")
            else:
                d.viewbox = [float(p) for p in parts]
        if node.text.strip():
            problems.error(node.line, "text directly inside <drawing>")
        for child in node.children:
            ns, local = child.name
            if ns == NS and local == "alt":
                lang = child.get("lang", XML_NS)
                for (ans, alocal) in child.attrs:
                    if (ans, alocal) != (XML_NS, "lang"):
                        problems.error(child.line, f"<alt> has no attribute '{alocal}'")
                if child.children:
                    problems.error(child.line, "<alt> holds plain text only")
                if lang is None:
                    problems.error(child.line, "<alt> needs xml:lang")
                elif langs and lang not in langs:
                    problems.error(child.line, f"<alt xml:lang=\"{lang}\">: {lang} is not one of the "
                                               f"file's languages ({' '.join(langs)})")
                elif lang in d.alts:
                    problems.error(child.line, f"a second <alt xml:lang=\"{lang}\">")
                else:
                    text = " ".join(child.text.split())
                    if not text:
                        problems.error(child.line, f"<alt xml:lang=\"{lang}\"> is empty")
                    d.alts[lang] = text
            elif ns == NS and local in SHAPES:
                s = check_shape(problems, d, child)
                d.shapes.append(s)
                d.segments += s.segments
            else:
                problems.error(child.line, f"unknown element <{local}> in a drawing (allowed: alt, "
                                           + ", ".join(SHAPES) + ")")
        for lang in langs:
            if lang not in d.alts:
                problems.error(node.line, f"drawing '{d.id}' has no <alt xml:lang=\"{lang}\">")
        if d.id == REGION_DRAWING or any(s.region is not None for s in d.shapes):
            check_regions(problems, d)
        budget = BUDGET.get(d.id, DEFAULT_BUDGET)
        if d.segments > budget:
            problems.error(node.line, f"drawing '{d.id}' has {d.segments} path segments; "
                                      f"the budget is {budget}")
        drawings.append(d)
    return root, drawings


# ---------------------------------------------------------------- rendering

def hex_rgb(h):
    return tuple(int(h[i:i + 2], 16) for i in (1, 3, 5))


def rgb_hex(rgb):
    return "#%02x%02x%02x" % tuple(max(0, min(255, round(c))) for c in rgb)


def grey(h):
    r, g, b = hex_rgb(h)
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return rgb_hex((y, y, y))


class Palette:
    def __init__(self, accent, greyscale):
        self.map = dict(COLOURS, accent=accent)
        ar = hex_rgb(accent)
        self.map["tint"] = rgb_hex(tuple(255 - TINT * (255 - c) for c in ar))
        if greyscale:
            self.map = {k: grey(v) for k, v in self.map.items()}

    def __call__(self, name):
        return "none" if name in (None, "none") else self.map[name]


def fmt(v):
    return ("%.2f" % v).rstrip("0").rstrip(".")


def svg_shape(s, pal):
    a = s.attrs
    paint = (f' stroke="{pal(a.get("stroke"))}" fill="{pal(a.get("fill"))}"'
             f' stroke-width="{a.get("stroke-width", "1")}"'
             ' stroke-linecap="round" stroke-linejoin="round"')
    if "dash" in a:
        paint += f' stroke-dasharray="{a["dash"]} {a["dash"]}"'
    if s.kind == "path":
        return f'<path d="{a["d"]}"{paint}/>'
    if s.kind == "circle":
        return f'<circle cx="{a["cx"]}" cy="{a["cy"]}" r="{a["r"]}"{paint}/>'
    if s.kind == "ellipse":
        return f'<ellipse cx="{a["cx"]}" cy="{a["cy"]}" rx="{a["rx"]}" ry="{a["ry"]}"{paint}/>'
    if s.kind == "rect":
        rx = f' rx="{a["rx"]}"' if "rx" in a else ""
        return (f'<rect x="{a["x"]}" y="{a["y"]}" width="{a["width"]}" height="{a["height"]}"'
                f'{rx}{paint}/>')
    return f'<line x1="{a["x1"]}" y1="{a["y1"]}" x2="{a["x2"]}" y2="{a["y2"]}"{paint}/>'


def svg_body(d, pal, shaded):
    """The drawing's elements as SVG, regions tinted and numbered when shaded."""
    out = []
    labels = []
    for s in d.shapes:
        if s.region is not None:
            if s.region in shaded:
                out.append(f'<path d="{s.attrs["d"]}" fill="{pal("tint")}" stroke="none"/>')
                if hasattr(s, "centre"):
                    labels.append((shaded.index(s.region) + 1, s.centre))
            continue
        out.append(svg_shape(s, pal))
    for n, (x, y) in labels:
        out.append(f'<text x="{fmt(x)}" y="{fmt(y + 0.36 * LABEL_SIZE)}" font-family="DejaVu Sans, sans-serif" '
                   f'font-weight="bold" font-size="{fmt(LABEL_SIZE)}" text-anchor="middle" '
                   f'fill="{pal("ink")}">{n}</text>')
    return out


def svg_document(d, pal, shaded):
    x, y, w, h = d.viewbox
    lines = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{fmt(x)} {fmt(y)} {fmt(w)} {fmt(h)}" '
             f'width="{fmt(w)}" height="{fmt(h)}">',
             f'<title>{escape(d.alts.get("en", d.id))}</title>',
             f'<rect x="{fmt(x)}" y="{fmt(y)}" width="{fmt(w)}" height="{fmt(h)}" fill="#ffffff"/>']
    lines += svg_body(d, pal, shaded)
    lines.append("</svg>")
    return "\n".join(lines) + "\n"


def svg_contact(drawings, pal, shaded):
    """All drawings on one sheet: body-back on the left as tall as the column
    of the others on the right, each with its id underneath."""
    cell_w, pad, cap = 360.0, 16.0, 18.0
    body = [d for d in drawings if d.id == REGION_DRAWING]
    rest = [d for d in drawings if d.id != REGION_DRAWING]
    col_h = sum(d.viewbox[3] * cell_w / d.viewbox[2] + cap for d in rest) + pad * max(0, len(rest) - 1)
    out = []

    def place(d, x, y, scale, regions):
        vx, vy, vw, vh = d.viewbox
        out.append(f'<g transform="translate({fmt(x)} {fmt(y)}) scale({fmt(scale)}) '
                   f'translate({fmt(-vx)} {fmt(-vy)})">')
        out.extend(svg_body(d, pal, regions))
        out.append("</g>")
        out.append(f'<text x="{fmt(x + vw * scale / 2)}" y="{fmt(y + vh * scale + 13)}" '
                   f'font-family="DejaVu Sans, sans-serif" font-size="11" text-anchor="middle" '
                   f'fill="#555555">{escape(d.id)}</text>')
        return vh * scale + cap

    x = pad
    height = col_h
    if body:
        d = body[0]
        scale = (max(col_h, 300.0) - cap) / d.viewbox[3]
        height = max(height, place(d, x, pad, scale, shaded))
        x += d.viewbox[2] * scale + 2 * pad
    y = pad
    for d in rest:
        y += place(d, x, y, cell_w / d.viewbox[2], []) + pad
    width = x + (cell_w if rest else 0) + pad
    height += 2 * pad
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {fmt(width)} {fmt(height)}" '
            f'width="{fmt(width)}" height="{fmt(height)}">\n'
            f'<rect width="{fmt(width)}" height="{fmt(height)}" fill="#ffffff"/>\n'
            + "\n".join(out) + "\n</svg>\n")


def escape(t):
    return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_png(svg, png, width, problems):
    tool = shutil.which("rsvg-convert")
    if not tool:
        print("error: --png needs rsvg-convert (Debian: apt-get install librsvg2-bin)", file=sys.stderr)
        problems.errors += 1
        return
    r = subprocess.run([tool, "-w", str(width), "-o", png, svg], capture_output=True, text=True)
    if r.returncode:
        print(f"{svg}: error: rsvg-convert failed: {r.stderr.strip()}", file=sys.stderr)
        problems.errors += 1


def main(argv=None):
    ap = argparse.ArgumentParser(description="Check the drawings and write SVG/PNG previews.")
    ap.add_argument("file", help="a drawings XML file")
    ap.add_argument("--out", help="folder for the previews (nothing is written without it)")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--shade-regions", default="", metavar="A,B,C",
                   help="regions of body-back to tint and number, in this order")
    g.add_argument("--all-regions", action="store_true", help="tint and number all 14 regions")
    ap.add_argument("--grey", action="store_true", help="render in greyscale")
    ap.add_argument("--accent", default=COLOURS["accent"], metavar="#RRGGBB",
                    help="the clinic's colour (default %(default)s)")
    ap.add_argument("--png", action="store_true", help="also make PNGs with rsvg-convert")
    ap.add_argument("--width", default="600", metavar="W[,W...]", help="PNG width(s) in pixels")
    ap.add_argument("--contact", action="store_true", help="also write contact.svg: every drawing on one sheet")
    ap.add_argument("-q", "--quiet", action="store_true", help="print problems only")
    args = ap.parse_args(argv)

    if not re.fullmatch(r"#[0-9a-fA-F]{6}", args.accent):
        ap.error(f"--accent {args.accent}: use #rrggbb")
    try:
        widths = [int(w) for w in args.width.split(",")]
        if not widths or min(widths) <= 0:
            raise ValueError
    except ValueError:
        ap.error(f"--width {args.width}: use positive whole numbers, separated by commas")
    if (args.png or args.contact) and not args.out:
        ap.error("--png and --contact need --out DIR")
    shaded = REGIONS[:] if args.all_regions else [r for r in args.shade_regions.split(",") if r]
    for r in shaded:
        if r not in REGIONS:
            ap.error(f"--shade-regions: unknown region '{r}' (the regions are: {', '.join(REGIONS)})")

    problems = Problems(args.file)
    root, drawings = check(args.file, problems)
    if not args.quiet:
        for d in drawings:
            budget = BUDGET.get(d.id, DEFAULT_BUDGET)
            regions = sum(1 for s in d.shapes if s.region is not None)
            extra = f", {regions} region{'s' if regions != 1 else ''}" if regions else ""
            print(f"{d.id}: {d.segments} segments (budget {budget}){extra}")
    if args.out and drawings:
        pal = Palette(args.accent.lower(), args.grey)
        os.makedirs(args.out, exist_ok=True)
        made = []
        for d in drawings:
            if not d.id or d.viewbox is None:
                continue
            svg = os.path.join(args.out, d.id + ".svg")
            with open(svg, "w", encoding="utf-8") as f:
                f.write(svg_document(d, pal, shaded if d.id == REGION_DRAWING else []))
            made.append((d.id, svg))
        if args.contact:
            svg = os.path.join(args.out, "contact.svg")
            with open(svg, "w", encoding="utf-8") as f:
                f.write(svg_contact([d for d in drawings if d.viewbox], pal, shaded))
            made.append(("contact", svg))
        if args.png:
            for name, svg in made:
                for w in widths:
                    suffix = f"-{w}" if len(widths) > 1 else ""
                    to_png(svg, os.path.join(args.out, name + suffix + ".png"), w, problems)
        if not args.quiet:
            print(f"wrote {len(made)} SVG file{'s' if len(made) != 1 else ''} to {args.out}"
                  + (" (and PNGs)" if args.png else ""))
    if problems.errors:
        print(f"{args.file}: {problems.errors} error{'s' if problems.errors != 1 else ''}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
