"""Cheap parts for the rows and filter bars of the staff lists, where a page renders the same thing 30–50 times.

`choice_label` is `get_FOO_display` without its cost: Django rebuilds the hashable choices dict on every call,
and hashing the lazy labels translates each of them, so a queue page of 30 rows spent ~2,000 gettext calls on
three columns. The labels are kept per field and language, as plain strings.

`filter_field` renders a filter bar's select or input as crispy-forms' Bootstrap 5 field does (the same wrapper
id, label, classes, aria attributes and error block), from the widget's own context (so a SearchSelect still
decides its options) but without the dozens of template includes per option that crispy and the form renderer
go through.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import forms, template
from django.db.models import Field, Model
from django.forms.boundfield import BoundField
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()


@lru_cache(maxsize=512)
def _labels(field: Field, language: str | None) -> dict[Any, str]:
    # Called under `language`, so str() translates the lazy labels into it once for the process.
    return {value: str(label) for value, label in field.flatchoices}


@register.filter
def choice_label(instance: Model, name: str) -> str:
    """The label of the instance's choice field `name` in the active language, as get_<name>_display gives it."""
    field = instance._meta.get_field(name)
    assert isinstance(field, Field)
    value = getattr(instance, field.attname)
    labels = _labels(field, get_language())
    try:
        return labels.get(value, "" if value is None else str(value))
    except TypeError:  # an unhashable value (a JSON list): nothing Django's choices would match either
        return str(value)


def _attributes(attrs: dict[str, Any]) -> SafeString:
    # As django/forms/widgets/attrs.html: False leaves the attribute out, True writes its bare name.
    parts = [
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
        for name, value in attrs.items()
        if value is not False and value is not None
    ]
    return mark_safe("".join(parts))  # noqa: S308 - every part went through format_html


def _options(optgroups: list[Any]) -> SafeString:
    html = []
    for group_name, options, _index in optgroups:
        rendered = format_html_join(
            "\n",
            '  <option value="{}"{}>{}</option>',
            ((option["value"], _attributes(option["attrs"]), option["label"]) for option in options),
        )
        if group_name:
            html.append(format_html('<optgroup label="{}">\n{}\n</optgroup>', group_name, rendered))
        else:
            html.append(rendered)
    return mark_safe("\n".join(html))  # noqa: S308 - every part went through format_html


def _widget_html(bound: BoundField, css_class: str) -> SafeString:
    widget = bound.field.widget
    attrs = bound.build_widget_attrs({**widget.attrs, "class": css_class})
    if bound.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound.auto_id)
    if bound.errors:
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{bound.auto_id}_error"
    if not isinstance(widget, forms.Select):
        return bound.as_widget(attrs=attrs)
    context = widget.get_context(bound.html_name, bound.value(), attrs)["widget"]
    return format_html(
        '<select name="{}"{}>\n{}\n</select>',
        context["name"],
        _attributes(context["attrs"]),
        _options(context["optgroups"]),
    )


@register.simple_tag
def filter_field(bound: BoundField) -> SafeString:
    """A filter form's field as `|as_crispy_field` renders it with the Bootstrap 5 pack."""
    widget = bound.field.widget
    if isinstance(widget, forms.Select):
        base = f"{type(widget).__name__.lower()} form-select"
    else:
        base = f"{type(widget).__name__.lower()} form-control"
    own = widget.attrs.get("class")
    css_class = f"{own} {base}" if own else base
    if bound.errors:
        css_class += " is-invalid"
    errors = ""
    if bound.errors:
        errors = format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            bound.auto_id,
            format_html_join(
                "",
                '<p id="error_{}_{}"><strong>{}</strong></p>',
                ((n, bound.auto_id, e) for n, e in enumerate(bound.errors, 1)),
            ),
        )
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label">{}</label>{}{}</div>',
        bound.auto_id,
        bound.id_for_label,
        bound.label,
        _widget_html(bound, css_class),
        errors,
    )
