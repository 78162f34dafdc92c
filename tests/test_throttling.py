"""The rate limit a client meets: counted in the real Redis, on a clock the test sets."""

import threading

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache

from tests.conftest import ThreeAMinute


@pytest.fixture
def ask(rf):
    cache.clear()
    request = rf.get("/", REMOTE_ADDR="203.0.113.7")
    request.user = AnonymousUser()

    def at(seconds, address="203.0.113.7"):
        request.META["REMOTE_ADDR"] = address
        throttle = ThreeAMinute()
        throttle.timer = lambda: 1_800_000_000 + seconds  # the start of a minute, plus `seconds`
        return throttle.allow_request(request, None), throttle

    return at


def test_a_client_gets_its_rate_and_no_more(ask):
    answers = [ask(second)[0] for second in (1, 2, 3, 4)]

    assert answers == [True, True, True, False]


def test_no_burst_at_a_window_edge(ask):
    """A client that used its rate at the end of one minute gets it back gradually in the next, not at
    once: three requests just after the edge are refused (a plain counter per minute let all three)."""
    for second in (58, 59, 59.5):
        assert ask(second)[0]

    answers = [ask(second) for second in (60.5, 61, 61.5)]

    assert [allowed for allowed, _ in answers] == [False, False, False]
    assert answers[0][1].wait() == pytest.approx(60 * (1 - 2 / 3) - 0.5)  # until a third of those has aged out


def test_a_refused_request_is_not_counted_and_the_rate_comes_back(ask):
    for second in (58, 59, 59.5, 60.5, 61, 61.5):
        ask(second)

    assert ask(80.5)[0]  # the refused ones did not count
    assert not ask(81)[0]


def test_each_client_has_its_own_count(ask):
    for second in (1, 2, 3):
        ask(second)

    assert not ask(4)[0]
    assert ask(4, address="198.51.100.9")[0]


def test_a_new_processs_first_requests_at_once_are_all_counted(rf, monkeypatch):
    """A web worker's first requests arrive together on its threads: each is counted (no 500). Two clients
    made at once used to leave one dropped, and redis-py closes a dropped client's connections under the
    request still using them ('NoneType' object has no attribute 'readline')."""
    from portal import throttling

    monkeypatch.setattr(throttling, "local", throttling.LocalCounters())  # a count outside Redis shows here
    errors, answers = [], []
    for attempt in range(30):
        throttling._client.cache_clear()  # as in a process just started
        start = threading.Barrier(8)

        def first_request(n, attempt=attempt):
            start.wait()
            try:
                answers.append(ThreeAMinute().allow_key(f"first-{attempt}-{n}"))
            except Exception as error:  # what a view would have turned into a 500
                errors.append(repr(error))

        threads = [threading.Thread(target=first_request, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert errors == [] and answers == [True] * 240
    assert not throttling.local.counts  # every request was counted in Redis
