"""Django settings, built from the hub's TOML config (:mod:`hub.config`).

``HUB_CONFIG`` names the file; ``HUB_DATABASE_URL`` overrides ``database.url`` (the tests and the
benchmark point it at a throw-away PostgreSQL cluster).
"""
from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from hub.config import ConfigError, load_config

HUB = load_config()
HUB_DIR = Path(__file__).resolve().parent


def _secret_key() -> str:
    path = HUB.resolve(HUB.web.secret_key_file)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(f"{path}: the secret key file is readable by others (chmod 600 it)")
    return path.read_text().strip()


def database_settings(url: str, password_file: str = "") -> dict:
    """Django's DATABASES entry for a ``sqlite:///`` or ``postgresql://`` URL."""
    if url.startswith("sqlite:///"):
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(HUB.resolve(url[10:])),
                "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE",
                            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL"}}
    parts = urlsplit(url)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    password = unquote(parts.password or "")
    if password_file:
        password = HUB.resolve(password_file).read_text().strip()
    return {"ENGINE": "django.db.backends.postgresql", "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""), "PASSWORD": password,
            "HOST": query.pop("host", parts.hostname or ""), "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True, "OPTIONS": query}


SECRET_KEY = os.environ.get("HUB_SECRET_KEY") or _secret_key()
DEBUG = HUB.web.debug
ALLOWED_HOSTS = list(HUB.web.allowed_hosts)
CSRF_TRUSTED_ORIGINS = list(HUB.web.csrf_trusted_origins)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "hub.schools",
    "hub.ingest",
    "hub.web",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hub.web.middleware.VietnameseFirst",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out log-in into its own answer.
    "axes.middleware.AxesMiddleware",
]
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend",
                           "django.contrib.auth.backends.ModelBackend"]
ROOT_URLCONF = "hub.urls"
WSGI_APPLICATION = "hub.wsgi.application"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
        "hub.web.context.hub_context",
    ]},
}]

DATABASES = {"default": database_settings(os.environ.get("HUB_DATABASE_URL") or HUB.database.url,
                                          HUB.database.password_file)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Vietnamese first, English second; times in Vietnam time.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = str(HUB.resolve(HUB.web.static_root))
# WhiteNoise serves the app's static files straight from the package (no collectstatic step).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if HUB.web.behind_tls_proxy:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000

# django-axes: a user name + address pair is locked out after failure_limit wrong passwords
# for cooloff_min minutes (records in the database, so every server process sees them).
AXES_FAILURE_LIMIT = HUB.login.failure_limit
AXES_COOLOFF_TIME = HUB.login.cooloff_min / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "hub/locked_out.html"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = 1 if HUB.web.behind_tls_proxy else None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"axes": {"level": "WARNING"}, "django.server": {"level": "WARNING"}},
}
