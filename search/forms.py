"""The vacancy search's form, for the results page (frontend/workers.py) and the names of its filters wherever a
page names one (the desk's searches that found nothing). Its input becomes a query in
`search.queries.vacancy_query`, as the API's does."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jobs.models import Commune, Country, Occupation, TrainingLevel
from search import queries, ranking

WHERE = [("", _("Anywhere")), ("false", _("In the province")), ("true", _("Abroad"))]
SORTS = [
    ("relevance", _("Best match")),
    ("newest", _("Newest")),
    ("deadline", _("Closing soonest")),
    ("salary", _("Highest salary")),
]
PAGE_SIZE = 20


class SearchForm(forms.Form):
    is_filter = True  # every field is optional: the page does not say so of each
    q = forms.CharField(label=_("Job, skill or employer"), max_length=ranking.MAX_QUERY_LENGTH, required=False)
    abroad = forms.ChoiceField(label=_("Where"), choices=WHERE, required=False, widget=forms.RadioSelect)
    country = forms.ModelChoiceField(
        label=_("Country"), queryset=Country.objects.all(), required=False, empty_label=_("Any country")
    )
    commune = forms.ModelChoiceField(
        label=_("Commune"),
        queryset=Commune.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("Any commune"),
    )
    # Set by links (a facet, a broader search), kept as hidden fields; their labels name them in those links.
    occupation = forms.ModelChoiceField(
        label=_("Occupation"),
        queryset=Occupation.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.HiddenInput,
    )
    programme = forms.CharField(label=_("Programme"), required=False, max_length=30, widget=forms.HiddenInput)
    near = forms.ModelChoiceField(
        label=_("Near the commune"),
        queryset=Commune.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.HiddenInput,
    )
    training_level = forms.ChoiceField(
        label=_("My training"), choices=[("", _("Any")), *TrainingLevel.choices], required=False
    )
    salary_min = forms.IntegerField(label=_("Salary at least (đồng a month)"), min_value=0, required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORTS, required=False)
    page = forms.IntegerField(min_value=1, max_value=ranking.MAX_RESULT_WINDOW // PAGE_SIZE, required=False)

    def to_query(self) -> queries.VacancyQuery:
        return queries.vacancy_query(self.cleaned_data, page_size=PAGE_SIZE)
