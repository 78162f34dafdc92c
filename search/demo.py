"""Demo saved searches for `manage.py seed_demo`: +84912000000 and +84912000001 agreed to job alerts and
saved searches at each rhythm; the visible vacancies are queued for them, so the first minute of `make run`
shows an alert in the local outbox (http://127.0.0.1:18030/). Idempotent."""

from candidates import services as candidates
from candidates.models import Consent, WorkerProfile
from jobs.models import Vacancy
from search import alerts
from search.models import SavedSearch

SEARCHES = [
    ("+84912000000", "Thợ hàn ở nước ngoài", {"q": "thợ hàn", "abroad": "true"}, SavedSearch.Rhythm.AT_ONCE),
    ("+84912000000", "Việc ở Đông Hà", {"q": "việc làm Đông Hà"}, SavedSearch.Rhythm.DAILY),
    ("+84912000001", "Thực tập sinh Nhật Bản", {"q": "thực tập sinh", "country": "JP"}, SavedSearch.Rhythm.WEEKLY),
]


def seed() -> int:
    made = 0
    for phone, name, params, rhythm in SEARCHES:
        worker = WorkerProfile.objects.select_related("user").filter(user__phone=phone).first()
        if worker is None or SavedSearch.objects.filter(user=worker.user, name=name).exists():
            continue
        candidates.consent_set(worker=worker, purpose=Consent.Purpose.ALERTS, granted=True)
        alerts.saved_search_create(user=worker.user, name=name, params=params, rhythm=rhythm)
        made += 1
    alerts.queue(Vacancy.objects.visible().values_list("pk", flat=True))  # the searches look at them at once
    return made
