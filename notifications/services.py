"""notify(): the one door through which the portal tells someone something.

A service calls `notify()` inside its own transaction: the event row commits with the change or not at
all. After the commit the `dispatch` task turns the event into a message in the person's channel and
language (the unique (event, channel) pair makes a second run a no-op) and hands it to the provider. A message
the provider could not take yet stays queued with a later `next_try_at` (backoff); one it refused for
good is failed with the provider's reason; a Zalo message the person cannot receive there goes by SMS
instead. If the broker is down at commit, or a task is lost, the beat task `sweep` finds events not yet
expanded and messages due, as `reconcile` does for the index. The tasks run on a queue of their own
(settings.NOTIFY_QUEUE), in a worker at a lower CPU priority than the one that indexes.
"""

import logging
import os
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone, translation

from notifications.models import Channel, Event, Message, Preference
from notifications.providers import PROVIDERS, Outcome, give_up
from notifications.texts import wording
from portal.enqueue import enqueue_on_commit

logger = logging.getLogger(__name__)
Kind = Event.Kind

# Codes and the warning that a number is taken go out at any hour, whatever the preferences say.
ESSENTIAL = {Kind.CODE, Kind.NUMBER_TAKEN}
# Not about anything the person did: sent only with the "job alerts" consent (candidates.Consent).
NEEDS_ALERTS_CONSENT = {Kind.DEADLINE_SOON, Kind.SAVED_SEARCH, Kind.MATCH_DIGEST}
VIETNAM_TIME = ZoneInfo("Asia/Ho_Chi_Minh")
MAX_ATTEMPTS = 12  # with the backoff below: about two hours of outage before a message is given up
STOP_SALT = "notifications.stop"
CODE_USEFUL_FOR = timedelta(minutes=5)  # accounts.codes.LIFETIME: a late code is no use to anyone
CODE_DIGITS = re.compile(r"\b\d{6}\b")


def notify(*, kind: str, user=None, phone: str = "", context: dict | None = None, key: str | None = None) -> Event:
    """Record that `user` (or, before an account exists, `phone`) must hear of this; sent after commit.
    An event with a `key` is recorded once, however often it is notified."""
    fields = {"kind": kind, "user": user, "phone": phone, "context": context or {}}
    if key is None:
        event, created = Event.objects.create(**fields), True
    else:
        event, created = Event.objects.get_or_create(key=key, defaults=fields)
    if created:
        _enqueue_on_commit([event.pk])
    return event


def notify_many(events: list[dict]) -> int:
    """Many events at once (a digest, a burst): one insert, and one task per batch after the commit.
    Each dict holds notify()'s arguments; either all have a key or none. Events whose key exists already
    are left as they are."""
    rows = [
        Event(
            kind=e["kind"], user=e.get("user"), phone=e.get("phone", ""), context=e.get("context", {}), key=e.get("key")
        )
        for e in events
    ]
    created = Event.objects.bulk_create(rows, ignore_conflicts=any(row.key for row in rows))
    ids = [row.pk for row in created if row.pk]
    if len(ids) < len(rows):  # ignore_conflicts leaves the ids unset: read back those still to send
        keys = [row.key for row in rows if row.key]
        ids = list(Event.objects.filter(key__in=keys, expanded_at=None).values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        _enqueue_on_commit(ids[start : start + BATCH])
    return len(ids)


def _enqueue_on_commit(event_ids: list[int]) -> None:
    """Through the one guarded path: with the broker down the events stand, and the sweep sends them."""
    from notifications.tasks import dispatch

    enqueue_on_commit(dispatch, event_ids)


def after_quiet_hours(now: datetime) -> datetime:
    if not settings.NOTIFY_QUIET_HOURS:
        return now
    quiet_from, quiet_until = (time(hour) for hour in settings.NOTIFY_QUIET_HOURS)
    local = timezone.localtime(now, VIETNAM_TIME)
    if quiet_until <= local.time() < quiet_from:
        return now
    day = local.date() + timedelta(days=1 if local.time() >= quiet_from else 0)
    return datetime.combine(day, quiet_until, tzinfo=VIETNAM_TIME)


def preference_of(user) -> Preference:
    return Preference.objects.filter(user=user).first() or Preference(user=user)


def alerts_consented(user_ids: set[int]) -> set[int]:
    """Who of these people agreed to alerts. Consents are the workers' records, in candidates/, which sits
    above this app (README, Architecture): candidates' AppConfig.ready() puts its selector here."""
    raise NotImplementedError("candidates/apps.py replaces this when the candidates app is ready")


def _address(event: Event, preference: Preference) -> tuple[str, str] | None:
    """The channel and address: codes by SMS to the number being proven; otherwise the person's choice,
    falling back to e-mail when they have no number (and to SMS when they have no e-mail)."""
    if event.kind == Kind.CODE or event.user is None:
        return (Channel.SMS, event.phone) if event.phone else None
    user = event.user
    wanted = [preference.channel, Channel.SMS, Channel.EMAIL]
    for channel in wanted:
        address = user.email if channel == Channel.EMAIL else user.phone
        if address:
            return channel, address
    return None


def stop_url(user) -> str:
    return settings.SITE_URL + reverse("notifications-stop", args=[signing.dumps(user.pk, salt=STOP_SALT)])


def user_from_stop_token(token: str):
    try:
        return get_user_model().objects.filter(pk=signing.loads(token, salt=STOP_SALT)).first()
    except signing.BadSignature:
        return None


def _message_for(event: Event, now: datetime, preference: Preference, consented: set[int]) -> Message | None:
    essential = event.kind in ESSENTIAL
    if not essential and (event.user is None or preference.stopped_at):
        return None
    if event.kind in NEEDS_ALERTS_CONSENT and event.user_id not in consented:
        return None
    if (address := _address(event, preference)) is None:
        return None
    channel, to = address
    with translation.override(preference.language):
        subject, text = wording(event.kind, event.context)
        if path := event.context.get("path"):
            text += " " + settings.SITE_URL + path
        if not essential:
            text += "\n" + translation.gettext("Stop these messages: %(url)s") % {"url": stop_url(event.user)}
    template = {}
    if channel == Channel.ZALO:
        template = {"id": settings.ZALO_TEMPLATES.get(event.kind, ""), "data": {**event.context, "text": text}}
    return Message(
        event=event,
        channel=channel,
        to=to,
        subject=subject,
        text=text,
        template=template,
        next_try_at=now if essential else after_quiet_hours(now),
    )


BATCH = 200  # events a task takes at once: a burst (a digest, an import) costs a few queries per batch


def expand(event_ids: list[int], *, now: datetime | None = None) -> list[int]:
    """Turn events into their messages (once, whoever runs it), and also take up to a batch of other
    events still waiting, so a burst is worked through in batches; the ids of the messages due now."""
    now = now or timezone.now()
    with transaction.atomic():
        waiting = Event.objects.select_for_update(skip_locked=True, of=("self",)).filter(expanded_at=None)
        mine = list(waiting.filter(pk__in=event_ids).values_list("pk", flat=True))
        others = list(waiting.exclude(pk__in=event_ids).order_by("pk").values_list("pk", flat=True)[:BATCH])
        events = list(Event.objects.select_related("user").filter(pk__in=mine + others).order_by("pk"))
        users = {event.user_id for event in events if event.user_id}
        preferences = {p.user_id: p for p in Preference.objects.filter(user__in=users)}
        consented = alerts_consented({e.user_id for e in events if e.kind in NEEDS_ALERTS_CONSENT})
        messages = [
            message
            for event in events
            if (message := _message_for(event, now, preferences.get(event.user_id) or Preference(), consented))
        ]
        Message.objects.bulk_create(messages, ignore_conflicts=True)
        Event.objects.filter(pk__in=[event.pk for event in events]).update(expanded_at=now)
    expanded = [event.pk for event in events] + event_ids
    return list(Message.objects.due(now).filter(event_id__in=expanded).values_list("pk", flat=True))


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(settings.NOTIFY_RETRY_BASE_SECONDS * 2 ** (attempts - 1), 1800))


def deliver(message_ids: list[int], *, now: datetime | None = None) -> list[Message]:
    """Hand due messages to their providers, up to NOTIFY_PARALLEL requests at a time. Their rows stay locked
    while the providers answer, so another worker skips them and, once sent, no run sends them again. A Zalo
    message the person cannot receive goes by SMS instead. Returns the messages it handled."""
    now = now or timezone.now()
    with transaction.atomic():
        messages = list(
            Message.objects.due(now)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("event")
            .filter(pk__in=message_ids)
            .order_by("pk")
        )
        outcomes = list(_requests(os.getpid()).map(lambda message: _try(message, now), messages))
        for message, outcome in zip(messages, outcomes, strict=True):
            _record(message, outcome, now)
        _save_outcomes(messages)
        scrubbed = [m.event_id for m in messages if m.event.kind == Kind.CODE and m.status != Message.Status.QUEUED]
        Event.objects.filter(pk__in=scrubbed).update(context={})
        by_sms = _by_sms_instead([m for m, o in zip(messages, outcomes, strict=True) if _falls_back(m, o)], now)
    for message in messages:
        if message.status == Message.Status.QUEUED:
            _retry_later(message)
    return messages + (deliver(by_sms, now=now) if by_sms else [])


@cache
def _requests(pid: int) -> ThreadPoolExecutor:
    """The threads a process sends provider requests from, made in the process that uses them (a Celery
    worker's pool forks after start-up: threads do not survive a fork)."""
    return ThreadPoolExecutor(max_workers=settings.NOTIFY_PARALLEL, thread_name_prefix="notify")


def _try(message: Message, now: datetime) -> Outcome:
    if message.event.kind == Kind.CODE and now - message.created_at > CODE_USEFUL_FOR:
        return give_up("the code expired before the provider took it")
    return PROVIDERS[message.channel].send(message)


def _record(message: Message, outcome: Outcome, now: datetime) -> None:
    message.attempts += 1
    message.reason = outcome.reason
    if outcome.sent:
        message.status, message.sent_at = Message.Status.SENT, timezone.now()
        message.provider_ref, message.cost_vnd = outcome.ref[:100], outcome.cost_vnd
    elif outcome.retry and message.attempts < MAX_ATTEMPTS:
        message.next_try_at = now + backoff(message.attempts)
    else:
        message.status = Message.Status.FAILED
        if outcome.retry:
            message.reason = f"gave up after {message.attempts} tries: {outcome.reason}"[:300]
    if message.event.kind == Kind.CODE and message.status != Message.Status.QUEUED:
        # A code is in clear only while its message waits for the provider (seconds); then only its HMAC
        # (accounts.PhoneCode) remains, and the delivery log shows that a code went out, not which.
        message.text = CODE_DIGITS.sub("••••••", message.text)


# What a try changes, with the column types the one UPDATE below reads them as.
OUTCOME_COLUMNS = {"status": "text", "attempts": "int", "reason": "text", "next_try_at": "timestamptz"}
OUTCOME_COLUMNS |= {"sent_at": "timestamptz", "provider_ref": "text", "cost_vnd": "int", "text": "text"}


def _save_outcomes(messages: list[Message]) -> None:
    """The tries' outcomes in one UPDATE … FROM unnest(one array per column). Django's bulk_update writes a CASE
    per row and column: for a batch of 200 it cost more than the 200 provider requests (notify_benchmark)."""
    if not messages:
        return
    columns = ", ".join(f'"{name}" = v."{name}"' for name in OUTCOME_COLUMNS)
    arrays = ", ".join(f"%s::{kind}[]" for kind in OUTCOME_COLUMNS.values())
    names = ", ".join(f'"{name}"' for name in OUTCOME_COLUMNS)
    # The names are the constants above; every value goes as a parameter.
    table = Message._meta.db_table
    rows = f"unnest(%s::bigint[], {arrays}) AS v(id, {names})"
    sql = f"UPDATE {table} AS m SET {columns} FROM {rows} WHERE m.id = v.id"  # noqa: S608
    values = [[m.pk for m in messages]] + [[getattr(m, name) for m in messages] for name in OUTCOME_COLUMNS]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)


def _falls_back(message: Message, outcome: Outcome) -> bool:
    return message.channel == Channel.ZALO and message.status == Message.Status.FAILED and outcome.unreachable


def _by_sms_instead(failed: list[Message], now: datetime) -> list[int]:
    """The same events by SMS to the same number: the unique (event, channel) pair makes it one SMS, however
    often the Zalo message fails or its task runs. The ids of those SMS still to send."""
    if not failed:
        return []
    sms = [
        Message(event=m.event, channel=Channel.SMS, to=m.to, subject=m.subject, text=m.text, next_try_at=now)
        for m in failed
    ]
    Message.objects.bulk_create(sms, ignore_conflicts=True)
    events = [m.event_id for m in failed]
    return list(Message.objects.due(now).filter(event_id__in=events, channel=Channel.SMS).values_list("pk", flat=True))


def _retry_later(message: Message) -> None:
    from notifications.tasks import deliver_message

    try:
        deliver_message.apply_async(([message.pk],), eta=message.next_try_at)
    except Exception:  # the sweep will find it when it is due
        logger.warning("Could not queue the retry of message %s", message.pk, exc_info=True)


def sweep(*, now: datetime | None = None, grace: timedelta = timedelta(seconds=30)) -> dict[str, int]:
    """What a lost task left behind: events never expanded, messages due and not sent.
    `grace` leaves the tasks already queued the time to run first."""
    from notifications.tasks import deliver_message, dispatch

    now = now or timezone.now()
    events = list(Event.objects.filter(expanded_at=None, created_at__lte=now - grace).values_list("pk", flat=True))
    messages = list(Message.objects.due(now - grace).values_list("pk", flat=True)[:5000])
    for start in range(0, len(events), BATCH):
        dispatch.delay(events[start : start + BATCH])
    for start in range(0, len(messages), BATCH):
        deliver_message.delay(messages[start : start + BATCH])
    return {"events": len(events), "messages": len(messages)}


def preference_set(*, user, channel: str | None = None, language: str | None = None, stopped: bool | None = None):
    preference = preference_of(user)
    if channel is not None:
        preference.channel = channel
    if language is not None:
        preference.language = language
    if stopped is not None:
        preference.stopped_at = (preference.stopped_at or timezone.now()) if stopped else None
    preference.save()
    return preference


def costs(*, since: datetime) -> list[dict]:
    """Per channel since a date: messages sent, failed, queued, and what the sent ones cost (đ)."""
    rows = (
        Message.objects.filter(created_at__gte=since)
        .values("channel")
        .annotate(
            sent=Count("pk", filter=Q(status=Message.Status.SENT)),
            failed=Count("pk", filter=Q(status=Message.Status.FAILED)),
            queued=Count("pk", filter=Q(status=Message.Status.QUEUED)),
            cost_vnd=Sum("cost_vnd", default=0),
        )
        .order_by("channel")
    )
    return [{**row, "channel": Channel(row["channel"]).label} for row in rows]
