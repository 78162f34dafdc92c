from candidates.models import Consent, WorkerProfile
from jobs.languages import best_ranks
from jobs.models import TrainingLevel
from search.queries import Profile


def worker_of(user) -> WorkerProfile | None:
    """The signed-in user's own worker profile, None until they fill it in (or when not signed in)."""
    if not user.is_authenticated:
        return None
    return WorkerProfile.objects.filter(user=user).select_related("user", "commune").first()


def matching_profile(worker: WorkerProfile) -> Profile:
    """What matching may know of a worker: skills, certificates, languages, place, wishes; nothing sensitive."""
    certificates = list(worker.certificates.select_related("occupation"))
    abroad = list(worker.experience.filter(country__isnull=False).values_list("occupation__code", "country"))
    levels = TrainingLevel.values
    return Profile(
        age=worker.age,
        sex=worker.sex,
        location=(worker.commune.latitude, worker.commune.longitude),
        desired=[o.code for o in worker.desired_occupations.all()],
        certified=sorted({c.occupation.code for c in certificates if c.occupation}),
        verified=sorted({c.occupation.code for c in certificates if c.occupation and c.verified}),
        training_rank=max((levels.index(c.level) for c in certificates if c.level), default=0),
        languages=best_ranks((language.framework, language.level) for language in worker.languages.all()),
        skills=worker.skills,
        wants_abroad=worker.wants_abroad,
        wants_home=worker.wants_home,
        places=[(c.latitude, c.longitude) for c in worker.desired_communes.all()],
        countries=[c.code for c in worker.desired_countries.all()],
        expected_salary_vnd=worker.expected_salary_vnd,
        abroad_occupations=sorted({code for code, _country in abroad if code}),
        abroad_countries=sorted({country for _code, country in abroad}),
    )


def alerts_consented(user_ids: set[int]) -> set[int]:
    """Who of these people agreed to alerts (notifications.services asks, before each alert is sent)."""
    live = Consent.objects.filter(worker__user__in=user_ids, purpose=Consent.Purpose.ALERTS, withdrawn_at=None)
    return set(live.values_list("worker__user", flat=True))
