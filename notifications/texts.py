"""What each kind of event says, in the recipient's language (rendered under translation.override).

Every text is short enough for one or two SMS segments once its marks are dropped. Zalo ZNS sends a
template registered with Zalo beforehand: its id per kind comes from settings (ZALO_TEMPLATES), its
parameters are the event's context.
"""

from django.conf import settings
from django.utils.translation import gettext as _

from notifications.models import Event

Kind = Event.Kind


def application_status(code: str) -> str:
    """An application's status in words. The statuses are candidates/', above this app (README, Architecture):
    candidates' AppConfig.ready() puts its own wording here."""
    raise NotImplementedError("candidates/apps.py replaces this when the candidates app is ready")


def _outcome(context: dict) -> str:
    if context["outcome"] == "published":
        return _("published")
    return _("not approved (%(reason)s)") % context


def wording(kind: str, context: dict) -> tuple[str, str]:
    """(subject, text) for this event, in the active language."""
    c = context
    match kind:
        case Kind.CODE:
            text = _("Quang Tri Job Portal code: %(code)s (valid 5 minutes). Never give it to anyone.")
            return _("Your code"), text % c
        case Kind.NUMBER_TAKEN:
            return _("Your number"), _(
                "Someone tried to sign up with your number, which already has an account. "
                "Sign in, or reset your password if you forgot it."
            )
        case Kind.APPLICATION_MOVED:
            text = _("Your application for “%(vacancy)s” is now: %(status)s.")
            return _("Your application"), text % {**c, "status": application_status(c["status"])}
        case Kind.INVITATION:
            return _("An invitation"), _("%(organisation)s invites you to apply for “%(vacancy)s”.") % c
        case Kind.APPLICANTS_DIGEST:
            text = _("%(count)s new applicants yesterday for the vacancies of %(organisation)s.")
            return _("New applicants"), text % c
        case Kind.VACANCY_REVIEWED:
            text = _("Your vacancy “%(vacancy)s” was reviewed: %(outcome)s.")
            return _("Vacancy reviewed"), text % {**c, "outcome": _outcome(c)}
        case Kind.DEADLINE_SOON:
            return _("Closing soon"), _("“%(vacancy)s”, which you saved, closes on %(deadline)s.") % c
        case Kind.PLACEMENTS_DIGEST:
            return _("Placements to confirm"), _("%(count)s placements wait for an officer's confirmation.") % c
        case Kind.SAVED_SEARCH:
            text = _("%(count)s new vacancies for your search “%(search)s”: %(vacancies)s.") % c
            stop = _("Stop this alert: %(url)s") % {"url": settings.SITE_URL + c["stop_path"]}
            return _("New vacancies for your search"), f"{text}\n{stop}"
        case Kind.MATCH_DIGEST:
            return _("New vacancies for you"), _("%(count)s new vacancies fit your profile: %(vacancies)s.") % c
    raise ValueError(kind)
