"""Static files that a phone on 3G downloads once, in every mode of the portal.

Production serves collectstatic's hashed names (CompressedManifestStaticFilesStorage), which whitenoise marks
immutable. The embedded default (`make run`, DEBUG) and the tests have no collectstatic step: there
VersionedStaticFilesStorage appends `?v=<digest of the file's content>` to each {% static %} URL, and
VersionedStaticMiddleware lets the browser keep a file requested with a version for a year. A file asked for
without a version (a url() inside a CSS file) keeps whitenoise's short max-age, and an edited file gets a new
digest, hence a new URL, on the next page.
"""

from __future__ import annotations

import hashlib
import os
from typing import Any

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import StaticFilesStorage
from django.http import HttpRequest
from whitenoise.middleware import WhiteNoiseFileResponse, WhiteNoiseMiddleware

VERSION_PARAMETER = "v"
VERSION_LENGTH = 12
VERSIONED_MAX_AGE_SECONDS = 365 * 24 * 3600

# (path, mtime, size) → digest: a page names the same few files many times, and a file is hashed once per change.
_digests: dict[tuple[str, int, int], str] = {}


def file_digest(path: str) -> str | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    key = (path, status.st_mtime_ns, status.st_size)
    digest = _digests.get(key)
    if digest is None:
        with open(path, "rb") as file:
            digest = hashlib.sha256(file.read()).hexdigest()[:VERSION_LENGTH]
        _digests[key] = digest
    return digest


class VersionedStaticFilesStorage(StaticFilesStorage):
    """StaticFilesStorage whose URLs carry the digest of the file they name, found where the server finds it."""

    def url(self, name: str | None) -> str:
        url = super().url(name)
        if not name:
            return url
        found = finders.find(name)
        path = found if isinstance(found, str) else None
        if path is None and self.location and os.path.isdir(self.location):
            path = self.path(name)
        digest = file_digest(path) if path else None
        if digest is None:
            return url
        separator = "&" if "?" in url else "?"
        return f"{url}{separator}{VERSION_PARAMETER}={digest}"


class VersionedStaticMiddleware(WhiteNoiseMiddleware):
    """Whitenoise, plus a year's cache for a file requested with its version (VersionedStaticFilesStorage)."""

    def __call__(self, request: HttpRequest) -> Any:
        response = super().__call__(request)
        served_here = isinstance(response, WhiteNoiseFileResponse)
        if served_here and request.GET.get(VERSION_PARAMETER) and response.status_code in (200, 304):
            response["Cache-Control"] = f"max-age={VERSIONED_MAX_AGE_SECONDS}, public, immutable"
        return response
