#!/usr/bin/env python3
"""Writes a client list (CSV) for batch tests and benchmarks: N rows of
realistic sessions from a seeded generator (the same seed gives the same
file everywhere), optionally with bad rows of ten different kinds.

usage: gen_clients.py N [--seed S] [--bad K] [--kind aftercare|brochure] > clients.csv

--bad K puts K bad rows (K <= 10, one of each kind, at fixed, spread-out
positions) and prints to stderr one line per bad row: "ROW COLUMN CODE".
"""
import argparse
import random
import sys

TECHNIQUES = ["swedish", "deep-tissue", "trigger-point", "myofascial-release", "sports"]
AREAS = ["neck", "shoulder-left", "shoulder-right", "upper-back", "mid-back", "lumbar-left",
         "lumbar-right", "sacrum", "glute-left", "glute-right", "hip-left", "hip-right",
         "hamstring-left", "hamstring-right"]
TIPS = ["drink-water", "rest", "heat-or-ice", "knee-to-chest", "pelvic-tilt", "cat-cow",
        "childs-pose", "figure-four"]
FIRST = ["Zoë", "Ann", "José", "Юлия", "Chen", "Siobhán", "Maria", "Tom", "Ana", "Łukasz",
         "Ingrid", "Ahmed", "Noa", "Pierre", "Kofi", "Mei"]
LAST = ["Łukasiewicz", "Lee", "Álvarez", "Смирнова", "Wei", "O'Brien", "Núñez", "Baker",
        "Schmidt", "Kowalski", "Haddad", "Ndlovu", "Dubois", "Sato", "Costa", "Berg"]
HEADER = ["client_id", "client", "language", "paper", "date", "time", "therapist",
          "techniques", "areas", "pressure", "pain_before", "pain_after", "tips",
          "next_visit", "notes"]

# The ten bad rows: (column, code, how to spoil a row).
BAD = [
    ("date", "bad-date", lambda r: r.update(date="2026-02-30")),
    ("techniques", "unknown-ref", lambda r: r.update(techniques="swedsh")),
    ("areas", "bad-value", lambda r: r.update(areas="lumbar-lft")),
    ("client", "too-long", lambda r: r.update(client="X" * 150)),
    ("client", "empty", lambda r: r.update(client="   ")),
    ("pressure", "bad-value", lambda r: r.update(pressure="hard")),
    ("next_visit", "bad-date", lambda r: r.update(next_visit="2026-13-01")),
    ("pain_before", "bad-value", lambda r: r.update(pain_before="11")),
    ("tips", "unknown-ref", lambda r: r.update(tips="drink-wter")),
    ("time", "bad-value", lambda r: r.update(time="25:00")),
]


def cell(v):
    if any(c in v for c in ',"\r\n'):
        return '"' + v.replace('"', '""') + '"'
    return v


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("--seed", type=int, default=9)
    ap.add_argument("--bad", type=int, default=0)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    bad_at = {}
    for k in range(min(a.bad, len(BAD))):
        bad_at[(k + 1) * a.n // (a.bad + 1)] = k
    out = sys.stdout
    out.write(",".join(HEADER) + "\r\n")
    for i in range(a.n):
        day = 1 + i % 28
        r = {
            "client_id": "c-%05d" % (i + 1),
            "client": "%s %s" % (rnd.choice(FIRST), rnd.choice(LAST)),
            "language": rnd.choice(["en", "en", "es"]),
            "paper": rnd.choice(["a4", "letter"]),
            "date": "2026-11-%02d" % day,
            "time": "%02d:%02d" % (9 + i % 9, rnd.choice([0, 30])),
            "therapist": rnd.choice(["Maria Núñez", "Tom Baker"]),
            "techniques": " ".join(rnd.sample(TECHNIQUES, rnd.randint(1, 2))),
            "areas": " ".join(rnd.sample(AREAS, rnd.randint(1, 4))),
            "pressure": rnd.choice(["light", "medium", "firm", "deep", ""]),
            "pain_before": str(rnd.randint(3, 8)),
            "pain_after": str(rnd.randint(0, 3)),
            "tips": "; ".join(rnd.sample(TIPS, rnd.randint(1, 3))),
            "next_visit": "2026-12-%02d" % day if rnd.random() < 0.7 else "",
            "notes": rnd.choice(["", "Felt much looser afterwards.",
                                 "Sore after gardening, so we went gently.\nKeep moving."]),
        }
        if i in bad_at:
            col, code, spoil = BAD[bad_at[i]]
            spoil(r)
            sys.stderr.write("%d %s %s\n" % (i + 2, col, code))
        out.write(",".join(cell(r[h]) for h in HEADER) + "\r\n")


if __name__ == "__main__":
    main()
