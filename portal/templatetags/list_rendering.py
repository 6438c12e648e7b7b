"""Cheap parts for the rows and filter bars of the staff lists, where a page renders the same thing 30–50 times.

`choice_label` is `get_FOO_display` without its cost (portal.choice_labels): a queue page of 30 rows spent ~2,000
gettext calls on three columns.

`filter_field` renders a filter bar's select or input as crispy-forms' Bootstrap 5 field does (the same wrapper
id, label, classes, aria attributes and error block), from the widget's own context (so a SearchSelect still
decides its options) but without the dozens of template includes per option that crispy and the form renderer
go through.

`row_url` is `{% url name pk %}` for the rows of a list: the URL is reversed once per page and each row's id put
in its place.

`option_input` is one checkbox or radio of a choice list (`{{ choice.tag }}` of `{% for choice in field %}`), written
out instead of rendered through the form renderer's templates: a meeting's attendance lists its whole roster.

`form_field` does the same for the fields of a page's own forms (a meeting's tally and consensus forms, one set
per agenda item): crispy's label with its required mark, the widget and the help text. A field with errors, a
checkbox, a radio or checkbox list or a file input is handed to crispy itself: those are rare on a page or
laid out differently.
"""

from __future__ import annotations

from typing import Any

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field  # type: ignore[import-untyped]  # no types shipped
from django import forms, template
from django.db.models import Model
from django.forms.boundfield import BoundField
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from portal.choice_labels import choice_label_of

register = template.Library()


@register.filter
def choice_label(instance: Model, name: str) -> str:
    """The label of the instance's choice field `name` in the active language, as get_<name>_display gives it."""
    return choice_label_of(instance, name)


# An id no row has, reversed in the place of the row's: the URL's text before and after it is the same for every row.
_ROW_ID_MARKER = 918273645546372819


@register.simple_tag(takes_context=True)
def row_url(context: template.Context, name: str, pk: Any) -> str:
    """`{% url name pk %}` for one row of a list, from the URL reversed once for the page."""
    if not isinstance(pk, int):
        return reverse(name, args=[pk])
    key = f"row_url:{name}"
    if key not in context.render_context:
        prefix, _marker, suffix = reverse(name, args=[_ROW_ID_MARKER]).partition(str(_ROW_ID_MARKER))
        context.render_context[key] = (prefix, suffix)
    prefix, suffix = context.render_context[key]
    return f"{prefix}{pk}{suffix}"


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


# Django's widget templates that are input.html and nothing else, and its textarea.
_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("text", "number", "email", "url", "tel", "search", "date", "datetime", "time", "password", "hidden")
)
_TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"


def _input_html(widget: dict[str, Any]) -> SafeString:
    # As django/forms/widgets/input.html, from a widget's context.
    value = "" if widget["value"] is None else format_html(' value="{}"', widget["value"])
    return format_html(
        '<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], value, _attributes(widget["attrs"])
    )


@register.filter
def option_input(choice: Any) -> SafeString:
    """`{{ choice.tag }}` of a BoundWidget (one option of a checkbox or radio list), as input.html writes it."""
    return _input_html(choice.data)


def _widget_html(bound: BoundField, css_class: str) -> SafeString:
    widget = bound.field.widget
    attrs = bound.build_widget_attrs({**widget.attrs, "class": css_class})
    if bound.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound.auto_id)
    if bound.errors:
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{bound.auto_id}_error"
    if not isinstance(widget, forms.Select):
        if widget.template_name in _INPUT_TEMPLATES:
            return _input_html(widget.get_context(bound.html_name, bound.value(), attrs)["widget"])
        if widget.template_name == _TEXTAREA_TEMPLATE:
            context = widget.get_context(bound.html_name, bound.value(), attrs)["widget"]
            # The line break after the opening tag is the template's: a browser drops it, keeping a value's own.
            return format_html(
                '<textarea name="{}"{}>\n{}</textarea>',
                context["name"],
                _attributes(context["attrs"]),
                context["value"] or "",
            )
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


# Widgets crispy lays out otherwise (form-check wrappers, fieldsets, file inputs) or that wrap other widgets.
_HANDED_TO_CRISPY = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple, forms.FileInput)


@register.simple_tag
def form_field(bound: BoundField) -> SafeString:
    """A form's field as `|as_crispy_field` renders it with the Bootstrap 5 pack."""
    widget = bound.field.widget
    if (
        bound.errors
        or bound.is_hidden
        or isinstance(widget, (*_HANDED_TO_CRISPY, forms.MultiWidget))
        or getattr(widget, "widget", None) is not None
    ):
        return as_crispy_field(bound)
    kind = "form-select" if isinstance(widget, forms.Select) else "form-control"
    name = type(widget).__name__.lower()
    own = widget.attrs.get("class", "")
    # As crispy's field node: the widget's own classes, its class name unless already there, then Bootstrap's.
    css_class = f"{own} {name}" if own and name not in own else (own or name)
    required = bound.field.required
    label = ""
    if bound.label:
        label = format_html(
            '<label{} class="form-label{}">{}{}</label>',
            format_html(' for="{}"', bound.id_for_label) if bound.id_for_label else "",
            " requiredField" if required else "",
            bound.label,
            mark_safe('<span class="asteriskField">*</span>') if required else "",
        )
    help_text = ""
    if bound.help_text:
        help_text = format_html(
            '<div {}class="form-text">{}</div>',
            format_html('id="{}_helptext" ', bound.auto_id) if bound.auto_id else "",
            mark_safe(bound.help_text),  # noqa: S308 - as crispy's |safe: help texts are the code's own
        )
    extra = bound.css_classes()
    return format_html(
        '<div id="div_{}" class="mb-3{}">{}{}{}</div>',
        bound.auto_id,
        f" {extra}" if extra else "",
        label,
        _widget_html(bound, css_class if kind in css_class.split() else f"{css_class} {kind}"),
        help_text,
    )
