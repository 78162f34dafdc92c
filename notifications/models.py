"""The outbox: events a service decided someone must hear, and the messages they became.

An event is written in the same transaction as the change it reports (DESIGN.md, "Messages are an
outbox"); a task turns it into one message per channel, and the unique (event, channel) pair is what
makes "one event, one message" hold whatever retries happen.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    ZALO = "zalo", _("Zalo")
    EMAIL = "email", _("e-mail")


class Event(models.Model):
    class Kind(models.TextChoices):
        CODE = "code", _("one-time code")
        NUMBER_TAKEN = "number_taken", _("sign-up with a registered number")
        APPLICATION_MOVED = "application_moved", _("application moved")
        INVITATION = "invitation", _("invitation to apply")
        APPLICANTS_DIGEST = "applicants_digest", _("new applicants (daily)")
        VACANCY_REVIEWED = "vacancy_reviewed", _("vacancy reviewed")
        DEADLINE_SOON = "deadline_soon", _("saved vacancy closing soon")
        PLACEMENTS_DIGEST = "placements_digest", _("placements to confirm (daily)")
        SAVED_SEARCH = "saved_search", _("new vacancies for a saved search")
        MATCH_DIGEST = "match_digest", _("new vacancies matching the profile (daily)")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    # A person with an account, or only a number (a one-time code before the account exists).
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, null=True, blank=True, related_name="+")
    phone = models.CharField(max_length=16, blank=True)
    context = models.JSONField(default=dict)
    # A digest or reminder names itself ("applicants:2026-12-02:user 7"): a daily task run twice tells once.
    key = models.CharField(max_length=100, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expanded_at = models.DateTimeField(null=True, blank=True)  # turned into messages

    class Meta:
        indexes = [models.Index(fields=["created_at"], condition=Q(expanded_at__isnull=True), name="event_unexpanded")]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"


class MessageQuerySet(models.QuerySet):
    def due(self, now):
        return self.filter(status=Message.Status.QUEUED, next_try_at__lte=now)


class Message(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    event = models.ForeignKey(Event, models.CASCADE, related_name="messages")
    channel = models.CharField(_("channel"), max_length=5, choices=Channel.choices)
    to = models.CharField(_("to"), max_length=254)
    subject = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    # Zalo ZNS sends a registered template with its parameters, not free text.
    template = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=6, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_try_at = models.DateTimeField(_("next try"))  # quiet hours and backoff both only move it later
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    provider_ref = models.CharField(max_length=100, blank=True)
    cost_vnd = models.PositiveIntegerField(_("cost (đ)"), default=0)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["event", "channel"], name="one_message_per_event_channel")]
        indexes = [models.Index(fields=["next_try_at"], condition=Q(status="queued"), name="message_due")]
        verbose_name = _("message")
        verbose_name_plural = _("delivery log")

    def __str__(self):
        return f"{self.get_channel_display()} → {self.to}: {self.get_status_display()}"


class Preference(models.Model):
    """How a person wants to hear from the portal. No row: SMS to their number, in Vietnamese."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="notification_preference")
    channel = models.CharField(_("send me messages by"), max_length=5, choices=Channel.choices, default=Channel.SMS)
    language = models.CharField(_("in"), max_length=2, choices=settings.LANGUAGES, default="vi")
    stopped_at = models.DateTimeField(null=True, blank=True)  # the one-click stop: only codes still come

    def __str__(self):
        return f"{self.user_id}: {self.channel}, {self.language}"
