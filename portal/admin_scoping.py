"""The Django admin, scoped like the staff pages: roles and the scoping functions decide, not model perms.

Every ModelAdmin of the portal mixes in ScopedAdminMixin (and every inline ScopedInlineMixin) and names the
scoping function of its model. The list is that function's Action.LIST queryset, so an id outside the
user's scope is "不存在" to the admin; viewing and changing one object ask the function again with
Action.VIEW / Action.CHANGE; choices in foreign-key fields come from the scoping functions of the
related models, so a town's staff can only pick their own town's organizations and places.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin
from django.db import models
from django.db.models import Q, QuerySet
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _

from members.models import Person
from members.scoping import persons_for
from orgs.models import Department, Organization, Region
from orgs.scoping import departments_for, organizations_for, regions_for
from portal.accounts.models import User
from portal.accounts.roles import ADMIN_SITE_ROLES
from portal.accounts.scoping import users_for
from portal.scoping import Action, AnyUser, is_unrestricted

ScopeFunction = Callable[[AnyUser, Action], QuerySet]

# Every admin module imports this one, so the site carries the portal's name wherever the admin loads.
admin.site.site_header = _("同心荟管理后台")
admin.site.site_title = _("同心荟管理后台")
admin.site.index_title = _("管理首页")


def may_use_admin(user: AnyUser) -> bool:
    """District admins and town staff work in the admin; superusers run it."""
    if is_unrestricted(user):
        return True
    return bool(
        user.is_authenticated and user.is_active and user.is_staff and getattr(user, "role", None) in ADMIN_SITE_ROLES
    )


def choices_in_scope(user: AnyUser, model: type[models.Model]) -> QuerySet | None:
    """What a user may pick in a form field pointing at `model`; None when the model is not scoped here."""
    if model is Region:
        # Town staff place organizations and people anywhere in their town, though they may not edit the tree.
        return regions_for(user, Action.VIEW)
    if model is Organization:
        return organizations_for(user, Action.CHANGE)
    if model is Person:
        return persons_for(user, Action.CHANGE)
    if model is Department:
        return departments_for(user, Action.CHANGE)
    if model is User:
        return users_for(user, Action.VIEW)
    return None


def _could_ever(queryset: QuerySet) -> bool:
    """False when a scoping function answered `.none()`: decided by role, without a query."""
    return not queryset.query.is_empty()


class ScopedFormFieldsMixin:
    """Foreign-key and many-to-many choices limited to what the user may pick."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            scoped = choices_in_scope(request.user, db_field.related_model)
            if scoped is not None:
                kwargs["queryset"] = scoped
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            scoped = choices_in_scope(request.user, db_field.related_model)
            if scoped is not None:
                kwargs["queryset"] = scoped
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopedAdminMixin(ScopedFormFieldsMixin):
    """Put first in the bases of every ModelAdmin; set `scope_queryset = staticmethod(<app>.scoping.<fn>)`."""

    scope_queryset: ScopeFunction
    # Domain records (people, memberships, contact logs) are ended or corrected, never deleted, except by
    # the superusers who run the installation.
    staff_may_delete = True

    def scoped(self, request: HttpRequest, action: Action) -> QuerySet:
        return type(self).scope_queryset(request.user, action)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = self.scoped(request, Action.LIST)
        ordering = self.get_ordering(request)
        if ordering:
            queryset = queryset.order_by(*ordering)
        return queryset

    def in_scope(self, request: HttpRequest, obj: models.Model, action: Action) -> bool:
        """Whether obj is in the user's scope for action; remembered per request, as the admin asks often."""
        cache = request.__dict__.setdefault("_admin_scope_cache", {})
        key = (obj._meta.label, obj.pk, action)
        if key not in cache:
            cache[key] = obj.pk is not None and self.scoped(request, action).filter(pk=obj.pk).exists()
        return cache[key]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_use_admin(request.user) and self.has_view_permission(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        if not may_use_admin(request.user):
            return False
        if obj is None:
            return _could_ever(self.scoped(request, Action.VIEW))
        return self.in_scope(request, obj, Action.VIEW)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        if not may_use_admin(request.user):
            return False
        if obj is None:
            return _could_ever(self.scoped(request, Action.CHANGE))
        return self.in_scope(request, obj, Action.CHANGE)

    def has_add_permission(self, request: HttpRequest, *args) -> bool:
        return may_use_admin(request.user) and _could_ever(self.scoped(request, Action.CHANGE))

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        if is_unrestricted(request.user):
            return True
        return self.staff_may_delete and self.has_change_permission(request, obj)

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and obj.pk is not None:
            _keep_current_choices(form, obj)
        return form

    def history_view(self, request: HttpRequest, object_id: str, extra_context=None):
        # simple_history falls back to the history table for objects it cannot find; outside one's scope
        # an object must not exist at all, as in the change view.
        if not is_unrestricted(request.user) and not self.get_queryset(request).filter(pk=object_id).exists():
            raise Http404
        return super().history_view(request, object_id, extra_context=extra_context)

    def revert_disabled(self, request: HttpRequest, obj=None) -> bool:
        # A revert writes past the services and the scope checks of the form; only superusers may.
        return not is_unrestricted(request.user) or super().revert_disabled(request, obj)


def _keep_current_choices(form, obj: models.Model) -> None:
    """An object may already point at something outside the editor's scope (a partner in another district, a
    person living elsewhere): keep that value selectable so saving the form does not silently drop it."""
    for name, field in form.base_fields.items():
        try:
            model_field = obj._meta.get_field(name)
        except Exception:  # noqa: S112 — form-only fields have no model field
            continue
        if isinstance(field, ModelMultipleChoiceField) and model_field.many_to_many:
            current = Q(pk__in=getattr(obj, name).values("pk"))
        elif isinstance(field, ModelChoiceField) and model_field.many_to_one:
            if getattr(obj, model_field.attname) is None:
                continue
            current = Q(pk=getattr(obj, model_field.attname))
        else:
            continue
        field.queryset = field.queryset.model._default_manager.filter(Q(pk__in=field.queryset.values("pk")) | current)


class ScopedInlineMixin(ScopedFormFieldsMixin):
    """Inlines follow their parent: shown with it, editable when the parent and their own scope allow."""

    scope_queryset: ScopeFunction | None = None
    staff_may_delete = True

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        if self.scope_queryset is None:
            return super().get_queryset(request)
        return type(self).scope_queryset(request.user, Action.LIST)

    def _parent_allows_change(self, request: HttpRequest, obj) -> bool:
        parent_admin = self.admin_site._registry.get(self.parent_model)
        if parent_admin is None:
            return False
        return parent_admin.has_change_permission(request, obj)

    def _own_scope_allows_change(self, request: HttpRequest) -> bool:
        if self.scope_queryset is None:
            return True
        return _could_ever(type(self).scope_queryset(request.user, Action.CHANGE))

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_use_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return (
            may_use_admin(request.user)
            and self._parent_allows_change(request, obj)
            and self._own_scope_allows_change(request)
        )

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        if is_unrestricted(request.user):
            return True
        return self.staff_may_delete and self.has_change_permission(request, obj)
