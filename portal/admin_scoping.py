"""The Django admin, scoped like the staff pages: roles and the scoping functions decide, not model perms.

Every ModelAdmin of the portal mixes in ScopedAdminMixin (and every inline ScopedInlineMixin) and names the
scoping function of its model. The list is that function's Action.LIST queryset, so an id outside the
user's scope is "不存在" to the admin; viewing and changing one object ask the function again with
Action.VIEW / Action.CHANGE; choices in foreign-key fields come from what each domain admin registered with
register_choice_scope, so a town's staff can only pick their own town's organizations and places.

Phones (PIPL): whoever sees a phone masked on the staff pages sees it masked in every admin page too — the
changelist, the change form, its read-only fields, the history and its diffs — and may not filter, search
or sort by any phone field, across relations included: each answer to `?phone__startswith=1380` would give
a masked digit away. The rule of who sees phones whole is portal.phones.sees_every_phone_whole; an admin
narrows it per object (an official assigned to a person) by overriding shows_phone_whole.

This module is part of the base: it imports no domain app. The domain admins register their choice scopes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import quote
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import F, Q, QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.db.models.expressions import OrderBy
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.http import Http404, HttpRequest
from django.urls import URLPattern, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.template_utils import HistoricalRecordContextHelper

from portal.accounts.roles import ADMIN_SITE_ROLES
from portal.choice_labels import choice_labels
from portal.page_cache import EVERYTHING, page_cache_touch
from portal.pagination import CappedCountPaginator
from portal.phones import mask_phone, sees_every_phone_whole
from portal.private_pages import private_page
from portal.scoping import Action, AnyUser, is_unrestricted

ScopeFunction = Callable[[AnyUser, Action], QuerySet]
ChoiceScope = Callable[[AnyUser], QuerySet]

if TYPE_CHECKING:  # the mixins are checked as what they are mixed into
    from django.contrib.admin.options import BaseModelAdmin, InlineModelAdmin
    from django.http import HttpResponse

    _BaseAdmin = BaseModelAdmin
    _InlineAdmin = InlineModelAdmin

    class _ModelAdmin(admin.ModelAdmin):
        # What SimpleHistoryAdmin (untyped) adds, for the admins that keep history.
        def history_form_view(
            self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
        ) -> HttpResponse: ...

        def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool: ...
else:
    _BaseAdmin = _ModelAdmin = _InlineAdmin = object

# Every admin module imports this one, so the site carries the portal's name wherever the admin loads.
admin.site.site_header = _("同心荟管理后台")
admin.site.site_title = _("同心荟管理后台")
admin.site.index_title = _("管理首页")

_choice_scopes: dict[type[models.Model], ChoiceScope] = {}


def register_choice_scope(model: type[models.Model], scope: ChoiceScope) -> None:
    """What a user may pick in any admin form field pointing at `model`; each domain admin registers its own."""
    _choice_scopes[model] = scope


def may_use_admin(user: AnyUser) -> bool:
    """District admins and town staff work in the admin; superusers run it."""
    if is_unrestricted(user):
        return True
    return bool(
        user.is_authenticated and user.is_active and user.is_staff and getattr(user, "role", None) in ADMIN_SITE_ROLES
    )


def choices_in_scope(user: AnyUser, model: type[models.Model]) -> QuerySet | None:
    """What a user may pick in a form field pointing at `model`; None when no admin scoped the model."""
    scope = _choice_scopes.get(model)
    return None if scope is None else scope(user)


def _could_ever(queryset: QuerySet) -> bool:
    """False when a scoping function answered `.none()`: decided by role, without a query."""
    return not queryset.query.is_empty()


# What the scoping functions read of an account to decide that its scope is empty (.none()); see could_ever.
_SCOPE_ATTRIBUTES = (
    "pk",
    "is_authenticated",
    "is_active",
    "is_staff",
    "is_superuser",
    "role",
    "region_id",
    "person_id",
    "department_id",
)
_COULD_EVER_KEPT = 10_000
# Django's own msgid for a row's checkbox, translated by its catalogue (a name, so makemessages leaves it there).
_ACTION_CHECKBOX_LABEL = "Select this object for an action - {}"
_could_ever_answers: dict[tuple[Any, ...], bool] = {}


def _looks_like_a_phone(field: Any) -> bool:
    return isinstance(field, models.CharField) and (field.name == "phone" or field.name.endswith("_phone"))


@cache
def default_phone_fields(model: type[models.Model]) -> frozenset[str]:
    """Personal phone fields of a model without an admin of its own: its CharFields named phone or *_phone."""
    return frozenset(field.name for field in model._meta.get_fields() if _looks_like_a_phone(field))


class ScopedFormFieldsMixin(_BaseAdmin):
    """Foreign-key and many-to-many choices limited to what the user may pick, and searched rather than listed.

    A province holds 20,000 villages and 300,000 people: every field pointing at a model with a choice scope
    (regions, organizations, departments, people, accounts) is an autocomplete box whose answers come from
    ScopedAutocompleteJsonView, twenty at a time, instead of a select of every row.
    """

    def get_autocomplete_fields(self, request: HttpRequest) -> list[str]:
        declared = list(super().get_autocomplete_fields(request))
        raw_ids = set(getattr(self, "raw_id_fields", ()))
        for field in self.model._meta.get_fields():
            if not (getattr(field, "concrete", False) and (field.many_to_one or field.many_to_many)):
                continue
            if field.name in declared or field.name in raw_ids or field.related_model not in _choice_scopes:
                continue
            related_admin = self.admin_site._registry.get(field.related_model)
            if related_admin is not None and related_admin.search_fields:
                declared.append(field.name)
        return declared

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


class ScopedAdminMixin(ScopedFormFieldsMixin, _ModelAdmin):
    """Put first in the bases of every ModelAdmin; set `scope_queryset = staticmethod(<app>.scoping.<fn>)`."""

    scope_queryset: ScopeFunction
    # A changelist never counts the whole history: at most 1,000 rows, then "more than 1,000" (admin/pagination.html).
    paginator = CappedCountPaginator
    show_full_result_count = False
    # Domain records (people, memberships, contact logs) are ended or corrected, never deleted, except by
    # the superusers who run the installation.
    staff_may_delete = True
    # The model's fields that hold someone's personal phone. None: every CharField named phone or *_phone;
    # an admin names them to leave out a published office line (a department's 办公电话).
    phone_fields: Sequence[str] | None = None
    # Shown under the search box instead of search_help_text when the phone fields were left out of the search.
    masked_search_help_text = _("手机号对您是隐藏的，不能按手机号查找。")

    model: type[models.Model]
    admin_site: admin.AdminSite

    # ---- public pages ---------------------------------------------------------------------------------------

    # Not every admin write goes through a service (inlines such as recognitions and spaces, a notice's wording),
    # and many are on a public page: admin writes are rare, so after one every kept public page is rendered afresh.

    def log_addition(self, request: HttpRequest, obj: models.Model, message: Any) -> Any:
        page_cache_touch(*EVERYTHING)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: models.Model, message: Any) -> Any:
        page_cache_touch(*EVERYTHING)
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        page_cache_touch(*EVERYTHING)
        return super().log_deletions(request, queryset)

    # ---- kept changelists ---------------------------------------------------------------------------------------

    def get_urls(self) -> list[Any]:
        # The changelist is kept for its session a few seconds (portal/private_pages.py): paging back and forth
        # and returning from an object to its list render nothing again; an action (a POST) renders afresh. It is
        # kept outside the admin site's own check, as every kept page is outside its login and role checks: a
        # kept page was rendered for this session and account, and any change of the account renders it afresh.
        return [
            URLPattern(pattern.pattern, private_page(pattern.callback), pattern.default_args, pattern.name)
            if isinstance(pattern, URLPattern) and (pattern.name or "").endswith("_changelist")
            else pattern
            for pattern in super().get_urls()
        ]

    # ---- scope --------------------------------------------------------------------------------------------------

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

    def could_ever(self, request: HttpRequest, action: Action) -> bool:
        """Whether the user's scope for action can hold anything. Every admin page asks it four times for each
        model of its side menu, and building a scope's queryset costs a quarter of the page: the answer is kept
        in the process for the account as the scoping functions read it (_SCOPE_ATTRIBUTES), which decide an
        empty scope by those alone, without a query; a change to any of them is another key."""
        user = request.user
        key = (type(self), action, *(getattr(user, name, None) for name in _SCOPE_ATTRIBUTES))
        answer = _could_ever_answers.get(key)
        if answer is None:
            if len(_could_ever_answers) >= _COULD_EVER_KEPT:
                _could_ever_answers.clear()
            answer = _could_ever_answers[key] = _could_ever(self.scoped(request, action))
        return answer

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_use_admin(request.user) and self.has_view_permission(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        if not may_use_admin(request.user):
            return False
        if obj is None:
            return self.could_ever(request, Action.VIEW)
        return self.in_scope(request, obj, Action.VIEW)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        if not may_use_admin(request.user):
            return False
        if obj is None:
            return self.could_ever(request, Action.CHANGE)
        return self.in_scope(request, obj, Action.CHANGE)

    def has_add_permission(self, request: HttpRequest, *args) -> bool:
        return may_use_admin(request.user) and self.could_ever(request, Action.CHANGE)

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

    def history_form_view(self, request: HttpRequest, object_id: str, version_id: str, extra_context=None):
        # simple_history saves a POSTed old version whatever revert_disabled says; it only hides the button.
        if request.method == "POST" and self.revert_disabled(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request: HttpRequest, obj=None) -> bool:
        # A revert writes past the services and the scope checks of the form; only superusers may.
        return not is_unrestricted(request.user) or super().revert_disabled(request, obj)

    # ---- phones ---------------------------------------------------------------------------------------------------

    def personal_phone_fields(self) -> frozenset[str]:
        if self.phone_fields is None:
            return default_phone_fields(self.model)
        return frozenset(self.phone_fields)

    def shows_phones_whole(self, request: HttpRequest) -> bool:
        """Whether this user sees every phone of this admin whole: only then may they filter, search, sort by one."""
        return sees_every_phone_whole(request.user)

    def shows_phone_whole(self, request: HttpRequest, obj: models.Model, field_name: str) -> bool:
        """Whether this user sees this object's phone whole; an admin may widen it for single objects."""
        return self.shows_phones_whole(request)

    def phone_of(self, request: HttpRequest, obj: models.Model, field_name: str) -> str:
        phone = getattr(obj, field_name) or ""
        return phone if self.shows_phone_whole(request, obj, field_name) else mask_phone(phone)

    def _phone_column(self, request: HttpRequest, field_name: str) -> Callable[[models.Model], str]:
        """The phone as this user may see it, as a list column or a read-only field; one function per request,
        so that the form, its fieldsets and its read-only fields name the same thing."""
        columns = request.__dict__.setdefault("_admin_phone_columns", {})
        key = (type(self), field_name)
        if key not in columns:

            def shown_phone(obj: models.Model) -> str:
                return self.phone_of(request, obj, field_name)

            shown_phone.__name__ = f"shown_{field_name}"
            sortable = self.shows_phones_whole(request)
            columns[key] = admin.display(
                description=getattr(self.model._meta.get_field(field_name), "verbose_name", field_name),
                ordering=field_name if sortable else None,
            )(shown_phone)
        return columns[key]

    def _masked_phone_fields(self, request: HttpRequest, obj: models.Model | None) -> dict[str, Callable]:
        """The phone fields of obj this user may only see masked, each with the read-only field showing it so.
        Nothing on an add form (whoever registers a person types the number they were given), nor for an empty
        phone (a person registered without one may be given one)."""
        if obj is None:
            return {}
        return {
            name: self._phone_column(request, name)
            for name in self.personal_phone_fields()
            if getattr(obj, name, "") and not self.shows_phone_whole(request, obj, name)
        }

    def get_fieldsets(self, request: HttpRequest, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        masked = self._masked_phone_fields(request, obj)
        if not masked:
            return fieldsets
        return [(title, {**options, "fields": _swap(options["fields"], masked)}) for title, options in fieldsets]

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        readonly: list[Any] = list(super().get_readonly_fields(request, obj))
        readonly += [shown for shown in self._masked_phone_fields(request, obj).values() if shown not in readonly]
        return readonly

    def get_list_display(self, request: HttpRequest):
        phones = self.personal_phone_fields()
        return [
            self._phone_column(request, item) if isinstance(item, str) and item in phones else self._choice_column(item)
            for item in super().get_list_display(request)
        ]

    def _choice_column(self, item: Any) -> Any:
        """A choice field's column printing its label from portal.choice_labels; the changelist's own display
        flattens the field's choices and translates their labels again on every cell. The same cell, header, class
        and sorting: a column the list links or edits by its name keeps its name."""
        if not isinstance(item, str) or item in (self.list_editable or ()) or item in (self.list_display_links or ()):
            return item
        columns = self.__dict__.setdefault("_choice_columns", {})
        if item not in columns:
            try:
                field = self.model._meta.get_field(item)
            except FieldDoesNotExist:
                field = None
            columns[item] = item
            if isinstance(field, models.Field) and field.choices and not field.is_relation:
                columns[item] = _choice_label_column(field)
        return columns[item]

    def get_historical_record_context_helper(self, request: HttpRequest, historical_record: Any):
        # The diffs of the history page print old and new values: a changed phone is a phone like any other.
        instance = historical_record.instance
        masked = frozenset(
            name for name in self.personal_phone_fields() if not self.shows_phone_whole(request, instance, name)
        )
        return _PhoneMaskingHistoryHelper(self.model, historical_record, masked=masked)

    def hides_phone_in(self, request: HttpRequest, path: str) -> bool:
        """Whether a lookup, search or ordering path ("phone__startswith", "person__phone") reaches a phone this
        user does not see whole: through relations, each model's phones follow that model's admin."""
        model_admin: ScopedAdminMixin | None = self
        model = self.model
        for part in path.lstrip("-=^@").split(LOOKUP_SEP):
            try:
                field = model._meta.get_field(part)
            except FieldDoesNotExist:
                return False  # a transform or lookup ("startswith"): the path ended on the field before
            if model_admin is not None:
                phones, whole = model_admin.personal_phone_fields(), model_admin.shows_phones_whole(request)
            else:
                phones, whole = default_phone_fields(model), sees_every_phone_whole(request.user)
            if field.name in phones and not whole:
                return True
            related = field.related_model
            if not field.is_relation or not isinstance(related, type):
                return False
            model = related
            related_admin = self.admin_site._registry.get(model)
            model_admin = related_admin if isinstance(related_admin, ScopedAdminMixin) else None
        return False

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        if request is not None and self.hides_phone_in(request, lookup):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_search_fields(self, request: HttpRequest):
        fields = super().get_search_fields(request)
        return [field for field in fields if not self.hides_phone_in(request, field)]

    def phone_search_withheld(self, request: HttpRequest) -> bool:
        return len(self.get_search_fields(request)) < len(super().get_search_fields(request))

    def get_ordering(self, request: HttpRequest):
        ordering = super().get_ordering(request) or ()
        return [item for item in ordering if not self._orders_by_hidden_phone(request, item)]

    def _orders_by_hidden_phone(self, request: HttpRequest, item: Any) -> bool:
        if isinstance(item, OrderBy):
            item = item.expression
        if isinstance(item, F):
            item = item.name
        return isinstance(item, str) and self.hides_phone_in(request, item)

    def get_changelist(self, request: HttpRequest, **kwargs):
        base = super().get_changelist(request, **kwargs)
        return _phone_guarded_changelist(base)

    # ---- rows ---------------------------------------------------------------------------------------------------

    def action_checkbox(self, obj: models.Model) -> SafeString:
        # Django's renders a CheckboxInput through the form renderer's templates, once per row (a fifth of a
        # changelist's time); the same markup, written out.
        label = format_html(gettext(_ACTION_CHECKBOX_LABEL), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            ACTION_CHECKBOX_NAME,
            obj.pk,
            label,
        )


def _phone_guarded_changelist(base: type[ChangeList]) -> type[ChangeList]:
    # The ignore: the base is the changelist of the admin at hand, which mypy cannot take from a variable.
    class PhoneGuardedChangeList(base):  # type: ignore[valid-type, misc]
        """No sorting by a hidden phone (`?o=` names a column; a crafted one could name a phone column), and a
        word under the search box when the phone fields were left out of it."""

        def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
            super().__init__(request, *args, **kwargs)
            if self.model_admin.phone_search_withheld(request):
                self.search_help_text = self.model_admin.masked_search_help_text

        def get_ordering(self, request: HttpRequest, queryset: QuerySet) -> list:
            ordering = super().get_ordering(request, queryset)
            return [item for item in ordering if not self.model_admin._orders_by_hidden_phone(request, item)]

        def url_for_result(self, result: models.Model) -> str:
            # One reverse() per page rather than per row: the change URL differs only in the quoted pk.
            prefix, suffix = self.__dict__.get("_change_url_parts") or self._change_url_parts_build()
            return f"{prefix}{quote(getattr(result, self.pk_attname))}{suffix}"

        def _change_url_parts_build(self) -> tuple[str, str]:
            marker = "0change0url0"
            url = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                args=(marker,),
                current_app=self.model_admin.admin_site.name,
            )
            prefix, _marker, suffix = url.partition(marker)
            self.__dict__["_change_url_parts"] = (prefix, suffix)
            return prefix, suffix

    return PhoneGuardedChangeList


def _choice_label_column(field: models.Field) -> Callable[[models.Model], str | None]:
    def label(obj: models.Model) -> str | None:
        # None for a value outside the choices: the changelist prints its empty value, as for the field itself.
        try:
            return choice_labels(field).get(getattr(obj, field.attname))
        except TypeError:  # an unhashable value (a JSON list), which no choice matches either
            return None

    label.__name__ = field.name
    return admin.display(description=field.verbose_name, ordering=field.name)(label)


class ScopedAutocompleteJsonView(AutocompleteJsonView):
    """The admin's autocomplete answers with what the user may pick in the field (the model's choice scope), not
    only what its changelist shows, searched through the model admin's search fields (no phone for those who see
    phones masked: get_search_fields leaves them out), twenty at a time and without counting every match."""

    paginator_class = CappedCountPaginator
    source_field: Any  # a relation field, set by process_request (not described by django-stubs)

    def get_queryset(self) -> QuerySet:
        scoped = choices_in_scope(self.request.user, self.model_admin.model)
        if scoped is None:
            return super().get_queryset()
        # From the choice scope itself rather than the changelist's queryset, which may carry annotations for
        # its columns (member counts…) that a box of twenty names does not need.
        found = scoped.complex_filter(self.source_field.get_limit_choices_to())
        found, use_distinct = self.model_admin.get_search_results(self.request, found, self.term)
        if use_distinct:
            found = found.distinct()
        return found.order_by(*(found.model._meta.ordering or ["pk"]), "pk")


def _scoped_autocomplete(request: HttpRequest) -> Any:
    return ScopedAutocompleteJsonView.as_view(admin_site=admin.site)(request)


# AdminSite.get_urls wires self.autocomplete_view when the URLconf loads, after every admin module imported this one.
admin.site.autocomplete_view = _scoped_autocomplete  # type: ignore[method-assign]


class _PhoneMaskingHistoryHelper(HistoricalRecordContextHelper):
    def __init__(self, model: type[models.Model], historical_record: Any, *, masked: frozenset[str]) -> None:
        super().__init__(model, historical_record)
        self.masked = masked

    def prepare_delta_change_value(self, change: Any, value: Any) -> Any:
        if change.field in self.masked:
            return mask_phone(str(value or ""))
        return super().prepare_delta_change_value(change, value)


def _swap(names: Iterable[Any], masked: dict[str, Callable]) -> list[Any]:
    """Field names with each masked phone replaced by its read-only display, once, nested rows kept as rows."""
    swapped: list[Any] = []
    for name in names:
        if isinstance(name, (list, tuple)):
            name = tuple(_swap(name, masked))
        elif isinstance(name, str):
            name = masked.get(name, name)
        if name not in swapped:
            swapped.append(name)
    return swapped


def _keep_current_choices(form, obj: models.Model) -> None:
    """An object may already point at something outside the editor's scope (a partner in another district, a
    person living elsewhere): keep that value selectable so saving the form does not silently drop it."""
    for name, field in form.base_fields.items():
        try:
            model_field = obj._meta.get_field(name)
        except Exception:  # noqa: S112 — form-only fields have no model field
            continue
        if not isinstance(model_field, models.Field):
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


class ScopedInlineMixin(ScopedFormFieldsMixin, _InlineAdmin):
    """Inlines follow their parent: shown with it, editable when the parent and their own scope allow."""

    scope_queryset: ScopeFunction | None = None
    staff_may_delete = True

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        scope = type(self).scope_queryset
        if scope is None:
            return super().get_queryset(request)
        return scope(request.user, Action.LIST)

    def _parent_allows_change(self, request: HttpRequest, obj) -> bool:
        parent_admin = self.admin_site._registry.get(self.parent_model)
        if parent_admin is None:
            return False
        return parent_admin.has_change_permission(request, obj)

    def _own_scope_allows_change(self, request: HttpRequest) -> bool:
        scope = type(self).scope_queryset
        if scope is None:
            return True
        return _could_ever(scope(request.user, Action.CHANGE))

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


class ReadOnlyAdminMixin:
    """For records only the services write: viewable in scope, never added, changed or deleted here.
    Put it before ScopedAdminMixin so that its answers win."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInlineMixin(ScopedInlineMixin):
    """Shown with the parent, never edited from it: these rows are written by the services (or on their own
    admin pages, through the services)."""

    extra = 0
    can_delete = False
    show_change_link = False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
