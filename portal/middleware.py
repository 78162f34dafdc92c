"""Middleware of our own: response headers Django's SecurityMiddleware does not set, and a 503 rather than
a 500 when PostgreSQL is unreachable."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control
from django.utils.html import escape
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def permissions_policy(get_response):
    """Permissions-Policy: the portal uses no camera, microphone, location, payment or USB; no page may."""

    def middleware(request):
        response = get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    return middleware


def private_when_signed_in(get_response):
    """Every answer to a signed-in person (a profile, a data export, a list of applicants, a candidate's name)
    is theirs alone: `Cache-Control: private, no-store`, so no shared cache or browser keeps it after they
    leave. Pages and the API alike; public pages to anonymous visitors stay cacheable."""

    def middleware(request):
        response = get_response(request)
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response

    return middleware


RETRY_AFTER = 10  # seconds: a restart takes a few


class DatabaseUnavailable:
    """PostgreSQL unreachable (restarting, failing over, out of connections): a 503 saying so, never a 500.

    Django checks a kept connection before each request (CONN_HEALTH_CHECKS) and opens a new one within
    `connect_timeout`, so the first request after the database is back is served as usual: nothing to
    restart. The page is written here, without a template that could read the database again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning("Database unavailable for %s: %s", request.path, exception)
        message = _("The portal is briefly unavailable; please try again in a minute.")
        if request.path.startswith(("/api/", "/healthz")):
            response = JsonResponse({"detail": message}, status=503, json_dumps_params={"ensure_ascii": False})
        else:
            title = _("Quảng Trị Job Portal")
            response = HttpResponse(
                f'<!doctype html><html lang="{request.LANGUAGE_CODE}"><meta charset="utf-8">'
                f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{escape(title)}</title>'
                f"<h1>{escape(title)}</h1><p>{escape(message)}</p></html>",
                status=503,
            )
        response["Retry-After"] = str(RETRY_AFTER)
        return response
