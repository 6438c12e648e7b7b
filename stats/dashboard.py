"""统计看板: every figure of a focus for a period, in sections, each table from its one selector. The number of
queries depends on neither the size of the data nor the level of the focus."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from activities.models import Activity
from consultations.scoping import assignments_for, issues_for, meetings_for
from members.models import counted_on
from members.scoping import contact_assignments_for, contact_logs_for, memberships_for, persons_for, public_offices_for
from orgs.models import OrganizationKind
from orgs.scoping import regions_for
from portal.scoping import Action, AnyUser
from stats.figures import activities, consultation, organizations, people
from stats.figures.breakdown import breakdown
from stats.periods import Period
from stats.scoping import Focus
from stats.tables import Table


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    tables: tuple[Table, ...]


@dataclass(frozen=True)
class Headline:
    label: str
    value: int
    definition: str


@dataclass(frozen=True)
class Dashboard:
    focus: Focus
    period: Period
    headlines: tuple[Headline, ...]
    breakdown: Table | None
    sections: tuple[Section, ...]

    def table(self, key: str) -> Table | None:
        every = [*(table for section in self.sections for table in section.tables)]
        if self.breakdown is not None:
            every.append(self.breakdown)
        return next((table for table in every if table.key == key), None)


def headline_figures(*, user: AnyUser, focus: Focus, today: datetime.date) -> tuple[Headline, ...]:
    """The three numbers at the top of the dashboard (and of the admin's index): three queries."""
    running = focus.organizations(user).filter(is_active=True).count()
    memberships = memberships_for(user, Action.LIST).filter(focus.q("organization"))
    members_today = memberships.filter(counted_on(today)).values("person").distinct().count()
    return (
        Headline(_("运行中的组织"), running, _("本地区目前运行中的组织，各种类型合计。")),
        Headline(_("在册会员"), members_today, _("今天会籍有效的人数，一人在几个组织只算一次。")),
        Headline(
            _("已解决议题"),
            consultation.resolved_count(focus),
            _("结果公示中或已归档的议题，与首页、公示栏和组织页面同一口径；重新受理的不计。"),
        ),
    )


def dashboard(*, user: AnyUser, focus: Focus, period: Period, today: datetime.date) -> Dashboard:
    regions = regions_for(user, Action.VIEW).filter(path__startswith=focus.path)
    orgs = focus.organizations(user)
    memberships = memberships_for(user, Action.LIST).filter(focus.q("organization"))
    issues = issues_for(user, Action.LIST).filter(focus.q("organization"))
    assignments = assignments_for(user, Action.LIST).filter(focus.q("issue__organization"))
    hosted = Activity.objects.filter(host__in=orgs.values("pk"))
    persons = people.persons_of(persons_for(user, Action.VIEW), focus)
    running = orgs.filter(is_active=True).count()
    running_tongxinhui = orgs.filter(is_active=True, kind=OrganizationKind.TONGXINHUI).count()

    organization_tables = [
        organizations.organizations_by_kind(organizations=orgs, period=period),
        organizations.organizations_by_category(organizations=orgs, period=period),
        organizations.organizations_by_level(organizations=orgs, period=period),
        organizations.recognitions_by_year(organizations=orgs),
    ]
    towns = (
        organizations.towns_with_tongxinhui(regions=regions, organizations=orgs) if focus.organization is None else None
    )
    if towns is not None:
        organization_tables.append(towns)
    sections = (
        Section("organizations", _("组织"), tuple(organization_tables)),
        Section(
            "people",
            _("人员"),
            (
                people.members_by_stratum(memberships=memberships, period=period),
                people.member_growth(memberships=memberships, focus=focus, today=today),
                people.representatives(persons=persons, offices=public_offices_for(user, Action.LIST), period=period),
                people.contact_coverage(
                    persons=persons,
                    assignments=contact_assignments_for(user, Action.LIST),
                    logs=contact_logs_for(user, Action.LIST),
                    today=today,
                ),
            ),
        ),
        Section(
            "consultation",
            _("议题协商"),
            (
                consultation.issues_by_month(issues=issues, period=period),
                consultation.issues_by(issues=issues, period=period, field="category"),
                consultation.issues_by(issues=issues, period=period, field="channel"),
                consultation.issues_by(issues=issues, period=period, field="state"),
                consultation.rates(issues=issues, assignments=assignments, period=period, today=today),
                consultation.stage_days(issues=issues, period=period, today=today),
                consultation.departments(assignments=assignments, period=period, today=today),
                consultation.meetings_by_month(
                    meetings=meetings_for(user, Action.LIST).filter(focus.q("organization")),
                    organizations=running_tongxinhui,
                    period=period,
                ),
            ),
        ),
        Section(
            "activities",
            _("活动"),
            (activities.activities_by_month(activities=hosted, organizations=running, period=period),),
        ),
    )
    headlines = headline_figures(user=user, focus=focus, today=today)
    return Dashboard(
        focus=focus,
        period=period,
        headlines=headlines,
        breakdown=breakdown(
            focus=focus,
            regions=regions,
            organizations=orgs,
            memberships=memberships,
            issues=issues,
            activities=hosted,
            period=period,
            today=today,
            query=period.query(),
        ),
        sections=sections,
    )
