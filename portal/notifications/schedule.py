"""The default beat schedule, installed as django_celery_beat rows that superusers edit in the admin.

`python manage.py schedule_install` (run after migrate) creates the entries that are missing and leaves the
ones that exist as they are: a time changed or an entry disabled in the admin survives restarts and
re-installs. To stop an entry for good, untick "enabled" rather than delete it (a deleted entry comes back).
Crontab times are Beijing time (Asia/Shanghai).

Tasks are named, never imported: this module is part of the base, which imports no domain app, and the names
are what the rows store. The reminder tasks kept the names they had in portal.notifications.sweeps when they
moved to consultations/tasks.py and activities/tasks.py, so installed rows keep working.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SCHEDULE_TIME_ZONE = "Asia/Shanghai"


@dataclass(frozen=True)
class Crontab:
    minute: str
    hour: str
    day_of_week: str = "*"
    day_of_month: str = "*"
    month_of_year: str = "*"


@dataclass(frozen=True)
class Every:
    seconds: int


@dataclass(frozen=True)
class ScheduledTask:
    name: str
    task: str
    when: Crontab | Every
    description: StrOrPromise


DEFAULT_SCHEDULE: tuple[ScheduledTask, ...] = (
    ScheduledTask(
        "assignment-deadline-reminders",
        "portal.notifications.sweeps.remind_assignment_deadlines",
        Crontab(minute="30", hour="8"),
        _("交办到期前 3 个工作日提醒经办人；超期每个工作日提醒；超期 3 个工作日告知镇街、7 个工作日告知区统战部。"),
    ),
    ScheduledTask(
        "triage-reminders",
        "portal.notifications.sweeps.remind_triage_waiting",
        Crontab(minute="0", hour="9"),
        _("提交超过 2 个工作日仍未受理的议题，提醒村里的工作人员。"),
    ),
    ScheduledTask(
        "agenda-reminders",
        "portal.notifications.sweeps.remind_agenda_waiting",
        Crontab(minute="0", hour="9"),
        _("每月 20 日起：已受理但未列入议事会的议题，每月提醒一次。"),
    ),
    ScheduledTask(
        "no-activity-reminders",
        "portal.notifications.sweeps.remind_no_activity_this_month",
        Crontab(minute="0", hour="9"),
        _("每月 20 日起：本月尚未发布活动的组织，每月提醒一次。"),
    ),
    ScheduledTask(
        "meeting-day-before-reminders",
        "portal.notifications.sweeps.remind_meetings_tomorrow",
        Crontab(minute="0", hour="16"),
        _("议事会前一天提醒工作人员和议题反映人。"),
    ),
    ScheduledTask(
        "activity-day-before-reminders",
        "portal.notifications.sweeps.remind_activities_tomorrow",
        Crontab(minute="0", hour="16"),
        _("活动前一天提醒已报名的人。"),
    ),
    ScheduledTask(
        "close-expired-notices",
        "portal.notifications.sweeps.close_expired_notices",
        Every(seconds=600),
        _("公示期满的议题自动归档，并请反映人评价办理结果。"),
    ),
    ScheduledTask(
        "outbox-sweep",
        "portal.notifications.tasks.outbox_sweep",
        Every(seconds=60),
        _("发送待发消息，收回中断的发送。"),
    ),
    ScheduledTask(
        "worker-heartbeat",
        "portal.tasks.record_worker_heartbeat",
        Every(seconds=60),
        _("记录后台任务进程仍在运行（/healthz 显示）。"),
    ),
    ScheduledTask(
        "stats-nightly-snapshot",
        "stats.tasks.snapshot_yesterday",
        Crontab(minute="20", hour="1"),
        _("统计看板：重算昨天的每日统计（会员、议题、活动、议事会）。"),
    ),
    ScheduledTask(
        "stats-boards-warm",
        "stats.tasks.boards_warm",
        Crontab(minute="40", hour="1"),
        _("统计看板：凌晨预先计算各区和全部地区的本月看板，早上打开不必等待。"),
    ),
    ScheduledTask(
        "purge-old-login-codes",
        "portal.accounts.tasks.purge_old_login_codes",
        Crontab(minute="0", hour="3"),
        _("清理一周前的登录验证码记录。"),
    ),
)


def _schedule_row(when: Crontab | Every) -> dict[str, object]:
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule

    if isinstance(when, Every):
        interval = IntervalSchedule.objects.filter(every=when.seconds, period=IntervalSchedule.SECONDS).first()
        if interval is None:
            interval = IntervalSchedule.objects.create(every=when.seconds, period=IntervalSchedule.SECONDS)
        return {"interval": interval}
    fields = {
        "minute": when.minute,
        "hour": when.hour,
        "day_of_week": when.day_of_week,
        "day_of_month": when.day_of_month,
        "month_of_year": when.month_of_year,
    }
    # Admins may have made an identical row by hand; reuse the first rather than fail on duplicates.
    crontab = CrontabSchedule.objects.filter(**fields, timezone=SCHEDULE_TIME_ZONE).order_by("pk").first()
    if crontab is None:
        crontab = CrontabSchedule.objects.create(**fields, timezone=SCHEDULE_TIME_ZONE)
    return {"crontab": crontab}


def schedule_install(*, schedule: tuple[ScheduledTask, ...] = DEFAULT_SCHEDULE) -> list[ScheduledTask]:
    """Creates the PeriodicTask rows of `schedule` that do not exist yet, by name; never touches existing ones.
    Returns the entries it created."""
    from django_celery_beat.models import PeriodicTask

    created: list[ScheduledTask] = []
    for entry in schedule:
        with transaction.atomic():
            if PeriodicTask.objects.filter(name=entry.name).exists():
                continue
            # get_or_create: two installers starting at once create the row once.
            _task, was_created = PeriodicTask.objects.get_or_create(
                name=entry.name,
                defaults={"task": entry.task, "description": str(entry.description), **_schedule_row(entry.when)},
            )
        if was_created:
            created.append(entry)
    return created
