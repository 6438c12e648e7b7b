"""Deadlines in Chinese working days: holidays, make-up workdays (调休), hand-entered notices, unknown years."""

from __future__ import annotations

import datetime

import chinese_calendar
import pytest

from portal.models import WorkdayOverride
from portal.workdays import (
    WorkdayCalendar,
    add_working_days,
    is_workday,
    latest_start_with_working_days,
    working_days_between,
)

pytestmark = pytest.mark.django_db

day = datetime.date


def _makeup_saturdays(year: int) -> list[datetime.date]:
    weekdays = chinese_calendar.get_workdays(day(year, 1, 1), day(year, 12, 31), include_weekends=True)
    return [each for each in weekdays if each.weekday() == 5]


def test_one_working_day_after_the_eve_of_national_day_2026_skips_the_golden_week():
    # 2026: 国庆 10月1日至7日放假调休; the first day back is Thursday 8 October (per chinese-calendar).
    assert chinese_calendar.is_workday(day(2026, 9, 30))
    assert not any(chinese_calendar.is_workday(day(2026, 10, n)) for n in range(1, 8))
    assert chinese_calendar.is_workday(day(2026, 10, 8))
    assert chinese_calendar.is_workday(day(2026, 10, 9))
    assert add_working_days(day(2026, 9, 30), 1) == day(2026, 10, 8)
    assert add_working_days(day(2026, 9, 30), 2) == day(2026, 10, 9)


def test_a_makeup_saturday_counts_as_a_working_day():
    saturdays = _makeup_saturdays(2026)
    assert day(2026, 10, 10) in saturdays, "the Saturday after 国庆 2026 is a 调休 workday"
    for saturday in saturdays:
        friday = saturday - datetime.timedelta(days=1)
        if is_workday(friday):
            assert add_working_days(friday, 1) == saturday
        assert is_workday(saturday)
    assert add_working_days(day(2026, 10, 9), 1) == day(2026, 10, 10)


def test_fifteen_working_days_across_the_golden_week():
    # From 28 September: 29, 30 Sept, then 8, 9, 10 (Saturday 调休), 12–16 and 19–23 October.
    assert add_working_days(day(2026, 9, 28), 15) == day(2026, 10, 23)
    assert working_days_between(day(2026, 9, 28), day(2026, 10, 23)) == 15


def test_a_hand_entered_holiday_wins_over_the_package():
    assert chinese_calendar.is_workday(day(2026, 10, 8))
    WorkdayOverride.objects.create(date=day(2026, 10, 8), is_workday=False, note="临时调整")
    assert not is_workday(day(2026, 10, 8))
    assert add_working_days(day(2026, 9, 30), 1) == day(2026, 10, 9)


def test_a_hand_entered_makeup_workday_wins_over_the_package():
    sunday = day(2026, 10, 18)
    assert not chinese_calendar.is_workday(sunday)
    WorkdayOverride.objects.create(date=sunday, is_workday=True, note="调休上班")
    assert is_workday(sunday)
    assert add_working_days(day(2026, 10, 16), 1) == sunday


def test_a_year_the_package_does_not_know_counts_monday_to_friday_without_fixed_holidays():
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(day(2027, 3, 1))
    # 1 January 2027 is a Friday and a fixed holiday; the weekend follows.
    assert not is_workday(day(2027, 1, 1))
    assert add_working_days(day(2026, 12, 31), 1) == day(2027, 1, 4)
    # 1 May 2027 is a Saturday anyway; Friday 30 April to Monday 3 May is one working day.
    assert add_working_days(day(2027, 4, 30), 1) == day(2027, 5, 3)
    # 1–3 October 2027 fall Friday to Sunday.
    assert add_working_days(day(2027, 9, 30), 1) == day(2027, 10, 4)
    assert add_working_days(day(2027, 3, 1), 5) == day(2027, 3, 8)


def test_the_new_years_notice_entered_by_hand_is_counted_in_an_unknown_year():
    # The 2027 notice came out before the package did: 4 January off, Saturday 9 January worked.
    WorkdayOverride.objects.create(date=day(2027, 1, 4), is_workday=False, note="元旦调休")
    WorkdayOverride.objects.create(date=day(2027, 1, 9), is_workday=True, note="元旦调休上班")
    assert add_working_days(day(2026, 12, 31), 1) == day(2027, 1, 5)
    assert add_working_days(day(2027, 1, 8), 1) == day(2027, 1, 9)
    assert working_days_between(day(2026, 12, 31), day(2027, 1, 11)) == 6


def test_working_days_between_counts_after_the_start_up_to_the_end_and_is_symmetric():
    start, end = day(2026, 9, 25), day(2026, 10, 16)
    forward = working_days_between(start, end)
    assert forward == working_days_between(start, add_working_days(start, forward))
    assert working_days_between(end, start) == -forward
    assert working_days_between(start, start) == 0


@pytest.mark.parametrize("count", [1, 5, 15, 30, 90])
def test_adding_and_counting_working_days_agree(count):
    for start in (day(2026, 1, 30), day(2026, 9, 30), day(2026, 12, 20)):
        deadline = add_working_days(start, count)
        assert working_days_between(start, deadline) == count
        assert is_workday(deadline)
        assert working_days_between(deadline, start) == -count


def test_a_deadline_needs_at_least_one_working_day():
    with pytest.raises(ValueError):
        add_working_days(day(2026, 5, 6), 0)


def test_adding_working_days_reads_the_overrides_once(django_assert_num_queries):
    with django_assert_num_queries(1):
        add_working_days(day(2026, 1, 5), 90)


@pytest.mark.parametrize("count", [1, 3, 15])
@pytest.mark.parametrize("end", [day(2026, 10, 9), day(2026, 10, 12), day(2027, 1, 6)])
def test_the_latest_start_that_has_waited_enough_working_days(end, count):
    start = latest_start_with_working_days(end, count)
    assert working_days_between(start, end) >= count
    assert working_days_between(start + datetime.timedelta(days=1), end) < count


def test_the_calendar_of_a_span_counts_every_pair_of_its_days_as_a_walk_over_them_would(django_assert_num_queries):
    # 2026's 春节 (15–23 February, with make-up Saturdays around it) and a hand-entered holiday on 2 March.
    WorkdayOverride.objects.create(date=day(2026, 3, 2), is_workday=False, note="台风停工")
    first, last = day(2026, 2, 1), day(2026, 3, 15)
    span = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
    with django_assert_num_queries(1):
        calendar = WorkdayCalendar(span)

    working = {each for each in span if is_workday(each)}

    def walked(start: datetime.date, end: datetime.date) -> int:
        return sum(1 for each in span if start < each <= end and each in working)

    for start in span:
        for end in span:
            assert calendar.between(start, end) == (walked(start, end) if end >= start else -walked(end, start))
    assert calendar.between(day(2026, 3, 1), day(2026, 3, 2)) == 0
    # A question beyond the span the calendar read is still counted, day by day.
    assert calendar.between(day(2026, 3, 10), day(2026, 3, 20)) == working_days_between(
        day(2026, 3, 10), day(2026, 3, 20)
    )
