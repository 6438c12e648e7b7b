"""Large exports (a district's whole roster): asked for on the dashboard, built by a Celery worker in constant
memory (openpyxl's write-only workbook fed by a server-side cursor), and announced in the asker's inbox through
the outbox with a download link that only they can open.

The roster export carries no phone numbers: what a town officer may see whole differs person by person, and
the roster page's own export (members) is the place for them.
"""

from __future__ import annotations

import datetime
import tempfile
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from members.models import MembershipRole, Stratum
from members.scoping import memberships_for
from members.sheet_cells import escape_cell
from portal.notifications.kinds import Kind
from portal.notifications.outbox import Recipient, message_enqueue
from portal.scoping import Action
from stats.models import ExportState, StatsExport
from stats.scoping import Focus, focus_for

ROSTER = "roster"
CHUNK = 2_000


def _focus_of(export: StatsExport) -> Focus | None:
    params = dict(part.split("=", 1) for part in export.focus.split("&") if "=" in part)
    return focus_for(export.owner, params)


def _roster_rows(export: StatsExport, focus: Focus):
    labels_stratum = dict(Stratum.choices)
    labels_role = dict(MembershipRole.choices)
    memberships = (
        memberships_for(export.owner, Action.LIST)
        .filter(focus.q("organization"))
        .order_by("organization__region__path", "organization__name", "person__name", "pk")
        .values_list(
            "organization__region__name",
            "organization__name",
            "person__name",
            "person__stratum",
            "person__occupation",
            "role",
            "joined_on",
            "left_on",
        )
    )
    for place, organization, name, stratum, occupation, role, joined_on, left_on in memberships.iterator(
        chunk_size=CHUNK
    ):
        yield [
            escape_cell(place),
            escape_cell(organization),
            escape_cell(name),
            str(labels_stratum.get(stratum, stratum)),
            escape_cell(occupation),
            str(labels_role.get(role, role)),
            joined_on,
            left_on,
        ]


def export_build(*, export_id: int) -> StatsExport:
    """Writes the file of a pending export and tells its owner; an export already built is left as it is (a
    task delivered twice builds once)."""
    with transaction.atomic():
        export = StatsExport.objects.select_for_update().select_related("owner").get(pk=export_id)
        if export.state != ExportState.PENDING:
            return export
        focus = _focus_of(export)
        if focus is None:  # the owner has lost the place since asking
            export.state = ExportState.FAILED
            export.finished_at = timezone.now()
            export.save(update_fields=["state", "finished_at"])
            return export
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=_("会籍"))
        sheet.append(
            [_("所在区域"), _("组织"), _("姓名"), _("社会阶层"), _("职业"), _("职务"), _("入会日期"), _("退出日期")]
        )
        rows = 0
        for row in _roster_rows(export, focus):
            sheet.append(row)
            rows += 1
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "roster.xlsx"
            workbook.save(path)
            with path.open("rb") as handle:
                export.file.save(f"roster-{export.pk}-{timezone.localdate():%Y%m%d}.xlsx", File(handle), save=False)
        export.state = ExportState.READY
        export.rows = rows
        export.finished_at = timezone.now()
        export.save(update_fields=["file", "state", "rows", "finished_at"])
        message_enqueue(
            kind=Kind.EXPORT_READY,
            key=f"stats-export:{export.pk}",
            recipient=Recipient(user=export.owner),
            subject=_("会籍导出文件已生成"),
            body=_("您申请的会籍名册（%(rows)s 行）已生成，可在 7 天内下载。") % {"rows": rows},
            url=reverse("stats:export_download", kwargs={"pk": export.pk}),
            region_path=focus.path,
        )
    return export


KEPT_DAYS = 7


def downloadable(export: StatsExport, *, today: datetime.date) -> bool:
    return (
        export.state == ExportState.READY
        and bool(export.file)
        and (timezone.localtime(export.created_at).date() + datetime.timedelta(days=KEPT_DAYS) >= today)
    )
