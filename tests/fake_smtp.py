"""A tiny local SMTP relay on 127.0.0.1 (ports 8130–8139): it counts connections and
messages, or stalls (accepts the connection and never greets), like a relay that hangs."""

import socketserver
import threading

PORTS = range(8130, 8140)


class FakeSmtp:
    def __init__(self, *, stall: bool = False):
        self.stall = stall
        self.connections = 0
        self.messages: list[bytes] = []
        self.lock = threading.Lock()
        self.release = threading.Event()
        self.server = self._bind()
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _bind(self) -> socketserver.ThreadingTCPServer:
        fake = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                with fake.lock:
                    fake.connections += 1
                if fake.stall:
                    fake.release.wait(30)
                    return
                fake.converse(self)

        socketserver.ThreadingTCPServer.daemon_threads = True
        socketserver.ThreadingTCPServer.allow_reuse_address = True
        for port in PORTS:
            try:
                return socketserver.ThreadingTCPServer(("127.0.0.1", port), Handler)
            except OSError:
                continue
        raise RuntimeError("No free port for the fake SMTP server in 8130-8139")

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def __enter__(self) -> "FakeSmtp":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def converse(self, handler) -> None:
        def say(line: str) -> None:
            handler.wfile.write(line.encode() + b"\r\n")
            handler.wfile.flush()

        say("220 fake.local ESMTP")
        while True:
            line = handler.rfile.readline()
            if not line:
                return
            verb = line.strip().split(b" ", 1)[0].upper()
            if verb in {b"EHLO", b"HELO"}:
                say("250 fake.local")
            elif verb in {b"MAIL", b"RCPT", b"RSET", b"NOOP"}:
                say("250 OK")
            elif verb == b"DATA":
                say("354 End data with <CR><LF>.<CR><LF>")
                data = []
                while (chunk := handler.rfile.readline()) not in {b".\r\n", b""}:
                    data.append(chunk)
                with self.lock:
                    self.messages.append(b"".join(data))
                say("250 Queued")
            elif verb == b"QUIT":
                say("221 Bye")
                return
            else:
                say("502 Not implemented")
