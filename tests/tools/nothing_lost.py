#!/usr/bin/env python3
"""Nothing lost: every word an aftercare sheet must show, in order.

An oracle written apart from the C code: it reads the session record, the
template and the content library with Python's own XML parser, builds the
ordered sequence of words the template selects (title, date, therapist,
pressure, techniques, areas, notes, tips with their doses, exercise steps and
safety notes, every warning sign, the next visit, the disclaimer), and checks
that this sequence occurs, in order, in the text pdftotext extracted.

Words are compared whole (split on white space, the no-break space included):
"a" must be the word "a", not a letter inside another word. The page's own
furniture (header, footer, list numbers, the dashes between a title and its
summary) may come in between: the expected words must be a subsequence of
the extracted ones, which also checks reading order.

usage: nothing_lost.py SESSION.xml TEXT.txt DATA_DIR [TEMPLATE.xml]
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


def words(text):
    return text.replace("\u00a0", " ").split()


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


def expected(session_path, data_dir, template_path):
    s = parse(session_path)
    t = parse(template_path)
    lib = Library(data_dir)
    lang = (s.findtext("s:language", "en", NS) or "en").strip()
    lab = labels(t, lang)
    out = []

    def say(*texts):
        for x in texts:
            out.extend(words(x))

    def entry(ref):
        tx = lib.text(ref, lang)
        say(text_of(tx.find("l:title", NS)), text_of(tx.find("l:summary", NS)))
        return tx

    parts = [p.tag.split("}")[1] for p in t.find("t:parts", NS)]
    if "warning-signs" not in parts:
        parts.append("warning-signs")  # the program always adds them
    for part in parts:
        if part == "title":
            say(fill(lab["title"], client=text_of(s.find("s:client/s:name", NS))))
        elif part == "summary":
            say(lab["date"] + ":", date(lab, s.findtext("s:date", "", NS).strip()))
            say(lab["therapist"] + ":", text_of(s.find("s:therapist", NS)))
            p = s.findtext("s:pressure", None, NS)
            if p:
                say(lab["pressure"] + ":", lab["pressure." + p.strip()])
        elif part == "techniques":
            refs = s.findall("s:techniques/s:technique", NS)
            if refs:
                say(lab["techniques"])
                for r in refs:
                    entry(r.get("ref"))
        elif part == "areas":
            areas = s.findall("s:areas/s:area", NS)
            if areas:
                say(lab["areas"])
                for a in areas:
                    say(lab["area." + a.text.strip()])
        elif part == "notes":
            notes = s.find("s:notes", NS)
            if notes is not None:
                say(lab["notes"])
                for block in notes:
                    if block.tag.endswith("}p"):
                        say(text_of(block))
                    else:
                        for li in block:
                            say(text_of(li))
        elif part == "selfcare":
            tips = s.findall("s:selfcare/s:tip", NS)
            if tips:
                say(lab["selfcare"])
                for tip in tips:
                    tx = entry(tip.get("ref"))
                    dose = tip.get("dose") or text_of(tx.find("l:dose", NS))
                    if dose:
                        say(lab["your-dose"] + ":", dose)
                    for sec in ("steps", "safety"):
                        for section in tx.findall("l:section", NS):
                            if section.get("role") == sec:
                                for block in section:
                                    items = list(block) if not block.tag.endswith("}p") else [block]
                                    for item in items:
                                        say(text_of(item))
        elif part == "warning-signs":
            say(lab["warnings"])
            signs = [i for i in lib.order if lib.entries[i][0].get("kind") == "warning-sign"]
            signs.sort(key=lambda i: (lib.entries[i][0].get("urgency") != "urgent",
                                      lib.entries[i][1], lib.entries[i][2], i))
            for i in signs:
                entry(i)
                urgent = lib.entries[i][0].get("urgency") == "urgent"
                say("(" + lab["urgent" if urgent else "soon"] + ")")
        elif part == "next-visit":
            nv = s.findtext("s:next-visit", None, NS)
            say(lab["next-visit"] + ":", date(lab, nv.strip()) if nv else lab["next-visit-none"])
        elif part == "disclaimer":
            tx = lib.text("disclaimer", lang)
            body = [sec for sec in tx.findall("l:section", NS) if sec.get("role") == "body"]
            say(lab["disclaimer"] + ":")
            for sec in body:
                say(text_of(sec))
    return out


def main(argv):
    if len(argv) not in (4, 5):
        die(__doc__.strip().splitlines()[-4])
    session, text_path, data_dir = argv[1:4]
    template = argv[4] if len(argv) == 5 else os.path.join(data_dir, "templates", "aftercare.xml")
    want = expected(session, data_dir, template)
    if not want:
        die("the oracle found no words to look for")
    try:
        with open(text_path, encoding="utf-8") as f:
            got = words(f.read())
    except (OSError, UnicodeDecodeError) as e:
        die(f"{text_path}: {e}")
    j = 0
    for i, w in enumerate(want):
        while j < len(got) and got[j] != w:
            j += 1
        if j == len(got):
            before = " ".join(want[max(0, i - 8):i])
            print(f"{session}: word {i + 1} of {len(want)} missing or out of order: '{w}' "
                  f"(after: ...{before})", file=sys.stderr)
            return 1
        j += 1
    print(f"{os.path.basename(session)}: all {len(want)} words in order")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
