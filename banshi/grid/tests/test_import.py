"""Excel import of the register: row-by-row Chinese errors, all or nothing, idempotent (the same
file twice changes nothing), and an exported file imports back unchanged."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from banshi.accounts.roles import Role
from banshi.audit.models import ChangeRecord
from banshi.core.errors import ValidationFailed
from banshi.grid import selectors
from banshi.grid.exports import register_workbook
from banshi.grid.models import Household, Resident
from banshi.grid.services import import_households
from banshi.grid.services.importer import COLUMNS
from banshi.orgtree.models import OrgUnit

ROWS = [
    [
        "第1党员微网格",
        "5栋101室",
        "建湘路5号5栋101室",
        "低保、残疾",
        "彭德明",
        "户主",
        "13700000011",
        "",
        "是",
    ],
    [
        "第1党员微网格",
        "5栋101室",
        "建湘路5号5栋101室",
        "低保、残疾",
        "彭春花",
        "配偶",
        "",
        "",
        "否",
    ],
    ["第2党员微网格", "6栋202室", "建湘路6号6栋202室", "独居老人", "龚桂香", "户主", "", "", ""],
    ["第2党员微网格", "6栋202室", "建湘路6号6栋202室", "", "龚小平", "子女", "", "", ""],
    # An existing household: h1 gets a new member, 张秀英 stays as she is.
    [
        "第1党员微网格",
        "1栋1单元101室",
        "建湘路1号1栋1单元101室",
        "",
        "张秀英",
        "户主",
        "",
        "",
        "否",
    ],
    [
        "第1党员微网格",
        "1栋1单元101室",
        "建湘路1号1栋1单元101室",
        "",
        "王子涵",
        "孙子女",
        "",
        "",
        "",
    ],
]


def _xlsx(rows: list[list[Any]], header: list[str] = COLUMNS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _state() -> tuple[int, int, int]:
    return Household.objects.count(), Resident.objects.count(), ChangeRecord.objects.count()


def test_import_creates_then_the_same_file_changes_nothing(g: Any, cast: Any) -> None:
    worker = cast.make(Role.COMMUNITY_WORKER, g.tree.datang)
    data = _xlsx(ROWS)
    first = import_households(actor=worker, unit=g.tree.datang, data=data)
    assert (first.households_created, first.households_updated, first.households_unchanged) == (
        2,
        0,
        1,
    )
    assert (first.residents_created, first.residents_unchanged) == (5, 1)
    assert first.warnings == [
        "第4行：住户“建湘路6号6栋202室”标注为独居老人，但登记了2名成员，请核实"
    ]
    peng = Household.objects.get(address="建湘路5号5栋101室")
    assert peng.tags == ["dibao", "disabled"] and peng.vulnerable and peng.grid_id == g.grid1.pk
    assert peng.residents.get(name="彭德明").mobile == "13700000011"
    state = _state()
    second = import_households(actor=worker, unit=g.tree.datang, data=data)
    assert not second.changed
    assert (second.households_unchanged, second.residents_unchanged) == (3, 6)
    assert _state() == state


def test_an_exported_register_imports_back_unchanged(g: Any, cast: Any) -> None:
    worker = cast.make(Role.COMMUNITY_WORKER, g.tree.datang)
    import_households(actor=worker, unit=g.tree.datang, data=_xlsx(ROWS))
    exported = register_workbook(selectors.households_under(worker, g.tree.datang))
    state = _state()
    report = import_households(actor=worker, unit=g.tree.datang, data=exported)
    assert not report.changed
    assert _state() == state
    # The masked phone in the export did not overwrite the real one.
    assert Resident.objects.get(name="张秀英").mobile == "13812345678"


def test_one_bad_row_refuses_the_whole_file_with_every_error_by_row(g: Any, cast: Any) -> None:
    worker = cast.make(Role.COMMUNITY_WORKER, g.tree.datang)
    rows = [
        *ROWS[:2],
        ["第9党员微网格", "9栋", "建湘路9号", "", "李四", "户主", "", "", ""],
        ["第1党员微网格", "7栋", "建湘路7号", "富裕户", "赵六", "户主", "", "", ""],
        ["第1党员微网格", "8栋", "建湘路8号", "", "钱七", "户主", "12345", "", ""],
        ["第1党员微网格", "", "", "", "孙八", "户主", "", "", ""],
    ]
    state = _state()
    with pytest.raises(ValidationFailed) as refused:
        import_households(actor=worker, unit=g.tree.datang, data=_xlsx(rows))
    assert refused.value.code == "import_invalid"
    assert refused.value.extra["errors"] == [
        "第4行：“新大塘社区”下没有名为“第9党员微网格”的微网格或社区",
        "第5行：未知的住户标签：富裕户",
        "第6行：手机号格式不正确，应为11位中国大陆手机号",
        "第7行：地址不能为空",
    ]
    assert _state() == state


def test_a_household_listed_twice_in_one_file_is_refused_through_the_api(
    g: Any, cast: Any, client: Client
) -> None:
    client.force_login(cast.make(Role.GRID_MEMBER, g.tree.datang))
    rows = [ROWS[0], ROWS[1], ROWS[0]]
    state = _state()
    response = client.post(
        f"/api/v1/orgunits/{g.tree.datang.pk}/households/import",
        {"file": SimpleUploadedFile("台账.xlsx", _xlsx(rows))},
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "import_invalid"
    assert body["detail"] == "导入未执行，共1处错误：第4行：与第2行重复（同一住户、同一姓名）"
    assert _state() == state


def test_a_file_that_is_not_excel_or_lacks_columns_is_refused(g: Any, cast: Any) -> None:
    worker = cast.make(Role.COMMUNITY_WORKER, g.tree.datang)
    with pytest.raises(ValidationFailed) as not_excel:
        import_households(actor=worker, unit=g.tree.datang, data=b"name,address\n")
    assert not_excel.value.code == "invalid_file"
    with pytest.raises(ValidationFailed) as no_columns:
        import_households(actor=worker, unit=g.tree.datang, data=_xlsx([], header=["住址", "户主"]))
    assert no_columns.value.code == "missing_columns"


def test_a_write_refused_halfway_rolls_everything_back(g: Any, cast: Any) -> None:
    worker = cast.make(Role.COMMUNITY_WORKER, g.tree.datang)
    # The 门牌 of h2 under 第1党员微网格 is taken: the second household cannot be created, so the
    # first one (valid on its own) is not kept either.
    rows = [
        ROWS[0],
        ["第1党员微网格", g.h2.org_unit.name, "建湘路另一个地址", "", "吴勇", "户主", "", "", ""],
    ]
    state = _state()
    with pytest.raises(ValidationFailed) as refused:
        import_households(actor=worker, unit=g.tree.datang, data=_xlsx(rows))
    assert refused.value.extra["errors"] == ["第3行：同一上级下已有同名单位“1栋1单元102室”"]
    assert _state() == state
    assert not OrgUnit.objects.filter(name="5栋101室").exists()


def test_import_outside_the_subtree_is_not_found(g: Any, cast: Any, client: Client) -> None:
    client.force_login(cast.make(Role.COMMUNITY_WORKER, g.tree.shiyanhu))
    response = client.post(
        f"/api/v1/orgunits/{g.tree.datang.pk}/households/import",
        {"file": SimpleUploadedFile("台账.xlsx", _xlsx(ROWS))},
    )
    assert response.status_code == 404
