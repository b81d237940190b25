"""A local stand-in for Brevo's transactional SMS API, on 127.0.0.1 (ports 8130–8139).

It speaks the documented shapes: `POST /v3/transactionalSMS/sms` with the key in the
`api-key` header and a JSON body (`sender`, `recipient`, `content`, `type`…); 201 with
`{"reference", "messageId", "smsCount", "usedCredits", "remainingCredits"}`; errors as
`{"code", "message"}` (400 invalid_parameter, 401 unauthorized, 402 not_enough_credits…).
Tests script failures with `fail_next(status, code, message)` and read `received`.
"""

import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORTS = range(8130, 8140)
API_KEY = "xkeysib-test-key"
PATH = "/v3/transactionalSMS/sms"


class FakeBrevo:
    def __init__(self, *, delay: float = 0.0):
        self.received: list[dict] = []
        self.failures: list[tuple[int, str, str]] = []
        self.delay = delay
        self.lock = threading.Lock()
        self._ids = itertools.count(1511882900176220)
        self.server = self._bind()
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _bind(self) -> ThreadingHTTPServer:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                fake.handle(self)

        for port in PORTS:
            try:
                return ThreadingHTTPServer(("127.0.0.1", port), Handler)
            except OSError:
                continue
        raise RuntimeError("No free port for the fake Brevo server in 8130-8139")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{PATH}"

    def __enter__(self) -> "FakeBrevo":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def fail_next(self, status: int, code: str, message: str) -> None:
        self.failures.append((status, code, message))

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("content-length") or 0)
        raw = request.rfile.read(length)
        if request.path != PATH:
            return self._answer(request, 404, {"code": "not_found", "message": "Not found"})
        if request.headers.get("api-key") != API_KEY:
            return self._answer(request, 401, {"code": "unauthorized", "message": "Key not found"})
        try:
            body = json.loads(raw)
        except ValueError:
            return self._answer(
                request, 400, {"code": "bad_request", "message": "Invalid JSON body"}
            )
        missing = [name for name in ("sender", "recipient", "content") if not body.get(name)]
        if missing:
            return self._answer(
                request,
                400,
                {"code": "missing_parameter", "message": f"{missing[0]} is missing"},
            )
        if not str(body["recipient"]).isdigit():
            return self._answer(
                request,
                400,
                {"code": "invalid_parameter", "message": "Invalid recipient number"},
            )
        if self.delay:
            threading.Event().wait(self.delay)
        with self.lock:
            if self.failures:
                status, code, message = self.failures.pop(0)
                return self._answer(request, status, {"code": code, "message": message})
            self.received.append(body)
            message_id = next(self._ids)
        content = body["content"]
        sms_count = 1 if len(content) <= 160 else -(-len(content) // 153)
        self._answer(
            request,
            201,
            {
                "reference": f"ref{message_id}",
                "messageId": message_id,
                "smsCount": sms_count,
                "usedCredits": round(0.045 * sms_count, 3),
                "remainingCredits": 100.0,
            },
        )

    def _answer(self, request, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        request.send_response(status)
        request.send_header("content-type", "application/json")
        request.send_header("content-length", str(len(data)))
        request.end_headers()
        request.wfile.write(data)
