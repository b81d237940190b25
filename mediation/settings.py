"""Settings for the whole site, read from environment variables (and an optional .env file).

With no environment at all, the site runs in development mode on a SQLite file in the
project folder, in French. `MEDIATION_ENV=production` turns on the checks that a public
deployment needs (a real SECRET_KEY, explicit allowed hosts, no DEBUG).
"""

import datetime as dt
from pathlib import Path

import dj_database_url
import django
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from mediation.env import envbool, envchoice, envint, envlist, envstr, load_dotenv
from mediation.settings_policies import SITE_CONTENT_SECURITY_POLICY, logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
load_dotenv(BASE_DIR / ".env")

MEDIATION_ENV = envchoice("MEDIATION_ENV", "development", ("development", "production"))
PRODUCTION = MEDIATION_ENV == "production"

DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
SECRET_KEY = envstr("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
DEBUG = envbool("DEBUG", not PRODUCTION)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "mediation.error_views.csrf_failure"

if PRODUCTION:
    if SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 40:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random value of at least 40 characters in production"
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must list the site's host names in production")
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off in production")

# Bench-only views (a bare page and a bare insert, the floors of `make bench`): never in a real
# deployment, hence refused unless the site answers on the loopback address only.
BENCH_ENDPOINTS = envbool("BENCH_ENDPOINTS", False)
if BENCH_ENDPOINTS and not set(ALLOWED_HOSTS) <= {"127.0.0.1", "localhost", "[::1]"}:
    raise ImproperlyConfigured("BENCH_ENDPOINTS is only for benchmarks on the loopback address")

# The public address of the site, used in QR codes, calendars and messages sent out.
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if PRODUCTION and not BENCH_ENDPOINTS:
    # Printed on every flyer and in its QR code: paper cannot be corrected once pinned up.
    # The developer's default (http) fails, and so does a host the site refuses; a rehearsal
    # of production on one machine (https://localhost, CI's production path) is allowed.
    # (A benchmark in production mode serves the loopback only, and prints nothing.)
    from urllib.parse import urlsplit

    from django.http.request import validate_host

    _site = urlsplit(SITE_URL)
    if _site.scheme != "https" or not validate_host(_site.hostname or "", ALLOWED_HOSTS):
        raise ImproperlyConfigured(
            "SITE_URL must be the site's public https:// address in production, on a host "
            f"of ALLOWED_HOSTS (printed in flyers' QR codes and messages), not {SITE_URL!r}"
        )
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_SITE_NAME = envstr("SITE_NAME", "Le Bus numérique")

INSTALLED_APPS = [
    "mediation.apps.MediationConfig",
    "tablets.apps.TabletsConfig",
    "sessions.apps.WorkshopsConfig",
    "cms.apps.CmsConfig",
    "reports.apps.ReportsConfig",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tables2",
    "django_tasks",
    "django_tasks_db",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "csp",
    "axes",
]

MIDDLEWARE = [
    # First, so that its duration covers the whole request and every response is logged.
    "mediation.observability.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "mediation.csp.PolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "mediation.csp.AdminPolicyMiddleware",
    # Last, as django-axes requires: it answers locked-out logins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mediation.urls"
WSGI_APPLICATION = "mediation.wsgi.application"

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
                "wagtail.contrib.settings.context_processors.settings",
                "mediation.context_processors.source_code",
                "mediation.context_processors.site_url",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # Persistent connections in production: a new connection per request costs more than
        # most pages; health checks replace one that the server closed meanwhile.
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 600 if PRODUCTION else 0, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, with a health check that asks the socket instead of the server.
    DATABASES["default"]["ENGINE"] = "mediation.postgresql"
    # Wagtail's search index uses PostgreSQL's full-text fields there, which Django 6.1
    # refuses to start with (postgres.E005) unless their app is installed.
    INSTALLED_APPS.append("django.contrib.postgres")
    if not envbool("DATABASE_JIT", False):
        # PostgreSQL compiles a query with LLVM once its estimated cost passes jit_above_cost.
        # This project's queries read at most a few years of one département: the funders'
        # export of a year ran in 0.3 s and spent 1.7 s being compiled (docs/benchmarks.md).
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # In its default mode SQLite fails concurrent writers with "database is locked";
    # IMMEDIATE transactions and WAL make them wait their turn instead.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL;",
    }

# Rate limits need a cache shared by every worker with atomic increments: Redis in production.
# The cache is optional at run time: when Redis is down, mediation.cache.FailSoftRedisCache
# logs a warning and answers as an empty cache, and the rate limits let requests through.
REDIS_URL = envstr("REDIS_URL")
if PRODUCTION and not REDIS_URL:
    raise ImproperlyConfigured(
        "REDIS_URL must be set in production: rate limits need a cache shared by every worker"
    )
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "mediation.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that hangs must not hang the site: callers fail soft after a second.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Public pages, feeds, the map and flyers are cached until the tour changes
# (mediation/tour_cache.py); off only to measure or debug the uncached paths.
TOUR_CACHE_ENABLED = envbool("TOUR_CACHE", True)

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
LOGIN_URL = "wagtailadmin_login"
# django-axes throttles every staff login (the Wagtail admin's and the tablet app's): after
# LOGIN_FAILURE_LIMIT failures for one user name from one address, that pair waits
# LOGIN_COOLOFF_MINUTES. A cool-off, never a permanent lock.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "mediation.auth.StaffModelBackend",
]
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = dt.timedelta(minutes=envint("LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# The address as the rate limits see it: behind RATE_LIMIT_PROXY_COUNT proxies, an IPv6
# network grouped by /64.
AXES_CLIENT_IP_CALLABLE = "mediation.clients.client_network_for_axes"
# Successful logins are not recorded: only failures are needed to throttle.
AXES_DISABLE_ACCESS_LOG = True
# No third-party avatars: Gravatar would receive a hash of every staff e-mail.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French"))]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(BASE_DIR / "media")))
# Uploaded media (logos, photos, documents): on disk, served by the reverse proxy in production
# (deploy/nginx.conf), or in an S3-compatible bucket through django-storages.
MEDIA_STORAGE = envchoice("MEDIA_STORAGE", "filesystem", ("filesystem", "s3"))
if MEDIA_STORAGE == "s3":
    S3_BUCKET = envstr("S3_BUCKET")
    if not S3_BUCKET:
        raise ImproperlyConfigured("S3_BUCKET must name the bucket when MEDIA_STORAGE=s3")
    S3_CUSTOM_DOMAIN = envstr("S3_CUSTOM_DOMAIN") or None
    MEDIA_STORAGE_BACKEND = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": envstr("S3_ENDPOINT_URL") or None,
            "region_name": envstr("S3_REGION") or None,
            "access_key": envstr("S3_ACCESS_KEY_ID") or None,
            "secret_key": envstr("S3_SECRET_ACCESS_KEY") or None,
            "location": "media",
            "file_overwrite": False,
            "default_acl": None,
            # A public domain in front of the bucket serves plain URLs; else links are signed.
            "custom_domain": S3_CUSTOM_DOMAIN,
            "querystring_auth": S3_CUSTOM_DOMAIN is None,
        },
    }
else:
    MEDIA_STORAGE_BACKEND = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": MEDIA_STORAGE_BACKEND,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Outgoing e-mail, from the environment's EMAIL_* variables (README). Django 6.1 replaces
# the EMAIL_* settings by MAILERS and deprecates them; Django 5.2 LTS knows only them.
_email_backend = envstr("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
_email_file_path = Path(envstr("EMAIL_FILE_PATH", str(BASE_DIR / "mails")))
_smtp_options = {
    "host": envstr("EMAIL_HOST", "localhost"),
    "port": envint("EMAIL_PORT", 25, minimum=1),
    "username": envstr("EMAIL_HOST_USER"),
    "password": envstr("EMAIL_HOST_PASSWORD"),
    "use_tls": envbool("EMAIL_USE_TLS", False),
    # Seconds before a silent mail relay counts as a temporary failure (the worker retries).
    "timeout": envint("EMAIL_TIMEOUT", 10, minimum=1),
}
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "bus-numerique@example.org")
if django.VERSION >= (6, 1):
    # Where the file backend writes, known whatever backend is set (mediation/mail.py).
    MAIL_FILE_PATH = _email_file_path
    # A mailer refuses options its backend does not take: Django's SMTP and file backends
    # get theirs, any other backend none.
    MAILERS = {
        "default": {
            "BACKEND": _email_backend,
            "OPTIONS": {
                "django.core.mail.backends.smtp.EmailBackend": _smtp_options,
                "django.core.mail.backends.filebased.EmailBackend": {"file_path": _email_file_path},
            }.get(_email_backend, {}),
        }
    }
else:
    EMAIL_BACKEND = _email_backend
    EMAIL_FILE_PATH = _email_file_path
    EMAIL_HOST = _smtp_options["host"]
    EMAIL_PORT = _smtp_options["port"]
    EMAIL_HOST_USER = _smtp_options["username"]
    EMAIL_HOST_PASSWORD = _smtp_options["password"]
    EMAIL_USE_TLS = _smtp_options["use_tls"]
    EMAIL_TIMEOUT = _smtp_options["timeout"]

# Messages to residents are sent by a task queue (Django's tasks API, django-tasks).
# "immediate" sends at once after commit (development: `make run` prints them); "database"
# queues them for `manage.py db_worker` (production); any other value is a backend's
# dotted path, e.g. "django_tasks_rq.RQBackend" for Redis with django-tasks-rq.
TASK_BACKEND_ALIASES = {
    # Django's own from 6.0, the django-tasks backport's on 5.2 (as mediation/task_api.py).
    "immediate": "django.tasks.backends.immediate.ImmediateBackend"
    if django.VERSION >= (6, 0)
    else "django_tasks.backends.immediate.ImmediateBackend",
    # django-tasks-db's, its rows written by an INSERT compiled once (mediation/task_queue.py).
    "database": "mediation.task_queue.DatabaseBackend",
}
TASKS_BACKEND = envstr("TASKS_BACKEND", "database" if PRODUCTION else "immediate")
TASKS = {"default": {"BACKEND": TASK_BACKEND_ALIASES.get(TASKS_BACKEND, TASKS_BACKEND)}}
# A message failing for a temporary reason is retried MESSAGES_MAX_ATTEMPTS times in all,
# after 1, 4, 16, 64… times MESSAGES_RETRY_SECONDS.
MESSAGES_MAX_ATTEMPTS = envint("MESSAGES_MAX_ATTEMPTS", 5, minimum=1)
MESSAGES_RETRY_SECONDS = envint("MESSAGES_RETRY_SECONDS", 60, minimum=1)
# Local hours (TIME_ZONE) when an SMS may leave, from SMS_DAY_STARTS:00 to SMS_DAY_ENDS:00:
# outside them, an SMS waits for the morning unless it answers what its recipient did a
# moment ago (a sign-up's receipt, a code). See sessions.messaging.answers_just_now.
SMS_DAY_STARTS = envint("SMS_DAY_STARTS", 8, minimum=0)
SMS_DAY_ENDS = envint("SMS_DAY_ENDS", 21, minimum=1)
if not SMS_DAY_STARTS < SMS_DAY_ENDS <= 24:
    raise ImproperlyConfigured("SMS_DAY_STARTS must come before SMS_DAY_ENDS, at most 24")

# Outbound SMS go through a pluggable backend, like e-mail (see sessions/sms.py).
SMS_BACKEND = envstr("SMS_BACKEND", "sessions.sms.ConsoleSmsBackend")
# Where sessions.sms.FileSmsBackend writes, one file per day.
SMS_FILE_PATH = Path(envstr("SMS_FILE_PATH", str(BASE_DIR / "sms")))
# The SMS provider (sessions.sms.BrevoSmsBackend: Brevo's transactional SMS API).
SMS_API_URL = envstr("SMS_API_URL", "https://api.brevo.com/v3/transactionalSMS/sms")
SMS_API_KEY = envstr("SMS_API_KEY")
# The sender name residents see: 3 to 11 letters or digits (the provider's rule).
SMS_SENDER = envstr("SMS_SENDER", "BusNumeriq")
SMS_TIMEOUT = envint("SMS_TIMEOUT", 10, minimum=1)
# Secret part of the address the provider calls with replies (STOP) and delivery reports:
# /sms/webhook/<SMS_WEBHOOK_TOKEN>/ (empty: the address does not exist).
SMS_WEBHOOK_TOKEN = envstr("SMS_WEBHOOK_TOKEN")
if not (SMS_SENDER.isalnum() and 3 <= len(SMS_SENDER) <= 11) and not (
    SMS_SENDER.isdigit() and len(SMS_SENDER) <= 15
):
    raise ImproperlyConfigured("SMS_SENDER must be 3 to 11 letters or digits (or a number)")
if SMS_BACKEND == "sessions.sms.BrevoSmsBackend" and not SMS_API_KEY:
    raise ImproperlyConfigured("SMS_API_KEY must be set to send SMS through Brevo")
# How many reverse proxies stand in front of the site: the rate limit of the public sign-up
# form then reads the client's address from X-Forwarded-For (0: REMOTE_ADDR).
RATE_LIMIT_PROXY_COUNT = envint("RATE_LIMIT_PROXY_COUNT", 0, minimum=0)
# Backends that print messages (and residents' phones and addresses) to the server's output,
# or keep them in memory for tests, have no place on a public site.
DEVELOPMENT_ONLY_BACKENDS = {
    "EMAIL_BACKEND": (
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.locmem.EmailBackend",
    ),
    "SMS_BACKEND": ("sessions.sms.ConsoleSmsBackend", "sessions.sms.LocmemSmsBackend"),
}
if PRODUCTION:
    _configured = {"EMAIL_BACKEND": _email_backend, "SMS_BACKEND": SMS_BACKEND}
    for _name, _refused in DEVELOPMENT_ONLY_BACKENDS.items():
        if _configured[_name] in _refused:
            raise ImproperlyConfigured(
                f"{_name} must name a real backend in production, not {_configured[_name]}"
            )

# Heavy public renderings (PDF flyers and handouts) running at once on this host, across all
# web workers (mediation/render_slots.py): keep it below gunicorn's worker count, so that a
# burst of PDF requests always leaves workers for the pages. One for the two workers that
# deploy/mediation-web.service runs (tests/flyers/test_heavy_endpoints.py holds them to
# it). A request waits at most RENDER_SLOT_WAIT_SECONDS for a slot, then gets a 503 with
# Retry-After.
RENDER_CONCURRENCY = envint("RENDER_CONCURRENCY", 1, minimum=1)
RENDER_SLOT_WAIT_SECONDS = envint("RENDER_SLOT_WAIT_SECONDS", 2, minimum=0)
RENDER_SLOTS_DIR = envstr("RENDER_SLOTS_DIR")

# How long residents' names and phone numbers are kept after the stop (GDPR).
PERSONAL_DATA_RETENTION_DAYS = envint("PERSONAL_DATA_RETENTION_DAYS", 90, minimum=1)
# Files prepared by the worker for funders (exports, workbooks, reports) are kept this long
# for whoever asked (then purged).
EXPORT_RETENTION_DAYS = envint("EXPORT_RETENTION_DAYS", 7, minimum=1)

# HTTPS. Behind a reverse proxy (deploy/nginx.conf), the proxy says which scheme the client
# used in X-Forwarded-Proto; an install whose TLS ends elsewhere without that header, or that
# redirects to HTTPS itself, turns these off.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if envbool("PROXY_SSL_HEADER", PRODUCTION) else None
)
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", PRODUCTION)
# Monitoring polls the health check over plain HTTP on the loopback.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = [
    # Preloading is a commitment the operator makes by submitting the domain to browsers'
    # lists; SECURE_HSTS_PRELOAD=true adds the directive once they have.
    "security.W021",
    # The map's index of stops includes their end time (mediation.Stop, an index-only scan
    # on PostgreSQL); SQLite, the embedded default, builds it without: nothing else differs.
    "models.W040",
]
if PRODUCTION and not SECURE_SSL_REDIRECT:
    # The operator has said that something in front of the site redirects to HTTPS.
    SILENCED_SYSTEM_CHECKS.append("security.W008")

# Error reports. ADMINS receive an e-mail for every server error (form values hidden);
# SENTRY_DSN sends errors to Sentry (or a compatible service), personal data masked.
ADMINS = [
    address if django.VERSION >= (6, 0) else (address, address) for address in envlist("ADMINS")
]
SERVER_EMAIL = envstr("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
DEFAULT_EXCEPTION_REPORTER_FILTER = "mediation.observability.PersonalDataReporterFilter"
SENTRY_DSN = envstr("SENTRY_DSN")
if SENTRY_DSN:
    from mediation.observability import init_sentry

    init_sentry(dsn=SENTRY_DSN, environment=MEDIATION_ENV, traces_sample_rate=0.0)

# Source code of the running version (the AGPL asks a network service to offer it).
SOURCE_CODE_URL = envstr("SOURCE_CODE_URL", "https://github.com/bus-numerique/mediation-itinerante")

# Backups (manage.py backup / restore): where the archives go. Archives older than
# PERSONAL_DATA_RETENTION_DAYS are deleted by each backup, so none outlives the purge.
BACKUP_DIR = Path(envstr("BACKUP_DIR", str(BASE_DIR / "backups")))

# Content-Security-Policy (django-csp): nothing but the site's own files. Public pages and the
# tablet app run no inline script nor style (the branding colour is a stylesheet of its own,
# so that cached pages need no per-request nonce). The Wagtail admin writes inline scripts of
# its own: mediation.csp allows them there, and only there.
CONTENT_SECURITY_POLICY = SITE_CONTENT_SECURITY_POLICY

WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "xlsx"]
WAGTAIL_I18N_ENABLED = False
# Page addresses in plain ASCII, like the communes' ("horaires-dete-a-abbeville"): printed on
# flyers and read over the phone, "été" would be typed wrong or shown as "%C3%A9t%C3%A9".
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français")]
WAGTAIL_CONTENT_LANGUAGES = [("fr", "Français")]

# One line per record on standard error (journald keeps it), personal data masked; server
# errors are also mailed to ADMINS.
LOGGING = logging_config(level=envstr("LOG_LEVEL", "INFO"))
