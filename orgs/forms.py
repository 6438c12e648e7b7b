"""The filter of the public organization list."""

from django import forms
from django.utils.translation import gettext_lazy as _

from orgs.models import OrganizationKind


class OrganizationListFilterForm(forms.Form):
    """The kind of the filter; the place is chosen step by step beside it (orgs.place_choice)."""

    kind = forms.ChoiceField(
        label=_("类型"),
        choices=[("", _("全部类型")), *OrganizationKind.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
