from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.scoping import path_ids


class RegionQuerySet(models.QuerySet["Region"]):
    def ancestors_of(self, region: Region, *, include_self: bool = True) -> RegionQuerySet:
        """The places above a region (and the region itself unless told otherwise), from its path alone."""
        ids = region.ancestor_ids if include_self else region.ancestor_ids[:-1]
        return self.filter(pk__in=ids)


class RegionLevel(models.TextChoices):
    DISTRICT = "district", _("区/县")
    TOWN = "town", _("镇/街道")
    VILLAGE = "village", _("村")
    COMMUNITY = "community", _("社区")
    PARK = "park", _("园区")


class Region(models.Model):
    """A node of the administrative tree.

    `path` lists the ids from the root, so a subtree is one prefix query.
    """

    name = models.CharField(_("名称"), max_length=60)
    level = models.CharField(_("层级"), max_length=16, choices=RegionLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级区域"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    # Written only by orgs.services (region_create, region_add, region_update); db_index gives a pattern index
    # on PostgreSQL.
    path = models.CharField(_("路径"), max_length=255, db_index=True, editable=False, default="")
    history = HistoricalRecords()

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("区域")
        verbose_name_plural = _("区域")
        ordering = ["path"]
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="unique_region_name_in_parent")]
        # The phone form finds a village or town by the start of its name (LIKE '青山%').
        indexes = [models.Index(fields=["name"], name="region_name_prefix", opclasses=["varchar_pattern_ops"])]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1

    @property
    def ancestor_ids(self) -> list[int]:
        """This region's id and those of the places above it, root first, read from the path."""
        return path_ids(self.path)

    def trail(self) -> list[Region]:
        """The region and its ancestors as rows, root first (余杭区 › 黄湖镇 › 青山村), in one query."""
        by_id = Region.objects.ancestors_of(self).in_bulk()
        return [by_id[pk] for pk in self.ancestor_ids if pk in by_id]


class OrganizationKind(models.TextChoices):
    TONGXINHUI = "tongxinhui", _("同心荟")
    PRACTICE_BASE = "practice_base", _("新阶层实践创新基地")
    PARTY_ALLIANCE = "party_alliance", _("党建联盟")
    PROSPERITY_ALLIANCE = "prosperity_alliance", _("共富联盟")
    OTHER = "other", _("其他")


class OrganizationCategory(models.TextChoices):
    INCUBATION = "incubation", _("孵化型")
    ALLIANCE = "alliance", _("联盟型")
    CULTURE = "culture", _("文化型")
    SERVICE = "service", _("服务型")
    YOUTH = "youth", _("青创型")
    INDUSTRY_ALLIANCE = "industry_alliance", _("产业联盟")
    CROSS_REGION_ALLIANCE = "cross_region_alliance", _("跨区域联盟")
    ENTERPRISE_VILLAGE = "enterprise_village", _("企村结对")
    OTHER = "other", _("其他")


class OrganizationLevel(models.TextChoices):
    DISTRICT = "district", _("区级")
    TOWN = "town", _("镇街级")
    VILLAGE = "village", _("村/园区级")


class Organization(models.Model):
    name = models.CharField(_("名称"), max_length=100)
    slug = models.SlugField(
        _("公开地址"), max_length=60, unique=True, help_text=_("用于 /orgs/<地址>/，公布后不要修改。")
    )
    kind = models.CharField(_("类型"), max_length=32, choices=OrganizationKind.choices, db_index=True)
    category = models.CharField(
        _("类别"), max_length=32, choices=OrganizationCategory.choices, blank=True, default="", db_index=True
    )
    region = models.ForeignKey(
        Region, verbose_name=_("所在区域"), on_delete=models.PROTECT, related_name="organizations"
    )
    level = models.CharField(_("级别"), max_length=16, choices=OrganizationLevel.choices, db_index=True)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    description = models.TextField(_("简介"), blank=True, default="")
    partners = models.ManyToManyField(
        "self",
        verbose_name=_("结对组织"),
        blank=True,
        symmetrical=True,
        help_text=_("如共富联盟结对的村集体。"),
    )
    is_active = models.BooleanField(_("运行中"), default=True, db_index=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[])

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        ordering = ["name"]
        # The phone form finds an organization by the start of its name (LIKE '青山%'), among 20,000.
        indexes = [models.Index(fields=["name"], name="organization_name_prefix", opclasses=["varchar_pattern_ops"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("orgs:public_detail", kwargs={"slug": self.slug})


class RecognitionLevel(models.TextChoices):
    NATIONAL = "national", _("全国")
    PROVINCIAL = "provincial", _("省级")
    CITY = "city", _("市级")
    DISTRICT = "district", _("区级")


class Recognition(models.Model):
    """An honour such as 全国新的社会阶层人士统战工作实践创新基地, with the year it was given."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("组织"), on_delete=models.CASCADE, related_name="recognitions"
    )
    level = models.CharField(_("级别"), max_length=16, choices=RecognitionLevel.choices)
    title = models.CharField(_("称号"), max_length=120)
    year = models.PositiveSmallIntegerField(_("年份"))

    class Meta:
        verbose_name = _("荣誉认定")
        verbose_name_plural = _("荣誉认定")
        ordering = ["-year", "title"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "title", "year"], name="unique_recognition_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"


class Space(models.Model):
    """A place the organization runs: 同心驿站, 同心会客厅, 城市书屋…"""

    organization = models.ForeignKey(
        Organization, verbose_name=_("组织"), on_delete=models.CASCADE, related_name="spaces"
    )
    name = models.CharField(_("名称"), max_length=80)
    address = models.CharField(_("地址"), max_length=200, blank=True, default="")
    description = models.TextField(_("说明"), blank=True, default="")

    class Meta:
        verbose_name = _("活动阵地")
        verbose_name_plural = _("活动阵地")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="unique_space_name_in_org")]

    def __str__(self) -> str:
        return self.name


class DepartmentLevel(models.TextChoices):
    TOWN = "town", _("镇街")
    DISTRICT = "district", _("区级")


class Department(models.Model):
    """A government department that handles issues; its handlers are users with role department_handler."""

    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("级别"), max_length=16, choices=DepartmentLevel.choices, db_index=True)
    region = models.ForeignKey(Region, verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="departments")
    phone = models.CharField(_("办公电话"), max_length=20, blank=True, default="")
    is_active = models.BooleanField(_("启用"), default=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("职能部门")
        verbose_name_plural = _("职能部门")
        ordering = ["region__path", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="unique_department_in_region")]

    def __str__(self) -> str:
        return self.name
