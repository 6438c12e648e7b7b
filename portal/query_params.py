"""Values read from the address, where anything can be typed or pasted: a NUL byte, "²", "１２", a number of
5,000 digits. Each reader answers None for a value that cannot be what the page asks for, so that the page
ignores it (or answers 404) instead of handing it to int() or to the database, either of which fails with a
server error.
"""

from __future__ import annotations

import re

# ASCII digits only: str.isdigit() also accepts "²" and "١٢", which int() then refuses or reads as another number.
# Eighteen digits always fit a bigint primary key.
_ID = re.compile(r"[0-9]{1,18}")
# What Django's SlugField accepts (allow_unicode=False); a NUL byte or a space never reaches the database.
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,100}")


def id_param(raw: object) -> int | None:
    """A database id written in plain digits, or None."""
    if isinstance(raw, str) and _ID.fullmatch(raw):
        return int(raw)
    return None


def slug_param(raw: object) -> str | None:
    """An organization's public address (slug), surrounding spaces ignored, or None."""
    if isinstance(raw, str) and _SLUG.fullmatch(raw.strip()):
        return raw.strip()
    return None
