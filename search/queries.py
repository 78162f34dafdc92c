"""One function per question the portal asks Elasticsearch. Weights: search/ranking.py."""

from elasticsearch.dsl import Q, Search

from search import ranking
from search.client import elasticsearch
from search.documents import OccupationDocument
from search.indexes import alias_of
from search.text import fold


def _search(document) -> Search:
    return Search(using=elasticsearch(), index=alias_of(document))


def occupations_matching(text: str, *, size: int = 10) -> list[dict]:
    """Occupations whose name or alias matches free text, with or without diacritics."""
    folded = fold(text)
    should = [
        Q("match", name={"query": text, "boost": ranking.EXACT_DIACRITICS}),
        Q("match", aliases={"query": text, "boost": ranking.ALIAS}),
        Q("match", folded={"query": folded, "boost": ranking.FOLDED}),
        Q("match", **{"folded.bigrams": {"query": folded, "boost": ranking.SYLLABLE_BIGRAMS}}),
    ]
    search = _search(OccupationDocument).query(Q("bool", should=should, minimum_should_match=1))
    response = search.source(["code", "name", "name_en"])[:size].execute()
    return [hit.to_dict() for hit in response]


def occupation_suggestions(prefix: str, *, size: int = 10) -> list[dict]:
    """Typeahead: occupations whose name or alias starts with the folded prefix."""
    search = _search(OccupationDocument).source(["code", "name"])
    search = search.suggest(
        "occupations", fold(prefix), completion={"field": "suggest", "size": size, "skip_duplicates": True}
    )
    options = search.execute().suggest.occupations[0].options
    return [option._source.to_dict() for option in options]
