"""Who may list, view and change issues, meetings, assignments and notices. Views and the admin use these."""

from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest

from consultations.models import Assignment, AssignmentState, Issue, Meeting, PublicNotice
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.phones import mask_phone, sees_every_phone_whole
from portal.scoping import Action, AnyUser, has_role, held_by, is_unrestricted, scope_path

# Staff who run the loop for the organizations of their place.
LOOP_STAFF = (Role.DISTRICT_ADMIN, Role.TOWN_STAFF, Role.VILLAGE_STAFF)
LIVE_ASSIGNMENT_STATES = (AssignmentState.OPEN, AssignmentState.ACKNOWLEDGED)


def issues_for(user: AnyUser, action: Action) -> QuerySet[Issue]:
    issues = Issue.objects.select_related("organization", "region")
    if is_unrestricted(user):
        return issues
    if has_role(user, Role.DEPARTMENT_HANDLER):
        if action == Action.CHANGE:
            return issues.none()
        # A handler sees what was ever handed to the department, never what was not.
        handed = held_by(
            Assignment.objects.filter(issue=OuterRef("pk")), user, lookup="department_id", attribute="department_id"
        )
        return issues.filter(Exists(handed))
    if has_role(user, Role.MEMBER):
        if action == Action.CHANGE:
            return issues.none()
        return issues.filter(submitter_user_id=getattr(user, "pk", None))
    path = scope_path(user)
    if path is None or not has_role(user, *LOOP_STAFF):
        return issues.none()
    return issues.filter(region__path__startswith=path)


def assignments_for(user: AnyUser, action: Action) -> QuerySet[Assignment]:
    assignments = Assignment.objects.select_related("issue", "department", "issue__organization")
    if is_unrestricted(user):
        return assignments
    if has_role(user, Role.DEPARTMENT_HANDLER):
        mine = held_by(assignments, user, lookup="department_id", attribute="department_id")
        if action == Action.CHANGE:
            return mine.filter(state__in=LIVE_ASSIGNMENT_STATES)
        return mine
    if action == Action.CHANGE or has_role(user, Role.MEMBER):
        return assignments.none()
    return assignments.filter(issue__in=issues_for(user, Action.VIEW))


def meetings_for(user: AnyUser, action: Action) -> QuerySet[Meeting]:
    meetings = Meeting.objects.select_related("organization")
    if is_unrestricted(user):
        return meetings
    path = scope_path(user)
    if path is None or not has_role(user, *LOOP_STAFF):
        return meetings.none()
    return meetings.filter(organization__region__path__startswith=path)


# Receipt codes whose proof (code + last four phone digits) this browser has shown, most recent last.
TRACKING_SESSION_KEY = "issues_tracking_codes"


def tracked_receipt_codes(request: HttpRequest) -> list[str]:
    return list(request.session.get(TRACKING_SESSION_KEY, []))


def issue_readable_by_request(request: HttpRequest, issue_id: int) -> bool:
    """Staff and handlers in scope, the member who submitted it, or a browser holding the tracking proof."""
    if issues_for(request.user, Action.VIEW).filter(pk=issue_id).exists():
        return True
    codes = tracked_receipt_codes(request)
    return bool(codes) and Issue.objects.filter(pk=issue_id, receipt_code__in=codes).exists()


def notices_public() -> QuerySet[PublicNotice]:
    """The notice board is public: it carries no personal data of the submitter."""
    return PublicNotice.objects.select_related("organization", "region")


def submitter_phone_for(user: AnyUser, issue: Issue) -> str:
    """A handler sees the submitter's phone only if the submitter allowed it on the form; roster keepers see it
    whole; everyone else masked."""
    if sees_every_phone_whole(user):
        return issue.submitter_phone
    if isinstance(user, User) and user.is_active:
        if user.role == Role.DEPARTMENT_HANDLER:
            return issue.submitter_phone if issue.phone_visible_to_department else mask_phone(issue.submitter_phone)
        if issue.submitter_user_id == user.pk:
            return issue.submitter_phone
    return mask_phone(issue.submitter_phone)
