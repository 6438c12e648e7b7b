"""Settings shared by every environment; everything that differs is read from the environment."""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from portal.settings.env import env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(env_str("PORTAL_DATA_DIR", str(BASE_DIR / ".data")))

DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "simple_history",
    "import_export",
    "axes",
    "csp",
    "bootstrap",
    "portal.apps.PortalConfig",
    "portal.accounts",
    "portal.notifications",
    "django_celery_beat",
    "orgs",
    "members",
    "consultations",
    "activities",
    "stats",  # 统计看板: reads the apps above through their scoping
    "portal.site",  # the composition of the apps above: URLs, home, demo
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Pages compressed for phones on 3G (the phone form: 60 KB or less with its assets). Django's gzip adds random
    # bytes to each response against BREACH, and the CSRF token is masked anew on each; whitenoise's own .gz files
    # (collectstatic) already carry Content-Encoding and pass through untouched. At level 4: portal/compression.py.
    "portal.compression.PageGZipMiddleware",
    # Whitenoise, plus a year's cache for the versioned URLs of the embedded default (portal/static_files.py).
    "portal.static_files.VersionedStaticMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in visitor's own writes make their kept pages stale (portal/private_pages.py).
    "portal.private_pages.SessionWritesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.content_policy.KeptPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must stay last: it turns repeated failures into a lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.site.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "csp.context_processors.nonce",
                "portal.csrf_tokens.csrf",
                "portal.context_processors.current_role",
                "portal.context_processors.delivery_alert",
                "portal.notifications.context_processors.unread_count",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# None where assets are served from the apps (the browser tests), without a collectstatic step.
STATIC_ROOT: Path | None = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# A whole village often shares one public IP: lock out a username from an address, never the address.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "portal.accounts.client_ip.client_ip_address"
# Reverse proxies of ours in front of the portal; 0 means REMOTE_ADDR is the visitor.
TRUSTED_PROXY_COUNT = 0

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Sessions live in the database; Redis holds a copy of each for at most SESSION_CACHE_SECONDS, so a signed-in
# page reads no row, a Redis outage logs nobody out, and a sign-out made while Redis was away is honoured
# everywhere within that time (portal/session_store.py).
SESSION_ENGINE = "portal.session_store"
SESSION_CACHE_SECONDS = 30

# Redis when configured, otherwise a broker and cache that need no server.
REDIS_URL = env_str("REDIS_URL", "")
# Redis answers in well under a millisecond; a broker that does not connect within a second is down, and a
# request that kicks the outbox must not wait on it (the beat sweep sends what the kick could not announce).
REDIS_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
    "visibility_timeout": 3600,
    "socket_connect_timeout": 1,
    "socket_timeout": 5,
}
if REDIS_URL:
    # Fails open: with Redis down a read finds nothing and a write is dropped, with a logged warning.
    CACHES: dict[str, dict[str, object]] = {
        "default": {"BACKEND": "portal.fail_open_cache.FailOpenRedisCache", "LOCATION": REDIS_URL}
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = REDIS_BROKER_TRANSPORT_OPTIONS
else:
    from portal.sqlite_broker import TRANSPORT, sqlite_broker_transport_options, sqlite_broker_url

    # A file cache is shared by the web server, the worker and beat, which are separate processes (the worker's
    # heartbeat reaches /healthz through it). Past MAX_ENTRIES it deletes a third of its keys at random, the
    # heartbeat and the rate-limit counters among them: set far above what a demo installation holds.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    }
    # SQLite through kombu's SQLAlchemy transport (portal/sqlite_broker.py says why not the file-system one).
    CELERY_BROKER_URL = sqlite_broker_url(DATA_DIR / "broker.sqlite3")
    CELERY_BROKER_TRANSPORT = TRANSPORT
    CELERY_BROKER_TRANSPORT_OPTIONS = sqlite_broker_transport_options()
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The schedule lives in the database (django-celery-beat), so district admins see and edit it in the admin;
# `manage.py schedule_install` adds the default entries (portal/notifications/schedule.py) without
# overwriting edits.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# The consultation loop.
ISSUE_MAX_PHOTOS = 6
ISSUE_PHOTO_MAX_BYTES = 10 * 1024 * 1024
ISSUE_PHOTO_MAX_SIDE = 1600
ASSIGNMENT_DEFAULT_WORKING_DAYS = 15
NOTICE_DEFAULT_DAYS = 7
# Anonymous submissions per phone and per IP per hour.
ISSUE_SUBMISSIONS_PER_PHONE_PER_HOUR = 5
ISSUE_SUBMISSIONS_PER_IP_PER_HOUR = 30
# Absolute address used in SMS texts, e.g. https://portal.example.cn
PORTAL_SITE_URL = env_str("PORTAL_SITE_URL", "http://127.0.0.1:8000")
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Public pages kept for anonymous visitors (portal/page_cache.py): at most this long, and never past midnight, so
# what reads the clock ("公示中", upcoming activities) is at most this far behind. Changes are shown at once.
PAGE_CACHE_SECONDS = 60
# Signed-in pages kept per session (portal/private_pages.py): others' changes show within this many seconds.
PRIVATE_PAGE_SECONDS = 30

# Activities: the check-in QR code changes this often; the previous code stays valid one more period.
CHECKIN_CODE_ROTATE_SECONDS = 60
ACTIVITY_PHOTO_MAX_BYTES = 10 * 1024 * 1024
# Sign-ups without an account, per activity and per network address, per hour.
ACTIVITY_GUEST_SIGNUPS_PER_IP_PER_HOUR = 60

# The outbox: attempts before a message is marked failed, backoff between them, and the lease of a claim.
OUTBOX_MAX_ATTEMPTS = 5
OUTBOX_RETRY_BASE_SECONDS = 60
OUTBOX_RETRY_MAX_SECONDS = 3600
OUTBOX_LEASE_SECONDS = 300
# A message unsent this long means none are going out: /healthz answers 503 and admins see a banner.
OUTBOX_WAITING_ALERT_SECONDS = 15 * 60

# SMS goes through one interface; the default backend writes each message to the log.
SMS_BACKEND = env_str("SMS_BACKEND", "portal.sms.backends.LogBackend")
SMS_SIGNATURE = env_str("SMS_SIGNATURE", "【同心荟】")
SMS_BACKEND_OPTIONS: dict[str, object] = {}

# One-time login codes for members on their phones.
LOGIN_CODE_TTL_SECONDS = 300
LOGIN_CODE_MAX_ATTEMPTS = 5
LOGIN_CODE_PER_PHONE_PER_HOUR = 5
LOGIN_CODE_PER_IP_PER_HOUR = 30
LOGIN_CODE_RESEND_SECONDS = 60

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "portal@localhost")

IMPORT_EXPORT_SKIP_ADMIN_ACTION_EXPORT_UI = False
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_IMPORT_IGNORE_BLANK_LINES = True

USE_THOUSAND_SEPARATOR = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The log SMS backend's messages (a member's login code) show even where the root level is WARNING, as
        # in the worker that `make run` starts quiet.
        "portal.sms": {"level": "INFO"},
        # Every process of `make run` would announce the version of django-axes when it starts.
        "axes.apps": {"level": "WARNING"},
    },
}
