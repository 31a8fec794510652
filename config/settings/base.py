"""Settings shared by every environment. Everything that differs comes from environment variables."""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-only-key-change-me")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "apps.console.admin_config.ConsoleAdminConfig",  # the Django admin, as the two-factor staff console
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework_simplejwt",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_celery_beat",
    # GPC's own apps, in dependency order.
    "apps.core",
    "apps.console",
    "apps.accounts",
    "apps.audit",
    "apps.companies",
    "apps.notifications",
    "apps.catalog",
    "apps.datarooms",
    "apps.agreements",
    "apps.intelligence",
    "apps.alliance",
    "apps.providers",
    "apps.partnering",
    "apps.financing",
]

MIDDLEWARE = [
    # Outermost: every error answer under /api/ in the JSON error format, DEBUG or not.
    "apps.core.middleware.ApiJsonErrorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "apps.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "apps.core.middleware.UserLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "apps.core.middleware.RequestContextMiddleware",
    "apps.core.middleware.DatabaseUnavailableMiddleware",
    # Axes last: it turns a lockout raised anywhere above into its lockout response.
    "axes.middleware.AxesMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# The embedded default is SQLite so `make run` needs nothing installed; set DATABASE_URL for PostgreSQL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True


def server_side_binding(database: dict) -> dict:
    """With DATABASE_SERVER_SIDE_BINDING on PostgreSQL: psycopg binds parameters on the server and prepares a
    statement once one connection has run it five times (psycopg's threshold), so PostgreSQL stops planning the
    guarded lists at every request (Django's own default binds on the client and prepares nothing). Searches are
    never prepared (config/db.py). Measured in docs/performance.md, "Prepared statements". Leave it off behind
    PgBouncer in transaction mode before 1.21 (or without max_prepared_statements): a prepared statement lives in
    one server connection, which such a pooler does not keep for its client."""
    if database["ENGINE"] == "django.db.backends.postgresql" and env.bool("DATABASE_SERVER_SIDE_BINDING",
                                                                          default=True):
        from config.db import PreparingCursor

        database.setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5,
                                                  cursor_factory=PreparingCursor)
    return database


server_side_binding(DATABASES["default"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes must come first so a locked-out account is refused before its password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

# Private files (data-room documents) never live under a URL: only the API streams them.
PRIVATE_STORAGE_ROOT = Path(env("PRIVATE_STORAGE_ROOT", default=str(BASE_DIR / "var" / "private")))
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    _private_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _private_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_STORAGE_ROOT), "base_url": None},
    }
STORAGES = {
    "default": _private_storage,
    "private": _private_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Behind nginx, downloads can be handed to nginx with X-Accel-Redirect (see platform/nginx.conf).
DOWNLOAD_X_ACCEL_PREFIX = env("DOWNLOAD_X_ACCEL_PREFIX", default="")

# Request bodies: JSON stays small; uploads have their own, larger limit enforced by the upload code.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=200 * 1024 * 1024)

REDIS_URL = env("REDIS_URL", default="")

# Celery: with no REDIS_URL the embedded default runs tasks inline, so `make run` needs no broker.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES_NAMES = ["default", "notifications", "documents"]
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# A bulk import's claim (lease) outlasts the task's hard time limit (1,800 s); past it the worker is gone and
# the beat sweeper re-runs the import (platform/RUNBOOK.md). The worker tests shorten it.
DATAROOMS_IMPORT_LEASE_SECONDS = env.int("DATAROOMS_IMPORT_LEASE_SECONDS", default=1900)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "UTC"

CACHES = {
    "default": (
        {"BACKEND": "apps.core.cache.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="GPC <no-reply@gpc.example>")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # JWT first: its WWW-Authenticate header makes anonymous API calls answer 401, not 403.
        "apps.accounts.authentication.RevocableJWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "apps.core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [
        "apps.core.api.filters.FilterBackend",
        "apps.core.api.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "apps.core.api.schema.AutoSchema",
    # JSON only; upload views name their multipart parsers themselves. Less to parse, less to fuzz.
    # (apps.core.api.parsers: refuse NUL characters and integers beyond 64 bits with a 400 naming the field.)
    "DEFAULT_PARSER_CLASSES": ["apps.core.api.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "apps.core.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "login": env("THROTTLE_LOGIN", default="30/min"),
        "registration": env("THROTTLE_REGISTRATION", default="20/hour"),
        "invitation": env("THROTTLE_INVITATION", default="60/hour"),
        "access_request": env("THROTTLE_ACCESS_REQUEST", default="30/hour"),
        "download": env("THROTTLE_DOWNLOAD", default="120/min"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "GPC API",
    "DESCRIPTION": "Global Pharma Community: list drug assets, share data rooms, negotiate agreements.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # The info block, the journey's tags and the composed examples (apps/core/api/schema_document.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "apps.core.api.schema_document.postprocess_schema",
    ],
    # One name per choice set: without these, spectacular warns (and `check --deploy` must be clean).
    "ENUM_NAME_OVERRIDES": {
        "CommitteeKindEnum": "apps.alliance.models.CommitteeKind",
        "VotingRuleEnum": "apps.alliance.models.VotingRule",
        "ChairRuleEnum": "apps.alliance.models.ChairRule",
        "DecisionAreaEnum": "apps.alliance.models.DecisionArea",
        "DecisionOutcomeEnum": "apps.alliance.models.DecisionOutcome",
        "MinutesStatusEnum": "apps.alliance.models.MinutesStatus",
        "VoteEnum": "apps.alliance.models.Vote",
        "ActionItemStatusEnum": "apps.alliance.models.ItemStatus",
        "ObligationKindEnum": "apps.alliance.models.ObligationKind",
        "ObligationStatusEnum": "apps.alliance.models.ObligationStatus",
        "RecurrenceEnum": "apps.alliance.models.Recurrence",
        "SeverityEnum": "apps.alliance.models.Severity",
        "EscalationLevelEnum": "apps.alliance.models.EscalationLevel",
        "GrantLevelEnum": "apps.datarooms.models.GrantLevel",
        # Issue 18: the document scan.
        "ClassificationsEnum": "apps.datarooms.models.DataClassification",
        "ScannableClassificationEnum": "apps.datarooms.scan.api.serializers.SCANNABLE",
        "ScanStatusEnum": "apps.datarooms.scan.models.ScanStatus",
        "ScanDecisionEnum": "apps.datarooms.scan.models.ScanDecision",
        "VerificationStatusEnum": "apps.companies.models.VerificationStatus",
        "InvitationStatusEnum": "apps.companies.models.InvitationStatus",
        "AssetStatusEnum": "apps.catalog.models.AssetStatus",
        "ModalityEnum": "apps.catalog.models.Modality",
        "StageEnum": "apps.catalog.models.Stage",
        "DealTypeEnum": "apps.catalog.models.DealType",
        "AgreementStatusEnum": "apps.agreements.models.AgreementStatus",
        "MilestoneStatusEnum": "apps.agreements.models.MilestoneStatus",
        "AccessRequestStatusEnum": "apps.datarooms.models.AccessRequestStatus",
        "BulkImportStatusEnum": "apps.datarooms.models.BulkImportStatus",
        "DeliveryEnum": "apps.notifications.kinds.Delivery",
        "TherapeuticAreaEnum": "apps.catalog.models.TherapeuticArea",
        "CurrencyEnum": "apps.agreements.money.Currency",
        "ServiceCategoryEnum": "apps.providers.taxonomy.ServiceCategory",
        "DeclineReasonEnum": "apps.providers.models.DeclineReason",
        "SubmissionDeclineReasonEnum": "apps.partnering.models.DeclineReason",
        "EngagementMilestoneStatusEnum": "apps.providers.models.MilestoneStatus",
        "RecordOutcomeEnum": "apps.providers.taxonomy.RecordOutcome",
        "MilestoneKindEnum": "apps.agreements.models.MilestoneKind",
        # Shared code lists: each a component listed once and referenced wherever it is used (schema.py).
        "CountryEnum": "apps.core.countries.country_codes",
        "TerritoryCodeEnum": "apps.catalog.territories.territory_codes",
        "JurisdictionEnum": "apps.catalog.api.serializers.jurisdiction_codes",
        "RoundStageEnum": "apps.financing.models.RoundStage",
        "InstrumentEnum": "apps.financing.models.Instrument",
        "RoundStatusEnum": "apps.financing.models.RoundStatus",
        "EntryStageEnum": "apps.financing.models.EntryStage",
        "EntryStepEnum": "apps.financing.api.serializers.ENTRY_STEPS",
        "PassReasonEnum": "apps.financing.models.PassReason",
    },
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=10)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=7)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "SIGNING_KEY": env("JWT_SIGNING_KEY", default=SECRET_KEY),
}
# Staff tokens (issued only with the TOTP code, apps/accounts/tokens.py) live shorter.
STAFF_JWT_ACCESS_MINUTES = env.int("STAFF_JWT_ACCESS_MINUTES", default=5)
STAFF_JWT_REFRESH_HOURS = env.int("STAFF_JWT_REFRESH_HOURS", default=8)

# django-axes: lock an account+IP pair after repeated failures; the lockout answers 429.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "apps.accounts.lockout.lockout_username"
AXES_LOCKOUT_CALLABLE = "apps.accounts.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False

GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None  # no guardian anonymous user: anonymous callers get nothing, full stop.
GUARDIAN_MONKEY_PATCH_USER = False

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Invitations and data-room grants.
INVITATION_TTL_DAYS = env.int("INVITATION_TTL_DAYS", default=7)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
