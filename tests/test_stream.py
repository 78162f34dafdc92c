"""The change stream for machines: a client that reads the snapshot, then follows the stream, holds
exactly what the public sees, whatever happened in between and in whatever order transactions committed."""

import threading
from datetime import timedelta

import pytest
from django.db import close_old_connections, transaction
from django.utils import timezone

from jobs import services
from jobs.models import Vacancy, VacancyChange
from tests.factories import draft_vacancy, published_vacancy


class Client:
    """A job board mirroring the portal: snapshot once, then the stream, a few entries at a time."""

    def __init__(self, api):
        self.http = api()
        answer = self.http.get("/api/v1/stream/snapshot")
        assert answer.status_code == 200
        self.cursor = answer.json()["cursor"]
        self.vacancies = {vacancy["id"]: vacancy for vacancy in answer.json()["vacancies"]}
        self.seen = []

    def follow(self, limit=3):
        while True:
            answer = self.http.get("/api/v1/stream", {"since": self.cursor, "limit": limit})
            assert answer.status_code == 200, answer.content
            body = answer.json()
            for change in body["changes"]:
                self.seen.append(change)
                if change["kind"] == "removed":
                    assert change["data"] is None
                    self.vacancies.pop(change["vacancy"])
                else:
                    assert change["data"]["id"] == change["vacancy"]
                    self.vacancies[change["vacancy"]] = change["data"]
            self.cursor = body["cursor"]
            if not body["more"]:
                return self

    def matches_the_portal(self):
        now = self.http.get("/api/v1/stream/snapshot").json()
        return self.vacancies == {vacancy["id"]: vacancy for vacancy in now["vacancies"]}


@pytest.mark.django_db
def test_a_day_of_changes_replays_in_order_without_gaps_or_duplicates(api, actors):
    officer, employer, agency = actors.officer, actors.employer_org, actors.agency_org
    before = published_vacancy(employer, title="Thợ may có sẵn", officer=officer)
    client = Client(api)
    assert before.pk in client.vacancies

    welder = published_vacancy(employer, officer=officer)
    abroad = published_vacancy(agency, abroad=True, officer=officer)
    draft_vacancy(employer, title="Bản nháp")
    client.follow()
    assert {welder.pk, abroad.pk, before.pk} == set(client.vacancies)

    # Edited while published: back to review (out of view), then approved again with its new title.
    services.vacancy_update(vacancy=welder, by=actors.employer, title="Thợ hàn TIG")
    services.vacancy_approve(vacancy=Vacancy.objects.get(pk=welder.pk), by=officer)
    services.vacancy_close(vacancy=before, by=actors.employer, reason="Đã tuyển đủ")
    services.licence_set_status(organisation=agency, by=officer, status="suspended", note="Thanh tra")
    deadline_passes = published_vacancy(employer, title="Hết hạn", deadline=timezone.localdate(), officer=officer)
    services.vacancies_expire(today=timezone.localdate() + timedelta(days=1))
    client.follow()

    assert client.vacancies.keys() == {welder.pk}
    assert client.vacancies[welder.pk]["title"] == "Thợ hàn TIG"
    assert client.matches_the_portal()
    kinds = [(change["vacancy"], change["kind"]) for change in client.seen]
    assert kinds == [
        (welder.pk, "published"),
        (abroad.pk, "published"),
        (welder.pk, "removed"),  # sent back to review by the edit
        (welder.pk, "published"),
        (before.pk, "removed"),
        (abroad.pk, "removed"),  # licence suspended
        (deadline_passes.pk, "published"),
        (deadline_passes.pk, "removed"),  # expired
    ]
    cursors = [int(change["cursor"]) for change in client.seen]
    assert cursors == list(range(cursors[0], cursors[0] + len(cursors)))  # no gap, no repeat


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_late_is_not_skipped_by_a_reader_in_between(api, reference):
    """Transaction A numbers its change first and commits last; B changes another vacancy meanwhile.
    A reader between the two commits must not move its cursor past A's change."""
    from tests.conftest import Actors

    actors = Actors()
    first = published_vacancy(actors.employer_org, title="A", officer=actors.officer)
    second = published_vacancy(actors.employer_org, title="B", officer=actors.officer)
    client = Client(api)
    a_changed, a_may_commit = threading.Event(), threading.Event()

    def change(vacancy, title, *, hold=False):
        try:
            with transaction.atomic():
                services.vacancy_close(vacancy=vacancy, by=actors.employer, reason=title)
                if hold:
                    a_changed.set()
                    a_may_commit.wait(10)
        finally:
            close_old_connections()

    a = threading.Thread(target=change, args=(first, "A"), kwargs={"hold": True})
    a.start()
    assert a_changed.wait(10)
    b = threading.Thread(target=change, args=(second, "B"))
    b.start()
    b.join(1)  # B waits for A's commit; without the stream's lock it would commit now
    client.follow()
    a_may_commit.set()
    a.join(10)
    b.join(10)
    client.follow()

    assert [(change["vacancy"], change["kind"]) for change in client.seen] == [
        (first.pk, "removed"),
        (second.pk, "removed"),
    ]
    assert client.vacancies == {} and client.matches_the_portal()


@pytest.mark.django_db
@pytest.mark.parametrize("since", ["abc", "-1", "1.5", "9" * 30, "null,null", ""])
def test_a_malformed_cursor_is_told_how_to_resynchronise(api, since):
    answer = api().get("/api/v1/stream", {"since": since})
    assert answer.status_code == 400
    assert "/api/v1/stream/snapshot" in str(answer.json()["since"])


@pytest.mark.django_db
def test_a_cursor_older_than_the_stream_keeps_is_refused_and_a_fresh_snapshot_works(api, actors):
    client = Client(api)
    old_cursor = client.cursor
    for title in ("Một", "Hai", "Ba"):
        published_vacancy(actors.employer_org, title=title, officer=actors.officer)
    VacancyChange.objects.update(at=timezone.now() - timedelta(days=31))
    from jobs.stream import purge

    assert purge() == 2  # the latest stays: the stream's position
    answer = api().get("/api/v1/stream", {"since": old_cursor})
    assert answer.status_code == 400
    assert "/api/v1/stream/snapshot" in str(answer.json()["since"])
    assert Client(api).follow().matches_the_portal()
    future = int(Client(api).cursor) + 1
    assert api().get("/api/v1/stream", {"since": str(future)}).status_code == 400
