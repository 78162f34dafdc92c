"""Ids in addresses: digits that fit PostgreSQL's bigint, or no such page.

An id beyond bigint's range reached the database as a DataError, and `null,null` reached Django's
integer lookup as a ValueError: both were 500s. Every address with an id now goes through `<id:…>`
(registered in jobs/apps.py, before any URL module loads) or the `Router`'s lookup, so anything else
is a 404 before a view runs, on every endpoint and page alike.
"""

from rest_framework.routers import SimpleRouter


class IdConverter:
    regex = "[0-9]{1,18}"  # 18 digits never exceed bigint's 9.223.372.036.854.775.807

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


class Router(SimpleRouter):
    """DRF's router with ids for lookups unless a viewset names another pattern."""

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        if not hasattr(viewset, "lookup_value_regex"):
            viewset.lookup_value_regex = IdConverter.regex
        return super().get_lookup_regex(viewset, lookup_prefix)
