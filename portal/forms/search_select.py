"""Selects of organizations (or anything counted in thousands) that search instead of listing every row.

A town's staff pick among a few dozen organizations and get the plain select. Past `listed_at_most` rows (a
district holds hundreds of villages, the province 20,000) the select carries only the empty choice and what is
chosen, with `data-search-url`: static/js/search-select.js puts a search box in front of it and fills it from that
endpoint (scoped by the same scoping function, twenty answers at most). The form validates against the field's
own queryset as before, so a crafted id outside the scope is refused whatever the page showed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from portal.query_params import id_param

LISTED_AT_MOST = 50


class _SearchedChoices:
    """Mixed into Select / SelectMultiple; rendering fetches at most `listed_at_most` + 1 rows, plus the chosen."""

    allow_multiple_selected: bool
    attrs: dict[str, Any]
    choices: Any

    def __init__(self, *args: Any, search_url: str = "", listed_at_most: int = LISTED_AT_MOST, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.search_url = search_url
        self.listed_at_most = listed_at_most

    def use_required_attribute(self, initial: Any) -> bool:
        # Django's Select iterates its choices to see whether the first is empty, which for a model choice
        # field without an empty label reads the table in chunks of 2,000 rows; the field knows without a query.
        field = getattr(self.choices, "field", None)
        if field is None or self.allow_multiple_selected:
            return super().use_required_attribute(initial)  # type: ignore[misc]
        return not self.is_hidden and field.empty_label is not None  # type: ignore[attr-defined]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        iterator = self.choices
        queryset: QuerySet | None = getattr(iterator, "queryset", None)
        if queryset is None:
            return super().get_context(name, value, attrs)  # type: ignore[misc]
        values = value if isinstance(value, (list, tuple)) else [value]
        chosen_ids = {pk for pk in map(id_param, map(str, values)) if pk is not None}
        # One query whatever the size: the first rows (to tell a short list from a long one) and the chosen ones.
        first = queryset.values("pk")[: self.listed_at_most + 1]
        rows = list(
            queryset.filter(Q(pk__in=first) | Q(pk__in=chosen_ids)).annotate(
                listed=Case(When(pk__in=first, then=Value(True)), default=Value(False), output_field=BooleanField())
            )
        )
        field = iterator.field
        choices: list[Any] = []
        if field.empty_label is not None and not self.allow_multiple_selected:
            choices.append(("", field.empty_label))
        if sum(1 for row in rows if row.listed) <= self.listed_at_most:
            choices += [iterator.choice(row) for row in rows]
        else:
            choices += [iterator.choice(row) for row in rows if row.pk in chosen_ids]
            attrs = {
                **(attrs or {}),
                "data-search-url": self.search_url,
                "data-search-placeholder": str(_("输入名称或村、镇街名查找")),
            }
        original = self.choices
        self.choices = choices
        try:
            return super().get_context(name, value, attrs)  # type: ignore[misc]
        finally:
            self.choices = original


class SearchSelect(_SearchedChoices, forms.Select):
    pass


class SearchSelectMultiple(_SearchedChoices, forms.SelectMultiple):
    pass
