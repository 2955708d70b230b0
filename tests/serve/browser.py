#!/usr/bin/python3
"""The desk in a real browser: headless Chromium driven by Selenium
(Debian's chromium, chromium-driver, python3-selenium). A therapist's path,
by keyboard alone and by clicking: areas picked on the body diagram, a
programme applied, a note with accents typed, the sheet previewed (the PDF
in the page checked with pdftotext), saved (the record validates and renders
the same text from the command line), a problem shown next to its field,
the progress report, the page in Spanish; screenshots at desktop and tablet
widths in WORK_DIR/screens.

    HANDOUT=build/handout /usr/bin/python3 tests/serve/browser.py WORK_DIR [--quick]
"""
import base64
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from desk import HANDOUT, Desk  # noqa: E402

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

work = sys.argv[1] if len(sys.argv) > 1 else "/tmp/desk-browser"
quick = "--quick" in sys.argv
shutil.rmtree(work, ignore_errors=True)
screens = os.path.join(work, "screens")
os.makedirs(screens)
records = os.path.join(work, "records")
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        failures.append(what)


def pdf_text(data, name):
    path = os.path.join(work, name)
    with open(path, "wb") as f:
        f.write(data)
    text = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True).stdout
    return " ".join(text.split())  # lines joined: a phrase may wrap


def browser(width, height):
    o = webdriver.ChromeOptions()
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--window-size=%d,%d" % (width, height), "--hide-scrollbars", "--lang=en-GB"]:
        o.add_argument(a)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)


def wait_status(b, words, timeout=30):
    WebDriverWait(b, timeout).until(
        lambda d: any(w in d.find_element(By.ID, "status").text for w in words))
    return b.find_element(By.ID, "status").text


def preview_pdf(b):
    """The PDF shown in the page: the bytes behind the iframe's blob URL."""
    return base64.b64decode(b.execute_async_script("""
        const done = arguments[0];
        window.deskLastPdf.arrayBuffer().then(buf => {
          let s = ''; const u = new Uint8Array(buf);
          for (let i = 0; i < u.length; i++) s += String.fromCharCode(u[i]);
          done(btoa(s));
        });"""))


def active(b):
    return b.switch_to.active_element


def tab_to(b, css, limit=400):
    """Presses Tab until the element matching css has the focus: the control
    is reachable from the keyboard, in the page's order."""
    target = b.find_element(By.CSS_SELECTOR, css)
    for _ in range(limit):
        if active(b) == target:
            return target
        active(b).send_keys(Keys.TAB)
    raise AssertionError("Tab never reached " + css)


d = Desk(records)
b = browser(1400, 1000)
try:
    b.set_script_timeout(30)
    # ----- the keyboard alone ----------------------------------------------------
    b.get(d.url + "/")
    check("The therapist's desk" in b.title, "the page opens")
    b.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)  # the skip link first
    tab_to(b, "#f-client").send_keys("Zoë Ñúñez-Keyboard")
    tab_to(b, "#f-client_id").send_keys("c-0900")
    tab_to(b, "#f-email").send_keys("zoe@example.org")
    tab_to(b, "#f-therapist").send_keys("María Núñez")
    tab_to(b, 'input[name="technique"][value="deep-tissue"]').send_keys(Keys.SPACE)
    # a region of the body diagram, by keyboard: Tab to it, Space
    tab_to(b, '#body .region[data-region="neck"]').send_keys(Keys.SPACE)
    tab_to(b, 'input[name="area"][value="sacrum"]').send_keys(Keys.SPACE)
    tab_to(b, "#f-pressure").send_keys("f")  # "firm", by its first letter
    tab_to(b, "#f-pain_before").send_keys("7")
    tab_to(b, "#f-pain_after").send_keys("4")
    tab_to(b, "#f-notes").send_keys("Árbol de la espalda: *muy tenso* hoy.\n\n- Camine cada día\n- Beba agua")
    tab_to(b, 'input[name="tip"][value="knee-to-chest"]').send_keys(Keys.SPACE)
    dose = tab_to(b, "#dose-knee-to-chest")
    dose.send_keys(Keys.CONTROL, "a")
    dose.send_keys("Hold 25 s, twice a day")
    check(b.find_element(By.CSS_SELECTOR, 'input[name="area"][value="neck"]').is_selected(),
          "Space on the diagram's neck ticks the neck in the list")
    check(b.find_element(By.CSS_SELECTOR, '#body .region[data-region="sacrum"]').get_attribute("aria-checked") == "true",
          "ticking the sacrum in the list marks it on the diagram")
    # Ctrl+Enter in the form previews
    active(b).send_keys(Keys.CONTROL, Keys.ENTER)
    st = wait_status(b, ["Sheet ready", "fix", "wrong"])
    check("Sheet ready" in st, "keyboard: Ctrl+Enter previews the sheet (%s)" % st)
    text = pdf_text(preview_pdf(b), "keyboard.pdf")
    for word in ["Zoë Ñúñez-Keyboard", "María Núñez", "Deep tissue", "Neck", "sacrum", "Árbol", "muy tenso",
                 "Camine cada día", "Hold 25 s, twice a day", "See a doctor if you notice"]:
        check(word in text, "keyboard sheet has %r" % word)
    # Save, by keyboard: Tab to the button, Enter
    tab_to(b, "#b-save").send_keys(Keys.ENTER)
    st = wait_status(b, ["Saved", "fix", "wrong"])
    check("c-0900/" in st, "keyboard: saved (%s)" % st)

    if not quick:
        # ----- the mouse: body regions, a programme, preview ----------------------------
        b.get(d.url + "/")
        b.find_element(By.ID, "f-client").send_keys("Amara Click")
        b.find_element(By.ID, "f-client_id").send_keys("c-0901")
        b.find_element(By.ID, "f-therapist").send_keys("Maria Núñez")
        b.find_element(By.CSS_SELECTOR, 'button[data-preset-id="runner-maintenance"]').click()
        check(b.find_element(By.CSS_SELECTOR, 'input[name="technique"][value="sports"]').is_selected()
              and b.find_element(By.CSS_SELECTOR, 'input[name="tip"][value="figure-four"]').is_selected()
              and b.find_element(By.ID, "dose-figure-four").get_attribute("value").startswith("Both sides"),
              "one click applies a programme: techniques, tips, its dose")
        for region in ["lumbar-left", "lumbar-right", "hip-left"]:  # hip-left was in the programme: off
            b.find_element(By.CSS_SELECTOR, '#body .region[data-region="%s"]' % region).click()
        picked = [e.get_attribute("value") for e in b.find_elements(By.CSS_SELECTOR, 'input[name="area"]:checked')]
        check("lumbar-left" in picked and "lumbar-right" in picked and "hip-left" not in picked,
              "clicks on the diagram pick areas and unpick them: %s" % picked)
        b.find_element(By.ID, "f-notes").send_keys("Señora, *descanse* mañana.")
        t = time.time()
        b.find_element(By.ID, "b-preview").click()
        st = wait_status(b, ["Sheet ready", "fix", "wrong"])
        check("Sheet ready" in st, "click: preview (%s)" % st)
        ms = b.find_element(By.TAG_NAME, "body").get_attribute("data-last-ms")
        print("time from Preview to the PDF in the page: %s ms (page's own clock); %.0f ms with WebDriver" % (
            ms, (time.time() - t) * 1000))
        pdf = preview_pdf(b)
        text = pdf_text(pdf, "click.pdf")
        for word in ["Amara Click", "Sports massage", "Lower back, left side", "Lower back, right side",
                     "Hip, right side", "Señora", "descanse", "Both sides: hold 30 s", "See a doctor if you notice"]:
            check(word in text, "clicked sheet has %r" % word)
        check("Hip, left side" not in text, "the area clicked off is not on the sheet")
        time.sleep(0.5)
        b.save_screenshot(os.path.join(screens, "desktop-preview.png"))
        b.find_element(By.ID, "b-save").click()
        st = wait_status(b, ["Saved", "fix", "wrong"])
        check("c-0901/2" in st, "click: saved (%s)" % st)
        saved = os.path.join(records, "c-0901")
        files = os.listdir(saved)
        check(len(files) == 1 and files[0].endswith(".xml"), "one record in the client's folder: %s" % files)
        r = subprocess.run([HANDOUT, "validate", saved], capture_output=True, text=True)
        check(r.returncode == 0, "the saved folder validates: %s" % (r.stdout + r.stderr).strip())
        out = os.path.join(work, "cli.pdf")
        r = subprocess.run([HANDOUT, "render", os.path.join(saved, files[0]), "-o", out, "-q"],
                           capture_output=True, text=True)
        with open(out, "rb") as f:
            cli_text = pdf_text(f.read(), "cli-again.pdf")
        check(r.returncode == 0 and cli_text == text, "the saved record renders the same sheet from the CLI")

        # ----- a problem next to its field --------------------------------------------
        name = b.find_element(By.ID, "f-client")
        name.clear()
        b.find_element(By.ID, "f-pain_after").send_keys("12")
        b.find_element(By.ID, "b-preview").click()
        wait_status(b, ["fix"])
        err = b.find_element(By.ID, "err-client").text
        check("name" in err and name.get_attribute("aria-invalid") == "true",
              "the missing name is shown next to its field: %r" % err)
        check("pain score" in b.find_element(By.ID, "err-pain_after").text,
              "a pain of 12 is shown next to its field")
        check(b.switch_to.active_element == name, "the focus goes to the first field to fix")

        # ----- the progress report of a client with history ------------------------------
        name.send_keys("Amara Click")
        b.find_element(By.ID, "f-pain_after").clear()
        b.find_element(By.ID, "f-date").send_keys("12092026")  # another visit: 2026-12-09 (mm/dd/yyyy)
        b.find_element(By.ID, "b-save").click()
        wait_status(b, ["Saved", "fix", "wrong"])
        b.find_element(By.ID, "b-report").click()
        st = wait_status(b, ["Sheet ready", "fix", "wrong"])
        text = pdf_text(preview_pdf(b), "report.pdf")
        check("Progress report for Amara Click" in text, "the progress report in the page (%s)" % st)

        # ----- the type-ahead finds the client saved -----------------------------------------
        b.get(d.url + "/")
        b.find_element(By.ID, "f-client").send_keys("amara")
        WebDriverWait(b, 10).until(lambda x: x.find_elements(By.CSS_SELECTOR, "#clients option"))
        opts = [o.get_attribute("value") for o in b.find_elements(By.CSS_SELECTOR, "#clients option")]
        check(opts == ["Amara Click"], "type-ahead over the records folder: %s" % opts)
        b.save_screenshot(os.path.join(screens, "desktop-form.png"))
        b.get(d.url + "/?lang=es")
        check("Técnicas" in b.page_source and "Zona lumbar, lado izquierdo" in b.page_source,
              "the page in Spanish, the library's words in Spanish too")

        # ----- the Spanish page's problems, in Spanish, next to their fields -----------------
        b.find_element(By.CSS_SELECTOR, 'button[data-preset-id="desk-worker-first"]').click()
        b.find_element(By.ID, "f-therapist").send_keys("María Núñez")
        b.find_element(By.ID, "f-pain_after").send_keys("12")
        b.find_element(By.ID, "f-email").send_keys("zoe@")
        b.execute_script("document.getElementById('f-date').value = '2026-12-02';"
                         "document.getElementById('f-next_visit').value = '2026-11-20T10:30';")
        b.find_element(By.ID, "b-preview").click()
        st = wait_status(b, ["Corrija", "fix", "mal"])
        check(st == "Corrija los campos marcados en rojo.", "the status line in Spanish (%s)" % st)

        def shown(field):
            """The problems shown next to field: (message, hint) each."""
            return [tuple(x) for x in b.execute_script(
                "return [...document.querySelectorAll('#err-' + arguments[0] + ' > span')]"
                ".map(s => [s.firstChild.textContent, (s.querySelector('.fix') || {}).textContent || ''])",
                field)]
        check(shown("client") == [("Falta el nombre del cliente.", "Escriba el nombre del cliente.")],
              "es: the missing name, in Spanish: %r" % shown("client"))
        check(shown("pain_after") == [("Dolor después: «12» no es una puntuación de dolor.",
                                       "Use un número entero del 0 (sin dolor) al 10 (el peor dolor imaginable).")],
              "es: a pain of 12, in Spanish: %r" % shown("pain_after"))
        check(shown("email") == [("«zoe@» no es una dirección de correo.", "Escríbala así: nombre@ejemplo.org")],
              "es: a bad email, in Spanish: %r" % shown("email"))
        check(shown("next_visit") == [("La próxima visita (2026-11-20) es anterior a esta sesión.",
                                       "Revise las fechas.")],
              "es: the next visit before the session, in Spanish: %r" % shown("next_visit"))
        check(b.switch_to.active_element == b.find_element(By.ID, "f-client"),
              "es: the focus goes to the first field to fix")
        b.execute_script("window.scrollTo(0, 0)")
        b.save_screenshot(os.path.join(screens, "desktop-es-problems.png"))
        # notes past the desk's 256 KB: refused before they are read, worded by the page
        b.execute_script("document.getElementById('f-notes').value = 'Camine cada día. '.repeat(17000)")
        b.find_element(By.ID, "b-preview").click()
        st = wait_status(b, ["demasiado", "mal"])
        check(st == "El formulario es demasiado grande (más de 256 KB): acorte las notas.",
              "es: notes too long for the desk, in Spanish (%s)" % st)
        b.quit()

        # ----- tablet width ------------------------------------------------------------
        b = browser(820, 1180)
        b.get(d.url + "/")
        b.find_element(By.CSS_SELECTOR, 'button[data-preset-id="desk-worker-first"]').click()
        width = b.execute_script("return document.documentElement.scrollWidth")
        check(width <= 820, "no sideways scrolling on a tablet (%d px)" % width)
        small = b.execute_script("""return [...document.querySelectorAll('button, input[type=checkbox]')]
            .filter(e => e.offsetParent && e.closest('label, .tip, .buttons, .preset-buttons'))
            .map(e => ((e.labels && e.labels[0]) || e).getBoundingClientRect().height)
            .filter(h => h < 38).length""")
        check(small == 0, "touch targets at least 38 px high on a tablet (%d smaller)" % small)
        b.save_screenshot(os.path.join(screens, "tablet.png"))
finally:
    try:
        b.quit()
    except Exception:
        pass
    d.close()

if failures:
    print("%d failed" % len(failures))
    sys.exit(1)
print("all passed")
