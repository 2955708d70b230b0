#!/usr/bin/env python3
"""What a mail program sees in a message, read with Python's email package
(apart from the C code that wrote it).

    eml_info.py FILE.eml [--pdf OUT.pdf]

Prints one "name: value" line per header as decoded (RFC 2047 names and
subjects, RFC 2231 file names), then "header-names:" (every header of the
message, in order), "to-addresses:" (the addresses To holds, as parsed),
"attachment-filename:", "text:" lines of the plain text, and writes the
attachment's decoded bytes to OUT.pdf. Exits 1 when the message does not
parse as one text part and one PDF.
"""
import argparse
import email
import email.policy
import email.utils
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("eml")
    ap.add_argument("--pdf")
    a = ap.parse_args()
    raw = open(a.eml, "rb").read()
    m = email.message_from_bytes(raw, policy=email.policy.default)
    if m.defects:
        print("defects: %r" % m.defects)
    print("header-names: " + " ".join(m.keys()))
    for h in ("From", "To", "Reply-To", "Subject", "Date", "Message-ID", "Content-Language",
              "MIME-Version"):
        if h in m:
            print("%s: %s" % (h, str(m[h])))
    print("to-addresses: " + " ".join(addr for _, addr in email.utils.getaddresses(m.get_all("To", []))))
    print("to-names: " + " | ".join(name for name, _ in email.utils.getaddresses(m.get_all("To", []))))
    parts = [p for p in m.walk() if not p.is_multipart()]
    kinds = [p.get_content_type() for p in parts]
    if kinds != ["text/plain", "application/pdf"]:
        print("parts: %s" % kinds)
        return 1
    text, pdf = parts
    print("text-charset: %s" % text.get_content_charset())
    for line in text.get_content().splitlines():
        print("text: " + line)
    print("attachment-filename: %s" % pdf.get_filename())
    print("attachment-disposition: %s" % pdf.get_content_disposition())
    body = pdf.get_payload(decode=True)
    if a.pdf:
        open(a.pdf, "wb").write(body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
