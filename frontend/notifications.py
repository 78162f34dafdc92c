"""The person's side of messages: how to send them (channel, language), and the stop link every
message carries, which works without signing in. (The officers' delivery log is a desk page, desk/views.py.)"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt

from notifications import services
from notifications.models import Preference
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
