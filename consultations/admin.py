"""Admin for the consultation loop, scoped through consultations.scoping.

The admin reads the loop; it never moves it. An issue's state, and everything a transition writes, is
read-only here: consultations.services is the only code that changes state, and it writes the audit
trail (Transition), which nobody may add to, edit or delete — superusers included.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from consultations.models import (
    AgendaItem,
    Assignment,
    AssignmentAttachment,
    Feedback,
    Issue,
    IssuePhoto,
    Meeting,
    PublicNotice,
    Transition,
)
from consultations.receipts import RECEIPT_CODE_LENGTH, normalize_receipt_code
from consultations.scoping import assignments_for, issues_for, meetings_for, submitter_phone_for
from portal.admin_scoping import ReadOnlyAdminMixin, ReadOnlyInlineMixin, ScopedAdminMixin
from portal.scoping import Action, AnyUser


def notices_for(user: AnyUser, action: Action) -> QuerySet[PublicNotice]:
    """A notice belongs to its issue: whoever may see or edit the issue may see or edit its notice."""
    return PublicNotice.objects.select_related("organization", "region").filter(issue__in=issues_for(user, action))


def feedback_for(user: AnyUser, action: Action) -> QuerySet[Feedback]:
    return Feedback.objects.select_related("issue", "notice").filter(issue__in=issues_for(user, action))


def transitions_for(user: AnyUser, action: Action) -> QuerySet[Transition]:
    return Transition.objects.select_related("issue").filter(issue__in=issues_for(user, Action.VIEW))


class IssuePhotoInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = IssuePhoto
    fields = ("image", "width", "height", "created_at")
    readonly_fields = fields


class TransitionInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = Transition
    fields = ("created_at", "action", "from_state", "to_state", "actor_label", "comment", "is_public")
    readonly_fields = fields
    ordering = ("created_at", "id")


class AssignmentInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = Assignment
    fields = ("department", "state", "deadline", "assigned_at", "answered_at", "returned_at")
    readonly_fields = fields
    show_change_link = True


# Everything a transition writes; the services own these fields.
ISSUE_STATE_FIELDS = (
    "receipt_code",
    "state",
    "state_changed_at",
    "merged_into",
    "rejection_reason",
    "consensus_text",
    "resolution_text",
    "resolved_at",
    "created_at",
)
# Who raised it and how: the submitter's own words about themselves are not for staff to rewrite.
ISSUE_SUBMISSION_FIELDS = (
    "organization",
    "region",
    "submitter_name",
    "submitter_phone",
    "phone_visible_to_department",
    "submitter_user",
    "channel",
    "entered_by",
)


@admin.register(Issue)
class IssueAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_queryset = staticmethod(issues_for)
    list_display = ("receipt_code", "title", "organization", "state", "category", "channel", "created_at")
    list_select_related = ("organization",)
    # Only indexed fields: Issue.channel has no index yet (reported to the lead), so it is not a filter.
    # A date hierarchy would read the distinct years of the whole history on every page; the date filter reads none.
    list_filter = ("state", "category", "channel", ("created_at", admin.DateFieldListFilter))
    search_fields = ("=receipt_code", "title")
    search_help_text = _("按回执码（完整）或标题查找")
    inlines = (IssuePhotoInline, TransitionInline, AssignmentInline)
    fieldsets = (
        (None, {"fields": ("title", "description", "category", "place")}),
        (_("反映人与来源"), {"fields": ISSUE_SUBMISSION_FIELDS}),
        (_("办理状态（只能通过办理流程变更）"), {"fields": ISSUE_STATE_FIELDS}),
    )
    readonly_fields = ISSUE_SUBMISSION_FIELDS + ISSUE_STATE_FIELDS

    def shows_phone_whole(self, request: HttpRequest, obj: Model, field_name: str) -> bool:
        # consultations.scoping decides, with its exceptions (the submitter, a handler the submitter allowed);
        # ScopedAdminMixin masks the field and refuses phone lookups accordingly.
        return isinstance(obj, Issue) and submitter_phone_for(request.user, obj) == obj.submitter_phone

    def get_search_results(self, request: HttpRequest, queryset, search_term: str):
        # Receipt codes are read aloud and typed with spaces or dashes ("1234 5678").
        code = normalize_receipt_code(search_term)
        if len(code) == RECEIPT_CODE_LENGTH and not any(char.isalpha() for char in search_term):
            search_term = code
        return super().get_search_results(request, queryset, search_term)

    def has_add_permission(self, request: HttpRequest, *args) -> bool:
        # Issues come in through the issue form or staff entering one for a villager, with a receipt code.
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # The audit trail points at every issue; an issue that should not be handled is rejected, not deleted.
        return False


class AgendaItemInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = AgendaItem
    fields = ("position", "issue", "outcome", "consensus_text", "votes_for", "votes_against", "votes_abstain")
    readonly_fields = fields


@admin.register(Meeting)
class MeetingAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_queryset = staticmethod(meetings_for)
    staff_may_delete = False
    list_display = ("title", "organization", "scheduled_at", "state")
    list_select_related = ("organization",)
    list_filter = ("state",)
    search_fields = ("title", "organization__name")
    date_hierarchy = "scheduled_at"
    inlines = (AgendaItemInline,)
    fields = (
        "organization",
        "title",
        "scheduled_at",
        "place",
        "state",
        "villagers_count",
        "department_reps_count",
        "ufwd_reps_count",
        "minutes",
        "cancel_reason",
        "cancelled_at",
        "cancelled_by",
        "created_by",
    )
    # A meeting is scheduled, marked held and cancelled through its services; here only its description is
    # corrected. Its cancellation moved the agenda's issues, so it is shown, never edited.
    readonly_fields = ("organization", "state", "cancel_reason", "cancelled_at", "cancelled_by", "created_by")

    def has_add_permission(self, request: HttpRequest, *args) -> bool:
        return False


class AssignmentAttachmentInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = AssignmentAttachment
    fields = ("original_name", "file", "content_type", "size", "created_at")
    readonly_fields = fields


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    scope_queryset = staticmethod(assignments_for)
    list_display = ("issue", "department", "state", "deadline", "assigned_at")
    list_select_related = ("issue", "department")
    list_filter = ("state",)
    search_fields = ("=issue__receipt_code", "issue__title", "department__name")
    date_hierarchy = "deadline"
    inlines = (AssignmentAttachmentInline,)


@admin.register(PublicNotice)
class PublicNoticeAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_queryset = staticmethod(notices_for)
    staff_may_delete = False
    list_display = ("title", "organization", "region", "published_at", "ends_at")
    list_select_related = ("organization", "region")
    search_fields = ("title", "=issue__receipt_code")
    date_hierarchy = "published_at"
    fields = (
        "issue",
        "organization",
        "region",
        "title",
        "body",
        "period_days",
        "published_at",
        "ends_at",
        "published_by",
    )
    # The notice period drives the automatic archiving; wording may be corrected, dates may not.
    readonly_fields = ("issue", "organization", "region", "period_days", "published_at", "ends_at", "published_by")

    def has_add_permission(self, request: HttpRequest, *args) -> bool:
        return False


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    scope_queryset = staticmethod(feedback_for)
    list_display = ("issue", "rating", "created_at")
    list_select_related = ("issue",)
    list_filter = ("rating",)
    search_fields = ("=issue__receipt_code",)


@admin.register(Transition)
class TransitionAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """The append-only audit trail: read by those in scope, changed by nobody."""

    scope_queryset = staticmethod(transitions_for)
    list_display = ("created_at", "issue", "action", "from_state", "to_state", "actor_label", "is_public")
    list_select_related = ("issue",)
    # Transition.created_at is indexed; action and states are not, so the list filters by date only.
    date_hierarchy = "created_at"
    search_fields = ("=issue__receipt_code",)
