"""A dashboard table as a file: XLSX (Chinese headers, numbers stored as numbers, the definition on the row under
the table) written by openpyxl's write-only workbook, and CSV (UTF-8 with a BOM, which Excel needs to read
Chinese). Labels go through members.sheet_cells.escape_cell: a place or organization name is typed by staff."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from members.sheet_cells import escape_cell
from stats.tables import Table

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Characters Excel refuses in a sheet's name, which is also at most 31 characters long.
SHEET_NAME_REFUSED = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def _rows(table: Table) -> list[list[object]]:
    rows: list[list[object]] = [list(table.headers)]
    rows += [[escape_cell(row.label), *row.values] for row in table.rows]
    rows += [[], [_("说明"), table.definition]]
    return rows


def attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def table_xlsx(table: Table, *, filename: str) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=table.title.translate(SHEET_NAME_REFUSED)[:31])
    for row in _rows(table):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return attachment(HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE), f"{filename}.xlsx")


def table_csv(table: Table, *, filename: str) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    for row in _rows(table):
        writer.writerow(["" if value is None else value for value in row])
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    return attachment(response, f"{filename}.csv")
