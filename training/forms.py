"""The training pages' forms: the shape of what was typed; the services decide the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jobs.models import Commune, LanguageRequirement, Occupation
from portal.pages import date_field
from training.models import CourseLevel


class CourseSearchForm(forms.Form):
    is_filter = True
    q = forms.CharField(label=_("What do you want to learn?"), max_length=200, required=False)
    occupation = forms.CharField(label=_("Occupation code"), max_length=5, required=False)
    level = forms.ChoiceField(label=_("At least the level"), choices=[("", "—"), *CourseLevel.choices], required=False)
    language = forms.RegexField(r"^[a-z_]+:\d{1,3}$", required=False, widget=forms.HiddenInput)
    for_me = forms.BooleanField(label=_("Near me, starting within three months"), required=False)


class CourseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}))
    occupation = forms.ModelChoiceField(label=_("Occupation"), queryset=Occupation.objects.all())
    level = forms.ChoiceField(label=_("Level"), choices=CourseLevel.choices)
    language_framework = forms.ChoiceField(
        label=_("Language certificate it prepares for"),
        choices=[("", "—"), *LanguageRequirement.Framework.choices],
        required=False,
    )
    language_level = forms.CharField(label=_("Language level (such as N4)"), max_length=10, required=False)
    online = forms.BooleanField(label=_("Online"), required=False)
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=Commune.objects.all(), required=False)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    start_date = date_field(_("Starts on"))
    end_date = date_field(_("Ends on"))
    seats = forms.IntegerField(label=_("Seats"), min_value=1)
    fee_vnd = forms.IntegerField(label=_("Fee (VND)"), min_value=0, initial=0)

    @staticmethod
    def initial_from(course) -> dict:
        return {name: getattr(course, name) for name in CourseForm.base_fields}


class CompletionForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=_("Outcome"),
        choices=[("1", _("completed and passed: a certificate is issued")), ("0", _("did not complete"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    completed_on = date_field(_("Completed on"), required=False)
    serial_number = forms.CharField(label=_("Certificate serial number"), max_length=50, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)
