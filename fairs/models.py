"""Job fairs ("phiên giao dịch việc làm"): the fair, the organisations taking part with the vacancies they
bring, the workers who pre-register (and are checked in at the venue), and what came of it (outcomes,
each hire a pending placement that an officer confirms)."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidates.models import Placement, WorkerProfile
from jobs.models import Commune, Organisation, Vacancy


class FairQuerySet(models.QuerySet):
    def upcoming(self, today=None):
        return self.filter(held_on__gte=today or timezone.localdate())

    def calendar(self):
        return self.select_related("commune").order_by("held_on", "pk")


class Fair(models.Model):
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    commune = models.ForeignKey(Commune, models.PROTECT, null=True, blank=True, verbose_name=_("commune"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    online = models.BooleanField(_("online"), default=False)
    # A mobile fair ("phiên lưu động") goes to the communes; a fixed one is held at the centre's venue.
    mobile = models.BooleanField(_("mobile"), default=False)
    abroad = models.BooleanField(_("for work abroad"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FairQuerySet.as_manager()

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = _("job fair")
        verbose_name_plural = _("job fairs")
        constraints = [
            models.CheckConstraint(condition=Q(online=True) | Q(commune__isnull=False), name="fair_has_a_place")
        ]

    def __str__(self):
        return f"{self.title} ({self.held_on:%d/%m/%Y})"


class Participant(models.Model):
    """An organisation taking part in a fair, with the vacancies it brings."""

    fair = models.ForeignKey(Fair, models.CASCADE, related_name="participants")
    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="fair_participations")
    vacancies = models.ManyToManyField(Vacancy, related_name="fair_participations", blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["fair", "organisation"], name="one_participation_per_fair")]

    def __str__(self):
        return f"{self.organisation_id} @ {self.fair_id}"


def new_token() -> str:
    return secrets.token_urlsafe(24)  # 192 bits: the QR code carries this and nothing personal


class Registration(models.Model):
    """A worker's pre-registration: by the signed-in account, or by a phone number proven by a code. The
    number is kept until a month after the fair (fairs.services.registrations_purge), or until the account is
    erased; the row stays without it, so a fair's counts never change."""

    fair = models.ForeignKey(Fair, models.CASCADE, related_name="registrations")
    worker = models.ForeignKey(WorkerProfile, models.SET_NULL, null=True, blank=True, related_name="fair_registrations")
    phone = models.CharField(max_length=16, blank=True)  # "" once forgotten
    token = models.CharField(max_length=40, unique=True, default=new_token)
    registered_at = models.DateTimeField(auto_now_add=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["fair", "phone"], condition=~Q(phone=""), name="one_registration_per_phone")
        ]

    def __str__(self):
        return f"registration {self.pk} @ {self.fair_id}"


class Outcome(models.Model):
    """A worker interviewed at a fair for a vacancy, and hired or not (the `placements` import). A hire
    carries its placement, pending until an officer confirms it."""

    fair = models.ForeignKey(Fair, models.CASCADE, related_name="outcomes")
    vacancy = models.ForeignKey(Vacancy, models.PROTECT, related_name="fair_outcomes")
    worker = models.ForeignKey(WorkerProfile, models.SET_NULL, null=True, related_name="fair_outcomes")
    placement = models.OneToOneField(Placement, models.SET_NULL, null=True, blank=True, related_name="fair_outcome")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["fair", "vacancy", "worker"], name="one_outcome_per_worker_and_vacancy")
        ]

    def __str__(self):
        return f"outcome {self.pk} @ {self.fair_id}"
