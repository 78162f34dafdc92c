"""Matching, from both sides: what matching may know of a worker, an organisation's ranked candidates
(PostgreSQL has the last word on who may be shown, and how much), and what a match is missing, in words.
The queries themselves are in search/queries.py, their weights in search/ranking.py."""

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef
from django.utils.translation import gettext as _

from accounts.services import views_audit
from candidates.models import Application, Invitation, WorkerProfile, WorkExperience
from candidates.services import contact_for
from jobs.languages import best_ranks, level_of
from jobs.models import LanguageRequirement, TrainingLevel, Vacancy
from jobs.permissions import require_member
from portal.money import vnd
from search import queries
from search.documents import worker_lists
from search.queries import Profile


def matching_profile(worker: WorkerProfile) -> Profile:
    """What matching may know of a worker: skills, certificates, languages, place, wishes; nothing sensitive.
    Read again in one query, each related list an array (`search.documents.worker_lists`)."""
    abroad = WorkExperience.objects.filter(worker=OuterRef("pk"), country__isnull=False)
    worker = (
        WorkerProfile.objects.select_related("commune")
        .annotate(
            **worker_lists(),
            abroad_occupations=ArraySubquery(abroad.filter(occupation__isnull=False).values("occupation__code")),
            abroad_countries=ArraySubquery(abroad.values("country")),
        )
        .get(pk=worker.pk)
    )
    levels = TrainingLevel.values
    return Profile(
        age=worker.age,
        sex=worker.sex,
        location=(worker.commune.latitude, worker.commune.longitude),
        desired=sorted(worker.desired_codes),
        certified=sorted(set(worker.certified_codes)),
        verified=sorted(set(worker.verified_codes)),
        training_rank=max((levels.index(level) for level in worker.certificate_levels), default=0),
        languages=best_ranks(pair.split(":") for pair in worker.language_levels),
        skills=worker.skills,
        wants_abroad=worker.wants_abroad,
        wants_home=worker.wants_home,
        places=[tuple(map(float, point.split(","))) for point in worker.wanted_places],
        countries=sorted(worker.country_codes),
        expected_salary_vnd=worker.expected_salary_vnd,
        abroad_occupations=sorted(set(worker.abroad_occupations)),
        abroad_countries=sorted(set(worker.abroad_countries)),
    )


def ranked_candidates(*, vacancy: Vacancy, viewer) -> list[dict] | None:
    """Consenting workers ranked for one of the viewer's vacancies (search/queries.py), each with its
    contact masked until the worker applied or accepted an invitation; every contact shown is audited.
    None when the vacancy is not in the index (not published)."""
    require_member(viewer, vacancy.organisation)
    document = queries.vacancy_document(vacancy.pk)
    if document is None:
        return None
    found = queries.candidates_for(document)
    ids = [candidate["worker"] for candidate in found]
    # The index may lag a withdrawn consent or an erasure by seconds: PostgreSQL has the last word.
    workers = WorkerProfile.objects.indexable().select_related("user", "commune").in_bulk(ids)
    theirs = {"worker__in": ids, "vacancy__organisation": vacancy.organisation}
    applied = set(Application.objects.filter(**theirs).values_list("worker_id", flat=True))
    invitations = Invitation.objects.filter(**theirs).values_list("worker_id", "vacancy_id", "status")
    accepted = {worker for worker, _vacancy, status in invitations if status == Invitation.Status.ACCEPTED}
    invited = {worker for worker, invited_to, _status in invitations if invited_to == vacancy.pk}
    ranked = []
    for candidate in found:
        worker = workers.get(candidate["worker"])
        if worker is None:
            continue
        candidate["applied"] = worker.pk in applied
        candidate["accepted_invitation"] = worker.pk in accepted
        candidate["invited"] = worker.pk in invited
        candidate["commune_name"] = worker.commune.name
        opened = candidate["applied"] or candidate["accepted_invitation"]
        candidate["contact"] = contact_for(worker=worker, viewer=viewer, applied=opened)
        ranked.append(candidate)
    opened = [workers[c["worker"]].user_id for c in ranked if c["contact"]["full_name"]]
    views_audit(viewer=viewer, shown=dict.fromkeys(opened, f"candidate for vacancy {vacancy.pk}"))
    return ranked


def describe_missing(item: dict, *, candidate: bool = False) -> str:
    """One criterion a match did not meet, in words: to the worker ("you have"), or about a candidate."""
    if item["criterion"] == "language":

        def level(r):
            return level_of(item["framework"], r)

        named = {"name": LanguageRequirement.Framework(item["framework"]).label, "level": level(item["required"])}
        if item["have"] is None:
            none = _("%(name)s %(level)s required; the worker has none.") if candidate else None
            return (none or _("%(name)s %(level)s required; you have none.")) % named
        has = _("%(name)s %(level)s required; the worker has %(have)s.") if candidate else None
        return (has or _("%(name)s %(level)s required; you have %(have)s.")) % {**named, "have": level(item["have"])}
    if item["criterion"] == "training":
        return _("Training required: %(level)s.") % {"level": TrainingLevel(item["required"]).label}
    if item["criterion"] == "salary":
        return _("Pays up to %(offered)s a month; you expect %(expected)s.") % {
            "offered": vnd(item["offered"]),
            "expected": vnd(item["expected"]),
        }
    if candidate:
        return _("Neither chose this occupation nor holds a certificate in it.")
    return _("Another occupation than the ones you chose.")
