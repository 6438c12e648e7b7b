"""The filter of the public organization list."""

from django import forms
from django.utils.translation import gettext_lazy as _

from orgs.models import OrganizationKind, Region
from orgs.selectors import regions_for_public_filter


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        # Towns carry their district so that two 城关镇 in different districts stay apart.
        return f"{obj.parent.name} · {obj.name}" if obj.parent_id else obj.name


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

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_for_public_filter()
