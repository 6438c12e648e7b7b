"""The work queue's tabs, filters and search box."""

from __future__ import annotations

import re
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from consultations.models import Issue, IssueCategory, IssueChannel
from consultations.receipts import RECEIPT_CODE_LENGTH, normalize_receipt_code
from consultations.states import STAFF_QUEUE_STATES, IssueState
from members.filters import DateRangeInput
from orgs.scoping import organizations_for
from orgs.search import organization_select
from portal.scoping import Action, AnyUser

S = IssueState

# "1234 5678", "1234-5678", full-width digits: what people type when they read a receipt code.
RECEIPT_CODE_TYPED = re.compile(r"^[0-9０-９\s\-]+$")

# Tabs besides one per state: everything still moving, and everything that has ended.
OPEN = "open"
ENDED = "ended"

# Tab labels say what waits on whom, which is not always the state's own label (已提交 waits for 受理).
TAB_LABELS = {
    OPEN: _("全部在办"),
    S.SUBMITTED: _("待受理"),
    S.ACCEPTED: _("待协商"),
    S.DELIBERATING: _("协商中"),
    S.AGREED: _("已达成共识"),
    S.ASSIGNED: _("部门处理中"),
    S.ANSWERED: _("待确认办结"),
    S.HANDLED: _("已办结"),
    S.PUBLICIZED: _("公示中"),
    ENDED: _("已结束"),
}
TAB_CHOICES = (
    [(OPEN, TAB_LABELS[OPEN])]
    + [(str(state), TAB_LABELS[state]) for state in STAFF_QUEUE_STATES]
    + [(ENDED, TAB_LABELS[ENDED])]
)


def _tab_is_applied_by_the_selector(queryset: QuerySet, name: str, value: object) -> QuerySet:
    # The per-state counts need every tab's rows, so consultations.selectors narrows to the tab afterwards.
    return queryset


class IssueQueueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("搜索"),
        method="search",
        widget=forms.TextInput(attrs={"placeholder": _("标题或回执码"), "type": "search", "autocomplete": "off"}),
    )
    tab = django_filters.ChoiceFilter(
        label=_("状态"), choices=TAB_CHOICES, method=_tab_is_applied_by_the_selector, empty_label=None
    )
    organization = django_filters.ModelChoiceFilter(
        label=_("组织"), queryset=None, empty_label=_("全部组织"), widget=organization_select("mine")
    )
    category = django_filters.ChoiceFilter(label=_("类别"), choices=IssueCategory.choices, empty_label=_("全部类别"))
    channel = django_filters.ChoiceFilter(label=_("来源"), choices=IssueChannel.choices, empty_label=_("全部来源"))
    submitted = django_filters.DateFromToRangeFilter(
        label=_("提交日期（起止）"), field_name="created_at", widget=DateRangeInput()
    )

    class Meta:
        model = Issue
        fields: list[str] = []

    def __init__(self, data: object = None, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(data, *args, **kwargs)
        self.filters["organization"].queryset = organizations_for(user, Action.LIST).order_by("name")

    @property
    def chosen_tab(self) -> str:
        if self.is_bound and self.form.is_valid() and self.form.cleaned_data.get("tab"):
            return self.form.cleaned_data["tab"]
        return OPEN

    def search(self, queryset: QuerySet[Issue], name: str, value: str) -> QuerySet[Issue]:
        value = value.strip()
        if not value:
            return queryset
        if RECEIPT_CODE_TYPED.match(value):
            digits = normalize_receipt_code(value)
            if len(digits) == RECEIPT_CODE_LENGTH:
                return queryset.filter(receipt_code=digits)
            # Part of a code read out over the phone: the unique index serves a prefix match.
            return queryset.filter(Q(receipt_code__startswith=digits) | Q(title__icontains=value))
        return queryset.filter(title__icontains=value)
