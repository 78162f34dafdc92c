"""The public's pages for safe work abroad, no sign-in: the agency check, reporting a broker who is not
on the portal, and following a report with its code. Thin views over desk.agency_check and desk.cases;
each shares its throttle with its API (portal.throttling.over_limit)."""

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from desk import agency_check, cases
from desk.intake_api import followed_case
from desk.models import Case
from portal.pages import show_errors
from portal.throttling import over_limit


class AgencyCheckForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Name, licence number or tax code of the enterprise"),
        min_length=agency_check.MIN_QUERY,
        max_length=200,
    )


def agency_check_page(request):
    form = AgencyCheckForm(request.GET or None)
    result, status = None, 200
    if form.is_bound and form.is_valid():
        if over_limit(request, [agency_check.AgencyCheckThrottle]):
            form.add_error(None, _("You have made many checks; please try again later."))
            status = 429
        else:
            result = agency_check.agency_check(form.cleaned_data["q"])
            result["message"] = agency_check.verdict(result)
    elif form.is_bound:
        status = 400
    return render(request, "desk/agency_check.html", {"form": form, "result": result}, status=status)


class BrokerReportForm(forms.Form):
    broker_name = forms.CharField(label=gettext_lazy("Name of the broker or agency"), max_length=200)
    broker_phone = forms.CharField(label=gettext_lazy("Their phone number"), max_length=20, required=False)
    broker_place = forms.CharField(
        label=gettext_lazy("Where they work or met you (commune, Facebook, Zalo…)"), max_length=200, required=False
    )
    reason = forms.ChoiceField(label=gettext_lazy("Why do you report them?"), choices=Case.Reason.choices)
    details = forms.CharField(
        label=gettext_lazy("What they asked of you (money, papers, a deposit…)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )
    contact = forms.CharField(
        label=gettext_lazy("How to reach you"),
        help_text=gettext_lazy("You need not give it: the code you get follows the case."),
        max_length=100,
        required=False,
    )


def broker_report_page(request):
    form = BrokerReportForm(request.POST or None, initial={"broker_name": request.GET.get("name", "")[:200]})
    status = 200
    if request.method == "POST" and form.is_valid():
        if over_limit(request, [cases.ReportThrottle]):
            form.add_error(None, _("You have sent many reports; please try again later."))
            status = 429
        else:
            try:
                case = cases.case_report(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                show_errors(form, error)
            else:
                return render(request, "desk/report_done.html", {"case": case})
    if form.errors and status == 200:
        status = 400
    return render(request, "desk/broker_report.html", {"form": form}, status=status)


class FollowForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("The code you got when you reported"), max_length=40)


def follow_page(request):
    """POST, so the code stays out of addresses, history and logs."""
    form = FollowForm(request.POST or None)
    followed, status = None, 200
    if request.method == "POST" and form.is_valid():
        if over_limit(request, [cases.FollowThrottle]):
            form.add_error(None, _("You have made many checks; please try again later."))
            status = 429
        elif (case := cases.case_follow(form.cleaned_data["code"])) is None:
            form.add_error("code", _("No report has this code. Check it and try again."))
            status = 404
        else:
            followed = followed_case(case)
    elif form.errors:
        status = 400
    return render(request, "desk/follow.html", {"form": form, "case": followed}, status=status)
