"""A service that refuses what a form let through: its Chinese message goes next to the field, the typing stays."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from portal.forms.service_errors import ServiceErrorsMixin


class LeaveForm(ServiceErrorsMixin, forms.Form):
    left_on = forms.DateField(label="退出日期")
    reason = forms.CharField(label="退出原因")


def test_a_refusal_naming_a_field_is_shown_next_to_it_and_what_was_typed_stays():
    form = LeaveForm({"left_on": "2024-03-01", "reason": "工作调动"})
    assert form.is_valid()
    form.add_service_error(ValidationError({"left_on": "退出日期不能早于入会日期（2024-05-01）。"}))
    assert form.errors == {"left_on": ["退出日期不能早于入会日期（2024-05-01）。"]}
    html = form.as_div()
    assert 'value="2024-03-01"' in html
    assert 'value="工作调动"' in html


def test_a_refusal_naming_a_field_the_form_does_not_have_is_shown_above_the_form():
    form = LeaveForm({"left_on": "2024-03-01", "reason": "工作调动"})
    assert form.is_valid()
    form.add_service_error(ValidationError({"organization": "请选择您负责范围内的组织。"}))
    assert form.non_field_errors() == ["请选择您负责范围内的组织。"]


def test_a_refusal_without_a_field_is_shown_above_the_form_with_its_values_filled_in():
    form = LeaveForm({"left_on": "2024-03-01", "reason": "工作调动"})
    assert form.is_valid()
    form.add_service_error(ValidationError("这条会籍已于 %(day)s 结束。", params={"day": "2024-02-01"}))
    assert form.non_field_errors() == ["这条会籍已于 2024-02-01 结束。"]


def test_several_refusals_of_one_service_each_land_next_to_their_field():
    form = LeaveForm({"left_on": "2024-03-01", "reason": "工作调动"})
    assert form.is_valid()
    form.add_service_error(ValidationError({"left_on": ["退出日期不能晚于今天。"], "reason": ["请填写退出原因。"]}))
    assert form.errors["left_on"] == ["退出日期不能晚于今天。"]
    assert form.errors["reason"] == ["请填写退出原因。"]


def test_ending_a_membership_before_it_began_says_why_on_the_page_and_keeps_the_reason(
    client, village_staff_qingshan, craftsman_in_qingshan
):
    membership = craftsman_in_qingshan.memberships.get()
    client.force_login(village_staff_qingshan)
    response = client.post(
        reverse("members:membership_end", kwargs={"pk": membership.pk}),
        {"left_on": "2018-01-01", "reason": "本人申请退出"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "退出日期不能早于入会日期（2019-02-28）。" in page
    assert 'value="本人申请退出"' in page
    membership.refresh_from_db()
    assert membership.left_on is None


@pytest.mark.any_hour
def test_a_roster_date_picker_still_stops_at_today_in_beijing(client, village_staff_qingshan, craftsman_in_qingshan):
    membership = craftsman_in_qingshan.memberships.get()
    client.force_login(village_staff_qingshan)
    page = client.get(reverse("members:membership_end", kwargs={"pk": membership.pk})).content.decode()
    assert f'max="{timezone.localdate().isoformat()}"' in page
