#!/usr/bin/env python3
"""The desk in Spanish over HTTP: every problem the form can give is shown
in Spanish (the library's through hd_diag_text, the desk's own from
web/strings.txt), never the English; the English page's answers are as
they were. The exact Spanish of a few is checked word for word.

    HANDOUT=build/handout python3 tests/serve/spanish.py WORK_DIR
"""
import json
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from desk import Desk, form_request, sample_form  # noqa: E402

work = sys.argv[1] if len(sys.argv) > 1 else "/tmp/desk-spanish"
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def problems(d, path, ui, **over):
    """The problems of a form posted from the page in ui, as (field, message, hint)."""
    form = sample_form(ui=ui, **over)
    if ui is None:
        del form["ui"]
    st, h, body = d.post(path, form)
    if not h.get("Content-Type", "").startswith("application/json"):
        return st, []
    return st, [(x["field"], x["message"], x["hint"]) for x in json.loads(body)["diags"]
                if x["severity"] == "error"]


# Every way the form can be wrong: a field refused by the library, a whole
# session it refuses, and what only the desk checks (path, fields).
BAD = [
    ("/api/sheet", dict(client="")),
    ("/api/sheet", dict(client="\u00a0")),
    ("/api/sheet", dict(client="Z" * 101)),
    ("/api/sheet", dict(client="a\x01b")),
    ("/api/sheet", dict(client="\u674e Xiaolong")),  # no glyph in the sheet's font
    ("/api/sheet", dict(client="\u05d3\u05e0\u05d4 Cohen")),  # Hebrew: right-to-left
    ("/api/sheet", dict(client_id="../etc")),
    ("/api/sheet", dict(email="zoe@")),
    ("/api/sheet", dict(email="z" * 250 + "@example.org")),
    ("/api/sheet", dict(date="")),
    ("/api/sheet", dict(date="02/12/2026")),
    ("/api/sheet", dict(date="1800-12-02")),
    ("/api/sheet", dict(date="2026-13-02")),
    ("/api/sheet", dict(date="2026-02-30")),
    ("/api/sheet", dict(time="25:00")),
    ("/api/sheet", dict(therapist="")),
    ("/api/sheet", dict(therapist="T" * 101)),
    ("/api/sheet", dict(technique=[])),
    ("/api/sheet", dict(technique=["swedsh"])),
    ("/api/sheet", dict(technique=["zzzzzzzzzzzz"])),
    ("/api/sheet", dict(technique=["knee-to-chest"])),
    ("/api/sheet", dict(technique=["Swedish!"])),
    ("/api/sheet", dict(technique=["swedish", "swedish"])),
    ("/api/sheet", dict(area=[])),
    ("/api/sheet", dict(area=["lumbar-lft"])),
    ("/api/sheet", dict(area=["zzzzzzzzzzzz"])),
    ("/api/sheet", dict(area=["neck", "neck"])),
    ("/api/sheet", dict(pressure="hard")),
    ("/api/sheet", dict(pain_before="-1")),
    ("/api/sheet", dict(pain_after="12")),
    ("/api/sheet", dict(tip=["knee-to-chst"])),
    ("/api/sheet", dict(tip=["swedish"])),
    ("/api/sheet", {"dose.knee-to-chest": "x" * 121}),
    ("/api/sheet", {"dose.knee-to-chest": "a\x02b"}),
    ("/api/sheet", dict(next_visit="soon")),
    ("/api/sheet", dict(next_visit="1800-12-09T10:30")),
    ("/api/sheet", dict(next_visit="2026-13-09T10:30")),
    ("/api/sheet", dict(next_visit="2026-02-30T10:30")),
    ("/api/sheet", dict(next_visit="2026-12-09T24:30")),
    ("/api/sheet", dict(next_visit="2026-11-01")),
    ("/api/sheet", dict(language="fr")),
    ("/api/sheet", dict(paper="a3")),
    ("/api/sheet", dict(size="huge")),
    ("/api/save", dict(client_id="")),
    ("/api/mail", dict(email="")),
    ("/api/mail", dict(mail_protect="1")),
    ("/api/mail", dict(mail_protect="1", mail_password="\u00e9" * 127, email="zoe@example.org")),  # 254 bytes
    ("/api/mail", dict(email="zo\u00eb@example.org")),  # the form takes it, mail does not
    ("/api/mail", dict(email="zoe..x@example.org")),
    ("/api/report", dict(client_id="")),
    ("/api/report", dict(client_id="..")),
    ("/api/report", dict(client_id="c-9999")),
]

d = Desk(os.path.join(work, "records"))
try:
    st, _, page = d.get("/?lang=es")
    check('<input type="hidden" name="ui" value="es">' in page.decode(),
          "the Spanish page's form says its language")
    check('<input type="hidden" name="ui" value="en">' in d.page, "and the English page's its own")

    # --- the exact Spanish of a few, next to their fields
    st, got = problems(d, "/api/sheet", "es", pain_after="12")
    check(st == 422 and got == [("pain_after", "Dolor después: «12» no es una puntuación de dolor.",
                                 "Use un número entero del 0 (sin dolor) al 10 (el peor dolor imaginable).")],
          "a pain of 12, in Spanish: %r" % got)
    st, got = problems(d, "/api/sheet", "es", date="2026-02-30")
    check(st == 422 and got[0] == ("date", "La fecha 2026-02-30 no existe: febrero de 2026 tiene 28 días.",
                                   "Revise el día del mes."),
          "30 February, in Spanish: %r" % got)
    st, got = problems(d, "/api/sheet", "es", next_visit="2026-11-01")
    check(st == 422 and got == [("next_visit", "La próxima visita (2026-11-01) es anterior a esta sesión.",
                                 "Revise las fechas.")],
          "the next visit before the session, in Spanish: %r" % got)
    st, got = problems(d, "/api/sheet", "es", client="")
    check(st == 422 and got == [("client", "Falta el nombre del cliente.", "Escriba el nombre del cliente.")],
          "no client's name, in Spanish, once: %r" % got)
    st, got = problems(d, "/api/sheet", "es", client="\u00a0")
    check(st == 422 and got == [("client", "El nombre del cliente está vacío.",
                                 "Escríbalo; los espacios, también los invisibles, no cuentan.")],
          "a name of a no-break space only, in Spanish: %r" % got)
    st, got = problems(d, "/api/sheet", "es", date="2026-13-02")
    check(st == 422 and got == [("date", "La fecha 2026-13-02 no existe: no hay mes 13.",
                                 "Escriba la fecha como AAAA-MM-DD; por ejemplo, 2026-11-20.")],
          "a refused date is not also said to be missing: %r" % got)
    st, got = problems(d, "/api/sheet", "es", technique=["swedsh"], next_visit="")
    check(st == 422 and got[0] == ("techniques",
                                   "La técnica «swedsh» no está en la biblioteca. ¿Quería decir «swedish»?",
                                   "La lista completa de identificadores sale con «handout list»."),
          "an unknown technique, with what was meant, in Spanish: %r" % got)
    st, got = problems(d, "/api/save", "es", client_id="")
    check(st == 422 and got == [("client_id", "Falta el número de cliente: da nombre a su carpeta de registros.",
                                 "Escriba el número del cliente; por ejemplo, c-0042.")],
          "saving without a client number, in Spanish (the desk's own words): %r" % got)
    st, got = problems(d, "/api/mail", "es", email="zo\u00eb@example.org")
    check(st == 422 and got == [("email", "No se puede enviar la hoja a «zoë@example.org»: tiene un carácter "
                                 "que no es ASCII (una letra con tilde, una ñ...).",
                                 "Corrija el correo del cliente: una sola dirección, como zoe@ejemplo.org.")],
          "an address mail cannot take, in Spanish, next to the email: %r" % got)
    st, got = problems(d, "/api/mail", "es", mail_protect="1", mail_password="\u00e9" * 127, email="zoe@example.org")
    check(st == 422 and len(got) == 1 and got[0][0] == "mail_password"
          and got[0][1].startswith("La contraseña del PDF no se puede usar: es demasiado larga"),
          "a password too long for a PDF, in Spanish, next to its box: %r" % got)
    # the same over a raw socket, as the page's fetch sends it
    body = "ui=es&client=Zo%C3%AB&date=2026-12-02&therapist=Mar%C3%ADa&technique=swedish&area=neck&email=zoe%40"
    raw = form_request(d, "/api/sheet", body.encode()).decode("utf-8", "replace")
    check(raw.startswith("HTTP/1.1 422") and
          '"message":"«zoe@» no es una dirección de correo.","hint":"Escríbala así: nombre@ejemplo.org"' in raw,
          "a bad email over raw HTTP, in Spanish")

    # --- the English page is as it was
    st, got = problems(d, "/api/sheet", "en", pain_after="12")
    check(got == [("pain_after", "'12' is not a pain score",
                   "use a whole number from 0 (no pain) to 10 (the worst pain imaginable)")],
          "the English page: the library's English, unchanged: %r" % got)
    st, got = problems(d, "/api/sheet", None, pain_after="12")
    check(got and got[0][1] == "'12' is not a pain score", "a form without ui: English")

    # --- every problem the form can give: Spanish on the Spanish page
    for path, over in BAD:
        st_en, en = problems(d, path, "en", **over)
        st_es, es = problems(d, path, "es", **over)
        what = "%s %s" % (path, {k: (v if len(str(v)) < 30 else str(v)[:27] + "...") for k, v in over.items()})
        english = [m for m in es if m in en or any(m[1] == e[1] or (m[2] and m[2] == e[2]) for e in en)]
        check(st_en == st_es and st_es >= 400 and len(es) == len(en) and es and not english
              and [f for f, _, _ in es] == [f for f, _, _ in en]
              and all(re.search(r"[.?]$", m) for _, m, _ in es),
              "in Spanish: %s -> %s" % (what, [m for _, m, _ in es]))
finally:
    d.close()

# --- a mail server that cannot be reached: what the page says (the server's
# own words, which no table can translate, inside the Spanish)
d = Desk(os.path.join(work, "records-smtp"), "--smtp", "smtp://127.0.0.1:1")
try:
    st, got = problems(d, "/api/mail", "es", email="zoe@example.org")
    check(st == 502 and len(got) == 1 and got[0][1].startswith("La hoja no se envió. El servidor de correo dijo: «")
          and got[0][2] == "No se entregó nada; inténtelo más tarde (el servidor o la red pueden estar ocupados).",
          "a mail server out of reach, in Spanish: %r" % got)
    st, got = problems(d, "/api/mail", "en", email="zoe@example.org")
    check(st == 502 and got and got[0][1].startswith("not sent: "), "and in English as before: %r" % got)
finally:
    d.close()

if failures:
    print("%d failed" % len(failures))
    sys.exit(1)
print("all passed")
