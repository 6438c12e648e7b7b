"""The roster export of the admin (会籍 → 导出), as a district or town office hands it upward.

The export follows the changelist: its filters (organization, current or former members, role, search) are in
the export page's address, so what was listed is what is exported. Without a status filter both show current
members only; former members are exported when asked for (已退出, or 全部). The file is named after the one
organization it holds (or the user's area), what it holds and Beijing's date: 青山同心荟-会员名册-2026-12-01.xlsx.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.formats.base_formats import XLSX, Format
from import_export.forms import SelectableFieldsExportForm

from members.models import Membership
from portal.scoping import AnyUser

STATUS_PARAMETER = "status"
CURRENT, FORMER, EVERYONE = "current", "former", "all"
# Characters Windows and macOS refuse in a file name, which an organization's name may still hold.
UNSAFE_IN_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


class MembershipStatusFilter(admin.SimpleListFilter):
    """在册 / 已退出 / 全部; 在册 when nothing was chosen, so that a roster is today's members unless asked."""

    title = _("会籍状态")
    parameter_name = STATUS_PARAMETER

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [(CURRENT, _("在册")), (FORMER, _("已退出")), (EVERYONE, _("全部"))]

    def value(self) -> str:
        chosen = super().value()
        return chosen if chosen in (CURRENT, FORMER, EVERYONE) else CURRENT

    def choices(self, changelist: Any) -> Any:
        # Django's own "全部" stands for "no filter", which here means 在册: offer the three choices only.
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == FORMER:
            return queryset.filter(left_on__isnull=False)
        if self.value() == EVERYONE:
            return queryset
        return queryset.filter(left_on__isnull=True)


def status_asked(request: HttpRequest) -> str:
    chosen = request.GET.get(STATUS_PARAMETER)
    return chosen if chosen in (CURRENT, FORMER, EVERYONE) else CURRENT


class RosterExportForm(SelectableFieldsExportForm):
    """The export page: each column named by its sheet header (the import's), XLSX chosen to begin with."""

    def __init__(self, formats: list[type[Format]], resources: Any, **kwargs: Any) -> None:
        super().__init__(formats, resources, **kwargs)
        if len(formats) > 1:
            format_field = self.fields["format"]
            choices = [choice for choice in format_field.choices if choice[0] != ""]
            format_field.choices = choices
            format_field.initial = next((str(i) for i, kind in enumerate(formats) if kind is XLSX), "0")

    def _get_field_label(self, resource: Any, field_name: str) -> str:
        field = resource.fields.get(field_name)
        return str(field.column_name) if field is not None and field.column_name else field_name


def _holder_name(user: AnyUser, memberships: QuerySet[Membership]) -> str:
    """The one organization of the rows, else the user's area, else (a superuser's whole roster) 全部组织."""
    names = list(memberships.order_by().values_list("organization__name", flat=True).distinct()[:2])
    if len(names) == 1:
        return names[0]
    region = getattr(user, "region", None)
    return region.name if region is not None else gettext("全部组织")


def roster_export_filename(*, user: AnyUser, memberships: QuerySet[Membership], status: str, extension: str) -> str:
    what = {
        CURRENT: gettext("会员名册"),
        FORMER: gettext("已退出会员名册"),
        EVERYONE: gettext("会员名册（含已退出）"),
    }[status]
    holder = UNSAFE_IN_FILENAME.sub("-", _holder_name(user, memberships)).strip(" .-") or gettext("全部组织")
    return f"{holder}-{what}-{timezone.localdate().isoformat()}.{extension}"
