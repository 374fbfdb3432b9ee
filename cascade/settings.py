"""Settings, read from environment variables.

SQLite is the default so that a checkout just works; set ``DATABASE_URL``
(for example ``postgres://postgres@127.0.0.1:5432/cascade``) for PostgreSQL.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key


def envbool(name: str, default: str) -> bool:
    return os.environ.get(name, default).lower() in ("1", "true", "yes", "on")


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("CASCADE_DATA_DIR", Path.cwd() / "var")).resolve()


class SettingsError(ImproperlyConfigured):
    """A setting Cascade cannot run with; the ``cascade`` command prints it as one line."""


# What Cascade writes (the SQLite database, keys, photos, backups) is for this user
# alone: files 0600 and folders 0700, whatever the umask of the shell or service.
os.umask(0o077)


def _database() -> dict:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'cascade.sqlite3'}"
    try:
        database = dj_database_url.parse(url)
    except Exception as error:  # the library raises several kinds; the message may not hold the URL
        scheme = url.split("://", 1)[0] if "://" in url else ""
        raise SettingsError(
            "DATABASE_URL is not a database address Cascade can use"
            + (f" (scheme {scheme!r})" if scheme and "Scheme" in str(error) else "")
            + ": write it as postgres://USER:PASSWORD@HOST:5432/NAME or sqlite:////absolute/path/cascade.sqlite3."
        ) from None
    # PostgreSQL: each server process keeps its connection for a minute (checked before
    # reuse) instead of opening one per request. SQLite opens a file, so there is nothing to keep.
    sqlite = database["ENGINE"] == "django.db.backends.sqlite3"
    database["CONN_MAX_AGE"] = envint("CONN_MAX_AGE", 0 if sqlite else 60)
    database["CONN_HEALTH_CHECKS"] = True
    return database


DATABASE = _database()
SQLITE_FILE = (Path(DATABASE["NAME"]) if DATABASE["ENGINE"] == "django.db.backends.sqlite3"
               and DATABASE["NAME"] not in ("", ":memory:") else None)


def _writable(folder: Path) -> None:
    """A data directory this user cannot write ends in one clear line, not a traceback at the first save."""
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not os.access(probe, os.W_OK | os.X_OK):
        raise SettingsError(f"The data directory {folder} cannot be written by this user "
                            f"(uid {os.getuid()}): give it to the user that runs Cascade "
                            f"(chown) or set CASCADE_DATA_DIR to a folder it can write.")


if SQLITE_FILE is not None:
    _writable(SQLITE_FILE.parent)

# Keys that protect data: losing one makes contacts unreadable (fernet_keys), duplicate
# detection blind (lookup_key) or every pseudonym different (pseudonym_key).
DATA_KEYS = ("fernet_keys", "lookup_key", "pseudonym_key")


def _holds_data() -> bool:
    """Whether DATA_DIR already holds what a key protects: a database, or another key."""
    if SQLITE_FILE is not None and SQLITE_FILE.exists() and SQLITE_FILE.stat().st_size > 0:
        return True
    return any((DATA_DIR / name).exists() for name in DATA_KEYS)


def _local_secret(env: str, filename: str, make) -> str:
    """A secret from the environment; for local use one is made once and kept in DATA_DIR.

    Only the first run on an empty data directory makes a key that protects data. Once
    data exists, a missing key file is an error: a new key would not read the old data.
    """
    if os.environ.get(env):
        return os.environ[env]
    path = DATA_DIR / filename
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        if filename in DATA_KEYS and not _FIRST_RUN:
            raise SettingsError(
                f"The key file {path} is missing, but {DATA_DIR} already holds data: a new key could not "
                f"read it. Put the file back (from where you keep your keys) or set {env}.") from None
        _writable(DATA_DIR)
        DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
        key = make()
        path.write_text(key)
        path.chmod(0o600)
        return key
    except PermissionError:
        raise SettingsError(f"The key file {path} cannot be read by this user (uid {os.getuid()}).") from None


# Decided once, before any key is made: the first run makes all of them.
_FIRST_RUN = not _holds_data()


def _fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


def _token() -> str:
    import secrets

    return secrets.token_urlsafe(32)


SECRET_KEY = _local_secret("SECRET_KEY", "secret_key", get_random_secret_key)
# Contact details (email, phone) are encrypted with these Fernet keys: newest first;
# older ones still decrypt until `cascade rotate-keys` has re-encrypted every row.
FERNET_KEYS = [k.strip() for k in _local_secret("CASCADE_FERNET_KEYS", "fernet_keys", _fernet_key).split(",")
               if k.strip()]
# Keyed hashes: email look-ups (duplicate detection) and stable pseudonyms in exports.
LOOKUP_KEY = _local_secret("CASCADE_LOOKUP_KEY", "lookup_key", _token)
PSEUDONYM_KEY = _local_secret("CASCADE_PSEUDONYM_KEY", "pseudonym_key", _token)
# Hashed keys of erased people, kept outside the database and its backups: a restore of
# an older backup erases them again (cascade.access.erasure).
ERASURES_FILE = Path(os.environ.get("CASCADE_ERASURES_FILE", DATA_DIR / "erasures.jsonl"))
DEBUG = envbool("DEBUG", "false")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")

INSTALLED_APPS = [
    # The admin site scoped by cascade.access (django.contrib.admin underneath).
    "cascade.access.apps.CascadeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # `cascade demo` (runserver) leaves static files to WhiteNoise too, hashed names included.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_countries",
    "django_otp",
    # Third-party apps under names of the product in the admin (their labels stay).
    "cascade.accounts.apps.TOTPConfig",
    "cascade.accounts.apps.StaticConfig",
    "cascade.accounts.apps.AxesConfig",
    "cascade.audit.apps.ChangeHistoryConfig",
    "csp",
    "cascade.network",
    "cascade.curriculum",
    "cascade.trainings",
    "cascade.indicators",
    "cascade.metrics",
    "cascade.spreadsheets",
    "cascade.demo",
    "cascade.accounts",
    "cascade.photos",
    "cascade.audit",
    "cascade.web",
    "cascade.stories",
    "cascade.selection",
    "cascade.ops",
    # Offline step-down reports (ODK Collect, KoboCollect): cascade xlsform, cascade submissions.
    "cascade.offline",
    "django_tasks",
    "cascade.jobs.apps.TaskQueueConfig",
    "cascade.jobs",
    # The REST API (/api/v1/): tokens, figures, trainings, step-down reports.
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "cascade.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files (CSS, fonts, scripts) answered here, before sessions or sign-in are looked at.
    "cascade.ops.staticfiles.StaticFilesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "cascade.ops.middleware.RequestBodyLimit",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "cascade.accounts.middleware.TwoFactorMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "csp.middleware.CSPMiddleware",
    "cascade.web.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cascade.access.middleware.NoRoleMiddleware",  # a user without a role sees nothing
    # pages read the last figures while a worker recomputes (cascade.metrics.deferred)
    "cascade.metrics.deferred.ReaderMiddleware",
    # Last, so it sees the sign-in failures of every view.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cascade.urls"

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

WSGI_APPLICATION = "cascade.wsgi.application"

DATABASES = {"default": DATABASE}
if DATABASE["ENGINE"] == "django.db.backends.sqlite3":
    # Small installs: WAL lets pages read while an import or a backup writes; writes take
    # the lock when their transaction starts (IMMEDIATE), so one that must wait waits for
    # up to SQLITE_TIMEOUT seconds in a queue instead of failing with "database is locked".
    DATABASE.setdefault("OPTIONS", {})
    DATABASE["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASE["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    DATABASE["OPTIONS"].setdefault("timeout", envint("SQLITE_TIMEOUT", 30))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background jobs (imports, reports, exports, backups, the engine's recompute) go to a
# queue in the database, run by `cascade worker`: no broker, on SQLite and PostgreSQL.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Result files of finished jobs (reports, exports) are kept this many days, then removed.
JOB_RESULT_DAYS = envint("CASCADE_JOB_RESULT_DAYS", 7)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Accounts and security (see docs/security.md) ---------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "cascade.accounts.backends.ThrottledSignInBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
# Sign-in throttling: after 5 failures for a username from one address, an hour's pause.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The client's address as the public form sees it (the proxy's X-Forwarded-For entry when
# CASCADE_BEHIND_PROXY is set): otherwise every failure counts against the proxy's address
# and five wrong passwords would lock the account for everyone.
AXES_CLIENT_IP_CALLABLE = "cascade.lib.clients.client_address"
AXES_RESET_ON_SUCCESS = True
# Second factor: required of network admins and partner staff, except in the labelled
# demo mode (CASCADE_DEMO=1), where enrolment is offered but not enforced.
DEMO_MODE = envbool("CASCADE_DEMO", "false")
OTP_TOTP_ISSUER = os.environ.get("CASCADE_SITE_NAME", "Cascade")
# Sessions end after a working day, and when the browser closes.
SESSION_COOKIE_AGE = envint("SESSION_HOURS", 8) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# An expired or cookieless form: a page in the app's layout and language (cascade.web.errors).
CSRF_FAILURE_VIEW = "cascade.web.errors.csrf_failure"
# Security headers. CASCADE_HTTPS=1 in production turns on the HTTPS-only settings.
HTTPS = envbool("CASCADE_HTTPS", "false")
SECURE_SSL_REDIRECT = HTTPS
# A load balancer asks /healthz over plain HTTP on the app server's own port.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS and envbool("SECURE_HSTS_PRELOAD", "true")
# Behind a reverse proxy, it tells us the scheme and the client's address (X-Forwarded-For):
# the public form's rate limit counts per applicant, not per proxy.
BEHIND_PROXY = envbool("CASCADE_BEHIND_PROXY", "false")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# One cache for every worker process (the public form's rate limit lives there) when
# REDIS_URL is set, e.g. redis://127.0.0.1:6379/0; otherwise each process keeps its own.
if os.environ.get("REDIS_URL"):
    # A Redis that does not answer fails a request within seconds (and /healthz says so), not never.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": os.environ["REDIS_URL"],
                          "OPTIONS": {"socket_connect_timeout": 3, "socket_timeout": 3}}}
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content security policy: everything from this site only, no inline scripts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# The network's working languages. Arabic and Persian are written right to left.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("ru", "Русский"),
    ("kk", "Қазақша"),
    ("ky", "Кыргызча"),
    ("uz", "Oʻzbekcha"),
    ("tg", "Тоҷикӣ"),
    ("ka", "ქართული"),
    ("ar", "العربية"),
    ("fa", "فارسی"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["cascade.formats"]  # Kazakh: Django ships no formats file
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))

# Photos and uploaded files are for this user alone; the static assets (CSS, fonts,
# scripts) hold nothing personal, so a reverse proxy running as another user may serve them.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # `collectstatic` gives each asset a name with its content's hash and a compressed copy
    # (gzip, and brotli when installed); WhiteNoise serves those for a year, "immutable".
    # Until collectstatic has run (tests, a fresh checkout) pages name the plain files.
    "staticfiles": {"BACKEND": "cascade.ops.staticfiles.HashedStaticFiles",
                    "OPTIONS": {"file_permissions_mode": 0o644, "directory_permissions_mode": 0o755}},
}

# Compressed copies of static files (cascade.ops.staticfiles): on for `cascade serve`;
# `cascade demo` collects without them.
STATIC_COMPRESS = True
# Source maps (6 of the 12 MB of assets, the API pages' bundles) are read by developers'
# tools only: not worth compressing at every release.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (
    "jpg", "jpeg", "png", "gif", "webp", "zip", "gz", "tgz", "bz2", "tbz", "xz", "br", "swf", "flv",
    "woff", "woff2", "3gp", "3gpp", "asf", "avi", "m4v", "mov", "mp4", "mpeg", "mpg", "webm", "wmv", "map",
)

# Request bodies. Uploads over 5 MB go to a temporary file (0600), not to memory; form
# fields other than files may hold 20 MB. cascade.ops.middleware.RequestBodyLimit refuses
# a body larger than CASCADE_MAX_BODY_MB (default 100 MB: the largest spreadsheet upload)
# from its Content-Length, before anything reads it; the public application form has its
# own, smaller limit. Set the proxy's client_max_body_size to the same (docs/security.md).
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
MAX_REQUEST_BODY = envint("CASCADE_MAX_BODY_MB", 100) * 1024 * 1024

# E-mail: printed to the console in development; set EMAIL_HOST for SMTP in production.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "true")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "cascade@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}


# --- The REST API (cascade.api, docs/api.md) ---------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "cascade.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",  # the signed-in browser, with CSRF
    ],
    "DEFAULT_PERMISSION_CLASSES": ["cascade.api.authentication.HasRole"],
    "DEFAULT_THROTTLE_CLASSES": ["cascade.api.authentication.PerTokenThrottle"],
    "DEFAULT_PAGINATION_CLASS": "cascade.api.pagination.Paging",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Requests per token (or per signed-in user) in the shared cache; "N/second|minute|hour|day".
CASCADE_API_RATE = os.environ.get("CASCADE_API_RATE", "1000/hour")
SPECTACULAR_SETTINGS = {
    "TITLE": "Cascade API",
    "DESCRIPTION": "Figures, trainings, people and step-down reports of a cascade network (docs/api.md).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_PERMISSIONS": ["cascade.api.authentication.HasRole"],
}
