"""Messages: an event written with the change becomes one message per channel, delivered through the local
providers (eSMS, Zalo ZNS, SMTP) over the network; retried while a provider is down, failed with its reason
when it refuses, held through quiet hours, stopped by one link; digests and reminders once a day."""

import configparser
import urllib.request
from datetime import datetime, time, timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from accounts.services import worker_create
from candidates import digests
from candidates import services as candidates
from candidates.models import Application, Consent
from candidates.tasks import daily_digests
from jobs import services as jobs
from notifications import tasks
from notifications.models import Event, Message
from notifications.providers import unaccented
from notifications.services import VIETNAM_TIME, deliver, expand, notify, preference_set
from notifications.tasks import deliver_message, dispatch
from portal.celery import app as celery_app
from tests.conftest import eventually, send_now, sent_to_providers
from tests.factories import PASSWORD, make_worker, published_vacancy, signed_in, submitted_vacancy


@pytest.fixture
def application(actors):
    vacancy = published_vacancy(actors.employer_org, title="Tuyển thợ hàn CO2", officer=actors.officer)
    Event.objects.all().delete()  # the review outcome told to the employer: not what these tests read
    return candidates.apply(worker=make_worker(), vacancy=vacancy)


def shortlist(application, actors):
    return candidates.application_move(application=application, by=actors.employer, status="shortlisted")


def sms_to(providers, national: str) -> list[str]:
    return [m["text"] for m in sent_to_providers(providers) if m["channel"] == "sms" and m["to"] == national]


def test_a_moved_application_reaches_the_worker_once_even_when_its_tasks_run_twice(application, actors, providers):
    shortlist(application, actors)
    event = Event.objects.get(kind="application_moved")

    dispatch([event.pk])
    dispatch([event.pk])  # a task delivered twice by the broker
    deliver_message([Message.objects.get().pk])

    texts = sms_to(providers, "0912345678")
    assert len(texts) == 1
    assert texts[0].startswith('Ho so ung tuyen "Tuyen tho han CO2" cua ban: vao danh sach ngan.')
    assert "/stop/" in texts[0]  # the one-click stop, in every message but codes
    message = Message.objects.get()
    assert (message.status, message.attempts, message.cost_vnd) == ("sent", 1, 1600)  # two segments at 800 đ


def test_a_provider_refusing_the_message_fails_it_with_the_reason_and_never_retries(application, actors, providers):
    shortlist(application, actors)
    providers.outbox.fail_status = 400

    send_now()
    message = Message.objects.get()
    again = deliver([message.pk], now=timezone.now() + timedelta(days=1))

    assert (message.status, message.attempts) == ("failed", 1)
    assert message.reason.startswith("HTTP 400")
    assert again == [] and sent_to_providers(providers) == []


def test_a_provider_answering_5xx_keeps_the_message_queued_and_a_later_try_sends_it(application, actors, providers):
    shortlist(application, actors)
    providers.outbox.fail_status = 503

    send_now()
    waiting = Message.objects.get()
    too_soon = deliver([waiting.pk])
    providers.outbox.fail_status = 0
    [later] = deliver([waiting.pk], now=waiting.next_try_at)

    assert (waiting.status, waiting.attempts, waiting.reason) == ("queued", 1, "HTTP 503")
    assert waiting.next_try_at > timezone.now()
    assert too_soon == []
    assert later.status == "sent" and len(sms_to(providers, "0912345678")) == 1
    assert Application.objects.get(pk=application.pk).status == "shortlisted"  # the move stood all along


@pytest.mark.celery
def test_a_provider_down_for_five_seconds_loses_no_message_and_sends_none_twice(
    celery_worker, actors, api, providers, settings
):
    """The SMS server is stopped for real (its port refuses connections) for 5 s, with retries every 0,5 s
    doubling (production: 15 s doubling, for about two hours)."""
    settings.NOTIFY_RETRY_BASE_SECONDS = 0.5
    vacancy = published_vacancy(actors.employer_org, title="Tuyển thợ hàn CO2", officer=actors.officer)
    applications = [candidates.apply(worker=make_worker(f"0912 000 10{i}"), vacancy=vacancy) for i in range(3)]
    providers.sms.stop()
    try:
        employer = api(actors.employer)
        for item in applications:  # the employer's action succeeds while the provider is down
            moved = employer.post(f"/api/v1/applications/{item.pk}/move", {"status": "shortlisted"}, format="json")
            assert moved.status_code == 200, moved.json()
        assert eventually(lambda: Message.objects.filter(attempts__gte=2, status="queued").count() == 3), list(
            Message.objects.values_list("status", "attempts", "reason", "next_try_at")
        ) + list(Event.objects.values_list("kind", "expanded_at"))
        __import__("time").sleep(5)
    finally:
        providers.sms.start()

    assert eventually(lambda: Message.objects.filter(status="sent").count() == 3, seconds=30)
    received = [m["to"] for m in sent_to_providers(providers) if m["channel"] == "sms"]
    assert sorted(received) == ["0912000100", "0912000101", "0912000102"]


def test_a_provider_down_for_two_minutes_loses_no_message_and_sends_none_twice(
    application, actors, providers, settings
):
    """The SMS server stopped for real (its port refuses connections) through two minutes of the production
    backoff (15 s, doubling), each try played at the time it is due; back up, the next due try sends it."""
    settings.NOTIFY_RETRY_BASE_SECONDS = 15
    providers.sms.stop()
    try:
        moved = shortlist(application, actors)  # the employer's move stands whatever the provider does
        send_now()
        message = Message.objects.get()
        down_until = message.created_at + timedelta(minutes=2)
        tries = []
        while (due := Message.objects.get().next_try_at) < down_until:
            tries += deliver(list(Message.objects.due(due).values_list("pk", flat=True)), now=due)
        waiting = Message.objects.get()
    finally:
        providers.sms.start()
    [sent] = deliver(
        list(Message.objects.due(waiting.next_try_at).values_list("pk", flat=True)), now=waiting.next_try_at
    )
    late = deliver([sent.pk], now=waiting.next_try_at + timedelta(hours=1))

    assert moved.status == "shortlisted"
    assert [m.attempts for m in tries] == [2, 3, 4]  # the first try (in send_now) and three more: 0, 15, 45, 105 s
    assert (waiting.status, waiting.attempts) == ("queued", 4)
    assert waiting.reason.startswith("unreachable") and waiting.next_try_at - message.created_at > timedelta(minutes=2)
    assert (sent.status, sent.attempts) == ("sent", 5)
    assert late == [] and len(sms_to(providers, "0912345678")) == 1


def test_a_provider_failing_for_hours_is_given_up_after_twelve_tries_with_the_reason(
    application, actors, providers, settings
):
    """Never retried forever: each try played when it is due, the provider answering 503 to all of them."""
    settings.NOTIFY_RETRY_BASE_SECONDS = 15
    shortlist(application, actors)
    providers.outbox.fail_status = 503
    send_now()
    while (message := Message.objects.get()).status == "queued":
        deliver([message.pk], now=message.next_try_at)

    assert (message.status, message.attempts) == ("failed", 12)
    assert message.reason == "gave up after 12 tries: HTTP 503"
    assert message.next_try_at - message.created_at > timedelta(hours=2)  # about two hours of backoff
    assert sent_to_providers(providers) == []


def test_an_esms_refusal_code_fails_the_message_with_esms_reason(application, actors, providers, settings):
    settings.ESMS_API_KEY = ""  # eSMS answers CodeResult 101, "Authorize Failed": final, unlike 103 (balance)
    shortlist(application, actors)
    send_now()
    message = Message.objects.get()
    again = deliver([message.pk], now=timezone.now() + timedelta(days=1))

    assert (message.status, message.attempts, message.reason) == ("failed", 1, "eSMS 101: Authorize Failed")
    assert again == [] and sent_to_providers(providers) == []


def test_a_worker_without_zalo_gets_the_message_by_sms_once_and_the_log_says_why(application, actors, providers):
    preference_set(user=application.worker.user, channel="zalo")
    urllib.request.urlopen(  # the local ZNS server plays a number without a Zalo account: error -118
        urllib.request.Request(f"{providers.zalo.url}/_no_zalo", data=b'{"phones": ["84912345678"]}', method="POST")
    ).close()
    shortlist(application, actors)
    send_now()
    event = Event.objects.get(kind="application_moved")
    dispatch([event.pk])  # the task run twice
    deliver(list(Message.objects.values_list("pk", flat=True)), now=timezone.now() + timedelta(days=1))

    received = [(m["channel"], m["to"]) for m in sent_to_providers(providers)]
    zalo, sms = Message.objects.get(channel="zalo"), Message.objects.get(channel="sms")
    log = signed_in(Client(), actors.officer).get("/desk/messages/").content.decode()

    assert received == [("sms", "0912345678")]  # once, by SMS, nothing by Zalo
    assert sms_to(providers, "0912345678")[0].startswith('Ho so ung tuyen "Tuyen tho han CO2" cua ban')
    assert (zalo.status, zalo.attempts) == ("failed", 1)
    assert zalo.reason.startswith("Zalo -118") and zalo.reason.endswith("(sent by SMS instead)")
    assert (sms.status, sms.event_id, sms.cost_vnd) == ("sent", event.pk, 1600)
    assert "Zalo -118" in log and "(sent by SMS instead)" in log


def test_a_zalo_refusal_that_is_not_about_the_person_sends_no_sms(application, actors, providers, settings):
    settings.ZALO_ACCESS_TOKEN = ""  # the Official Account's token lost: Zalo answers -124
    preference_set(user=application.worker.user, channel="zalo")
    shortlist(application, actors)
    send_now()

    [zalo] = Message.objects.all()
    assert (zalo.channel, zalo.status) == ("zalo", "failed") and zalo.reason.startswith("Zalo -124")
    assert sent_to_providers(providers) == []


def test_delivery_has_a_queue_and_a_worker_of_its_own_at_the_lowest_cpu_priority():
    supervised = configparser.RawConfigParser()
    supervised.read(settings.BASE_DIR / "scripts" / "supervisord.conf")
    compose = (settings.BASE_DIR / "docker-compose.yml").read_text()

    for task in (dispatch, deliver_message, tasks.sweep, daily_digests):
        assert celery_app.amqp.router.route({}, task.name)["queue"].name == settings.NOTIFY_QUEUE == "messages"
    assert supervised["program:messages"]["command"].startswith("chrt --idle 0 ")  # SCHED_IDLE
    assert "--queues messages" in supervised["program:messages"]["command"]
    assert "--queues celery " in supervised["program:worker"]["command"]  # indexing: never behind a burst
    assert "command: chrt --idle 0 celery -A portal worker --queues messages" in compose
    assert "cpu_shares: 2" in compose.partition("  messages:")[2].partition("\n\n")[0]


def test_quiet_hours_hold_everything_but_codes_until_seven(application, actors, providers, settings):
    settings.NOTIFY_QUIET_HOURS = (21, 7)
    yesterday = timezone.localdate() - timedelta(days=1)
    evening = datetime.combine(yesterday, time(22, 30), tzinfo=VIETNAM_TIME)
    shortlist(application, actors)
    code = notify(kind="code", phone="+84988000001", context={"code": "123456"})
    moved = Event.objects.get(kind="application_moved")

    deliver(expand([moved.pk, code.pk], now=evening), now=evening)
    held = Message.objects.get(event=moved)

    assert [m["to"] for m in sent_to_providers(providers)] == ["0988000001"]  # the code went at 22:30
    assert held.status == "queued" and held.next_try_at == datetime.combine(
        yesterday + timedelta(days=1), time(7), tzinfo=VIETNAM_TIME
    )
    assert [m.status for m in deliver([held.pk], now=held.next_try_at)] == ["sent"]
    assert sms_to(providers, "0912345678")


def test_one_click_stops_everything_but_codes_without_signing_in(application, actors, providers):
    shortlist(application, actors)
    send_now()
    link = sms_to(providers, "0912345678")[0].split("http://127.0.0.1:8000")[-1].strip()
    browser = Client()

    shown = browser.get(link)
    stopped = browser.post(link)
    candidates.application_move(application=application, by=actors.employer, status="interviewed")
    notify(kind="code", phone="+84912345678", context={"code": "654321"})
    send_now()

    assert shown.status_code == 200 and "Ngừng nhận tin" in shown.content.decode()
    assert stopped.status_code == 200
    assert Message.objects.filter(event__kind="application_moved").count() == 1  # the second move: none
    assert [text[:11] for text in sms_to(providers, "0912345678")] == ["Ho so ung t", "Ma xac minh"]
    assert Client().get("/stop/forged-token/").status_code == 404


def test_a_worker_who_chose_zalo_in_english_gets_a_zns_template_in_english(application, actors, providers):
    browser = signed_in(Client(), application.worker.user)
    saved = browser.post("/me/notifications/", {"channel": "zalo", "language": "en"})
    shortlist(application, actors)
    send_now()

    zalo = [m for m in sent_to_providers(providers) if m["channel"] == "zalo"]
    assert saved.status_code == 302
    assert len(zalo) == 1 and zalo[0]["to"] == "84912345678"
    assert zalo[0]["text"].startswith("Your application for “Tuyển thợ hàn CO2” is now: shortlisted.")
    assert Message.objects.get().cost_vnd == 300


def test_organisations_hear_of_review_outcomes_and_applicants_by_e_mail_and_a_daily_digest(actors, providers):
    actors.employer.email = "tuyendung@thephuong.vn"
    actors.employer.save()
    browser = signed_in(Client(), actors.employer)
    assert browser.post("/me/notifications/", {"channel": "email", "language": "vi"}).status_code == 302
    vacancy = submitted_vacancy(actors.employer_org)
    jobs.vacancy_reject(vacancy=vacancy, by=actors.officer, reason="Thiếu mức lương")
    published_one = published_vacancy(actors.employer_org, title="Thợ sơn", officer=actors.officer)
    candidates.apply(worker=make_worker(), vacancy=published_one)
    Application.objects.update(created_at=timezone.now() - timedelta(days=1))

    assert digests.applicants_digest() == 1
    assert digests.applicants_digest() == 1  # run twice: still one event
    send_now()

    # Sent side by side, so in any order.
    mails = sorted((m["to"], m["subject"], m["text"]) for m in sent_to_providers(providers) if m["channel"] == "email")
    assert [(to, subject) for to, subject, _text in mails] == [("tuyendung@thephuong.vn", "Người ứng tuyển mới")] + [
        ("tuyendung@thephuong.vn", "Tin tuyển dụng đã được duyệt")
    ] * 2
    assert mails[0][2].startswith("Hôm qua có 1 người ứng tuyển mới vào các tin tuyển dụng của ")
    rejected, approved = sorted((text for _to, _subject, text in mails[1:]), key=lambda text: "Thợ sơn" in text)
    assert rejected.startswith(f"Kết quả duyệt tin tuyển dụng “{vacancy.title}”: không được duyệt (Thiếu mức lương).")
    assert approved.startswith("Kết quả duyệt tin tuyển dụng “Thợ sơn”: đã đăng.")
    assert Event.objects.filter(kind="applicants_digest").count() == 1


def test_a_saved_vacancy_reminds_two_days_ahead_only_with_the_alerts_consent(actors, providers):
    closing = published_vacancy(
        actors.employer_org, deadline=timezone.localdate() + timedelta(days=2), officer=actors.officer
    )
    consenting, silent = make_worker("0912 000 201"), make_worker("0912 000 202")
    candidates.consent_set(worker=consenting, purpose=Consent.Purpose.ALERTS, granted=True)
    for who in (consenting, silent):
        saved = signed_in(Client(), who.user).post(f"/vacancies/{closing.pk}/save")
        assert saved.status_code == 302

    assert digests.deadlines_soon() == 2
    send_now()

    assert [m["to"] for m in sent_to_providers(providers)] == ["0912000201"]
    assert "het han nop ho so ngay" in sms_to(providers, "0912000201")[0]


def test_officers_read_the_delivery_log_masked_with_the_cost_per_channel(application, actors, providers):
    shortlist(application, actors)
    send_now()

    page = signed_in(Client(), actors.officer).get("/desk/messages/").content.decode()
    outsider = signed_in(Client(), actors.employer).get("/desk/messages/")

    assert "*******678" in page and "0912345678" not in page
    assert "<td>SMS</td><td>1</td><td>0</td><td>0</td><td>1.600</td>" in page
    assert outsider.status_code == 403


def test_a_code_is_kept_in_clear_only_until_the_provider_has_it(db, providers):
    Client().post("/api/v1/auth/signup", {"phone": "0912 000 301", "password": PASSWORD})
    send_now()

    message = Message.objects.get()
    assert "••••••" in message.text and message.event.context == {}
    assert sms_to(providers, "0912000301")[0].startswith("Ma xac minh Cong viec lam Quang Tri: ")


def test_preferences_over_the_api_and_a_wrong_channel_is_a_400(db, api):
    client = api(worker_create(phone="0912 000 601", password=PASSWORD))

    default = client.get("/api/v1/me/notifications").json()
    changed = client.put("/api/v1/me/notifications", {"channel": "email", "stopped": True}, format="json")
    wrong = client.put("/api/v1/me/notifications", {"channel": "pigeon"}, format="json")

    assert default == {"channel": "sms", "language": "vi", "stopped": False}
    assert changed.json() == {"channel": "email", "language": "vi", "stopped": True}
    assert wrong.status_code == 400 and "channel" in wrong.json()


def test_an_invited_worker_and_officers_with_placements_waiting_are_told(actors, providers):
    vacancy = published_vacancy(actors.employer_org, title="Tuyển thợ hàn CO2", officer=actors.officer)
    invited = make_worker("0912 000 701")
    candidates.consent_set(worker=invited, purpose=Consent.Purpose.BE_FOUND, granted=True)
    candidates.invitation_send(vacancy=vacancy, worker=invited, by=actors.employer)
    hired = candidates.apply(worker=make_worker("0912 000 702"), vacancy=vacancy)
    for status in ("shortlisted", "interviewed", "offered", "hired"):  # a placement waits for an officer
        hired = candidates.application_move(application=hired, by=actors.employer, status=status)
    actors.officer.email = "canbo@sonoivu.quangtri.gov.vn"
    actors.officer.save()

    assert digests.placements_digest() == 1
    send_now()

    invitation = sms_to(providers, "0912000701")[0]
    assert invitation.startswith(f'{unaccented(actors.employer_org.name)} moi ban ung tuyen "Tuyen tho han CO2".')
    mails = [m for m in sent_to_providers(providers) if m["channel"] == "email"]
    assert [(m["to"], m["subject"]) for m in mails] == [
        ("canbo@sonoivu.quangtri.gov.vn", "Kết quả giới thiệu việc làm chờ xác nhận")
    ]
    assert mails[0]["text"].startswith("1 kết quả giới thiệu việc làm đang chờ cán bộ xác nhận.")
