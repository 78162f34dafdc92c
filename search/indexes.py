"""Indices behind aliases: searches and writes name the alias, a rebuild swaps what it points to."""

from django.conf import settings
from django.utils import timezone
from elasticsearch import BadRequestError
from elasticsearch.dsl import Document

from search.client import elasticsearch


def alias_of(document: type[Document]) -> str:
    return f"{settings.SEARCH_INDEX_PREFIX}-{document._index._name}"


def create_index(document: type[Document], name: str | None = None) -> str:
    """A new, empty index with the document's mappings, timestamped unless named; returns its name.
    An index of that name that exists already is left as it is."""
    name = name or f"{alias_of(document)}-{timezone.now():%Y%m%d%H%M%S%f}"
    index = document._index.clone(name)
    index.settings(number_of_shards=1, number_of_replicas=settings.SEARCH_INDEX_REPLICAS)
    try:
        index.create(using=elasticsearch())
    except BadRequestError as error:
        if error.error != "resource_already_exists_exception":
            raise
    return name


def indices_behind(alias: str) -> list[str]:
    es = elasticsearch()
    return list(es.indices.get_alias(name=alias)) if es.indices.exists_alias(name=alias) else []


def ensure_alias(document: type[Document]) -> str:
    """The alias, created with a first index if there is none yet. That index has a fixed name, so workers
    racing to write the first documents all put the alias on the same index (with timestamped names,
    each put it on its own, and an alias over two indices takes no writes)."""
    alias = alias_of(document)
    if not indices_behind(alias):
        elasticsearch().indices.put_alias(index=create_index(document, f"{alias}-first"), name=alias)
    return alias


def point_alias(document: type[Document], index: str) -> None:
    """Atomically move the alias to `index` and drop the indices it pointed to before."""
    es = elasticsearch()
    alias = alias_of(document)
    old = [name for name in indices_behind(alias) if name != index]
    actions = [{"remove": {"index": name, "alias": alias}} for name in old]
    es.indices.update_aliases(actions=[*actions, {"add": {"index": index, "alias": alias}}])
    for name in old:
        es.indices.delete(index=name)
