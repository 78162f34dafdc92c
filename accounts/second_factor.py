"""Officers' second factor (TOTP, django-otp) for the desk, the admin and the API: a code from an authenticator
app after the password. An officer without a device enrols here once, by typing the key into the app
and proving it with a first code; after that this page only asks for the code. Lost phone: another
officer deletes the device in the admin (OTP_TOTP › TOTP devices) and the officer enrols again."""

from base64 import b32encode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.authentication import needs_second_factor
from portal.pages import posted, safe_next


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app (6 digits)"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


def enrolment_device(user) -> TOTPDevice:
    """The officer's confirmed device, or the one being enrolled (made on the first visit)."""
    devices = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "pk")
    return devices.first() or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


@login_required
def second_factor(request):
    if not needs_second_factor(request.user):
        raise PermissionDenied
    device = enrolment_device(request.user)
    form = TokenForm(posted(request))
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            if not device.confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(safe_next(request, "/desk/queues/"))
        form.add_error("token", _("The code is wrong or too old; type the code your app shows now."))
    context = {"form": form, "next": safe_next(request, ""), "enrolling": not device.confirmed}
    if not device.confirmed:
        key = b32encode(device.bin_key).decode()
        context |= {"key": " ".join(key[i : i + 4] for i in range(0, len(key), 4)), "uri": device.config_url}
    return render(request, "accounts/second_factor.html", context, status=400 if form.errors else 200)
