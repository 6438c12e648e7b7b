"""The villager's pages: submit an issue from a phone, get a receipt code, track it, rate the result.

Anyone may submit. Tracking needs the receipt code plus the last four digits of the phone given on the form;
once shown, the proof is remembered in the session, so the submitter's own browser opens the issue again
without asking. A member signed in sees their own issues without any of this.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from consultations import services
from consultations.forms_public import (
    FeedbackForm,
    IssueSubmitForm,
    NotDoneForm,
    TrackingForm,
    new_submission_token,
    organization_place,
)
from consultations.models import Issue, PublicNotice
from consultations.organization_choice import (
    PLACE_STEP_NAMES,
    organizations_offered,
    places_requested,
    search_requested,
)
from consultations.ratelimits import (
    SubmissionRateLimited,
    issue_submission_check,
    tracking_blocks,
    tracking_code_failure_record,
    tracking_failure_record,
    tracking_is_blocked,
)
from consultations.receipts import RECEIPT_CODE_LENGTH, format_receipt_code, normalize_receipt_code
from consultations.scoping import TRACKING_SESSION_KEY, issues_for
from consultations.selectors_public import (
    issue_by_receipt_code,
    issue_latest_notice,
    issue_latest_notice_with_feedback,
    issue_photos,
    issue_proof_by_receipt_code,
    issue_public_timeline,
    issues_submitted_by,
    loop_progress,
)
from consultations.states import RESOLVED_STATES, IssueState
from portal.accounts.client_ip import client_ip_address
from portal.accounts.roles import Role
from portal.delivery_health import delivery_health, oldest_pending_age_seconds
from portal.page_cache import PerVisitor, Shown, public_page
from portal.phones import mask_phone
from portal.query_params import slug_param
from portal.scoping import Action
from portal.staff_access import acting_user

TRACKING_CODES_REMEMBERED = 20
# A used submission token maps to the issue it created, so that a replayed POST finds it again.
SUBMISSION_KEY = "issues:submission:{token}"
SUBMISSION_PENDING = "pending"
SUBMISSION_TOKEN_TTL = 24 * 3600
SUBMISSION_CLAIM_TTL = 120
# A second tap that arrives while the first is still being saved waits this long for it.
SUBMISSION_WAIT_SECONDS = 15
MY_ISSUES_PER_PAGE = 20
# The double-tap token of an empty form: each villager's own, also on a kept copy of the page.
SUBMISSION_TOKEN = PerVisitor("submission-token", new_submission_token)

# The same words whether the code does not exist or the digits are wrong: the page reveals nothing.
# Marked with gettext_noop by that name: makemessages knows no alias such as N_.
NEUTRAL_TRACKING_ERROR = gettext_noop("回执码或手机号后四位不正确，请核对后再试。")
TRACKING_BLOCKED_ERROR = gettext_noop("尝试次数过多，请一小时后再试。如有疑问，请联系村里的同心荟。")
# For one receipt code, whoever tried: the same words whether or not the code exists.
TRACKING_CODE_BLOCKED_ERROR = gettext_noop(
    "这个回执码的后四位输错次数过多，已暂停查询一小时，请稍后再试。急需了解进度的，请联系村里的同心荟。"
)


# ---- who may see what ---------------------------------------------------------------------------------------


def _signed_in_member(request: HttpRequest):
    user = request.user
    if user.is_authenticated and user.role == Role.MEMBER and user.person_id:
        return user
    return None


def _remember_proof(request: HttpRequest, code: str) -> None:
    codes = [each for each in request.session.get(TRACKING_SESSION_KEY, []) if each != code]
    codes.append(code)
    request.session[TRACKING_SESSION_KEY] = codes[-TRACKING_CODES_REMEMBERED:]


def _session_has_proof(request: HttpRequest, code: str) -> bool:
    return code in request.session.get(TRACKING_SESSION_KEY, [])


def _is_submitter(request: HttpRequest, issue: Issue) -> bool:
    """The person who raised the issue: proof in this session, or the member's own account."""
    if _session_has_proof(request, issue.receipt_code):
        return True
    user = request.user
    return bool(user.is_authenticated and issue.submitter_user_id == user.pk)


def _may_view(request: HttpRequest, issue: Issue) -> bool:
    if _is_submitter(request, issue):
        return True
    # Staff in whose scope the issue lies may open its public page without the digits.
    return request.user.is_authenticated and issues_for(request.user, Action.VIEW).filter(pk=issue.pk).exists()


def _code_from_path(raw: str) -> str:
    code = normalize_receipt_code(raw)
    if len(code) != RECEIPT_CODE_LENGTH:
        raise Http404
    return code


# ---- submitting -----------------------------------------------------------------------------------------------


def _preselected_organization(request: HttpRequest):
    slug = slug_param(request.GET.get("org"))
    if slug is None:
        return None
    # The same read as the form's choices, so that the form takes this organization as it is (no second query).
    return organizations_offered().filter(slug=slug).first()


def _choice_source(request: HttpRequest):
    """Where the chosen place and the typed name come from: the form sent, or else the address."""
    if request.method == "POST" and any(name in request.POST for name in (*PLACE_STEP_NAMES, "org_q")):
        return request.POST
    return request.GET


def _typed_so_far(form_class: type[IssueSubmitForm], data) -> dict[str, object]:
    """What the villager had typed when taking a step of the organization choice, to show again unjudged."""
    initial: dict[str, object] = {name: data.get(name, "") for name in form_class.base_fields if name != "photos"}
    initial["phone_visible_to_department"] = bool(data.get("phone_visible_to_department"))
    return initial


def _member_initial(member) -> dict[str, str]:
    person = member.person
    return {"submitter_name": person.name, "submitter_phone": person.phone or member.phone}


def _issue_created_for_token(token: str) -> Issue | None:
    if not token:
        return None
    issue_id = cache.get(SUBMISSION_KEY.format(token=token))
    if issue_id in (None, SUBMISSION_PENDING):
        return None
    return Issue.objects.filter(pk=issue_id).only("pk", "receipt_code").first()


def _wait_for_first_submission(token: str) -> Issue | None:
    deadline = time.monotonic() + SUBMISSION_WAIT_SECONDS
    while time.monotonic() < deadline:
        issue = _issue_created_for_token(token)
        if issue is not None:
            return issue
        if cache.get(SUBMISSION_KEY.format(token=token)) is None:
            return None  # the first attempt failed and gave the token back
        time.sleep(0.2)
    return None


def _give_token_back(key: str | None) -> None:
    """The submission did not go through: the same form may be sent again (and a waiting second tap stops)."""
    if key:
        cache.delete(key)


def _to_receipt(request: HttpRequest, issue: Issue) -> HttpResponse:
    _remember_proof(request, issue.receipt_code)
    return redirect("issues:receipt", code=issue.receipt_code)


@never_cache
@require_http_methods(["GET", "POST"])
@public_page(
    Shown.ORGANIZATIONS, Shown.REGIONS, query=("org", *PLACE_STEP_NAMES, "org_q"), per_visitor=(SUBMISSION_TOKEN,)
)
def issue_new(request: HttpRequest) -> HttpResponse:
    """The form printed on QR codes: /issues/new/?org=<slug> fixes the organization."""
    preselected = _preselected_organization(request)
    member = _signed_in_member(request)
    initial = _member_initial(member) if member else {}
    source = _choice_source(request)
    places, search = places_requested(source), search_requested(source)
    if request.method != "POST":
        form = IssueSubmitForm(
            initial={**initial, "submission_token": SUBMISSION_TOKEN.value(request)},
            preselected_organization=preselected,
            places=places,
            organization_search=search,
        )
        return _render_new(request, form, preselected, member)
    if request.POST.get("step"):
        # A step of the organization choice without JavaScript (the next list, or a search): the page comes back
        # with what was typed, nothing judged yet. A place chosen after a search lists that place; Enter in the
        # search box presses the first button (the place's), which searches while no place is chosen.
        form = IssueSubmitForm(
            initial={**initial, **_typed_so_far(IssueSubmitForm, request.POST)},
            preselected_organization=preselected,
            places=places,
            organization_search="" if request.POST["step"] == "place" and any(places) else search,
        )
        return _render_new(request, form, preselected, member)

    form = IssueSubmitForm(
        request.POST,
        request.FILES,
        initial=initial,
        preselected_organization=preselected,
        places=places,
        organization_search=search,
    )
    if not form.is_valid():
        # A replay of a POST that already went through is not an error: show its receipt again.
        done = _issue_created_for_token(form.cleaned_data.get("submission_token", "") or "")
        if done is not None:
            return _to_receipt(request, done)
        return _render_new(request, form, preselected, member)
    token = form.cleaned_data["submission_token"]
    key = SUBMISSION_KEY.format(token=token) if token else None
    # The token is claimed first, in the one round trip that also tells a replay: a key already there is a
    # submission that went through (its receipt) or an earlier tap being saved right now (wait for it).
    if key and not cache.add(key, SUBMISSION_PENDING, timeout=SUBMISSION_CLAIM_TTL):
        first = _wait_for_first_submission(token)
        if first is not None:
            return _to_receipt(request, first)
        form.add_error(None, _("您的议题正在提交，请不要重复点击。稍后可凭短信中的回执码查询进度。"))
        return _render_new(request, form, preselected, member)

    data = form.cleaned_data
    ip = client_ip_address(request)
    if member is None:
        try:
            issue_submission_check(phone=data["submitter_phone"], ip=ip)
        except SubmissionRateLimited as refusal:
            _give_token_back(key)
            form.add_error(None, refusal.message)
            return _render_new(request, form, preselected, member)
    # Only now, with every other field valid and the limits passed, are the photos decoded.
    try:
        photos = form.photos_reencoded()
    except ValidationError as error:
        _give_token_back(key)
        form.add_error("photos", error)
        return _render_new(request, form, preselected, member)

    try:
        issue = services.issue_submit(
            organization=data["organization"],
            title=data["title"],
            description=data["description"],
            category=data["category"],
            place=data["place"],
            submitter_name=data["submitter_name"],
            submitter_phone=data["submitter_phone"],
            phone_visible_to_department=data["phone_visible_to_department"],
            photos=photos,
            submitter_user=member,
            submitter_ip=ip,
        )
    except (ValidationError, PermissionDenied) as error:
        _give_token_back(key)
        form.add_error(None, " ".join(getattr(error, "messages", [str(error)])))
        return _render_new(request, form, preselected, member)
    except BaseException:
        _give_token_back(key)
        raise
    if key:
        cache.set(key, issue.pk, timeout=SUBMISSION_TOKEN_TTL)
    return _to_receipt(request, issue)


def _other_organization_url(preselected) -> str:
    """The form without the QR code's organization, its place already chosen: another one of that village."""
    url = reverse("issues:new")
    if preselected is None:
        return url
    return f"{url}?{urlencode(dict(zip(PLACE_STEP_NAMES, preselected.region.ancestor_ids, strict=False)))}"


@public_page(Shown.ORGANIZATIONS, Shown.REGIONS, query=("organization", *PLACE_STEP_NAMES, "org_q"))
def _organization_choice_block(request: HttpRequest) -> HttpResponse:
    initial = {"organization": slug_param(request.GET.get("organization")) or ""}
    form = IssueSubmitForm(
        initial=initial, places=places_requested(request.GET), organization_search=search_requested(request.GET)
    )
    return render(request, "consultations/public/_organization_choice.html", {"form": form})


@require_http_methods(["GET"])
def issue_new_choices(request: HttpRequest) -> HttpResponse:
    """The organization choice alone, for issue_form.js: the next list of places, or the organizations found."""
    response = _organization_choice_block(request)
    # The same for everyone, and the tree of places changes seldom: a phone going back and forth asks once.
    response["Cache-Control"] = "public, max-age=300"
    return response


def _render_new(request: HttpRequest, form: IssueSubmitForm, preselected, member) -> HttpResponse:
    photos_were_sent = bool(request.FILES.getlist("photos")) and (not form.is_bound or bool(form.errors))
    return render(
        request,
        "consultations/public/new.html",
        {
            "form": form,
            "preselected": preselected,
            "member": member,
            "photos_were_sent": photos_were_sent,
            "org_slug_requested": request.GET.get("org", ""),
            "preselected_place": organization_place(preselected) if preselected else "",
            "other_organization_url": _other_organization_url(preselected),
        },
        status=200,
    )


@never_cache
def issue_receipt(request: HttpRequest, code: str) -> HttpResponse:
    code = _code_from_path(code)
    if not _session_has_proof(request, code):
        return redirect("issues:track_detail", code=code)
    issue = issue_by_receipt_code(code)
    if issue is None:
        raise Http404
    return render(
        request,
        "consultations/public/receipt.html",
        {
            "issue": issue,
            "code_display": format_receipt_code(issue.receipt_code),
            "masked_phone": mask_phone(issue.submitter_phone),
            # A promise of an SMS that is not going out would send the villager away without the code.
            "sms_delayed": not delivery_health(oldest_waiting_age_seconds=oldest_pending_age_seconds()).ok,
        },
    )


# ---- tracking -------------------------------------------------------------------------------------------------


def _check_digits(request: HttpRequest, code: str, digits: str) -> str | None:
    """The issue's receipt code if the last four digits match its phone; counts failures per address and per code
    either way."""
    proof = issue_proof_by_receipt_code(code)
    if proof is not None and constant_time_compare(proof[1][-4:], digits):
        return proof[0]
    tracking_failure_record(client_ip_address(request))
    tracking_code_failure_record(code)
    return None


def _proven_code(request: HttpRequest, form: TrackingForm, code: str, *, code_blocked: bool) -> str | None:
    """The issue's receipt code once the digits are right; otherwise None, with the reason added to the form.

    A code that had too many wrong digits opens nothing for an hour, not even with the right ones: otherwise the
    limit would only slow the guessing down, not stop it.
    """
    if code_blocked:
        tracking_failure_record(client_ip_address(request))  # still a guess, as far as the address goes
        form.add_error(None, _(TRACKING_CODE_BLOCKED_ERROR))
        return None
    proven = _check_digits(request, code, form.cleaned_data["phone_last4"])
    if proven is None:
        form.add_error(None, _(NEUTRAL_TRACKING_ERROR))
    return proven


def _tracking_post(request: HttpRequest, form: TrackingForm, code: str | None) -> HttpResponse | None:
    """A POST of the digits (and of the code, on /issues/track/): the redirect to the issue once proven, else
    None with the reason on the form. Both limits are read in one round trip once the code is known."""
    valid = form.is_valid()
    if code is None and valid:
        code = form.cleaned_data["code"]
    network_blocked, code_blocked = tracking_blocks(ip=client_ip_address(request), code=code if valid else None)
    if network_blocked:
        form.add_error(None, _(TRACKING_BLOCKED_ERROR))
        return None
    if not valid or code is None:
        return None
    proven = _proven_code(request, form, code, code_blocked=code_blocked)
    if proven is None:
        return None
    _remember_proof(request, proven)
    return redirect("issues:track_detail", code=proven)


def _network_blocked(request: HttpRequest) -> bool:
    return tracking_is_blocked(client_ip_address(request))


@never_cache
@require_http_methods(["GET", "POST"])
# A blocked network is told so on the empty form already: that page is its own, never kept nor served kept.
@public_page(fresh_when=_network_blocked)
def track(request: HttpRequest) -> HttpResponse:
    form = TrackingForm(request.POST or None)
    if request.method == "POST" and (proven := _tracking_post(request, form, None)) is not None:
        return proven
    member = _signed_in_member(request)
    # The empty form of a blocked network says so before anything is typed in vain.
    blocked_notice = _(TRACKING_BLOCKED_ERROR) if not form.is_bound and _network_blocked(request) else ""
    return render(
        request, "consultations/public/track.html", {"form": form, "member": member, "blocked_notice": blocked_notice}
    )


@never_cache
@require_http_methods(["GET", "POST"])
def track_detail(request: HttpRequest, code: str) -> HttpResponse:
    code = _code_from_path(code)
    issue = issue_by_receipt_code(code)
    if issue is not None and _may_view(request, issue):
        return _render_detail(request, issue)

    # No proof yet: the code alone opens nothing, whether or not it exists.
    form = TrackingForm(request.POST or None, code=code)
    if request.method == "POST" and (proven := _tracking_post(request, form, code)) is not None:
        return proven
    return render(
        request,
        "consultations/public/track_digits.html",
        {"form": form, "code": code, "code_display": format_receipt_code(code)},
    )


def _notice_url(notice: PublicNotice | None) -> str:
    if notice is None:
        return ""
    try:
        return reverse("notices:detail", args=[notice.pk])
    except NoReverseMatch:
        return f"/notices/{notice.pk}/"


def _render_detail(
    request: HttpRequest,
    issue: Issue,
    feedback_form: FeedbackForm | None = None,
    not_done_form: NotDoneForm | None = None,
) -> HttpResponse:
    notice, feedback = issue_latest_notice_with_feedback(issue)
    is_submitter = _is_submitter(request, issue)
    can_rate = is_submitter and notice is not None and feedback is None and IssueState(issue.state) in RESOLVED_STATES
    # The issue it was merged into belongs to another villager: its receipt code opens their page, so the
    # submitter follows it by its state and, once published, its public notice.
    merged_into = issue.merged_into if issue.state == IssueState.MERGED else None
    merged_notice = issue_latest_notice(merged_into) if merged_into else None
    awaits_confirmation = is_submitter and issue.state == IssueState.ANSWERED
    return render(
        request,
        "consultations/public/track_detail.html",
        {
            "issue": issue,
            "code_display": format_receipt_code(issue.receipt_code),
            "timeline": issue_public_timeline(issue),
            "photos": issue_photos(issue),
            "progress": loop_progress(issue.state),
            "notice": notice,
            "notice_url": _notice_url(notice),
            "merged_into": merged_into,
            "merged_notice": merged_notice,
            "merged_notice_url": _notice_url(merged_notice),
            "feedback": feedback if is_submitter else None,
            "feedback_form": (feedback_form or FeedbackForm()) if can_rate else None,
            "is_submitter": is_submitter,
            # The submitter may confirm the department's answer was carried out, as village staff do.
            "can_confirm_done": awaits_confirmation,
            # ... or say it is not done yet, which tells the village staff without moving the issue.
            "not_done_form": (not_done_form or NotDoneForm()) if awaits_confirmation else None,
        },
    )


@never_cache
@require_POST
def issue_rate(request: HttpRequest, code: str) -> HttpResponse:
    code = _code_from_path(code)
    issue = issue_by_receipt_code(code)
    if issue is None or not _is_submitter(request, issue):
        return redirect("issues:track_detail", code=code)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, issue, feedback_form=form)
    try:
        services.feedback_submit(issue=issue, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"])
    except (ValidationError, services.TransitionNotAllowed) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("感谢您的评价！您的意见会转给村里的同心荟。"))
    return redirect("issues:track_detail", code=code)


@never_cache
@require_POST
def issue_confirm_done(request: HttpRequest, code: str) -> HttpResponse:
    code = _code_from_path(code)
    issue = issue_by_receipt_code(code)
    if issue is None or not _is_submitter(request, issue):
        return redirect("issues:track_detail", code=code)
    try:
        services.issue_confirm_done_by_submitter(issue=issue)
    except services.TransitionNotAllowed as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("谢谢您的确认！村里将发布办理结果公示。"))
    return redirect("issues:track_detail", code=code)


@never_cache
@require_POST
def issue_report_not_done(request: HttpRequest, code: str) -> HttpResponse:
    """还没办好: the issue stays where it is and the village staff are told, so they check and follow up."""
    code = _code_from_path(code)
    issue = issue_by_receipt_code(code)
    if issue is None or not _is_submitter(request, issue):
        return redirect("issues:track_detail", code=code)
    form = NotDoneForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, issue, not_done_form=form)
    try:
        services.issue_report_not_done_by_submitter(issue=issue, note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    except services.TransitionNotAllowed as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已告诉村里还没办好。村里会到现场核实，需要时退回部门重办。"))
    return redirect("issues:track_detail", code=code)


# ---- a member's own issues ------------------------------------------------------------------------------------


@never_cache
@login_required
def my_issues(request: HttpRequest) -> HttpResponse:
    page = Paginator(issues_submitted_by(acting_user(request)), MY_ISSUES_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    return render(request, "consultations/public/mine.html", {"page": page})
