"""The embedded default: SQLite and a broker that needs no server, unless the environment says otherwise."""

import dj_database_url

from portal.settings.base import *  # noqa: F403
from portal.settings.base import DATA_DIR
from portal.settings.env import env_bool, env_str

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "local-development-only-not-a-secret")
DATA_DIR.mkdir(parents=True, exist_ok=True)

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'portal.sqlite3'}"), conn_max_age=60
    )
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # No collectstatic here: each URL carries the digest of its file, so browsers keep it for a year.
    "staticfiles": {"BACKEND": "portal.static_files.VersionedStaticFilesStorage"},
}
