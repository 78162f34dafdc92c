from candidates.models import Consent, WorkerProfile


def worker_of(user) -> WorkerProfile | None:
    """The signed-in user's own worker profile, None until they fill it in (or when not signed in)."""
    if not user.is_authenticated:
        return None
    return WorkerProfile.objects.filter(user=user).select_related("user", "commune").first()


def alerts_consented(user_ids: set[int]) -> set[int]:
    """Who of these people agreed to alerts (notifications.services asks, before each alert is sent)."""
    live = Consent.objects.filter(worker__user__in=user_ids, purpose=Consent.Purpose.ALERTS, withdrawn_at=None)
    return set(live.values_list("worker__user", flat=True))
