#!/usr/bin/env python3
"""The desk's speed: the page's weight, and the time from "Preview" to the
PDF, measured over HTTP on loopback (round trip) and by the server itself
(X-Handout-Render-Ms: the form read into a session and the sheet rendered).

    HANDOUT=build/handout python3 bench/desk.py [N]
"""
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "serve"))
from desk import Desk, sample_form  # noqa: E402

n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
with tempfile.TemporaryDirectory() as tmp:
    d = Desk(os.path.join(tmp, "records"))
    try:
        sizes = {p: len(d.get(p)[2]) for p in ["/", "/desk.css", "/desk.js"]}
        form = sample_form(notes="Zoë, thank you for telling me about the long drive.\n\n"
                                 "- Stop every hour\n- Walk for five minutes\n\n*Note your pain* each evening.")
        for _ in range(10):
            d.post("/api/sheet", form)
        rtt, server = [], []
        for _ in range(n):
            t = time.perf_counter()
            st, h, pdf = d.post("/api/sheet", form)
            rtt.append((time.perf_counter() - t) * 1000)
            server.append(float(h["X-Handout-Render-Ms"]))
            assert st == 200 and pdf.startswith(b"%PDF-")
        print("page weight: %d bytes (HTML %d, CSS %d, JS %d), no other request" % (
            sum(sizes.values()), sizes["/"], sizes["/desk.css"], sizes["/desk.js"]))
        print("PDF: %d bytes" % len(pdf))
        print("Preview, %d sheets: server %.2f ms median (p95 %.2f), round trip %.2f ms median (p95 %.2f)" % (
            n, statistics.median(server), sorted(server)[int(n * 0.95)],
            statistics.median(rtt), sorted(rtt)[int(n * 0.95)]))
    finally:
        d.close()
