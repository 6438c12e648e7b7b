"""The daily snapshot: one number per metric, day and organization (with the organization's place on that day),
and for the figures that count people once whatever the number of their organizations, one per metric, day and
place; so that a district's history is read from a few kept rows instead of recounted from every membership
and issue. Written only by stats.snapshot.snapshot_rebuild, which records each day it kept in SnapshotDay."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DailyFigure(models.Model):
    metric = models.CharField(_("指标"), max_length=40)
    day = models.DateField(_("日期"))
    region = models.ForeignKey(
        "orgs.Region", verbose_name=_("所在区域"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # None: a figure of the place as a whole (the people of all its organizations, each once).
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("组织"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        null=True,
        blank=True,
    )
    value = models.BigIntegerField(_("数值"))

    class Meta:
        verbose_name = _("每日统计")
        verbose_name_plural = _("每日统计")
        constraints = [
            models.UniqueConstraint(fields=["metric", "day", "organization"], name="one_daily_figure_per_key"),
            models.UniqueConstraint(
                fields=["metric", "day", "region"],
                condition=models.Q(organization__isnull=True),
                name="one_place_figure_per_key",
            ),
        ]
        # A place's series of a metric: (metric, region, day) read for every region under a path.
        indexes = [
            models.Index(fields=["metric", "region", "day"], name="daily_figure_region_series"),
            models.Index(fields=["organization", "day"], name="daily_figure_organization"),
            # The admin's list, newest first.
            models.Index(fields=["-day"], name="daily_figure_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.metric} {self.organization_id}: {self.value}"


class SnapshotDay(models.Model):
    """A day whose figures are kept: a figure missing on a kept day is a zero, on any other day it is unknown."""

    day = models.DateField(_("日期"), primary_key=True)
    rebuilt_at = models.DateTimeField(_("重算时间"))
    rows = models.PositiveIntegerField(_("行数"))

    class Meta:
        verbose_name = _("已保存统计的日期")
        verbose_name_plural = _("已保存统计的日期")
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day} ({self.rows})"


class ExportState(models.TextChoices):
    PENDING = "pending", _("生成中")
    READY = "ready", _("已生成")
    FAILED = "failed", _("生成失败")


class StatsExport(models.Model):
    """A large export built by a worker (stats.large_exports): only the account that asked for it downloads it."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.CASCADE, related_name="stats_exports"
    )
    what = models.CharField(_("内容"), max_length=40)
    focus = models.CharField(_("范围"), max_length=200)
    state = models.CharField(_("状态"), max_length=16, choices=ExportState.choices, default=ExportState.PENDING)
    file = models.FileField(_("文件"), upload_to="exports/%Y/%m/", blank=True)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导出文件")
        verbose_name_plural = _("导出文件")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.what} {self.focus} ({self.state})"
