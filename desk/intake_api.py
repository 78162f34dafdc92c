"""The desk's API for work queues, reports and cases, and imports: thin views over desk.queues,
desk.cases and desk.imports. Each queue item names the existing endpoint that acts on it."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsOfficer, OfficersRecord
from accounts.phones import masked
from desk import agency_check, cases, imports, queues
from desk.models import Case, ImportJob
from jobs.models import Sanction
from portal.api import valid
from portal.schema import ANSWERS


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


class ReportInput(serializers.Serializer):
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


class FollowInput(serializers.Serializer):
    code = serializers.CharField(max_length=40, label=_("code"))


def followed_case(case) -> dict:
    """What the reporter sees of their case: no contact, no reporter, nothing about other cases."""
    return {
        "reason": case.reason,
        "reason_label": case.get_reason_display(),
        "status": case.status,
        "status_label": case.get_status_display(),
        "reported": case.reported_name,
        "reported_at": case.created_at,
        "updated_at": case.updated_at,
        "officer_note": case.officer_note if case.status in cases.NOTE_REQUIRED else "",
        "sanction": _sanction(case.sanction) if case.sanction_id else None,
    }


class FollowApi(APIView):
    """Follow a report with its code (POST, so the code stays out of addresses and logs); no sign-in."""

    permission_classes = [AllowAny]
    throttle_classes = [cases.FollowThrottle]

    @extend_schema(request=FollowInput, responses={200: dict, 404: ANSWERS["404"]})  # no report has that code
    def post(self, request):
        case = cases.case_follow(valid(FollowInput, request.data)["code"])
        if case is None:
            raise NotFound(_("No report has this code. Check it and try again."))
        return Response(followed_case(case))


class AgencyCheckInput(serializers.Serializer):
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


class CaseStatusInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=Case.Status.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    # A sanction recorded with the resolution: no kind, no sanction.
    sanction_kind = serializers.ChoiceField(choices=Sanction.Kind.choices, required=False, allow_blank=True, default="")
    decision_number = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    decided_on = serializers.DateField(required=False, allow_null=True, default=None)
    fine_vnd = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    until = serializers.DateField(required=False, allow_null=True, default=None)


def sanction_of(data: dict) -> dict | None:
    """The sanction fields of a case move (API or page) as case_move takes them; None without a kind."""
    kind = data.pop("sanction_kind", "")
    fields = {name: data.pop(name, None) for name in ("decision_number", "decided_on", "fine_vnd", "until")}
    if not kind:
        return None
    return {"kind": kind, **fields, "decision_number": fields["decision_number"] or ""}


class CaseStatusApi(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(request=CaseStatusInput, responses={200: dict})
    def post(self, request, pk):
        case = get_object_or_404(Case, pk=pk)  # case_move locks and reads it again
        data = valid(CaseStatusInput, request.data)
        case = cases.case_move(case=case, by=request.user, sanction=sanction_of(data), **data)
        return Response(_case_item(request, case))


class ImportInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ImportJob.Kind.choices)
    file = serializers.FileField()
    valid_only = serializers.BooleanField(default=False)


class ImportOutput(serializers.ModelSerializer):
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
        data = valid(ImportInput, request.data)
        upload = data["file"]
        job = imports.import_start(
            by=request.user,
            kind=data["kind"],
            filename=upload.name,
            content=upload.read(imports.MAX_FILE_BYTES + 1),  # enough to know it is too large
            valid_only=data["valid_only"],
        )
        return Response(ImportOutput(job).data, status=202)


class ImportApi(APIView):
    permission_classes = [OfficersRecord]

    @extend_schema(responses=ImportOutput)
    def get(self, request, pk):
        return Response(ImportOutput(get_object_or_404(ImportJob.objects.defer("content"), pk=pk)).data)
