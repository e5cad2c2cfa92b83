"""Settings for hoso, read from the environment.

With nothing set, hoso runs on the embedded default profile: SQLite and files
under ./var/, tasks in-process, database full-text search. The README lists
every variable.
"""

import contextlib
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HOSO_VAR_DIR", BASE_DIR / "var"))


def env(name, default=None):
    value = os.environ.get(name)
    return default if value in (None, "") else value


def env_bool(name, default=False):
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("HOSO_DEBUG", False)
SECRET_KEY = env("HOSO_SECRET_KEY")
if not SECRET_KEY:
    # Embedded default: a key generated once and kept under ./var/.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        from django.core.management.utils import get_random_secret_key

        key_file.write_text(get_random_secret_key())
        key_file.chmod(0o600)
    SECRET_KEY = key_file.read_text().strip()

# Key of the audit trail's hash chain (HMAC-SHA256); defaults to one derived from SECRET_KEY.
AUDIT_KEY = env("HOSO_AUDIT_KEY", "")

BASE_DOMAIN = env("HOSO_BASE_DOMAIN", "localhost")
ALLOWED_HOSTS = env_list("HOSO_ALLOWED_HOSTS", f"127.0.0.1,localhost,.{BASE_DOMAIN}")
CSRF_TRUSTED_ORIGINS = env_list("HOSO_CSRF_TRUSTED_ORIGINS", "http://127.0.0.1:8000,http://localhost:8000")

INSTALLED_APPS = [
    "hoso",
    "accounts",
    "retention",
    "casefiles",
    "ingest",
    "routing",
    "archive",
    "search",
    "cms",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "accounts.wagtail_users.UsersAppConfig",  # wagtail.users with hoso's user forms
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",  # modelsearch's app (label wagtailsearch): listing "modelsearch" too would clash
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hoso.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "hoso.urls"
WSGI_APPLICATION = "hoso.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "wagtailadmin_login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "hoso" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'hoso.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL and a busy timeout let the web server and tasks share the file.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
    }
    # Tests use a real file (not shared-cache memory) so they see SQLite's real locking.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Files ----------------------------------------------------------------
MEDIA_ROOT = Path(env("HOSO_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
STATIC_ROOT = Path(env("HOSO_STATIC_ROOT", VAR_DIR / "static"))
with contextlib.suppress(OSError):  # collectstatic fills it; WhiteNoise warns at every start without it
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATIC_URL = "/static/"
WHITENOISE_USE_FINDERS = True

STORAGE_BACKEND = env("HOSO_STORAGE", "local")  # local | s3
if STORAGE_BACKEND == "s3":
    _s3_options = {
        "bucket_name": env("HOSO_S3_BUCKET", "hoso"),
        "endpoint_url": env("HOSO_S3_ENDPOINT_URL"),
        "access_key": env("HOSO_S3_ACCESS_KEY"),
        "secret_key": env("HOSO_S3_SECRET_KEY"),
        "region_name": env("HOSO_S3_REGION", "us-east-1"),
        "file_overwrite": False,
        "default_acl": None,
        "querystring_auth": True,
    }
    _default_storage = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3_options}
    _records_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_s3_options, "location": "records"},
    }
elif STORAGE_BACKEND == "local":
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT},
    }
    _records_storage = {
        "BACKEND": "casefiles.storage.DurableFileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT / "records", "base_url": None},
    }
else:
    raise ImproperlyConfigured("HOSO_STORAGE must be 'local' or 's3'")
STORAGES = {
    "default": _default_storage,
    # Content-addressed, write-once store of every document file.
    "records": _records_storage,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
HOSO_MAX_UPLOAD_BYTES = int(env("HOSO_MAX_UPLOAD_MB", "50")) * 1024 * 1024
HOSO_INGEST_TMP = env("HOSO_INGEST_TMP")  # temporary folder for intake (default: the system's)
# ZIP archives at intake: hard limits against bombs.
HOSO_ZIP_MAX_TOTAL_BYTES = int(env("HOSO_ZIP_MAX_TOTAL_MB", "200")) * 1024 * 1024
HOSO_ZIP_MAX_RATIO = int(env("HOSO_ZIP_MAX_RATIO", "100"))
HOSO_ZIP_MAX_ENTRIES = int(env("HOSO_ZIP_MAX_ENTRIES", "1000"))
HOSO_ZIP_MAX_DEPTH = int(env("HOSO_ZIP_MAX_DEPTH", "2"))
HOSO_MAX_TEXT_CHARS = int(env("HOSO_MAX_TEXT_CHARS", "5000000"))  # extracted text kept per file
# OCR (OCRmyPDF with Tesseract's Vietnamese data).
HOSO_OCR_ENABLED = env_bool("HOSO_OCR_ENABLED", True)
HOSO_OCR_TIMEOUT = int(env("HOSO_OCR_TIMEOUT", "600"))
HOSO_OCRMYPDF = env("HOSO_OCRMYPDF", "ocrmypdf")
# PDF signatures: the national CA roots the agency trusts (PEM or DER files in this folder).
HOSO_TRUST_ROOTS_DIR = Path(env("HOSO_TRUST_ROOTS_DIR", VAR_DIR / "trust-roots"))
HOSO_SIGNATURE_FETCH_REVOCATION = env_bool("HOSO_SIGNATURE_FETCH_REVOCATION", False)
# Signing keys (PKCS#12) are encrypted at rest with this secret (default: the secret key).
HOSO_KEYS_SECRET = env("HOSO_KEYS_SECRET", "")
HOSO_DROP_ROOT = Path(env("HOSO_DROP_ROOT", VAR_DIR / "drop"))  # drop folders: <root>/<agency abbreviation>/
HOSO_DROP_SETTLE_SECONDS = float(env("HOSO_DROP_SETTLE_SECONDS", "10"))  # unchanged this long before intake
HOSO_ORPHAN_MAX_AGE_HOURS = float(env("HOSO_ORPHAN_MAX_AGE_HOURS", "24"))  # stored bytes no record names
# Transfer to the agency archive (Decree 30 Art. 30.2, 31.3d); configurable where the law is unsettled.
HOSO_TRANSFER_AFTER_MONTHS = int(env("HOSO_TRANSFER_AFTER_MONTHS", "12"))
HOSO_TRANSFER_XDCB_MONTHS = int(env("HOSO_TRANSFER_XDCB_MONTHS", "3"))
HOSO_HOLD_BACK_MAX_YEARS = int(env("HOSO_HOLD_BACK_MAX_YEARS", "2"))
HOSO_TRANSFER_WARNING_DAYS = int(env("HOSO_TRANSFER_WARNING_DAYS", "30"))
HOSO_DEADLINE_WARNING_DAYS = int(env("HOSO_DEADLINE_WARNING_DAYS", "2"))  # "near due" for handling deadlines
# The place written before an issued document's date ("Sơn La, ngày 05 tháng 3 năm 2026").
HOSO_PLACE_NAME = env("HOSO_PLACE_NAME", "Sơn La")

# --- Tasks ----------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
CELERY_BEAT_SCHEDULE = {
    "ingest-poll-drop-folders": {"task": "ingest.poll_drop_folders", "schedule": 30.0, "options": {"expires": 25}},
    "ingest-sweep-orphans": {"task": "ingest.sweep_orphans", "schedule": crontab(hour=2, minute=30)},
    "casefiles-warn-transfer-due": {"task": "casefiles.warn_transfer_due", "schedule": crontab(hour=7, minute=0)},
    "routing-deadline-reminders": {"task": "routing.send_deadline_reminders", "schedule": crontab(hour=7, minute=30)},
    "ingest-requeue-pending-ocr": {"task": "ingest.requeue_pending_ocr", "schedule": crontab(minute=15)},
}
CELERY_IMPORTS = ["hoso.tasks_backend", "ingest.dropfolder", "ingest.sweeper"]

# Wagtail's own background work (search index updates, image renditions) goes
# through django-tasks: in-process without a broker, through Celery with one.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if CELERY_BROKER_URL is None
            else "hoso.tasks_backend.CeleryBackend"
        )
    }
}

# --- Search ---------------------------------------------------------------
SEARCH_BACKEND = env("HOSO_SEARCH_BACKEND", "database")  # database | elasticsearch | opensearch
if SEARCH_BACKEND == "database":
    _search = {"BACKEND": "modelsearch.backends.database", "SEARCH_CONFIG": "simple"}
elif SEARCH_BACKEND in {"elasticsearch", "opensearch"}:
    # modelsearch's opensearch2/opensearch3 backends follow the client's API (opensearch-py 2 or 3),
    # and either talks to OpenSearch 2 or 3 servers.
    _engine = {"elasticsearch": "modelsearch.backends.elasticsearch9", "opensearch": "modelsearch.backends.opensearch3"}
    try:
        from opensearchpy import VERSION as _opensearch_client

        if _opensearch_client[0] < 3:
            _engine["opensearch"] = "modelsearch.backends.opensearch2"
    except ImportError:
        pass
    _search = {
        "BACKEND": env("HOSO_SEARCH_ENGINE", _engine[SEARCH_BACKEND]),
        "URLS": env_list("HOSO_SEARCH_URLS", "http://127.0.0.1:9200"),
        "INDEX_PREFIX": env("HOSO_SEARCH_INDEX_PREFIX", "hoso_"),
        "TIMEOUT": 30,
    }
else:
    raise ImproperlyConfigured("HOSO_SEARCH_BACKEND must be 'database', 'elasticsearch' or 'opensearch'")
MODELSEARCH_BACKENDS = {"default": _search}
WAGTAILSEARCH_BACKENDS = MODELSEARCH_BACKENDS
# Hits counted exactly on the embedded engine: above this a search reports "more than" this many and
# ranks and facets the newest this many (search.engines.Fts5Engine).
SEARCH_EXACT_LIMIT = max(1, int(env("HOSO_SEARCH_EXACT_LIMIT", "2000")))

# --- Languages and time ---------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "hoso" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
# dd/mm/yyyy in every language (hoso/formats), and in Wagtail's date pickers.
FORMAT_MODULE_PATH = ["hoso.formats"]
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_SITE_NAME = "hoso"
WAGTAILADMIN_BASE_URL = env("HOSO_BASE_URL", "http://127.0.0.1:8000")
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "odt", "ods", "txt", "csv"]

# --- API ------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "hoso.api.exception_handler",
    "DATE_INPUT_FORMATS": ["%Y-%m-%d", "%d/%m/%Y"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "hoso API",
    "DESCRIPTION": "Hồ sơ điện tử và lưu trữ — API v1",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "PREPROCESSING_HOOKS": ["hoso.api.only_public_api"],
    "ENUM_NAME_OVERRIDES": {
        "DocumentKindEnum": "casefiles.models.Document.Kind",
        "RegisterKindEnum": "routing.models.Register.Kind",
    },
}

# --- Mail (notifications are e-mailed only when EMAIL_HOST is set) -------
EMAIL_HOST = env("HOSO_EMAIL_HOST", "")
EMAIL_PORT = int(env("HOSO_EMAIL_PORT", "587"))
EMAIL_HOST_USER = env("HOSO_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env("HOSO_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("HOSO_EMAIL_TLS", True)
DEFAULT_FROM_EMAIL = env("HOSO_EMAIL_FROM", "hoso@localhost")

# --- Security -------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "SAMEORIGIN"  # the in-browser PDF preview is framed by our own pages
SECURE_CONTENT_TYPE_NOSNIFF = True
if env_bool("HOSO_HTTPS", False):
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("HOSO_LOG_LEVEL", "WARNING")},
}
