"""The desk's forms: the officers' pages, the public's safe-work-abroad pages, and the month of the
labour-market figures (read by its page and its API alike)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import AuditEntry
from desk import agency_check, imports, labour_market, statistics
from desk.models import Case, ImportJob, Target
from jobs.models import Sanction
from notifications.models import Channel, Message


class PeriodForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=2100,
        required=False,
        error_messages={"invalid": _("Give the year, such as 2026.")},  # Django's Vietnamese reads oddly here
    )
    as_of = forms.DateField(label=_("Figures as of (dd/mm/yyyy; empty: today)"), required=False)

    def period(self) -> statistics.Period:
        """The year of `as_of` (default today), or the year given, to that day at the latest."""
        as_of = self.cleaned_data.get("as_of") or timezone.localdate()
        return statistics.Period.of(self.cleaned_data.get("year") or as_of.year, today=as_of)


class TargetsForm(forms.Form):
    """One field per indicator, read the Vietnamese way (12.000; 72,66); the service checks the figures."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for indicator in Target.Indicator:
            self.fields[indicator.value] = forms.DecimalField(
                label=indicator.label, required=False, max_digits=10, decimal_places=2, localize=True
            )


class MonthForm(forms.Form):
    is_filter = True  # both may be left empty: the latest month
    year = forms.IntegerField(
        label=_("Year"), min_value=2000, required=False, error_messages={"invalid": _("Give the year, such as 2026.")}
    )
    month = forms.IntegerField(
        label=_("Month"),
        min_value=1,
        max_value=12,
        required=False,
        error_messages={"invalid": _("Give the month as a number from 1 to 12.")},
    )

    def clean(self):
        last = labour_market.last_published_month()
        year, month = self.cleaned_data.get("year") or last.year, self.cleaned_data.get("month")
        month = month or (last.month if year == last.year else 12)
        if (year, month) > (last.year, last.month):
            self.add_error(
                "month",
                _("Figures are published after the month ends: the latest is %(month)s.")
                % {"month": f"{last.month:02d}/{last.year}"},
            )
        return {"year": year, "month": month}

    def period(self) -> statistics.Period:
        return statistics.Period(self.cleaned_data["year"], labour_market.month_end(**self.cleaned_data))


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why do you report it?"), choices=Case.Reason.choices)
    details = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000, required=False
    )
    contact = forms.CharField(label=_("How to reach you (optional)"), max_length=100, required=False)


class CaseMoveForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Case.Status.choices)
    note = forms.CharField(
        label=_("Officer's note (the reporter reads it with their code)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        required=False,
    )
    # A sanction decided on the case, recorded with its resolution (desk.cases.case_move).
    sanction_kind = forms.ChoiceField(label=_("Sanction"), choices=[("", "—"), *Sanction.Kind.choices], required=False)
    decision_number = forms.CharField(label=_("Decision number"), max_length=50, required=False)
    decided_on = forms.DateField(
        label=_("Decided on (dd/mm/yyyy)"), input_formats=["%d/%m/%Y", "%Y-%m-%d"], required=False
    )
    fine_vnd = forms.IntegerField(label=_("Fine (VND)"), min_value=1, required=False)
    until = forms.DateField(
        label=_("Suspended until (dd/mm/yyyy)"), input_formats=["%d/%m/%Y", "%Y-%m-%d"], required=False
    )


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=ImportJob.Kind.choices)
    file = forms.FileField(label=_("CSV or XLSX file"))
    valid_only = forms.BooleanField(label=_("Import the valid rows even if some rows are invalid"), required=False)


class TrainingImportForm(ImportForm):
    """A training institution's own import: its enrolment and completion lists only."""

    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=[(k, v) for k, v in ImportJob.Kind.choices if k in imports.TRAINING_KINDS],
        widget=forms.RadioSelect,
    )


class AuditFilter(forms.Form):
    actor = forms.CharField(label=_("Officer or user"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[("", "—"), *AuditEntry.Action.choices])
    text = forms.CharField(label=_("Contains"), required=False, max_length=100)
    since = forms.DateField(label=_("From"), required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    until = forms.DateField(label=_("To"), required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"])


class AgencyCheckForm(forms.Form):
    q = forms.CharField(
        label=_("Name, licence number or tax code of the enterprise"),
        min_length=agency_check.MIN_QUERY,
        max_length=200,
    )


class BrokerReportForm(forms.Form):
    broker_name = forms.CharField(label=_("Name of the broker or agency"), max_length=200)
    broker_phone = forms.CharField(label=_("Their phone number"), max_length=20, required=False)
    broker_place = forms.CharField(
        label=_("Where they work or met you (commune, Facebook, Zalo…)"), max_length=200, required=False
    )
    reason = forms.ChoiceField(label=_("Why do you report them?"), choices=Case.Reason.choices)
    details = forms.CharField(
        label=_("What they asked of you (money, papers, a deposit…)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )
    contact = forms.CharField(
        label=_("How to reach you"),
        help_text=_("You need not give it: the code you get follows the case."),
        max_length=100,
        required=False,
    )


class FollowForm(forms.Form):
    code = forms.CharField(label=_("The code you got when you reported"), max_length=40)


class LogFilter(forms.Form):
    status = forms.ChoiceField(label=_("status"), required=False, choices=[("", "—"), *Message.Status.choices])
    channel = forms.ChoiceField(label=_("channel"), required=False, choices=[("", "—"), *Channel.choices])
