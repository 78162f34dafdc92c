"""Demo job fairs: one upcoming (two employers with their vacancies, a worker registered), one held three
weeks ago with its registrations, check-ins and hires (most confirmed, one waiting on the queue).

The past fair is written directly: the service refuses a date in the past, and this is history."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from candidates.models import Placement, WorkerProfile
from candidates.services import placements_confirm
from fairs import services
from fairs.models import Fair, Participant, Registration
from jobs.models import Commune, Organisation, Vacancy


@transaction.atomic
def seed() -> dict[str, int]:
    if Fair.objects.exists():
        return {"fairs": Fair.objects.count(), "registrations": Registration.objects.count()}
    officer = User.objects.get(username="canbo")
    today = timezone.localdate()
    visible = Vacancy.objects.visible().filter(is_overseas=False).order_by("pk")
    employers = list(Organisation.objects.filter(pk__in=visible.values("organisation")).order_by("pk")[:2])
    brought = {org.pk: list(visible.filter(organisation=org)[:2]) for org in employers}
    workers = list(WorkerProfile.objects.select_related("user").order_by("user__phone")[:12])
    dong_ha = Commune.objects.get(name="Đông Hà")

    upcoming = services.fair_create(
        by=officer,
        title="Phiên giao dịch việc làm định kỳ tháng này",
        held_on=today + timedelta(days=12),
        commune=dong_ha,
        address="Trung tâm Dịch vụ việc làm, 133 Lý Thường Kiệt",
    )
    for organisation in employers:
        services.fair_join(fair=upcoming, organisation=organisation, vacancies=brought[organisation.pk], by=officer)
    services.register(fair=upcoming, worker=workers[0])

    past = Fair.objects.create(
        title="Phiên giao dịch việc làm lưu động Khe Sanh",
        held_on=max(today - timedelta(days=21), date(today.year, 1, 1)),
        commune=Commune.objects.get(name="Khe Sanh"),
        address="Nhà văn hóa thị trấn",
        mobile=True,
        created_by=officer,
    )
    for organisation in employers:
        Participant.objects.create(fair=past, organisation=organisation).vacancies.set(brought[organisation.pk])
    Registration.objects.bulk_create(
        Registration(fair=past, worker=worker, phone=worker.user.phone) for worker in workers[1:]
    )
    Registration.objects.filter(fair=past).exclude(worker=workers[-1]).update(
        checked_in_at=timezone.now() - timedelta(days=21), checked_in_by=officer
    )
    vacancies = [vacancy for organisation in employers for vacancy in brought[organisation.pk]]
    rows = [
        {"fair": past.pk, "vacancy": vacancies[i % len(vacancies)].pk, "worker": worker.pk, "result": i < 5}
        for i, worker in enumerate(workers[1:8])
    ]
    services.outcomes_record(rows=rows, by=officer)
    hires = Placement.objects.filter(fair_outcome__fair=past).order_by("pk").values_list("pk", flat=True)
    placements_confirm(ids=list(hires[:4]), by=officer)  # the fifth waits on the queue
    return {"fairs": 2, "registrations": Registration.objects.count()}
