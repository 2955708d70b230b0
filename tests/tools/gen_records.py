#!/usr/bin/env python3
"""Writes a client's records folder of N visits for the progress report's
tests: usage gen_records.py N DIR [SEED] [LANG].

Deterministic for a given N, SEED and LANG (random.Random(SEED) only), so
that golden dumps of reports over generated folders are stable. Visits are
one to three weeks apart from 2025-01-08, at 09:30 or 17:00; every fifth
visit has no pain scores, every seventh only the score before; files are
named by the visit's date. Prints the visits' dates, one per line, in
order (YYYY-MM-DD)."""
import datetime
import os
import random
import sys

TECHNIQUES = ["swedish", "deep-tissue", "myofascial-release", "trigger-point", "sports"]
AREAS = ["neck", "shoulder-left", "shoulder-right", "upper-back", "mid-back", "lumbar-left",
         "lumbar-right", "sacrum", "glute-left", "glute-right", "hip-left", "hip-right",
         "hamstring-left", "hamstring-right"]
TIPS = ["drink-water", "heat-or-ice", "knee-to-chest", "pelvic-tilt", "cat-cow",
        "figure-four", "posture-ergonomics", "stretch-and-strengthen"]


def main():
    n = int(sys.argv[1])
    out = sys.argv[2]
    rnd = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    lang = sys.argv[4] if len(sys.argv) > 4 else "en"
    os.makedirs(out, exist_ok=True)
    day = datetime.date(2025, 1, 8)
    pain = 8
    for i in range(n):
        time = "09:30" if i % 2 == 0 else "17:00"
        techs = rnd.sample(TECHNIQUES, rnd.randint(1, 2))
        areas = rnd.sample(AREAS[4:10], rnd.randint(1, 3))
        tips = rnd.sample(TIPS, rnd.randint(1, 3))
        before = max(0, min(10, pain + rnd.randint(-1, 1)))
        after = max(0, before - rnd.randint(1, 3))
        pain = max(1, pain - (1 if i % 6 == 5 else 0))
        if i % 5 == 4:
            scores = ""
        elif i % 7 == 6:
            scores = '  <pain before="%d"/>\n' % before
        else:
            scores = '  <pain before="%d" after="%d"/>\n' % (before, after)
        with open(os.path.join(out, "%s.xml" % day.isoformat()), "w", encoding="utf-8") as f:
            f.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                    '<session xmlns="urn:handout:session:1" version="1">\n'
                    '  <client id="c-0600"><name>Noor Haddad</name></client>\n'
                    '  <date time="%s">%s</date>\n'
                    '  <therapist>%s</therapist>\n'
                    '  <language>%s</language>\n'
                    '  <techniques>%s</techniques>\n'
                    '  <areas>%s</areas>\n'
                    '%s'
                    '  <selfcare>%s</selfcare>\n'
                    '</session>\n' % (
                        time, day.isoformat(), rnd.choice(["Maria Núñez", "Jonas Berg"]), lang,
                        "".join('<technique ref="%s"/>' % t for t in techs),
                        "".join("<area>%s</area>" % a for a in areas), scores,
                        "".join('<tip ref="%s"/>' % t for t in tips)))
        print(day.isoformat())
        day += datetime.timedelta(days=7 * rnd.randint(1, 3))


if __name__ == "__main__":
    main()
