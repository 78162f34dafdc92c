"""What every app's pages share: a form's data when it was sent, a service's errors put next to the fields,
a button's service call with its message, the SMS code, phone and date fields, a safe `next`. Pages of
every app (frontend/, desk/, fairs/, training/, the second factor in accounts/) import these from here,
below them all, so that no app reaches up into another's pages (README, Architecture)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.throttling import TooMany

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]  # the phone's date picker sends ISO; a typed date is d/m/Y


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def date_field(label, required=True):
    return forms.DateField(label=label, required=required, input_formats=DATE_FORMATS, widget=DateInput())


PHONE_LABEL = gettext_lazy("Mobile number")


def phone_field(label=PHONE_LABEL):
    return forms.CharField(
        label=label, max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"})
    )


def code_field():
    return forms.CharField(
        label=gettext_lazy("Code (6 digits, from the SMS)"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"}),
    )


class CodeForm(forms.Form):
    code = code_field()


def show_errors(form: forms.Form, error: ValidationError, aliases: dict | None = None) -> None:
    """Put a service's ValidationError on the form: by field where the form has one, else on top."""
    aliases = aliases or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, messages_ in error.message_dict.items():
        name = aliases.get(name, name)
        form.add_error(name if name in form.fields else None, messages_)


def posted(request):
    """The form's data when it was sent, even empty (an unticked box sends nothing); else unbound."""
    return request.POST if request.method == "POST" else None


def attempt(form, call, /, *args, **kwargs):
    """A service call from a form: its result, or None with its errors put on the form (429 when a limit
    is spent, 400 otherwise; the view reads `form.status`)."""
    try:
        return call(*args, **kwargs)
    except TooMany as error:
        form.add_error(
            None, _("Too many tries. Please wait %(minutes)s minutes.") % {"minutes": -(-error.wait_seconds // 60)}
        )
        form.status = 429
    except ValidationError as error:
        show_errors(form, error)
        form.status = 400
    return None


def call_and_flash(request, service, /, *, done: str, refused: str = "", **arguments) -> None:
    """A button's service call: say it was done, or say why not (the service's messages, after `refused`)."""
    try:
        service(**arguments)
    except ValidationError as error:
        for message in [refused, *error.messages] if refused else error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)


def safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default
