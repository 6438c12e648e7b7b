"""The roster's filters and search box.

Membership filters (organization, role, joined between, current or former) describe one and the same
membership row: "副会长 of 青山同心荟 who joined in 2020" must not match a person who is 副会长 elsewhere and
joined 青山同心荟 in 2020 as a plain member.
"""

from __future__ import annotations

import re
from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from members.forms import DateInput
from members.models import Membership, MembershipRole, Person, Stratum
from orgs.models import Organization
from orgs.search import organization_select
from portal.phones import sees_every_phone_whole
from portal.scoping import AnyUser

CURRENT = "current"
FORMER = "former"
EVERYONE = "all"
STATUS_CHOICES = [(CURRENT, _("在册会员")), (FORMER, _("已退出")), (EVERYONE, _("全部人员"))]

YES, NO = "yes", "no"

# Whole 11-digit numbers hit the phone index; shorter runs of digits ("0000", "138 0000") match anywhere.
DIGITS_ONLY = re.compile(r"^[\d\s\-]+$")
PHONE_SEARCH_HINT = _("姓名或手机号（可输入部分号码）")
NAME_SEARCH_HINT = _("姓名")


class DateRangeInput(django_filters.widgets.DateRangeWidget):
    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs=attrs)
        self.widgets = [DateInput(), DateInput()]


def _keep(queryset: QuerySet, name: str, value: object) -> QuerySet:
    """Membership filters are applied together in RosterFilter.filter_queryset."""
    return queryset


class RosterFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("搜索"),
        method="search",
        widget=forms.TextInput(attrs={"placeholder": PHONE_SEARCH_HINT, "type": "search", "autocomplete": "off"}),
    )
    status = django_filters.ChoiceFilter(label=_("会籍状态"), choices=STATUS_CHOICES, method=_keep, empty_label=None)
    organization = django_filters.ModelChoiceFilter(
        label=_("组织"),
        queryset=Organization.objects.none(),
        method=_keep,
        empty_label=_("全部组织"),
        widget=organization_select("mine"),
    )
    role = django_filters.ChoiceFilter(
        label=_("职务"), choices=MembershipRole.choices, method=_keep, empty_label=_("全部职务")
    )
    joined = django_filters.DateFromToRangeFilter(label=_("入会日期（起止）"), method=_keep, widget=DateRangeInput())
    stratum = django_filters.ChoiceFilter(label=_("社会阶层"), choices=Stratum.choices, empty_label=_("全部阶层"))
    occupation = django_filters.ChoiceFilter(label=_("职业"), choices=[], empty_label=_("全部职业"))
    representative = django_filters.ChoiceFilter(
        label=_("代表人士"),
        choices=[(YES, _("是")), (NO, _("否"))],
        method="filter_representative",
        empty_label=_("不限"),
    )

    class Meta:
        model = Person
        fields: list[str] = []

    def __init__(
        self,
        data: QueryDict | None = None,
        *args: Any,
        organizations: QuerySet[Organization],
        occupations: list[str],
        user: AnyUser,
        **kwargs: Any,
    ) -> None:
        # An empty roster page lists current members; "全部人员" and "已退出" are explicit choices.
        bound: QueryDict | dict[str, str]
        if data is not None:
            bound = data.copy()
            if not bound.get("status"):
                bound["status"] = CURRENT
        else:
            bound = {"status": CURRENT}
        super().__init__(bound, *args, **kwargs)
        self.filters["organization"].queryset = organizations
        self.filters["occupation"].extra["choices"] = [(name, name) for name in occupations]
        self.scope_organizations = organizations
        # Those who see phones masked search by name only: any answer to a number, even a whole one tried
        # 10,000 times over the four hidden digits, would give the masked digits away.
        self.phone_search_allowed = sees_every_phone_whole(user)
        self.phone_search_refused = False
        self.search_hint = PHONE_SEARCH_HINT if self.phone_search_allowed else NAME_SEARCH_HINT

    def search(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        value = value.strip()
        if not value:
            return queryset
        if DIGITS_ONLY.match(value):
            if not self.phone_search_allowed:
                self.phone_search_refused = True
                return queryset.none()
            digits = re.sub(r"\D", "", value)
            if len(digits) == 11:
                return queryset.filter(phone=digits)
            return queryset.filter(phone__contains=digits)
        return queryset.filter(name__icontains=value)

    def filter_representative(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        return queryset.filter(is_representative=(value == YES))

    def filter_queryset(self, queryset: QuerySet[Person]) -> QuerySet[Person]:
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        organization = data.get("organization")
        span = Q(person=OuterRef("pk"))
        if organization is not None:
            span &= Q(organization=organization)
        else:
            span &= Q(organization__in=self.scope_organizations)
        if data.get("role"):
            span &= Q(role=data["role"])
        joined = data.get("joined")
        if joined and joined.start:
            span &= Q(joined_on__gte=joined.start)
        if joined and joined.stop:
            span &= Q(joined_on__lte=joined.stop)

        status = data.get("status") or CURRENT
        if status == CURRENT:
            return queryset.filter(Exists(Membership.objects.current().filter(span)))
        if status == FORMER:
            # Left that organization (or every one in scope) and not back in it.
            still_in = Q(person=OuterRef("pk")) & (
                Q(organization=organization)
                if organization is not None
                else Q(organization__in=self.scope_organizations)
            )
            return queryset.filter(
                Exists(Membership.objects.ended().filter(span)),
                ~Exists(Membership.objects.current().filter(still_in)),
            )
        membership_filters_used = (
            organization is not None or data.get("role") or (joined and (joined.start or joined.stop))
        )
        if membership_filters_used:
            return queryset.filter(Exists(Membership.objects.filter(span)))
        return queryset
