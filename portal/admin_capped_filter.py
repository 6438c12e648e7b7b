"""An admin list filter on a foreign key that names at most a few dozen choices, whatever the scope holds.

Django's RelatedOnlyFieldListFilter runs a DISTINCT over every row of the changelist and lists every related
object found: a district's 100,000 memberships and its hundreds of organizations (~1 s). This one lists the related
objects the user may pick (the admin's own choice scope), the first `listed_at_most` by name plus the chosen one,
and says when there are more: the changelist's search box finds the rest by name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _

from portal.admin_scoping import choices_in_scope

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

LISTED_AT_MOST = 30


class CappedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    listed_at_most = LISTED_AT_MOST

    def field_choices(
        self, field: Any, request: HttpRequest, model_admin: admin.ModelAdmin
    ) -> list[tuple[str, StrOrPromise]]:
        related = field.remote_field.model
        scope = choices_in_scope(request.user, related)
        if scope is None:
            scope = related._default_manager.all()
        chosen = self.lookup_val[0] if isinstance(self.lookup_val, list) and self.lookup_val else self.lookup_val
        wanted = Q(pk=chosen) if isinstance(chosen, str) and chosen.isdigit() else Q(pk__in=[])
        ordering = self.field_admin_ordering(field, request, model_admin) or ("pk",)
        first = list(scope.order_by(*ordering)[: self.listed_at_most + 1])
        self.more_than_listed = len(first) > self.listed_at_most
        shown = first[: self.listed_at_most]
        if not any(str(each.pk) == chosen for each in shown):
            shown += list(scope.filter(wanted))
        return [(str(each.pk), str(each)) for each in shown]

    def choices(self, changelist: Any) -> Any:
        yield from super().choices(changelist)
        if getattr(self, "more_than_listed", False):
            yield {
                "selected": False,
                "query_string": changelist.get_query_string(remove=[self.lookup_kwarg, self.lookup_kwarg_isnull]),
                "display": _("（只列出前 %(count)d 个，其余请用搜索框按名称查找）") % {"count": self.listed_at_most},
            }
