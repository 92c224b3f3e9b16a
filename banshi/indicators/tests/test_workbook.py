"""The statistics-office workbooks: the summary's layout, and the entry template read back all or
nothing, idempotently, with row-by-row Chinese errors."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from banshi.indicators import excel, services
from banshi.indicators.models import Entry, Report
from banshi.indicators.tests.conftest import approved

pytestmark = pytest.mark.django_db


def upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("t.xlsx", content)


def fill(template: bytes, rows: dict[str, dict[str, Any]]) -> bytes:
    """Put values under the template's headings for the rows keyed by unit code."""
    wb = load_workbook(io.BytesIO(template))
    ws = wb.active
    header = [c.value for c in ws[2]]
    for row in ws.iter_rows(min_row=3):
        code = row[0].value
        for heading, value in rows.get(code, {}).items():
            row[header.index(heading)].value = value
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def stored() -> dict[tuple[str, int, str], Decimal]:
    return {
        (u, q, c): v
        for u, q, c, v in Entry.objects.values_list(
            "report__org_unit__name", "report__quarter", "indicator__code", "value"
        )
    }


def test_summary_layout(tree: Any, people: Any) -> None:
    approved(tree.kaifu, 2026, 0, {"xuewei": 4000})
    approved(tree.kaifu, 2026, 1, {"xuewei": 1000})
    wb = load_workbook(io.BytesIO(excel.summary_workbook(people.city_admin, tree.city, 2026, 1)))
    ws = wb.active
    assert str(ws["A1"].value).startswith("2026年第1季度 长沙市")
    header = [c.value for c in ws[2]]
    assert header[:5] == [
        "单位编码",
        "单位名称",
        "学位（个）目标",
        "学位（个）完成",
        "学位（个）完成率(%)",
    ]
    rows = {r[1]: r for r in ws.iter_rows(min_row=3, values_only=True)}
    assert rows["开福区"][2:5] == (4000, 1000, 25)
    assert rows["合计"][2:5] == (4000, 1000, 25)
    assert rows["雨花区"][2:5] == (0, 0, None)


def test_import_all_or_nothing_then_idempotent(tree: Any, people: Any) -> None:
    template = excel.template_workbook(people.city_admin, tree.city, 2026, 2)
    good = {"430105": {"学位（个）目标": 4000, "学位（个）完成": 900, "摊位（个）完成": "120"}}
    bad = {**good, "430111": {"学位（个）完成": -5, "车位（个）目标": "很多"}}
    result = services.import_workbook(
        actor=people.city_admin, uploaded=upload(fill(template, bad)), year=2026, quarter=2
    )
    assert not result.ok
    assert [e.message for e in result.errors] == ["第4行：“学位”的数值不能为负数"]
    assert stored() == {} and not Report.objects.exists()

    content = fill(template, good)
    result = services.import_workbook(
        actor=people.city_admin, uploaded=upload(content), year=2026, quarter=2
    )
    assert result.ok and result.reports == 2
    assert stored() == {
        ("开福区", 0, "xuewei"): Decimal("4000"),
        ("开福区", 2, "xuewei"): Decimal("900"),
        ("开福区", 2, "tanwei"): Decimal("120"),
    }
    versions = dict(Report.objects.values_list("pk", "version"))
    again = services.import_workbook(
        actor=people.city_admin, uploaded=upload(content), year=2026, quarter=2
    )
    assert again.ok and again.reports == 0
    assert dict(Report.objects.values_list("pk", "version")) == versions


def test_import_refuses_locked_wrong_period_and_foreign_rows(tree: Any, people: Any) -> None:
    approved(tree.kaifu, 2026, 2, {"xuewei": 900})
    template = excel.template_workbook(people.city_admin, tree.city, 2026, 2)
    changed = fill(template, {"430105": {"学位（个）完成": 950}})
    result = services.import_workbook(
        actor=people.city_admin, uploaded=upload(changed), year=2026, quarter=2
    )
    assert not result.ok and "不能导入修改" in result.errors[0].message
    # The same values as the locked report: nothing to change, accepted.
    same = fill(template, {"430105": {"学位（个）完成": 900}})
    assert services.import_workbook(
        actor=people.city_admin, uploaded=upload(same), year=2026, quarter=2
    ).ok
    # The template of another period.
    result = services.import_workbook(
        actor=people.city_admin, uploaded=upload(changed), year=2026, quarter=3
    )
    assert result.errors[0].row == 1
    # 雨花区's admin cannot write 开福区's row.
    yuhua = excel.template_workbook(people.yuhua_admin, tree.yuhua, 2026, 3)
    wb = load_workbook(io.BytesIO(yuhua))
    wb.active.append(["430105", "开福区", 1])
    buffer = io.BytesIO()
    wb.save(buffer)
    result = services.import_workbook(
        actor=people.yuhua_admin, uploaded=upload(buffer.getvalue()), year=2026, quarter=3
    )
    assert not result.ok and "不在您的管辖范围内" in result.errors[0].message
    assert stored() == {("开福区", 2, "xuewei"): Decimal("900")}


def test_not_an_excel_file(tree: Any, people: Any) -> None:
    from banshi.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as err:
        services.import_workbook(
            actor=people.city_admin, uploaded=upload(b"hello"), year=2026, quarter=1
        )
    assert err.value.code == "invalid_file"
    wb = Workbook()
    wb.active.append(["随便什么表"])
    buffer = io.BytesIO()
    wb.save(buffer)
    result = services.import_workbook(
        actor=people.city_admin, uploaded=upload(buffer.getvalue()), year=2026, quarter=1
    )
    assert not result.ok and result.errors[0].row == 1
