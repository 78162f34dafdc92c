"""Django's Redis cache, failing open: with Redis down a read is a miss and a write is dropped, logged.

A cache only saves work (the public statistics, an import's progress), so its absence must cost time,
never a 500.
"""

import logging
import time
from functools import wraps

import redis
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)
_warned = [0.0]


def _or(fallback):
    """The method, or `fallback` (a value, or a function of the method's arguments) when Redis fails."""

    def decorate(method):
        @wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except redis.RedisError:
                if time.monotonic() - _warned[0] > 60:  # once a minute, not once a request
                    _warned[0] = time.monotonic()
                    logger.warning("Redis is unreachable: the cache is bypassed", exc_info=True)
                return fallback(*args, **kwargs) if callable(fallback) else fallback

        return wrapper

    return decorate


class FailOpenRedisCache(RedisCache):
    get = _or(lambda key, default=None, version=None: default)(RedisCache.get)
    get_many = _or({})(RedisCache.get_many)
    has_key = _or(False)(RedisCache.has_key)
    set = _or(None)(RedisCache.set)
    add = _or(False)(RedisCache.add)
    set_many = _or(lambda data, *args, **kwargs: list(data))(RedisCache.set_many)
    touch = _or(False)(RedisCache.touch)
    delete = _or(False)(RedisCache.delete)
    delete_many = _or(None)(RedisCache.delete_many)
    clear = _or(False)(RedisCache.clear)
