#!/usr/bin/env python3
"""Hostile HTTP against 'handout serve': every answer is a clear 4xx, nothing
reaches the file system unchecked, and the server neither crashes nor hangs.

    HANDOUT=build/handout python3 tests/serve/hostile.py WORK_DIR
"""
import concurrent.futures
import os
import shutil
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from desk import HANDOUT, Desk, form_request, sample_form  # noqa: E402
import urllib.parse  # noqa: E402

work = sys.argv[1] if len(sys.argv) > 1 else "/tmp/desk-hostile"
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
records = os.path.join(work, "records")
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


d = Desk(records, "--timeout", "2")
try:
    # --- headers on every answer
    st, h, body = d.get("/")
    csp = h.get("Content-Security-Policy", "")
    check(st == 200 and "script-src 'self'" in csp and "unsafe-inline" not in csp
          and "frame-ancestors 'none'" in csp, "the page: CSP without inline script, no framing")
    check(h.get("X-Frame-Options") == "DENY" and h.get("X-Content-Type-Options") == "nosniff",
          "X-Frame-Options DENY, nosniff")
    check(b"<script>" not in body and b" on" + b"click=" not in body, "no inline script in the page")
    st, h, _ = d.get("/desk.js")
    check(st == 200 and h.get("Content-Type", "").startswith("text/javascript"), "the script is served")

    # --- CSRF
    form = sample_form()
    st, _, _ = d.post("/api/sheet", form, token=False)
    check(st == 403, "a POST without the token is refused (%d)" % st)
    st, _, _ = d.post("/api/sheet", form, token="0" * 64)
    check(st == 403, "a forged token is refused (%d)" % st)
    st, _, _ = d.post("/api/save", form, token=d.csrf[:-1])
    check(st == 403, "a token one character short is refused (%d)" % st)
    st, _, _ = d.post("/api/sheet", form, headers={"Origin": "http://evil.example"})
    check(st == 403, "a cross-site Origin is refused, even with the token (%d)" % st)
    st, _, _ = d.post("/api/sheet", form, headers={"Sec-Fetch-Site": "cross-site"})
    check(st == 403, "Sec-Fetch-Site: cross-site is refused (%d)" % st)
    st, _, _ = d.get("/api/clients?q=a")
    check(st == 403, "the client list needs the token too (%d)" % st)
    st, h, pdf = d.post("/api/sheet", form)
    check(st == 200 and pdf.startswith(b"%PDF-") and h.get("Content-Type") == "application/pdf",
          "with the token, the sheet is made")
    check(not os.path.exists(os.path.join(records, "c-0500")), "refused saves wrote nothing")

    # --- email without an SMTP server: the message as an .eml file
    st, h, eml = d.post("/api/mail", sample_form(email="zoe@example.org"))
    check(st == 200 and h.get("Content-Type") == "message/rfc822" and b"To: " in eml
          and b"zoe@example.org" in eml and b"application/pdf" in eml
          and "attachment" in h.get("Content-Disposition", ""), "email: the .eml to download")
    st, _, body = d.post("/api/mail", sample_form(email=""))
    check(st == 422 and b'"field":"email"' in body, "email without an address: next to the email field")
    st, _, body = d.post("/api/mail", sample_form(email="zoe@example.org", mail_protect="1"))
    check(st == 422 and b'"field":"mail_password"' in body, "a protected PDF without its password")
    st, _, eml2 = d.post("/api/mail", sample_form(email="zoe@example.org", mail_protect="1",
                                                  mail_password="pässword-1"))
    check(st == 200 and eml2 != eml and "pässword-1".encode() not in eml2, "a protected PDF: the password is not in the message")
    st, _, body = d.post("/api/mail", sample_form(email="zoe@example.org\r\nBcc: x@evil.example"))
    check(st == 422, "a header in the address is refused (%d)" % st)

    # --- DNS rebinding: another Host on loopback
    st, _, _ = d.get("/", headers={"Host": "evil.example:%d" % d.port})
    check(st == 421, "a foreign Host header is refused (%d)" % st)

    # --- sizes
    t = time.time()
    got = d.raw(b"POST /api/sheet HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                b"X-Handout-CSRF: %s\r\nContent-Length: 104857600\r\n\r\n" % (d.host.encode(), d.port, d.csrf.encode())
                + b"a" * 65536)
    check(got.startswith(b"HTTP/1.1 413") and time.time() - t < 5,
          "a declared 100 MB body: 413 at once (%r)" % got[:30])
    got = form_request(d, "/api/sheet", urllib.parse.urlencode(sample_form(notes="x" * (1024 * 1024)), doseq=True).encode())
    check(got.startswith(b"HTTP/1.1 413"), "a 1 MB field is refused (%r)" % got[:30])
    chunked = (b"POST /api/sheet HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/x-www-form-urlencoded\r\n"
               b"X-Handout-CSRF: %s\r\nTransfer-Encoding: chunked\r\n\r\n" % (d.host.encode(), d.port, d.csrf.encode()))
    for _ in range(40):
        chunked += b"10000\r\n" + b"b" * 0x10000 + b"\r\n"
    chunked += b"0\r\n\r\n"
    got = d.raw(chunked)
    check(got.startswith(b"HTTP/1.1 413"), "a chunked body over the limit: 413 (%r)" % got[:30])
    got = d.raw(b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"h" * 200000 + b"\r\n\r\n")
    check(got[:12] in (b"HTTP/1.1 431", b"HTTP/1.1 413", b"HTTP/1.1 400") or got == b"",
          "a 200 KB header is refused (%r)" % got[:30])
    st, _, _ = d.post("/api/sheet", b"&".join([b"area=neck"] * 600))
    check(st == 400, "600 fields are refused (%d)" % st)

    # --- encodings
    st, _, body = d.post("/api/sheet", b"client=%ZZ&date=2026-12-02")
    check(st == 400, "a bad %%-escape: 400 (%d)" % st)
    st, _, body = d.post("/api/sheet", b"client=a%00b")
    check(st == 400, "a NUL byte: 400 (%d)" % st)
    st, _, body = d.post("/api/sheet", b"client=Zo%FF%FE&date=2026-12-02")
    check(st == 422 and b'"code":"encoding","field":"client"' in body,
          "text that is not UTF-8: 422 next to its field")
    st, _, body = d.post("/api/sheet", b"client=A%1Bb")
    check(st == 422 and b'"field":"client"' in body, "a control character: 422 next to its field")
    st, _, _ = d.post("/api/sheet", b"client=x", headers={"Content-Type": "text/plain"})
    check(st == 415, "another content type: 415 (%d)" % st)

    # --- paths
    for path in ["/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/desk.css/../../etc/passwd",
                 "/api/../../etc/passwd", "//etc/passwd", "/records/c-0500"]:
        st, _, body = d.get(path)
        check(st in (400, 403, 404) and b"root:" not in body, "GET %s: %d" % (path, st))
    os.makedirs(os.path.join(work, "elsewhere"))
    os.symlink(os.path.join(work, "elsewhere"), os.path.join(records, "c-link"))
    for cid in ["../elsewhere", "..", ".", "a/b", "/etc", "c-0500/../../x", ".hidden", "c%2f1", "-x",
                "c-link"]:
        st, _, body = d.post("/api/save", sample_form(client_id=cid))
        check(st in (409, 422) and b'"field":"client_id"' in body, "save with client id %r: %d" % (cid, st))
        st, _, body = d.post("/api/report", {"client_id": cid})
        check(st in (404, 409, 422), "report of client id %r: %d" % (cid, st))
    check(os.listdir(os.path.join(work, "elsewhere")) == [], "nothing written through the link")
    check(sorted(os.listdir(records)) == ["c-link"], "nothing written for refused ids")
    check(sorted(os.listdir(work)) == ["elsewhere", "records"], "nothing written beside the records")

    # --- requests that are not HTTP
    for junk in [b"GARBAGE\r\n\r\n", b"GET\r\n\r\n", b"\x00\x01\x02\xff\r\n\r\n",
                 b"GET / HTTP/9.9\r\nHost: x\r\n\r\n", b"DELETE / HTTP/1.1\r\nHost: %s:%d\r\n\r\n" % (d.host.encode(), d.port),
                 b"POST /api/sheet HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
                 b"POST /api/sheet HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n"]:
        got = d.raw(junk)
        check(got == b"" or got[9:10] == b"4" or got[9:12] == b"505", "junk %r: %r" % (junk[:24], got[:20]))
    check(d.alive(), "still running after the junk")

    # --- slowloris: half a request, then nothing; the server closes it
    s = socket.create_connection((d.host, d.port), timeout=10)
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
    t = time.time()
    others = [d.get("/")[0] for _ in range(3)]
    check(others == [200] * 3, "other requests answered during a slow one")
    try:
        closed = s.recv(100) == b""
    except (ConnectionResetError, socket.timeout):
        closed = True
    waited = time.time() - t
    s.close()
    check(closed and waited < 6, "the half request is dropped after the idle timeout (%.1f s)" % waited)
    slow = []
    for _ in range(50):
        c = socket.create_connection((d.host, d.port), timeout=10)
        c.sendall(b"POST /api/sheet HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nclient=")
        slow.append(c)
    check(d.get("/")[0] == 200, "50 stalled uploads do not block the desk")
    for c in slow:
        c.close()

    # --- many at once: all answered, memory flat
    def one(i):
        if i % 4 == 0:
            st, _, body = d.post("/api/sheet", sample_form(client="Client %d" % i))
            return st == 200 and body.startswith(b"%PDF-")
        return d.get("/")[0] == 200
    with concurrent.futures.ThreadPoolExecutor(50) as pool:
        ok1 = sum(pool.map(one, range(200)))
    rss1 = rss_kb(d.proc.pid)
    with concurrent.futures.ThreadPoolExecutor(50) as pool:
        ok2 = sum(pool.map(one, range(200)))
    rss2 = rss_kb(d.proc.pid)
    check(ok1 == 200 and ok2 == 200, "2 x 200 requests, 50 at a time: all answered (%d, %d)" % (ok1, ok2))
    if os.environ.get("HANDOUT_SANITIZED"):
        print("skip memory flat: AddressSanitizer keeps freed memory in quarantine")
    else:
        check(rss2 - rss1 < 8000, "memory flat: %d KB then %d KB" % (rss1, rss2))
    if shutil.which("ab") and not os.environ.get("HANDOUT_SANITIZED"):
        r = subprocess.run(["ab", "-q", "-n", "1000", "-c", "200", "-s", "20", d.url + "/"],
                           capture_output=True, text=True, timeout=120)
        failed = [line for line in r.stdout.splitlines() if line.startswith(("Failed requests", "Complete requests", "Non-2xx"))]
        check(r.returncode == 0 and "Complete requests:      1000" in r.stdout
              and "Failed requests:        0" in r.stdout and "Non-2xx" not in r.stdout,
              "ab: 1000 requests, 200 concurrent: %s" % "; ".join(failed))
        rss3 = rss_kb(d.proc.pid)
        check(rss3 - rss2 < 8000, "memory flat after ab: %d KB" % rss3)
    check(d.alive(), "still running at the end")
finally:
    d.close()

# --- LAN mode: refused without a password, then only after the login
r = subprocess.run([HANDOUT, "serve", "--listen", "0.0.0.0:0", "--records", records],
                   capture_output=True, text=True, timeout=30)
check(r.returncode == 2 and "password" in r.stderr, "LAN without a password: refused (%d)" % r.returncode)
r = subprocess.run([HANDOUT, "serve", "--hash-password"], input="clinic-secret-42\n",
                   capture_output=True, text=True, timeout=30)
check(r.returncode == 0 and r.stdout.startswith("pbkdf2-sha256$") and "clinic-secret" not in r.stdout,
      "--hash-password prints a hash line")
pw = os.path.join(work, "desk.pass")
with open(pw, "w") as f:
    f.write(r.stdout)
import desk as deskmod  # noqa: E402
import re  # noqa: E402
import urllib.request  # noqa: E402
proc = subprocess.Popen([HANDOUT, "serve", "--listen", "0.0.0.0:0", "--records", records,
                         "--password-file", pw], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
try:
    out = proc.stdout.readline() + proc.stdout.readline()
    check("password" in out, "LAN mode says so at startup: %r" % out.strip())
    port = int(re.search(r":(\d+)/", out).group(1))

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *a, **k):
            return None
    opener = urllib.request.build_opener(NoRedirect)

    def call(method, path, body=None, headers=None):
        req = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path), data=body, method=method,
                                     headers=headers or {})
        try:
            with opener.open(req, timeout=30) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()
    st, h, _ = call("GET", "/")
    check(st == 303 and h.get("Location") == "/login", "LAN: the desk asks for the login first (%d)" % st)
    st, _, _ = call("POST", "/api/sheet", b"client=x", {"Content-Type": "application/x-www-form-urlencoded"})
    check(st == 401, "LAN: an action without the login is refused (%d)" % st)
    st, _, page = call("GET", "/login")
    token = re.search(rb'name="csrf" value="([0-9a-f]{64})"', page).group(1).decode()
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    st, _, _ = call("POST", "/login", ("csrf=%s&password=wrong-password" % token).encode(), form)
    check(st == 403, "LAN: a wrong password is refused (%d)" % st)
    st, _, _ = call("POST", "/login", b"password=clinic-secret-42", form)
    check(st == 403, "LAN: a login without the CSRF token is refused (%d)" % st)
    st, h, _ = call("POST", "/login", ("csrf=%s&password=clinic-secret-42" % token).encode(), form)
    cookie = h.get("Set-Cookie", "")
    check(st == 303 and "HttpOnly" in cookie and "SameSite=Strict" in cookie, "LAN: the right password logs in")
    st, _, _ = call("GET", "/", None, {"Cookie": cookie.split(";")[0]})
    check(st == 200, "LAN: with the login cookie, the desk opens (%d)" % st)
    st, _, _ = call("GET", "/", None, {"Cookie": "hd_desk=" + "0" * 64})
    check(st == 303, "LAN: a forged cookie is not a login (%d)" % st)
finally:
    proc.terminate()
    proc.wait(10)

if failures:
    print("%d failed" % len(failures))
    sys.exit(1)
print("all passed")
