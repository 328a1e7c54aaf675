"""A partner's webhook receiver on loopback: verifies Standard Webhooks signatures, and can
be told to fail its first N requests, or to hold its first request (take it, answer nothing)
until the test releases it."""

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


@dataclass
class Receiver:
    secret: str
    fail_first: int = 0
    url: str = ""
    received: list[dict] = field(default_factory=list)
    verified: list[bool] = field(default_factory=list)
    requests: int = 0
    hold_first: bool = False
    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)


@contextmanager
def webhook_receiver(secret: str, fail_first: int = 0, hold_first: bool = False) -> Iterator[Receiver]:
    receiver = Receiver(secret=secret, fail_first=fail_first, hold_first=hold_first)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with lock:
                receiver.requests += 1
                number = receiver.requests
            if number <= receiver.fail_first:
                self.send_response(503)
                self.end_headers()
                return
            try:
                Webhook(receiver.secret).verify(body, dict(self.headers.items()))
                receiver.verified.append(True)
            except WebhookVerificationError:
                receiver.verified.append(False)
            receiver.received.append({"headers": dict(self.headers.items()), "body": json.loads(body), "raw": body})
            if receiver.hold_first and number == 1:
                receiver.holding.set()
                receiver.release.wait(60)
                return  # the sender is gone (killed): it never hears back
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/ashyqken"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        receiver.release.set()
        server.shutdown()
        server.server_close()
