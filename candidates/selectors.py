from candidates.models import WorkerProfile


def worker_of(user) -> WorkerProfile | None:
    """The signed-in user's own worker profile, None until they fill it in (or when not signed in)."""
    if not user.is_authenticated:
        return None
    return WorkerProfile.objects.filter(user=user).select_related("user", "commune").first()
