"""Settings for the Quảng Trị job portal: one file, read from the environment.

django-environ parses every variable; a malformed value (a port that is not a number, a URL
without a scheme) stops the process at start with the variable's name, never later at run time.
The defaults are those of a developer machine: scripts/services.sh starts PostgreSQL, Redis and
Elasticsearch on 127.0.0.1 with exactly these addresses.
"""

from pathlib import Path

import environ
import orjson
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal.secrets import check_fernet_keys, refuse_known_keys

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# `make setup` writes .env once per machine, with keys of its own and DJANGO_DEBUG=true (git-ignored);
# real environment variables win over it. DJANGO_ENV_FILE names another file (/dev/null: none).
environ.Env.read_env(env.str("DJANGO_ENV_FILE", default=str(BASE_DIR / ".env")))


def flag(name: str, default: bool) -> bool:
    """A boolean variable: true/false, yes/no, on/off or 1/0. Anything else (`ture`) stops the start:
    django-environ would read it as false, silently."""
    value = env.str(name, default="").strip().lower()
    if not value:
        return default
    if value in ("true", "yes", "on", "1"):
        return True
    if value in ("false", "no", "off", "0"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


DEBUG = flag("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# --- HTTPS, cookies and headers: safe by default outside DEBUG (`manage.py check --deploy` is clean) ---
SECURE_SSL_REDIRECT = flag("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the container's own health probe speaks HTTP on loopback
SESSION_COOKIE_SECURE = flag("DJANGO_SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = flag("DJANGO_CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = flag("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = flag("DJANGO_SECURE_HSTS_PRELOAD", default=not DEBUG)
# Behind a reverse proxy that terminates TLS and sets the header (and strips a client's own), for example
# X-Forwarded-Proto=https; unset, Django trusts only the connection itself.
if proxy_header := env.str("DJANGO_SECURE_PROXY_SSL_HEADER", default=""):
    header, value = (part.strip() for part in proxy_header.partition("=")[::2])
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + header.upper().replace("-", "_"), value or "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"  # portal/middleware.py
# No inline script or style anywhere (JSON for scripts goes through json_script, type application/json).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.sitemaps",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "accounts",
    "search",
    "jobs",
    "candidates",
    "desk",
    "training",
    "fairs",
    "frontend",
    "notifications",
    "portal",  # the composition root as an app for its one command, seed_demo (every app's demo data)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "portal.middleware.permissions_policy",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): officers' second factor
    "portal.middleware.private_when_signed_in",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.middleware.DatabaseUnavailable",  # PostgreSQL unreachable: a 503, not a 500
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default="postgres://portal:portal@127.0.0.1:5432/portal"),
}
# A dead database must not hang a request (or /healthz) for the OS default of minutes.
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env.int("DATABASE_CONNECT_TIMEOUT", default=3)
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# Every sign-in (API, pages, admin) goes through the one backend that counts failures (accounts/signin.py).
AUTHENTICATION_BACKENDS = ["accounts.signin.LimitedModelBackend"]

REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "portal.cache.FailOpenRedisCache",  # Redis down: a miss, not a 500
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
}

# Vietnamese first, English second; dates and numbers in the Vietnamese way (27/11/2026, 12.000).
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["portal.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Files the portal writes (the monthly report workbooks). Never served as public static files: officers
# download them through a view that checks who they are.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Fernet keys for personal data encrypted at rest (candidates/crypto.py): the first encrypts, all
# decrypt. Generate one with Fernet.generate_key() from the cryptography package (see .env.example).
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS")
FIELD_BLIND_INDEX_KEY = env.str("FIELD_BLIND_INDEX_KEY")
if not DEBUG:  # a key anyone can read in this repository protects nothing
    refuse_known_keys(
        DJANGO_SECRET_KEY=[SECRET_KEY],
        FIELD_ENCRYPTION_KEYS=FIELD_ENCRYPTION_KEYS,
        FIELD_BLIND_INDEX_KEY=[FIELD_BLIND_INDEX_KEY],
    )
check_fernet_keys(FIELD_ENCRYPTION_KEYS)

# --- Elasticsearch: a derived, rebuildable view of PostgreSQL -------------------------------
# One node, or a cluster's nodes separated by commas: the client spreads requests over them and moves
# off a dead one (a request that fails on one node is retried on another).
ELASTICSEARCH_URL = env.list("ELASTICSEARCH_URL", default=["http://127.0.0.1:9200"])
ELASTICSEARCH_TIMEOUT = env.float("ELASTICSEARCH_TIMEOUT", default=5.0)
# Every index and alias name starts with this, so a test run or a second portal shares a node safely.
SEARCH_INDEX_PREFIX = env.str("SEARCH_INDEX_PREFIX", default="portal")
# Copies of each shard on other nodes: 0 on one node; 1 in a cluster of three, so a node's loss loses nothing.
SEARCH_INDEX_REPLICAS = env.int("SEARCH_INDEX_REPLICAS", default=0)
# Anonymous search clients share this rate per IP (DRF throttle on the Redis cache); beyond it, 429.
SEARCH_ANON_RATE = env.str("SEARCH_ANON_RATE", default="120/min")
SEARCH_USER_RATE = env.str("SEARCH_USER_RATE", default="600/min")
# Statistics (the public API, the officers' dashboard and its files), per user or, signed out, per address.
STATISTICS_RATE = env.str("STATISTICS_RATE", default="60/min")
# Safe work abroad, no sign-in, per user or address (pages and API share them): reports about a vacancy, an
# organisation or a broker; following a report by its code; the agency check (generous: several spellings).
REPORT_RATE = env.str("REPORT_RATE", default="5/hour")
CASE_FOLLOW_RATE = env.str("CASE_FOLLOW_RATE", default="20/hour")
AGENCY_CHECK_RATE = env.str("AGENCY_CHECK_RATE", default="60/hour")

# --- Celery: all slow work; Redis as the broker ----------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# Publishing happens inside web requests: with Redis down it must fail within seconds, so that the
# write still commits and the reconcile task picks it up later (see search/services.py).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2}
# The worker and beat wait for a lost broker as long as it takes (None: no limit), never exiting.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# Every task is idempotent (sync by ids, imports under their lock, reports rebuilt whole), so a message is
# acknowledged only once its task has finished, and a worker that dies mid-task leaves it to another one:
# at once if the pool's child died, after `visibility_timeout` if the whole worker (or its machine) did.
# That timeout must exceed the longest task (an import, killed at IMPORT_SOFT_TIME_LIMIT + 60 s: 21 minutes)
# and the longest retry countdown (5 minutes), or a task still running would be handed to a second worker.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # a dying worker holds one waiting message, not four
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=1800),
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Imports read uploaded files for minutes: they have a queue and a worker of their own (supervisord, compose),
# with memory and time limits, so indexing and the nightly tasks never wait behind them.
IMPORTS_QUEUE = "imports"
CELERY_TASK_ROUTES = {"desk.tasks.run_import": {"queue": IMPORTS_QUEUE}}
IMPORT_SOFT_TIME_LIMIT = env.int("IMPORT_SOFT_TIME_LIMIT", default=20 * 60)  # 20.000 vacancies take 10 minutes
CELERY_BEAT_SCHEDULE_FILENAME = env.str(
    "CELERY_BEAT_SCHEDULE_FILENAME", default=str(BASE_DIR / "var" / "celerybeat-schedule")
)
CELERY_BEAT_SCHEDULE = {
    # Rows whose indexing task was lost (Redis down at commit): cheap, so often.
    "search-reconcile": {
        "task": "search.tasks.reconcile",
        "schedule": env.float("SEARCH_RECONCILE_SECONDS", default=60.0),
    },
    # Documents whose row was deleted while the broker was down: a scan of every id, so hourly.
    "search-sweep": {"task": "search.tasks.reconcile", "schedule": 3600.0, "kwargs": {"sweep": True}},
    # Deadlines pass at midnight, Vietnam time.
    "vacancies-expire": {"task": "jobs.tasks.expire_vacancies", "schedule": crontab(minute=5, hour=0)},
    # Law 91/2025 art. 25: applicants who were not recruited are not kept (candidates/services.py).
    "applications-purge": {
        "task": "candidates.tasks.purge_unselected_applications",
        "schedule": crontab(minute=20, hour=0),
    },
    # The department's monthly workbook of the month just ended, e-mailed to the officers.
    "desk-monthly-report": {"task": "desk.tasks.monthly_report", "schedule": crontab(minute=0, hour=6, day_of_month=1)},
    "desk-import-files-purge": {"task": "desk.tasks.purge_import_files", "schedule": crontab(minute=40, hour=0)},
    "jobs-stream-purge": {"task": "jobs.tasks.purge_stream", "schedule": crontab(minute=55, hour=0)},
    "fairs-registrations-purge": {"task": "fairs.tasks.purge_registrations", "schedule": crontab(minute=45, hour=0)},
    "search-zero-results-purge": {"task": "search.tasks.purge_zero_results", "schedule": crontab(minute=50, hour=0)},
    # What a lost message (broker down at the upload, at 06:00 on the 1st) or a dead worker left undone.
    "desk-imports-sweep": {"task": "desk.tasks.sweep_imports", "schedule": env.float("SWEEP_SECONDS", default=60.0)},
    "desk-monthly-report-sweep": {
        "task": "desk.tasks.monthly_report",
        "schedule": crontab(minute=0, hour=7),
        "kwargs": {"unless_built": True},
    },
}

# --- API -------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "portal.schema.AutoSchema",  # every error answer documented once
    # An organisation's key (jobs/keys.py) first: its challenge makes a wrong key a 401.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "jobs.keys.ApiKeyAuthentication",
        "accounts.authentication.VerifiedSession",  # officers: with TOTP
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["portal.api.StrictFilters"],  # a yes/no filter it cannot read is a 400
    # orjson writes a page of search results in a tenth of the standard library's time.
    "DEFAULT_RENDERER_CLASSES": [
        "drf_orjson_renderer.renderers.ORJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "ORJSON_RENDERER_OPTIONS": [orjson.OPT_NON_STR_KEYS],  # choices as keys (an indicator's errors, say)
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "portal.api.handle_exception",
    # Whom to believe about the client's address, for rate limits: with 0, the socket's; behind one
    # reverse proxy, 1. Never unset: a client could then pick its own X-Forwarded-For and escape the limit.
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cổng việc làm Quảng Trị — API",
    "DESCRIPTION": "Việc làm trong tỉnh và đi làm việc ở nước ngoài theo hợp đồng. "
    "Jobs at home and contract work abroad for Quảng Trị province.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from our own domain: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "jobs.models.Organisation.Kind",
        "CommuneKindEnum": "jobs.models.Commune.Kind",
        "FeeRuleKindEnum": "jobs.models.FeeRule.Kind",
        "ImportJobKindEnum": "desk.models.ImportJob.Kind",
        "VacancyStatusEnum": "jobs.models.Vacancy.Status",
        "LicenceStatusEnum": "jobs.models.Organisation.LicenceStatus",
        "ApplicationStatusEnum": "candidates.models.Application.Status",
        "PlacementStatusEnum": "candidates.models.Placement.Status",
        "TrainingLevelEnum": "jobs.models.TrainingLevel",
        "VacancySexEnum": "jobs.models.Vacancy.Sex",
        "WorkerSexEnum": "candidates.models.Sex",
        "PriorityGroupEnum": "candidates.models.PriorityGroup",
        "CourseLevelEnum": "training.models.CourseLevel",
        "LanguageFrameworkEnum": "jobs.models.LanguageRequirement.Framework",
    },
}

# E-mail (the monthly report): the console unless a server is configured, e.g. smtp://user:pass@host:587
# (smtps:// or smtp+tls:// for STARTTLS, smtp+ssl:// for TLS from the start).
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_FILE_PATH = _email["EMAIL_FILE_PATH"]
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Cổng việc làm Quảng Trị <noreply@localhost>")
# Every page sends a signed-out visitor to the portal's own sign-in (a mobile number or a user name);
# officers land on the desk from there. The admin keeps its own.
LOGIN_URL = "signin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"elastic_transport": {"level": "WARNING"}},  # not a line per request
}

# --- Reaching people: one-time codes, sign-in limits, notifications (accounts/, notifications/) ---
# The key of the one-time codes' HMAC: a code is never stored, only HMAC(key, purpose|number|code).
PHONE_CODE_KEY = env.str("PHONE_CODE_KEY")
if not DEBUG:
    refuse_known_keys(PHONE_CODE_KEY=[PHONE_CODE_KEY])
PHONE_CODE_NUMBER_RATE = env.str("PHONE_CODE_NUMBER_RATE", default="5/h")  # codes a number may receive
PHONE_CODE_ADDRESS_RATE = env.str("PHONE_CODE_ADDRESS_RATE", default="20/h")  # codes one address may ask for
# Failed sign-ins: from one address for one account (the attacker's lock), for one account from everywhere
# (looser: a spread-out attack slows down without locking the owner out), from one address for any account.
SIGNIN_PAIR_RATE = env.str("SIGNIN_PAIR_RATE", default="5/15m")
SIGNIN_ACCOUNT_RATE = env.str("SIGNIN_ACCOUNT_RATE", default="50/h")
SIGNIN_ADDRESS_RATE = env.str("SIGNIN_ADDRESS_RATE", default="30/15m")
OTP_TOTP_ISSUER = "Cổng việc làm Quảng Trị"
# Links in messages (the stop link, the page a message is about) start with this.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Providers. Locally (make run, make test) these point at notifications/devservers.py on loopback.
ESMS_URL = env.str("ESMS_URL", default="http://127.0.0.1:18030")  # production: https://rest.esms.vn
ESMS_API_KEY = env.str("ESMS_API_KEY", default="local")
ESMS_SECRET_KEY = env.str("ESMS_SECRET_KEY", default="local")
ESMS_BRANDNAME = env.str("ESMS_BRANDNAME", default="SONOIVU-QT")
ZALO_ZNS_URL = env.str("ZALO_ZNS_URL", default="http://127.0.0.1:18031")  # production: https://business.openapi.zalo.me
ZALO_ACCESS_TOKEN = env.str("ZALO_ACCESS_TOKEN", default="local")
# The ZNS template registered with Zalo for each kind of event, e.g. ZALO_TEMPLATES=application_moved=251234,...
ZALO_TEMPLATES = env.dict("ZALO_TEMPLATES", default={})
SMS_PRICE_VND = env.int("SMS_PRICE_VND", default=800)  # the contract's price of one SMS segment
ZALO_PRICE_VND = env.int("ZALO_PRICE_VND", default=300)  # and of one ZNS message
NOTIFY_HTTP_TIMEOUT = env.float("NOTIFY_HTTP_TIMEOUT", default=10.0)
NOTIFY_RETRY_BASE_SECONDS = env.float("NOTIFY_RETRY_BASE_SECONDS", default=15.0)  # doubled each try, at most 30 min
# Nothing but codes between 21:00 and 07:00, Vietnam time: such messages wait, they are not dropped.
# "21-7"; empty turns them off (the notifications benchmark does, to run at any hour).
NOTIFY_QUIET_HOURS = tuple(int(h) for h in env.str("NOTIFY_QUIET_HOURS", default="21-7").split("-") if h) or None
NOTIFY_REF_PREFIX = env.str("NOTIFY_REF_PREFIX", default="qt-")  # message ids as the providers' request ids
NOTIFY_PARALLEL = env.int("NOTIFY_PARALLEL", default=16)  # provider requests one delivery task has in flight
# Delivery has a queue and a worker of its own, started at a lower CPU priority (supervisord, compose): a burst
# of 10.000 messages waits behind indexing and imports for the cores, never the other way round.
NOTIFY_QUEUE = "messages"
CELERY_TASK_ROUTES["notifications.tasks.*"] = {"queue": NOTIFY_QUEUE}
CELERY_BEAT_SCHEDULE["notifications-sweep"] = {"task": "notifications.tasks.sweep", "schedule": 60.0}
# Digests and reminders, once a day after the quiet hours (candidates/digests.py), on the messages' queue too.
CELERY_TASK_ROUTES["candidates.tasks.daily_digests"] = {"queue": NOTIFY_QUEUE}
CELERY_BEAT_SCHEDULE["notifications-daily"] = {
    "task": "candidates.tasks.daily_digests",
    "schedule": crontab(minute=30, hour=7),
}
# Saved searches and match alerts (search/alerts.py): pending vacancies swept each minute, digests after 07:00.
CELERY_BEAT_SCHEDULE["search-percolate"] = {"task": "search.tasks.percolate_pending", "schedule": 60.0}
CELERY_BEAT_SCHEDULE["search-alert-digests"] = {
    "task": "search.tasks.alert_digests",
    "schedule": crontab(minute=35, hour=7),
}
