"""One function per question the portal asks Elasticsearch. Weights: search/ranking.py.

Hard rules are filters (filter context: cached, unscored); matching's soft fit is scored by named
clauses, so each hit can say which criteria it met (`matched_queries`, with each clause's score) and
which it did not. Free-text search names none: nobody reads them there, and Elasticsearch matches every
named clause again against each hit of the page (a sixth of a search's cost on 100.000 vacancies).
User text only ever reaches `match` queries, which have no syntax to inject.
"""

import base64
import json
import re
import time
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from django.utils import timezone
from elasticsearch import NotFoundError
from elasticsearch.dsl import Q, Search

from jobs.languages import SCALES, top_rank
from jobs.models import Commune, Country, Occupation, OldDistrict, TrainingLevel
from search import ranking
from search.client import elasticsearch
from search.documents import CandidateDocument, CourseDocument, OccupationDocument, VacancyDocument
from search.indexes import alias_of
from search.text import fold, fold_chars, highlight

# The facets the results page shows, each a `terms` aggregation over every match (one shard: exact counts).
FACETS = ("occupation", "commune", "country", "programme")
FACET_SIZE = 50
SORTS = {
    "relevance": ["_score", {"published_at": "desc"}, {"pk": "desc"}],
    "newest": [{"published_at": "desc"}, {"pk": "desc"}],
    "deadline": [{"deadline": "asc"}, {"pk": "asc"}],
    "salary": [{"salary_max_vnd": "desc"}, {"pk": "desc"}],
}
RESULT_FIELDS = [
    "pk",
    "title",
    "summary",
    "occupation",
    "occupation_name",
    "organisation",  # its id: a warning beside the result is read by it (search/api.py with_warnings)
    "organisation_name",
    "is_overseas",
    "commune",
    "commune_name",
    "country",
    "city",
    "programme",
    "salary_min_vnd",
    "salary_max_vnd",
    "training_level",
    "contract_type",
    "deadline",
    "published_at",
    "positions",
    "fee_verdict",
    "licence_number",
    "state_programme",
    "contract_approval_number",
    "languages",
    "age_min",
    "age_max",
    "sex",
]


def _search(document) -> Search:
    return Search(using=elasticsearch(), index=alias_of(document))


KEPT = ["hits.total", *(f"hits.hits.{name}" for name in ("_id", "_score", "_source", "sort", "matched_queries"))]
KEPT += ["aggregations.*.buckets.key", "aggregations.*.buckets.doc_count"]


def _send(search: Search, document, **params) -> dict:
    """The response as plain JSON: on a page of results with facets, the DSL's attribute wrappers cost
    as much Python time as the rest of a search together. `filter_path` leaves out what nobody reads."""
    return elasticsearch().search(index=alias_of(document), body=search.to_dict(), filter_path=KEPT, **params).body


# --- Occupations ------------------------------------------------------------------------------


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


def suggestions(prefix: str, *, within: "VacancyQuery | None" = None, size: int = 10) -> list[dict]:
    """Typeahead for the search box: occupations first, then vacancy titles, by folded prefix; with
    filters chosen (`within`: abroad, a country, a commune…), only what a search with them would find."""
    folded = fold(prefix)
    filters = _filters(within) if within else []
    if len(filters) > 1:  # more than the deadline: completion suggesters cannot filter, searches can
        return _suggestions_within(folded, filters, size)
    completion = {"size": size, "skip_duplicates": True}
    occupations = (
        _search(OccupationDocument)
        .source(["code", "name"])
        .suggest("o", folded, completion={"field": "suggest", **completion})
    )
    titles = (
        _search(VacancyDocument)
        .source(["title"])
        .suggest("t", folded, completion={"field": "title_suggest", **completion})
    )
    found = [
        {"kind": "occupation", "text": o._source.name, "code": o._source.code}
        for o in occupations.execute().suggest.o[0].options
    ]
    found += [{"kind": "vacancy", "text": o._source.title, "code": None} for o in titles.execute().suggest.t[0].options]
    return found[:size]


def _suggestions_within(folded: str, filters: list, size: int) -> list[dict]:
    """The newest titles starting so among the vacancies the filters allow, and the occupations those
    vacancies are in whose names start so."""
    search = (
        _search(VacancyDocument)
        .source(["title"])
        .query(Q("bool", filter=filters))
        .post_filter(Q("match_bool_prefix", title_folded=folded))  # the titles; the occupations count all
        .sort({"published_at": "desc"})[: size * 2]
    )
    search.aggs.bucket("occupations", "terms", field="occupation", size=1000)
    response = _send(search, VacancyDocument)
    # `filter_path` drops `aggregations` whole when no vacancy passes the filters (no bucket to keep).
    buckets = response.get("aggregations", {}).get("occupations", {}).get("buckets", [])
    offered = [bucket["key"] for bucket in buckets]
    occupations = (
        _search(OccupationDocument)
        .source(["code", "name"])
        .query(Q("bool", must=[Q("match_bool_prefix", folded=folded)], filter=[Q("terms", code=offered)]))[:size]
    )
    found = [
        {"kind": "occupation", "text": hit["_source"]["name"], "code": hit["_source"]["code"]}
        for hit in _send(occupations, OccupationDocument)["hits"].get("hits", [])
    ]
    titles = dict.fromkeys(hit["_source"]["title"] for hit in response["hits"].get("hits", []))
    found += [{"kind": "vacancy", "text": title, "code": None} for title in titles]
    return found[:size]


def occupation_codes_in(text: str) -> set[str]:
    """The occupations a query names through their names or aliases ("hàn điện", "welder" → 7212)."""
    aliases = _alias_map()
    return {code for phrase in phrases_in(text) for code in aliases.get(phrase, ())}


@lru_cache(maxsize=256)
def phrases_in(text: str) -> frozenset[str]:
    """Every run of up to MAX_PHRASE_WORDS consecutive folded words: the phrases a name or alias could
    be. A few words typed make a few dictionary reads, where scanning every alias cost half a
    millisecond a search; the cap keeps a 200-character paste of one-letter words cheap too."""
    words = fold(text).split()
    return frozenset(
        " ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, min(i + MAX_PHRASE_WORDS, len(words)) + 1)
    )


MAX_PHRASE_WORDS = 16  # the longest occupation alias has 14 words


def _alias_map() -> dict[str, list[str]]:
    def build():
        mapping = {}
        for code, name, english, aliases in Occupation.objects.values_list("code", "name_vi", "name_en", "aliases"):
            for phrase in {fold(name), fold(english), *(fold(alias) for alias in aliases)}:
                mapping.setdefault(phrase, []).append(code)
        return mapping

    return _memo("occupation-aliases", build)


# --- Vacancy search ---------------------------------------------------------------------------


@dataclass
class VacancyQuery:
    q: str = ""
    occupations: list[str] = field(default_factory=list)
    commune: str | None = None
    near: tuple[float, float] | None = None  # a commune's (lat, lon)
    radius_km: int = 30
    abroad: bool | None = None
    country: str | None = None
    programme: str | None = None
    salary_min: int | None = None
    training_level: str | None = None  # the worker's level: vacancies requiring at most this
    employment_type: str | None = None
    posted_since: date | None = None
    sort: str = "relevance"
    page_size: int = 20
    page: int = 1
    search_after: list | None = None
    facets: tuple[str, ...] = FACETS  # computed on the first page only: they serve the deeper pages


def vacancy_query(given: Mapping, *, page_size: int | None = None) -> VacancyQuery:
    """A vacancy search's validated input as a query: the API's `SearchInput` and the results page's
    `SearchForm` (search/forms.py) both end here, so a filter means the same in both. Reference data comes
    as the rows the input was checked against (occupations, communes, a country; a programme as a row or its
    code); an empty value ("", None, left out) is no filter. A page that fixes its size gives `page_size`."""
    occupations = given.get("occupation") or []
    commune, near, country, programme = (given.get(name) for name in ("commune", "near", "country", "programme"))
    return VacancyQuery(
        q=given.get("q") or "",
        occupations=[o.code for o in (occupations if isinstance(occupations, list) else [occupations])],
        commune=commune.code if commune else None,
        near=(near.latitude, near.longitude) if near else None,
        radius_km=given.get("radius_km") or VacancyQuery.radius_km,
        abroad={"true": True, "false": False}.get(given.get("abroad")),
        country=country.pk if country else None,
        programme=getattr(programme, "code", programme) or None,
        salary_min=given.get("salary_min"),
        training_level=given.get("training_level") or None,
        employment_type=given.get("employment_type") or None,
        posted_since=given.get("posted_since"),
        sort=given.get("sort") or "relevance",
        page_size=page_size or given.get("page_size") or VacancyQuery.page_size,
        page=given.get("page") or 1,
        search_after=given.get("search_after"),
    )


def vacancy_search(query: VacancyQuery) -> dict:
    first = query.page == 1 and not query.search_after
    response = _send(vacancy_search_request(query), VacancyDocument, request_cache=first)
    hits, aggregations = response["hits"].get("hits", []), response.get("aggregations", {})
    return {
        "count": response["hits"]["total"]["value"],
        "count_is_exact": response["hits"]["total"]["relation"] == "eq",
        "results": [_result(hit, query.q) for hit in hits],
        "next": _cursor(hits[-1]["sort"]) if len(hits) == query.page_size else None,
        "facets": {
            name: {b["key"]: b["doc_count"] for b in aggregations[name].get("buckets", [])}
            for name in FACETS
            if name in aggregations
        },
    }


def vacancy_search_request(query: VacancyQuery) -> Search:
    """The request `vacancy_search` sends (the benchmark sends it raw, to compare; saved searches' alerts send
    it restricted to new ids). It depends only on the query, the day and the hour (no `now`), so the shard
    request cache answers a first page again until the index changes (`vacancy_search` asks it to: most
    searches stop there). Splitting the page (scored, counting nothing) from its count and facets (unscored)
    was measured and undone: the corpus's tied scores let Elasticsearch skip nothing, and the matches were
    evaluated twice (CPU a search 21,6 ms instead of 13 at 50/s)."""
    # Counting stops at 10.000 ("10.000+"): an exact count of a broad query costs more than the page.
    search = _search(VacancyDocument).extra(track_total_hits=ranking.MAX_RESULT_WINDOW).source(RESULT_FIELDS)
    search = search.query(_ranked(query))
    if query.page == 1 and not query.search_after:  # the first page's facets serve deeper pages
        for name in query.facets:
            search.aggs.bucket(name, "terms", field=name, size=FACET_SIZE)
    search = search.sort(*SORTS[query.sort])
    if query.search_after:
        return search.extra(search_after=query.search_after)[: query.page_size]
    start = (query.page - 1) * query.page_size
    return search[start : start + query.page_size]


def vacancy_count(query: VacancyQuery) -> int:
    """How many visible vacancies a search finds, exactly: its count alone (unscored), without a page or facets."""
    ranked = _ranked(query)
    matches = Q("bool", filter=[*ranked.must, *ranked.filter])
    search = _search(VacancyDocument).extra(track_total_hits=True).query(matches)[:0]
    return _send(search, VacancyDocument)["hits"]["total"]["value"]


def _ranked(query: VacancyQuery) -> Q:
    must, boosts = _text(query.q)
    return Q("bool", must=must, filter=_filters(query), should=[_recency(), *boosts])


def _text(text: str) -> tuple[list, list]:
    """What the typed text requires (must) and what it only favours (should)."""
    if not text.strip():
        return [], []
    place = place_in(text)
    if place:
        # "thợ hàn Cam Lộ": the place's words leave the text (no title needs to say "Cam Lộ") and become a
        # boost for its communes and for nearness to it; "việc làm Đông Hà", all place, is a place filter.
        text = place.rest
        if not (set(fold(text).split()) - GENERIC_WORDS):
            return [place.query(within=True)], []
    for phrase in GENERIC_PHRASES & phrases_in(text):  # "việc làm Hà Nội": a title needs "Hà Nội", not "việc làm"
        if fold(rest := cut(text, phrase)):
            text = rest
    folded = fold(text)

    def match(field, query, boost, **options):
        options.setdefault("minimum_should_match", ranking.WORDS)
        return Q("match", **{field: {"query": query, "boost": boost, **options}})

    should = [
        match("title", text, ranking.EXACT_DIACRITICS),
        match("title_folded", folded, ranking.FOLDED),
        match("title_folded.bigrams", folded, ranking.SYLLABLE_BIGRAMS, minimum_should_match=1),
        match("occupation_name_folded", folded, ranking.OCCUPATION_NAME),
        # In long text the words must stand close together, or every "công" would meet every "phí".
        # Typed with diacritics, the description must say it so: "phi công" is not "phí công" (a fee).
        Q(
            "match_phrase",
            **{
                "description" if folded != text.lower() else "description_folded": {
                    "query": text if folded != text.lower() else folded,
                    "slop": 2,
                    "boost": ranking.DESCRIPTION,
                }
            },
        ),
        Q("match_phrase", skills_folded={"query": folded, "slop": 2, "boost": ranking.DESCRIPTION}),
    ]
    # Only when a word the clause could correct (TYPO_FUZZINESS: four letters or more) is one no reference
    # name holds ("dieu duongg"): a query of known words has no typo to forgive. Whether it is sent depends
    # on the query alone, so what a query finds never depends on how many vacancies the index holds.
    if any(len(word) >= TYPO_MIN_LETTERS and word not in known_words() for word in folded.split()):
        should.append(
            match(
                "title_folded",
                folded,
                ranking.TYPO,
                fuzziness=ranking.TYPO_FUZZINESS,
                prefix_length=1,
                max_expansions=ranking.TYPO_EXPANSIONS,
            )
        )
    if codes := occupation_codes_in(text):
        should.append(Q("terms", occupation=sorted(codes), boost=ranking.OCCUPATION_CONCEPT))
    if countries := country_codes_in(text):
        should.append(Q("terms", country=sorted(countries), boost=ranking.COUNTRY_CONCEPT))
    abroad = not ABROAD_PHRASES.isdisjoint(phrases_in(text))
    if abroad:
        should.append(Q("term", is_overseas={"value": True, "boost": ranking.ABROAD_CONCEPT}))
    if languages := language_levels_in(text):
        should.append(Q("terms", languages=languages, boost=ranking.LANGUAGE_CONCEPT))
        # "JLPT N4" is also a wish to work in Japan: its vacancies that ask nothing fit, less.
        if spoken := sorted({LANGUAGE_COUNTRIES[level.split(":")[0]] for level in languages} - {None}):
            should.append(Q("terms", country=spoken, boost=ranking.LANGUAGE_COUNTRY))
    must = [Q("bool", should=should, minimum_should_match=1)]
    if not place:
        return must, []
    if not (abroad or countries):  # a place at home named: work abroad is not what was asked
        must.append(Q("bool", filter=[Q("term", is_overseas=False)]))
    return must, [place.query(within=False)]


# Words that say "a job" and nothing more.
GENERIC_PHRASES = frozenset({"viec lam", "tuyen dung", "can tuyen", "tuyen gap"})


def cut(text: str, phrase: str) -> str:
    """The text without the first occurrence of a folded phrase, the rest as typed (diacritics kept)."""
    text = unicodedata.normalize("NFC", text)
    words = r"\s+".join(map(re.escape, phrase.split()))
    found = re.search(rf"(?<!\w){words}(?!\w)", fold_chars(text))  # folding keeps every position
    return " ".join((text[: found.start()] + " " + text[found.end() :]).split()) if found else text


# What people call each language certificate, and its levels as they type them ("N4", "B1", "3").
LANGUAGE_NAMES = {
    "jlpt": "jlpt",
    "tieng nhat": "jlpt",
    "nhat ngu": "jlpt",
    "jft": "jft_basic",
    "jft basic": "jft_basic",
    "jft-basic": "jft_basic",
    "topik": "topik",
    "tieng han": "topik",
    "eps-topik": "eps_topik",
    "eps topik": "eps_topik",
    "tieng duc": "cefr_de",
    "duc ngu": "cefr_de",
    "tieng anh": "cefr_en",
    "anh van": "cefr_en",
    "tocfl": "tocfl",
    "tieng trung": "tocfl",
}


# Where each certificate's language is the work language (English is everywhere).
LANGUAGE_COUNTRIES = {"jlpt": "JP", "jft_basic": "JP", "topik": "KR", "eps_topik": "KR", "cefr_de": "DE"}
LANGUAGE_COUNTRIES |= {"tocfl": "TW", "cefr_en": None}


def language_levels_in(text: str) -> list[str]:
    """The "framework:rank" values a vacancy may require for the language a query names to fit it: every
    level up to the one typed ("JLPT N4": N5 or N4), every level when none is typed ("tiếng Đức")."""
    phrases, words = phrases_in(text), set(text.upper().split())
    levels = []
    for framework in sorted({LANGUAGE_NAMES[p] for p in phrases if p in LANGUAGE_NAMES}):
        top = top_rank(framework)
        typed = [rank for rank, level in enumerate(SCALES.get(framework, [])) if level in words]
        levels += [f"{framework}:{r}" for r in range(max(typed, default=top) + 1)]
    return levels


# Words that say "a job" and nothing more: with a place, "việc làm Đông Hà" asks for the place alone.
GENERIC_WORDS = {"viec", "lam", "tuyen", "dung", "o", "tai", "gan", "can", "nguoi", "lao", "dong"}


@dataclass
class Place:
    """A place a query names: the communes it covers (a 2025 commune, or a pre-2025 district's communes) and
    their centre; `rest` is the query without the place's words."""

    phrase: str
    communes: list[str]
    centre: tuple[float, float]
    rest: str

    def query(self, *, within: bool) -> Q:
        lat, lon = self.centre
        near = Q(
            "distance_feature",
            field="location",
            origin={"lat": lat, "lon": lon},
            pivot=ranking.PLACE_PIVOT,
            boost=ranking.PLACE_NEAR,
        )
        named = Q("terms", commune=self.communes, boost=ranking.PLACE)
        if not within:
            return Q("bool", should=[named, near])
        # The place alone: its communes and what lies within PLACE_RADIUS_KM of its centre, nearest first.
        ring = Q("geo_distance", distance=f"{ranking.PLACE_RADIUS_KM}km", location={"lat": lat, "lon": lon})
        return Q("bool", should=[named, near], filter=[Q("bool", should=[Q("terms", commune=self.communes), ring])])


def place_in(text: str) -> Place | None:
    """The longest place name a query holds ("nam dong ha" before "dong ha"), through the commune reference
    data and the pre-2025 districts people still name ("Cam Lộ", "Hướng Hóa"); None when there is none."""
    places = _place_map()
    named = [phrase for phrase in phrases_in(text) if phrase in places]
    if not named:
        return None
    phrase = max(named, key=lambda p: (len(p.split()), len(p)))
    communes, centre = places[phrase]
    return Place(phrase, communes, centre, cut(text, phrase))


def _place_map() -> dict[str, tuple[list[str], tuple[float, float]]]:
    def build():
        rows = Commune.objects.values_list("code", "name", "latitude", "longitude")
        at = {code: (lat, lon) for code, _name, lat, lon in rows}
        places: dict[str, set[str]] = {}
        for code, name, _lat, _lon in rows:
            places.setdefault(fold(name), set()).add(code)
        for district in OldDistrict.objects.prefetch_related("communes"):
            name = fold(district.name)
            for kind in DISTRICT_KINDS:  # "huyen cam lo" and "cam lo" alike
                name = name.removeprefix(f"{kind} ")
            places.setdefault(name, set()).update(c.code for c in district.communes.all())
        places.pop(PROVINCE, None)  # "Quảng Trị" names the province here far more often than its ward
        return {
            phrase: (
                sorted(codes),
                (
                    sum(at[c][0] for c in codes) / len(codes),
                    sum(at[c][1] for c in codes) / len(codes),
                ),
            )
            for phrase, codes in places.items()
        }

    return _memo("places", build)


DISTRICT_KINDS = ["thanh pho", "thi xa", "huyen"]
PROVINCE = "quang tri"


# What people type for "work abroad under contract".
ABROAD_PHRASES = {"xuat khau lao dong", "xkld", "di lam viec o nuoc ngoai", "lam viec o nuoc ngoai", "nuoc ngoai"}


def country_codes_in(text: str) -> set[str]:
    """Countries a query names, in Vietnamese or English ("nhat ban", "Korea" → JP, KR)."""

    def build():
        rows = Country.objects.values_list("code", "name_vi", "name_en")
        names = {}
        for code, *spellings in rows:
            for name in spellings:
                names.setdefault(fold(name), set()).add(code)
        return names

    names = _memo("country-names", build)
    return {code for phrase in phrases_in(text) for code in names.get(phrase, ())}


TYPO_MIN_LETTERS = 4  # shorter words get no edit under ranking.TYPO_FUZZINESS ("AUTO:4,8")


def known_words() -> frozenset[str]:
    """Every folded word of the reference data's names: occupations (Vietnamese, English, aliases), places,
    countries, language certificates, and the words that only say "a job". Not the vacancies' own words, so
    whether a query's typo clause is sent depends on the query alone, never on the index."""

    def build():
        country_names = Country.objects.values_list("name_vi", "name_en")
        phrases = [*_alias_map(), *_place_map(), *(fold(name) for pair in country_names for name in pair)]
        phrases += [*LANGUAGE_NAMES, *GENERIC_PHRASES, *GENERIC_WORDS, *ABROAD_PHRASES, PROVINCE]
        return frozenset(word for phrase in phrases for word in phrase.split())

    return _memo("known-words", build)


_MEMO: dict[str, tuple[float, object]] = {}
MEMO_SECONDS = 300  # occupations and countries change rarely, by officers: minutes of delay are fine


def _memo(key: str, build):
    """Reference data the query builder reads on every search, kept in the process for a few minutes
    (a Redis round trip and an unpickle per search cost more than the search itself)."""
    expires, value = _MEMO.get(key, (0.0, None))
    if expires < time.monotonic():
        value = build()
        _MEMO[key] = (time.monotonic() + MEMO_SECONDS, value)
    return value


def forget_reference() -> None:
    _MEMO.clear()


def _recency(**name) -> Q:
    """Among equals, the newer vacancy first (search and matching alike; matching names it a reason). Measured
    from the end of the current hour rather than `now`, so a search is the same request for an hour and the
    request cache can keep it; every vacancy was published before that end, so newer still means nearer
    (an hour moves no score by more than 0,14 % of RECENCY: 1 h of a 30-day pivot)."""
    hour = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    return Q(
        "distance_feature",
        field="published_at",
        origin=hour.isoformat(),
        pivot=ranking.RECENCY_PIVOT,
        boost=ranking.RECENCY,
        **name,
    )


def _open() -> Q:
    """Not past its deadline (one that passed since it was indexed): today in Vietnam, the day
    `Vacancy.objects.visible()` counts by, and a fixed value, where `now/d` (UTC) kept the request cache out."""
    return Q("range", deadline={"gte": timezone.localdate().isoformat()})


def _filters(query: VacancyQuery) -> list:
    filters = [_open()]
    if query.occupations:
        filters.append(Q("terms", occupation=query.occupations))
    if query.commune:
        filters.append(Q("term", commune=query.commune))
    if query.near:
        lat, lon = query.near
        filters.append(Q("geo_distance", distance=f"{query.radius_km}km", location={"lat": lat, "lon": lon}))
    if query.abroad is not None:
        filters.append(Q("term", is_overseas=query.abroad))
    for name in ("country", "programme"):
        if value := getattr(query, name):
            filters.append(Q("term", **{name: value}))
    if query.salary_min:
        filters.append(Q("range", salary_max_vnd={"gte": query.salary_min}))
    if query.training_level:
        filters.append(Q("range", training_rank={"lte": TrainingLevel.values.index(query.training_level)}))
    if query.employment_type:
        filters.append(Q("term", contract_type=query.employment_type))
    if query.posted_since:
        filters.append(Q("range", published_at={"gte": query.posted_since.isoformat()}))
    return filters


def _result(hit: dict, text: str) -> dict:
    source = hit["_source"]
    source["highlight"] = {"title": highlight(source["title"], text)} if text else {}
    return source


def _cursor(values) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values)).encode()).decode()


def read_cursor(cursor: str) -> list:
    """The sort values a `next` cursor carries; ValueError when it was not one of ours."""
    values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    if not isinstance(values, list) or not all(isinstance(v, int | float | str) for v in values):
        raise ValueError(cursor)
    return values


# --- Matching -------------------------------------------------------------------------------------


@dataclass
class Profile:
    """What matching knows of a worker: no name, no ID number, nothing sensitive."""

    age: int
    sex: str
    location: tuple[float, float]
    desired: list[str]
    certified: list[str]  # occupations of the worker's certificates, verified or not
    training_rank: int
    languages: dict[str, int]  # framework → rank
    wants_abroad: bool
    countries: list[str]
    expected_salary_vnd: int | None
    skills: list[str] = field(default_factory=list)
    verified: list[str] = field(default_factory=list)  # those of `certified` an officer verified
    places: list[tuple[float, float]] = field(default_factory=list)  # communes the worker wants to work in
    wants_home: bool = True  # False: work abroad only
    abroad_occupations: list[str] = field(default_factory=list)  # worked abroad in these (returns recorded)
    abroad_countries: list[str] = field(default_factory=list)  # ... and came back from these


def matches_for(profile: Profile, *, size: int = 20) -> list[dict]:
    """Visible vacancies ranked for a worker, each with the criteria it met and those it did not.

    First among the vacancies in the worker's own occupations or countries (a few thousand, not the
    whole index); only when those are too few, or the worker named none, among every vacancy the hard
    rules allow.
    """
    focus = profile.desired or profile.certified or profile.countries
    hits = _scored(matches_request(profile, size=size, focused=True), VacancyDocument) if focus else []
    if len(hits) < size:
        hits = _scored(matches_request(profile, size=size), VacancyDocument)
    return [_explained(hit, profile) for hit in hits]


def match_for(profile: Profile, vacancy_id: int) -> dict | None:
    """One vacancy's fit for a worker, as `matches_for` explains each (the vacancy page's "why this fits
    you"); None when a hard rule or the worker's wishes (abroad, countries) leave it out."""
    search = matches_request(profile, size=1).filter("ids", values=[str(vacancy_id)])
    hits = _scored(search, VacancyDocument)
    return _explained(hits[0], profile) if hits else None


def _scored(search: Search, document) -> list[dict]:
    """Hits with each named clause's share of the score (`matched_queries` as a name → score map)."""
    return _send(search, document, include_named_queries_score=True)["hits"].get("hits", [])


def matches_request(profile: Profile, *, size: int = 20, focused: bool = False) -> Search:
    hard = [
        _open(),
        Q("range", age_min={"lte": profile.age}),
        Q("bool", should=[Q("range", age_max={"gte": profile.age}), ~Q("exists", field="age_max")]),
        Q("terms", sex=["any", profile.sex]),
    ]
    abroad = Q(
        "bool",
        filter=[Q("term", is_overseas=True)] + ([Q("terms", country=profile.countries)] if profile.countries else []),
    )
    at_home = profile.wants_home or not profile.wants_abroad  # a worker who chose neither still works at home
    hard.append(
        Q(
            "bool",
            should=([Q("term", is_overseas=False)] if at_home else []) + ([abroad] if profile.wants_abroad else []),
        )
    )
    acceptable = [f"{framework}:{r}" for framework, top in profile.languages.items() for r in range(top + 1)]
    # Met when nothing is required, or when every language required is held at its level or above.
    language_ok = [~Q("exists", field="languages")]
    if acceptable:
        every = {"terms": acceptable, "minimum_should_match_field": "language_count"}
        language_ok.append(Q("terms_set", languages=every))
    declared = sorted(set(profile.certified) - set(profile.verified))
    soft = [
        Q("terms", occupation=profile.desired or ["-"], boost=ranking.DESIRED_OCCUPATION, _name="desired_occupation"),
        Q(
            "terms",
            occupation=profile.verified or ["-"],
            boost=ranking.CERTIFIED_OCCUPATION,
            _name="certified_occupation",
        ),
        Q("terms", occupation=declared or ["-"], boost=ranking.DECLARED_CERTIFICATE, _name="declared_certificate"),
        Q("range", training_rank={"lte": profile.training_rank, "boost": ranking.TRAINING, "_name": "training"}),
        # Met or not, one score: how rare a level is among vacancies says nothing about the worker's fit.
        Q("constant_score", filter=Q("bool", should=language_ok), boost=ranking.LANGUAGE, _name="language"),
        Q(
            "range",
            salary_max_vnd={"gte": profile.expected_salary_vnd or 0, "boost": ranking.SALARY, "_name": "salary"},
        ),
    ]
    if at_home:
        # Near home or near any commune the worker wants to work in, whichever is nearest.
        near = [
            Q(
                "distance_feature",
                field="location",
                origin={"lat": lat, "lon": lon},
                pivot=ranking.DISTANCE_PIVOT,
                boost=ranking.DISTANCE,
            )
            for lat, lon in [profile.location, *profile.places]
        ]
        soft.append(Q("dis_max", queries=near, _name="distance"))
    if profile.wants_abroad:
        # Work abroad where the worker wants to go is as near to their wish as a job next door.
        soft.append(Q("constant_score", filter=abroad, boost=ranking.COUNTRY, _name="country"))
    if profile.abroad_occupations:
        valued = [Q("term", values_overseas_experience=True)]
        valued += [Q("terms", country=profile.abroad_countries)] if profile.abroad_countries else []
        returnee = Q("bool", filter=[Q("terms", occupation=profile.abroad_occupations)], should=valued)
        returnee.minimum_should_match = 1
        soft.append(
            Q("constant_score", filter=returnee, boost=ranking.OVERSEAS_EXPERIENCE, _name="overseas_experience")
        )
    if profile.skills:
        skills = fold(" ".join(profile.skills))
        soft.append(Q("match", skills_folded={"query": skills, "boost": ranking.SKILLS, "_name": "skills"}))
    soft.append(_recency(_name="recency"))
    search = _search(VacancyDocument).source(RESULT_FIELDS)
    if focused:
        wanted = [Q("terms", occupation=profile.desired + profile.certified)]
        wanted += [Q("terms", country=profile.countries)] if profile.countries else []
        hard.append(Q("bool", should=wanted, minimum_should_match=1))
    return search.query(Q("bool", filter=hard, should=soft))[:size]


OCCUPATION_CRITERIA = {"desired_occupation", "certified_occupation", "declared_certificate"}


def _explained(hit: dict, profile: Profile) -> dict:
    matched = hit.get("matched_queries", {})
    source = hit["_source"]
    missing = []
    if "language" not in matched:
        missing += _languages_missing(source.get("languages", []), profile.languages)
    if "training" not in matched:
        missing.append(
            {"criterion": "training", "required": source["training_level"], "occupation": source["occupation"]}
        )
    if not OCCUPATION_CRITERIA & set(matched):
        missing.append({"criterion": "occupation", "required": source["occupation"]})
    if "salary" not in matched and profile.expected_salary_vnd:
        missing.append(
            {"criterion": "salary", "offered": source["salary_max_vnd"], "expected": profile.expected_salary_vnd}
        )
    return {**source, "score": hit["_score"], "reasons": _reasons(matched), "missing": missing}


def _languages_missing(required: list[str], held: dict[str, int]) -> list[dict]:
    """Each "framework:rank" required that the held ranks do not reach."""
    missing = []
    for requirement in required:
        framework, needed = requirement.split(":")
        have = held.get(framework)
        if have is None or have < int(needed):
            missing.append({"criterion": "language", "framework": framework, "required": int(needed), "have": have})
    return missing


def _reasons(matched: dict[str, float]) -> list[dict]:
    """The criteria a hit met, biggest first, each with its share of the score."""
    total = sum(matched.values()) or 1.0
    return [
        {"criterion": name, "share": round(score / total, 2)}
        for name, score in sorted(matched.items(), key=lambda kv: -kv[1])
    ]


def years_before(day: date, years: int) -> date:
    """The same day `years` earlier (28 February for a 29th in a common year): whoever was born on
    or before it is at least `years` old on `day`."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def vacancy_document(pk: int) -> dict | None:
    """A vacancy as the index holds it; None when it is not there (not published). A missing index
    stays an error: search is down, not the vacancy."""
    try:
        return elasticsearch().get(index=alias_of(VacancyDocument), id=pk)["_source"]
    except NotFoundError as exc:
        if isinstance(exc.body, dict) and exc.body.get("found") is False:
            return None
        raise


def candidates_for(vacancy: dict, *, size: int = 20) -> list[dict]:
    """Consenting workers ranked for a vacancy (its indexed document), the same logic the other way, each
    with the criteria they met (`reasons`) and those they did not (`missing`)."""
    today = timezone.localdate()
    hard = [Q("range", born={"lte": years_before(today, vacancy["age_min"])})]  # aged at least age_min today
    if vacancy.get("age_max"):
        hard.append(Q("range", born={"gt": years_before(today, vacancy["age_max"] + 1)}))  # not yet age_max + 1
    if vacancy.get("sex") not in (None, "any"):
        hard.append(Q("term", sex=vacancy["sex"]))
    if vacancy["is_overseas"]:
        hard.append(Q("term", wants_abroad=True))
        hard.append(Q("bool", should=[Q("term", countries=vacancy["country"]), ~Q("exists", field="countries")]))
    else:
        hard.append(~Q("term", wants_home=False))  # not those who want work abroad only
    required = vacancy.get("languages", [])
    occupation = [vacancy["occupation"]]
    soft = [
        Q("terms", occupations=occupation, boost=ranking.DESIRED_OCCUPATION, _name="desired_occupation"),
        Q("terms", verified_occupations=occupation, boost=ranking.CERTIFIED_OCCUPATION, _name="certified_occupation"),
        Q(
            "bool",
            filter=[Q("terms", certified_occupations=occupation)],
            must_not=[Q("terms", verified_occupations=occupation)],
            boost=ranking.DECLARED_CERTIFICATE,
            _name="declared_certificate",
        ),
        Q(
            "range",
            training_rank={
                "gte": TrainingLevel.values.index(vacancy["training_level"]),
                "boost": ranking.TRAINING,
                "_name": "training",
            },
        ),
        Q("range", expected_salary_vnd={"lte": vacancy["salary_max_vnd"], "boost": ranking.SALARY, "_name": "salary"}),
    ]
    for requirement in required:
        framework, needed = requirement.split(":")
        levels = [f"{framework}:{r}" for r in range(int(needed), 300)]
        soft.append(Q("terms", languages=levels, boost=ranking.LANGUAGE / len(required), _name=f"language:{framework}"))
    if skills := vacancy.get("skills_folded"):
        soft.append(Q("match", skills_folded={"query": " ".join(skills), "boost": ranking.SKILLS, "_name": "skills"}))
    if vacancy.get("location"):
        soft.append(
            Q(
                "distance_feature",  # from the nearest of the worker's home and wanted communes
                field="location",
                origin=vacancy["location"],
                pivot=ranking.DISTANCE_PIVOT,
                boost=ranking.DISTANCE,
                _name="distance",
            )
        )
    search = _search(CandidateDocument).source(["occupations", "training_level", "languages", "commune"])
    search = search.query(Q("bool", filter=hard, should=soft))[:size]
    found = []
    for hit in _scored(search, CandidateDocument):
        matched = hit.get("matched_queries", {})
        source = hit["_source"]
        held = dict(pair.split(":") for pair in source.get("languages", []))
        missing = _languages_missing(
            [r for r in required if f"language:{r.split(':')[0]}" not in matched], {f: int(r) for f, r in held.items()}
        )
        if "training" not in matched:
            missing.append({"criterion": "training", "required": vacancy["training_level"]})
        if not OCCUPATION_CRITERIA & set(matched):
            missing.append({"criterion": "occupation", "required": vacancy["occupation"]})
        found.append(
            {
                "worker": int(hit["_id"]),
                "score": hit["_score"],
                "reasons": _reasons(matched),
                "missing": missing,
                **source,
            }
        )
    return found


# --- Courses --------------------------------------------------------------------------------------

COURSE_FIELDS = [
    "pk",
    "title",
    "summary",
    "occupation",
    "occupation_name",
    "organisation_name",
    "level",
    "language",
    "online",
    "commune",
    "commune_name",
    "start_date",
    "end_date",
    "seats",
    "seats_left",
    "fee_vnd",
]


@dataclass
class CourseQuery:
    q: str = ""
    occupation: str | None = None
    level: str | None = None  # at or above this level
    language: str | None = None  # "jlpt:1": a course toward this level or above of that certificate
    near: list[tuple[float, float]] = field(default_factory=list)  # communes' (lat, lon): within radius, or online
    radius_km: int = 40
    starts_by: date | None = None  # starting from tomorrow up to this day
    seats_left: bool = True
    page_size: int = 20
    page: int = 1


STARTING_WITHIN = timedelta(days=92)  # a worker's own course search: "starting within three months"
NEAR_KM = 40  # around the worker's home and wanted communes (Quảng Trị is ~250 km long; a bus ride)


def course_query(given: Mapping, *, worker=None) -> CourseQuery:
    """A course search's validated input (the API's `CourseSearchInput`, the courses page's form) as a query.
    With `for_me` and a worker (`candidates.WorkerProfile`), theirs: near home or the communes they want to
    work in, starting within three months."""
    query = CourseQuery(
        q=given.get("q") or "",
        occupation=given.get("occupation") or None,
        level=given.get("level") or None,
        language=given.get("language") or None,
        page=given.get("page") or 1,
    )
    if given.get("for_me") and worker is not None:
        query.near = [(c.latitude, c.longitude) for c in [worker.commune, *worker.desired_communes.all()]]
        query.radius_km = NEAR_KM
        query.starts_by = timezone.localdate() + STARTING_WITHIN
    return query


def course_search(query: CourseQuery) -> dict:
    """Open courses: those still to start with seats left by default, soonest first among equals."""
    filters = [Q("range", start_date={"gt": "now/d"})]
    if query.seats_left:
        filters.append(Q("range", seats_left={"gte": 1}))
    if query.occupation:
        filters.append(Q("term", occupation=query.occupation))
    if query.level:
        filters.append(Q("range", level_rank={"gte": TrainingLevel.values.index(query.level)}))
    if query.language:
        framework, needed = query.language.split(":")
        filters.append(Q("terms", language=[f"{framework}:{r}" for r in range(int(needed), 300)]))
    if query.near:
        places = [
            Q("geo_distance", distance=f"{query.radius_km}km", location={"lat": lat, "lon": lon})
            for lat, lon in query.near
        ]
        filters.append(Q("bool", should=[*places, Q("term", online=True)], minimum_should_match=1))
    if query.starts_by:
        filters.append(Q("range", start_date={"lte": query.starts_by.isoformat()}))
    must = []
    if query.q.strip():
        folded = fold(query.q)
        should = [
            Q("match", title={"query": query.q, "boost": ranking.EXACT_DIACRITICS}),
            Q("match", title_folded={"query": folded, "boost": ranking.FOLDED, "minimum_should_match": ranking.WORDS}),
            Q("match", **{"title_folded.bigrams": {"query": folded, "boost": ranking.SYLLABLE_BIGRAMS}}),
            Q("match", occupation_name={"query": query.q, "boost": ranking.OCCUPATION_NAME}),
            Q("match_phrase", description_folded={"query": folded, "slop": 2, "boost": ranking.DESCRIPTION}),
        ]
        if codes := occupation_codes_in(query.q):
            should.append(Q("terms", occupation=sorted(codes), boost=ranking.OCCUPATION_CONCEPT))
        must = [Q("bool", should=should, minimum_should_match=1)]
    start = (query.page - 1) * query.page_size
    search = _search(CourseDocument).source(COURSE_FIELDS).query(Q("bool", must=must, filter=filters))
    search = search.sort("_score", {"start_date": "asc"}, {"pk": "asc"})[start : start + query.page_size]
    response = _send(search, CourseDocument)
    hits = response["hits"].get("hits", [])
    return {"count": response["hits"]["total"]["value"], "results": [_result(hit, query.q) for hit in hits]}
