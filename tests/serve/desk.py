"""Starting and talking to 'handout serve' in tests (hostile.py, browser.py)."""
import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

HANDOUT = os.environ.get("HANDOUT", "build/handout")


class Desk:
    """A desk on a free loopback port, stopped by close()."""

    def __init__(self, records, *args, env=None):
        self.proc = subprocess.Popen(
            [HANDOUT, "serve", "--listen", "127.0.0.1:0", "--records", records, *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=dict(os.environ, **(env or {})))
        line = self.proc.stdout.readline()
        m = re.search(r"http://([0-9.]+):(\d+)/", line)
        if not m:
            raise AssertionError("no URL from handout serve: %r %r" % (line, self.proc.stderr.read()))
        self.host, self.port = m.group(1), int(m.group(2))
        self.url = "http://%s:%d" % (self.host, self.port)
        self.page = self.get("/")[2].decode()
        self.csrf = re.search(r'name="csrf-token" content="([0-9a-f]{64})"', self.page).group(1)

    def close(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise AssertionError("handout serve did not stop on SIGTERM")
        assert self.proc.returncode == 0, "handout serve exited with %s: %s" % (
            self.proc.returncode, self.proc.stderr.read())

    def alive(self):
        return self.proc.poll() is None

    def request(self, method, path, body=None, headers=None, timeout=30):
        req = urllib.request.Request(self.url + path, data=body, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def post(self, path, fields, token=True, headers=None):
        h = {"Content-Type": "application/x-www-form-urlencoded"}
        if token:
            h["X-Handout-CSRF"] = self.csrf if token is True else token
        h.update(headers or {})
        body = fields if isinstance(fields, bytes) else urllib.parse.urlencode(fields, doseq=True).encode()
        return self.request("POST", path, body, h)

    def raw(self, data, timeout=10):
        """Sends raw bytes, returns what comes back until the server closes."""
        s = socket.create_connection((self.host, self.port), timeout=timeout)
        try:
            try:
                s.sendall(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server answered and closed before reading it all
            got = b""
            while True:
                try:
                    chunk = s.recv(65536)
                except (ConnectionResetError, socket.timeout):
                    break
                if not chunk:
                    break
                got += chunk
            return got
        finally:
            s.close()


def sample_form(**over):
    f = {
        "client": "Zoë Test", "client_id": "c-0500", "date": "2026-12-02", "time": "09:30",
        "therapist": "María Núñez", "technique": ["swedish", "deep-tissue"],
        "area": ["neck", "lumbar-left"], "pressure": "firm", "pain_before": "6", "pain_after": "3",
        "notes": "Árbol *tight* today.\n\n- walk daily\n- drink water",
        "tip": ["knee-to-chest"], "dose.knee-to-chest": "Hold 20 s, 3 times",
        "next_visit": "2026-12-09T10:30", "language": "en", "paper": "a4",
    }
    f.update(over)
    return f


def form_request(d, path, body):
    """A POST sent whole over a raw socket (a server that refuses it early
    closes the connection while the body is still being sent)."""
    head = ("POST %s HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            "X-Handout-CSRF: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
            % (path, d.host, d.port, d.csrf, len(body))).encode()
    return d.raw(head + body)
