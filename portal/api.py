"""What every API view shares: services' errors become 400/403 answers with a message per field;
input checked by `valid`; reference data by code, in and out."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django_filters import rest_framework as filters
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler

from portal.throttling import TooMany

# Reference data that outputs and reference lists name by code (a country's key is its ISO code already).
CODED = {"jobs.commune", "jobs.occupation", "jobs.programme"}


class CodedModelSerializer(serializers.ModelSerializer):
    """A model serializer whose relations to reference data take and give codes ("7212", "19333", "jp-titp"),
    the codes every output and `/api/v1/communes`, `/occupations`, `/programmes` give, never row ids."""

    def build_relational_field(self, field_name, relation_info):
        field_class, kwargs = super().build_relational_field(field_name, relation_info)
        if relation_info.related_model._meta.label_lower in CODED:
            return serializers.SlugRelatedField, {**kwargs, "slug_field": "code"}
        return field_class, kwargs


def valid(serializer_class, data, **kwargs) -> dict:
    """The input, checked: a 400 with a message per field when it is not right."""
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def handle_exception(exc, context):
    """Services raise Django's ValidationError and PermissionDenied; DRF answers its own kinds."""
    if isinstance(exc, ValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, TooMany):
        exc = exceptions.Throttled(exc.wait_seconds)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    return exception_handler(exc, context)


@csrf_exempt  # an answer to anything, writes included: the CSRF check would give its HTML 403 first
def not_found(request, *args, **kwargs):
    """An address under /api/v1/ that names no operation (an id that is not digits, a misspelt path): the
    API's own 404 in JSON, as its schema declares, not the site's HTML page."""
    return JsonResponse({"detail": str(exceptions.NotFound.default_detail)}, status=404)


class StrictFilters(filters.DjangoFilterBackend):
    """django-filter reads a yes/no filter it cannot parse (`?is_overseas=null`) as no filter at all and answers
    everything; the API answers 400 with the field's message instead, as its schema says (true or false)."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        for name, field in (filterset.filters if filterset is not None else {}).items():
            values = request.query_params.getlist(name)
            if isinstance(field, filters.BooleanFilter) and any(v.lower() not in ("true", "false") for v in values):
                raise exceptions.ValidationError({name: [serializers.BooleanField.default_error_messages["invalid"]]})
        return filterset
