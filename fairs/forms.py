from django import forms
from django.utils.translation import gettext_lazy as _

from jobs.models import Commune, Vacancy
from portal.pages import date_field, phone_field


class FairForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    held_on = date_field(_("Date"))
    commune = forms.ModelChoiceField(
        label=_("Commune"), queryset=Commune.objects.order_by("name"), required=False, empty_label=_("— online —")
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    online = forms.BooleanField(label=_("Online"), required=False)
    mobile = forms.BooleanField(label=_("Mobile fair (held in the communes)"), required=False)
    abroad = forms.BooleanField(label=_("For work abroad"), required=False)


class CalendarForm(forms.Form):
    is_filter = True
    commune = forms.ModelChoiceField(
        label=_("Commune"), queryset=Commune.objects.order_by("name"), required=False, empty_label=_("All communes")
    )
    date_from = date_field(_("From"), required=False)
    date_to = date_field(_("To"), required=False)


class JoinForm(forms.Form):
    vacancies = forms.ModelMultipleChoiceField(
        label=_("The vacancies you bring"), queryset=Vacancy.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vacancies"].queryset = Vacancy.objects.visible().filter(organisation=organisation)


class PhoneForm(forms.Form):
    phone = phone_field()


class CheckInForm(forms.Form):
    phone = phone_field(_("The registered mobile number"))
