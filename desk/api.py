"""The desk's API: thin views over desk.statistics (public placements and enrolments, small cells
hidden), targets, desk.labour_market, and the officers' work queues, reports and cases (desk.queues,
desk.cases) and imports (desk.imports). Each queue item names the existing endpoint that acts on it."""

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsOfficer, OfficersRecord
from accounts.phones import masked
from desk import agency_check, cases, imports, labour_market, queues, services, statistics
from desk.forms import MonthForm
from desk.models import Case, ImportJob, Target
from desk.statistics import CACHE_SECONDS
from jobs.models import Commune, Sanction
from portal.api import ModelSerializer, Serializer, valid
from portal.schema import ANSWERS
from portal.throttling import UserRateThrottle

# --- Public statistics: placements and enrolments, small cells hidden (desk/statistics.py) ----------

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


class StatisticsRateThrottle(UserRateThrottle):
    """Each answer is about 25 aggregate queries (placements and enrolments, to this month and the last): a
    rate per signed-in user, or per address for anonymous clients (counted in Redis). The officers'
    dashboard and its files count against the same rate."""

    scope = "statistics"

    def get_rate(self):
        return settings.STATISTICS_RATE


class YearInput(Serializer):
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


class CellOutput(Serializer):
    key = serializers.CharField(help_text="Code of the row: commune code, occupation code, ISO country...")
    label = serializers.CharField()
    count = serializers.IntegerField(allow_null=True, help_text="null when suppressed")
    suppressed = serializers.BooleanField()


class TotalOutput(Serializer):
    count = serializers.IntegerField(allow_null=True)
    suppressed = serializers.BooleanField()


class EnrolmentsOutput(Serializer):
    total = TotalOutput()
    tables = serializers.DictField(
        child=CellOutput(many=True),
        help_text="By dimension: " + ", ".join(d.name for d in statistics.PUBLIC_TRAINING_DIMENSIONS),
    )


class StatisticsOutput(Serializer):
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


class SummaryInput(Serializer):
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


class TargetOutput(ModelSerializer):
    commune = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text="null: the province"
    )

    class Meta:
        model = Target
        fields = ["year", "indicator", "commune", "value", "source"]


class TargetYearInput(Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class TargetsInput(Serializer):
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


# --- Labour-market information: the page's tables (desk/labour_market.py) -------------------------


class TableOutput(Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    headers = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(
        child=serializers.ListField(child=serializers.JSONField()),
        help_text='Cells as on the page: the label, then numbers; "x" is a hidden cell, null no figure',
    )


class LabourMarketOutput(Serializer):
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
        tables = [vars(table) for table in labour_market.published_tables(period)]
        figures = {"as_of": period.as_of, "small_cell_threshold": statistics.SMALL_CELL, "tables": tables}
        return Response(LabourMarketOutput({**form.cleaned_data, **figures}).data)


# --- Work queues, reports and cases, imports (desk.queues, desk.cases, desk.imports) --------------


def _url(request, name: str, pk: int) -> str:
    """The address of the endpoint that acts on an item, by its URL name (portal/urls.py, desk/urls.py)."""
    return request.build_absolute_uri(reverse(name, args=[pk]))


def _vacancy_item(request, vacancy, flags) -> dict:
    return {
        "id": vacancy.pk,
        "title": vacancy.title,
        "organisation": {"id": vacancy.organisation_id, "name": vacancy.organisation.name},
        "occupation": vacancy.occupation.code,
        "is_overseas": vacancy.is_overseas,
        "salary_min_vnd": vacancy.salary_min_vnd,
        "salary_max_vnd": vacancy.salary_max_vnd,
        "deadline": vacancy.deadline,
        "submitted_at": vacancy.created_at,
        "flags": [{"code": flag.code, "message": flag.message} for flag in flags],
        "actions": {
            "approve": _url(request, "vacancy-approve", vacancy.pk),
            "reject": _url(request, "vacancy-reject", vacancy.pk),
        },
    }


def _organisation_item(request, organisation) -> dict:
    return {
        "id": organisation.pk,
        "name": organisation.name,
        "kind": organisation.kind,
        "tax_code": organisation.tax_code,
        "licence_number": organisation.licence_number,
        "licence_expires_on": organisation.licence_expires_on,
        "registered_at": organisation.created_at,
        "actions": {
            "verify": _url(request, "organisation-verify", organisation.pk),
            "licence": _url(request, "organisation-licence", organisation.pk),
        },
    }


def _placement_item(request, placement) -> dict:
    worker = placement.worker
    return {
        "id": placement.pk,
        "placed_on": placement.placed_on,
        "source": placement.source,
        "is_abroad": placement.is_abroad,
        "organisation": placement.organisation.name if placement.organisation else "",
        "occupation": placement.occupation.code,
        "commune": placement.commune.name,
        "worker": {"name": worker.full_name, "phone": masked(worker.user.phone)} if worker else None,
        "actions": {"confirm": _url(request, "placement-confirm", placement.pk)},
    }


def _case_item(request, case) -> dict:
    organisation = case.organisation
    return {
        "id": case.pk,
        "reason": case.reason,
        "status": case.status,
        "vacancy": case.vacancy_id,
        "organisation": {"id": organisation.pk, "name": organisation.name} if organisation else None,
        "broker": None if organisation else {"name": case.broker_name, "phone": case.broker_phone},
        "broker_place": case.broker_place,
        "details": case.details,
        "contact": cases.masked_contact(case.contact),  # in full on the case page, where each view is audited
        "officer_note": case.officer_note,
        "sanction": _sanction(case.sanction) if case.sanction_id else None,
        "reported_at": case.created_at,
        "actions": {"status": _url(request, "desk-case-status-api", case.pk)},
    }


def _sanction(sanction) -> dict:
    return agency_check.sanction_output(sanction)


class QueueApi(APIView):
    """An officer's work queue: `vacancies` (awaiting review, flagged first), `organisations` (awaiting
    verification), `licences` (expiring within 30 days), `placements` (awaiting confirmation), `cases` (open)."""

    permission_classes = [IsOfficer]

    @extend_schema(responses={200: dict})
    def get(self, request, queue):
        limit = queues.QUEUE_LENGTH
        if queue == "vacancies":
            items = [_vacancy_item(request, v, flags) for v, flags in queues.vacancies_for_review()]
        elif queue == "organisations":
            items = [_organisation_item(request, o) for o in queues.organisations_awaiting_verification()[:limit]]
        elif queue == "licences":
            items = [_organisation_item(request, o) for o in queues.licences_expiring()[:limit]]
        elif queue == "placements":
            items = [_placement_item(request, p) for p in queues.placements_shown_to(request.user, limit)]
        elif queue == "cases":
            items = [_case_item(request, c) for c in queues.open_cases()[:limit]]
        else:
            raise NotFound()
        return Response({"count": len(items), "generated_at": timezone.now(), "results": items})


@extend_schema_field(OpenApiTypes.INT)
class VisibleVacancyField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):  # "visible" depends on today's date: asked per request, not at import
        return cases.reportable_vacancies()


@extend_schema_field(OpenApiTypes.INT)
class VerifiedOrganisationField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return cases.reportable_organisations()


class ReportInput(Serializer):
    """A vacancy or an organisation on the portal, or a broker who is not on it (name, phone, place)."""

    vacancy = VisibleVacancyField(required=False)
    organisation = VerifiedOrganisationField(required=False)
    broker_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    broker_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    broker_place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    reason = serializers.ChoiceField(choices=Case.Reason.choices, label=_("reason"))
    details = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    contact = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class ReportApi(APIView):
    """Report a vacancy, an organisation or an unlisted broker: open to everyone, anonymous too, a few
    reports an hour. The answer holds the code to follow the case, shown this once."""

    permission_classes = [AllowAny]
    throttle_classes = [cases.ReportThrottle]

    @extend_schema(request=ReportInput, responses={201: dict})
    def post(self, request):
        case = cases.case_report(by=request.user, **valid(ReportInput, request.data))
        return Response({"id": case.pk, "status": case.status, "follow_code": case.follow_code}, status=201)


class FollowInput(Serializer):
    code = serializers.CharField(max_length=40, label=_("code"))


class FollowApi(APIView):
    """Follow a report with its code (POST, so the code stays out of addresses and logs); no sign-in."""

    permission_classes = [AllowAny]
    throttle_classes = [cases.FollowThrottle]

    @extend_schema(request=FollowInput, responses={200: dict, 404: ANSWERS["404"]})  # no report has that code
    def post(self, request):
        case = cases.case_follow(valid(FollowInput, request.data)["code"])
        if case is None:
            raise NotFound(_("No report has this code. Check it and try again."))
        return Response(cases.followed_case(case))


class AgencyCheckInput(Serializer):
    q = serializers.CharField(
        min_length=agency_check.MIN_QUERY, max_length=200, label=_("name, licence number or tax code")
    )


class AgencyCheckApi(APIView):
    """Check a service enterprise by name, licence number or tax code: no sign-in, throttled."""

    permission_classes = [AllowAny]
    throttle_classes = [agency_check.AgencyCheckThrottle]

    @extend_schema(parameters=[AgencyCheckInput], responses={200: dict})
    def get(self, request):
        result = agency_check.agency_check(valid(AgencyCheckInput, request.query_params)["q"])
        result["message"] = agency_check.verdict(result)
        return Response(result)


class CaseStatusInput(Serializer):
    status = serializers.ChoiceField(choices=Case.Status.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    # A sanction recorded with the resolution: no kind, no sanction.
    sanction_kind = serializers.ChoiceField(choices=Sanction.Kind.choices, required=False, allow_blank=True, default="")
    decision_number = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    decided_on = serializers.DateField(required=False, allow_null=True, default=None)
    fine_vnd = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    until = serializers.DateField(required=False, allow_null=True, default=None)


class CaseStatusApi(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(request=CaseStatusInput, responses={200: dict})
    def post(self, request, pk):
        case = get_object_or_404(Case, pk=pk)  # case_move locks and reads it again
        data = valid(CaseStatusInput, request.data)
        case = cases.case_move(case=case, by=request.user, sanction=cases.sanction_of(data), **data)
        return Response(_case_item(request, case))


class ImportInput(Serializer):
    kind = serializers.ChoiceField(choices=ImportJob.Kind.choices)
    file = serializers.FileField()
    valid_only = serializers.BooleanField(default=False)


class ImportOutput(ModelSerializer):
    imported_so_far = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = ["id", "kind", "filename", "valid_only", "status", "progress", "total_rows", "checked_rows"]
        fields += ["invalid_rows", "imported_so_far", "imported_rows", "errors", "seconds", "created_at", "finished_at"]
        fields += ["superseded_by"]

    def get_imported_so_far(self, job) -> int:
        return imports.imported_so_far(job)


class ImportsApi(APIView):
    """Upload a file: it is checked and imported by a Celery task; poll the import for its report."""

    permission_classes = [IsOfficer]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses=ImportOutput(many=True))
    def get(self, request):
        return Response(ImportOutput(ImportJob.objects.defer("content")[:30], many=True).data)

    @extend_schema(request=ImportInput, responses={202: ImportOutput})
    def post(self, request):
        job = imports.import_upload(by=request.user, **valid(ImportInput, request.data))
        return Response(ImportOutput(job).data, status=202)


class ImportApi(APIView):
    permission_classes = [OfficersRecord]

    @extend_schema(responses=ImportOutput)
    def get(self, request, pk):
        return Response(ImportOutput(get_object_or_404(ImportJob.objects.defer("content"), pk=pk)).data)
