"""Activities hosted by the focus's organizations, per month: activities held, organizations with none, sign-ups,
attendance rate and participants (人次). Same definitions as 活动统计 (activities.selectors)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Activity, Registration, RegistrationStatus
from activities.states import ActivityStatus
from stats.periods import Period
from stats.tables import Row, Table, rate

COUNTED = (ActivityStatus.PUBLISHED, ActivityStatus.COMPLETED)


def activities_by_month(*, activities: QuerySet[Activity], organizations: int, period: Period) -> Table:
    tz = timezone.get_current_timezone()
    held = activities.filter(status__in=COUNTED, starts_at__gte=period.starts_at, starts_at__lt=period.ends_at)
    per_month = (
        held.order_by()
        .annotate(month=TruncMonth("starts_at", tzinfo=tz))
        .values_list("month")
        .annotate(
            n=Count("pk"),
            hosts=Count("host", distinct=True),
            walk_ins=Coalesce(Sum("walk_in_count", filter=Q(status=ActivityStatus.COMPLETED)), 0),
        )
    )
    registrations = (
        Registration.objects.filter(activity__in=held.values("pk"), status=RegistrationStatus.CONFIRMED)
        .order_by()
        .annotate(month=TruncMonth("activity__starts_at", tzinfo=tz))
        .values_list("month")
        .annotate(
            signed=Count("pk"),
            expected=Count("pk", filter=Q(activity__status=ActivityStatus.COMPLETED)),
            present=Count("pk", filter=Q(activity__status=ActivityStatus.COMPLETED, checked_in_at__isnull=False)),
        )
    )
    activity_figures = {(when.year, when.month): rest for when, *rest in per_month}
    registration_figures = {(when.year, when.month): rest for when, *rest in registrations}
    rows = []
    for year, month in period.months():
        n, hosts, walk_ins = activity_figures.get((year, month), (0, 0, 0))
        signed, expected, present = registration_figures.get((year, month), (0, 0, 0))
        rows.append(
            Row(
                f"{year:04d}-{month:02d}",
                (n, max(organizations - hosts, 0), signed, rate(present, expected), present + walk_ins),
            )
        )
    total_signed = sum(row.values[2] or 0 for row in rows)
    total_present = sum(row.values[4] or 0 for row in rows)
    return Table(
        key="activities",
        title=_("活动"),
        definition=_(
            "本地区组织主办、已发布或已结束、在当月开始的活动场数；“无活动组织”为运行中的组织中当月没有主办活动的个数；"
            "报名为正式报名人数；出勤率 = 已结束活动的签到人数 ÷ 其正式报名人数；参与人次 = 签到人数 + 现场未登记人数。"
            "本期报名 %(signed)s 人，参与 %(present)s 人次。"
        )
        % {"signed": total_signed, "present": total_present},
        headers=(_("月份"), _("活动"), _("无活动组织"), _("报名"), _("出勤率（%）"), _("参与人次")),
        rows=tuple(rows),
    )
