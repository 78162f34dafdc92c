"""The person's side of messages: how to send them (channel, language), and the stop link every
message carries, which works without signing in."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt

from accounts.permissions import officer_only
from accounts.phones import masked
from notifications import services
from notifications.models import Channel, Message, Preference
from portal.pages import posted


class PreferenceForm(forms.ModelForm):
    stopped = forms.BooleanField(label=gettext_lazy("Send me nothing but sign-in codes"), required=False)

    class Meta:
        model = Preference
        fields = ["channel", "language"]
        widgets = {"channel": forms.RadioSelect, "language": forms.RadioSelect}


@login_required
def preferences(request):
    preference = services.preference_of(request.user)
    form = PreferenceForm(posted(request), instance=preference, initial={"stopped": bool(preference.stopped_at)})
    if request.method == "POST" and form.is_valid():
        services.preference_set(user=request.user, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("notification-preferences")
    status = 400 if form.errors else 200
    return render(request, "notifications/preferences.html", {"form": form}, status=status)


@csrf_exempt  # the token is the proof; nothing else to forge
def stop(request, token):
    """GET shows one button, POST stops: link previews and mail scanners open links, and must not stop
    anyone's messages by doing so (the e-mail's List-Unsubscribe-Post header posts here directly)."""
    user = services.user_from_stop_token(token)
    if user is None:
        raise Http404
    if request.method == "POST":
        services.preference_set(user=user, stopped=True)
        return render(request, "notifications/stopped.html")
    return render(request, "notifications/stop.html", {"token": token})


class LogFilter(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("status"), required=False, choices=[("", "—"), *Message.Status.choices]
    )
    channel = forms.ChoiceField(label=gettext_lazy("channel"), required=False, choices=[("", "—"), *Channel.choices])


def masked_address(to: str) -> str:
    if "@" in to:
        name, _at, domain = to.partition("@")
        return f"{name[:2]}***@{domain}"
    return masked(to)


@officer_only
def delivery_log(request):
    """Officers: what was sent to whom (masked), through which channel, what the provider answered, and what
    this month's messages cost per channel."""
    form = LogFilter(request.GET or None)
    messages_ = Message.objects.select_related("event").order_by("-created_at", "-id")
    if form.is_valid():
        messages_ = messages_.filter(**{name: value for name, value in form.cleaned_data.items() if value})
    page = Paginator(messages_, 50).get_page(request.GET.get("page"))
    for message in page:
        message.shown_to = masked_address(message.to)
    month = timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "costs": services.costs(since=month),
        "month": month,
    }
    return render(request, "notifications/delivery_log.html", context, status=400 if form.errors else 200)
