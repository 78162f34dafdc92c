"""The public statistics API: anonymous aggregate counts of confirmed placements, small cells hidden."""

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsOfficer
from desk import services, statistics
from desk.models import Target
from jobs.models import Commune
from portal.api import valid
from portal.throttling import UserRateThrottle

SUPPRESSION_RULE = (
    "Counts of confirmed placements (new jobs at home and workers sent abroad) from 1 January to `as_of`: "
    "for the current year the last day of the last complete month, so the figures stand still within a "
    "month; a past year whole. Each table is a partition of `total` (every placement in exactly one row). "
    "Small cells: no published figure counts 1 to 4 people. Such a cell has `count: null` and "
    "`suppressed: true`; then, while the suppressed cells of a table are only one, or add up to fewer than "
    "5 people, the smallest shown cell is suppressed too, so no suppressed cell can be worked out from the "
    "total. A total under 5 suppresses the total and every cell. "
    "Month to month: each month's figures are year-to-date, so subtracting the previous month's from this "
    "month's would count the people placed in one month. A cell whose count changed by 1 to 4 people "
    "(up or down) since the figures to the end of the previous month is suppressed too, and the rule above "
    "also keeps the suppressed cells' changes from adding up to 1 to 4; a total that changed by 1 to 4 "
    "suppresses the total and every cell. "
    "One level of each hierarchy: occupations but not their ISCO major groups, communes but not the "
    "pre-2025 districts, countries (with a `none` row for at home) but not at home and abroad apart, since "
    "a group's figure minus its shown cells would give a suppressed cell away. Rows with no placement are "
    "not listed (their count is 0). Priority groups (poor households, ethnic minorities, policy families) "
    "are not published here. Anonymous clients are limited per IP (429 beyond the rate); figures are "
    "cached for an hour. "
    "`enrolments`: vocational enrolments accepted by training institutions on the portal (dated by the day of "
    "acceptance), under the same rules, by commune, occupation, level, sex and age band."
)

CACHE_SECONDS = 60 * 60  # the figures stand still within a month; an hour bounds a late confirmation's delay


class StatisticsRateThrottle(UserRateThrottle):
    """Each answer is about 25 aggregate queries (placements and enrolments, to this month and the last): a
    rate per signed-in user, or per address for anonymous clients (counted in Redis). The officers'
    dashboard and its files count against the same rate."""

    scope = "statistics"

    def get_rate(self):
        return settings.STATISTICS_RATE


class YearInput(serializers.Serializer):
    year = serializers.IntegerField(
        min_value=2000,
        required=False,
        help_text="The year (default: this year).",
        error_messages={"invalid": _("Give the year, such as 2026.")},
    )

    def validate_year(self, year):
        if year > timezone.localdate().year:
            raise serializers.ValidationError(_("There are no figures for a year still to come."))
        return year


class CellOutput(serializers.Serializer):
    key = serializers.CharField(help_text="Code of the row: commune code, occupation code, ISO country...")
    label = serializers.CharField()
    count = serializers.IntegerField(allow_null=True, help_text="null when suppressed")
    suppressed = serializers.BooleanField()


class TotalOutput(serializers.Serializer):
    count = serializers.IntegerField(allow_null=True)
    suppressed = serializers.BooleanField()


class EnrolmentsOutput(serializers.Serializer):
    total = TotalOutput()
    tables = serializers.DictField(
        child=CellOutput(many=True),
        help_text="By dimension: " + ", ".join(d.name for d in statistics.PUBLIC_TRAINING_DIMENSIONS),
    )


class StatisticsOutput(serializers.Serializer):
    year = serializers.IntegerField()
    as_of = serializers.DateField()
    small_cell_threshold = serializers.IntegerField()
    targets = serializers.DictField(
        child=serializers.FloatField(), help_text="The province's targets for the year, by indicator"
    )
    total = TotalOutput()
    tables = serializers.DictField(
        child=CellOutput(many=True),
        help_text="By dimension: " + ", ".join(d.name for d in statistics.PUBLIC_DIMENSIONS),
    )
    enrolments = EnrolmentsOutput(
        help_text="Vocational enrolments accepted by institutions on the portal, under the same rules"
    )


class PlacementStatisticsApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [StatisticsRateThrottle]

    @extend_schema(
        summary="New jobs and workers sent abroad, in aggregate",
        description=SUPPRESSION_RULE,
        parameters=[OpenApiParameter("year", int, required=False)],
        responses=StatisticsOutput,
    )
    def get(self, request):
        today = timezone.localdate()
        year = valid(YearInput, request.query_params).get("year", today.year)
        period = statistics.public_period(year, today=today)
        key = f"statistics:placements:{year}:{period.as_of.isoformat()}:{get_language()}"  # labels are translated
        payload = cache.get(key)
        if payload is None:
            payload = StatisticsOutput(self.figures(period)).data
            cache.set(key, payload, CACHE_SECONDS)
        return Response(payload)

    @staticmethod
    def figures(period: statistics.Period) -> dict:
        targets = {k: float(v) for k, v in statistics.targets_of(period.year)[0].items()}
        return {
            "year": period.year,
            "as_of": period.as_of,
            "small_cell_threshold": statistics.SMALL_CELL,
            "targets": targets,
            **statistics.published(period),
            "enrolments": statistics.published(
                period, count=statistics.enrolments_counted, dimensions=statistics.PUBLIC_TRAINING_DIMENSIONS
            ),
        }


class SummaryInput(serializers.Serializer):
    # A year a date can hold (`?year=0` was a 500, found by schemathesis); the placements began after 2000.
    year = serializers.IntegerField(
        min_value=2000, max_value=2100, error_messages={"invalid": _("Give the year, such as 2026.")}
    )


class PlacementSummaryApi(APIView):
    """Officers: a year's confirmed placements, what counts toward the targets (`statistics.year_summary`)."""

    permission_classes = [IsOfficer]

    @extend_schema(parameters=[SummaryInput], responses={200: dict})
    def get(self, request):
        return Response(statistics.year_summary(valid(SummaryInput, request.query_params)["year"]))


# --- Targets: read by anyone (they are the province's published plan), set by officers -------------


class TargetOutput(serializers.ModelSerializer):
    commune = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text="null: the province"
    )

    class Meta:
        model = Target
        fields = ["year", "indicator", "commune", "value", "source"]


class TargetYearInput(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class TargetsInput(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    commune = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Commune.objects.all(),
        required=False,
        allow_null=True,
        help_text="empty: the province",
    )
    values = serializers.DictField(
        child=serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True),
        help_text="By indicator: " + ", ".join(Target.Indicator.values) + "; null removes a target",
    )
    source = serializers.CharField(max_length=300, required=False, allow_blank=True)


class TargetsApi(APIView):
    permission_classes = [IsAuthenticatedOrReadOnly]

    @extend_schema(parameters=[TargetYearInput], responses=TargetOutput(many=True))
    def get(self, request):
        year = valid(TargetYearInput, request.query_params)["year"]
        targets = Target.objects.filter(year=year).select_related("commune")
        return Response(TargetOutput(targets, many=True).data)

    @extend_schema(request=TargetsInput, responses=TargetOutput(many=True))
    def put(self, request):
        """Officers set a year's targets, for the province or one commune; all are checked first."""
        data = valid(TargetsInput, request.data)
        services.targets_set(by=request.user, **data)
        year, commune = data["year"], data.get("commune")
        targets = Target.objects.filter(year=year, commune=commune).select_related("commune")
        return Response(TargetOutput(targets, many=True).data)
