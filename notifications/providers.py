"""One small adapter per provider: send a message, read the answer, and say what happened —
sent, try again later (the provider is down or busy) or give up (it refused the message for good).

SMS goes through eSMS.vn's brand-name API (SendMultipleMessage_V4_post_json, customer-care type 2),
Zalo through the Zalo Notification Service's template API, e-mail through Django's SMTP backend. Each
request carries the message's own id (eSMS `RequestId`, Zalo `tracking_id`), so a provider that already
has it refuses the repeat instead of sending twice. In development and tests the same requests go to
the local servers in notifications/devservers.py.
"""

import math
import smtplib
import unicodedata
from dataclasses import dataclass
from functools import cache

import orjson
import urllib3
from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from notifications.models import Channel, Message


@dataclass(frozen=True)
class Outcome:
    sent: bool
    retry: bool = False
    reason: str = ""
    ref: str = ""
    cost_vnd: int = 0
    unreachable: bool = False  # the person cannot get messages on this channel at all: try another


def later(reason: str) -> Outcome:
    return Outcome(sent=False, retry=True, reason=reason[:300])


def give_up(reason: str) -> Outcome:
    return Outcome(sent=False, retry=False, reason=reason[:300])


@cache
def _http() -> urllib3.PoolManager:
    return urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=2, read=settings.NOTIFY_HTTP_TIMEOUT),
        retries=False,
        maxsize=settings.NOTIFY_PARALLEL,
    )


def _post(url: str, body: dict, headers: dict | None = None) -> tuple[Outcome | None, dict]:
    """POST JSON; an answer to read, or the Outcome that a transport failure or an HTTP error already is."""
    try:
        answer = _http().request(
            "POST", url, body=orjson.dumps(body), headers={"Content-Type": "application/json", **(headers or {})}
        )
    except urllib3.exceptions.HTTPError as error:
        return later(f"unreachable: {error.__class__.__name__}"), {}
    if answer.status >= 500 or answer.status == 429:
        return later(f"HTTP {answer.status}"), {}
    if answer.status >= 400:
        return give_up(f"HTTP {answer.status}: {answer.data[:200].decode(errors='replace')}"), {}
    try:
        return None, orjson.loads(answer.data)
    except orjson.JSONDecodeError:
        return later(f"HTTP {answer.status} with an unreadable answer"), {}


PLAIN = str.maketrans({"đ": "d", "Đ": "D", "“": '"', "”": '"', "‘": "'", "’": "'", "…": "...", "–": "-", "—": "-"})


def unaccented(text: str) -> str:
    """Brand-name SMS are sent in the GSM alphabet (IsUnicode 0): 160 letters a segment instead of 70,
    so the marks and typographic quotes go."""
    text = text.translate(PLAIN)
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def sms_segments(text: str) -> int:
    return 1 if len(text) <= 160 else math.ceil(len(text) / 153)


class EsmsSms:
    # eSMS's table of error codes: these may pass (an account topped up, a network back); the rest are final.
    RETRY = {"103": "not enough balance", "140": "IP not whitelisted"}

    def send(self, message: Message) -> Outcome:
        content = unaccented(message.text)
        failed, answer = _post(
            settings.ESMS_URL.rstrip("/") + "/MainService.svc/json/SendMultipleMessage_V4_post_json/",
            {
                "ApiKey": settings.ESMS_API_KEY,
                "SecretKey": settings.ESMS_SECRET_KEY,
                "Phone": "0" + message.to.removeprefix("+84"),
                "Content": content,
                "Brandname": settings.ESMS_BRANDNAME,
                "SmsType": "2",
                "IsUnicode": "0",
                "RequestId": f"{settings.NOTIFY_REF_PREFIX}{message.pk}",
            },
        )
        if failed:
            return failed
        code = str(answer.get("CodeResult", ""))
        cost = sms_segments(content) * settings.SMS_PRICE_VND
        if code == "100":
            return Outcome(sent=True, ref=str(answer.get("SMSID", "")), cost_vnd=cost)
        if code == "124":  # "duplicate RequestId": an earlier try reached eSMS; it is not sent twice
            return Outcome(sent=True, reason="eSMS already had this request", cost_vnd=cost)
        reason = f"eSMS {code}: {answer.get('ErrorMessage') or self.RETRY.get(code) or answer}"
        return later(reason) if code in self.RETRY else give_up(reason)


class ZaloZns:
    # Zalo's error codes that may pass: rate limit, an unknown server-side error, the OA's daily quota.
    RETRY = {-32, -100, -144}
    # The person cannot get ZNS: not received for the account's state, its settings or an old Zalo (-114),
    # no Zalo account or a disabled one (-118), an account that cannot receive ZNS (-119), this kind of
    # ZNS refused by the person (-139). notify() sends such a message by SMS instead.
    UNREACHABLE = {-114, -118, -119, -139}

    def send(self, message: Message) -> Outcome:
        failed, answer = _post(
            settings.ZALO_ZNS_URL.rstrip("/") + "/message/template",
            {
                "phone": message.to.removeprefix("+"),
                "template_id": message.template["id"],
                "template_data": message.template["data"],
                "tracking_id": f"{settings.NOTIFY_REF_PREFIX}{message.pk}",
            },
            headers={"access_token": settings.ZALO_ACCESS_TOKEN},
        )
        if failed:
            return failed
        error = answer.get("error")
        if error == 0:
            return Outcome(
                sent=True, ref=str(answer.get("data", {}).get("msg_id", "")), cost_vnd=settings.ZALO_PRICE_VND
            )
        reason = f"Zalo {error}: {answer.get('message', '')}"[:300]
        if error in self.UNREACHABLE:
            return Outcome(sent=False, reason=f"{reason} (sent by SMS instead)"[:300], unreachable=True)
        return later(reason) if error in self.RETRY else give_up(reason)


class SmtpEmail:
    def send(self, message: Message) -> Outcome:
        connection = get_connection("django.core.mail.backends.smtp.EmailBackend", timeout=settings.NOTIFY_HTTP_TIMEOUT)
        mail = EmailMessage(message.subject, message.text, to=[message.to], connection=connection)
        mail.extra_headers["Message-ID"] = f"<{settings.NOTIFY_REF_PREFIX}{message.pk}@portal>"
        try:
            mail.send()
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _text in error.recipients.values()]
            reason = f"SMTP {codes}: recipient refused"
            return later(reason) if all(400 <= code < 500 for code in codes) else give_up(reason)
        except smtplib.SMTPResponseException as error:
            reason = f"SMTP {error.smtp_code}: {error.smtp_error[:200]!r}"
            return later(reason) if 400 <= error.smtp_code < 500 else give_up(reason)
        except (smtplib.SMTPException, OSError) as error:
            return later(f"SMTP unreachable: {error.__class__.__name__}")
        return Outcome(sent=True, ref=mail.extra_headers["Message-ID"])


PROVIDERS = {Channel.SMS: EsmsSms(), Channel.ZALO: ZaloZns(), Channel.EMAIL: SmtpEmail()}
