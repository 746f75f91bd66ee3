"""Settings for the civilian-harm claims tracker.

One file, driven by the environment (see `.env.example`): production differs from a developer's
machine only by environment variables.
"""

import os
from datetime import date, timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY") or ""
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment, or set DEBUG=true for a "
            "development-only key."
        )
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1" if DEBUG else "")

INSTALLED_APPS = [
    # The project's own commands; before staticfiles, whose `runserver` ours extends.
    "casualty_tracker.apps.ProjectConfig",
    "casualty_tracker.apps.TrackerAdminConfig",  # django.contrib.admin, with our site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "claims",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files with hashed names and long cache headers, before anything touches the database.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The database down: 503 with Retry-After instead of a 500 (casualty_tracker/health.py).
    "casualty_tracker.health.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The reader's language: /ar/... is Arabic, every other public address English; the API's
    # labels follow Accept-Language (casualty_tracker/languages.py).
    "casualty_tracker.languages.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records who made each change in the history tables.
    "simple_history.middleware.HistoryRequestMiddleware",
    # ETag, Cache-Control and 304 for public reads, from the data version; outside the security
    # headers, so that a cached answer gets them afresh (casualty_tracker/conditional.py).
    "casualty_tracker.conditional.ConditionalGetMiddleware",
    # ٠-٩ on Arabic pages when ARABIC_DIGITS says so (casualty_tracker/digits.py); inside the
    # conditional middleware, so that a cached answer is cached with its digits.
    "casualty_tracker.digits.ArabicDigitsMiddleware",
]

ROOT_URLCONF = "casualty_tracker.urls"

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
                "casualty_tracker.opendata.site",
            ],
        },
    },
]

WSGI_APPLICATION = "casualty_tracker.wsgi.application"

# With no DATABASE_URL the app runs on an embedded SQLite file; with
# DATABASE_URL=postgres://... on PostgreSQL, the production database. An empty value counts as
# unset (dj_database_url raises on an empty string).
SQLITE_PATH = Path(os.environ.get("SQLITE_PATH") or BASE_DIR / "db.sqlite3")
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{SQLITE_PATH}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A request is short; waiting a little for a writer beats "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    # Write-ahead log: pages keep reading while a background import writes for minutes (with
    # SQLite's default journal, a large write transaction locks readers out until it commits).
    DATABASES["default"]["OPTIONS"]["init_command"] = "PRAGMA journal_mode=WAL;"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ModelBackend, loading a signed-in user's roles with the user (the admin checks them each page).
AUTHENTICATION_BACKENDS = ["casualty_tracker.backends.RoleModelBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
# The public pages in both languages (docs/i18n.md): English at today's addresses, Arabic at /ar/.
LANGUAGES = [("en-gb", "English"), ("ar", "العربية")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The digits of numbers and dates on Arabic pages and charts: "latin" (0-9, the default, as most
# Arabic news sites in Iraq and Syria print them) or "arabic-indic" (٠-٩); see digits.py.
ARABIC_DIGITS = os.environ.get("ARABIC_DIGITS") or "latin"
if ARABIC_DIGITS not in ("latin", "arabic-indic"):
    raise ImproperlyConfigured(
        f'ARABIC_DIGITS must be "latin" or "arabic-indic", not {ARABIC_DIGITS!r}.'
    )
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Behind TLS in production: set SECURE_SSL_REDIRECT=true and SECURE_HSTS_SECONDS=31536000.
# HSTS is off until configured, and its two reaches are opt-in: includeSubDomains binds every
# subdomain of the host to HTTPS, preload asks browsers to ship the rule (hard to undo). Only
# whoever runs the domain can decide them, so Django's deploy check does not ask for them.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS") or 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
# models.W040: SQLite builds an index without its INCLUDE columns (the strikes' list order keeps
# the key for PostgreSQL's index-only scans, claims.models.records.Strike); the index serves there
# as a plain one, which is all SQLite needs.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021", "models.W040"]
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", default=False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

if not DEBUG:
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)

# Who the monthly reports speak for: "During the month of March 2017, <body> carried over ...".
REPORTING_BODY = os.environ.get("REPORTING_BODY", "the Coalition")

# --- Open data: links, licence, citation (claims/links.py, casualty_tracker/opendata.py) -----
# Absolute links where there is no request to take them from (commands, background builds).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Who publishes the data: the citations' author and publisher, the Dataset's creator.
SITE_NAME = os.environ.get("SITE_NAME", "Civilian-harm claims tracker")
# The data's licence: every page's footer, every response's Link rel="license", the Dataset.
DATA_LICENCE = {
    "name": os.environ.get("DATA_LICENCE_NAME", "CC BY 4.0"),
    "url": os.environ.get("DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/"),
}

# --- Dates that make sense (claims/dates.py) -------------------------------------------------
# The earliest date any record may carry (strikes, claims, assessments, reopenings, independent
# findings); the latest is today. Not earlier than 1990-01-01, the database's own floor.
try:
    CAMPAIGN_START = date.fromisoformat(os.environ.get("CAMPAIGN_START") or "1990-01-01")
except ValueError:
    raise ImproperlyConfigured(
        f"CAMPAIGN_START must be a date written YYYY-MM-DD, not {os.environ['CAMPAIGN_START']!r}."
    ) from None
# ----------------------------------------------------------------------------------------------

# How a claim's location is published unless a reviewer decides otherwise (claims.definitions.
# LocationDisclosure): exact, rounded (about 1 km), locality, province or withheld. Rounded by
# default: publishing a point to the metre is a reviewer's decision, never an accident.
LOCATION_DISCLOSURE_DEFAULT = os.environ.get("LOCATION_DISCLOSURE_DEFAULT") or "rounded"

# Unambiguous date formats (see casualty_tracker/formats/en/formats.py).
FORMAT_MODULE_PATH = ["casualty_tracker.formats"]

# History is evidence: the admin shows it but never reverts to it.
SIMPLE_HISTORY_REVERT_DISABLED = True
# A change reason names the file and its SHA-256 (64 characters): more than the default 100.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# --- Security headers (casualty_tracker/headers.py) -----------------------------------------
# A strict Content-Security-Policy (django-csp 4): everything from this origin, no inline script
# or style (the API docs' inline script and style carry the request's nonce; the admin may inline
# styles, never scripts), no plugins, no framing, forms post only here. And a Permissions-Policy
# that turns off the browser features no page here uses.
from csp.constants import NONCE, NONE, SELF  # noqa: E402

INSTALLED_APPS += ["csp"]
MIDDLEWARE += ["casualty_tracker.headers.SecurityHeadersMiddleware"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)

# --- Login protection (django-axes; casualty_tracker/lockout.py) ----------------------------
# Failed sign-ins are counted per account and per address: LOGIN_FAILURE_LIMIT failures for one
# username (from any address: a guess spread over many machines) or from one address (on any
# usernames: one machine trying many accounts) lock that username or that address for
# LOGIN_COOLOFF_MINUTES. Any attempt during the lockout, even with the right password, is refused
# and restarts the wait. The price: someone who knows a username can keep it locked; a superuser
# unlocks it (admin: Access attempts, delete its rows; or `manage.py axes_reset_username NAME`).
# The counters are rows in the database (axes' database handler), which every worker and every
# app server shares whatever the cache is, and which the admin lists and deletes to unlock.
# Password sign-in exists only on /admin/login/ (the API takes tokens and sessions).
INSTALLED_APPS += ["axes"]
# First: it refuses a locked-out client before any backend checks a password.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", *AUTHENTICATION_BACKENDS]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]  # last, as axes documents
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT") or 5)
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES") or 15))
AXES_CLIENT_IP_CALLABLE = "casualty_tracker.lockout.client_ip"  # X-Forwarded-For behind a proxy
AXES_LOCKOUT_CALLABLE = "casualty_tracker.lockout.lockout_response"  # 429 with the time to retry

# --- REST API (/api/v1/; claims/api/, reports/api.py) ---------------------------------------
INSTALLED_APPS += [
    "rest_framework",
    "rest_framework.authtoken",  # API keys: the admin's "Tokens" or `manage.py drf_create_token`
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # swagger-ui served from our own static files, no CDN
]

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    # Token first: an unauthenticated write is a 401 with `WWW-Authenticate: Token` (session
    # authentication has no challenge, so DRF would answer 403). Session writes need CSRF.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Reads are public; every write also needs a role (claims.roles), checked by the services.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "claims.api.negotiation.ContentNegotiation",
    "DEFAULT_FILTER_BACKENDS": [
        "claims.api.filters.StrictFilterBackend",
        "claims.api.filters.SearchFilter",
        "claims.api.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "claims.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": [
        "claims.api.throttling.AnonThrottle",
        "claims.api.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_ANON_RATE") or "100/min",
        "user": os.environ.get("API_USER_RATE") or "1000/min",
    },
    "EXCEPTION_HANDLER": "claims.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "claims.api.schema.AutoSchema",
    # Coordinates and other decimals are JSON numbers, not strings.
    "COERCE_DECIMAL_TO_STRING": False,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Civilian-harm claims tracker API",
    "DESCRIPTION": (
        "Public records of claims of civilian harm, the strikes they concern, the approved "
        "assessments of them, independent organisations' findings and the monthly figures. "
        "Only approved assessments are published; internal notes, drafts, comments, reviewers' "
        "identities and unpublished victims never are. Analysts and reviewers write with a "
        "token (`Authorization: Token <key>`) or their session: strikes and claims, proposals, "
        "approvals, returns and reopenings, through the same rules as the admin. See the "
        "README's API section."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No call to the public validator.swagger.io: the docs page fetches nothing from outside.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,  # the values are words; 249 countries bloat it
    # One name per vocabulary, whichever field uses it.
    "ENUM_NAME_OVERRIDES": {
        "OutcomeEnum": "claims.definitions.Outcome",
        "ReasonEnum": "claims.definitions.Reason",
        "GradeEnum": "claims.definitions.Grade",
        "DiligenceEnum": "claims.definitions.Diligence",
        "ClaimStatusEnum": "claims.definitions.ClaimStatus",
        "CountryEnum": "claims.countries.COUNTRY_CHOICES",
    },
}

# --- Serving in production (`make serve`: gunicorn + whitenoise; docs/deploy.md) -------------
# `collectstatic` writes every static file under a content-hashed name, compressed beside it;
# whitenoise serves the hashed ones with a year's cache headers. The pages name the hashed files
# ({% static %} reads the manifest), so a missing manifest is an error: run collectstatic first
# (`make serve` does). The tests use plain storage (tests/conftest.py).
STORAGES = {
    # MEDIA_ROOT: files the app writes (the downloads zip, reports/downloads.py), which every web
    # server and the worker must share.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

MEDIA_ROOT = os.environ.get("MEDIA_ROOT") or str(BASE_DIR / "media")

# One cache for every worker, so throttles (and anything else counted in the cache) agree across
# processes: Redis when REDIS_URL is set (needed with several machines), otherwise files in
# CACHE_DIR, shared by the workers of one machine. Never per-process memory.
# The API's throttle counters have a cache of their own ("throttle": their own keys in Redis, their
# own folder): a folder cache lists its whole folder at every write (to cull it past 300 entries),
# so counting each API request beside the cached pages cost a millisecond a request, and a cull
# made for pages could drop a client's counter.
CACHE_DIR = Path(os.environ.get("CACHE_DIR") or BASE_DIR / "cache")
# Without Redis, the throttle's folder: `make serve` makes one in the machine's memory for its
# workers (casualty_tracker/serving.py); else a subfolder of CACHE_DIR.
THROTTLE_CACHE_DIR = Path(os.environ.get("THROTTLE_CACHE_DIR") or CACHE_DIR / "throttle")
if os.environ.get("REDIS_URL"):
    _prefix = os.environ.get("CACHE_KEY_PREFIX", "casualty_tracker")
    CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": prefix,
        }
        for alias, prefix in (("default", _prefix), ("throttle", f"{_prefix}:throttle"))
    }
else:
    CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(location),
        }
        for alias, location in (("default", CACHE_DIR), ("throttle", THROTTLE_CACHE_DIR))
    }

# --- Background jobs (django-tasks; claims/tasks.py) ------------------------------------------
# Large imports started in the admin run in a worker: `manage.py db_worker` beside the web server
# (`make run` starts one; docs/deploy.md). The queue is a table of this database
# (django-tasks-db: django-tasks 0.12.0 itself ships only the immediate and dummy backends), on
# SQLite and PostgreSQL alike, even where REDIS_URL is set: the cache's Redis keeps no data worth
# keeping, and a queued import must survive its restart. The tests run tasks immediately.
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Where an upload larger than 2.5 MB is spooled while its request reads it; the admin's CSV upload
# then keeps the file in the database (claims.models.ImportJob), which every app server and worker
# sees. Default: the system's temp.
FILE_UPLOAD_TEMP_DIR = os.environ.get("FILE_UPLOAD_TEMP_DIR") or None

# A load balancer's health probe reaches /healthz over plain HTTP: never redirect it to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind a proxy on another host name or port, the origins the forms are posted from:
# e.g. https://claims.example.org (comma-separated).
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
