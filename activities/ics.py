"""An activity as an iCalendar file (RFC 5545), so a phone can add it to its calendar.

Written by hand: one VEVENT needs a few lines, not a dependency. The rules that matter to phones:
CRLF line endings, lines folded at 75 octets (never inside a UTF-8 character), text values escaped,
times in UTC with a trailing Z.
"""

from __future__ import annotations

import datetime

from activities.models import Activity, ActivityStatus

LINE_OCTETS = 75
PRODUCT_ID = "-//tongxinhui portal//activities//ZH"


def escape_text(value: str) -> str:
    """TEXT value escaping: backslash first, then ; and , and newlines as \\n."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold_line(line: str) -> str:
    """Splits a content line into 75-octet pieces joined by CRLF + space, cutting between characters."""
    pieces: list[str] = []
    current, size = "", 0
    # The continuation lines start with a space, which counts towards their 75 octets.
    limit = LINE_OCTETS
    for character in line:
        width = len(character.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size, limit = "", 0, LINE_OCTETS - 1
        current += character
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def utc_stamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def activity_ics(
    activity: Activity, *, detail_url: str, uid_domain: str, now: datetime.datetime, organizer_names: list[str]
) -> str:
    """The calendar file of one activity; `detail_url` is the absolute URL of its public page."""
    description = "\n".join(
        part for part in (activity.description.strip(), "、".join(organizer_names), detail_url) if part
    )
    status = "CANCELLED" if activity.status == ActivityStatus.CANCELLED else "CONFIRMED"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT_ID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:activity-{activity.pk}@{uid_domain}",
        f"DTSTAMP:{utc_stamp(now)}",
        f"DTSTART:{utc_stamp(activity.starts_at)}",
        f"DTEND:{utc_stamp(activity.ends_at)}",
        f"SUMMARY:{escape_text(activity.title)}",
        f"LOCATION:{escape_text(activity.place)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"URL:{detail_url}",
        f"STATUS:{status}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold_line(line) + "\r\n" for line in lines)
