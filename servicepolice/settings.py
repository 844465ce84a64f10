"""Settings for ServicePolice, driven by environment variables (see .env.example)."""

import datetime
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off (see .env.example).")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"
elif not DEBUG and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    raise RuntimeError(
        "SECRET_KEY is too weak for DEBUG=0: use at least 50 random characters, e.g. "
        "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "rest_framework",
    "rest_framework.authtoken",
    "rest_framework_gis",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "leaflet",
    "simple_history",
    "axes",
    "stations",
    "officers",
    "meetings",
    "locator",
    "reach",
    "demo",
    "dataset",
    "exchange",
    "planning",
    "preferences",
    "access",  # roles and district scope: above every app, wires their admins
]

MIDDLEWARE = [
    "servicepolice.security.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "preferences.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Audit history: who (the request's user) and through which door (README, "Security").
    "simple_history.middleware.HistoryRequestMiddleware",
    "servicepolice.history.HistoryDoorMiddleware",
    # Last: turns a locked-out login into its answer (README, "Security").
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "servicepolice.urls"
WSGI_APPLICATION = "servicepolice.wsgi.application"
ASGI_APPLICATION = "servicepolice.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: SpatiaLite file under var/ by default; postgis://user:pass@host:5432/db for production.
DEFAULT_DATABASE_URL = f"spatialite:///{BASE_DIR / 'var' / 'servicepolice.sqlite3'}"
DATABASE_URL = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
SPATIALITE = DATABASES["default"]["ENGINE"].endswith("spatialite")
if SPATIALITE:
    # Connections persist here too (CONN_MAX_AGE): opening the file and loading mod_spatialite
    # took 3 to 35 ms per request, more than most pages' queries. In autocommit an idle
    # connection holds no lock on the file. Writers wait up to 20 s for each other instead of
    # failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it refuses a locked-out login before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ru"
LANGUAGES = [
    ("ru", _("Русский")),
    ("kk", _("Қазақша")),
    ("en", _("English")),
]
# locale/: our messages. locale_upstream/: Kazakh for the messages of Django and DRF that their
# own Kazakh catalogs lack (scripts/upstream_catalog.py lists them).
# Our messages; Kazakh corrections of Django's own admin/auth catalogs (some of Django's kk
# entries are wrong, e.g. "Өзгетру", "Өшіру/Уақыт"); Kazakh for the messages Django's kk lacks.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides", BASE_DIR / "locale_upstream"]
# Dates and numbers follow the active language; Kazakh's formats are ours (Django has none).
FORMAT_MODULE_PATH = ["servicepolice.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Almaty")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "servicepolice" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "var" / "media"

# Django 5.2 warns that GDAL < 3.9 is deprecated; Debian 12 ships 3.6, which works.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

# Security (README, "Security"): production (DEBUG=0) is strict by default and passes
# `manage.py check --deploy`; each setting can be relaxed through the environment.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = os.environ.get("SECURE_REFERRER_POLICY") or "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Behind a proxy that terminates TLS and redirects http itself, SECURE_SSL_REDIRECT may stay on
# (with SECURE_PROXY_SSL_HEADER=1 Django knows the request came over https) or be turned off.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS") or ("0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Maps: centred on Kazakhstan. The tile layer is the one thing fetched from outside; the
# pages stay usable (grey background, all layers) when tiles do not load.
MAP_TILES_URL = os.environ.get("MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILES_ATTRIBUTION = os.environ.get("MAP_TILES_ATTRIBUTION", "&copy; OpenStreetMap contributors")
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (48.0, 67.0),
    "DEFAULT_ZOOM": 5,
    "MIN_ZOOM": 3,
    "MAX_ZOOM": 18,
    "TILES": [
        (
            _("OpenStreetMap"),
            MAP_TILES_URL,
            {"attribution": MAP_TILES_ATTRIBUTION, "maxZoom": 19},
        )
    ],
    "SCALE": "metric",
    "RESET_VIEW": False,
}


# Content-Security-Policy (django-csp): scripts only from our static files or with the
# request's nonce (django-leaflet's admin map widgets carry it); map tiles from their server.
def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    host = parts.netloc.replace("{s}", "*")  # {s}.tile.example.org: any subdomain
    return f"{parts.scheme}://{host}" if parts.scheme and host else None


MAP_TILES_ORIGIN = _origin(MAP_TILES_URL)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        # Inline style attributes (the admin's, Swagger UI's) are not script; kept allowed.
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", *([MAP_TILES_ORIGIN] if MAP_TILES_ORIGIN else [])],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Login throttling (django-axes) on the admin login and the API token endpoint: after
# AXES_FAILURE_LIMIT failures for one username from one address, that pair is locked out for
# AXES_COOLOFF_MINUTES (429 with Retry-After); a success resets the count.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT") or 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES") or 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "servicepolice.security.lockout_response"
AXES_SENSITIVE_PARAMETERS = ["password"]
# Behind a proxy, the client address comes from X-Forwarded-For only when it is trusted.
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    if env_bool("SECURE_PROXY_SSL_HEADER", False)
    else ["REMOTE_ADDR"]
)

# Tolerance for "inside its district" checks, in metres: absorbs digitising noise along
# borders drawn at different scales (see README, "Validation").
TERRITORY_TOLERANCE_M = float(os.environ.get("TERRITORY_TOLERANCE_M", "50"))

# Walking radius (metres) that counts as "police within walking distance", by district kind;
# each district may set its own.
COVERAGE_RADIUS_M = {
    "urban": int(os.environ.get("COVERAGE_RADIUS_URBAN_M", "800")),
    "rural": int(os.environ.get("COVERAGE_RADIUS_RURAL_M", "5000")),
}
# Recompute a district's coverage in a background thread after a change is committed (1), or
# right after the commit in the same thread (0). Default: background on PostgreSQL; in-thread
# on SpatiaLite, whose single writer would make the two wait for each other.
COVERAGE_ASYNC = env_bool("COVERAGE_ASYNC", not SPATIALITE)

# Report meetings (README, "Meetings and suggestions"): held quarterly report meetings each
# inspector owes per quarter in the precinct they serve, and how many days before a quarter
# ends an inspector who has neither held nor planned one is flagged.
MEETINGS_PER_QUARTER = int(os.environ.get("MEETINGS_PER_QUARTER", "1"))
MEETINGS_WARNING_DAYS = int(os.environ.get("MEETINGS_WARNING_DAYS", "14"))
# Days a responsible body has for a suggestion when no route gives its own deadline.
SUGGESTION_DEADLINE_DAYS = int(os.environ.get("SUGGESTION_DEADLINE_DAYS", "30"))

# Imports and exports (README, "Import and export"). Regions and districts a file gives no KATO
# code for get a provisional one: this prefix and a running number (990000001, ...), to be
# replaced by the official code later. A settlement in a file matches a stored one of the same
# name in the same district only within this many metres (villages share names). Uploads in
# the admin's import pages may be this large (MB).
IMPORT_PROVISIONAL_KATO_PREFIX = os.environ.get("IMPORT_PROVISIONAL_KATO_PREFIX", "99")
IMPORT_POINT_MATCH_M = float(os.environ.get("IMPORT_POINT_MATCH_M", "1000"))
IMPORT_MAX_UPLOAD_MB = int(os.environ.get("IMPORT_MAX_UPLOAD_MB", "50"))
# Where an upload waits between the preview and the confirmation (outside MEDIA_ROOT: files may
# hold personal data and must never be served).
IMPORT_UPLOAD_DIR = Path(os.environ.get("IMPORT_UPLOAD_DIR") or BASE_DIR / "var" / "imports")
# Topology checks (check_territory): overlaps, gaps and parts outside a district smaller than
# this many square metres are digitising slivers and are not reported.
TOPOLOGY_MIN_AREA_M2 = float(os.environ.get("TOPOLOGY_MIN_AREA_M2", "1000"))

# API: authenticated writes (Django model permissions), anonymous reads of public data.
# A map page makes about 8 requests per load, and an office shares one address.
API_THROTTLE_ANON = os.environ.get("API_THROTTLE_ANON", "600/minute")
API_THROTTLE_USER = os.environ.get("API_THROTTLE_USER", "2000/minute")
API_MAX_BODY_BYTES = int(os.environ.get("API_MAX_BODY_BYTES", str(5 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = API_MAX_BODY_BYTES
# Any request body (file uploads included) larger than this is refused with 413 before it is
# read: the largest import upload plus room for the form around it.
REQUEST_MAX_BODY_BYTES = int(
    os.environ.get("REQUEST_MAX_BODY_BYTES") or (IMPORT_MAX_UPLOAD_MB + 1) * 1024 * 1024
)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
DATA_UPLOAD_MAX_NUMBER_FILES = 10
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: a missing or bad token gets 401 with a WWW-Authenticate challenge.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["servicepolice.permissions.ModelPermissionsOrPublicRead"],
    "DEFAULT_PARSER_CLASSES": [
        "servicepolice.api.JSONParser",
        "servicepolice.api.GeoJSONParser",
    ],
    "DEFAULT_RENDERER_CLASSES": ["servicepolice.api.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "servicepolice.api.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": API_THROTTLE_ANON, "user": API_THROTTLE_USER},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "servicepolice.api.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ServicePolice API",
    "DESCRIPTION": "Registry of precinct police stations, modular posts, inspectors and meetings.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "FacilityStatusEnum": "stations.models.FacilityStatus",
        "InspectorStatusEnum": "officers.models.Inspector.Status",
        "MeetingStatusEnum": "meetings.models.Meeting.Status",
        "SuggestionStatusEnum": "meetings.models.Suggestion.Status",
        "PlannedFacilityKindEnum": "planning.models.FacilityKind",
    },
}

DEMO_USERNAME = os.environ.get("DEMO_USERNAME", "demo")
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "demo-servicepolice")

# Personal data (phones, personnel numbers) is scrubbed from every log line and error report.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "personal_data": {"()": "servicepolice.security.PersonalDataFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["personal_data"]},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "filters": ["require_debug_false", "personal_data"],
            "level": "ERROR",
        },
    },
    # Django's own loggers get the same (filtered) handlers instead of its defaults.
    "loggers": {
        "django": {"handlers": ["console", "mail_admins"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
DEFAULT_EXCEPTION_REPORTER_FILTER = "servicepolice.security.PersonalDataExceptionReporterFilter"

# Audit history is read-only: its admin pages show versions and never restore one.
SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_EDIT = False

ADMIN_SITE_HEADER = _("ServicePolice — сервисная модель полиции")
ADMIN_INDEX_TITLE = _("Реестр участковой службы")
