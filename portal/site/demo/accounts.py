"""Departments and demo logins: at least one per role, each scoped to a place of the seeds.

All demo logins share one password, printed by seed_demo. It protects local demo data only.
"""

from __future__ import annotations

from dataclasses import dataclass

from orgs.models import DepartmentLevel
from portal.accounts.roles import Role

DEMO_PASSWORD = "tongxin-demo-2026"  # noqa: S105 - a published demo password for local demo data


@dataclass(frozen=True)
class DepartmentSpec:
    region: tuple[str, ...]
    name: str
    level: str
    handler_username: str
    handler_name: str


DEPARTMENTS = (
    DepartmentSpec(
        ("余杭区",), "余杭区住建局", DepartmentLevel.DISTRICT, "yuhang_zhujian", "余杭区住建局 经办人 孙海峰"
    ),
    DepartmentSpec(
        ("余杭区",), "余杭区农业农村局", DepartmentLevel.DISTRICT, "yuhang_nongye", "余杭区农业农村局 经办人 钱佳怡"
    ),
    DepartmentSpec(
        ("余杭区", "黄湖镇"),
        "黄湖镇农业农村办",
        DepartmentLevel.TOWN,
        "huanghu_handler",
        "黄湖镇农业农村办 经办人 赵一鸣",
    ),
    DepartmentSpec(
        ("余杭区", "黄湖镇"),
        "黄湖镇综合执法队",
        DepartmentLevel.TOWN,
        "huanghu_zhifa",
        "黄湖镇综合执法队 经办人 郑立新",
    ),
    DepartmentSpec(
        ("鹿城区",), "鹿城区市场监管局", DepartmentLevel.DISTRICT, "lucheng_shijian", "鹿城区市场监管局 经办人 林晓雯"
    ),
    DepartmentSpec(
        ("鹿城区", "七都街道"),
        "七都街道社会事务办",
        DepartmentLevel.TOWN,
        "qidu_shiwu",
        "七都街道社会事务办 经办人 潘志强",
    ),
    DepartmentSpec(
        ("临安区",), "临安区农业农村局", DepartmentLevel.DISTRICT, "linan_nongye", "临安区农业农村局 经办人 俞文涛"
    ),
    DepartmentSpec(
        ("临安区", "龙岗镇"),
        "龙岗镇农业农村办",
        DepartmentLevel.TOWN,
        "longgang_nongye",
        "龙岗镇农业农村办 经办人 方雨婷",
    ),
    DepartmentSpec(
        ("西山区",), "西山区文化和旅游局", DepartmentLevel.DISTRICT, "xishan_wenlv", "西山区文化和旅游局 经办人 杨思远"
    ),
    DepartmentSpec(
        ("西山区", "金碧街道"),
        "金碧街道党群服务中心",
        DepartmentLevel.TOWN,
        "jinbi_fuwu",
        "金碧街道党群服务中心 经办人 李春燕",
    ),
)


@dataclass(frozen=True)
class StaffLoginSpec:
    username: str
    role: str
    display_name: str
    region: tuple[str, ...]


STAFF_LOGINS = (
    StaffLoginSpec("yuhang_admin", Role.DISTRICT_ADMIN, "余杭区委统战部 沈立华", ("余杭区",)),
    StaffLoginSpec("lucheng_admin", Role.DISTRICT_ADMIN, "鹿城区委统战部 黄建平", ("鹿城区",)),
    StaffLoginSpec("linan_admin", Role.DISTRICT_ADMIN, "临安区委统战部 章晓燕", ("临安区",)),
    StaffLoginSpec("xishan_admin", Role.DISTRICT_ADMIN, "西山区委统战部 段云峰", ("西山区",)),
    StaffLoginSpec("huanghu_staff", Role.TOWN_STAFF, "黄湖镇统战委员 吴敏华", ("余杭区", "黄湖镇")),
    StaffLoginSpec("qidu_staff", Role.TOWN_STAFF, "七都街道统战干部 陈思琪", ("鹿城区", "七都街道")),
    StaffLoginSpec("longgang_staff", Role.TOWN_STAFF, "龙岗镇统战干部 楼志刚", ("临安区", "龙岗镇")),
    StaffLoginSpec("qingshan_secretary", Role.VILLAGE_STAFF, "青山同心荟秘书处 何雨晴", ("余杭区", "黄湖镇", "青山村")),
    StaffLoginSpec("wanghu_secretary", Role.VILLAGE_STAFF, "望湖村村委 周建军", ("临安区", "龙岗镇", "望湖村")),
    StaffLoginSpec(
        "mili_secretary", Role.VILLAGE_STAFF, "弥里有乐园区 赵欣悦", ("西山区", "金碧街道", "弥里有乐文创园区")
    ),
)

# The logins printed first, one per role; the member's login is added by the loader.
FEATURED_USERNAMES = ("admin", "yuhang_admin", "huanghu_staff", "qingshan_secretary", "huanghu_handler")

SUPERUSER_USERNAME = "admin"
SUPERUSER_DISPLAY_NAME = "系统管理员"
SUPERUSER_REGION = ("余杭区",)
