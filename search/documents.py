"""What the index holds: plain elasticsearch.dsl Documents, each mirroring one model.

Each Document declares the mapping; its `source(row)` gives the JSON for one row as a plain dict
(building Document objects only to serialise them again halved the bulk indexing rate).

Every Vietnamese text field is indexed twice: as written, and folded by `search.text.fold`
(no diacritics, đ→d, lower case). Both get a `bigrams` sub-field of syllable pairs in order
("thợ hàn"), since Vietnamese words are often two syllables. Only analysis that the bare server
distribution has is used (standard tokenizer, lowercase, shingle), so the same mappings run on
the full Elasticsearch image.
"""

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import CharField, OuterRef, Value
from django.db.models.functions import Concat
from elasticsearch.dsl import (
    Boolean,
    Completion,
    Date,
    Document,
    GeoPoint,
    Integer,
    Keyword,
    Long,
    Text,
    analyzer,
    token_filter,
)

from candidates.models import Certificate, LanguageCertificate, WorkerProfile
from jobs.languages import best_ranks, rank
from jobs.models import Country, Occupation, Programme, TrainingLevel, Vacancy
from jobs.trust import trust_line
from search.text import fold, summary
from training.models import Course

syllable_bigrams = token_filter(
    "syllable_bigrams", "shingle", min_shingle_size=2, max_shingle_size=2, output_unigrams=False
)
vi_text = analyzer("vi_text", tokenizer="standard", filter=["lowercase"])
vi_bigrams = analyzer("vi_bigrams", tokenizer="standard", filter=["lowercase", syllable_bigrams])


def vietnamese(**kwargs):
    return Text(analyzer=vi_text, fields={"bigrams": Text(analyzer=vi_bigrams)}, **kwargs)


class OccupationDocument(Document):
    code = Keyword()
    name = vietnamese()
    name_en = Text(analyzer=vi_text)
    aliases = vietnamese(multi=True)
    folded = vietnamese(multi=True)  # name, aliases and English name, folded
    suggest = Completion(analyzer="simple")  # folded prefixes for typeahead

    class Index:
        name = "occupations"  # the alias is "<SEARCH_INDEX_PREFIX>-occupations"

    @staticmethod
    def model():
        return Occupation

    @staticmethod
    def queryset():
        return Occupation.objects.indexable()

    @staticmethod
    def source(occupation: Occupation) -> dict:
        names = [occupation.name_vi, *occupation.aliases]
        return dict(
            code=occupation.code,
            name=occupation.name_vi,
            name_en=occupation.name_en,
            aliases=occupation.aliases,
            folded=[fold(text) for text in [*names, occupation.name_en]],
            suggest={"input": sorted({fold(text) for text in names})},
        )


class VacancyDocument(Document):
    """A vacancy the public may see (`Vacancy.objects.visible()`); nothing personal is in it.

    Besides what a result list shows, it carries what matching filters and scores on: the age band
    with the programme's limits folded in, the required training as a rank, and each required
    language as "framework:rank" so "at or above the requirement" is a terms query.
    """

    pk = Long()  # the tie-breaker for search_after
    title = vietnamese()
    title_folded = vietnamese()
    title_suggest = Completion(analyzer="simple")
    summary = Keyword(index=False, doc_values=False)  # what a result list shows of the text
    description = Text(analyzer=vi_text)  # as written: "phi công" (pilot) is not "phí công" (a fee)
    description_folded = Text(analyzer=vi_text)
    skills_folded = Text(analyzer=vi_text)
    occupation = Keyword()
    occupation_name = vietnamese()
    occupation_name_folded = vietnamese()  # "cong nhan" reaches "Công nhân …" as "công nhân" does
    organisation = Keyword()
    organisation_name = Text(analyzer=vi_text)
    is_overseas = Boolean()
    commune = Keyword()
    commune_name = Keyword(index=False)
    location = GeoPoint()
    country = Keyword()
    city = Keyword(index=False)
    programme = Keyword()
    positions = Integer()
    salary_min_vnd = Long()
    salary_max_vnd = Long()
    training_level = Keyword()
    training_rank = Integer()
    languages = Keyword(multi=True)  # "jlpt:1" = JLPT N4 (rank 1 on jobs/languages.py's scale)
    language_count = Integer()  # how many of `languages` a worker must meet: all of them (terms_set)
    age_min = Integer()
    age_max = Integer()
    sex = Keyword()
    contract_type = Keyword()
    deadline = Date()
    published_at = Date()
    fee_verdict = Keyword()
    state_programme = Boolean()  # posted by the public employment service centre under a state programme
    values_overseas_experience = Boolean()
    licence_number = Keyword(index=False)
    contract_approval_number = Keyword(index=False)

    class Index:
        name = "vacancies"

    @staticmethod
    def model():
        return Vacancy

    @staticmethod
    def queryset():
        return (
            Vacancy.objects.indexable()
            .select_related(
                "occupation", "organisation", "commune", "programme", "overseas_terms", "contract__programme"
            )
            .prefetch_related("languages")
        )

    @staticmethod
    def source(vacancy: Vacancy) -> dict:
        commune = vacancy.commune
        trust = trust_line(vacancy)  # the hits' trust line, as the pages build it (jobs/trust.py)
        programme = vacancy.programme_in_force
        age_min, age_max = vacancy.age_limits()
        return dict(
            pk=vacancy.pk,
            title=vacancy.title,
            title_folded=fold(vacancy.title),
            title_suggest={"input": [fold(vacancy.title)]},
            summary=summary(vacancy.description),
            description=vacancy.description,
            description_folded=fold(vacancy.description),
            skills_folded=[fold(skill) for skill in vacancy.skills],
            occupation=vacancy.occupation.code,
            occupation_name=vacancy.occupation.name_vi,
            occupation_name_folded=fold(vacancy.occupation.name_vi),
            organisation=str(vacancy.organisation_id),
            organisation_name=vacancy.organisation.name,
            is_overseas=vacancy.is_overseas,
            commune=commune.code if commune else None,
            commune_name=commune.name if commune else None,
            location={"lat": commune.latitude, "lon": commune.longitude} if commune else None,
            country=vacancy.country_id,
            city=vacancy.city,
            programme=programme.code if programme else None,
            positions=vacancy.positions,
            salary_min_vnd=vacancy.salary_min_vnd,
            salary_max_vnd=vacancy.salary_max_vnd,
            training_level=vacancy.training_level,
            training_rank=TrainingLevel.values.index(vacancy.training_level),
            languages=[f"{lang.framework}:{rank(lang.framework, lang.level)}" for lang in vacancy.languages.all()],
            language_count=len(vacancy.languages.all()),
            age_min=age_min,
            age_max=age_max,
            sex=vacancy.sex,
            contract_type=vacancy.contract_type,
            deadline=vacancy.deadline,
            published_at=vacancy.published_at,
            fee_verdict=trust["fee_verdict"],
            state_programme=trust["state_programme"],
            values_overseas_experience=vacancy.values_overseas_experience,
            licence_number=trust["licence_number"] or None,
            contract_approval_number=trust["contract_approval_number"],
        )


class CandidateDocument(Document):
    """A worker who consented to be found. No name, ID number, ethnicity, health, priority group or
    address: only what matching needs, at commune level."""

    occupations = Keyword(multi=True)  # desired, and those a certificate backs
    certified_occupations = Keyword(multi=True)  # a certificate, verified or not
    verified_occupations = Keyword(multi=True)  # a certificate an officer verified
    skills_folded = Text(analyzer=vi_text)
    training_level = Keyword()  # the highest of the worker's certificates
    training_rank = Integer()
    languages = Keyword(multi=True)  # "jlpt:1" = JLPT N4, as on VacancyDocument
    commune = Keyword()
    location = GeoPoint(multi=True)  # home, then the communes the worker wants to work in: the nearest counts
    wants_abroad = Boolean()
    wants_home = Boolean()
    countries = Keyword(multi=True)
    programmes = Keyword(multi=True)
    sex = Keyword()
    born = Date()  # the age band is checked to the day; candidates_for never returns it
    expected_salary_vnd = Long()
    available_from = Date()

    class Index:
        name = "candidates"

    @staticmethod
    def model():
        return WorkerProfile

    @staticmethod
    def queryset():
        """One query: each related list an array (`worker_lists`)."""
        return WorkerProfile.objects.indexable().select_related("commune").annotate(**worker_lists())

    @staticmethod
    def source(worker: WorkerProfile) -> dict:
        levels = TrainingLevel.values
        certified = set(worker.certified_codes)
        best = max((levels.index(level) for level in worker.certificate_levels), default=0)
        languages = best_ranks(pair.split(":") for pair in worker.language_levels)
        return dict(
            occupations=sorted(certified | set(worker.desired_codes)),
            certified_occupations=sorted(certified),
            verified_occupations=sorted(set(worker.verified_codes)),
            skills_folded=[fold(skill) for skill in worker.skills],
            training_level=levels[best],
            training_rank=best,
            languages=[f"{framework}:{top}" for framework, top in languages.items()],
            commune=worker.commune.code,
            location=[f"{worker.commune.latitude},{worker.commune.longitude}", *worker.wanted_places],
            wants_abroad=worker.wants_abroad,
            wants_home=worker.wants_home,
            countries=sorted(worker.country_codes),
            programmes=sorted(worker.programme_codes),
            sex=worker.sex,
            born=worker.date_of_birth,
            expected_salary_vnd=worker.expected_salary_vnd,
            available_from=worker.available_from,
        )


class CourseDocument(Document):
    """A course the public may see (`Course.objects.visible()`), with its seats left: the course search
    and the links from what matching finds missing filter on occupation, level, place, start and seats."""

    pk = Long()
    title = vietnamese()
    title_folded = vietnamese()
    summary = Keyword(index=False, doc_values=False)
    description_folded = Text(analyzer=vi_text)
    occupation = Keyword()
    occupation_name = vietnamese()
    organisation_name = Text(analyzer=vi_text)
    level = Keyword()
    level_rank = Integer()  # TrainingLevel's rank, as training_rank on vacancies
    language = Keyword()  # "jlpt:1" for a course toward JLPT N4, as on vacancies
    online = Boolean()
    commune = Keyword()
    commune_name = Keyword(index=False)
    location = GeoPoint()
    start_date = Date()
    end_date = Date()
    seats = Integer()
    seats_left = Integer()
    fee_vnd = Long()

    class Index:
        name = "courses"

    @staticmethod
    def model():
        return Course

    @staticmethod
    def queryset():
        return Course.objects.indexable().with_taken().select_related("occupation", "organisation", "commune")

    @staticmethod
    def source(course: Course) -> dict:
        commune = course.commune
        framework = course.language_framework
        return dict(
            pk=course.pk,
            title=course.title,
            title_folded=fold(course.title),
            summary=summary(course.description),
            description_folded=fold(course.description),
            occupation=course.occupation.code,
            occupation_name=course.occupation.name_vi,
            organisation_name=course.organisation.name,
            level=course.level,
            level_rank=TrainingLevel.values.index(course.level),
            language=f"{framework}:{rank(framework, course.language_level)}" if framework else None,
            online=course.online,
            commune=commune.code if commune else None,
            commune_name=commune.name if commune else None,
            location={"lat": commune.latitude, "lon": commune.longitude} if commune else None,
            start_date=course.start_date,
            end_date=course.end_date,
            seats=course.seats,
            seats_left=max(0, course.seats - course.taken),
            fee_vnd=course.fee_vnd,
        )


def worker_lists() -> dict:
    """A worker's related lists, each an array from its own subquery, for `WorkerProfile` annotations: the
    indexer and matching read a worker in one query (five prefetches per chunk, and a model object per
    certificate, halved the indexing rate)."""
    return dict(
        desired_codes=_codes(Occupation.objects.filter(workerprofile=OuterRef("pk")), "code"),
        certified_codes=_codes(
            Certificate.objects.filter(worker=OuterRef("pk"), occupation__isnull=False), "occupation__code"
        ),
        verified_codes=_codes(
            Certificate.objects.filter(worker=OuterRef("pk"), occupation__isnull=False, verified=True),
            "occupation__code",
        ),
        wanted_places=_codes(
            WorkerProfile.desired_communes.through.objects.filter(workerprofile=OuterRef("pk")).annotate(
                point=Concat("commune__latitude", Value(","), "commune__longitude", output_field=CharField())
            ),
            "point",
        ),
        certificate_levels=_codes(Certificate.objects.filter(worker=OuterRef("pk")).exclude(level=""), "level"),
        language_levels=_codes(
            LanguageCertificate.objects.filter(worker=OuterRef("pk")).annotate(
                pair=Concat("framework", Value(":"), "level")
            ),
            "pair",
        ),
        country_codes=_codes(Country.objects.filter(workerprofile=OuterRef("pk")), "code"),
        programme_codes=_codes(Programme.objects.filter(workerprofile=OuterRef("pk")), "code"),
    )


def _codes(queryset, field):
    return ArraySubquery(queryset.values(field))


DOCUMENTS = [OccupationDocument, VacancyDocument, CandidateDocument, CourseDocument]


def document_for(label: str) -> type[Document]:
    """The Document class of a model label such as "jobs.occupation"."""
    for document in DOCUMENTS:
        if document.model()._meta.label_lower == label:
            return document
    raise LookupError(f"no search document for {label}")
