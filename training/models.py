"""Vocational training: courses of institutions, reviewed like vacancies; enrolments and completions.

A course is published through the vacancies' own review workflow (`jobs.services.transition`), with
the same statuses. An enrolment keeps, as they were on the day, what the department's figures cut by
(commune, sex, age band, priority groups, occupation, level), like a placement: the counts survive the
worker's erasure. A completion with a pass writes a verified `Certificate` through `candidates.services`.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidates.models import Certificate, CountedPerson, PriorityGroup, WorkerProfile
from jobs.models import Commune, LanguageRequirement, Occupation, Organisation, ReviewEvent, TrainingLevel, Vacancy
from search.models import IndexedModel, IndexedQuerySet


class CourseLevel(models.TextChoices):
    """The levels a course leads to (Law 74/2014 on vocational education), highest first; the values are
    `jobs.models.TrainingLevel`'s, so a completion becomes a certificate of the same level."""

    COLLEGE = TrainingLevel.COLLEGE.value, _("college (cao đẳng)")
    INTERMEDIATE = TrainingLevel.INTERMEDIATE.value, _("intermediate (trung cấp)")
    ELEMENTARY = TrainingLevel.ELEMENTARY.value, _("elementary (sơ cấp)")
    SHORT_COURSE = TrainingLevel.SHORT_COURSE.value, _("short course under 3 months")


class CourseQuerySet(IndexedQuerySet):
    def visible(self, today=None):
        """What the public sees: published, not yet over, from a verified institution."""
        return self.filter(
            status=Course.Status.PUBLISHED,
            end_date__gte=today or timezone.localdate(),
            organisation__verification=Organisation.Verification.VERIFIED,
        )

    def indexable(self):
        return self.visible()

    def seen_by(self, user):
        from jobs.permissions import visible_to

        return visible_to(user, self, also=Q(pk__in=Course.objects.visible()))

    def with_taken(self):
        """Annotate `taken`: the seats held by enrolments (asked, accepted, finished either way)."""
        return self.annotate(taken=Count("enrolments", filter=Q(enrolments__status__in=Enrolment.HOLDING_SEATS)))

    def pending_review(self):
        return self.filter(status=Course.Status.PENDING_REVIEW)


class Course(IndexedModel):
    Status = Vacancy.Status  # the same review as vacancies

    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="courses")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    occupation = models.ForeignKey(Occupation, models.PROTECT, verbose_name=_("occupation"))
    level = models.CharField(_("level"), max_length=12, choices=CourseLevel.choices)
    # A language course teaches toward a certificate level (JLPT N4, TOPIK 2...): matching's language gaps.
    language_framework = models.CharField(
        _("language certificate"), max_length=10, choices=LanguageRequirement.Framework.choices, blank=True
    )
    language_level = models.CharField(_("language level"), max_length=10, blank=True)
    online = models.BooleanField(_("online"), default=False)
    commune = models.ForeignKey(Commune, models.PROTECT, null=True, blank=True, verbose_name=_("commune"))
    address = models.CharField(_("address"), max_length=255, blank=True)
    start_date = models.DateField(_("starts on"))
    end_date = models.DateField(_("ends on"))
    seats = models.PositiveIntegerField(_("seats"), validators=[MinValueValidator(1)])
    fee_vnd = models.PositiveBigIntegerField(_("fee (VND)"), default=0)
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.DRAFT)
    status_reason = models.CharField(_("reason"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "id"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="course_ends_after_start"),
            models.CheckConstraint(condition=Q(online=True) | Q(commune__isnull=False), name="course_has_a_place"),
        ]

    def __str__(self):
        return self.title


class CourseEvent(ReviewEvent):
    course = models.ForeignKey(Course, models.CASCADE, related_name="events")


class SupportRule(models.Model):
    """What a priority group may receive toward a course: rules as data, with their legal source, marked
    unconfirmed until checked against the text (see training/data/support_rules.json)."""

    group = models.CharField(_("priority group"), max_length=16, choices=PriorityGroup.choices)
    levels = ArrayField(
        models.CharField(max_length=12, choices=CourseLevel.choices), verbose_name=_("for courses of these levels")
    )
    max_vnd = models.PositiveBigIntegerField(_("tuition support up to (VND per course)"), null=True, blank=True)
    meal_vnd_per_day = models.PositiveIntegerField(_("meals (VND per day of study)"), null=True, blank=True)
    travel_vnd = models.PositiveIntegerField(_("travel up to (VND per course)"), null=True, blank=True)
    note = models.CharField(_("what else"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=500)
    confirmed = models.BooleanField(_("confirmed against the legal text"), default=False)

    class Meta:
        ordering = ["group", "id"]
        verbose_name = _("training support rule")
        verbose_name_plural = _("training support rules")

    def __str__(self):
        return f"{self.get_group_display()}: {self.source}"


class EnrolmentQuerySet(models.QuerySet):
    def counted(self):
        """Enrolments that count toward the year's target: accepted by the institution (finished or not)."""
        return self.filter(status__in=Enrolment.ACCEPTED_OR_LATER, accepted_on__isnull=False)

    def completed(self):
        return self.filter(status=Enrolment.Status.COMPLETED, completed_on__isnull=False)


class Enrolment(CountedPerson):
    class Status(models.TextChoices):
        APPLIED = "applied", _("asked to enrol")
        ACCEPTED = "accepted", _("enrolled")
        COMPLETED = "completed", _("completed")
        NOT_COMPLETED = "not_completed", _("did not complete")
        WITHDRAWN = "withdrawn", _("withdrawn")

    HOLDING_SEATS = [Status.APPLIED, Status.ACCEPTED, Status.COMPLETED, Status.NOT_COMPLETED]
    ACCEPTED_OR_LATER = [Status.ACCEPTED, Status.COMPLETED, Status.NOT_COMPLETED]

    course = models.ForeignKey(Course, models.PROTECT, related_name="enrolments")
    worker = models.ForeignKey(WorkerProfile, models.SET_NULL, null=True, blank=True, related_name="enrolments")
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.APPLIED)
    applied_at = models.DateTimeField(default=timezone.now)
    accepted_on = models.DateField(_("enrolled on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    certificate = models.OneToOneField(Certificate, models.SET_NULL, null=True, blank=True, related_name="enrolment")
    level = models.CharField(max_length=12, choices=CourseLevel.choices)  # the course's, as it was

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["-applied_at"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "worker"], condition=Q(worker__isnull=False), name="one_enrolment_per_course"
            )
        ]

    def __str__(self):
        return f"{self.worker_id} → {self.course_id} ({self.status})"
