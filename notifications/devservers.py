"""Local stand-ins for the providers we cannot reach from here, speaking their documented APIs:

- eSMS.vn: POST /MainService.svc/json/SendMultipleMessage_V4_post_json/ → {"CodeResult": "100", "SMSID": …},
  101 for a missing key, 108 for a malformed number, 124 for a RequestId it already has;
- Zalo ZNS: POST /message/template with an `access_token` header → {"error": 0, "data": {"msg_id": …}},
  -124 without a token, -108 for a malformed number;
- e-mail: a real SMTP server (aiosmtpd).

Each records what it was sent. GET / on the SMS server is the outbox page (every channel, newest first)
where a developer reads a sign-up code; GET /sent.json is the same for tests (?from=N: after the first N).
POST /_fail {"status": 503} makes both HTTP servers answer that status until POST /_fail {"status": 0};
POST /_no_zalo {"phones": ["84912345678"]} plays numbers without a Zalo account (ZNS answers -118); tests
that need a provider *down* stop its server and start it again on the same port.

    python -m notifications.devservers --sms-port 18030 --zalo-port 18031 --smtp-port 18025

Standard library and aiosmtpd only: it runs without Django.
"""

import argparse
import contextlib
import email
import email.policy
import html
import json
import re
import signal
import socket
import threading
import time
import uuid
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from aiosmtpd.controller import Controller

MOBILE_NATIONAL = re.compile(r"^0[35789]\d{8}$")
MOBILE_84 = re.compile(r"^84[35789]\d{8}$")


class Outbox:
    """What the local providers accepted, in order; shared by the three servers."""

    def __init__(self):
        self.lock = threading.Lock()
        self.sent: list[dict] = []
        self.request_ids: set[str] = set()
        self.fail_status = 0
        self.no_zalo: set[str] = set()  # numbers (84…) with no Zalo account: ZNS answers -118

    def record(self, channel: str, to: str, text: str, **extra) -> dict:
        now = time.time()
        entry = {"id": uuid.uuid4().hex, "channel": channel, "to": to, "text": text, "ts": now}
        entry["at"] = datetime.fromtimestamp(now).isoformat()
        with self.lock:
            self.sent.append(entry | extra)
        return entry


class _Handler(BaseHTTPRequestHandler):
    outbox: Outbox
    protocol_version = "HTTP/1.1"  # keep-alive, as the providers' servers do
    disable_nagle_algorithm = True  # headers and body go in two writes: without this, 40 ms of delayed ACK each

    def log_message(self, format, *args):  # quiet: the outbox page is the log
        pass

    def _answer(self, status: int, body, content_type="application/json; charset=utf-8"):
        data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _json(self) -> dict | None:
        try:
            return json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        except ValueError:
            return None

    def do_GET(self):
        if self.path.startswith("/sent.json"):  # ?from=N: only what came after the first N
            start = int(parse_qs(urlsplit(self.path).query).get("from", ["0"])[0])
            with self.outbox.lock:
                return self._answer(200, self.outbox.sent[start:])
        if self.path in ("/", "/outbox"):
            return self._answer(200, outbox_page(self.outbox), "text/html; charset=utf-8")
        self._answer(404, {"error": "not found"})

    def do_POST(self):
        body = self._json()
        if self.path == "/_fail":
            self.outbox.fail_status = int((body or {}).get("status", 0))
            return self._answer(200, {"fail_status": self.outbox.fail_status})
        if self.path == "/_no_zalo":
            self.outbox.no_zalo = set((body or {}).get("phones", []))
            return self._answer(200, {"no_zalo": sorted(self.outbox.no_zalo)})
        if self.path == "/_reset":
            with self.outbox.lock:
                self.outbox.sent.clear()
                self.outbox.request_ids.clear()
            self.outbox.no_zalo = set()
            return self._answer(200, {})
        if self.outbox.fail_status:
            return self._answer(self.outbox.fail_status, {"error": "failing on purpose"})
        if body is None:
            return self._answer(400, {"error": "Invalid request"})
        self.send_one(body)


class EsmsHandler(_Handler):
    def send_one(self, body):
        if not self.path.rstrip("/").endswith("SendMultipleMessage_V4_post_json"):
            return self._answer(404, {"error": "not found"})
        if not body.get("ApiKey") or not body.get("SecretKey"):
            return self._answer(200, {"CodeResult": "101", "CountRegenerate": 0, "ErrorMessage": "Authorize Failed"})
        phone = str(body.get("Phone", ""))
        if not (MOBILE_NATIONAL.match(phone) or MOBILE_84.match(phone)):
            return self._answer(200, {"CodeResult": "108", "CountRegenerate": 0, "ErrorMessage": "Phone invalid"})
        request_id = str(body.get("RequestId") or "")
        with self.outbox.lock:
            duplicate = request_id in self.outbox.request_ids
            self.outbox.request_ids.add(request_id)
        if request_id and duplicate:
            return self._answer(200, {"CodeResult": "124", "CountRegenerate": 0, "ErrorMessage": "Request exist 1"})
        entry = self.outbox.record("sms", phone, str(body.get("Content", "")), request_id=request_id)
        self._answer(200, {"CodeResult": "100", "CountRegenerate": 0, "SMSID": entry["id"]})


class ZaloHandler(_Handler):
    def send_one(self, body):
        if self.path.rstrip("/") != "/message/template":
            return self._answer(404, {"error": -201, "message": "not found"})
        if not self.headers.get("access_token"):
            return self._answer(200, {"error": -124, "message": "Access token is invalid"})
        phone = str(body.get("phone", ""))
        if not MOBILE_84.match(phone):
            return self._answer(200, {"error": -108, "message": "Phone number is invalid"})
        if phone in self.outbox.no_zalo:
            return self._answer(200, {"error": -118, "message": "Zalo account not existed or disabled"})
        data = body.get("template_data") or {}
        entry = self.outbox.record(
            "zalo",
            phone,
            str(data.get("text", "")),
            template_id=body.get("template_id"),
            tracking_id=body.get("tracking_id"),
        )
        sent_time = str(int(datetime.now().timestamp() * 1000))
        self._answer(200, {"error": 0, "message": "Success", "data": {"msg_id": entry["id"], "sent_time": sent_time}})


class SmtpHandler:
    def __init__(self, outbox: Outbox):
        self.outbox = outbox

    async def handle_DATA(self, server, session, envelope):
        mail = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = mail.get_body(("plain",))
        text = body.get_content() if body else ""
        for to in envelope.rcpt_tos:
            self.outbox.record("email", to, text, subject=" ".join(str(mail["Subject"] or "").split()))
        return "250 Message accepted for delivery"


def outbox_page(outbox: Outbox) -> bytes:
    with outbox.lock:
        entries = list(reversed(outbox.sent))
    rows = "".join(
        f"<tr><td>{e['at'][11:19]}</td><td>{e['channel']}</td><td>{html.escape(e['to'])}</td>"
        f"<td>{html.escape(e.get('subject', ''))}<pre>{html.escape(e['text'])}</pre></td></tr>"
        for e in entries
    )
    return (
        '<!doctype html><html lang="vi"><meta charset="utf-8"><meta http-equiv="refresh" content="5">'
        "<title>Hộp thư đi (máy chủ thử)</title><style>body{font-family:sans-serif;margin:1rem}"
        "td{border-top:1px solid #ccc;padding:.3rem;vertical-align:top}pre{white-space:pre-wrap;margin:0}</style>"
        "<h1>Hộp thư đi — tin đã gửi qua các máy chủ thử (SMS eSMS, Zalo ZNS, e-mail)</h1>"
        "<p>Local outbox: what the portal sent to the local providers, newest first.</p>"
        f"<table><tr><th>giờ</th><th>kênh</th><th>đến</th><th>nội dung</th></tr>{rows}</table></html>"
    ).encode()


class _Server(ThreadingHTTPServer):
    allow_reuse_address = True

    def __init__(self, *args):
        self.connections: set[socket.socket] = set()
        super().__init__(*args)

    def get_request(self):
        connection, address = super().get_request()
        self.connections.add(connection)
        return connection, address

    def shutdown_request(self, request):
        self.connections.discard(request)
        super().shutdown_request(request)

    def cut_connections(self):
        for connection in list(self.connections):
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class HttpServer:
    """One local provider's HTTP server in a thread, which can be stopped and started again."""

    def __init__(self, handler: type[_Handler], outbox: Outbox, port: int, host: str = "127.0.0.1"):
        self.handler = type(handler.__name__, (handler,), {"outbox": outbox})
        self.host, self.port, self.server = host, port, None

    def start(self) -> "HttpServer":
        self.server = _Server((self.host, self.port), self.handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Down as a crashed server is: the port refuses new connections, open ones are cut."""
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server.cut_connections()
            self.server = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


class DevServers:
    def __init__(self, *, sms_port=0, zalo_port=0, smtp_port=0):
        self.outbox = Outbox()
        self.sms = HttpServer(EsmsHandler, self.outbox, sms_port)
        self.zalo = HttpServer(ZaloHandler, self.outbox, zalo_port)
        self.smtp = Controller(SmtpHandler(self.outbox), hostname="127.0.0.1", port=smtp_port or free_port())

    def start(self) -> "DevServers":
        self.sms.start()
        self.zalo.start()
        self.smtp.start()
        return self

    def stop(self) -> None:
        self.sms.stop()
        self.zalo.stop()
        self.smtp.stop()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sms-port", type=int, default=18030)
    parser.add_argument("--zalo-port", type=int, default=18031)
    parser.add_argument("--smtp-port", type=int, default=18025)
    args = parser.parse_args()
    servers = DevServers(sms_port=args.sms_port, zalo_port=args.zalo_port, smtp_port=args.smtp_port).start()
    print(
        f"outbox: {servers.sms.url}/  SMS {servers.sms.url}  Zalo {servers.zalo.url}  SMTP 127.0.0.1:{args.smtp_port}"
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    servers.stop()


if __name__ == "__main__":
    main()
