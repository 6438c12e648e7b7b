"""A form's own copy of a field, by the type the form declared it with.

`form.fields` maps names to plain `Field`s, so a form that narrows a queryset or the choices per request
would otherwise reach for attributes the type checker cannot see. These look the field up and check it is
what the form declared, which fails loudly if a field is renamed or retyped.
"""

from __future__ import annotations

from typing import Any

from django import forms


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """A ModelChoiceField (or ModelMultipleChoiceField) of `form`."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField), f"{name} is not a model choice field"
    return field


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """A ChoiceField (or one of its subclasses) of `form`."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField), f"{name} is not a choice field"
    return field
