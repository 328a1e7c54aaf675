"""AshyqKen settings, read from the environment.

With no variables at all the project runs on embedded defaults: SQLite in `var/`,
a Celery broker on the filesystem in `var/celery/`, local-memory cache, console email.
`DATABASE_URL` (PostgreSQL) and `REDIS_URL` switch to the real services.
"""

import secrets
from decimal import Decimal
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from config.var import demo_signing_paths, secret_key_path

BASE_DIR = Path(__file__).resolve().parent.parent
# Local state (SQLite, the filesystem broker, uploads, the secret key). Importing the settings
# writes nothing: `make run` prepares the folder (`python -m config.var`).
VAR_DIR = Path(environ.Env().str("DJANGO_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()


def _secret_key() -> str:
    """The key from the environment, or the one `make run` keeps in var/ (never in git). With
    neither, a key for this process only: nothing signed outlives it, and nothing is written."""
    key = env.str("DJANGO_SECRET_KEY", default="")
    if key:
        return key
    path = secret_key_path(VAR_DIR)
    if path.exists():
        return path.read_text().strip()
    return secrets.token_urlsafe(50)


SECRET_KEY = _secret_key()
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# Links in emails; by default where `make run` serves (ASHYQKEN_PORT).
SITE_URL = env.str("DJANGO_SITE_URL", default=f"http://127.0.0.1:{env.str('ASHYQKEN_PORT', default='8000')}")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Its index expressions (pg_trgm's operator class on UPPER(name)); on SQLite it does nothing.
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "csp",
    "django_countries",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "oauth2_provider",
    "accounts",
    "events",
    "partners",
    "documents",
    "deposits",
    "investors",
    "licensing",
    "demo",
]

MIDDLEWARE = [
    # First: a NUL character is refused before anything (sessions, static files) reads the request.
    "config.middleware.refuse_nul_characters",
    "config.middleware.StatementCancelledIsUnavailable",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After authentication: a POST to the API with an Idempotency-Key is answered once.
    "partners.idempotency.idempotent_posts",
    "accounts.middleware.preferred_language",
    "accounts.middleware.officials_need_two_factor",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "events.context_processors.notifications",
            ],
            # Dates, date-times and amounts in one format on every page and message (`|day`,
            # `|moment`, `|astana`, `|kzt`): see accounts.formatting.
            "builtins": ["accounts.templatetags.formatting"],
        },
    },
]

# Database: SQLite by default; DATABASE_URL=postgres://… for PostgreSQL (psycopg 3).
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite, rebuilding tables without PostgreSQL's own indexes (config/sqlite).
    DATABASES["default"]["ENGINE"] = "config.sqlite"
    # The web server, the worker and beat share one file: wait for locks, write-ahead log.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL;",
    }
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Web requests only (config/wsgi.py): PostgreSQL cancels a statement running longer, and the
# request answers 503 with Retry-After. 0 turns it off. Tasks, migrations, loaders: unbounded.
DB_STATEMENT_TIMEOUT_MS = env.int("DJANGO_DB_STATEMENT_TIMEOUT_MS", default=30_000)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "investors:dashboard"
LOGOUT_REDIRECT_URL = "home"

# Accounts (django-allauth): email as the login, verified before first sign-in.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # a link checker opening the mail must not confirm it
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False  # sessions end when the browser closes, and after SESSION_COOKIE_AGE
ACCOUNT_EMAIL_SUBJECT_PREFIX = "AshyqKen: "
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# The person's name and consent to the processing of personal data, asked at sign-up.
ACCOUNT_SIGNUP_FORM_CLASS = "investors.forms.SignupForm"
# Lockout: after 5 failed sign-ins for one address within 15 minutes, that address is
# refused for the rest of the 15 minutes, with a message saying so.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "20/m/ip,5/15m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_ADAPTER = "accounts.adapter.MFAAdapter"
MFA_TOTP_ISSUER = "AshyqKen"
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_SECONDS", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Internationalisation: English, Russian, Kazakh.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian")), ("kk", _("Kazakh"))]
# Our catalogue first; then Kazakh for the packages that ship none (django-allauth).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
TIME_ZONE = "Asia/Almaty"
USE_TZ = True

# Static files: our own under static/, third-party assets from npm packages (package-lock.json).
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"  # made by `make run` (whitenoise warns at start-up when it is missing)
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "DJANGO_STATICFILES_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

# Uploaded documents: outside the web root, served only by the download view after a permission check.
DOCUMENTS_ROOT = Path(env.str("DJANGO_DOCUMENTS_ROOT", default=str(VAR_DIR / "documents")))
# The open-data files (/open-data/…), built ahead by a Celery task after register changes and
# nightly, served as stored (licensing.licences.publication). A burst of changes within the delay
# queues one build.
OPEN_DATA_ROOT = Path(env.str("DJANGO_OPEN_DATA_ROOT", default=str(VAR_DIR / "open-data")))
OPEN_DATA_BUILD_DELAY_SECONDS = env.float("DJANGO_OPEN_DATA_BUILD_DELAY_SECONDS", default=30.0)
DOCUMENTS_MAX_BYTES = env.int("DJANGO_DOCUMENTS_MAX_BYTES", default=50 * 1024 * 1024)
DOCUMENTS_MAX_IMAGE_PIXELS = 100_000_000
DOCUMENTS_ZIP_MAX_ENTRIES = 1000
DOCUMENTS_ZIP_MAX_UNCOMPRESSED = 1024 * 1024 * 1024
DOCUMENTS_ZIP_MAX_MEMBER_BYTES = 256 * 1024 * 1024
DOCUMENTS_ZIP_MAX_RATIO = 100
DOCUMENTS_GEOJSON_MAX_FEATURES = 1000
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# The registry's signing key and its X.509 certificate (PEM files), for the PAdES signature of
# every licence certificate. Unset, the demo key that `make run` writes under var/signing/ is used
# (`python -m config.var`; a process that finds none makes one in memory), and the certificates
# and /verify/ say "demo signing key". CERTIFICATE_SIGNING_CHAIN: intermediate certificates, if any.
CERTIFICATE_SIGNING_KEY = env.str("CERTIFICATE_SIGNING_KEY", default="")
CERTIFICATE_SIGNING_CERT = env.str("CERTIFICATE_SIGNING_CERT", default="")
CERTIFICATE_SIGNING_KEY_PASSPHRASE = env.str("CERTIFICATE_SIGNING_KEY_PASSPHRASE", default="")
CERTIFICATE_SIGNING_CHAIN = env.list("CERTIFICATE_SIGNING_CHAIN", default=[])
CERTIFICATE_SIGNING_DEMO = not (CERTIFICATE_SIGNING_KEY and CERTIFICATE_SIGNING_CERT)
if CERTIFICATE_SIGNING_DEMO:
    CERTIFICATE_SIGNING_KEY, CERTIFICATE_SIGNING_CERT = (str(p) for p in demo_signing_paths(VAR_DIR))
# A certificate uploaded to /verify/ is read in memory and never stored.
CERTIFICATE_VERIFY_MAX_BYTES = env.int("CERTIFICATE_VERIFY_MAX_BYTES", default=5 * 1024 * 1024)
# Checks of an uploaded certificate (/verify/) per address: "60/hour" (s, min, hour or day).
CERTIFICATE_VERIFY_RATE = env.str("CERTIFICATE_VERIFY_RATE", default="60/hour")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Cache and Celery: Redis when REDIS_URL is given, otherwise embedded.
REDIS_URL = env.str("REDIS_URL", default="")
# A publish fails fast when the broker is away, so a web request that records an event never
# waits for it (the sweeper dispatches what was not enqueued). Without `max_retries: 0`, kombu
# retries the connection for `broker_connection_timeout` (2 s, then 4 s: about 6 s per event);
# the socket timeouts bound a broker that accepts connections but does not answer. The socket
# timeout must exceed the worker's 1 s BRPOP wait.
BROKER_FAIL_FAST_OPTIONS: dict[str, object] = {
    "max_retries": 0,
    "socket_connect_timeout": env.float("DJANGO_BROKER_CONNECT_TIMEOUT", default=1.0),
    "socket_timeout": env.float("DJANGO_BROKER_SOCKET_TIMEOUT", default=3.0),
}
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {"visibility_timeout": 3600, **BROKER_FAIL_FAST_OPTIONS}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    _broker_dir = VAR_DIR / "celery" / "broker"  # made by `make run`, with the control folder
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "control_folder": str(VAR_DIR / "celery" / "control"),  # default: ./control in the working directory
        # The transport polls the folder, taking one message per poll: the default of a
        # second between polls held the worker at about one task a second.
        "polling_interval": 0.05,
        "max_retries": 0,
    }
# Public disclosure answers, keyed by the disclosure revision read from the database: safe to
# keep per process, and faster than a round trip to Redis.
CACHES["disclosure"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "disclosure",
    "OPTIONS": {"MAX_ENTRIES": 2000},
}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# Events: delivery retries (exponential backoff with jitter), the sweeper, webhooks.
EVENTS_RETRY_BASE_SECONDS = env.float("DJANGO_EVENTS_RETRY_BASE_SECONDS", default=30.0)
EVENTS_RETRY_MAX_SECONDS = env.float("DJANGO_EVENTS_RETRY_MAX_SECONDS", default=3600.0)
EVENTS_SWEEP_AFTER_SECONDS = env.float("DJANGO_EVENTS_SWEEP_AFTER_SECONDS", default=60.0)
# A delivery still "sending" after this long lost its worker (no task outlives the hard time
# limit): the sweeper sends a webhook again and marks an email unknown.
EVENTS_SENDING_STUCK_AFTER_SECONDS = env.float(
    "DJANGO_EVENTS_SENDING_STUCK_AFTER_SECONDS", default=CELERY_TASK_TIME_LIMIT + 60.0
)
WEBHOOK_RETRY_FOR_SECONDS = 86400
WEBHOOK_DISABLE_AFTER_SECONDS = 86400
# After a partner rotates an endpoint's signing secret, webhooks carry a signature by the
# previous secret too for this long, so the receiver switches without losing an event.
WEBHOOK_SECRET_GRACE_HOURS = env.float("DJANGO_WEBHOOK_SECRET_GRACE_HOURS", default=24)
# Only https:// to public addresses in production; loopback only when asked (tests, local work).
WEBHOOKS_ALLOW_LOOPBACK = env.bool("DJANGO_WEBHOOKS_ALLOW_LOOPBACK", default=False)
CELERY_BEAT_SCHEDULE = {
    "events-sweep": {"task": "events.tasks.sweep", "schedule": 60.0},
    "documents-sweep": {"task": "documents.tasks.check_pending_documents", "schedule": 60.0},
    "documents-orphans": {"task": "documents.tasks.remove_orphan_files", "schedule": 3600.0},
    "licensing-lapse": {"task": "licensing.tasks.lapse_unanswered", "schedule": 3600.0},
    "licensing-openings": {"task": "licensing.tasks.settle_openings", "schedule": 300.0},
    "licensing-auctions": {"task": "licensing.tasks.decide_auctions", "schedule": 300.0},
    # Daily, before office hours: the area-fee invoices falling due within the lead time.
    "licensing-invoices": {"task": "licensing.tasks.issue_invoices", "schedule": crontab(hour=5, minute=0)},
    # Daily, before office hours (Astana time): a broken chain alerts the administrators.
    "events-verify-chain": {"task": "events.tasks.verify_chain", "schedule": crontab(hour=4, minute=30)},
    # Daily at 07:00 Astana time, before office hours: a reminder is read the morning it is sent.
    # A missed day is caught up by the next run (licensing.domain.reminders).
    "licensing-obligation-reminders": {
        "task": "licensing.tasks.send_obligation_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    # Daily at 06:00 Astana time: obligations late beyond the grace open breaches (once each).
    "licensing-breaches": {"task": "licensing.tasks.open_breaches", "schedule": crontab(hour=6, minute=0)},
    # Daily just after midnight Astana time: a licence ends the day after its expiry date, and
    # its ground is published to open at the next opening time.
    "licensing-expiry": {"task": "licensing.tasks.expire_licences", "schedule": crontab(hour=0, minute=30)},
    # Daily just after midnight Astana time: a revocation not contested within its period takes
    # effect the day after the last day to contest it.
    "licensing-revocations": {
        "task": "licensing.tasks.revocations_take_effect",
        "schedule": crontab(hour=0, minute=45),
    },
    # Daily at 01:00 Astana time: the numbered working days the statistics count with follow the
    # turn of the year and a new release of the holidays package (licensing.calendar).
    "licensing-working-days": {"task": "licensing.tasks.number_working_days", "schedule": crontab(hour=1, minute=0)},
    # The statistics' backlog of the days already over, counted once for the day's window.
    "licensing-backlog": {"task": "licensing.tasks.keep_backlog", "schedule": crontab(hour=0, minute=5)},
    # Nightly at 01:15 Astana time, after expiry and the working days: the open-data files are
    # built again even if no change asked for it (a change the reaction missed, a lost task).
    "licensing-open-data": {"task": "licensing.tasks.build_open_data", "schedule": crontab(hour=1, minute=15)},
    "partners-idempotency-purge": {"task": "partners.tasks.purge_idempotency_records", "schedule": 3600.0},
}

# Licensing: office hours (Astana time) for deemed receipt, and the notice periods, in working days.
LICENSING_OFFICE_OPENS = 9
LICENSING_OFFICE_CLOSES = 18
LICENSING_INFO_WORKING_DAYS = env.int("DJANGO_LICENSING_INFO_WORKING_DAYS", default=20)
LICENSING_OPENING_NOTICE_DAYS = env.int("DJANGO_LICENSING_OPENING_NOTICE_DAYS", default=2)
LICENSING_AUCTION_WORKING_DAYS = env.int("DJANGO_LICENSING_AUCTION_WORKING_DAYS", default=10)
# Invoices: a later year's area fee is invoiced this many days before it falls due; the
# signature bonus falls due this many days after the grant (Tax Code, Art. 727 in its older
# text, as secondary sources give it: confirm before relying on it).
LICENSING_INVOICE_LEAD_DAYS = env.int("DJANGO_LICENSING_INVOICE_LEAD_DAYS", default=90)
LICENSING_SIGNATURE_BONUS_DAYS = env.int("DJANGO_LICENSING_SIGNATURE_BONUS_DAYS", default=30)
# While the MCI of the year a fee falls due is not yet published, its invoice waits, until this
# many days before the due date; then it is issued at the latest known MCI, marked as such.
LICENSING_INVOICE_MCI_WAIT_DAYS = env.int("DJANGO_LICENSING_INVOICE_MCI_WAIT_DAYS", default=30)
# The most licences one run of the expiry task ends (each in its own transaction); a full batch
# runs the task again. The release calendar looks this many weeks ahead unless asked.
LICENSING_EXPIRY_BATCH = env.int("DJANGO_LICENSING_EXPIRY_BATCH", default=200)
# The service time of a change of title (extension, relinquishment, transfer, surrender), in
# working days from its lodgement, as for the stages of an application.
LICENSING_TITLE_CHANGE_WORKING_DAYS = env.int("DJANGO_LICENSING_TITLE_CHANGE_WORKING_DAYS", default=30)
LICENSING_CALENDAR_WEEKS = 12

# Breaches: an obligation this many days late opens one (a report not lodged, a fee unpaid), with
# a notice to remedy it within this many working days.
LICENSING_BREACH_GRACE_DAYS = env.int("DJANGO_LICENSING_BREACH_GRACE_DAYS", default=30)
LICENSING_BREACH_REMEDY_WORKING_DAYS = env.int("DJANGO_LICENSING_BREACH_REMEDY_WORKING_DAYS", default=30)
# Revocation: the holder may contest a decided revocation within this many working days of the
# notice (Kazakhstan's rule: 15), after which it takes effect.
LICENSING_REVOCATION_CONTEST_WORKING_DAYS = env.int("DJANGO_LICENSING_REVOCATION_CONTEST_WORKING_DAYS", default=15)

EMAIL_BACKEND = env.str("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="AshyqKen <no-reply@ashyqken.kz>")

# REST API.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "config.schema.AutoSchema",
    # Every API error as RFC 9457 problem details (the domain errors of accounts.errors included).
    "EXCEPTION_HANDLER": "config.problems.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # Partner systems: OAuth2 bearer tokens (client credentials) limited by scope per operation.
    # The portal: the browser session, with CSRF on writes; never a password on each request
    # (that would skip the second factor).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "partners.authentication.PartnerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Each partner client its own allowance per minute (429 with Retry-After past it).
    "DEFAULT_THROTTLE_CLASSES": ["partners.throttling.PartnerClientThrottle"],
    # JSON bodies nested too deeply, with NaN/Infinity or over the size limit answer 400 with
    # the reason on every endpoint (the json module alone recurses into a 500).
    "DEFAULT_PARSER_CLASSES": [
        "config.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "AshyqKen API",
    "DESCRIPTION": (
        "Read without signing in: Kazakhstan's critical-mineral deposits, licence types, the "
        "availability and history of every block of the grid, the licence register (with each "
        "certificate's SHA-256 fingerprint and a check of a licence before relying on it), the "
        "release calendar of ground coming free, and processing statistics. Growing lists page with "
        "a cursor (follow `next`) and take `changed_since` for incremental sync. "
        "Signed in (the portal's session, with CSRF on writes): your organisations, your licence "
        "applications (draft, validate, lodge, withdraw) and your notifications.\n\n"
        "**Partner systems** authenticate with OAuth2 client credentials (`POST /o/token/`, HTTP Basic "
        "with the client id and secret, `grant_type=client_credentials`) and send "
        "`Authorization: Bearer <token>`. Each operation lists the scope it needs under its security "
        "requirements (`partnerClient`); a token without it gets 403, an unknown, expired or revoked "
        "token 401. Scopes: `register:read`, `screening:write`, `payments:write`, `title-review:write`, "
        "`events:read`, `webhooks:manage`. Each client has a rate limit per minute (429 with "
        "`Retry-After`). Send an `Idempotency-Key` header with every POST and the same key on a retry: "
        "the request is done once and the retry gets the first answer again (`Idempotent-Replayed: "
        "true`). Every error is an RFC 9457 problem (`application/problem+json`: `type`, `title`, "
        "`status`, `detail`, refused fields under `errors`). The partner guide: `/developers/partners/`; "
        "event types and webhook bodies: `/developers/events/`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Two fields named `kind`/`document_kind` with different choices would otherwise share one
    # enum name, and one of them would silently document the other's values.
    "ENUM_NAME_OVERRIDES": {
        "FileKindEnum": "documents.kinds.kind_choices",
        "LicenceStatusEnum": "licensing.models.licences.LicenceStatus",
        "CertificateReasonEnum": "licensing.models.licences.CertificateReason",
        "ObligationKindEnum": "licensing.models.licences.ObligationKind",
        "ObligationStatusEnum": "licensing.models.licences.ObligationStatus",
        "OpeningReasonEnum": "licensing.models.ground.OpeningReason",
        "RevocationStateEnum": "licensing.models.revocations.RevocationState",
        "BreachKindEnum": "licensing.models.reports.BreachKind",
        "ApplicationStateEnum": "licensing.models.states.ApplicationState",
        "TitleChangeStateEnum": "licensing.models.titles.TitleChangeState",
        "ReportStateEnum": "licensing.models.reports.ReportState",
        "DeliveryStatusEnum": "events.models.DeliveryStatus",
        "WebhookEndpointStatusEnum": "events.models.WEBHOOK_ENDPOINT_STATUSES",
        "TitleChangeKindEnum": "licensing.models.titles.TitleChangeKind",
    },
}

# Partner systems (django-oauth-toolkit): clients are partners.PartnerClient, client credentials
# only; secrets hashed; after a rotation the old secret works for PARTNERS_SECRET_GRACE_HOURS.
OAUTH2_PROVIDER_APPLICATION_MODEL = "partners.PartnerClient"
OAUTH2_PROVIDER = {
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("DJANGO_PARTNER_TOKEN_SECONDS", default=3600),
    "OAUTH2_VALIDATOR_CLASS": "partners.validators.PartnerValidator",
    "SCOPES_BACKEND_CLASS": "partners.scopes.ClientScopes",
    # RFC 9700: tokens only in the Authorization header, and stored as checksums only.
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
}
PARTNERS_SECRET_GRACE_HOURS = env.float("DJANGO_PARTNER_SECRET_GRACE_HOURS", default=7 * 24)
# How long a POST's Idempotency-Key is remembered.
PARTNERS_IDEMPOTENCY_HOURS = 24

# Investors: a foreign state holding this share or more (directly or through owners) makes an
# organisation "foreign state-linked", and its licence applications need a screening referral.
INVESTORS_STATE_LINK_THRESHOLD = Decimal(env.str("DJANGO_STATE_LINK_THRESHOLD", default="20"))
INVESTORS_INVITATION_DAYS = 14
# Due-diligence documents an organisation needs before it can ask to be verified.
INVESTORS_REQUIRED_DOCUMENTS = ["incorporation", "charter", "ownership_chart", "financial_statements", "authority"]

# Security: safe by default; HTTPS-only cookies and redirects when DJANGO_SECURE=1.
SECURE = env.bool("DJANGO_SECURE", default=False)
SECURE_SSL_REDIRECT = SECURE
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# No third-party origin anywhere: every script, style, font and image is ours.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors_without_traceback": {"()": "config.logging.ClientErrorWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["client_errors_without_traceback"]}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    # pygeoapi (the OGC API, licensing/ogc) logs every refused request (a bad bbox) as an error,
    # with its traceback; a real failure still reaches Django, which logs it as a 500.
    "loggers": {"pygeoapi": {"level": "CRITICAL"}},
}
