"""Banshi settings: one env-driven module.

SQLite (WAL) is the embedded default; ``DATABASE_URL`` switches to PostgreSQL. Nothing here exists
only in production: the production switches are environment variables (see README "配置").
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", default=False)
VAR_DIR = Path(env("BANSHI_VAR_DIR", str(BASE_DIR / "var")))


def _local_secret_key() -> str:
    """Without SECRET_KEY, a random key is made once and kept in var/ (never in the repository),
    so a fresh checkout runs without setup and no two installations share a key."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        import secrets

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = env("SECRET_KEY") or _local_secret_key()
ALLOWED_HOSTS = [h.strip() for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in env("CSRF_TRUSTED_ORIGINS").split(",") if o.strip()]
SITE_NAME = env("SITE_NAME", "办实事")
# The public address of the site, for links in SMS and e-mail (e.g. https://banshi.changsha.gov.cn).
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "banshi.core",
    "banshi.orgtree",
    "banshi.accounts",
    "banshi.notify",
    "banshi.workflow",
    "banshi.audit",
    "banshi.grid",
    "banshi.workorders",
    "banshi.projects",
    "banshi.volunteers",
    "banshi.party",
    "banshi.indicators",
    "banshi.insight",
    "banshi.open311",
    "banshi.api",
    "banshi.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "banshi.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "banshi.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "banshi.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "banshi" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "banshi.accounts.context_processors.navigation",
                "banshi.notify.context_processors.unread",
                "banshi.core.context_processors.calendar_notice",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite: WAL so readers never block the writer, synchronous=NORMAL (safe under WAL), a busy
# timeout so concurrent writers queue instead of failing, and IMMEDIATE transactions so a
# transaction takes the write lock at BEGIN rather than failing half-way on upgrade.
SQLITE_PATH = Path(env("SQLITE_PATH", str(VAR_DIR / "banshi.sqlite3")))
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=600, conn_health_checks=True)
    }
else:
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA busy_timeout=20000;"
                    "PRAGMA foreign_keys=ON;"
                ),
            },
            "TEST": {"NAME": env("SQLITE_TEST_PATH") or None},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["banshi.accounts.backends.MobileBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
# Failed-login throttle: this many failures per mobile number (or per client address) inside
# the window lock further attempts until the window passes.
# Abuse limits on anonymous intake (the public API, the citizen form /ask/, and Open311 POSTs
# without a valid key): "count/period" with s, m, h or d ("20/h", "100/d", "5/10m"), empty for
# none. Idempotent replays of an acknowledged submission are never counted nor refused.
# PUBLIC_INTAKE_LIMITS=0 switches them all off (the benchmarks do).
PUBLIC_INTAKE_LIMITS = env_bool("PUBLIC_INTAKE_LIMITS", default=True)
PUBLIC_INTAKE_RATE_PER_ADDRESS = env("PUBLIC_INTAKE_RATE_PER_ADDRESS", "20/h")
PUBLIC_INTAKE_RATE_PER_PHONE = env("PUBLIC_INTAKE_RATE_PER_PHONE", "5/h")
# Behind reverse proxies: how many of them append to X-Forwarded-For (0: trust only REMOTE_ADDR).
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))
LOGIN_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW_SECONDS = int(env("LOGIN_FAILURE_WINDOW_SECONDS", "900"))

# --- I18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing root
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("BANSHI_PLAIN_STATIC")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or env_bool("BANSHI_PLAIN_STATIC")
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Tasks ----------------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Notifications --------------------------------------------------------------------------
NOTIFY_CHANNELS = {
    "sms": env("NOTIFY_SMS_CHANNEL", "banshi.notify.channels.FileChannel"),
    "email": env("NOTIFY_EMAIL_CHANNEL", "banshi.notify.channels.EmailChannel"),
    "inapp": "banshi.notify.channels.InAppChannel",
}
NOTIFY_OUTBOX_FILE = Path(env("NOTIFY_OUTBOX_FILE", str(VAR_DIR / "outbox.log")))
# How long a worker holds a message it is sending before another may take it over (seconds);
# longer than the slowest SMS/e-mail gateway call.
NOTIFY_CLAIM_LEASE_SECONDS = int(env("NOTIFY_CLAIM_LEASE_SECONDS", "300"))
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "banshi@localhost")

# --- 实事项目: the residents' online survey ----------------------------------------------------
# One answer per mobile and project, proven by a one-time invitation or an SMS code; limits per
# client address (and per mobile for codes) inside a sliding window. See banshi/projects/conf.py.
PROJECTS_SURVEY_CODE_TTL_SECONDS = int(env("PROJECTS_SURVEY_CODE_TTL_SECONDS", "600"))
PROJECTS_SURVEY_CODE_ATTEMPTS = int(env("PROJECTS_SURVEY_CODE_ATTEMPTS", "5"))
PROJECTS_SURVEY_WINDOW_SECONDS = int(env("PROJECTS_SURVEY_WINDOW_SECONDS", "3600"))
PROJECTS_SURVEY_CODES_PER_CLIENT = int(env("PROJECTS_SURVEY_CODES_PER_CLIENT", "20"))
PROJECTS_SURVEY_CODES_PER_PHONE = int(env("PROJECTS_SURVEY_CODES_PER_PHONE", "3"))
PROJECTS_SURVEY_VOTES_PER_CLIENT = int(env("PROJECTS_SURVEY_VOTES_PER_CLIENT", "30"))

# --- 志愿服务: hours rules, star levels, the check-in QR code --------------------------------------
# Hours at which a volunteer reaches one to five stars (comma-separated, ascending).
VOLUNTEER_STAR_HOURS = tuple(
    int(h) for h in env("VOLUNTEER_STAR_HOURS", "100,300,600,1000,1500").split(",") if h.strip()
)
VOLUNTEER_DAILY_CAP_MINUTES = int(env("VOLUNTEER_DAILY_CAP_MINUTES", "480"))
# How long a check-in QR token is accepted; the organiser's screen shows a new one every 30 s.
VOLUNTEER_QR_TTL_SECONDS = int(env("VOLUNTEER_QR_TTL_SECONDS", "120"))
# 双报到: in-service members confirm their registration every this many months, the list of
# those due opens this many days before; each is expected to serve this many hours a year.
PARTY_CONFIRM_MONTHS = int(env("PARTY_CONFIRM_MONTHS", "6"))
PARTY_CONFIRM_NOTICE_DAYS = int(env("PARTY_CONFIRM_NOTICE_DAYS", "30"))
PARTY_YEARLY_HOURS = int(env("PARTY_YEARLY_HOURS", "50"))

# --- Security (the production switches come from the environment) ---------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy on every response (banshi.core.middleware; the same setting name and
# shape as Django 6's built-in CSP support). Scripts only from our own static files: no inline
# <script>, no on…= handlers, no eval; page data travels in json_script blocks
# (type=application/json, which is data, not script) or data- attributes. Styles: <style> and
# stylesheets only from our own files (htmx's injected indicator <style> is switched off in
# base.html, its rules live in site.css), but style *attributes* stay allowed: ECharts writes
# its tooltips as HTML with style="…" on every marker, and a few templates set a computed width.
# Browsers without CSP 3 (style-src-attr / -elem) fall back to style-src, which allows both.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "style-src-elem": ["'self'"],
    "style-src-attr": ["'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "filters": {"request_id": {"()": "banshi.core.middleware.RequestIdLogFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # One line per delivered message would drown the console after the demo seeds thousands.
        "django_tasks": {"level": "WARNING"},
    },
}

NINJA_PAGINATION_PER_PAGE = 50
BANSHI_DEMO_PHONE_PREFIX = "1990000"

# Indicators (banshi.indicators): a quarter's report is due this many working days after the
# quarter ends; the year's targets this many working days after the year begins.
INDICATORS_REPORT_WORKING_DAYS = int(env("INDICATORS_REPORT_WORKING_DAYS", "10"))
INDICATORS_TARGET_WORKING_DAYS = int(env("INDICATORS_TARGET_WORKING_DAYS", "20"))
