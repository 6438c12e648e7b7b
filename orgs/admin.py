"""Admin for the region tree, organizations and departments, scoped through orgs.scoping."""

from typing import TYPE_CHECKING, TypedDict

from django.contrib import admin
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from members.admin_writes import ServiceAdminMixin
from members.models import Membership, counted_on
from orgs.admin_forms import OrganizationAdminForm, RegionAdminForm
from orgs.models import Department, Organization, Recognition, Region, Space
from orgs.scoping import departments_for, organizations_for, regions_for
from portal.admin_scoping import ScopedAdminMixin, ScopedInlineMixin, register_choice_scope
from portal.scoping import Action, AnyUser, is_unrestricted
from portal.staff_access import acting_user

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class CurrentMemberCount(TypedDict):
    current_member_count: int


class HandlerCount(TypedDict):
    handler_count: int


def recognitions_for(user: AnyUser, action: Action) -> QuerySet[Recognition]:
    """An honour belongs to its organization: whoever may see or edit the organization may see or edit it."""
    return Recognition.objects.select_related("organization").filter(organization__in=organizations_for(user, action))


def spaces_for(user: AnyUser, action: Action) -> QuerySet[Space]:
    return Space.objects.select_related("organization").filter(organization__in=organizations_for(user, action))


@admin.register(Region)
class RegionAdmin(ServiceAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    form = RegionAdminForm
    scope_queryset = staticmethod(regions_for)
    list_display = ("name", "level", "parent")
    list_select_related = ("parent",)
    # Region.level has no index yet (reported to the lead); the tree is small next to the rosters.
    list_filter = ("level",)
    search_fields = ("name",)
    fields = ("name", "level", "parent", "path")
    readonly_fields = ("path",)

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        # The root of one's own scope stays where the superusers put it.
        if obj is not None and not is_unrestricted(request.user) and obj.pk == acting_user(request).region_id:
            readonly.append("parent")
        return readonly

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        parent = form.base_fields.get("parent")
        if parent is not None:
            if obj is not None:
                # A region cannot move under itself or its own descendants.
                parent.queryset = parent.queryset.exclude(path__startswith=obj.path)
            if not is_unrestricted(request.user):
                # Only superusers add districts; everyone else adds under a place of their own scope.
                parent.queryset = parent.queryset.filter(pk__in=regions_for(request.user, Action.CHANGE))
                parent.required = True
        return form


class RecognitionInline(ScopedInlineMixin, admin.TabularInline):
    model = Recognition
    extra = 0


class SpaceInline(ScopedInlineMixin, admin.TabularInline):
    model = Space
    extra = 0
    fields = ("name", "address", "description")


@admin.register(Organization)
class OrganizationAdmin(ServiceAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    form = OrganizationAdminForm
    scope_queryset = staticmethod(organizations_for)
    inlines = (RecognitionInline, SpaceInline)
    list_display = (
        "name",
        "kind",
        "category",
        "region",
        "level",
        "founded_on",
        "current_member_count",
        "is_active",
    )
    list_filter = ("kind", "category", "level", "is_active")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("partners",)
    fieldsets = (
        (
            None,
            {"fields": ("name", "slug", "kind", "category", "level", "region", "founded_on", "is_active")},
        ),
        (_("简介与结对"), {"fields": ("description", "partners")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organization]:
        # A subquery, not a join with GROUP BY: the database counts the members of the page's rows only, not of
        # every organization of the district before it sorts and cuts the page.
        members = (
            Membership.objects.filter(counted_on(timezone.localdate()), organization=OuterRef("pk"))
            .order_by()
            .values("organization")
            .annotate(total=Count("pk"))
            .values("total")
        )
        return super().get_queryset(request).annotate(current_member_count=Coalesce(Subquery(members), 0))

    @admin.display(description=_("现有会员"), ordering="current_member_count")
    def current_member_count(self, organization: "WithAnnotations[Organization, CurrentMemberCount]") -> int:
        return organization.current_member_count


@admin.register(Recognition)
class RecognitionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_queryset = staticmethod(recognitions_for)
    list_display = ("title", "organization", "level", "year")
    search_fields = ("title", "organization__name")


@admin.register(Space)
class SpaceAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_queryset = staticmethod(spaces_for)
    list_display = ("name", "organization", "address")
    search_fields = ("name", "organization__name")


@admin.register(Department)
class DepartmentAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    scope_queryset = staticmethod(departments_for)
    # 办公电话 is an office line printed on the department's door, not anyone's personal phone.
    phone_fields = ()
    list_display = ("name", "level", "region", "handler_count", "is_active")
    list_filter = ("level", "is_active")
    search_fields = ("name",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Department]:
        return super().get_queryset(request).annotate(handler_count=Count("handlers", distinct=True))

    @admin.display(description=_("经办人数"), ordering="handler_count")
    def handler_count(self, department: "WithAnnotations[Department, HandlerCount]") -> int:
        return department.handler_count


# Town staff place organizations and people anywhere in their town, though they may not edit the tree.
register_choice_scope(Region, lambda user: regions_for(user, Action.VIEW))
register_choice_scope(Organization, lambda user: organizations_for(user, Action.CHANGE))
register_choice_scope(Department, lambda user: departments_for(user, Action.CHANGE))
