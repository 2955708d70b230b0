#!/usr/bin/python3
"""The README's pictures of the desk (docs/desk-*.png): a programme applied,
the sheet previewed, at desktop and tablet widths, in headless Chromium.

    HANDOUT=build/handout /usr/bin/python3 tools/desk_screenshots.py docs
"""
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "serve"))
from desk import Desk  # noqa: E402
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

out = sys.argv[1] if len(sys.argv) > 1 else "docs"
with tempfile.TemporaryDirectory() as tmp:
    d = Desk(os.path.join(tmp, "records"))
    try:
        for name, w, h, lang in [("desk-desktop", 1400, 900, "en"), ("desk-tablet", 820, 1180, "es")]:
            o = webdriver.ChromeOptions()
            for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                      "--window-size=%d,%d" % (w, h)]:
                o.add_argument(a)
            b = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)
            b.get(d.url + "/?lang=" + lang)
            b.find_element(By.ID, "f-client").send_keys("Zoë Łukasiewicz")
            b.find_element(By.ID, "f-client_id").send_keys("c-0042")
            b.find_element(By.ID, "f-therapist").send_keys("Maria Núñez")
            b.find_element(By.CSS_SELECTOR, "button[data-preset-id='desk-worker-first']").click()
            b.find_element(By.ID, "f-notes").send_keys("Thank you for telling me about the long drive.\n\n- Stop *every hour*\n- Walk for five minutes")
            b.find_element(By.ID, "b-preview").click()
            WebDriverWait(b, 20).until(lambda x: not x.find_element(By.ID, "preview").get_attribute("hidden"))
            time.sleep(1.5)  # the PDF viewer draws the page
            b.execute_script("window.scrollTo(0, 0)")
            b.save_screenshot(os.path.join(out, name + ".png"))
            b.quit()
    finally:
        d.close()
