"""Text written into spreadsheets stays text: a cell that starts like a formula is not run by Excel.

A name such as `=HYPERLINK("http://…","点我")`, or one starting with + - @, a tab or a carriage return, is
read by Excel (and by openpyxl when the sheet is written) as a formula: opening an export would run what a
villager typed into a form. Every export escapes such text with a leading apostrophe (OWASP's advice for CSV
and spreadsheet injection); every import removes it again, so an export imports back unchanged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the mixin is checked as what it is mixed into (import-export ships no types)
    from import_export.resources import Resource as _Resource
else:
    _Resource = object

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def escape_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return ESCAPE + value
    return value


def unescape_cell(text: str) -> str:
    if text.startswith(ESCAPE) and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


class FormulaSafeExportMixin(_Resource):
    """For every import-export resource that writes a sheet: each exported cell goes through escape_cell."""

    def export_field(self, field: Any, instance: Any, **kwargs: Any) -> Any:
        return escape_cell(super().export_field(field, instance, **kwargs))
