"""The person's message preferences over the API (the page is /me/notifications/)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from notifications import services
from notifications.models import Preference
from portal.api import ModelSerializer, valid


class PreferenceSerializer(ModelSerializer):
    stopped = serializers.BooleanField(required=False)

    class Meta:
        model = Preference
        fields = ["channel", "language", "stopped"]

    def to_representation(self, preference):
        return {**super().to_representation(preference), "stopped": bool(preference.stopped_at)}


class MyPreferenceApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=PreferenceSerializer)
    def get(self, request):
        return Response(PreferenceSerializer(services.preference_of(request.user)).data)

    @extend_schema(request=PreferenceSerializer, responses=PreferenceSerializer)
    def put(self, request):
        preference = services.preference_set(
            user=request.user, **valid(PreferenceSerializer, request.data, partial=True)
        )
        return Response(PreferenceSerializer(preference).data)
