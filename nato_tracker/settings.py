"""Settings for NATO Spending Tracker: one file, every value from the environment.

Local run mode (``make run``) sets DEBUG=1. Everywhere else DEBUG is off and SECRET_KEY must be
given. DATABASE_URL selects the database; without it an SQLite file in the project folder is used.
"""

import re
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (set DEBUG=1 for a local run)."
        )
    SECRET_KEY = "insecure-local-run-key-only-valid-with-DEBUG"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "members",
    "spending",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "nato_tracker.urls"
# A failed CSRF check answers in the format of the place: JSON under /api/.
CSRF_FAILURE_VIEW = "nato_tracker.errors.csrf_failure"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
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

WSGI_APPLICATION = "nato_tracker.wsgi.application"

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# --- charts ---
# Static files get content-hashed names (plotly-basic.min.3f2a….js) and WhiteNoise serves them
# compressed with a one-year cache, so plotly.js is downloaded once. Hashed names need
# `manage.py collectstatic`; STATIC_HASHED_NAMES=0 serves files under their own names straight
# from static/ (the local run, where DEBUG is on, and the test suite, see tests/conftest.py).
STATIC_HASHED_NAMES = env.bool("STATIC_HASHED_NAMES", default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_HASHED_NAMES
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
if STATIC_HASHED_NAMES:
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )

# --- public API v1 (spending/api/) ---
INSTALLED_APPS += ["rest_framework", "drf_spectacular", "drf_spectacular_sidecar"]
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
    # Every refusal of the API in one JSON shape: {detail, errors: [...]}.
    "EXCEPTION_HANDLER": "spending.api.errors.handle_exception",
    # The client's address comes from nato_tracker.clientip (see "client identity" below).
    "NUM_PROXIES": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "NATO Spending Tracker API",
    "DESCRIPTION": (
        "Read-only figures of NATO's Defence Expenditure of NATO Countries and each ally's "
        "progress toward the alliance's spending targets. Data: NATO (see the README)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the app's own static files: no CDN. (Redoc is not served: its page
    # loads Google Fonts.)
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Without deep links: Swagger UI puts each operation's link inside the button that opens it,
    # and an interactive control inside another is out of a screen reader's reach (axe
    # nested-interactive; swagger-api/swagger-ui#9570). Without a link, the button is plain.
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "spending.models.Status",
        "FiscalYearEnum": "members.models.FiscalYear",
        # Targets' floor/ceiling keep the name they had before fair-share/ brought its own kind.
        "KindEnum": "spending.models.Kind",
        "FairShareKindEnum": "spending.api.fairshare.ROW_KINDS",
    },
}
# Requests per client address, as DRF writes it ("120/minute"); cached answers count too.
API_ANON_THROTTLE_RATE = env.str("API_ANON_THROTTLE_RATE", default="120/minute")
if not re.fullmatch(r"[1-9]\d*/(second|minute|hour|day)", API_ANON_THROTTLE_RATE):
    raise ImproperlyConfigured(
        f"API_ANON_THROTTLE_RATE={API_ANON_THROTTLE_RATE!r}: use N/second, N/minute, N/hour "
        "or N/day with N at least 1."
    )
# Answers are keyed by the data version, so this only bounds memory, never staleness.
API_CACHE_SECONDS = env.int("API_CACHE_SECONDS", default=24 * 3600)

# --- imports ---
# Uploads of yearly figures (spending/importing/reading.py). Limits are in bytes; an XLSX is a zip
# archive, checked for its number of entries and expanded size before any XML is parsed.
IMPORT_MAX_UPLOAD_BYTES = env.int("IMPORT_MAX_UPLOAD_BYTES", default=5 * 1024 * 1024)
IMPORT_MAX_XLSX_ENTRIES = env.int("IMPORT_MAX_XLSX_ENTRIES", default=500)
IMPORT_MAX_XLSX_EXPANDED_BYTES = env.int(
    "IMPORT_MAX_XLSX_EXPANDED_BYTES", default=100 * 1024 * 1024
)
# Rows and cells of the table read from a file, checked while reading: NATO's workbook has a
# few hundred rows, a long-layout file of every figure about 7,000.
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=20_000)
IMPORT_MAX_CELLS = env.int("IMPORT_MAX_CELLS", default=400_000)
# A preview can be applied for this long, then it expires and is pruned at the next upload
# (or by `manage.py prune_previews`); each user keeps at most this many unapplied previews.
IMPORT_PREVIEW_HOURS = env.int("IMPORT_PREVIEW_HOURS", default=24)
IMPORT_MAX_PREVIEWS_PER_USER = env.int("IMPORT_MAX_PREVIEWS_PER_USER", default=20)
# --- API tokens (django-rest-knox, for the import API) ---
# Stored as SHA-512 digests only (the token is shown once, when made), each with an expiry, and
# all of a user's revoked when their password changes (nato_tracker/tokens.py).
INSTALLED_APPS += ["knox"]
API_TOKEN_HOURS = env.int("API_TOKEN_HOURS", default=7 * 24)
if API_TOKEN_HOURS < 1:
    raise ImproperlyConfigured(f"API_TOKEN_HOURS={API_TOKEN_HOURS}: a token lives 1 hour or more.")
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=API_TOKEN_HOURS),
    # The header stays `Authorization: Token …`, as with DRF's tokens before.
    "AUTH_HEADER_PREFIX": "Token",
}
# --- production ---
# Everything an operator sets for a real deployment; docker-compose.yml, .env.example and
# `make deploy-check` give the production values. Defaults keep `make run` and the tests (plain
# http, DEBUG off) working while staying safe wherever a value does not depend on HTTPS.
from csp.constants import NONE, SELF  # noqa: E402

from nato_tracker.cache import build_caches  # noqa: E402
from nato_tracker.clientip import parse_networks  # noqa: E402
from nato_tracker.throttle import parse_rate  # noqa: E402

# nginx (docker-compose.yml) sets X-Forwarded-Proto; only trust it behind that proxy.
if env.bool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
# Container health checks call these over plain http inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
# Browsers ignore HSTS over plain http and Django sends it only on secure requests.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
# Big enough for a NATO workbook upload, small enough that a hostile body is refused early.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE

# Every script and stylesheet comes from the app's own static files (no CDN, no inline script).
# Plotly injects <style> elements at run time, hence 'unsafe-inline' for styles only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
INSTALLED_APPS += ["csp"]
MIDDLEWARE.remove("django.middleware.security.SecurityMiddleware")
MIDDLEWARE = [
    "nato_tracker.requestlog.RequestIdMiddleware",
    # The site's 404 and 500 pages, DEBUG on or off (nato_tracker/errors.py).
    "nato_tracker.errors.BrandedErrorPagesMiddleware",
    # Before anything reads the URL: a NUL byte is a 400 naming the parameter.
    "nato_tracker.errors.RefuseNulBytesMiddleware",
    # First, so a plain-http request is redirected before anything is served.
    "django.middleware.security.SecurityMiddleware",
    # ETags and 304s for every page (the API may set its own ETag; this keeps it).
    "django.middleware.http.ConditionalGetMiddleware",
    # A cached page skips everything below; its security headers are stored with it.
    "nato_tracker.pagecache.PageCacheMiddleware",
    *MIDDLEWARE,
    "csp.middleware.CSPMiddleware",
    "nato_tracker.health.PermissionsPolicyMiddleware",
    "nato_tracker.health.DatabaseUnavailableMiddleware",
    # Last, as django-axes requires: refuses a locked-out login before the view runs.
    "axes.middleware.AxesMiddleware",
]

# --- client identity (nato_tracker/clientip.py) ---
# One rule for the throttles and the login lockout. X-Forwarded-For is read only when the peer
# is one of FORWARDED_ALLOW_IPS (the variable gunicorn reads too, so both trust the same
# proxies), and then only the address added by the API_NUM_PROXIES proxies in front of the app
# (1: nginx; 2: a load balancer and nginx). The defaults trust nothing but the loopback and no
# forwarded address at all: right for a gunicorn reachable directly.
TRUSTED_PROXY_COUNT = env.int("API_NUM_PROXIES", default=0)
FORWARDED_ALLOW_IPS = env.str("FORWARDED_ALLOW_IPS", default="127.0.0.1")
if TRUSTED_PROXY_COUNT not in (0, 1, 2, 3):
    raise ImproperlyConfigured(f"API_NUM_PROXIES={TRUSTED_PROXY_COUNT}: use 0 to 3.")
try:
    TRUSTED_PROXY_NETWORKS = parse_networks(FORWARDED_ALLOW_IPS)
except ValueError as error:
    raise ImproperlyConfigured(f"FORWARDED_ALLOW_IPS={FORWARDED_ALLOW_IPS!r}: {error}.") from None
if TRUSTED_PROXY_COUNT and "*" in FORWARDED_ALLOW_IPS:
    raise ImproperlyConfigured(
        "FORWARDED_ALLOW_IPS='*' with API_NUM_PROXIES set trusts X-Forwarded-For from anyone "
        "who reaches gunicorn: list the proxies' addresses or networks instead."
    )

# --- logins (django-axes) ---
# Failed logins are counted per user name and per client address; the LOGIN_FAILURE_LIMIT-th
# failure in a row locks that name and that address out of logging in (the public site and the
# API stay open) for LOGIN_LOCKOUT_MINUTES, counted from the lockout, so it ends by itself even
# while an attacker keeps trying. A correct password during the lockout is refused too.
INSTALLED_APPS += ["axes", "nato_tracker.apps.NatoTrackerConfig"]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "nato_tracker.clientip.client_ip"
AXES_HTTP_RESPONSE_CODE = 429
# Sessions end after SESSION_IDLE_MINUTES without a request (each request renews the expiry).
SESSION_COOKIE_AGE = 60 * env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_SAVE_EVERY_REQUEST = True

# Connections are kept for a minute and checked before reuse, so a restarted database is
# picked up by the next request without restarting the app.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=3)
    )

# Redis when REDIS_URL is set (shared by every app server), local memory otherwise; CACHE=off
# switches caching off (the benchmark's cold runs).
CACHES = build_caches(
    env.str("REDIS_URL", default=""),
    enabled=env.bool("CACHE", default=True),
    throttle_url=env.str("THROTTLE_REDIS_URL", default=""),
)

# The data version kept in the cache (nato_tracker/answercache.py), so a cached answer costs no
# database query: only a shared Redis hears of every process's writes, so 0 (ask the database on
# every request) without one. A write's cache update lost to a Redis outage lasts this long.
DATA_VERSION_CACHE_SECONDS = env.int(
    "DATA_VERSION_CACHE_SECONDS", default=60 if env.str("REDIS_URL", default="") else 0
)

# Public pages are cached whole under the data version (nato_tracker/pagecache.py); 0 turns
# that off. Entries never go stale (a write bumps the version); the timeout bounds memory.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
# Anonymous page requests per client address, cached or not (same form as the API's rate).
PAGE_ANON_THROTTLE_RATE = env.str("PAGE_ANON_THROTTLE_RATE", default="120/minute")
parse_rate("PAGE_ANON_THROTTLE_RATE", PAGE_ANON_THROTTLE_RATE)

# The benchmark's floor: a view that does nothing, routed only in bench mode.
BENCH_MODE = env.bool("BENCH_MODE", default=False)
if BENCH_MODE:
    MIDDLEWARE.insert(0, "nato_tracker.querycount.QueryCountMiddleware")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "nato_tracker.requestlog.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
            "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["stdout"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own request logger repeats what requestlog records; keep its errors only.
        "django.request": {"level": "ERROR"},
        "spending.importing": {"level": "INFO"},
        "nato_tracker.security": {"level": "INFO"},
        # Our own security events say the same with the address; keep axes' warnings only.
        "axes": {"level": "WARNING"},
    },
}
