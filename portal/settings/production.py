"""Production: every secret comes from the environment, and nothing starts without one.

Required: SECRET_KEY, DATABASE_URL (PostgreSQL), REDIS_URL (cache and Celery broker), ALLOWED_HOSTS.
Optional: CSRF_TRUSTED_ORIGINS, TRUSTED_PROXY_COUNT, SECURE_SSL_REDIRECT, SECURE_HSTS_SECONDS,
SMS_BACKEND, SMS_BACKEND_OPTIONS (JSON), SMS_SIGNATURE, EMAIL_*, DEFAULT_FROM_EMAIL.
"""

import json

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from portal.settings.base import *  # noqa: F403
from portal.settings.base import REDIS_BROKER_TRANSPORT_OPTIONS
from portal.settings.env import env_bool, env_int, env_list, env_required, env_str

DEBUG = False
SECRET_KEY = env_required("SECRET_KEY")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters in production.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("The environment variable ALLOWED_HOSTS is required in production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

DATABASES = {"default": dj_database_url.parse(env_required("DATABASE_URL"), conn_max_age=60, conn_health_checks=True)}
# The planner rates the staff queue's query (a subquery per issue in its ORDER BY) costly enough to JIT-compile it,
# which takes 2-3 s for a query that runs in 300 ms; the portal's short queries never gain from JIT.
_db_options = DATABASES["default"].setdefault("OPTIONS", {})
# random_page_cost 1.1 (the default 4 is for spinning disks): the portal's tables sit in memory or on SSD, and at 4
# the planner reads a whole town's people or activities with a sequential scan rather than fetch a few hundred rows
# by their index.
_db_options["options"] = f"{_db_options.get('options', '')} -c jit=off -c random_page_cost=1.1".strip()

REDIS_URL = env_required("REDIS_URL")
CACHES = {"default": {"BACKEND": "portal.fail_open_cache.FailOpenRedisCache", "LOCATION": REDIS_URL}}
CELERY_BROKER_URL = REDIS_URL
CELERY_BROKER_TRANSPORT_OPTIONS = REDIS_BROKER_TRANSPORT_OPTIONS

# Hashed, compressed files from collectstatic, served by whitenoise with far-future cache headers.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# TLS ends at the reverse proxy in front of gunicorn; it tells us the scheme and the client's address.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# /healthz is probed over plain HTTP from inside the compose network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

SMS_BACKEND_OPTIONS = json.loads(env_str("SMS_BACKEND_OPTIONS", "{}"))

# `make bench` only (bench/run.py): a trivial view to measure pages against and a query count on each response.
# Never set in a real installation: the header tells anyone what a request costs.
PORTAL_BENCH = env_bool("PORTAL_BENCH", False)
if PORTAL_BENCH:
    MIDDLEWARE = ["portal.bench_probe.QueryCountMiddleware", *MIDDLEWARE]  # noqa: F405

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
