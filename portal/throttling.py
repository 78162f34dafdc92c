"""Rate limits for the API and the pages: two counters per client in Redis, one round trip a request.

DRF's own throttles keep the time of every request in a list that each request reads, unpickles,
pickles and writes back. A public search needs generous rates (many people share one carrier's
address), and at 100 requests a second that list held thousands of entries: a fifth of a search's
time in Python. Here each window of `duration` seconds has a counter, and a request is let through
while the last `duration` seconds hold fewer than the rate allows, estimated as this window's count
plus the previous window's count weighted by the share of it still in range (the sliding-window
counter). No list, and no burst at a window's edge: a client that used its rate at the end of one window
gets it back gradually in the next, where a plain counter per window would let twice the rate through.
"""

import math
from functools import cache

import redis
from django.conf import settings
from rest_framework import throttling


@cache
def _redis() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)


class SlidingWindowCounter:
    """Mixed into DRF's throttle classes: their rates, scopes and cache keys, counted this way."""

    def allow_request(self, request, view):
        if self.rate is None or (key := self.get_cache_key(request, view)) is None:
            return True
        window, into = divmod(self.timer(), self.duration)
        current, previous = f"{key}:{window:.0f}", f"{key}:{window - 1:.0f}"
        with _redis().pipeline(transaction=False) as pipe:
            counted, _, before = pipe.incr(current).expire(current, 2 * self.duration).get(previous).execute()
        earlier, before = counted - 1, int(before or 0)  # this window's requests before this one
        # The previous window's requests still in range, rounded up: four quick requests under a rate of
        # three are refused even when a window's edge falls between them.
        if earlier + math.ceil(before * (1 - into / self.duration)) < self.num_requests:
            return True
        _redis().decr(current)  # a refused request is not counted
        spare = self.num_requests - earlier - 1  # if any, how far the previous window's share has to fall
        self.wait_seconds = self.duration * (1 - spare / before) - into if spare > 0 else self.duration - into
        return False

    def wait(self):
        return max(1, self.wait_seconds)


class AnonRateThrottle(SlidingWindowCounter, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(SlidingWindowCounter, throttling.UserRateThrottle):
    pass


def over_limit(request, throttles) -> bool:
    """For pages: the API's throttles applied to a Django request, with the same rates and counters, so a
    page and its API share one budget. True when any of them refuses."""
    return not all(throttle().allow_request(request, None) for throttle in throttles)
