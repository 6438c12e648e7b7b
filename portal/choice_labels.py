"""A choice field's label for a value, as get_FOO_display gives it, without its cost.

Django rebuilds the hashable choices dict on every get_FOO_display call (and the admin's changelist flattens the
choices on every cell), and hashing or printing the lazy labels translates each of them: a list of 30–100 rows
spent thousands of gettext calls on a few columns. The labels are kept per field and language, as plain strings.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.db.models import Field, Model
from django.utils.translation import get_language


@lru_cache(maxsize=512)
def _labels(field: Field, language: str | None) -> dict[Any, str]:
    # Called under `language`, so str() translates the lazy labels into it once for the process.
    return {value: str(label) for value, label in field.flatchoices}


def choice_labels(field: Field) -> dict[Any, str]:
    """Every value of the field's choices with its label in the active language."""
    return _labels(field, get_language())


def choice_label_of(instance: Model, name: str) -> str:
    """The label of the instance's choice field `name` in the active language, as get_<name>_display gives it."""
    field = instance._meta.get_field(name)
    assert isinstance(field, Field)
    value = getattr(instance, field.attname)
    try:
        return choice_labels(field).get(value, "" if value is None else str(value))
    except TypeError:  # an unhashable value (a JSON list): nothing Django's choices would match either
        return str(value)
