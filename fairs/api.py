"""The job fairs API: the public calendar (`GET /api/v1/fairs?commune=&date_from=&date_to=`), a fair with
its organisations and vacancies; officers create fairs and check people in; an organisation's members
join with its vacancies; a signed-in worker registers. Thin views over fairs/services.py."""

from django.shortcuts import get_object_or_404
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from accounts.phones import masked
from candidates.selectors import worker_of
from fairs import selectors, services
from fairs.models import Fair, Participant, Registration
from jobs.models import Commune, Organisation, Vacancy
from jobs.permissions import require_officer
from portal.api import ModelSerializer, Serializer, valid

PLACE_FIELDS = ["title", "held_on", "commune", "address", "online", "mobile", "abroad"]


class FairInput(ModelSerializer):
    commune = serializers.SlugRelatedField(
        slug_field="code", queryset=Commune.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Fair
        fields = PLACE_FIELDS


class ParticipantOutput(ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name")
    vacancies = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Participant
        fields = ["organisation", "organisation_name", "vacancies"]


class FairOutput(ModelSerializer):
    commune = serializers.SlugRelatedField(slug_field="code", read_only=True)
    commune_name = serializers.CharField(source="commune.name", default=None)

    class Meta:
        model = Fair
        fields = ["id", *PLACE_FIELDS, "commune_name"]


class FairDetailOutput(FairOutput):
    participants = ParticipantOutput(many=True, read_only=True)

    class Meta(FairOutput.Meta):
        fields = [*FairOutput.Meta.fields, "participants"]


class CalendarInput(Serializer):
    commune = serializers.SlugRelatedField(slug_field="code", queryset=Commune.objects.all(), required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)


class JoinInput(Serializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    vacancies = serializers.PrimaryKeyRelatedField(queryset=Vacancy.objects.all(), many=True)


class CheckInInput(Serializer):
    token = serializers.CharField(required=False, default="")
    phone = serializers.CharField(required=False, default="")

    def validate(self, data):
        if not data["token"] and not data["phone"]:
            raise serializers.ValidationError({"token": [services.NOT_REGISTERED]})
        return data


class RegistrationOutput(ModelSerializer):
    phone = serializers.SerializerMethodField()

    class Meta:
        model = Registration
        fields = ["id", "fair", "phone", "token", "registered_at", "checked_in_at"]

    def get_phone(self, registration) -> str:
        return masked(registration.phone)


class FairViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [AllowAny]

    def get_queryset(self):
        if self.action == "list":
            return selectors.calendar(**valid(CalendarInput, self.request.query_params))
        return Fair.objects.select_related("commune").prefetch_related(
            "participants__organisation", "participants__vacancies"
        )

    def get_serializer_class(self):
        return FairDetailOutput if self.action == "retrieve" else FairOutput

    def create(self, request):
        require_officer(request.user)
        fair = services.fair_create(by=request.user, **valid(FairInput, request.data))
        return Response(FairOutput(fair).data, status=201)

    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def participants(self, request, pk=None):
        fair = get_object_or_404(Fair, pk=pk)
        data = valid(JoinInput, request.data)
        participant = services.fair_join(fair=fair, by=request.user, **data)
        return Response(ParticipantOutput(participant).data, status=201)

    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def registrations(self, request, pk=None):
        fair = get_object_or_404(Fair, pk=pk)
        worker = worker_of(request.user)
        if worker is None:
            raise serializers.ValidationError({"worker": [services.NO_PROFILE]})
        registration = services.register(fair=fair, worker=worker)
        return Response(RegistrationOutput(registration).data, status=201)

    @action(detail=True, methods=["post"], url_path="check-ins", permission_classes=[IsAuthenticated])
    def check_ins(self, request, pk=None):
        require_officer(request.user)
        fair = get_object_or_404(Fair, pk=pk)
        registration = services.check_in(fair=fair, by=request.user, **valid(CheckInInput, request.data))
        return Response(RegistrationOutput(registration).data)
