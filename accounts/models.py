from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """Anyone who signs in: a worker, a member of an organisation, a department officer.

    Workers sign in with their mobile number (many have no e-mail); `phone` holds it in E.164.
    """

    phone = models.CharField(_("mobile number"), max_length=16, unique=True, null=True, blank=True)
    # An officer of the Sở Nội vụ or its Employment Service Centre: verifies and moderates.
    is_officer = models.BooleanField(_("department officer"), default=False)


class AuditEntry(models.Model):
    """Who saw, exported or changed personal data, or acted as an officer: who, when, what, why."""

    class Action(models.TextChoices):
        VIEW_PERSONAL = "view_personal", _("viewed personal data")
        EXPORT_PERSONAL = "export_personal", _("exported personal data")
        ERASE = "erase", _("erased an account")
        OFFICER_ACTION = "officer_action", _("officer action")

    actor = models.ForeignKey(User, models.SET_NULL, null=True, related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices)
    subject = models.ForeignKey(User, models.SET_NULL, null=True, blank=True, related_name="audit_entries")
    detail = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor} {self.get_action_display()} {self.subject_id or ''}"


class PhoneCode(models.Model):
    """A one-time code sent to a mobile number (accounts/codes.py): only its keyed hash is kept."""

    class Purpose(models.TextChoices):
        SIGN_UP = "sign_up", _("sign up or claim an account")
        RESET = "reset", _("reset the password")
        CHANGE = "change", _("change the mobile number")
        FAIR = "fair", _("register for a job fair")

    phone = models.CharField(max_length=16)
    purpose = models.CharField(max_length=8, choices=Purpose.choices)
    digest = models.CharField(max_length=64)
    # What the proof unlocks: the password hash and e-mail given at sign-up; the account changing number.
    user = models.ForeignKey(User, models.CASCADE, null=True, blank=True, related_name="+")
    payload = models.JSONField(default=dict, blank=True)
    tries = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["phone", "purpose", "-created_at"])]

    def __str__(self):
        return f"{self.purpose} {self.phone} {self.created_at:%d/%m/%Y %H:%M}"
