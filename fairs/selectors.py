from django.utils import timezone

from fairs.models import Fair


def calendar(*, commune=None, date_from=None, date_to=None):
    """The public calendar: fairs from today (or `date_from`) on, by date; one commune's, or every one."""
    fairs = Fair.objects.calendar().filter(held_on__gte=date_from or timezone.localdate())
    if commune is not None:
        fairs = fairs.filter(commune=commune)
    if date_to is not None:
        fairs = fairs.filter(held_on__lte=date_to)
    return fairs
