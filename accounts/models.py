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
