from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from elasticsearch import ApiError, TransportError
from rest_framework import serializers
from rest_framework.exceptions import APIException
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from search import queries


class SearchUnavailable(APIException):
    status_code = 503
    default_detail = _("Search is briefly unavailable; please try again in a few minutes.")
    default_code = "search_unavailable"


class SuggestInput(serializers.Serializer):
    q = serializers.CharField(max_length=100, label=_("search text"))


class OccupationSuggestion(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class OccupationSuggestApi(APIView):
    """Typeahead for occupations: "tho h" or "thợ h" suggests "Thợ hàn…"."""

    permission_classes = [AllowAny]

    @extend_schema(parameters=[SuggestInput], responses=OccupationSuggestion(many=True))
    def get(self, request):
        params = SuggestInput(data=request.query_params)
        params.is_valid(raise_exception=True)
        try:
            found = queries.occupation_suggestions(params.validated_data["q"])
        except (TransportError, ApiError) as exc:
            raise SearchUnavailable from exc
        return Response(OccupationSuggestion(found, many=True).data)
