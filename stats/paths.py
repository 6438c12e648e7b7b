"""Grouping rows counted per place into the larger places above them, by their materialized paths."""

from __future__ import annotations

from collections.abc import Container


def enclosing(path: str, roots: Container[str]) -> str | None:
    """The path among `roots` that `path` lies under (or is), found from the path's own prefixes: as cheap for
    20,000 villages as for three."""
    end = 0
    while (end := path.find("/", end + 1)) != -1:
        if path[: end + 1] in roots:
            return path[: end + 1]
    return None
