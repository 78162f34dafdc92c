"""The jobs API: thin views over jobs/services.py, with their own input and output serializers.

Who sees what is decided by the querysets below: a member sees their organisations' records, an
officer sees all, anyone sees visible vacancies. Anything else is a 404, not a 403, so nobody
learns that another organisation's draft exists.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.generics import ListAPIView, get_object_or_404
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from jobs import keys, services, stream
from jobs.fees import describe
from jobs.models import (
    ApiKey,
    Commune,
    Country,
    FeeRule,
    LabourSupplyContract,
    LanguageRequirement,
    Membership,
    Occupation,
    Organisation,
    OverseasTerms,
    Programme,
    Vacancy,
    VacancyChange,
)
from jobs.permissions import require_member, visible_to
from jobs.trust import trust_line
from portal.api import CodedModelSerializer, ModelSerializer, Serializer, valid

# --- Reference data -------------------------------------------------------------------------


class CommuneOutput(ModelSerializer):
    old_districts = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = Commune
        fields = ["code", "name", "kind", "latitude", "longitude", "old_districts"]


class OccupationOutput(ModelSerializer):
    class Meta:
        model = Occupation
        fields = ["id", "code", "name_vi", "name_en", "aliases"]


class CountryOutput(ModelSerializer):
    class Meta:
        model = Country
        fields = ["code", "name_vi", "name_en"]


class ProgrammeOutput(ModelSerializer):
    class Meta:
        model = Programme
        fields = ["id", "code", "name_vi", "name_en", "country", "min_age", "max_age", "language_requirement", "source"]
        fields += ["confirmed", "run_by_state", "quota", "worker_costs"]


class FeeRuleOutput(CodedModelSerializer):
    class Meta:
        model = FeeRule
        fields = "__all__"  # with its version, dates and the version it replaced: the rule's history


def reference_list(model_serializer, queryset):
    view = type(
        f"{queryset.model.__name__}ListApi",
        (ListAPIView,),
        {"serializer_class": model_serializer, "queryset": queryset, "permission_classes": [AllowAny]},
    )
    view.pagination_class = None
    return view.as_view()


communes_list = reference_list(CommuneOutput, Commune.objects.prefetch_related("old_districts"))
occupations_list = reference_list(OccupationOutput, Occupation.objects.all())
countries_list = reference_list(CountryOutput, Country.objects.all())
programmes_list = reference_list(ProgrammeOutput, Programme.objects.all())
fee_rules_list = reference_list(
    FeeRuleOutput, FeeRule.objects.select_related("programme").prefetch_related("occupations")
)

# --- Organisations --------------------------------------------------------------------------


class OrganisationInput(CodedModelSerializer):
    class Meta:
        model = Organisation
        fields = ["kind", "name", "tax_code", "commune", "address", "phone", "email", "website"]
        fields += ["licence_number", "licence_issued_on", "licence_expires_on"]


class OrganisationOutput(CodedModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", *OrganisationInput.Meta.fields, "licence_status", "verification", "verification_note"]
        fields += ["verified_at"]


class VerificationInput(Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class LicenceInput(Serializer):
    status = serializers.ChoiceField(choices=Organisation.LicenceStatus.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class MemberInput(Serializer):
    username = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.all(), label=_("user"))
    role = serializers.ChoiceField(choices=Membership.Role.choices, default=Membership.Role.RECRUITER)


class MemberOutput(ModelSerializer):
    username = serializers.CharField(source="user.username")

    class Meta:
        model = Membership
        fields = ["username", "role", "created_at"]


class ApiKeyInput(Serializer):
    name = serializers.CharField(max_length=100, label=_("name"))
    per_minute = serializers.IntegerField(min_value=1, max_value=6000, default=120, label=_("requests per minute"))


class ApiKeyOutput(ModelSerializer):
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = ApiKey
        fields = ["id", "name", "prefix", "per_minute", "created_by", "created_at", "last_used_at", "revoked_at"]


class NewApiKeyOutput(ApiKeyOutput):
    key = serializers.CharField(help_text="The key itself: shown this once, never kept")

    class Meta(ApiKeyOutput.Meta):
        fields = [*ApiKeyOutput.Meta.fields, "key"]


class OrganisationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    permission_classes = [IsAuthenticated]
    filterset_fields = ["kind", "verification", "licence_status"]

    def get_queryset(self):
        organisations = Organisation.objects.select_related("commune").order_by("name")
        return visible_to(self.request.user, organisations, "pk")

    def get_serializer_class(self):
        return OrganisationInput if self.action in ("create", "partial_update") else OrganisationOutput

    def create(self, request):
        data = valid(OrganisationInput, request.data)
        organisation = services.organisation_register(by=request.user, **data)
        return Response(OrganisationOutput(organisation).data, status=201)

    @extend_schema(request=OrganisationInput, responses=OrganisationOutput)
    def partial_update(self, request, pk=None):
        """Members change contact details; the service refuses what the department verified."""
        data = valid(OrganisationInput, request.data, partial=True)
        organisation = services.organisation_update(organisation=self.get_object(), by=request.user, **data)
        return Response(OrganisationOutput(organisation).data)

    @extend_schema(request=VerificationInput, responses=OrganisationOutput)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        data = valid(VerificationInput, request.data)
        organisation = services.organisation_verify(organisation=self.get_object(), by=request.user, **data)
        return Response(OrganisationOutput(organisation).data)

    @extend_schema(request=LicenceInput, responses=OrganisationOutput)
    @action(detail=True, methods=["post"])
    def licence(self, request, pk=None):
        data = valid(LicenceInput, request.data)
        organisation = services.licence_set_status(organisation=self.get_object(), by=request.user, **data)
        return Response(OrganisationOutput(organisation).data)

    @extend_schema(request=MemberInput, responses=MemberOutput(many=True))
    @action(detail=True, methods=["get", "post", "delete"], pagination_class=None)  # the whole list
    def members(self, request, pk=None):
        """List members; an owner adds one (POST) or removes one (DELETE with the username)."""
        organisation = self.get_object()
        if request.method == "POST":
            data = valid(MemberInput, request.data)
            services.member_add(organisation=organisation, by=request.user, user=data["username"], role=data["role"])
        elif request.method == "DELETE":
            data = valid(MemberInput, request.data)
            services.member_remove(organisation=organisation, by=request.user, user=data["username"])
        memberships = organisation.memberships.select_related("user").order_by("created_at")
        return Response(MemberOutput(memberships, many=True).data)

    @extend_schema(request=ApiKeyInput, responses={200: ApiKeyOutput(many=True), 201: NewApiKeyOutput})
    @action(detail=True, methods=["get", "post"], pagination_class=None)  # the whole list
    def keys(self, request, pk=None):
        """The organisation's API keys (owners); POST makes one and shows its text this once."""
        organisation = self.get_object()
        if request.method == "POST":
            key, text = keys.api_key_create(
                organisation=organisation, by=request.user, **valid(ApiKeyInput, request.data)
            )
            return Response({**ApiKeyOutput(key).data, "key": text}, status=201)
        require_member(request.user, organisation, owner=True)
        return Response(ApiKeyOutput(organisation.api_keys.select_related("created_by"), many=True).data)

    @extend_schema(request=None, responses=ApiKeyOutput)
    @action(detail=True, methods=["delete"], url_path=r"keys/(?P<key_id>[0-9]{1,18})")
    def revoke_key(self, request, pk=None, key_id=None):
        """The owner revokes a key: its next request is a 401."""
        key = get_object_or_404(self.get_object().api_keys, pk=key_id)
        return Response(ApiKeyOutput(keys.api_key_revoke(key=key, by=request.user)).data)


# --- Labour supply contracts ----------------------------------------------------------------


class ContractInput(CodedModelSerializer):
    class Meta:
        model = LabourSupplyContract
        fields = ["organisation", "foreign_partner", "country", "programme", "occupation", "quota"]
        fields += ["monthly_wage", "currency", "term_months", "approval_number", "approved_on"]


class ContractOutput(CodedModelSerializer):
    remaining = serializers.IntegerField(read_only=True)

    class Meta:
        model = LabourSupplyContract
        fields = ["id", *ContractInput.Meta.fields, "remaining"]


class ContractViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """An enterprise's approved labour supply contracts, with the places each has left."""

    permission_classes = [IsAuthenticated]
    serializer_class = ContractOutput
    filterset_fields = ["organisation", "country"]

    def get_queryset(self):
        contracts = LabourSupplyContract.objects.with_remaining().select_related("occupation", "programme")
        contracts = contracts.order_by("-approved_on", "id")
        return visible_to(self.request.user, contracts)

    @extend_schema(request=ContractInput, responses=ContractOutput)
    def create(self, request):
        contract = services.contract_register(by=request.user, **valid(ContractInput, request.data))
        return Response(ContractOutput(self.get_queryset().get(pk=contract.pk)).data, status=201)

    @extend_schema(request=ContractInput, responses=ContractOutput)
    def partial_update(self, request, pk=None):
        data = valid(ContractInput, request.data, partial=True)
        contract = services.contract_update(contract=self.get_object(), by=request.user, **data)
        return Response(ContractOutput(self.get_queryset().get(pk=contract.pk)).data)


# --- Vacancies ------------------------------------------------------------------------------


class LanguageSerializer(ModelSerializer):
    class Meta:
        model = LanguageRequirement
        fields = ["framework", "level"]


class OverseasTermsInput(ModelSerializer):
    class Meta:
        model = OverseasTerms
        fields = services.TERMS_FIELDS


class FeeRuleVersionOutput(ModelSerializer):
    """The rule version a verdict used (the full rule is in /api/v1/fee-rules)."""

    class Meta:
        model = FeeRule
        fields = ["id", "version", "valid_from", "valid_to", "source"]


class OverseasTermsOutput(ModelSerializer):
    fee_findings = serializers.SerializerMethodField()
    total_cost_vnd = serializers.IntegerField(read_only=True)
    fee_rule = FeeRuleVersionOutput(read_only=True, allow_null=True)

    class Meta:
        model = OverseasTerms
        fields = [*services.TERMS_FIELDS, "total_cost_vnd", "fee_verdict", "fee_cap_vnd", "fee_findings"]
        fields += ["fee_checked_at", "fee_rule"]

    def get_fee_findings(self, terms) -> list[str]:
        return [describe(finding) for finding in terms.fee_findings]


class VacancyInput(CodedModelSerializer):
    languages = LanguageSerializer(many=True, required=False)
    overseas_terms = OverseasTermsInput(required=False, allow_null=True)

    class Meta:
        model = Vacancy
        fields = ["organisation", *services.VACANCY_FIELDS, "languages", "overseas_terms"]
        # A contract that does not exist is answered as another enterprise's is (jobs/services.py).
        extra_kwargs = {"contract": {"error_messages": {"does_not_exist": services.NO_SUCH_CONTRACT}}}


class TrustOutput(Serializer):
    """What a worker checks before trusting an overseas vacancy: part of its trust line (jobs/trust.py)."""

    licence_number = serializers.CharField()
    licence_status = serializers.CharField()
    contract_approval_number = serializers.CharField()
    contract_approved_on = serializers.DateField()
    fee_verdict = serializers.CharField()


class VacancyOutput(CodedModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name")
    languages = LanguageSerializer(many=True, read_only=True)
    overseas_terms = OverseasTermsOutput(read_only=True, allow_null=True)
    trust = serializers.SerializerMethodField()

    class Meta:
        model = Vacancy
        fields = ["id", "organisation", "organisation_name", *services.VACANCY_FIELDS, "salary_min_vnd"]
        fields += ["salary_max_vnd", "languages", "overseas_terms", "trust", "status", "status_reason"]
        fields += ["published_at", "created_at"]

    def get_trust(self, vacancy) -> dict | None:
        return TrustOutput(trust_line(vacancy)).data if vacancy.is_overseas else None


class ReasonInput(Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class VacancyViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Visible vacancies for everyone; an organisation's own at every stage for its members."""

    filterset_fields = ["status", "organisation", "is_overseas", "country", "occupation__code"]

    def get_queryset(self):
        return (
            Vacancy.objects.seen_by(self.request.user)
            .select_related(
                "organisation", "occupation", "commune", "programme", "contract__programme", "overseas_terms__fee_rule"
            )
            .prefetch_related("languages")
        )

    def get_serializer_class(self):
        return VacancyInput if self.action in ("create", "partial_update") else VacancyOutput

    def create(self, request):
        data = valid(VacancyInput, request.data)
        vacancy = services.vacancy_create(by=request.user, **data)
        return Response(self._out(vacancy), status=201)

    @extend_schema(request=VacancyInput, responses=VacancyOutput)
    def partial_update(self, request, pk=None):
        vacancy = self.get_object()
        data = valid(VacancyInput, request.data, partial=True)
        vacancy = services.vacancy_update(vacancy=vacancy, by=request.user, **data)
        return Response(self._out(vacancy))

    @extend_schema(request=None, responses=VacancyOutput)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return Response(self._out(services.vacancy_submit(vacancy=self.get_object(), by=request.user)))

    @extend_schema(request=None, responses=VacancyOutput)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return Response(self._out(services.vacancy_approve(vacancy=self.get_object(), by=request.user)))

    @extend_schema(request=ReasonInput, responses=VacancyOutput)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        reason = self._reason(request)
        return Response(self._out(services.vacancy_reject(vacancy=self.get_object(), by=request.user, reason=reason)))

    @extend_schema(request=ReasonInput, responses=VacancyOutput)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        reason = self._reason(request)
        return Response(self._out(services.vacancy_close(vacancy=self.get_object(), by=request.user, reason=reason)))

    def get_permissions(self):
        return [AllowAny()] if self.action in ("list", "retrieve") else [IsAuthenticated()]

    @staticmethod
    def _reason(request):
        return valid(ReasonInput, request.data)["reason"]

    def _out(self, vacancy):
        return VacancyOutput(self.get_queryset().get(pk=vacancy.pk)).data


# --- The change stream (jobs/stream.py) -----------------------------------------------------


class StreamInput(Serializer):
    since = serializers.CharField(allow_blank=True, help_text="The cursor of the last answer, or of the snapshot")
    limit = serializers.IntegerField(min_value=1, max_value=stream.PAGE, default=stream.PAGE)


class ChangeOutput(ModelSerializer):
    cursor = serializers.CharField(source="seq")
    vacancy = serializers.IntegerField(source="vacancy_id")
    data = serializers.SerializerMethodField(help_text="The vacancy as the public saw it then; null when removed")

    class Meta:
        model = VacancyChange
        fields = ["cursor", "kind", "vacancy", "at", "data"]

    @extend_schema_field(VacancyOutput(allow_null=True))
    def get_data(self, change) -> dict | None:
        return change.data  # stored as it was shown


class StreamOutput(Serializer):
    cursor = serializers.CharField(help_text="Ask from here next")
    more = serializers.BooleanField(help_text="More changes wait: ask again at once")
    changes = ChangeOutput(many=True)


class SnapshotOutput(Serializer):
    cursor = serializers.CharField(help_text="Stream from here")
    vacancies = VacancyOutput(many=True)


class StreamApi(APIView):
    """Vacancies published, changed and removed since the cursor, in the order they happened."""

    permission_classes = [AllowAny]

    @extend_schema(parameters=[StreamInput], responses=StreamOutput)
    def get(self, request):
        data = valid(StreamInput, request.query_params)
        return Response(StreamOutput(stream.changes(since=data["since"], limit=data["limit"])).data)


class SnapshotApi(APIView):
    """Every vacancy the public sees now, and the cursor to stream its changes from."""

    permission_classes = [AllowAny]

    @extend_schema(responses=SnapshotOutput)
    def get(self, request):
        return Response(stream.snapshot())
