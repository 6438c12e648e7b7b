"""The filter of the public organization list."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from orgs.models import OrganizationKind, Region
from orgs.selectors import regions_for_public_filter
from portal.forms.field_types import model_choice_field


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        # Towns carry their district so that two 城关镇 in different districts stay apart.
        return f"{obj.parent.name} · {obj.name}" if obj.parent is not None else obj.name


class OrganizationListFilterForm(forms.Form):
    region = RegionChoiceField(
        label=_("区域"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("全部区域"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=[("", _("全部类型")), *OrganizationKind.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "region").queryset = regions_for_public_filter()
