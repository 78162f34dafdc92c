"""Labour-market information for anyone (a page with charts, its workbook, and the same tables in the API),
and the officers' page of what people search for and do not find. Thin: the figures come from
desk/labour_market.py and search/selectors.py."""

from datetime import timedelta

from django import forms
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import officer_only
from desk import exports, labour_market, statistics
from desk.api import CACHE_SECONDS, StatisticsRateThrottle
from desk.views import TOO_MANY_FIGURES
from frontend.forms import SearchForm
from jobs.models import Commune
from portal.throttling import over_limit
from search.selectors import zero_results_by_week
from search.services import ZERO_RESULT_RETENTION


def last_published_month():
    """The month the public figures reach: the last complete one (they stand still within a month)."""
    return timezone.localdate().replace(day=1) - timedelta(days=1)


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
        last = last_published_month()
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


def _tables(period: statistics.Period) -> list[statistics.Table]:
    key = f"statistics:labour-market:{period.as_of.isoformat()}:{get_language()}"  # labels are translated
    tables = cache.get(key)
    if tables is None:
        tables = labour_market.tables(period)
        cache.set(key, tables, CACHE_SECONDS)
    return tables


def _checked(request):
    """The month asked for, or the page to answer with instead (400 with the message by the field, 429)."""
    form = MonthForm(request.GET)
    if not form.is_valid():
        return form, render(request, "desk/labour_market.html", {"form": form}, status=400)
    if over_limit(request, [StatisticsRateThrottle]):
        return form, render(request, "desk/labour_market.html", {"form": form, "error": TOO_MANY_FIGURES}, status=429)
    return form, None


def labour_market_page(request):
    form, refused = _checked(request)
    if refused:
        return refused
    period = form.period()
    tables = [(table, chart(table)) for table in _tables(period)]
    context = {"form": form, "tables": tables, "period": period, "threshold": statistics.SMALL_CELL}
    return render(request, "desk/labour_market.html", context)


def labour_market_workbook(request):
    """The page's tables as one XLSX file, cell for cell."""
    form, refused = _checked(request)
    if refused:
        return refused
    period = form.period()
    response = HttpResponse(exports.workbook(_tables(period), period), content_type=exports.XLSX_TYPE)
    name = f"thi-truong-lao-dong-{period.as_of:%Y-%m}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class TableOutput(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    headers = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(
        child=serializers.ListField(child=serializers.JSONField()),
        help_text='Cells as on the page: the label, then numbers; "x" is a hidden cell, null no figure',
    )


class LabourMarketOutput(serializers.Serializer):
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    as_of = serializers.DateField()
    small_cell_threshold = serializers.IntegerField()
    tables = TableOutput(many=True)


class LabourMarketApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [StatisticsRateThrottle]

    @extend_schema(
        summary="Open vacancies, positions, median wages and findable workers, in aggregate",
        description=labour_market.__doc__,
        parameters=[OpenApiParameter("year", int, required=False), OpenApiParameter("month", int, required=False)],
        responses=LabourMarketOutput,
    )
    def get(self, request):
        form = MonthForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors)
        period = form.period()
        tables = [vars(table) for table in _tables(period)]
        figures = {"as_of": period.as_of, "small_cell_threshold": statistics.SMALL_CELL, "tables": tables}
        return Response(LabourMarketOutput({**form.cleaned_data, **figures}).data)


# --- Charts: SVG drawn on the server (no script, nothing inline for the content policy to refuse) -------

BAR_ROW, LABEL_WIDTH, BAR_WIDTH = 22, 230, 300  # user units of the SVG's viewBox
CHARTED = {"lmi_months": [1, 4]}  # the columns each chart draws: by default the table's first figures


def chart(table: statistics.Table) -> dict:
    """Horizontal bars of a table's counts, one group per row; a hidden cell has no bar and says so."""
    columns = CHARTED.get(table.name, [1, 2] if table.name.startswith("lmi_supply") else [1])
    values = [cells[c] for cells in table.rows for c in columns if isinstance(cells[c], int)]
    top = max(values, default=0) or 1
    rows, y = [], 0
    for cells in table.rows:
        bars = []
        for series, column in enumerate(columns):
            value = cells[column]
            width = round(BAR_WIDTH * value / top, 1) if isinstance(value, int) else 0
            bar = {"y": y, "text_y": y + 15, "text_x": LABEL_WIDTH + width + 6, "series": series, "width": width}
            bars.append(bar | {"value": value})
            y += BAR_ROW
        rows.append({"label": cells[0], "text_y": bars[0]["text_y"], "bars": bars})
        y += 8
    return {
        "rows": rows,
        "height": max(y, BAR_ROW),
        "legend": [table.headers[c] for c in columns],
        "bar_x": LABEL_WIDTH,
        "width": LABEL_WIDTH + BAR_WIDTH + 110,
    }


# --- What people look for and do not find (officers) ------------------------------------------------------


@officer_only
def missed_searches(request):
    labels = {name: field.label for name, field in SearchForm.base_fields.items()}
    weeks = zero_results_by_week()
    codes = {offer["near"] for week in weeks for m in week.missed for offer in m.offers if "near" in offer}
    communes = dict(Commune.objects.filter(code__in=codes).values_list("code", "name"))
    for week in weeks:
        for missed in week.missed:
            for offer in missed.offers:
                if "drop" in offer:
                    label = labels.get(offer["drop"], offer["drop"])
                    offer["text"] = _("Without the filter “%(filter)s”") % {"filter": label}
                else:
                    offer["text"] = _("%(commune)s and the communes nearby (within %(km)s km)") % {
                        "commune": communes.get(offer["near"], offer["near"]),
                        "km": offer["radius_km"],
                    }
    context = {"weeks": weeks, "days": ZERO_RESULT_RETENTION.days}
    return render(request, "desk/missed_searches.html", context)
