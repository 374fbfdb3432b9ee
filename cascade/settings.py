"""Settings, read from environment variables.

SQLite is the default so that a checkout just works; set ``DATABASE_URL``
(for example ``postgres://postgres@127.0.0.1:5432/cascade``) for PostgreSQL.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.management.utils import get_random_secret_key


def envbool(name: str, default: str) -> bool:
    return os.environ.get(name, default).lower() in ("1", "true", "yes", "on")


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("CASCADE_DATA_DIR", Path.cwd() / "var")).resolve()


def _local_secret(env: str, filename: str, make) -> str:
    """A secret from the environment; for local use one is made once and kept in DATA_DIR."""
    if os.environ.get(env):
        return os.environ[env]
    path = DATA_DIR / filename
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key = make()
        path.write_text(key)
        path.chmod(0o600)
        return key


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
    "django.contrib.staticfiles",
    "django_countries",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "auditlog",
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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
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

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'cascade.sqlite3'}",
        conn_max_age=envint("CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while an import or backup writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
# Security headers. CASCADE_HTTPS=1 in production turns on the HTTPS-only settings.
HTTPS = envbool("CASCADE_HTTPS", "false")
SECURE_SSL_REDIRECT = HTTPS
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
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": os.environ["REDIS_URL"]}}
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

# Spreadsheets can be large; keep uploads on disk rather than in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

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
