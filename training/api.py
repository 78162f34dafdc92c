"""The training API: courses (an institution's own at every stage), enrolments.

Thin views over training/services.py. As in jobs/api.py, another organisation's records are a 404.
"""

from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from candidates.selectors import worker_of
from jobs.api import ReasonInput
from jobs.models import Commune, Occupation, Organisation
from jobs.permissions import member_or_404, visible_to
from portal.api import ModelSerializer, Serializer, valid
from training import services
from training.models import Course, Enrolment


class CourseInput(ModelSerializer):
    occupation = serializers.SlugRelatedField(slug_field="code", queryset=Occupation.objects.all())
    commune = serializers.SlugRelatedField(
        slug_field="code", queryset=Commune.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Course
        fields = ["organisation", *services.COURSE_FIELDS]
        extra_kwargs = {"organisation": {"queryset": Organisation.objects.all()}}


class CourseOutput(ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name")
    occupation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    commune = serializers.SlugRelatedField(slug_field="code", read_only=True)
    seats_left = serializers.SerializerMethodField()

    class Meta:
        model = Course
        fields = ["id", "organisation", "organisation_name", *services.COURSE_FIELDS, "seats_left", "status"]
        fields += ["status_reason", "published_at"]

    def get_seats_left(self, course) -> int:
        return max(0, course.seats - course.taken)


class EnrolmentOutput(ModelSerializer):
    full_name = serializers.SerializerMethodField()

    class Meta:
        model = Enrolment
        fields = ["id", "course", "status", "applied_at", "accepted_on", "completed_on", "certificate", "full_name"]

    def get_full_name(self, enrolment) -> str:
        return enrolment.worker.full_name if self.context.get("names") and enrolment.worker else ""


class CourseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Published courses for everyone; an institution's own at every stage for its members and officers."""

    filterset_fields = ["status", "organisation", "level"]

    def get_queryset(self):
        return (
            Course.objects.seen_by(self.request.user)
            .with_taken()
            .select_related("organisation", "occupation", "commune")
            .order_by("start_date", "id")
        )

    def get_serializer_class(self):
        return CourseInput if self.action in ("create", "partial_update") else CourseOutput

    def get_permissions(self):
        return [AllowAny()] if self.action in ("list", "retrieve") else [IsAuthenticated()]

    @extend_schema(request=CourseInput, responses=CourseOutput)
    def create(self, request):
        course = services.course_create(by=request.user, **valid(CourseInput, request.data))
        return Response(self._out(course), status=201)

    @extend_schema(request=CourseInput, responses=CourseOutput)
    def partial_update(self, request, pk=None):
        data = valid(CourseInput, request.data, partial=True)
        return Response(self._out(services.course_update(course=self.get_object(), by=request.user, **data)))

    @extend_schema(request=None, responses=CourseOutput)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return Response(self._out(services.course_submit(course=self.get_object(), by=request.user)))

    @extend_schema(request=None, responses=CourseOutput)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return Response(self._out(services.course_approve(course=self.get_object(), by=request.user)))

    @extend_schema(request=ReasonInput, responses=CourseOutput)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        reason = valid(ReasonInput, request.data)["reason"]
        return Response(self._out(services.course_reject(course=self.get_object(), by=request.user, reason=reason)))

    @extend_schema(request=None, responses={201: EnrolmentOutput})
    @action(detail=True, methods=["post"])
    def enrol(self, request, pk=None):
        worker = worker_of(request.user)
        if worker is None:
            raise NotFound(_("Fill in your profile first."))
        enrolment = services.enrol(worker=worker, course=self.get_object())
        return Response(EnrolmentOutput(enrolment).data, status=201)

    @extend_schema(responses={200: EnrolmentOutput(many=True)})
    @action(detail=True, methods=["get"])
    def enrolments(self, request, pk=None):
        """The course's enrolments, with names: for the institution's members and officers only."""
        course = self.get_object()
        member_or_404(request.user, course.organisation)
        enrolments = list(course.enrolments.select_related("worker").order_by("applied_at"))
        services.enrolments_shown(viewer=request.user, enrolments=enrolments)
        return Response(EnrolmentOutput(enrolments, many=True, context={"names": True}).data)

    def _out(self, course):
        return CourseOutput(self.get_queryset().get(pk=course.pk)).data


class CompletionInput(Serializer):
    passed = serializers.BooleanField()
    completed_on = serializers.DateField(required=False)
    serial_number = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")


class EnrolmentViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """An enrolment: its worker reads it; the institution (or an officer) accepts it and records completion."""

    permission_classes = [IsAuthenticated]
    serializer_class = EnrolmentOutput
    queryset = Enrolment.objects.none()  # for the schema; get_queryset says what each user sees

    def get_queryset(self):
        enrolments = Enrolment.objects.select_related("course__organisation", "worker")
        return visible_to(self.request.user, enrolments, "course__organisation", also=Q(worker__user=self.request.user))

    @extend_schema(request=None, responses=EnrolmentOutput)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return Response(EnrolmentOutput(services.enrolment_accept(enrolment=self.get_object(), by=request.user)).data)

    @extend_schema(request=CompletionInput, responses=EnrolmentOutput)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        data = valid(CompletionInput, request.data)
        enrolment = services.enrolment_complete(enrolment=self.get_object(), by=request.user, **data)
        return Response(EnrolmentOutput(enrolment).data)

    @extend_schema(request=None, responses=EnrolmentOutput)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return Response(EnrolmentOutput(services.enrolment_withdraw(enrolment=self.get_object(), by=request.user)).data)


class MyEnrolmentsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=EnrolmentOutput(many=True))
    def get(self, request):
        enrolments = Enrolment.objects.filter(worker__user=request.user).order_by("-applied_at")
        return Response(EnrolmentOutput(enrolments, many=True).data)
