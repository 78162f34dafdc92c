"""What every API view shares: input of exactly the types its schema gives (`Serializer`, `ModelSerializer`);
services' errors become 400/403 answers with a message per field; input checked by `valid`; reference data
by code, in and out."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django_filters import rest_framework as filters
from rest_framework import exceptions, serializers
from rest_framework.fields import empty
from rest_framework.utils import html
from rest_framework.views import exception_handler

from portal.throttling import TooMany

# Reference data that outputs and reference lists name by code (a country's key is its ISO code already).
CODED = {"jobs.commune", "jobs.occupation", "jobs.programme"}
# In a query string or a form every value is text: the spellings OpenAPI gives a boolean and an integer there,
# none of the others DRF would guess ("yes", "on", "1.0", " 1", "1_000").
BOOLEAN_TEXT = re.compile(r"true|false", re.IGNORECASE)
INTEGER_TEXT = re.compile(r"-?[0-9]+")


def _schema_type(field) -> tuple[tuple[type, ...], re.Pattern | None, str] | None:
    """The JSON types a field takes, the text it takes in a query string or form, and the key of its message
    for anything else: the type drf-spectacular documents for it (a decimal: a number, or the text the API
    writes, portal.schema; a related record: its key's type). None: the field checks its input itself (dates,
    lists, files...)."""
    if isinstance(field, serializers.BooleanField):
        return (bool,), BOOLEAN_TEXT, "invalid"
    if isinstance(field, serializers.IntegerField):
        return (int,), INTEGER_TEXT, "invalid"
    if isinstance(field, serializers.FloatField):
        return (int, float), None, "invalid"
    if isinstance(field, serializers.PrimaryKeyRelatedField):
        if isinstance(field.get_queryset().model._meta.pk, models.IntegerField):
            return (int,), INTEGER_TEXT, "incorrect_type"
        return (str,), None, "incorrect_type"
    if isinstance(field, serializers.ChoiceField):
        return tuple({str if isinstance(key, str) else type(key) for key in field.choices}), None, "invalid_choice"
    if isinstance(field, serializers.DecimalField):
        return (int, float, str), None, "invalid"
    if isinstance(field, serializers.CharField | serializers.SlugRelatedField):
        return (str,), None, "invalid"
    return None


def _mistyped(field, value, *, text: bool) -> str | None:
    """The field's own message when `value` is not of the type the schema gives it, else None."""
    if isinstance(field, serializers.ManyRelatedField | serializers.ListField) and isinstance(value, list):
        child = field.child_relation if isinstance(field, serializers.ManyRelatedField) else field.child
        return next(filter(None, (_mistyped(child, item, text=text) for item in value)), None)
    if isinstance(field, serializers.DictField) and isinstance(value, dict):
        return next(filter(None, (_mistyped(field.child, item, text=text) for item in value.values())), None)
    kind = _schema_type(field)
    if kind is None or value is None:  # null: the field's own allow_null decides
        return None
    json_types, pattern, key = kind
    if text:  # what is not text here is DRF's own stand-in for a field left out of a form
        right = not isinstance(value, str) or pattern is None or pattern.fullmatch(value) is not None
    else:  # JSON's true and false are not the integers 1 and 0 here, though Python's bool is an int
        right = isinstance(value, json_types) and (bool in json_types or not isinstance(value, bool))
    # The schema's maxLength counts what is sent; DRF would count it after trimming the spaces around it.
    if right and isinstance(field, serializers.CharField) and field.max_length is not None and isinstance(value, str):
        right, key = len(value) <= field.max_length, "max_length"
    if right:
        return None
    try:
        field.fail(key, input=value, data_type=type(value).__name__, max_length=getattr(field, "max_length", None))
    except serializers.ValidationError as refused:
        return refused.detail[0]


class StrictInput:
    """Every API input takes exactly what its schema says, in one place: DRF would turn the JSON number 0 into
    the text "0", 0 and 1 into false and true, "1.0" and true into integers, 7212 into the code "7212"; here
    each is a 400 with the field's own message. In a query string or form, where every value is text, a
    boolean is true or false and an integer is digits."""

    def to_internal_value(self, data):
        if isinstance(data, dict):  # anything else: DRF's own "expected a dictionary"
            text = html.is_html_input(data)
            errors = {}
            for field in self._writable_fields:
                value = field.get_value(data)
                message = None if value is empty else _mistyped(field, value, text=text)
                if message is not None:
                    errors[field.field_name] = [message]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class Serializer(StrictInput, serializers.Serializer):
    pass


class ModelSerializer(StrictInput, serializers.ModelSerializer):
    pass


class CodedModelSerializer(ModelSerializer):
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
    everything; the API answers 400 with the field's message instead, as its schema says (true or false; empty,
    as a form sends it, is no filter: portal.schema)."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        for name, field in (filterset.filters if filterset is not None else {}).items():
            values = request.query_params.getlist(name)
            if isinstance(field, filters.BooleanFilter) and any(v and not BOOLEAN_TEXT.fullmatch(v) for v in values):
                raise exceptions.ValidationError({name: [serializers.BooleanField.default_error_messages["invalid"]]})
        return filterset
