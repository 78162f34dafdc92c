"""The rate limit a client meets: counted in the real Redis, on a clock the test sets."""

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
