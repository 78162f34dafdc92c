from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that change only through services (or never): read here, moved by admin actions."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LimitedLoginForm(OTPAdminAuthenticationForm):
    """The admin's sign-in: password and TOTP code, under the same failure limits as every sign-in."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            if wait := getattr(self.request, "sign_in_wait", 0):
                minutes = -(-int(wait) // 60)
                raise ValidationError(
                    _("Too many failed sign-ins. Please wait %(minutes)s minutes.") % {"minutes": minutes}
                ) from None
            raise


class PortalAdminSite(OTPAdminSite):
    """The admin for officers, behind the second factor (django-otp); a locked sign-in answers 429."""

    login_form = LimitedLoginForm

    def login(self, request, extra_context=None):
        response = super().login(request, extra_context)
        if getattr(request, "sign_in_wait", 0):
            response.status_code = 429
        return response
