"""Tests run on a real PostgreSQL and Redis; the harness in tests/harness starts both and sets the URLs."""

import os
from pathlib import Path

import dj_database_url

from portal.settings.base import *  # noqa: F403
from portal.settings.env import env_str

SECRET_KEY = "test-only-not-a-secret"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]

if not os.environ.get("DATABASE_URL"):
    raise RuntimeError("Tests need DATABASE_URL pointing at PostgreSQL: run them with `make test`.")
DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL", ""))}

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # No collectstatic here: each URL carries the digest of its file, so browsers keep it for a year.
    "staticfiles": {"BACKEND": "portal.static_files.VersionedStaticFilesStorage"},
}
# Tests make rows without the services, which would leave a kept page stale: the page-cache tests turn it on.
PAGE_CACHE_SECONDS = 0
PRIVATE_PAGE_SECONDS = 0
# A query-count test compares requests that can be more than the 30 s of production apart on a loaded machine,
# and a session copy expiring in between is one query more; tests/accounts/test_session_store.py sets its own.
SESSION_CACHE_SECONDS = 3600
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(os.environ.get("PORTAL_TEST_MEDIA", "/tmp/portal-test-media"))  # noqa: S108

# Browser tests serve assets straight from the apps, without a collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT = None
