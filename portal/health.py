"""GET /healthz: is every service the portal stands on answering?

Each check gets a short timeout, so a dead service makes the page say so within seconds instead
of hanging the load balancer's probe. A hand-written view rather than django-health-check: the
contract here is one flat JSON object, `{"database": "ok", "redis": "<error>", ...}`, and the
four checks together are shorter than that package's configuration. Only officers and probes on the machine
itself get that object; anyone else gets `{"status": "ok"}` or `{"status": "unavailable"}` (same codes).
"""

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from portal.celery import app as celery_app
from search.client import elasticsearch

TIMEOUT = 2  # seconds, per dependency


def check_database():
    with connection.cursor() as cursor:  # connect_timeout in settings bounds a dead server
        cursor.execute("SELECT 1")


def check_redis():
    redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=TIMEOUT, socket_timeout=TIMEOUT).ping()


def check_elasticsearch():
    health = elasticsearch().options(request_timeout=TIMEOUT).cluster.health()
    if health["status"] == "red":
        raise RuntimeError("cluster status red")


def check_celery_worker():
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=TIMEOUT)
        if not celery_app.control.ping(timeout=1.0, connection=conn):
            raise RuntimeError("no worker answered a ping")


CHECKS = {
    "database": check_database,
    "redis": check_redis,
    "elasticsearch": check_elasticsearch,
    "celery_worker": check_celery_worker,
}


LOOPBACK = {"127.0.0.1", "::1"}


def may_see_details(request) -> bool:
    """An error's text names hosts, ports and versions: officers see it once past the second factor, and probes
    on the machine itself (a request from loopback that no proxy forwarded); everyone else sees only whether the
    portal is up."""
    user = request.user
    if getattr(user, "is_officer", False) and user.is_verified():
        return True
    return request.META.get("REMOTE_ADDR") in LOOPBACK and "HTTP_X_FORWARDED_FOR" not in request.META


@never_cache
def healthz(request):
    report = {}
    for name, check in CHECKS.items():
        try:
            check()
            report[name] = "ok"
        except Exception as exc:  # the report's whole point is to say what failed, whatever it is
            report[name] = f"{type(exc).__name__}: {exc}"[:300]
    healthy = all(value == "ok" for value in report.values())
    if not may_see_details(request):
        report = {"status": "ok" if healthy else "unavailable"}
    return JsonResponse(report, status=200 if healthy else 503, json_dumps_params={"ensure_ascii": False})
