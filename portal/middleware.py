"""Response headers Django's SecurityMiddleware does not set."""

from django.conf import settings


def permissions_policy(get_response):
    """Permissions-Policy: the portal uses no camera, microphone, location, payment or USB; no page may."""

    def middleware(request):
        response = get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    return middleware
