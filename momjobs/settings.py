"""One settings module, read from the environment, with safe defaults for local use.

Production sets at least SECRET_KEY, DEBUG=0, ALLOWED_HOSTS, DATABASE_URL, REDIS_URL and
EMAIL_URL; `manage.py check --deploy` is then clean (tests/test_settings.py proves it).
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit, urlunsplit

from django.utils.csp import CSP
from django.utils.translation import gettext_lazy

from momjobs.lib import sms

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def database_from_url(url):
    # A dozen lines instead of a dependency: postgres://user:pass@host:port/name?opt=val
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ValueError(f"DATABASE_URL must be a postgres:// URL, not {parts.scheme!r}")
    options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")) or "momjobs",
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": int(env("DB_CONN_MAX_AGE", "60")),
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": options,
    }


def mailer_from_url(url):
    """EMAIL_URL -> a Django 6.1 MAILERS entry.

    smtp://user:pass@host:587?tls=1   SMTP (starttls with tls=1, implicit TLS with ssl=1)
    file:///path/to/folder            one .log file per message (the demo's "mail folder")
    console://                        printed on stdout
    memory://                         kept in memory (unit tests)
    """
    parts = urlsplit(url)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    if parts.scheme in {"smtp", "smtps"}:
        options = {
            "host": parts.hostname or "localhost",
            "port": parts.port or (465 if parts.scheme == "smtps" else 25),
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_tls": query.get("tls") == "1",
            "use_ssl": parts.scheme == "smtps" or query.get("ssl") == "1",
            "timeout": int(query.get("timeout", "20")),
        }
        return {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}
    if parts.scheme == "file":
        return {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": unquote(parts.path)},
        }
    if parts.scheme == "console":
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme == "memory":
        return {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    raise ValueError(f"EMAIL_URL scheme {parts.scheme!r} is not supported")


DEBUG = env_bool("DEBUG", True)
# Demo mode shows the "示例数据 / sample data" banner on every page.
DEMO_MODE = env_bool("DEMO_MODE", DEBUG)

# The local default is only usable with DEBUG on; production must set its own.
SECRET_KEY = env("SECRET_KEY", "django-insecure-local-development-key-do-not-use-in-production")
if not DEBUG and SECRET_KEY.startswith("django-insecure"):
    raise RuntimeError("Set SECRET_KEY when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Absolute links in emails, feeds and QR codes.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # The sitemap's templates (directory/search/sitemaps.py).
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_filters",
    "momjobs.users",
    "momjobs.regions",
    "employers",
    "directory",
]
# The demo's data and commands exist only in demo mode (directory/demo/apps.py).
if DEMO_MODE:
    INSTALLED_APPS.append("directory.demo")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and feeds gzip-compressed (momjobs/lib/compress.py); static files are WhiteNoise's.
    "momjobs.lib.compress.TextGZipMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "momjobs.lib.hostile.RejectNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "momjobs.users.twofactor.TwoFactorRequiredMiddleware",
    "momjobs.users.twofactor.StaffIdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "momjobs.urls"
WSGI_APPLICATION = "momjobs.wsgi.application"
ASGI_APPLICATION = "momjobs.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "momjobs.context_processors.site",
            ],
        },
    },
    {
        # Plain text (email bodies and subjects, SMS): the same templates, never HTML-escaped, so
        # a title with &, < or quotes reads as written (momjobs/lib/emails.py, sms.py).
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

DATABASES = {
    "default": database_from_url(env("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/momjobs"))
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:6379/0")


def _redis_db(url, db):
    """The same Redis server, another database number."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{db}"))


# Two roles, kept apart: REDIS_URL is the Celery broker (queued digests and imports: never
# evicted), CACHE_REDIS_URL the cache and rate-limit counters (may be evicted: an LRU
# `maxmemory` policy belongs on its server only). Locally one server, two databases; compose
# runs two servers with their own memory policy (docs/operations.md).
CACHE_REDIS_URL = env("CACHE_REDIS_URL", _redis_db(REDIS_URL, 1))
CACHES = {
    "default": {
        # Django's, with one client per connection pool (momjobs/lib/cache.py).
        "BACKEND": "momjobs.lib.cache.RedisCache",
        "LOCATION": CACHE_REDIS_URL,
        "KEY_PREFIX": "momjobs",
        "TIMEOUT": 300,
        # A cache that does not answer within a second is treated as away (momjobs/lib/cache.py).
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}

AUTH_USER_MODEL = "users.User"
LOGIN_URL = "users:login"
LOGIN_REDIRECT_URL = "users:dashboard"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    # Staff (employers, bureaus, admins) act for an organisation: at least 12 characters.
    {"NAME": "momjobs.users.passwords.StaffMinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Chinese first; English complete. Chinese pages live at the root, English under /en/.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
# CVs and business licences: never under MEDIA_ROOT, only served through views that check access.
PRIVATE_ROOT = Path(env("PRIVATE_ROOT", str(BASE_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Email through Django 6.1's MAILERS. The local default writes each message to a folder.
EMAIL_URL = env("EMAIL_URL", f"file://{BASE_DIR / '.data' / 'mail'}")
MAILERS = {"default": mailer_from_url(EMAIL_URL)}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "妈妈岗服务平台 <noreply@momjobs.localhost>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# SMS through momjobs/lib/sms.py, configured like EMAIL_URL: file:///dir (the local default, one
# .txt per message), console://, memory:// or tencent://… (Tencent Cloud SMS; docs/sms.md).
SMS_URL = env("SMS_URL", f"file://{BASE_DIR / '.data' / 'sms'}")
# The provider's approved template id for each message of templates/sms/.
SMS_TEMPLATES = {
    "code": env("SMS_TEMPLATE_CODE"),
    "application_status": env("SMS_TEMPLATE_APPLICATION_STATUS"),
    "application_message": env("SMS_TEMPLATE_APPLICATION_MESSAGE"),
    "posting_closed": env("SMS_TEMPLATE_POSTING_CLOSED"),
    "posting_taken_down": env("SMS_TEMPLATE_POSTING_TAKEN_DOWN"),
}
sms.check(SMS_URL, SMS_TEMPLATES)

# Celery: Redis broker; tasks acknowledged late so a killed worker's task is redelivered.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# Longer than any task may run, so Redis does not hand a running task to a second worker.
CELERY_VISIBILITY_TIMEOUT = int(env("CELERY_VISIBILITY_TIMEOUT", "3600"))
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # Queuing a task (after a publish, a report, a sign-up) tries once more after 0.2 s and then
    # gives up (each caller logs and a sweep or the next request catches up): kombu's default
    # retries took 6 s per call while Redis was down, 20 s for a bureau's "publish".
    "max_retries": 1,
    # (and does not wait for a host that does not answer: connecting times out after 1 s)
    "socket_connect_timeout": 1,
    "interval_start": 0.2,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {}
# Rendering a phase's documents takes seconds of CPU: its own queue, read by its own worker
# (tools/commands.py DOCUMENTS_CMD), so that digests and mail never wait behind it.
CELERY_TASK_ROUTES = {"directory.render_phase_documents": {"queue": "documents"}}

# Security headers. Secure cookies and HSTS follow DEBUG so local http works.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
# Behind a TLS-terminating proxy (docker-compose's web sits behind one in production).
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies in front of the web server append to X-Forwarded-For (the client's address
# is the one the farthest trusted proxy saw; momjobs/lib/ratelimit.py client_ip). 0: none, the
# connection's own address is the client's. One proxy by default behind TLS termination.
TRUSTED_PROXIES = int(env("TRUSTED_PROXIES", "1" if BEHIND_TLS_PROXY else "0"))
# Health checks come from the orchestrator over plain http.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Django 6's built-in CSP: nothing from other hosts; scripts only with the per-request nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"jieba": {"level": "WARNING"}},
}

# Job-search defaults shared by pages and the API.
PAGE_SIZE = 20
# An unset filter reads "Any" in the page's language, not django-filter's "---------".
FILTERS_EMPTY_CHOICE_LABEL = gettext_lazy("不限")
# A standard working month for comparing monthly pay with hourly pay (21.75 days x 8 hours),
# the figure China's labour administration uses for converting monthly wages.
STANDARD_MONTH_HOURS = 174

# Rate limits (momjobs/lib/ratelimit.py). Sign-in counts failures per address and per account.
RATE_LIMITS_ENABLED = env_bool("RATE_LIMITS_ENABLED", True)
LOGIN_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "10"))
LOGIN_FAILURE_PERIOD = int(env("LOGIN_FAILURE_PERIOD", "900"))
# Per client address (Redis): higher than the per-account limit, since a whole office or mobile
# network can share one address.
LOGIN_ADDRESS_FAILURE_LIMIT = int(env("LOGIN_ADDRESS_FAILURE_LIMIT", "50"))

# SMS codes for seekers' sign-in (momjobs/users/codes.py): per number one a minute (fixed) and
# this many a day; per client address this many an hour.
SMS_CODES_PER_DAY = int(env("SMS_CODES_PER_DAY", "10"))
SMS_CODES_PER_CLIENT_HOUR = int(env("SMS_CODES_PER_CLIENT_HOUR", "30"))

# Two-factor sign-in (TOTP): available to all staff, required for these roles.
TWO_FACTOR_REQUIRED_ROLES = ["bureau", "admin"]
# Bureau and admin sessions end after this many seconds without a request.
STAFF_IDLE_TIMEOUT = int(env("STAFF_IDLE_TIMEOUT", "1800"))
STAFF_PASSWORD_MIN_LENGTH = 12
TOTP_ISSUER = env("TOTP_ISSUER", "妈妈岗服务平台")

# Privacy (PIPL): the version of the privacy notice a seeker consents to, and how long after a
# posting closes its applications keep personal data before they become anonymous counts.
PRIVACY_POLICY_VERSION = "2026-12"
# Who runs the portal and answers for personal data (PIPL art. 17): shown on /privacy/.
PRIVACY_OPERATOR_NAME = env("PRIVACY_OPERATOR_NAME", "妈妈岗服务平台运营单位（示例）")
PRIVACY_OPERATOR_CONTACT = env("PRIVACY_OPERATOR_CONTACT", "privacy@momjobs.localhost")
# Accounts nobody ever confirmed, subscriptions never confirmed, and unsubscribed subscriptions
# are deleted (or made anonymous) after these many days by a daily task.
UNCONFIRMED_ACCOUNT_DAYS = int(env("UNCONFIRMED_ACCOUNT_DAYS", "30"))
UNCONFIRMED_SUBSCRIPTION_DAYS = int(env("UNCONFIRMED_SUBSCRIPTION_DAYS", "30"))
UNSUBSCRIBED_RETENTION_DAYS = int(env("UNSUBSCRIBED_RETENTION_DAYS", "30"))
APPLICATION_RETENTION_DAYS = int(env("APPLICATION_RETENTION_DAYS", "180"))
# Follow-ups after a hire (employers/followups.py, docs/followups.md): a question may first be
# answered this many days after it was sent, and an answer changed this many days after it was
# first given; a question more than FOLLOW_UP_LATE_DAYS overdue is not asked (a start date given
# late); a start date may lie at most FOLLOW_UP_MAX_START_DAYS ahead.
FOLLOW_UP_ANSWER_DAYS = int(env("FOLLOW_UP_ANSWER_DAYS", "30"))
FOLLOW_UP_CHANGE_DAYS = int(env("FOLLOW_UP_CHANGE_DAYS", "7"))
FOLLOW_UP_LATE_DAYS = int(env("FOLLOW_UP_LATE_DAYS", "30"))
FOLLOW_UP_MAX_START_DAYS = int(env("FOLLOW_UP_MAX_START_DAYS", "180"))
# The live-post tally grows by a row per statement that changes live posts: folded hourly.
CELERY_BEAT_SCHEDULE["fold-live-tally"] = {
    "task": "employers.fold_live_tally",
    "schedule": 3600,
}
CELERY_BEAT_SCHEDULE["send-follow-ups"] = {
    "task": "employers.send_follow_ups",
    "schedule": 3600,
}
# Apps that hold a seeker's data elsewhere export and erase it through these (momjobs.users
# may not import them).
MOMJOBS_SEEKER_DATA = ["employers.privacy", "directory.privacy"]
CELERY_BEAT_SCHEDULE["anonymise-old-applications"] = {
    "task": "employers.anonymise_old_applications",
    "schedule": 6 * 3600,
}
CELERY_BEAT_SCHEDULE["purge-unconfirmed-accounts"] = {
    "task": "users.purge_unconfirmed_accounts",
    "schedule": 24 * 3600,
}
CELERY_BEAT_SCHEDULE["purge-subscriptions"] = {
    "task": "directory.purge_subscriptions",
    "schedule": 24 * 3600,
}
# Digests (directory/subscriptions/). A delivery handed to the broker or claimed by a sender and not sent within this many seconds
# is handed out again by the sweep (the same Message-ID, so a retry is the same message).
DIGEST_LEASE_SECONDS = int(env("DIGEST_LEASE_SECONDS", "600"))
DIGEST_SWEEP_SECONDS = float(env("DIGEST_SWEEP_SECONDS", "30"))
# DKIM signing of outgoing mail (all three, or none): a PEM private key file, the selector and
# the signing domain (the public key is published at <selector>._domainkey.<domain>).
DKIM_PRIVATE_KEY_PATH = env("DKIM_PRIVATE_KEY_PATH")
DKIM_SELECTOR = env("DKIM_SELECTOR")
DKIM_DOMAIN = env("DKIM_DOMAIN")
# Subscription ids per fan-out query and per send task.
DIGEST_BATCH_SIZE = int(env("DIGEST_BATCH_SIZE", "1000"))
# Posts listed in one digest; the rest are one link away (directory/subscriptions/digests.py build_digest).
DIGEST_MAX_POSTS = int(env("DIGEST_MAX_POSTS", "30"))
SUBSCRIBE_RATE = int(env("SUBSCRIBE_RATE", "10"))
SUBSCRIBE_PERIOD = int(env("SUBSCRIBE_PERIOD", "3600"))

CELERY_BEAT_SCHEDULE["sweep-digests"] = {
    "task": "directory.sweep_digests",
    "schedule": DIGEST_SWEEP_SECONDS,
}

# Reports of postings from the public (directory/moderation/): at most REPORT_RATE per client
# address per REPORT_PERIOD seconds; a reporter's optional contact is erased this many days
# after the report was handled (the privacy notice says so).
REPORT_RATE = int(env("REPORT_RATE", "5"))
REPORT_PERIOD = int(env("REPORT_PERIOD", "3600"))
REPORT_CONTACT_RETENTION_DAYS = int(env("REPORT_CONTACT_RETENTION_DAYS", "90"))
CELERY_BEAT_SCHEDULE["erase-report-contacts"] = {
    "task": "directory.erase_report_contacts",
    "schedule": 24 * 3600,
}

# Bureau spreadsheet imports (directory/imports/): the largest file accepted (checked while
# the upload streams in, before it is stored) and the most data rows one import may hold.
IMPORT_MAX_BYTES = int(env("IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
IMPORT_MAX_ROWS = int(env("IMPORT_MAX_ROWS", "20000"))
