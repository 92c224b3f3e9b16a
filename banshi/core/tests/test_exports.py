"""The one helper every spreadsheet writer uses: user text is text, never a formula."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from banshi.core.exports import append_row, csv_value, looks_like_formula
from banshi.core.tests.spreadsheets import PAYLOADS, cells, formulas


@pytest.mark.parametrize("write_only", [True, False])
def test_text_that_looks_like_a_formula_is_written_as_text_and_numbers_stay_numbers(
    write_only: bool,
) -> None:
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("导出")
    heading = WriteOnlyCell(sheet, value="=标题")
    heading.font = Font(bold=True)
    append_row(sheet, [heading])
    append_row(sheet, [*PAYLOADS, "#N/A", "普通文字", 7, 2.5, None])
    buffer = io.BytesIO()
    book.save(buffer)
    content = buffer.getvalue()
    assert formulas(content) == []
    assert cells(content) == ["=标题", *PAYLOADS, "#N/A", "普通文字", 7, 2.5]


def test_control_characters_that_xlsx_cannot_hold_do_not_break_the_export() -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("导出")
    append_row(sheet, ["第一行\x0b第二行"])
    buffer = io.BytesIO()
    book.save(buffer)
    assert cells(buffer.getvalue()) == ["第一行第二行"]


def test_a_csv_field_that_looks_like_a_formula_gets_an_apostrophe() -> None:
    assert [csv_value(p) for p in PAYLOADS] == [f"'{p}" for p in PAYLOADS]
    assert csv_value("\t=1+1") == "'\t=1+1" and csv_value("\r=1") == "'\r=1"
    assert csv_value("建湘路1号") == "建湘路1号" and csv_value(-3) == -3
    assert not looks_like_formula("1+1") and looks_like_formula("＠某人")


# The one CSV writer that is not an export: a stand-alone maintainer script (standard library
# only, run outside Django) that regenerates the division list the importer reads back.
NOT_EXPORTS = {"banshi/orgtree/data/extract_changsha.py"}


def test_every_spreadsheet_writer_goes_through_the_helper() -> None:
    root = Path(__file__).resolve().parents[3]
    writers = []
    for path in sorted((root / "banshi").rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if "/tests/" in relative or relative in NOT_EXPORTS or relative.endswith("exports.py"):
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"\bWorkbook\(|csv\.writer\(|csv\.DictWriter\(", text):
            writers.append(relative)
            assert "banshi.core.exports" in text, f"{relative} 写表格须经 core.exports"
    assert {"banshi/workorders/views/export.py", "banshi/projects/excel.py"} <= set(writers)
