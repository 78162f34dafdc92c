"""Saved searches in the API: `/api/v1/searches` (a worker's own; another's answers 404)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from portal.api import ModelSerializer, Serializer
from search import alerts
from search.models import SavedSearch


class SavedSearchSerializer(ModelSerializer):
    params = serializers.DictField(
        help_text=_("The search's own input: q, occupation (a list), commune, near, radius_km, abroad, country, …"),
    )
    paused = serializers.BooleanField(required=False)
    results = serializers.SerializerMethodField()

    class Meta:
        model = SavedSearch
        fields = ["id", "name", "params", "rhythm", "paused", "results", "created_at"]
        read_only_fields = ["id", "created_at"]
        extra_kwargs = {"name": {"required": False, "allow_blank": True}}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["params"] = {name: value for name, value in instance.params.items() if name in alerts.PARAMS}
        data["paused"] = instance.paused_at is not None
        return data

    def get_results(self, instance) -> str:
        return alerts.results_path(instance)


class SavedSearchUpdate(Serializer):
    name = serializers.CharField(max_length=100, required=False)
    rhythm = serializers.ChoiceField(choices=SavedSearch.Rhythm.choices, required=False)
    paused = serializers.BooleanField(required=False)


class SavedSearchViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """My saved searches: the same input the search takes (an invalid filter gets the search's own 400), a
    name and a rhythm (at once, daily, weekly). Alerts need the "job alerts" consent."""

    permission_classes = [IsAuthenticated]
    serializer_class = SavedSearchSerializer

    def get_queryset(self):
        return SavedSearch.objects.filter(user=self.request.user.pk)  # anonymous: none (and the schema)

    def create(self, request):
        given = SavedSearchSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        search = alerts.saved_search_create(
            user=request.user, name=data.get("name", ""), params=data["params"], rhythm=data.get("rhythm", "daily")
        )
        return Response(SavedSearchSerializer(search).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SavedSearchUpdate, responses=SavedSearchSerializer)
    def partial_update(self, request, pk=None):
        search = self.get_object()
        given = SavedSearchUpdate(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        if "paused" in data:
            alerts.saved_search_pause(search, paused=data.pop("paused"))
        for name, value in data.items():
            setattr(search, name, value)
        search.save()
        return Response(SavedSearchSerializer(search).data)
