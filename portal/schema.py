"""The OpenAPI schema's error answers, declared once for every operation rather than per view.

Every request may meet a wrong or revoked API key (401), a rate spent (429: the key's own, a throttle's)
and a database or search node away (503, portal/middleware.py and search/api.py). Operations that take
input may be refused it (400, a message per field); those not open to everyone may be refused to the
caller (403); those that name a record may not find it, or not show it to this caller (404,
jobs/permissions.py).
"""

import copy

from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny, IsAuthenticatedOrReadOnly


class Problem(serializers.Serializer):
    detail = serializers.CharField()


class FieldErrors(serializers.Serializer):
    """A list of messages under each field that was refused (`non_field_errors` for the whole input)."""

    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)


ANSWERS = {
    "400": OpenApiResponse(FieldErrors, "The input was refused: a list of messages per field"),
    "401": OpenApiResponse(Problem, "The API key is wrong or was revoked"),
    "403": OpenApiResponse(Problem, "Not signed in, or not allowed to do this"),
    "404": OpenApiResponse(Problem, "No such record, or not one this caller may see"),
    "429": OpenApiResponse(Problem, "Too many requests: try again after Retry-After seconds"),
    "503": OpenApiResponse(Problem, "A service the portal needs is unavailable: try again shortly"),
}


class AutoSchema(openapi.AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            responses.setdefault(code, self._get_response_for_code(ANSWERS[code], code, direction=direction))
        return responses

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if direction == "request" and isinstance(field, serializers.DecimalField):
            # portal.api.StrictInput takes a decimal as a number (12.5) or as the text the API writes ("12.50").
            meta = self._get_serializer_field_meta(field, direction)
            number = copy.copy(field)
            number.coerce_to_string = False
            mapped = super()._map_serializer_field
            forms = [mapped(form, direction, bypass_extensions) for form in (number, field)]
            return {"oneOf": [{k: v for k, v in form.items() if k not in meta} for form in forms], **meta}
        return super()._map_serializer_field(field, direction, bypass_extensions)

    def _get_parameters(self):
        parameters = super()._get_parameters()
        for parameter in parameters:
            if parameter["in"] == "query" and not parameter.get("required"):
                # An optional query field sent empty (`?level=`, as a web form sends a field left blank) is one
                # not sent: no filter, the default. DRF and django-filter read it so (portal.api.StrictFilters).
                parameter["allowEmptyValue"] = True
        return parameters

    def map_parsers(self):
        # Documented: JSON. The form encodings every view also reads carry each value as text ("0" for false),
        # which typed fields cannot describe; they stay documented where a view reads only them (file uploads).
        parsers = super().map_parsers()
        return ["application/json"] if "application/json" in parsers else parsers

    def _error_codes(self) -> list[str]:
        codes = ["401", "429", "503"]
        writes = self.method not in ("GET", "HEAD", "OPTIONS")
        if writes or self._get_filter_parameters() or self._process_override_parameters("request"):
            codes.append("400")
        permissions = self.view.get_permissions()
        # A write through the session cookie without its CSRF token is refused (403), even before signing in.
        csrf = writes and any(isinstance(a, SessionAuthentication) for a in self.view.get_authenticators())
        if csrf or not all(
            isinstance(p, AllowAny) or (isinstance(p, IsAuthenticatedOrReadOnly) and not writes) for p in permissions
        ):
            codes.append("403")
        # A record that is not there, a page past the last, or a worker's own record before their profile exists.
        if "{" in self.path or (self._is_list_view() and self._get_paginator()) or "/workers/me" in self.path:
            codes.append("404")
        return sorted(codes)
