"""A department handler's pages: only what was handed to their department, the phone only when allowed,
签收 / 答复 / 退回 through the services, and overdue work on top."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from consultations.models import Assignment, AssignmentState, Transition
from consultations.states import IssueAction, IssueState
from portal.workdays import add_working_days, working_days_between
from tests.consultations.department.answer_files import (
    docx,
    exe_named_pdf,
    jpeg_with_gps,
    pdf,
    plain_zip_named_docx,
    xlsx,
)

pytestmark = pytest.mark.django_db

QUEUE = reverse("department:queue")


def page_of(assignment: Assignment) -> str:
    return reverse("department:assignment", kwargs={"pk": assignment.pk})


def test_handler_sees_only_the_assignments_of_their_department(
    client, handler_huanghu, assigned_issue, yuhang_transport_bureau, issue_in_state
):
    ours = assigned_issue(title="灌溉渠漏水")
    theirs = assigned_issue(department=yuhang_transport_bureau, title="公交站台破损")
    issue_in_state("agreed", title="尚未交办的议题")
    client.force_login(handler_huanghu)

    content = client.get(QUEUE).content.decode()

    assert "灌溉渠漏水" in content
    assert "公交站台破损" not in content
    assert "尚未交办的议题" not in content
    assert client.get(page_of(ours)).status_code == 200
    assert client.get(page_of(theirs)).status_code == 404


def test_guessing_an_assignment_id_outside_the_department_answers_404(client, handler_transport, assigned_issue):
    ours = assigned_issue()
    client.force_login(handler_transport)
    assert client.get(page_of(ours)).status_code == 404
    assert client.post(reverse("department:acknowledge", args=[ours.pk])).status_code == 404
    assert client.get(reverse("department:assignment", args=[ours.pk + 1000])).status_code == 404
    ours.refresh_from_db()
    assert ours.state == AssignmentState.OPEN


@pytest.mark.parametrize("persona", ["village_staff_qingshan", "district_admin_yuhang", "member_craftsman"])
def test_people_who_are_not_handlers_are_refused(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(QUEUE).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_handler_sees_the_issue_its_consensus_and_the_instructions(
    client, handler_huanghu, assigned_issue, huanghu_water_office
):
    assignment = assigned_issue(department=huanghu_water_office, title="灌溉渠漏水", place="三号田畈")
    client.force_login(handler_huanghu)
    content = client.get(page_of(assignment)).content.decode()
    assert "灌溉渠漏水" in content
    assert "三号田畈" in content
    assert "由村里统一更换路灯，费用从公益金列支。" in content
    assert "请核实后答复。" in content
    assert assignment.issue.receipt_code in content
    assert "王大伯" in content


def test_handler_sees_the_phone_when_the_submitter_allowed_it(client, handler_huanghu, assigned_issue):
    assignment = assigned_issue(phone_visible_to_department=True, submitter_phone="13911112222")
    client.force_login(handler_huanghu)
    content = client.get(page_of(assignment)).content.decode()
    assert "tel:13911112222" in content


def test_handler_sees_only_a_masked_phone_when_the_submitter_did_not_allow_it(client, handler_huanghu, assigned_issue):
    assignment = assigned_issue(phone_visible_to_department=False, submitter_phone="13911112222")
    client.force_login(handler_huanghu)
    content = client.get(page_of(assignment)).content.decode()
    assert "13911112222" not in content
    assert "139****2222" in content


def test_handler_acknowledges_an_assignment(client, handler_huanghu, assigned_issue):
    assignment = assigned_issue()
    client.force_login(handler_huanghu)

    response = client.post(reverse("department:acknowledge", args=[assignment.pk]), follow=True)

    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.ACKNOWLEDGED
    assert assignment.handled_by == handler_huanghu
    assert "已签收" in response.content.decode()
    assert Transition.objects.filter(issue=assignment.issue, action=IssueAction.ACKNOWLEDGE).count() == 1


def test_acknowledging_twice_tells_the_handler_and_writes_one_audit_row(client, handler_huanghu, assigned_issue):
    assignment = assigned_issue()
    client.force_login(handler_huanghu)
    client.post(reverse("department:acknowledge", args=[assignment.pk]))

    response = client.post(reverse("department:acknowledge", args=[assignment.pk]), follow=True)

    assert "可能已被他人处理" in response.content.decode()
    assert Transition.objects.filter(issue=assignment.issue, action=IssueAction.ACKNOWLEDGE).count() == 1


def test_handler_answers_with_a_pdf_and_a_word_document(client, handler_huanghu, assigned_issue):
    assignment = assigned_issue()
    client.force_login(handler_huanghu)

    response = client.post(
        reverse("department:answer", args=[assignment.pk]),
        {"answer": "已安排维修队更换路灯三盏。", "attachments": [pdf(), docx()]},
    )

    assert response.status_code == 302
    assignment.refresh_from_db()
    assignment.issue.refresh_from_db()
    assert assignment.state == AssignmentState.ANSWERED
    # The final answer waits for the village to confirm the lamps are lit before the issue is handled.
    assert assignment.issue.state == IssueState.ANSWERED
    assert assignment.issue.resolution_text == "已安排维修队更换路灯三盏。"
    attachments = {each.original_name: each for each in assignment.attachments.all()}
    assert set(attachments) == {"答复函.pdf", "办理情况说明.docx"}
    assert attachments["答复函.pdf"].content_type == "application/pdf"
    assert attachments["办理情况说明.docx"].content_type.endswith("wordprocessingml.document")
    assert attachments["答复函.pdf"].file.name.endswith(".pdf")
    page = client.get(page_of(assignment)).content.decode()
    assert "答复函.pdf" in page
    assert "已安排维修队更换路灯三盏。" in page


def test_an_excel_sheet_is_accepted_too(client, handler_huanghu, assigned_issue):
    assignment = assigned_issue()
    client.force_login(handler_huanghu)
    client.post(reverse("department:answer", args=[assignment.pk]), {"answer": "见清单。", "attachments": [xlsx()]})
    assert assignment.attachments.get().content_type.endswith("spreadsheetml.sheet")


def test_a_program_named_pdf_is_refused_and_the_typed_answer_is_kept(client, handler_huanghu, assigned_issue):
    assignment = assigned_issue()
    client.force_login(handler_huanghu)

    response = client.post(
        reverse("department:answer", args=[assignment.pk]),
        {"answer": "已安排维修队更换路灯三盏。", "attachments": [pdf("附件一.pdf"), exe_named_pdf()]},
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert "“答复函.pdf”不是可接受的文件类型" in content
    assert "已安排维修队更换路灯三盏。" in content
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.OPEN
    assert not assignment.attachments.exists()


def test_a_zip_that_is_not_a_word_document_is_refused(client, handler_huanghu, assigned_issue):
    assignment = assigned_issue()
    client.force_login(handler_huanghu)
    response = client.post(
        reverse("department:answer", args=[assignment.pk]),
        {"answer": "见附件。", "attachments": [plain_zip_named_docx()]},
    )
    assert response.status_code == 400
    assert "不是可接受的文件类型" in response.content.decode()


def test_a_pdf_named_docx_is_refused(client, handler_huanghu, assigned_issue):
    assignment = assigned_issue()
    client.force_login(handler_huanghu)
    response = client.post(
        reverse("department:answer", args=[assignment.pk]), {"answer": "见附件。", "attachments": [pdf("说明.docx")]}
    )
    assert response.status_code == 400
    assert "内容与文件扩展名不符" in response.content.decode()


def test_more_than_five_attachments_are_refused(client, handler_huanghu, assigned_issue):
    assignment = assigned_issue()
    client.force_login(handler_huanghu)
    response = client.post(
        reverse("department:answer", args=[assignment.pk]),
        {"answer": "见附件。", "attachments": [pdf(f"附件{index}.pdf") for index in range(6)]},
    )
    assert response.status_code == 400
    assert "最多上传 5 个附件" in response.content.decode()


def test_an_attachment_over_ten_megabytes_is_refused(client, handler_huanghu, assigned_issue):
    assignment = assigned_issue()
    client.force_login(handler_huanghu)
    big = SimpleUploadedFile("大文件.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), content_type="application/pdf")
    response = client.post(
        reverse("department:answer", args=[assignment.pk]), {"answer": "见附件。", "attachments": [big]}
    )
    assert response.status_code == 400
    assert "“大文件.pdf”太大" in response.content.decode()


def test_an_empty_answer_is_refused_with_a_message(client, handler_huanghu, assigned_issue):
    assignment = assigned_issue()
    client.force_login(handler_huanghu)
    response = client.post(reverse("department:answer", args=[assignment.pk]), {"answer": "   "})
    assert response.status_code == 400
    assert "请填写答复内容。" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.OPEN


def test_a_photo_attached_to_an_answer_loses_its_gps_data(client, handler_huanghu, assigned_issue):
    assignment = assigned_issue()
    client.force_login(handler_huanghu)
    client.post(
        reverse("department:answer", args=[assignment.pk]), {"answer": "已修复。", "attachments": [jpeg_with_gps()]}
    )
    attachment = assignment.attachments.get()
    assert attachment.original_name == "现场照片.jpg"
    assert attachment.content_type == "image/jpeg"
    with attachment.file.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
        assert not image.getexif()


def test_handler_returns_an_assignment_with_a_reason(client, handler_huanghu, assigned_issue):
    assignment = assigned_issue()
    client.force_login(handler_huanghu)

    refused = client.post(reverse("department:return", args=[assignment.pk]), {"reason": ""})
    assert refused.status_code == 400
    assert "请填写退回理由。" in refused.content.decode()

    response = client.post(reverse("department:return", args=[assignment.pk]), {"reason": "属于交通部门职责。"})

    assert response.status_code == 302
    assignment.refresh_from_db()
    assignment.issue.refresh_from_db()
    assert assignment.state == AssignmentState.RETURNED
    assert assignment.return_reason == "属于交通部门职责。"
    assert assignment.issue.state == IssueState.AGREED
    returned_tab = client.get(QUEUE, {"tab": "returned"}).content.decode()
    assert assignment.issue.title in returned_tab


def test_answering_an_assignment_a_colleague_already_answered_says_so(client, handler_huanghu, assigned_issue):
    assignment = assigned_issue()
    client.force_login(handler_huanghu)
    client.post(reverse("department:answer", args=[assignment.pk]), {"answer": "第一次答复。"})

    response = client.post(reverse("department:answer", args=[assignment.pk]), {"answer": "第二次答复。"}, follow=True)

    assert "可能已被同事处理" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.answer_text == "第一次答复。"
    assert Transition.objects.filter(issue=assignment.issue, action=IssueAction.ANSWER).count() == 1


@pytest.mark.any_hour
def test_overdue_assignments_stand_out_on_top_with_working_days_late(client, handler_huanghu, assigned_issue):
    assigned_issue(title="按期办理的议题")
    late = assigned_issue(title="超期未办的议题")
    today = timezone.localdate()
    past = today - datetime.timedelta(days=20)
    Assignment.objects.filter(pk=late.pk).update(deadline=past)
    client.force_login(handler_huanghu)

    response = client.get(QUEUE)

    content = response.content.decode()
    late_days = working_days_between(past, today)
    assert f"超期 {late_days} 个工作日" in content
    assert content.index("超期未办的议题") < content.index("按期办理的议题")
    assert "有 1 件交办已超过办理期限" in content
    rows = list(response.context["page"].object_list)
    assert rows[0].pk == late.pk and rows[0].deadline_status.overdue
    assert not rows[1].deadline_status.overdue


@pytest.mark.any_hour
def test_assignments_due_within_three_working_days_are_marked(client, handler_huanghu, assigned_issue):
    soon = assigned_issue(title="快到期的议题")
    Assignment.objects.filter(pk=soon.pk).update(deadline=add_working_days(timezone.localdate(), 2))
    client.force_login(handler_huanghu)
    content = client.get(QUEUE).content.decode()
    assert "即将到期" in content
    assert "超期" not in content


def test_queue_tabs_count_each_state(client, handler_huanghu, assigned_issue):
    assigned_issue()
    acknowledged = assigned_issue()
    client.force_login(handler_huanghu)
    client.post(reverse("department:acknowledge", args=[acknowledged.pk]))
    tabs = {tab.key: count for tab, count in client.get(QUEUE).context["tabs"]}
    assert tabs == {"open": 1, "acknowledged": 1, "answered": 0, "returned": 0}
    acknowledged_tab = client.get(QUEUE, {"tab": "acknowledged"}).context["page"].object_list
    assert [each.pk for each in acknowledged_tab] == [acknowledged.pk]


def _queue_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(QUEUE).status_code == 200
    return len(queries)


def test_queue_runs_the_same_number_of_queries_for_5_and_100_assignments(
    client, handler_huanghu, many_assignments, django_assert_max_num_queries
):
    client.force_login(handler_huanghu)
    many_assignments(5)
    with_five = _queue_queries(client)
    many_assignments(95)
    with django_assert_max_num_queries(with_five):
        assert client.get(QUEUE).status_code == 200
    assert _queue_queries(client) == with_five <= 10


def test_assignment_page_runs_a_bounded_number_of_queries(
    client, handler_huanghu, assigned_issue, django_assert_max_num_queries
):
    assignment = assigned_issue()
    client.force_login(handler_huanghu)
    with django_assert_max_num_queries(12):
        assert client.get(page_of(assignment)).status_code == 200
