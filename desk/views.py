"""The officers' pages for targets and statistics: thin; the figures come from desk/statistics.py."""

from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.permissions import officer_only
from accounts.phones import masked
from desk import exports, services, statistics
from desk.api import StatisticsRateThrottle
from desk.models import MonthlyReport, Target
from notifications import services as notifications
from notifications.models import Channel, Message
from portal.pages import show_errors
from portal.throttling import over_limit

TOO_MANY_FIGURES = _("Too many requests for figures in a short time; please wait a minute.")


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


def _period(request):
    form = PeriodForm(request.GET)
    return form, (form.period() if form.is_valid() else None)


def _query(period: statistics.Period, **more) -> str:
    return urlencode({"year": period.year, "as_of": period.as_of.isoformat(), **more})


@officer_only
def dashboard(request):
    form, period = _period(request)
    if period is None:
        return render(request, "desk/dashboard.html", {"form": form}, status=400)
    if over_limit(request, [StatisticsRateThrottle]):
        return render(request, "desk/dashboard.html", {"form": form, "error": TOO_MANY_FIGURES}, status=429)
    board = statistics.dashboard(period)
    tables = [
        (table, [(cells, None if link is None else _query(period, **link)) for cells, link in table.lines()])
        for table in board.tables
    ]
    context = {
        "form": form,
        "board": board,
        "tables": tables,
        "query": _query(period),
        "chart": statistics.chart_data(board),
    }
    return render(request, "desk/dashboard.html", context)


@officer_only
def export(request, name: str, kind: str):
    """One table as XLSX or CSV, or every table in one workbook (`all.xlsx`)."""
    form, period = _period(request)
    if period is None:
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain; charset=utf-8")
    if over_limit(request, [StatisticsRateThrottle]):
        return HttpResponse(TOO_MANY_FIGURES, status=429, content_type="text/plain; charset=utf-8")
    board = statistics.dashboard(period)
    if name == "all" and kind == "xlsx":
        tables = board.tables
    elif name in {table.name for table in board.tables}:
        tables = [board.table(name)]
    else:
        raise Http404
    if kind == "xlsx":
        content, content_type = exports.workbook(tables, period), exports.XLSX_TYPE
    else:
        content, content_type = exports.csv_file(tables[0]), exports.CSV_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="viec-lam-{name}-{period.as_of.isoformat()}.{kind}"'
    return response


@officer_only
def placements(request):
    """The confirmed placements behind one figure of the dashboard: no names, nothing personal."""
    form, period = _period(request)
    try:
        behind = statistics.placements_behind(period, request.GET) if period else None
    except ValueError:
        behind = None
    if behind is None:
        return render(request, "desk/placements.html", {"form": form, "invalid": True}, status=400)
    behind = behind.select_related("commune", "occupation", "country", "programme").order_by("-placed_on", "-id")
    page = Paginator(behind, 50).get_page(request.GET.get("page"))
    filters = {name: request.GET[name] for name in [*statistics.BY_NAME, "month"] if request.GET.get(name)}
    context = {"form": form, "period": period, "page": page, "query": _query(period, **filters)}
    return render(request, "desk/placements.html", context)


class TargetsForm(forms.Form):
    """One field per indicator, read the Vietnamese way (12.000; 72,66); the service checks the figures."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for indicator in Target.Indicator:
            self.fields[indicator.value] = forms.DecimalField(
                label=indicator.label, required=False, max_digits=10, decimal_places=2, localize=True
            )


@officer_only
def targets(request):
    form, period = _period(request)
    if period is None:  # never save to a year the officer did not choose
        return render(request, "desk/targets.html", {"form": form}, status=400)
    year = period.year
    saved = {t.indicator: t.value for t in Target.objects.filter(year=year, commune=None)}
    editor = TargetsForm(request.POST or None, initial={k: statistics.plain(v) for k, v in saved.items()})
    if request.method == "POST" and editor.is_valid():
        try:
            services.targets_set(year=year, values=editor.cleaned_data, by=request.user)
        except ValidationError as error:
            show_errors(editor, error)
        else:
            return redirect(f"{request.path}?year={year}&saved=1")
    status = 400 if editor.errors else 200
    context = {"year": year, "editor": editor, "saved": request.GET.get("saved")}
    return render(request, "desk/targets.html", context, status=status)


@officer_only
def reports(request):
    return render(request, "desk/reports.html", {"reports": MonthlyReport.objects.all()[:36]})


@officer_only
def report_download(request, pk: int):
    report = get_object_or_404(MonthlyReport, pk=pk)
    try:
        handle = report.file.open("rb")
    except FileNotFoundError:  # the row outlived its file (a restored database, a lost volume)
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=report.download_name)


# --- The messages sent (notifications/): what, to whom (masked), through which channel, at what cost ---


class LogFilter(forms.Form):
    status = forms.ChoiceField(label=_("status"), required=False, choices=[("", "—"), *Message.Status.choices])
    channel = forms.ChoiceField(label=_("channel"), required=False, choices=[("", "—"), *Channel.choices])


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
        "costs": notifications.costs(since=month),
        "month": month,
    }
    return render(request, "notifications/delivery_log.html", context, status=400 if form.errors else 200)
