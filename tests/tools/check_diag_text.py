#!/usr/bin/env python3
"""Every detail a problem is reported with (HD_SAY("detail", ...) in src/)
has text in the table of src/util/diag_text.c, for the code it is reported
with where the call names one: a new kind of problem cannot reach the
Spanish desk in English without this failing. And the fields' Spanish
names in the table are the desk form's labels. The texts themselves are
checked by tests/unit/test_diag_text.c.

    check_diag_text.py SOURCE_DIR
"""
import os
import re
import sys

src = os.path.join(sys.argv[1] if len(sys.argv) > 1 else ".", "src")
table_path = os.path.join(src, "util", "diag_text.c")
with open(table_path, encoding="utf-8") as f:
    table = f.read()
# ES(CODE, field, "detail", ...)
entries = re.findall(r'\bES\((\w+),\s*(?:NULL|"[^"]*"),\s*"([^"]+)"', table)
known = set(entries)
details = {d for _, d in known}
if len(entries) < 40:
    sys.exit("FAIL: only %d messages found in %s" % (len(entries), table_path))

failures = []
calls = 0
for root, _, files in os.walk(src):
    for name in sorted(files):
        if not name.endswith(".c") or name == "diag_text.c":
            continue
        path = os.path.join(root, name)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for m in re.finditer(r'(?:HD_DIAG_(\w+),\s*)?HD_SAY\(([^{)]*)', text):
            calls += 1
            code, head = m.group(1), m.group(2)
            line = text.count("\n", 0, m.start()) + 1
            names = re.findall(r'"([^"]*)"', head)
            var = re.fullmatch(r"\s*([A-Za-z_]\w*)\s*,?\s*", head)
            if not names and var:
                # a variable: the literals assigned to it earlier in the function
                body = text[text.rfind("\n}\n", 0, m.start()):m.start()]
                names = re.findall(r'\b%s = "([^"]*)"' % var.group(1), body)
            if not names:
                failures.append("%s:%d: HD_SAY names no detail as a string" % (path, line))
            for d in names:
                if d not in details:
                    failures.append("%s:%d: detail '%s' has no text in %s" % (path, line, d, table_path))
                elif code and (code, d) not in known:
                    failures.append("%s:%d: (HD_DIAG_%s, '%s') has no text in %s"
                                    % (path, line, code, d, table_path))
# The fields' Spanish names are the desk form's labels (web/strings.txt;
# a label may go on, "Dolor antes (0–10)"), so a message names a field as
# the therapist sees it.
desk_key = {"tips": "selfcare", "size": "large"}
with open(os.path.join(src, "serve", "web", "strings.txt"), encoding="utf-8") as f:
    words = dict((p[0], p[2]) for p in (line.rstrip("\n").split("\t") for line in f)
                 if len(p) == 3 and not p[0].startswith("#"))
block = re.search(r"es_labels\[\] = \{(.*?)\n\};", table, re.S)
labels = re.findall(r'\{ "([^"]+)", "([^"]+)" \}', block.group(1) if block else "")
if len(labels) < 17:
    failures.append("only %d Spanish field labels found in %s" % (len(labels), table_path))
for field, label in labels:
    shown = words.get(desk_key.get(field, field))
    if shown is None or not shown.startswith(label):
        failures.append("the Spanish label of %s is %r in %s but %r on the desk's form"
                        % (field, label, table_path, shown))
if calls < 20:
    failures.append("only %d HD_SAY calls found under %s" % (calls, src))
for f in failures:
    print("FAIL " + f)
if failures:
    sys.exit(1)
print("ok   %d problems reported with a detail, each with text in the table" % calls)
