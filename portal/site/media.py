"""Uploaded files are personal data: each is served only to those who may see the object it belongs to.

A file is found through the row that names it (so no path outside the uploads can be asked for), and the
row's app decides who may read it, with the same scoping functions as its pages.
"""

import mimetypes
from collections.abc import Callable

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from activities.models import Activity, ActivityPhoto
from activities.scoping import activities_for, activities_public
from consultations.models import AssignmentAttachment, IssuePhoto
from consultations.scoping import issue_readable_by_request
from portal.scoping import Action

INLINE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif", "application/pdf"}


def _issue_photo(request: HttpRequest, name: str) -> bool:
    issue_id = IssuePhoto.objects.filter(image=name).values_list("issue_id", flat=True).first()
    return issue_id is not None and issue_readable_by_request(request, issue_id)


def _answer_attachment(request: HttpRequest, name: str) -> bool:
    issue_id = AssignmentAttachment.objects.filter(file=name).values_list("assignment__issue_id", flat=True).first()
    return issue_id is not None and issue_readable_by_request(request, issue_id)


def _activity_image(request: HttpRequest, name: str) -> bool:
    activity_id = (
        Activity.objects.filter(cover=name).values_list("pk", flat=True).first()
        or ActivityPhoto.objects.filter(image=name).values_list("activity_id", flat=True).first()
    )
    if activity_id is None:
        return False
    return (
        activities_public().filter(pk=activity_id).exists()
        or activities_for(request.user, Action.VIEW).filter(pk=activity_id).exists()
    )


READERS: dict[str, Callable[[HttpRequest, str], bool]] = {
    "issues/": _issue_photo,
    "answers/": _answer_attachment,
    "activities/": _activity_image,
}


@require_GET
def protected_media(request: HttpRequest, name: str) -> FileResponse:
    if "\x00" in name:  # no file has one, and the database refuses it in a query
        raise Http404
    reader = next((check for prefix, check in READERS.items() if name.startswith(prefix)), None)
    if reader is None or not reader(request, name) or not default_storage.exists(name):
        raise Http404
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(
        default_storage.open(name, "rb"),
        content_type=content_type,
        as_attachment=content_type not in INLINE_TYPES,
        filename=name.rsplit("/", 1)[-1],
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response
