#!/usr/bin/env python3
"""A real SMTP server on loopback for the mail tests (Debian's python3-aiosmtpd).

    smtp_server.py DIR [--cert CERT --key KEY] [--implicit-tls] [--user U --password P]
                       [--reject ADDR]... [--replies 421,451] [--drop N]

Listens on 127.0.0.1 (or --host ADDR), a free port it writes to DIR/port once it accepts
connections, and keeps every message it accepts as DIR/N.eml with
DIR/N.json (envelope sender and recipients, whether the session was TLS,
the AUTH login). What it can do wrong, on purpose:

  --cert/--key     offer STARTTLS with this certificate (without: no STARTTLS)
  --implicit-tls   TLS from the first byte (smtps://) instead
  --user/--password  accept AUTH PLAIN/LOGIN with these, and require it
  --reject ADDR    answer 550 to RCPT TO:<ADDR>
  --replies CODES  answer the first DATA commands with these codes (421, 451...)
                   instead of accepting, one code per message
  --drop N         close the connection, without a word, after receiving the
                   first N messages' DATA (the client never hears 250)
"""
import argparse
import asyncio
import json
import os
import signal
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--implicit-tls", action="store_true")
    ap.add_argument("--user")
    ap.add_argument("--password")
    ap.add_argument("--reject", action="append", default=[])
    ap.add_argument("--replies", default="")
    ap.add_argument("--drop", type=int, default=0)
    ap.add_argument("--host", default="127.0.0.1")
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    replies = [c for c in a.replies.split(",") if c]
    state = {"n": 0, "drop": a.drop}

    ctx = None
    if a.cert:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(a.cert, a.key)

    class Handler:
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if address in a.reject:
                return "550 5.1.1 <%s>: Recipient address rejected: no such user" % address
            envelope.rcpt_tos.append(address)
            return "250 2.1.5 Ok"

        async def handle_DATA(self, server, session, envelope):
            if state["drop"] > 0:
                state["drop"] -= 1
                server.transport.abort()  # the connection dies before any answer
                return "250 never heard"
            if replies:
                code = replies.pop(0)
                text = {"421": "4.7.0 Too busy, closing", "451": "4.3.0 Try again later"}.get(
                    code, "5.7.1 Refused")
                return "%s %s" % (code, text)
            state["n"] += 1
            n = state["n"]
            with open(os.path.join(a.dir, "%d.eml" % n), "wb") as f:
                f.write(envelope.original_content or envelope.content)
            with open(os.path.join(a.dir, "%d.json" % n), "w") as f:
                json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
                           "tls": session.ssl is not None
                           or server.transport.get_extra_info("ssl_object") is not None,
                           "login": session.auth_data.login.decode() if session.auth_data
                           else None}, f)
            return "250 2.0.0 Ok: queued as HD%04d" % n

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == a.user
              and auth_data.password.decode() == a.password)
        # handled=False: aiosmtpd then answers 535 itself (its default, True, answers nothing)
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    def factory():
        kw = {"hostname": "handout-test.example", "ident": "handout test server"}
        if ctx and not a.implicit_tls:
            kw["tls_context"] = ctx
            kw["require_starttls"] = False
        if a.user:
            kw["authenticator"] = authenticator
            kw["auth_required"] = True
            kw["auth_require_tls"] = False
        return SMTP(Handler(), decode_data=False, **kw)

    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(loop.create_server(
        factory, a.host, 0, ssl=ctx if a.implicit_tls else None))
    port = server.sockets[0].getsockname()[1]
    tmp = os.path.join(a.dir, "port.tmp")
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.rename(tmp, os.path.join(a.dir, "port"))
    loop.add_signal_handler(signal.SIGTERM, loop.stop)
    loop.add_signal_handler(signal.SIGINT, loop.stop)
    # A test killed outright (a CTest timeout sends SIGKILL) cannot stop its
    # servers: each one stops by itself once its parent is gone.
    parent = os.getppid()

    def watch_parent():
        if os.getppid() != parent:
            loop.stop()
        else:
            loop.call_later(1.0, watch_parent)

    loop.call_later(1.0, watch_parent)
    loop.run_forever()
    server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
