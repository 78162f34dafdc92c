"""Response headers Django's SecurityMiddleware does not set."""

from django.conf import settings
from django.utils.cache import patch_cache_control


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
