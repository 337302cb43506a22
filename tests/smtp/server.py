#!/usr/bin/env python3
"""A small SMTP server for Mutual's email tests, built on aiosmtpd (pinned to 1.4.6 by
scripts/install-deps test).

It listens on 127.0.0.1 only and stores every accepted message in --dir:
  NNNNNN.eml   the message's bytes exactly as received (after SMTP dot-unstuffing)
  NNNNNN.json  {"mail_from": ..., "rcpt_tos": [...], "received_at": ...}
Both are written through a temporary file and a rename, the .json first, so a reader
that sees NNNNNN.eml also sees its complete NNNNNN.json.

Options:
  --port N                 port to listen on; 0 (the default) picks a free one
  --dir DIR                where to store messages (created if missing)
  --reject ADDRESS=CODE    answer RCPT TO:<ADDRESS> with CODE (e.g. 550 or 451); repeatable
  --rcpt-delay-ms N        sleep N ms before answering each RCPT TO
  --auth USER:PASS         require AUTH PLAIN/LOGIN (allowed without TLS); others get 535
  --stop-on-stdin-eof      also stop when stdin closes (so it dies with the test that
                           started it, even if that test is killed)

Once listening it prints exactly one line, "LISTENING <port>", and flushes stdout.
It stops on SIGTERM or SIGINT.
"""

import argparse
import asyncio
import datetime
import json
import logging
import os
import signal
import sys
import threading
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def reply_for(code: int, address: str) -> str:
    if 500 <= code <= 599:
        return f"{code} 5.1.1 <{address}>: Recipient address rejected (test server)"
    if 400 <= code <= 499:
        return f"{code} 4.2.0 <{address}>: Recipient temporarily unavailable (test server)"
    return f"{code} <{address}>: test server reply"


class Store:
    """Writes accepted messages as numbered .eml/.json pairs."""

    def __init__(self, directory: str):
        self.directory = directory
        os.makedirs(directory, exist_ok=True)
        existing = [
            int(name[:-4])
            for name in os.listdir(directory)
            if name.endswith(".eml") and name[:-4].isdigit()
        ]
        self.next = max(existing, default=0) + 1

    def _write_atomically(self, name: str, data: bytes) -> None:
        path = os.path.join(self.directory, name)
        temp = os.path.join(self.directory, f".{name}.tmp")
        with open(temp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, path)

    def save(self, mail_from: str, rcpt_tos: list, raw: bytes) -> str:
        stem = f"{self.next:06d}"
        self.next += 1
        meta = {
            "mail_from": mail_from,
            "rcpt_tos": list(rcpt_tos),
            "received_at": datetime.datetime.now(datetime.timezone.utc).isoformat(),
        }
        self._write_atomically(f"{stem}.json", json.dumps(meta).encode("utf-8"))
        self._write_atomically(f"{stem}.eml", raw)
        return stem


class Handler:
    def __init__(self, store: Store, rejects: dict, rcpt_delay_ms: int):
        self.store = store
        self.rejects = rejects
        self.rcpt_delay = rcpt_delay_ms / 1000.0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_delay > 0:
            await asyncio.sleep(self.rcpt_delay)
        code = self.rejects.get(address.lower())
        if code is not None:
            return reply_for(code, address)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content
        if raw is None:
            raw = envelope.content if isinstance(envelope.content, bytes) else b""
        stem = self.store.save(envelope.mail_from, envelope.rcpt_tos, raw)
        return f"250 OK queued as {stem}"


class Authenticator:
    def __init__(self, user: str, password: str):
        self.user = user.encode("utf-8")
        self.password = password.encode("utf-8")

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == self.user
            and auth_data.password == self.password
        )
        # A failed AuthResult makes aiosmtpd answer "535 5.7.8 Authentication credentials invalid".
        return AuthResult(success=ok, handled=False)


def parse_args(argv):
    p = argparse.ArgumentParser(description="SMTP test server on 127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--dir", required=True)
    p.add_argument("--reject", action="append", default=[], metavar="ADDRESS=CODE")
    p.add_argument("--rcpt-delay-ms", type=int, default=0)
    p.add_argument("--auth", metavar="USER:PASS")
    p.add_argument("--stop-on-stdin-eof", action="store_true")
    args = p.parse_args(argv)
    rejects = {}
    for item in args.reject:
        address, sep, code = item.rpartition("=")
        if not sep or not address or not code.isdigit() or not 400 <= int(code) <= 599:
            p.error(f"--reject wants ADDRESS=CODE with a 4xx or 5xx code, got {item!r}")
        rejects[address.lower()] = int(code)
    auth = None
    if args.auth is not None:
        user, sep, password = args.auth.partition(":")
        if not sep or not user:
            p.error("--auth wants USER:PASS")
        auth = (user, password)
    return args, rejects, auth


async def serve(args, rejects, auth) -> None:
    loop = asyncio.get_running_loop()
    handler = Handler(Store(args.dir), rejects, args.rcpt_delay_ms)

    def factory():
        kwargs = dict(
            hostname="smtp.test",  # avoids socket.getfqdn(), which can stall on DNS
            decode_data=False,
            enable_SMTPUTF8=True,
        )
        if auth is not None:
            kwargs.update(
                authenticator=Authenticator(*auth),
                auth_required=True,
                auth_require_tls=False,
            )
        return SMTP(handler, **kwargs)

    server = await loop.create_server(factory, host="127.0.0.1", port=args.port)
    port = server.sockets[0].getsockname()[1]

    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    if args.stop_on_stdin_eof:

        def watch_stdin():
            while sys.stdin.buffer.read(4096):
                pass
            loop.call_soon_threadsafe(stop.set)

        threading.Thread(target=watch_stdin, daemon=True).start()

    sys.stdout.write(f"LISTENING {port}\n")
    sys.stdout.flush()

    await stop.wait()
    # Not wait_closed(): on newer Pythons it waits for clients to hang up.
    server.close()


def main(argv=None) -> int:
    args, rejects, auth = parse_args(sys.argv[1:] if argv is None else argv)
    # AUTH without TLS is what the tests ask for: silence aiosmtpd's warnings about it
    # (and its own deprecation notice, which it logs on every successful AUTH).
    warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    asyncio.run(serve(args, rejects, auth))
    return 0


if __name__ == "__main__":
    sys.exit(main())
