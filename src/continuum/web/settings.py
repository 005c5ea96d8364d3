"""Django settings. Everything a deployment changes comes from the environment (see README, "Configuration")."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    try:
        return int(value) if value else default
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def _secret_key(var_dir: Path) -> str:
    """CONTINUUM_SECRET_KEY, else the file CONTINUUM_SECRET_KEY_FILE names, else <var dir>/secret_key.

    A deployment sets one of the variables. The last is the key `make setup` writes for the demo, so the
    commands work from the checkout without exporting anything; it is used only when no one else may read
    or change it, as it sits beside the SQLite database that it belongs with.
    """
    if key := os.environ.get("CONTINUUM_SECRET_KEY"):
        return key
    if named := os.environ.get("CONTINUUM_SECRET_KEY_FILE"):
        return _read_secret_key(Path(named), "CONTINUUM_SECRET_KEY_FILE names")
    path = var_dir / "secret_key"
    if not path.exists():
        raise ImproperlyConfigured(
            f"no secret key: set CONTINUUM_SECRET_KEY or CONTINUUM_SECRET_KEY_FILE, or CONTINUUM_VAR_DIR to the "
            f"folder `make demo` set up (looked for {path})"
        )
    if path.stat().st_mode & 0o077:
        raise ImproperlyConfigured(
            f"{path} may be read or changed by other users, so it is not used as the secret key: "
            f"run `chmod 600 {path}` or set CONTINUUM_SECRET_KEY_FILE"
        )
    return _read_secret_key(path, "the secret key file")


def _read_secret_key(path: Path, named_by: str) -> str:
    try:
        key = path.read_text().strip()
    except OSError as exc:
        raise ImproperlyConfigured(f"{named_by} {path}, which cannot be read ({exc.strerror})") from None
    if not key:
        raise ImproperlyConfigured(f"{named_by} {path}, which is empty: put a long random secret in it")
    return key


def _database(url: str | None, var_dir: Path) -> dict:
    """A Django DATABASES entry from DATABASE_URL (postgres://user:pass@host:port/name) or SQLite under var/."""
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": var_dir / "continuum.sqlite3",
            # WAL lets the web server read while a load writes; IMMEDIATE avoids lock upgrades failing.
            # A write waits up to `timeout` seconds for another's to finish. Django's 5 s was too short
            # when fifty people signed in at once (bench/load.py): SQLite's waiters poll rather than
            # queue, so an unlucky one kept missing the lock while hundreds of other writes went
            # through, and failed with "database is locked".
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured(
            "DATABASE_URL has a port that is not a number (postgres://user:password@host:port/name)"
        ) from None
    if parts.scheme in {"sqlite", "sqlite3"}:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": unquote(parts.path) or ":memory:"}
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL scheme {parts.scheme!r} is not supported: use postgres://user:password@host:port/name"
        )
    if not parts.path.lstrip("/"):
        raise ImproperlyConfigured("DATABASE_URL names no database: use postgres://user:password@host:port/name")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(port or ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


SRC_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CONTINUUM_VAR_DIR") or "var").resolve()

SECRET_KEY = _secret_key(VAR_DIR)
DEBUG = _env_bool("CONTINUUM_DEBUG", False)
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("CONTINUUM_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")]
# Served over HTTPS (production) unless a deployment says otherwise; the local demo sets false.
HTTPS = _env_bool("CONTINUUM_HTTPS", True)
# Two-factor codes are required unless the deployment turns them off (the demo does).
REQUIRE_TWO_FACTOR = _env_bool("CONTINUUM_REQUIRE_2FA", True)
ACCESS_POLICY_PATH = Path(os.environ.get("CONTINUUM_ACCESS_POLICY", SRC_DIR / "agencies" / "access_policy.toml"))
SERVICE_NAME = os.environ.get("CONTINUUM_SERVICE_NAME", "Continuum")
# The demonstration says on every page that its people are synthetic.
DEMO = _env_bool("CONTINUUM_DEMO", False)
# The front door aims to decide each referral within this many working days (England's bank holidays excluded).
DECISION_TARGET_WORKING_DAYS = _env_int("CONTINUUM_DECISION_TARGET_WORKING_DAYS", 1)
if DECISION_TARGET_WORKING_DAYS < 1:
    raise ImproperlyConfigured(
        f"CONTINUUM_DECISION_TARGET_WORKING_DAYS must be 1 or more, not {DECISION_TARGET_WORKING_DAYS}"
    )

INSTALLED_APPS = [
    "continuum.agencies.adminsite.ContinuumAdminConfig",  # Django's admin, for administrators only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "continuum.web",
    "continuum.people",
    "continuum.agencies",
    "continuum.audit",
    "continuum.programmes",
    "continuum.frontdoor",
    "continuum.casework",
    "continuum.measures",
    "continuum.signals",
    "continuum.linkage",
    "continuum.county",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "continuum.web.middleware.TwoFactorMiddleware",
    "continuum.measures.respondent.RespondentLockMiddleware",  # a device handed to a young person or parent
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "continuum.web.middleware.SensitivePageHeadersMiddleware",
    "continuum.audit.middleware.AuditContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "continuum.web.urls"
WSGI_APPLICATION = "continuum.web.wsgi.application"
AUTH_USER_MODEL = "agencies.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        # Each module keeps its pages in <module>/templates/ (Django's Jinja2 default would be jinja2/).
        "DIRS": sorted(SRC_DIR.glob("*/templates")),
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "continuum.web.jinja2.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
    {
        # The Django admin keeps its own templates.
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

DATABASES = {"default": _database(os.environ.get("DATABASE_URL"), VAR_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: five failures for one username from one address locks it for 30 minutes.
AXES_FAILURE_LIMIT = _env_int("CONTINUUM_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = _env_int("CONTINUUM_LOGIN_LOCKOUT_MINUTES", 30) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "continuum.web.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# Sessions end after inactivity (default 30 minutes) and with the browser.
SESSION_COOKIE_AGE = _env_int("CONTINUUM_SESSION_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "continuum.web.views.csrf_failure"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = HTTPS and _env_bool("CONTINUUM_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if _env_bool("CONTINUUM_BEHIND_PROXY", False) else None
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# No inline script or style anywhere: every script is a file served from this origin.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

# GOV.UK Frontend's compiled CSS refers to /assets/fonts and /assets/images, so static lives at /assets/.
STATIC_URL = "/assets/"
STATIC_ROOT = VAR_DIR / "static"
# Where agency feeds land what is too big for the database (attendance marks, as Parquet): a folder on this machine,
# or the deployment's mounted object store.
FEEDS_DIR = Path(os.environ.get("CONTINUUM_FEEDS_DIR") or VAR_DIR / "feeds").resolve()
# Record linkage: where trained models are saved (each also in the database), and the engine Splink runs on.
LINKAGE_DIR = Path(os.environ.get("CONTINUUM_LINKAGE_DIR") or VAR_DIR / "linkage").resolve()
LINKAGE_BACKEND = os.environ.get("CONTINUUM_LINKAGE_BACKEND", "duckdb")  # or "spark"
# The signals module's readable settings: a deployment's own copy of each file, or the packaged one (None).
INDICATORS_PATH = os.environ.get("CONTINUUM_INDICATORS") or None  # signals/indicators.toml
CONCERNS_PATH = os.environ.get("CONTINUUM_CONCERNS") or None  # signals/concerns.toml
ATTENDANCE_PROTOCOL_PATH = os.environ.get("CONTINUUM_ATTENDANCE_PROTOCOL") or None  # signals/attendance_protocol.toml
GAP_RULES_PATH = os.environ.get("CONTINUUM_GAP_RULES") or None  # signals/gap_rules.toml
# GOV.UK Frontend, copied from npm by `make setup`.
STATICFILES_DIRS = [Path(os.environ.get("CONTINUUM_ASSETS_DIR", VAR_DIR / "vendor"))]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

_EMAIL_BACKEND = os.environ.get("CONTINUUM_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
MAILERS = {
    "default": {
        "BACKEND": _EMAIL_BACKEND,
        # The file backend (the demo's: each message a file) writes to CONTINUUM_EMAIL_FILE_PATH, by default var/mail.
        "OPTIONS": {"file_path": os.environ.get("CONTINUUM_EMAIL_FILE_PATH") or str(VAR_DIR / "mail")}
        if _EMAIL_BACKEND.endswith("filebased.EmailBackend")
        else {},
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("CONTINUUM_FROM_EMAIL", "continuum@localhost")
OTP_TOTP_ISSUER = SERVICE_NAME

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CONTINUUM_LOG_LEVEL", "WARNING")},
}
