"""Lighter inserts for the issue a villager submits, at a province's million issues.

- No pattern-ops (LIKE) twin for the receipt code, the category, the channel or the state: nothing searches them
  by LIKE. The receipt code is unique by a constraint; category and channel have no index of their own (a few
  values over a million rows: the places' indexes serve their filters).
- The title's trigram index without its pending list (fastupdate off): with it, the insert that found the list
  full merged 4 MB of it into the index while the villager waited (0.4 s); without it, each insert updates the
  index itself, a few milliseconds. PostgreSQL only, as the index (0007).
"""

from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def no_pending_list(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER INDEX IF EXISTS consultations_issue_title_trgm SET (fastupdate = off)")


def pending_list(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER INDEX IF EXISTS consultations_issue_title_trgm RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0012_notice_sweep_covering_indexes"),
        ("orgs", "0004_name_prefix_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="issue",
            name="category",
            field=models.CharField(
                choices=[
                    ("infrastructure", "道路交通与基础设施"),
                    ("environment", "环境卫生"),
                    ("ecology", "生态保护"),
                    ("industry", "产业发展与增收"),
                    ("culture", "文化传承与文旅"),
                    ("public_service", "公共服务"),
                    ("governance", "乡风文明与社会治理"),
                    ("other", "其他"),
                ],
                max_length=32,
                verbose_name="类别",
            ),
        ),
        migrations.AlterField(
            model_name="issue",
            name="channel",
            field=models.CharField(
                choices=[
                    ("online", "网上提交"),
                    ("paper", "纸质意见条（代录）"),
                    ("phone", "电话反映（代录）"),
                    ("visit", "走访收集（代录）"),
                    ("meeting", "议事会现场（代录）"),
                ],
                default="online",
                max_length=16,
                verbose_name="来源",
            ),
        ),
        migrations.AlterField(
            model_name="issue",
            name="receipt_code",
            field=models.CharField(editable=False, max_length=12, verbose_name="回执码"),
        ),
        migrations.AlterField(
            model_name="issue",
            name="state",
            field=models.CharField(
                choices=[
                    ("submitted", "已提交"),
                    ("accepted", "待协商"),
                    ("deliberating", "协商中"),
                    ("agreed", "已达成共识"),
                    ("assigned", "部门处理中"),
                    ("answered", "部门已答复，待确认办结"),
                    ("handled", "已办结"),
                    ("publicized", "公示中"),
                    ("closed", "已归档"),
                    ("rejected", "不予受理"),
                    ("merged", "已合并"),
                ],
                default="submitted",
                max_length=16,
                verbose_name="状态",
            ),
        ),
        migrations.AddIndex(
            model_name="issue",
            index=models.Index(fields=["state"], name="issue_state"),
        ),
        migrations.AddConstraint(
            model_name="issue",
            constraint=models.UniqueConstraint(fields=("receipt_code",), name="issue_receipt_code_unique"),
        ),
        migrations.RunPython(no_pending_list, pending_list, elidable=False),
    ]
