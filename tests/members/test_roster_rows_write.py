"""The roster sheet's batch service refuses what the one-row services refuse and leaves the same records.

Personas: 李娟 keeps the roster of 青山村 (village staff), 王敏 the villages of 黄湖镇 (town staff).
"""

from __future__ import annotations

import datetime

import pytest

from members import services
from members.models import Membership, MembershipRole, Person, Stratum
from members.services import RosterRow, roster_rows_write

pytestmark = pytest.mark.django_db

HISTORY_FIELDS = ("history_type", "history_change_reason", "history_user_id", "name", "phone", "region_id", "stratum")
SPAN_HISTORY_FIELDS = (
    "history_type",
    "history_change_reason",
    "history_user_id",
    "organization_id",
    "role",
    "joined_on",
)


def new_row(
    organization,
    *,
    name: str,
    phone: str,
    person: Person | None = None,
    joined_on=datetime.date(2024, 3, 1),
    region=None,
):
    profile = services.person_changes(
        {"name": name, "phone": phone, "region": region or organization.region, "stratum": Stratum.NEW_MEDIA}
    )
    return RosterRow(
        person=person or Person(),
        profile=profile,
        membership=Membership(),
        organization=organization,
        role=MembershipRole.MEMBER,
        joined_on=joined_on,
        left_on=None,
    )


def test_a_refused_row_writes_nothing_of_its_own_and_says_why(
    qingshan_tongxinhui, tianmu_alliance, village_staff_qingshan
):
    written = roster_rows_write(
        rows=[
            new_row(qingshan_tongxinhui, name="林画", phone="13700005555"),
            # 吴远 lives in 青山村 too, but 天目共富联盟 is 望湖村's.
            new_row(tianmu_alliance, name="吴远", phone="13700007777", region=qingshan_tongxinhui.region),
        ],
        actor=village_staff_qingshan,
    )
    assert written[0].error is None
    assert written[1].error is not None
    assert written[1].error.message_dict == {"organization": ["请选择您负责范围内的组织。"]}
    assert list(Person.objects.values_list("name", flat=True)) == ["林画"]


def test_someone_outside_the_actors_area_cannot_be_changed_by_a_sheet(
    designer_in_wanghu, qingshan_tongxinhui, village_staff_qingshan
):
    row = RosterRow(
        person=designer_in_wanghu,
        profile=services.person_changes({"skills": "电梯"}),
        membership=Membership(),
        organization=qingshan_tongxinhui,
        role=MembershipRole.MEMBER,
        joined_on=datetime.date(2024, 3, 1),
        left_on=None,
    )
    [written] = roster_rows_write(rows=[row], actor=village_staff_qingshan)
    assert written.error is not None
    assert written.error.messages == ["您不能修改这位人员的信息。"]
    assert Person.objects.get(pk=designer_in_wanghu.pk).skills == ""


def test_rows_naming_the_same_new_person_in_two_batches_register_them_once(
    qingshan_tongxinhui, town_staff_huanghu, monkeypatch
):
    monkeypatch.setattr(services, "ROSTER_BATCH_SIZE", 2)
    wang = Person()
    first = new_row(
        qingshan_tongxinhui, name="王木", phone="13700006666", person=wang, joined_on=datetime.date(2015, 1, 1)
    )
    first = RosterRow(**{**first.__dict__, "left_on": datetime.date(2018, 1, 1)})
    fillers = [new_row(qingshan_tongxinhui, name=f"村民{n}", phone=f"1970000000{n}") for n in range(3)]
    again = new_row(
        qingshan_tongxinhui, name="王木", phone="13700006666", person=wang, joined_on=datetime.date(2019, 1, 1)
    )

    written = roster_rows_write(rows=[first, *fillers, again], actor=town_staff_huanghu)

    assert [row.error for row in written] == [None] * 5
    assert written[0].person is not None and written[4].person is not None
    assert written[0].person.pk == written[4].person.pk
    assert Person.objects.get(phone="13700006666").memberships.count() == 2


def test_a_sheet_leaves_the_history_the_one_row_services_leave(qingshan_tongxinhui, town_staff_huanghu):
    by_hand = services.person_create(
        actor=town_staff_huanghu,
        profile=services.person_profile(
            {"name": "林画", "phone": "13700005555", "region": qingshan_tongxinhui.region, "stratum": Stratum.NEW_MEDIA}
        ),
    )
    services.membership_add(
        person=by_hand,
        organization=qingshan_tongxinhui,
        role=MembershipRole.MEMBER,
        joined_on=datetime.date(2024, 3, 1),
        actor=town_staff_huanghu,
    )
    [written] = roster_rows_write(
        rows=[new_row(qingshan_tongxinhui, name="林画", phone="13700007777")], actor=town_staff_huanghu
    )
    assert written.person is not None and written.membership is not None
    by_sheet = written.person

    def history(person: Person) -> list[tuple]:
        return [
            tuple(value for name, value in row.items() if name != "phone")
            for row in person.history.values(*HISTORY_FIELDS)
        ]

    def span_history(person: Person) -> list[tuple]:
        return list(Membership.history.filter(person_id=person.pk).values_list(*SPAN_HISTORY_FIELDS))

    assert history(by_sheet) == history(by_hand)
    assert span_history(by_sheet) == span_history(by_hand)
