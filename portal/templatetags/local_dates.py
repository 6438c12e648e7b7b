"""Dates that combine a day, its weekday and a time, laid out by the reader's language.

Django's localized formats cover a date or a time alone; a day with its weekday and time needs its order per
language too ("2026年12月11日 周五 14:00", "Fri, Dec. 11, 2026, 14:00"), so the order is a translated pattern.
"""

import datetime

from django import template
from django.utils import formats
from django.utils.translation import pgettext

register = template.Library()


def _parts(value: datetime.date | datetime.datetime, date_format: str) -> dict[str, str]:
    parts = {"date": formats.date_format(value, date_format), "weekday": formats.date_format(value, "D")}
    if isinstance(value, datetime.datetime):
        parts["time"] = formats.time_format(value, "TIME_FORMAT")
    return parts


@register.filter(expects_localtime=True)
def day_weekday_time(value: datetime.datetime | None) -> str:
    """2026年12月11日 周五 14:00 / Fri, Dec. 11, 2026, 14:00"""
    if not value:
        return ""
    return pgettext("日期 星期 时间", "%(date)s %(weekday)s %(time)s") % _parts(value, "DATE_FORMAT")


@register.filter(expects_localtime=True)
def month_day_time(value: datetime.datetime | None) -> str:
    """12月11日 14:00 / Dec. 11, 14:00: a date of this year or the next, in a message or beside the full one."""
    if not value:
        return ""
    return pgettext("月日 时间", "%(date)s %(time)s") % _parts(value, "MONTH_DAY_FORMAT")


@register.filter(expects_localtime=True)
def month_day_weekday(value: datetime.date | None) -> str:
    """12月11日 星期五 / Friday, Dec. 11: a day of the calendar."""
    if not value:
        return ""
    parts = {"date": formats.date_format(value, "MONTH_DAY_FORMAT"), "weekday": formats.date_format(value, "l")}
    return pgettext("月日 星期", "%(date)s %(weekday)s") % parts
