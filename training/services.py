"""Every write about training: courses (through the vacancies' review workflow), enrolments, completions.

Services check permissions (jobs/permissions.py) and rules, raise ValidationError with a Vietnamese
message per field, write in one transaction, and queue the courses whose public face changed (their
seats left included) for search.
"""

import json
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.services import officer_audit, views_audit
from candidates import services as candidate_services
from candidates.models import WorkerProfile
from jobs import services as job_services
from jobs.languages import validate_level
from jobs.models import Organisation
from jobs.permissions import require_member, require_officer
from portal.workflow import Workflow
from search.services import index_on_commit
from training.models import Course, CourseLevel, Enrolment, SupportRule

DATA = Path(__file__).parent / "data"
Kind, Level = Organisation.Kind, CourseLevel

# Law 74/2014 on vocational education: colleges train at every level, intermediate schools up to the
# intermediate level, vocational education centres and enterprises at the elementary level and in courses
# under three months (art. 15, 21-23, 34-37: [UNCONFIRMED] article numbers, from the law's structure).
LEVELS_BY_KIND = {
    Kind.COLLEGE: {Level.COLLEGE, Level.INTERMEDIATE, Level.ELEMENTARY, Level.SHORT_COURSE},
    Kind.INTERMEDIATE_SCHOOL: {Level.INTERMEDIATE, Level.ELEMENTARY, Level.SHORT_COURSE},
    Kind.TRAINING_CENTRE: {Level.ELEMENTARY, Level.SHORT_COURSE},
    Kind.TRAINING_ENTERPRISE: {Level.ELEMENTARY, Level.SHORT_COURSE},
}
# Courses are reviewed along the vacancies' workflow (jobs.services.VACANCY_FLOW), worded for a course.
COURSE_FLOW = job_services.VACANCY_FLOW.refusing(gettext_lazy("A course that is %(status)s cannot be %(action)s."))
COURSE_FIELDS = [
    "title",
    "description",
    "occupation",
    "level",
    "language_framework",
    "language_level",
    "online",
    "commune",
    "address",
    "start_date",
    "end_date",
    "seats",
    "fee_vnd",
]


# --- Courses ----------------------------------------------------------------------------------


@transaction.atomic
def course_create(*, organisation: Organisation, by, **fields) -> Course:
    require_member(by, organisation)
    course = Course(organisation=organisation, created_by=by)
    _apply(course, fields)
    job_services._record(course, by, "", Course.Status.DRAFT)
    return course


@transaction.atomic
def course_update(*, course: Course, by, **fields) -> Course:
    """Edit a course. A published one goes back to review, as a vacancy does."""
    require_member(by, course.organisation)
    job_services.keep_organisation(course, fields)
    course = job_services.transition(course, by, "edit", _("edited after publication"), flow=COURSE_FLOW)
    _apply(course, fields)
    return course


def _apply(course: Course, fields: dict) -> None:
    for name, value in fields.items():
        setattr(course, name, value)
    if errors := _course_errors(course):
        raise ValidationError(errors)
    course.full_clean(exclude=["organisation", "created_by"])
    course.save()
    index_on_commit(Course, [course.pk])


def _course_errors(course: Course) -> dict:
    errors = {}
    if course.start_date and course.end_date and course.end_date < course.start_date:
        errors["end_date"] = [_("The course ends before it starts.")]
    allowed = LEVELS_BY_KIND.get(course.organisation.kind)
    if allowed is None:
        errors["organisation"] = [
            _("Only a vocational education institution or an enterprise that trains offers courses.")
        ]
    elif course.level and course.level not in allowed:
        errors["level"] = [
            _("A %(kind)s does not train at this level; it may offer: %(levels)s.")
            % {
                "kind": capfirst(course.organisation.get_kind_display()),
                "levels": ", ".join(str(label) for value, label in Level.choices if value in allowed),
            }
        ]
    if not course.online and course.commune_id is None:
        errors["commune"] = [_("Say in which commune the course is held, or mark it online.")]
    if course.language_framework or course.language_level:
        try:
            validate_level(course.language_framework, course.language_level.strip().upper())
            course.language_level = course.language_level.strip().upper()
        except (ValidationError, KeyError):
            errors["language_level"] = [_("Give the language certificate and a level of its scale, such as JLPT N4.")]
    if course.pk and course.seats is not None:
        taken = _taken(course)
        if course.seats < taken:
            errors["seats"] = [_("%(taken)s people already hold seats in this course.") % {"taken": taken}]
    return errors


def _taken(course: Course) -> int:
    return course.enrolments.filter(status__in=Enrolment.HOLDING_SEATS).count()


@transaction.atomic
def course_submit(*, course: Course, by) -> Course:
    require_member(by, course.organisation)
    if problems := _publishable_errors(course, require_verified=False):
        raise ValidationError({"status": problems})
    return job_services.transition(course, by, "submit", flow=COURSE_FLOW)


@transaction.atomic
def course_approve(*, course: Course, by) -> Course:
    require_officer(by)
    if problems := _publishable_errors(course):
        raise ValidationError({"status": problems})
    course = job_services.transition(course, by, "approve", flow=COURSE_FLOW)
    course.published_at = timezone.now()
    course.save(update_fields=["published_at", "modified_at"])
    officer_audit(by=by, what=f"approved course {course.pk}")
    return course


@transaction.atomic
def course_reject(*, course: Course, by, reason: str) -> Course:
    require_officer(by)
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the course is rejected.")]})
    course = job_services.transition(course, by, "reject", reason, flow=COURSE_FLOW)
    officer_audit(by=by, what=f"rejected course {course.pk}", why=reason)
    return course


@transaction.atomic
def course_close(*, course: Course, by, reason: str = "") -> Course:
    require_member(by, course.organisation)
    return job_services.transition(course, by, "close", reason, flow=COURSE_FLOW)


def _publishable_errors(course: Course, *, require_verified: bool = True) -> list[str]:
    problems = []
    if require_verified and not course.organisation.is_verified:
        problems.append(_("The organisation has not been verified by the department."))
    if course.end_date < timezone.localdate():
        problems.append(_("The course is over."))
    return problems


def _seats_changed(course: Course) -> None:
    """Seats left are in the index: mark the course changed (reconcile's watermark) and queue it."""
    Course.objects.filter(pk=course.pk).update(modified_at=timezone.now())
    index_on_commit(Course, [course.pk])


# --- Enrolments ---------------------------------------------------------------------------------

E = Enrolment.Status
NOT_ENROLLED = gettext_lazy("This person is not enrolled in the course.")
# The enrolment's path, in one place: (from statuses, action, to).
ENROLMENT_FLOW = Workflow(
    [
        ({E.WITHDRAWN}, "enrol", E.APPLIED),  # asking again after giving the seat up takes the same row back
        ({E.APPLIED}, "accept", E.ACCEPTED),
        ({E.APPLIED, E.ACCEPTED}, "withdraw", E.WITHDRAWN),
        ({E.ACCEPTED}, "pass", E.COMPLETED),
        ({E.ACCEPTED}, "fail", E.NOT_COMPLETED),
    ],
    refused={
        "enrol": gettext_lazy("You have already asked to enrol in this course."),
        "accept": gettext_lazy("Only a request to enrol can be accepted."),
        "withdraw": gettext_lazy("This enrolment is finished."),
        "pass": NOT_ENROLLED,
        "fail": NOT_ENROLLED,
    },
    fields={"enrol": "course", "pass": "enrolment", "fail": "enrolment"},
)


@transaction.atomic
def enrol(*, worker: WorkerProfile, course: Course, today: date | None = None) -> Enrolment:
    """A worker asks for a seat: in a published course, before it starts, while seats are left."""
    today = today or timezone.localdate()
    course = Course.objects.select_for_update().select_related("organisation").get(pk=course.pk)  # the last seat
    if not Course.objects.visible(today).filter(pk=course.pk).exists():
        raise ValidationError({"course": [_("This course is not open for enrolment.")]})
    if course.start_date <= today:
        raise ValidationError({"course": [_("The course has already started; enrolment is closed.")]})
    if _taken(course) >= course.seats:
        raise ValidationError({"course": [_("The course has no seats left.")]})
    # One row per worker and course: asking again after giving the seat up takes the same row back.
    enrolment = Enrolment.objects.filter(course=course, worker=worker).first() or Enrolment(
        course=course, worker=worker
    )
    # A new row asks; a row given up is taken back along the table.
    enrolment.status = ENROLMENT_FLOW.check(enrolment, "enrol") if enrolment.pk else Enrolment.Status.APPLIED
    enrolment.applied_at = timezone.now()
    enrolment.occupation_id, enrolment.level = course.occupation_id, course.level
    for name, value in candidate_services.as_counted(worker, today).items():
        setattr(enrolment, name, value)
    enrolment.save()
    _seats_changed(course)
    return enrolment


@transaction.atomic
def enrolment_accept(*, enrolment: Enrolment, by, today: date | None = None) -> Enrolment:
    """The institution (or an officer) accepts the worker: from then on the enrolment counts."""
    enrolment = _locked(enrolment)
    require_member(by, enrolment.course.organisation)
    ENROLMENT_FLOW.move(enrolment, "accept", accepted_on=today or timezone.localdate())
    return enrolment


@transaction.atomic
def enrolment_withdraw(*, enrolment: Enrolment, by) -> Enrolment:
    """The worker gives up a seat before the course ends."""
    enrolment = _locked(enrolment)
    if enrolment.worker is None or enrolment.worker.user_id != by.pk:
        require_member(by, enrolment.course.organisation)
    ENROLMENT_FLOW.move(enrolment, "withdraw")
    _seats_changed(enrolment.course)
    return enrolment


@transaction.atomic
def enrolment_complete(
    *, enrolment: Enrolment, by, passed: bool, completed_on: date | None = None, serial_number: str = ""
) -> Enrolment:
    """The institution or an officer records the outcome. A pass writes the worker a verified certificate
    of the course's level and occupation (candidates.services), which matching uses at once."""
    enrolment = _locked(enrolment)
    course = enrolment.course
    require_member(by, course.organisation)
    completed_on = completed_on or timezone.localdate()
    action = "pass" if passed else "fail"
    ENROLMENT_FLOW.check(enrolment, action)
    if enrolment.worker is None:  # a worker who erased their data: no certificate to write
        raise ValidationError({"enrolment": [str(NOT_ENROLLED)]})
    if completed_on < course.start_date:
        raise ValidationError({"completed_on": [_("The course had not started on that day.")]})
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": [_("The day is still to come.")]})
    if passed:
        enrolment.certificate = candidate_services.certificate_issue(
            worker=enrolment.worker,
            level=course.level,
            occupation=course.occupation,
            institution=course.organisation.name[:200],
            serial_number=serial_number,
            issued_on=completed_on,
        )
        if course.language_framework:
            candidate_services.language_add(
                worker=enrolment.worker,
                framework=course.language_framework,
                level=course.language_level,
                issued_on=completed_on,
                verified=True,
            )
    ENROLMENT_FLOW.move(enrolment, action, completed_on=completed_on, certificate=enrolment.certificate)
    return enrolment


def _locked(enrolment: Enrolment) -> Enrolment:
    return (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("course__organisation", "worker")
        .get(pk=enrolment.pk)
    )


def enrolments_shown(*, viewer, enrolments) -> None:
    """A course's list of enrolments shows workers' names to the institution (or an officer): one audit
    entry per worker, as every view of a person by someone else is (the page and the API alike)."""
    shown = {e.worker.user_id: f"enrolment {e.pk}, course {e.course_id}" for e in enrolments if e.worker}
    views_audit(viewer=viewer, shown=shown)


# --- Reference data -----------------------------------------------------------------------------


@transaction.atomic
def support_rules_load(*, path: Path = DATA / "support_rules.json") -> int:
    """The support rules, added when the table is empty: once loaded, officers own them in the admin."""
    if SupportRule.objects.exists():
        return 0
    rules = json.loads(path.read_text(encoding="utf-8"))["rules"]
    SupportRule.objects.bulk_create(SupportRule(**rule) for rule in rules)
    return len(rules)


def support_for(course: Course) -> list[SupportRule]:
    return [rule for rule in SupportRule.objects.all() if course.level in rule.levels]
