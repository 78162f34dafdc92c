"""One function per question the portal asks Elasticsearch. Weights: search/ranking.py.

Hard rules are filters (filter context: cached, unscored); soft fit is scored by named clauses, so
each hit can say which criteria it met (`matched_queries`, with each clause's score) and which it
did not. User text only ever reaches `match` queries, which have no syntax to inject.
"""

import base64
import json
import time
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from django.utils import timezone
from elasticsearch import NotFoundError
from elasticsearch.dsl import Q, Search

from jobs.models import Country, Occupation, TrainingLevel
from search import ranking
from search.client import elasticsearch
from search.documents import CandidateDocument, CourseDocument, OccupationDocument, VacancyDocument
from search.indexes import alias_of
from search.text import fold, highlight

FACETS = {"occupation": "occupation", "commune": "commune", "country": "country", "programme": "programme"}
FACETS["training_level"] = "training_level"
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
    "contract_approval_number",
    "languages",
    "age_min",
    "age_max",
    "sex",
]


def _search(document) -> Search:
    return Search(using=elasticsearch(), index=alias_of(document))


def _send(search: Search, document, **params) -> dict:
    """The response as plain JSON: on a page of results with facets, the DSL's attribute wrappers cost
    as much Python time as the rest of a search together. `filter_path` leaves out what nobody reads."""
    path = "hits.total,hits.hits._id,hits.hits._score,hits.hits._source,hits.hits.sort,hits.hits.matched_queries"
    path += ",aggregations.*.buckets.key,aggregations.*.buckets.doc_count"
    return elasticsearch().search(index=alias_of(document), body=search.to_dict(), filter_path=path, **params).body


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


def suggestions(prefix: str, *, size: int = 10) -> list[dict]:
    """Typeahead for the search box: occupations first, then vacancy titles, by folded prefix."""
    folded = fold(prefix)
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
    facets: bool = True


def vacancy_search(query: VacancyQuery) -> dict:
    response = _send(vacancy_search_request(query), VacancyDocument)
    if (
        query.q
        and query.page == 1
        and not query.search_after
        and len(response["hits"].get("hits", [])) < query.page_size
    ):
        # Too few for a page: the typed words may hold a typo. Spelled right, they never pay for it.
        response = _send(vacancy_search_request(query, typos=True), VacancyDocument)
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


def vacancy_search_request(query: VacancyQuery, *, typos: bool = False) -> Search:
    """The request `vacancy_search` sends (the benchmark sends it raw, to compare)."""
    # Counting stops at 10.000 ("10.000+"): an exact count of a broad query costs more than the page.
    search = _search(VacancyDocument).extra(track_total_hits=ranking.MAX_RESULT_WINDOW).source(RESULT_FIELDS)
    search = search.query(Q("bool", must=_text(query.q, typos=typos), filter=_filters(query), should=[_recency()]))
    if query.facets and query.page == 1 and not query.search_after:  # the first page's facets serve deeper pages
        for name, path in FACETS.items():
            search.aggs.bucket(name, "terms", field=path, size=50)
    search = search.sort(*SORTS[query.sort])
    if query.search_after:
        search = search.extra(search_after=query.search_after)[: query.page_size]
    else:
        start = (query.page - 1) * query.page_size
        search = search[start : start + query.page_size]
    return search


def _text(text: str, *, typos: bool = False) -> list:
    if not text.strip():
        return []
    folded = fold(text)

    def match(field, query, boost, name, **options):
        options.setdefault("minimum_should_match", ranking.WORDS)
        return Q("match", **{field: {"query": query, "boost": boost, "_name": name, **options}})

    should = [
        match("title", text, ranking.EXACT_DIACRITICS, "title"),
        match("title_folded", folded, ranking.FOLDED, "title_folded"),
        match("title_folded.bigrams", folded, ranking.SYLLABLE_BIGRAMS, "in_order", minimum_should_match=1),
        match("occupation_name", text, ranking.OCCUPATION_NAME, "occupation_name"),
        # In long text the words must stand close together, or every "công" would meet every "phí".
        Q(
            "match_phrase",
            description_folded={"query": folded, "slop": 2, "boost": ranking.DESCRIPTION, "_name": "description"},
        ),
        Q("match_phrase", skills_folded={"query": folded, "slop": 2, "boost": ranking.DESCRIPTION, "_name": "skills"}),
    ]
    if typos:  # a fuzzy clause costs Elasticsearch a quarter of the search: only when it can help
        should.append(
            match("title_folded", folded, ranking.TYPO, "typo", fuzziness=ranking.TYPO_FUZZINESS, prefix_length=1)
        )
    if codes := occupation_codes_in(text):
        should.append(Q("terms", occupation=sorted(codes), boost=ranking.OCCUPATION_CONCEPT, _name="occupation"))
    if countries := country_codes_in(text):
        should.append(Q("terms", country=sorted(countries), boost=ranking.COUNTRY_CONCEPT, _name="country"))
    if not ABROAD_PHRASES.isdisjoint(phrases_in(text)):
        should.append(Q("term", is_overseas={"value": True, "boost": ranking.ABROAD_CONCEPT, "_name": "abroad"}))
    return [Q("bool", should=should, minimum_should_match=1)]


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


def _recency() -> Q:
    """Among equals, the newer vacancy first (search and matching alike)."""
    return Q(
        "distance_feature",
        field="published_at",
        origin="now",
        pivot=ranking.RECENCY_PIVOT,
        boost=ranking.RECENCY,
        _name="recency",
    )


def _filters(query: VacancyQuery) -> list:
    filters = [Q("range", deadline={"gte": "now/d"})]  # one that passed since it was indexed
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
    certified: list[str]
    training_rank: int
    languages: dict[str, int]  # framework → rank
    wants_abroad: bool
    countries: list[str]
    expected_salary_vnd: int | None
    skills: list[str] = field(default_factory=list)


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
        Q("range", deadline={"gte": "now/d"}),
        Q("range", age_min={"lte": profile.age}),
        Q("bool", should=[Q("range", age_max={"gte": profile.age}), ~Q("exists", field="age_max")]),
        Q("terms", sex=["any", profile.sex]),
    ]
    abroad = Q(
        "bool",
        filter=[Q("term", is_overseas=True)] + ([Q("terms", country=profile.countries)] if profile.countries else []),
    )
    hard.append(Q("bool", should=[Q("term", is_overseas=False)] + ([abroad] if profile.wants_abroad else [])))
    lat, lon = profile.location
    acceptable = [f"{framework}:{r}" for framework, top in profile.languages.items() for r in range(top + 1)]
    # Met when nothing is required, or when every language required is held at its level or above.
    language_ok = [Q("constant_score", filter=~Q("exists", field="languages"))]
    if acceptable:
        every = {"terms": acceptable, "minimum_should_match_field": "language_count"}
        language_ok.append(Q("terms_set", languages=every))
    soft = [
        Q("terms", occupation=profile.desired or ["-"], boost=ranking.DESIRED_OCCUPATION, _name="desired_occupation"),
        Q(
            "terms",
            occupation=profile.certified or ["-"],
            boost=ranking.CERTIFIED_OCCUPATION,
            _name="certified_occupation",
        ),
        Q("range", training_rank={"lte": profile.training_rank, "boost": ranking.TRAINING, "_name": "training"}),
        Q("bool", should=language_ok, minimum_should_match=1, boost=ranking.LANGUAGE, _name="language"),
        Q(
            "distance_feature",
            field="location",
            origin={"lat": lat, "lon": lon},
            pivot=ranking.DISTANCE_PIVOT,
            boost=ranking.DISTANCE,
            _name="distance",
        ),
        Q(
            "range",
            salary_max_vnd={"gte": profile.expected_salary_vnd or 0, "boost": ranking.SALARY, "_name": "salary"},
        ),
    ]
    if profile.countries:
        soft.append(Q("terms", country=profile.countries, boost=ranking.COUNTRY, _name="country"))
    if profile.skills:
        skills = fold(" ".join(profile.skills))
        soft.append(Q("match", skills_folded={"query": skills, "boost": ranking.SKILLS, "_name": "skills"}))
    soft.append(_recency())
    search = _search(VacancyDocument).source(RESULT_FIELDS)
    if focused:
        wanted = [Q("terms", occupation=profile.desired + profile.certified)]
        wanted += [Q("terms", country=profile.countries)] if profile.countries else []
        hard.append(Q("bool", should=wanted, minimum_should_match=1))
    return search.query(Q("bool", filter=hard, should=soft))[:size]


def _explained(hit: dict, profile: Profile) -> dict:
    matched = hit.get("matched_queries", {})
    source = hit["_source"]
    missing = []
    if "language" not in matched:
        for requirement in source.get("languages", []):
            framework, needed = requirement.split(":")
            have = profile.languages.get(framework)
            if have is None or have < int(needed):
                missing.append({"criterion": "language", "framework": framework, "required": int(needed), "have": have})
    if "training" not in matched:
        missing.append(
            {"criterion": "training", "required": source["training_level"], "occupation": source["occupation"]}
        )
    if not {"desired_occupation", "certified_occupation"} & set(matched):
        missing.append({"criterion": "occupation", "required": source["occupation"]})
    if "salary" not in matched and profile.expected_salary_vnd:
        missing.append(
            {"criterion": "salary", "offered": source["salary_max_vnd"], "expected": profile.expected_salary_vnd}
        )
    return {**source, "score": hit["_score"], "reasons": _reasons(matched), "missing": missing}


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
    """Consenting workers ranked for a vacancy (its indexed document), the same logic the other way."""
    today = timezone.localdate()
    hard = [Q("range", born={"lte": years_before(today, vacancy["age_min"])})]  # aged at least age_min today
    if vacancy.get("age_max"):
        hard.append(Q("range", born={"gt": years_before(today, vacancy["age_max"] + 1)}))  # not yet age_max + 1
    if vacancy.get("sex") not in (None, "any"):
        hard.append(Q("term", sex=vacancy["sex"]))
    if vacancy["is_overseas"]:
        hard.append(Q("term", wants_abroad=True))
        hard.append(Q("bool", should=[Q("term", countries=vacancy["country"]), ~Q("exists", field="countries")]))
    required = vacancy.get("languages", [])
    soft = [
        Q("terms", occupations=[vacancy["occupation"]], boost=ranking.DESIRED_OCCUPATION, _name="desired_occupation"),
        Q(
            "terms",
            certified_occupations=[vacancy["occupation"]],
            boost=ranking.CERTIFIED_OCCUPATION,
            _name="certified_occupation",
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
                "distance_feature",
                field="location",
                origin=vacancy["location"],
                pivot=ranking.DISTANCE_PIVOT,
                boost=ranking.DISTANCE,
                _name="distance",
            )
        )
    search = _search(CandidateDocument).source(["occupations", "training_level", "languages", "commune"])
    search = search.query(Q("bool", filter=hard, should=soft))[:size]
    return [
        {
            "worker": int(hit["_id"]),
            "score": hit["_score"],
            "reasons": _reasons(hit.get("matched_queries", {})),
            **hit["_source"],
        }
        for hit in _scored(search, CandidateDocument)
    ]


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
