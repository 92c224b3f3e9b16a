"""The household register as Excel: the import's own columns, so an exported file imports back
unchanged. Phones and ID numbers are masked (an export is not a way around the logged reveal);
the importer keeps what the register holds for a masked cell."""

from __future__ import annotations

import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from banshi.core.exports import append_row
from banshi.grid.models import Household, Tag
from banshi.grid.services.importer import COLUMNS

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WIDTHS = [16, 18, 36, 16, 10, 10, 14, 22, 6]


def _header(sheet: object) -> list[WriteOnlyCell]:
    cells = []
    for name in COLUMNS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def register_workbook(households: Iterable[Household]) -> bytes:
    """One row per resident (a household with none: one row without a name)."""
    names = dict(Tag.objects.values_list("code", "name"))
    book = Workbook(write_only=True)
    sheet = book.create_sheet("住户台账")
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    append_row(sheet, _header(sheet))
    for household in households:
        base = [
            household.grid.name,
            household.org_unit.name,
            household.address,
            "、".join(names.get(t, t) for t in household.tags),
        ]
        residents = [r for r in household.residents.all() if r.archived_at is None]
        if not residents:
            append_row(sheet, [*base, "", "", "", "", ""])
        for r in residents:
            append_row(
                sheet,
                [
                    *base,
                    r.name,
                    r.relation,
                    r.masked_mobile,
                    r.masked_id_number,
                    "是" if r.is_party_member else "否",
                ],
            )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def template_workbook() -> bytes:
    """An empty import file with the columns and one example row."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("住户台账")
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    append_row(sheet, _header(sheet))
    append_row(
        sheet,
        [
            "第1党员微网格",
            "1栋1单元101室",
            "秀峰路1号1栋1单元101室",
            "低保、残疾",
            "王建国",
            "户主",
            "",
            "",
            "否",
        ],
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
