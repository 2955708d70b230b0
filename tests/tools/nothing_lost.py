#!/usr/bin/env python3
"""Nothing lost: every word a document must show, in order.

An oracle written apart from the C code: it reads the session record, the
template and the content library with Python's own XML parser, builds the
ordered sequence of words the template selects (for a sheet: title, date,
therapist, pressure, techniques, areas, notes, tips with their doses,
exercise steps and safety notes, every warning sign, the next visit, the
disclaimer; for a brochure and a guide also the cover, the contact panel and
the library's chapters, flow after flow in the order of their frames), and
checks that this sequence occurs, in order, in the text pdftotext extracted.

Words are compared whole (split on white space, the no-break space included):
"a" must be the word "a", not a letter inside another word. The page's own
furniture (header, footer, list numbers, the dashes between a title and its
summary) may come in between: the expected words must be a subsequence of
the extracted ones, which also checks reading order.

Hyphenation: a word broken at the end of a line is joined again before the
words are compared, by the character the line ends with (the PDF draws each
distinctly, see README "Hyphenation"):
  - U+00AD SOFT HYPHEN: the layout broke the word ("mus\u00ad" + "cles"):
    joined without it, "muscles";
  - U+2010 HYPHEN: the word broke after its own hyphen ("self\u2010" +
    "care"): joined with a hyphen, "self-care";
  - anything else, U+002D included: not joined (pdftotext itself joins a
    line ending in U+002D and drops the hyphen, which is why the layout
    never ends a line inside a word with it).
Typography (README "Typography"): the PDF has curly quotes and apostrophes,
en dashes in ranges and no-break spaces where the XML has ASCII; both sides
are folded back to ASCII before comparing (' for U+2018 and U+2019, " for
U+201C, U+201D, U+00AB and U+00BB, - for U+2013 and U+2010), and soft
hyphens written in the content are dropped. That the right characters are
printed is the unit tests' job (test_merge); this checks that no word is lost.

usage: nothing_lost.py [--lang L] SESSION.xml|- TEXT.txt DATA_DIR [TEMPLATE.xml]
(- for a document without a session: a brochure for anyone, in --lang.)
Exit status 0 when every word is there; 1 with the first missing word and
its context; 2 when an input cannot be read (never a silent pass).
"""
import glob
import os
import sys
import xml.etree.ElementTree as ET

NS = {
    "s": "urn:handout:session:1",
    "t": "urn:handout:template:2",
    "l": "urn:handout:library:1",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def die(msg):
    print(f"nothing_lost: {msg}", file=sys.stderr)
    sys.exit(2)


def parse(path):
    try:
        return ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        die(f"{path}: {e}")


SOFT_HYPHEN = "\u00ad"
HYPHEN = "\u2010"
FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                      "\u00ab": '"', "\u00bb": '"', "\u2013": "-", HYPHEN: "-",
                      SOFT_HYPHEN: None, "\u00a0": " "})


def join_lines(text):
    """Joins each line that ends inside a word (U+00AD, U+2010) to the next."""
    out, held = [], ""
    for line in text.split("\n"):
        body = line.rstrip()
        if held:
            line = line.lstrip()
        if body.endswith(SOFT_HYPHEN):
            held += body[:-1].lstrip() if held else body[:-1]
            continue
        if body.endswith(HYPHEN):
            held += (body[:-1].lstrip() if held else body[:-1]) + "-"
            continue
        out.append(held + line)
        held = ""
    if held:
        out.append(held)
    return "\n".join(out)


def words(text):
    return text.translate(FOLD).split()


def text_of(elem):
    return " ".join(words("".join(elem.itertext()))) if elem is not None else ""


class Library:
    def __init__(self, data_dir):
        self.entries = {}
        self.order = []
        files = sorted(glob.glob(os.path.join(data_dir, "library", "*.xml")))
        if not files:
            die(f"no library files in {data_dir}/library")
        for path in files:
            root = parse(path)
            for pos, e in enumerate(root.findall("l:entry", NS)):
                self.entries[e.get("id")] = (e, path, pos)
                self.order.append(e.get("id"))

    def text(self, entry_id, lang):
        if entry_id not in self.entries:
            die(f"library has no entry '{entry_id}'")
        e = self.entries[entry_id][0]
        texts = e.findall("l:text", NS)
        for t in texts:
            if t.get(XML_LANG) == lang:
                return t
        return texts[0]


def labels(template, lang):
    out = {}
    for lab in template.findall("t:labels", NS):
        if lab.get(XML_LANG) in ("en", lang):
            for item in lab.findall("t:label", NS):
                if lab.get(XML_LANG) == lang or item.get("key") not in out:
                    out[item.get("key")] = " ".join(words(item.text or ""))
    return out


def fill(fmt, **kv):
    for k, v in kv.items():
        fmt = fmt.replace("{" + k + "}", str(v))
    return fmt


def date(lab, value):
    y, m, d = int(value[0:4]), int(value[5:7]), int(value[8:10])
    month = lab["months"].split("|")[m - 1]
    s = fill(lab["date-format"], month=month, day=d, year=y)
    if len(value) > 10:
        t = fill(lab["time-format"], hour=int(value[11:13]), minute=value[14:16])
        s = fill(lab["date-time"], date=s, time=t)
    return s


def expected(session_path, data_dir, template_path, lang_opt=None):
    """The ordered words of the document, flow after flow in the order its
    frames first appear on the pages (a brochure: inside flap, back panel,
    cover, then the inside panels)."""
    s = parse(session_path) if session_path else None
    t = parse(template_path)
    lib = Library(data_dir)
    lang = lang_opt or "en"
    if s is not None:
        lang = (s.findtext("s:language", "en", NS) or "en").strip()
    lab = labels(t, lang)
    kind = t.get("kind")
    flows = {}

    def session_text(path):
        return text_of(s.find(path, NS)) if s is not None else ""

    def entry_words(tx, detail, out, dose=None, personal=False):
        title = text_of(tx.find("l:title", NS))
        summary = text_of(tx.find("l:summary", NS))
        if detail == "titles":
            out.extend(words(title))
            return
        if detail == "summary":
            out.extend(words(title) + words(summary))
            if personal and dose:
                out.extend(words(lab["your-dose"] + ": " + dose))
            return
        out.extend(words(title) + words(summary))
        if dose:
            out.extend(words(lab["dose"] + ": " + dose))
        for section in tx.findall("l:section", NS):
            role = section.get("role")
            if role != "body":
                out.extend(words(lab["role." + role]))
            for block in section:
                items = list(block) if not block.tag.endswith("}p") else [block]
                for item in items:
                    out.extend(words(text_of(item)))

    def exercise_extras(tx, out):
        for sec in ("steps", "safety"):
            for section in tx.findall("l:section", NS):
                if section.get("role") == sec:
                    for block in section:
                        items = list(block) if not block.tag.endswith("}p") else [block]
                        for item in items:
                            out.extend(words(text_of(item)))

    parts = list(t.find("t:parts", NS))
    names = [p.tag.split("}")[1] for p in parts]
    if "warning-signs" not in names and kind != "catalogue":
        parts.append(ET.Element("{%s}warning-signs" % NS["t"]))  # always there
    for part in parts:
        name = part.tag.split("}")[1]
        out = flows.setdefault(part.get("flow", "main"), [])
        detail = part.get("detail")
        heading = part.get("heading")

        def say(*texts):
            for x in texts:
                out.extend(words(x))

        def head(default):
            key = heading if heading is not None else default
            if key:
                say(lab[key])

        if name == "title":
            say(fill(lab["title"], client=session_text("s:client/s:name")))
        elif name == "summary":
            say(lab["date"] + ":", date(lab, s.findtext("s:date", "", NS).strip()))
            say(lab["therapist"] + ":", session_text("s:therapist"))
            p = s.findtext("s:pressure", None, NS)
            if p:
                say(lab["pressure"] + ":", lab["pressure." + p.strip()])
        elif name in ("techniques", "selfcare"):
            refs = s.findall("s:techniques/s:technique" if name == "techniques"
                             else "s:selfcare/s:tip", NS)
            if refs:
                head(name)
                for r in refs:
                    tx = lib.text(r.get("ref"), lang)
                    personal = name == "selfcare"
                    dose = r.get("dose") or text_of(tx.find("l:dose", NS)) or None
                    entry_words(tx, detail or "summary", out, dose, personal)
                    if personal and (detail or "summary") != "full" and \
                            lib.entries[r.get("ref")][0].get("kind") == "exercise":
                        exercise_extras(tx, out)
        elif name == "areas":
            areas = s.findall("s:areas/s:area", NS)
            if areas:
                head("areas")
                for a in areas:
                    say(lab["area." + a.text.strip()])
        elif name == "notes":
            notes = s.find("s:notes", NS)
            if notes is not None:
                head("notes")
                for block in notes:
                    if block.tag.endswith("}p"):
                        say(text_of(block))
                    else:
                        for li in block:
                            say(text_of(li))
        elif name == "warning-signs":
            say(lab["warnings"])
            signs = [i for i in lib.order if lib.entries[i][0].get("kind") == "warning-sign"]
            signs.sort(key=lambda i: (lib.entries[i][0].get("urgency") != "urgent",
                                      lib.entries[i][1], lib.entries[i][2], i))
            for i in signs:
                tx = lib.text(i, lang)
                say(text_of(tx.find("l:title", NS)), text_of(tx.find("l:summary", NS)))
                urgent = lib.entries[i][0].get("urgency") == "urgent"
                say("(" + lab["urgent" if urgent else "soon"] + ")")
        elif name == "next-visit":
            nv = s.findtext("s:next-visit", None, NS)
            say(lab["next-visit"] + ":", date(lab, nv.strip()) if nv else lab["next-visit-none"])
        elif name == "disclaimer":
            tx = lib.text("disclaimer", lang)
            say(lab["disclaimer"] + ":")
            for sec in tx.findall("l:section", NS):
                if sec.get("role") == "body":
                    say(text_of(sec))
        elif name == "cover":
            say(CLINIC_NAME[0], lab["cover-title"], lab["cover-subtitle"])
            if s is not None:
                say(fill(lab["prepared-for"], client=session_text("s:client/s:name")))
                say(fill(lab["prepared-by"], therapist=session_text("s:therapist"),
                         date=date(lab, s.findtext("s:date", "", NS).strip())))
        elif name == "contact":
            head("contact")
            say(*CLINIC_LINES)
        elif name == "text":
            head(None)
            say(lab[part.get("label")])
        elif name == "library":
            if heading:
                say(lab[heading])
            for k in part.get("kinds").split():
                entries = [i for i in lib.order if lib.entries[i][0].get("kind") == k]
                if entries and not heading:
                    say(lab["kind." + k])
                for i in entries:
                    entry_words(lib.text(i, lang), detail or "summary", out)
        elif name == "contents":
            head("contents")  # the lines themselves are checked against the pages
    # the flows in the order their frames come on the pages
    order = []
    page = t.find("t:page", NS)
    masters = {m.get("name"): m for m in page.findall("t:master", NS)}
    for pg in page.find("t:pages", NS):
        for fr in masters[pg.get("master")].findall("t:frame", NS):
            if fr.get("flow") not in order:
                order.append(fr.get("flow"))
    result = []
    for f in order:
        result.extend(flows.get(f, []))
    return result


CLINIC_NAME = [""]
CLINIC_LINES = []


def load_clinic(data_dir):
    c = parse(os.path.join(data_dir, "clinic", "clinic.xml"))
    ns = {"c": "urn:handout:clinic:1"}
    CLINIC_NAME[0] = text_of(c.find("c:name", ns))
    CLINIC_LINES.append(CLINIC_NAME[0])
    for line in c.findall("c:address/c:line", ns):
        CLINIC_LINES.append(text_of(line))


def main(argv):
    args = argv[1:]
    lang = None
    if len(args) >= 2 and args[0] == "--lang":
        lang, args = args[1], args[2:]
    if len(args) not in (3, 4):
        die("usage: nothing_lost.py [--lang L] SESSION.xml|- TEXT.txt DATA_DIR [TEMPLATE.xml]")
    session, text_path, data_dir = args[0:3]
    session = None if session == "-" else session
    template = args[3] if len(args) == 4 else os.path.join(data_dir, "templates", "aftercare.xml")
    load_clinic(data_dir)
    want = expected(session, data_dir, template, lang)
    if not want:
        die("the oracle found no words to look for")
    try:
        with open(text_path, encoding="utf-8") as f:
            got = words(join_lines(f.read()))
    except (OSError, UnicodeDecodeError) as e:
        die(f"{text_path}: {e}")
    j = 0
    for i, w in enumerate(want):
        while j < len(got) and got[j] != w:
            j += 1
        if j == len(got):
            before = " ".join(want[max(0, i - 8):i])
            print(f"{session or template}: word {i + 1} of {len(want)} missing or out of order: "
                  f"'{w}' (after: ...{before})", file=sys.stderr)
            return 1
        j += 1
    print(f"{os.path.basename(session or template)}: all {len(want)} words in order")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
