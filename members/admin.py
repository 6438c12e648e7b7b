"""Admin for people, memberships and contact records, scoped through members.scoping."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportActionMixin, ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from simple_history.admin import SimpleHistoryAdmin

from members.admin_export import MembershipStatusFilter, RosterExportForm, roster_export_filename, status_asked
from members.admin_forms import (
    ContactAssignmentAdminForm,
    ContactLogAdminForm,
    CrossAppointmentAdminForm,
    MembershipAdminForm,
    PersonAdminForm,
    PublicOfficeAdminForm,
)
from members.admin_writes import ServiceAdminMixin
from members.models import ContactAssignment, ContactLog, CrossAppointment, Membership, Person, PublicOffice
from members.resources import RosterResource
from members.scoping import (
    contact_assignments_for,
    contact_logs_for,
    cross_appointments_for,
    memberships_for,
    persons_for,
    phone_visibility_for,
    public_offices_for,
)
from portal.admin_bases import ModelAdminBase
from portal.admin_capped_filter import CappedRelatedFieldListFilter
from portal.admin_scoping import ReadOnlyInlineMixin, ScopedAdminMixin, ScopedInlineMixin, register_choice_scope
from portal.query_params import id_param
from portal.scoping import Action, is_unrestricted

# Rows of a sheet listed on the import's preview page.
PREVIEW_ROWS = 200


class PersonKeptMixin(ModelAdminBase):
    """A record about one person stays about them: a record about someone else is another record."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and "person" not in readonly:
            readonly.append("person")
        return readonly


class MembershipInline(ReadOnlyInlineMixin, ScopedInlineMixin, admin.TabularInline):
    model = Membership
    scope_queryset = staticmethod(memberships_for)
    staff_may_delete = False
    extra = 0
    fields = ("organization", "role", "joined_on", "left_on", "leave_reason")
    show_change_link = True


class PublicOfficeInline(ReadOnlyInlineMixin, ScopedInlineMixin, admin.TabularInline):
    model = PublicOffice
    scope_queryset = staticmethod(public_offices_for)
    extra = 0
    show_change_link = True


class CrossAppointmentInline(ReadOnlyInlineMixin, ScopedInlineMixin, admin.TabularInline):
    model = CrossAppointment
    scope_queryset = staticmethod(cross_appointments_for)
    extra = 0
    show_change_link = True


class ContactAssignmentInline(ReadOnlyInlineMixin, ScopedInlineMixin, admin.TabularInline):
    model = ContactAssignment
    scope_queryset = staticmethod(contact_assignments_for)
    extra = 0
    show_change_link = True


@admin.register(Person)
class PersonAdmin(ServiceAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    form = PersonAdminForm
    scope_queryset = staticmethod(persons_for)
    staff_may_delete = False
    inlines = (MembershipInline, PublicOfficeInline, CrossAppointmentInline, ContactAssignmentInline)
    # The phone column, field and history are masked by ScopedAdminMixin for those who may not see it whole.
    list_display = ("name", "gender", "phone", "stratum", "occupation", "region", "is_representative")
    list_select_related = ("region",)
    # political_affiliation has no index yet (reported to the lead).
    list_filter = ("stratum", "is_representative", "political_affiliation")
    search_fields = ("name", "=phone")
    search_help_text = _("按姓名或完整手机号查找")
    masked_search_help_text = _("按姓名查找（手机号对您是隐藏的，不能按号码查找）")
    fieldsets = (
        (None, {"fields": ("name", "gender", "phone", "region", "nationality")}),
        (_("阶层与职业"), {"fields": ("stratum", "occupation", "industry", "skills")}),
        (_("政治面貌与代表人士"), {"fields": ("political_affiliation", "is_representative")}),
    )

    def shows_phone_whole(self, request: HttpRequest, obj: Model, field_name: str) -> bool:
        # Whose phones this user sees whole (their 列名联系 people, themselves) is looked up once per request,
        # not once per row.
        visibility = request.__dict__.get("_phone_visibility")
        if visibility is None:
            visibility = request.__dict__["_phone_visibility"] = phone_visibility_for(request.user)
        return isinstance(obj, Person) and visibility.shows_whole(obj)


@admin.register(Membership)
class MembershipAdmin(ServiceAdminMixin, ScopedAdminMixin, ImportExportMixin, ExportActionMixin, SimpleHistoryAdmin):
    form = MembershipAdminForm
    scope_queryset = staticmethod(memberships_for)
    staff_may_delete = False
    resource_classes = (RosterResource,)
    formats = (XLSX, CSV)
    # The roster export: see members/admin_export.py. Rows ticked on the list export through the action too.
    export_form_class = RosterExportForm
    show_change_form_export = False
    change_form_template = None  # Django's, not the export action's (it adds an export button the form needs not)
    list_display = ("person", "organization", "role", "joined_on", "left_on")
    list_select_related = ("person", "organization")
    list_filter = (MembershipStatusFilter, ("organization", CappedRelatedFieldListFilter), "role")
    search_fields = ("person__name", "=person__phone", "organization__name")
    date_hierarchy = "joined_on"
    autocomplete_fields = ("person",)
    fields = ("person", "organization", "role", "joined_on", "left_on", "leave_reason")

    def get_fields(self, request: HttpRequest, obj=None):
        if obj is None or obj.left_on is not None:
            return self.fields
        return (*self.fields[:3], "changed_on", *self.fields[3:])

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # A span is named by whom, where and since when; an ended one is history and stays as it is.
            kept = self.fields if obj.left_on is not None else ("person", "organization", "joined_on")
            readonly.extend(name for name in kept if name not in readonly)
        return readonly

    def import_action(self, request: HttpRequest, **kwargs):
        response = super().import_action(request, **kwargs)
        result = (response.context_data or {}).get("result") if isinstance(response, TemplateResponse) else None
        # The preview of a 10,000-row sheet rendered 10,000 table rows (megabytes, most of the wait); the totals above
        # it and every refused row are still shown whole, and confirming imports every row.
        if result is not None and len(result.rows) > PREVIEW_ROWS:
            hidden = len(result.rows) - PREVIEW_ROWS
            result.rows = result.rows[:PREVIEW_ROWS]
            messages.info(
                request,
                _("预览只列出前 %(shown)s 行，另外 %(hidden)s 行不再列出，确认导入时一并导入。")
                % {"shown": PREVIEW_ROWS, "hidden": hidden},
            )
        return response

    def get_resource_kwargs(self, request: HttpRequest, *args, **kwargs):
        return {**super().get_resource_kwargs(request, *args, **kwargs), "user": request.user}

    def has_import_permission(self, request: HttpRequest) -> bool:
        return self.has_add_permission(request)

    def has_export_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def get_valid_export_item_pks(self, request: HttpRequest) -> QuerySet[Membership]:
        # Only the ticked rows the user may list; import-export's default reads every pk of the table.
        ticked = [pk for pk in map(id_param, request.POST.getlist("export_items")) if pk is not None]
        return self.get_queryset(request).filter(pk__in=ticked).values_list("pk", flat=True)

    def get_export_filename(self, request: HttpRequest, queryset, file_format) -> str:
        return roster_export_filename(
            user=request.user, memberships=queryset, status=status_asked(request), extension=file_format.get_extension()
        )

    def _do_file_export(self, file_format, request: HttpRequest, queryset, export_form=None):
        response = super()._do_file_export(file_format, request, queryset, export_form=export_form)
        # A Chinese file name: import-export writes it raw, which browsers read as mojibake; RFC 6266 says how.
        filename = self.get_export_filename(request, queryset, file_format)
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
        return response


@admin.register(PublicOffice)
class PublicOfficeAdmin(PersonKeptMixin, ServiceAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    form = PublicOfficeAdminForm
    scope_queryset = staticmethod(public_offices_for)
    list_display = ("person", "kind", "level", "term", "started_on", "ended_on")
    list_select_related = ("person",)
    list_filter = ("kind",)
    search_fields = ("person__name",)
    autocomplete_fields = ("person",)


@admin.register(CrossAppointment)
class CrossAppointmentAdmin(PersonKeptMixin, ServiceAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    form = CrossAppointmentAdminForm
    scope_queryset = staticmethod(cross_appointments_for)
    list_display = ("person", "title", "body", "region", "started_on", "ended_on")
    list_select_related = ("person", "region")
    search_fields = ("person__name", "title", "body")
    autocomplete_fields = ("person",)


@admin.register(ContactAssignment)
class ContactAssignmentAdmin(PersonKeptMixin, ServiceAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    form = ContactAssignmentAdminForm
    scope_queryset = staticmethod(contact_assignments_for)
    list_display = ("person", "official", "official_title", "started_on", "ended_on")
    list_select_related = ("person", "official")
    list_filter = ("ended_on",)
    search_fields = ("person__name", "official_title")
    autocomplete_fields = ("person",)
    fields = ("person", "official", "official_title", "started_on", "ended_on")


@admin.register(ContactLog)
class ContactLogAdmin(PersonKeptMixin, ServiceAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    form = ContactLogAdminForm
    scope_queryset = staticmethod(contact_logs_for)
    staff_may_delete = False
    list_display = ("occurred_on", "kind", "person", "contacted_by", "author")
    list_select_related = ("person", "author")
    list_filter = ("kind", "occurred_on")
    search_fields = ("person__name", "contacted_by")
    date_hierarchy = "occurred_on"
    autocomplete_fields = ("person",)
    fields = ("person", "kind", "occurred_on", "contacted_by", "notes", "author")

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        # A log is signed by whoever writes it; only superusers may re-attribute one afterwards.
        if obj is None or not is_unrestricted(request.user):
            readonly.append("author")
        return readonly


register_choice_scope(Person, lambda user: persons_for(user, Action.CHANGE))
