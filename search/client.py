"""The one Elasticsearch client of the process, built from settings on first use."""

from functools import cache

from django.conf import settings
from elasticsearch import Elasticsearch


@cache
def elasticsearch() -> Elasticsearch:
    return Elasticsearch(settings.ELASTICSEARCH_URL, request_timeout=settings.ELASTICSEARCH_TIMEOUT)
