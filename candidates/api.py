"""The workers' API: my profile and certificates, consents, my data, applications;
the organisation's view of its applicants; officers' confirmation of placements."""

from django.contrib.auth import logout
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsOfficer, OfficersRecord
from candidates import abroad, services
from candidates.models import (
    Application,
    Certificate,
    Consent,
    DepartureChecklist,
    Invitation,
    LanguageCertificate,
    Placement,
    PriorityGroup,
    WorkerProfile,
    WorkExperience,
)
from candidates.selectors import worker_of
from jobs.models import Vacancy
from jobs.permissions import member_or_404, visible_to
from portal.api import CodedModelSerializer, ModelSerializer, Serializer, valid

# --- My profile -----------------------------------------------------------------------------


class PriorityInput(Serializer):
    group = serializers.ChoiceField(choices=PriorityGroup.choices)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    evidence = serializers.CharField(max_length=200)


class HealthCheckInput(Serializer):
    date = serializers.DateField()
    facility = serializers.CharField(max_length=200)
    result = serializers.CharField(max_length=200)
    valid_until = serializers.DateField()


class SensitiveInput(Serializer):
    id_number = serializers.CharField(max_length=12, required=False, allow_blank=True, label=_("ID number"))
    ethnicity = serializers.CharField(max_length=50, required=False, allow_blank=True, label=_("ethnicity"))
    priority_groups = PriorityInput(many=True, required=False)
    health_checks = HealthCheckInput(many=True, required=False)

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        for check in values.get("health_checks", []):  # JSON in the encrypted record: dates as text
            check.update(date=check["date"].isoformat(), valid_until=check["valid_until"].isoformat())
        return values


class ProfileInput(CodedModelSerializer):
    sensitive = SensitiveInput(required=False)

    class Meta:
        model = WorkerProfile
        fields = ["full_name", "date_of_birth", "sex", "commune", "education", "skills", "wants_abroad"]
        fields += ["wants_home"]
        fields += ["expected_salary_vnd"]
        fields += ["available_from", *services.PROFILE_MANY, "sensitive"]


class ProfileOutput(ModelSerializer):
    commune = serializers.SlugRelatedField(slug_field="code", read_only=True)
    desired_occupations = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    desired_communes = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    desired_countries = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    desired_programmes = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    consents = serializers.SerializerMethodField()

    class Meta:
        model = WorkerProfile
        fields = ["id", *[f for f in ProfileInput.Meta.fields if f != "sensitive"], "consents"]

    def get_consents(self, worker) -> list[str]:
        return [c.purpose for c in worker.consents.all() if c.withdrawn_at is None]


class CertificateSerializer(CodedModelSerializer):
    class Meta:
        model = Certificate
        fields = ["id", "kind", "level", "occupation", "institution", "serial_number", "register_number", "issued_on"]
        fields += ["verified"]
        read_only_fields = ["verified"]


class LanguageCertificateSerializer(ModelSerializer):
    class Meta:
        model = LanguageCertificate
        fields = ["id", "framework", "level", "issued_on", "verified"]
        read_only_fields = ["verified"]


class ExperienceSerializer(CodedModelSerializer):
    class Meta:
        model = WorkExperience
        fields = ["id", "occupation", "employer_name", "place", "started_on", "ended_on", "description", "country"]
        read_only_fields = ["country"]  # work abroad comes from a recorded return


class ConsentInput(Serializer):
    purpose = serializers.ChoiceField(choices=Consent.Purpose.choices)
    granted = serializers.BooleanField()


class ConsentOutput(ModelSerializer):
    class Meta:
        model = Consent
        fields = ["purpose", "text_version", "granted_at", "withdrawn_at"]


def my_worker(request) -> WorkerProfile:
    worker = worker_of(request.user)
    if worker is None:
        raise NotFound(_("Fill in your profile first."))
    return worker


class MyProfileApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ProfileOutput)
    def get(self, request):
        worker = my_worker(request)
        data = ProfileOutput(worker).data
        data["sensitive"] = services.personal_data(worker=worker, viewer=request.user)
        return Response(data)

    @extend_schema(request=ProfileInput, responses=ProfileOutput)
    def put(self, request):
        services.profile_save(user=request.user, **valid(ProfileInput, request.data))
        return self.get(request)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        """Erase my account and personal data (the province's anonymous counts stay)."""
        services.account_erase(user=request.user)  # with a profile or without one
        logout(request)
        return Response(status=204)


class MyExportApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: dict})
    def get(self, request):
        response = Response(services.worker_export(worker=my_worker(request)))
        response["Content-Disposition"] = 'attachment; filename="du-lieu-cua-toi.json"'
        return response


class MyConsentsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ConsentOutput(many=True))
    def get(self, request):
        return Response(ConsentOutput(my_worker(request).consents.all(), many=True).data)

    @extend_schema(request=ConsentInput, responses=ConsentOutput(many=True))
    def post(self, request):
        services.consent_set(worker=my_worker(request), **valid(ConsentInput, request.data))
        return self.get(request)


def my_records(serializer, add):
    """A list-create-delete endpoint over one kind of the worker's own records."""

    class MyRecords(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
        permission_classes = [IsAuthenticated]
        serializer_class = serializer
        pagination_class = None

        def get_queryset(self):
            mine = serializer.Meta.model.objects.filter(worker__user=self.request.user.pk)
            return mine.select_related(*{"occupation"} & set(serializer.Meta.fields))  # its code, in the same query

        def create(self, request):
            data = valid(serializer, request.data)
            return Response(serializer(add(worker=my_worker(request), **data)).data, status=201)

        def perform_destroy(self, instance):
            services.record_delete(record=instance)

    MyRecords.__name__ = f"My{serializer.Meta.model.__name__}ViewSet"
    return MyRecords


MyCertificates = my_records(CertificateSerializer, services.certificate_add)
MyLanguages = my_records(LanguageCertificateSerializer, services.language_add)
MyExperience = my_records(ExperienceSerializer, services.experience_add)


# --- Applications ---------------------------------------------------------------------------


class ApplyInput(Serializer):
    vacancy = serializers.PrimaryKeyRelatedField(queryset=Vacancy.objects.all())


class EventOutput(Serializer):
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    at = serializers.DateTimeField()
    note = serializers.CharField()


class MyApplicationOutput(ModelSerializer):
    vacancy_title = serializers.CharField(source="vacancy.title")
    organisation_name = serializers.CharField(source="vacancy.organisation.name")
    events = EventOutput(many=True)

    class Meta:
        model = Application
        fields = ["id", "vacancy", "vacancy_title", "organisation_name", "status", "created_at", "events"]


class MyApplications(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = MyApplicationOutput

    def get_queryset(self):
        return (
            Application.objects.filter(worker__user=self.request.user.pk)
            .select_related("vacancy__organisation")
            .prefetch_related("events")
        )

    @extend_schema(request=ApplyInput, responses=MyApplicationOutput)
    def create(self, request):
        application = services.apply(worker=my_worker(request), **valid(ApplyInput, request.data))
        return Response(MyApplicationOutput(self.get_queryset().get(pk=application.pk)).data, status=201)

    @extend_schema(request=None, responses=MyApplicationOutput)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        application = get_object_or_404(self.get_queryset(), pk=pk)
        services.application_withdraw(application=application, by=request.user)
        return Response(MyApplicationOutput(self.get_queryset().get(pk=pk)).data)


class ApplicantOutput(ModelSerializer):
    """An application as the organisation sees it: the worker applied, so name and contact show."""

    vacancy_title = serializers.CharField(source="vacancy.title")
    worker = serializers.SerializerMethodField()
    events = EventOutput(many=True)

    class Meta:
        model = Application
        fields = ["id", "vacancy", "vacancy_title", "status", "created_at", "worker", "events"]

    def get_worker(self, application) -> dict:
        worker = application.worker
        return {
            "full_name": worker.full_name,
            "phone": worker.user.phone,
            "sex": worker.sex,
            "age": worker.age,  # today, as the applicants page shows it
            "commune": worker.commune.name,
        }


class MoveInput(Serializer):
    status = serializers.ChoiceField(choices=Application.Status.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Applications to the vacancies of my organisations (officers: all)."""

    permission_classes = [IsAuthenticated]
    serializer_class = ApplicantOutput
    filterset_fields = ["vacancy", "status"]

    def get_queryset(self):
        applications = Application.objects.select_related(
            "vacancy", "worker__user", "worker__commune"
        ).prefetch_related("events")
        return visible_to(self.request.user, applications, "vacancy__organisation")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        services.applicants_shown(viewer=request.user, applications=page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        application = self.get_object()
        data = ApplicantOutput(application).data
        data["worker"]["personal"] = services.personal_data(worker=application.worker, viewer=request.user)
        return Response(data)

    @extend_schema(request=MoveInput, responses=ApplicantOutput)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        services.application_move(application=self.get_object(), by=request.user, **valid(MoveInput, request.data))
        return Response(ApplicantOutput(self.get_queryset().get(pk=pk)).data)


# --- Invitations ----------------------------------------------------------------------------


class InviteInput(Serializer):
    worker = serializers.PrimaryKeyRelatedField(
        queryset=WorkerProfile.objects.all(), error_messages={"does_not_exist": services.NOT_A_CANDIDATE}
    )


class InvitationOutput(ModelSerializer):
    vacancy_title = serializers.CharField(source="vacancy.title")
    organisation_name = serializers.CharField(source="vacancy.organisation.name")

    class Meta:
        model = Invitation
        fields = [
            "id",
            "vacancy",
            "vacancy_title",
            "organisation_name",
            "worker",
            "status",
            "created_at",
            "answered_at",
        ]


class InviteApi(APIView):
    """An organisation invites a worker it found among the ranked candidates of its vacancy."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=InviteInput, responses={201: InvitationOutput})
    def post(self, request, pk):
        vacancy = get_object_or_404(Vacancy.objects.select_related("organisation"), pk=pk)
        member_or_404(request.user, vacancy.organisation)
        invitation = services.invitation_send(vacancy=vacancy, by=request.user, **valid(InviteInput, request.data))
        return Response(InvitationOutput(invitation).data, status=201)


class MyInvitations(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = InvitationOutput

    def get_queryset(self):
        return Invitation.objects.filter(worker__user=self.request.user.pk).select_related("vacancy__organisation")

    @extend_schema(request=None, responses=InvitationOutput)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._answer(pk, accept=True)

    @extend_schema(request=None, responses=InvitationOutput)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._answer(pk, accept=False)

    def _answer(self, pk, *, accept):
        invitation = get_object_or_404(self.get_queryset(), pk=pk)
        return Response(
            InvitationOutput(
                services.invitation_answer(invitation=invitation, by=self.request.user, accept=accept)
            ).data
        )


# --- Officers: workers, certificates, placements --------------------------------------------


class WorkerForOfficerApi(APIView):
    permission_classes = [OfficersRecord]

    @extend_schema(responses=ProfileOutput)
    def get(self, request, pk):
        worker = get_object_or_404(WorkerProfile.objects.select_related("user", "commune"), pk=pk)
        data = ProfileOutput(worker).data
        data["contact"] = services.contact_for(worker=worker, viewer=request.user)
        data["sensitive"] = services.personal_data(worker=worker, viewer=request.user)
        return Response(data)


class VerifyCertificateApi(APIView):
    permission_classes = [IsOfficer]
    model = Certificate

    @extend_schema(request=None, responses={204: None})
    def post(self, request, pk):
        services.certificate_verify(certificate=get_object_or_404(self.model, pk=pk), by=request.user)
        return Response(status=204)


class VerifyLanguageApi(VerifyCertificateApi):
    model = LanguageCertificate


class PlacementSerializer(CodedModelSerializer):
    class Meta:
        model = Placement
        fields = ["id", "source", "placed_on", "is_abroad", "country", "programme", "occupation", "commune", "sex"]
        fields += ["age_band", "priority_groups", "organisation", "status", "confirmed_at"]
        read_only_fields = ["status", "confirmed_at"]


class PlacementViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsOfficer]
    serializer_class = PlacementSerializer
    filterset_fields = ["status", "is_abroad", "source"]
    queryset = Placement.objects.select_related("occupation", "commune", "programme").order_by("-placed_on", "-id")

    def create(self, request):
        placement = services.placement_record(by=request.user, **valid(PlacementSerializer, request.data))
        return Response(PlacementSerializer(placement).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=PlacementSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return Response(
            PlacementSerializer(services.placement_confirm(placement=self.get_object(), by=request.user)).data
        )


# --- Work abroad: the departure checklist and the return ---------------------------------------


class ChecklistInput(Serializer):
    orientation_certificate = serializers.PrimaryKeyRelatedField(queryset=Certificate.objects.all(), required=False)
    health_check_on = serializers.DateField(required=False)
    health_check_valid_until = serializers.DateField(required=False)
    visa_number = serializers.CharField(max_length=30, required=False)
    visa_valid_until = serializers.DateField(required=False)
    signed_monthly_wage = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False)
    signed_term_months = serializers.IntegerField(min_value=1, max_value=120, required=False)
    confirm = serializers.BooleanField(required=False, help_text="the worker confirms the signed contract")


class ChecklistOutput(ModelSerializer):
    missing = serializers.SerializerMethodField()

    class Meta:
        model = DepartureChecklist
        fields = ["application", "orientation_certificate", "health_check_on", "health_check_valid_until"]
        fields += ["visa_number", "visa_valid_until", "signed_monthly_wage", "signed_term_months"]
        fields += ["contract_confirmed_at", "substitution_case", "override_reason", "missing"]

    def get_missing(self, checklist) -> list[str]:
        return [] if checklist.override_reason else abroad.checklist_missing(checklist)


class DepartureChecklistApi(APIView):
    """GET the checklist of an offer abroad; PATCH items (the worker their own, the organisation the visa).
    Only the worker, the organisation's members and officers see it; anyone else gets a 404."""

    permission_classes = [IsAuthenticated]

    def application(self, pk):
        return get_object_or_404(Application.objects.select_related("worker", "vacancy__organisation"), pk=pk)

    @extend_schema(responses=ChecklistOutput)
    def get(self, request, pk):
        return Response(ChecklistOutput(abroad.checklist_of(application=self.application(pk), by=request.user)).data)

    @extend_schema(request=ChecklistInput, responses=ChecklistOutput)
    def patch(self, request, pk):
        items = valid(ChecklistInput, request.data)
        checklist = abroad.checklist_update(application=self.application(pk), by=request.user, **items)
        return Response(ChecklistOutput(checklist).data)


class OverrideInput(Serializer):
    reason = serializers.CharField(max_length=500)


class DepartureOverrideApi(DepartureChecklistApi):
    permission_classes = [IsOfficer]

    @extend_schema(request=OverrideInput, responses=ChecklistOutput)
    def post(self, request, pk):
        reason = valid(OverrideInput, request.data)["reason"]
        checklist = abroad.departure_override(application=self.application(pk), by=request.user, reason=reason)
        return Response(ChecklistOutput(checklist).data)


class ReturnInput(Serializer):
    returned_on = serializers.DateField()
    framework = serializers.ChoiceField(
        choices=LanguageCertificate._meta.get_field("framework").choices, required=False
    )
    level = serializers.CharField(max_length=10, required=False)


class ReturnOutput(ModelSerializer):
    class Meta:
        model = Placement
        fields = ["id", "placed_on", "country", "programme", "occupation", "expected_return_on", "returned_on"]
        fields += ["return_recorded_by"]


class PlacementReturnApi(APIView):
    """POST records a return home: by the worker, the sending organisation's members, or an officer."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=ReturnInput, responses=ReturnOutput)
    def post(self, request, pk):
        placement = get_object_or_404(abroad.returns_recordable_by(request.user), pk=pk)
        placement = abroad.return_record(placement=placement, by=request.user, **valid(ReturnInput, request.data))
        return Response(ReturnOutput(placement).data)


class MyPlacementsApi(APIView):
    """The worker's own placements abroad, with their expected and recorded returns."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ReturnOutput(many=True))
    def get(self, request):
        placements = Placement.objects.filter(worker__user=request.user.pk, is_abroad=True).order_by("-placed_on")
        return Response(ReturnOutput(placements, many=True).data)


class MySavedVacancyApi(APIView):
    """PUT saves a vacancy (a reminder two days before its deadline, with the alerts consent); DELETE forgets it."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def put(self, request, pk):
        vacancy = get_object_or_404(Vacancy.objects.visible(), pk=pk)
        services.vacancy_save(worker=my_worker(request), vacancy=vacancy)
        return Response(status=204)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk):
        vacancy = get_object_or_404(Vacancy, pk=pk)
        services.vacancy_save(worker=my_worker(request), vacancy=vacancy, saved=False)
        return Response(status=204)
