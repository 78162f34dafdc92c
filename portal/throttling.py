"""Rate limits for the API and the pages: two counters per client in Redis, one round trip a request.

DRF's own throttles keep the time of every request in a list that each request reads, unpickles,
pickles and writes back. A public search needs generous rates (many people share one carrier's
address), and at 100 requests a second that list held thousands of entries: a fifth of a search's
time in Python. Here each window of `duration` seconds has a counter, and a request is let through
while the last `duration` seconds hold fewer than the rate allows, estimated as this window's count
plus the previous window's count weighted by the share of it still in range (the sliding-window
counter). No list, and no burst at a window's edge: a client that used its rate at the end of one window
gets it back gradually in the next, where a plain counter per window would let twice the rate through.

With Redis down, each process counts in its own memory (`LocalCounters`) and says so in the log: the
limit still holds per process (so a deployment of N processes lets up to N times the rate through)
and no request fails for want of a counter.
"""

import logging
import math
import re
import threading
import time
from collections import Counter
from functools import cache

import redis
from django.conf import settings
from rest_framework import throttling

logger = logging.getLogger(__name__)


class TooMany(Exception):
    """A limit is spent: the answer is a 429 with how long to wait (portal.api for the API, pages'
    `attempt` for a form)."""

    def __init__(self, wait_seconds: float):
        self.wait_seconds = max(1, round(wait_seconds))


_making = threading.Lock()


def _redis() -> redis.Redis:
    """The process's one client, made once under a lock: a web worker's first requests arrive together on its
    threads, and a second client made meanwhile would be dropped at once; redis-py closes a dropped client's
    connections, under the request still using them (a 500: "'NoneType' object has no attribute 'readline'")."""
    with _making:
        return _client()


@cache
def _client() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)


class LocalCounters:
    """This process's counters while Redis is away: the same keys, in memory, forgotten after `keep` seconds."""

    def __init__(self, keep: float = 3600):
        self.counts, self.lock, self.keep, self.cleared = Counter(), threading.Lock(), keep, time.monotonic()
        self.warned = 0.0

    def count(self, current: str, previous: str) -> tuple[int, int]:
        with self.lock:
            if time.monotonic() - self.cleared > self.keep:  # old windows go; a new window's count restarts
                self.counts.clear()
                self.cleared = time.monotonic()
            self.counts[current] += 1
            return self.counts[current], self.counts[previous]

    def uncount(self, key: str) -> None:
        with self.lock:
            self.counts[key] -= 1

    def warn(self) -> None:
        if time.monotonic() - self.warned > 60:  # once a minute, not once a request
            self.warned = time.monotonic()
            logger.warning("Redis is unreachable: rate limits are counted per process", exc_info=True)


local = LocalCounters()


class SlidingWindowCounter:
    """Mixed into DRF's throttle classes: their rates, scopes and cache keys, counted this way."""

    def allow_request(self, request, view):
        if self.rate is None or (key := self.get_cache_key(request, view)) is None:
            return True
        return self.allow_key(key)

    def allow_key(self, key: str) -> bool:
        window, into = divmod(self.timer(), self.duration)
        current, previous = f"{key}:{window:.0f}", f"{key}:{window - 1:.0f}"
        try:
            with _redis().pipeline(transaction=False) as pipe:
                counted, _, before = pipe.incr(current).expire(current, 2 * self.duration).get(previous).execute()
            uncount = _redis().decr
        except redis.RedisError:
            local.warn()
            (counted, before), uncount = local.count(current, previous), local.uncount
        earlier, before = counted - 1, int(before or 0)  # this window's requests before this one
        # The previous window's requests still in range, rounded up: four quick requests under a rate of
        # three are refused even when a window's edge falls between them.
        if earlier + math.ceil(before * (1 - into / self.duration)) < self.num_requests:
            return True
        try:
            uncount(current)  # a refused request is not counted
        except redis.RedisError:
            local.warn()
        spare = self.num_requests - earlier - 1  # if any, how far the previous window's share has to fall
        self.wait_seconds = self.duration * (1 - spare / before) - into if spare > 0 else self.duration - into
        return False

    def wait(self):
        return max(1, self.wait_seconds)


class AnonRateThrottle(SlidingWindowCounter, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(SlidingWindowCounter, throttling.UserRateThrottle):
    pass


class Limit(SlidingWindowCounter, throttling.SimpleRateThrottle):
    """The same counting on a key of the caller's choosing (a mobile number, an account, an address):
    `Limit("codes-number", "5/h").allow(number)`. A rate may name minutes (`"5/15m"`)."""

    def __init__(self, scope: str, rate: str):
        self.scope, self.rate = scope, rate
        self.num_requests, self.duration = self.parse_rate(rate)

    def parse_rate(self, rate):
        count, _, period = rate.partition("/")
        times, unit = re.fullmatch(r"(\d*)([smhd])[a-z]*", period).groups()
        return int(count), int(times or 1) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit]

    def allow(self, ident: str) -> bool:
        """Count one use of `ident`; False once its rate is spent (with Redis down, per process, as above)."""
        return self.allow_key(f"limit:{self.scope}:{ident}")

    def spent(self, ident: str) -> bool:
        """Whether `ident` has used up its rate, without counting this look."""
        window, into = divmod(self.timer(), self.duration)
        key = f"limit:{self.scope}:{ident}"
        try:
            counted, before = _redis().mget(f"{key}:{window:.0f}", f"{key}:{window - 1:.0f}")
        except redis.RedisError:
            return False
        counted, before = int(counted or 0), int(before or 0)
        return counted + math.ceil(before * (1 - into / self.duration)) >= self.num_requests


def over_limit(request, throttles) -> bool:
    """For pages: the API's throttles applied to a Django request, with the same rates and counters, so a
    page and its API share one budget. True when any of them refuses."""
    return not all(throttle().allow_request(request, None) for throttle in throttles)
