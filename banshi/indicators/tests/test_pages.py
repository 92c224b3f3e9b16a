"""The pages: overview with drill-down and chart data, completeness, the report page's entry,
steps and correction, the import page; out of subtree 404; the nav entry."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from banshi.indicators import excel
from banshi.indicators.choices import Status
from banshi.indicators.models import Entry, Report
from banshi.indicators.tests.conftest import approved

pytestmark = pytest.mark.django_db


def test_overview_drills_down_and_carries_chart_data(client: Any, tree: Any, people: Any) -> None:
    approved(tree.kaifu, 2026, 0, {"xuewei": 14000})
    approved(tree.kaifu, 2026, 1, {"xuewei": 2600})
    client.force_login(people.city_admin)
    r = client.get("/indicators/", {"unit": tree.city.pk, "year": 2026, "quarter": 1})
    assert r.status_code == 200
    html = r.content.decode()
    assert "开福区" in html and "雨花区" in html and "18.6%" in html
    assert 'id="indicator-data"' in html and "indicators/overview.js" in html
    assert "<script>" not in html.replace("<script src=", "")  # no inline script
    assert f"?unit={tree.kaifu.pk}&amp;year=2026" in html
    r = client.get("/indicators/", {"unit": tree.kaifu.pk, "year": 2026, "quarter": 1})
    assert r.status_code == 200 and "返回上级：长沙市" in r.content.decode()
    assert "六位指标" in client.get("/").content.decode() or "六位指标" in r.content.decode()


def test_out_of_subtree_pages_are_404(client: Any, tree: Any, people: Any) -> None:
    report = approved(tree.kaifu, 2026, 1, {"xuewei": 1})
    client.force_login(people.yuhua_admin)
    assert client.get("/indicators/", {"unit": tree.kaifu.pk}).status_code == 404
    assert client.get(f"/indicators/reports/{report.pk}/").status_code == 404
    r = client.post(
        f"/indicators/reports/{report.pk}/correct/",
        {"indicator": "xuewei", "value": 5, "reason": "x"},
    )
    assert r.status_code == 404
    assert client.get("/indicators/completeness/", {"unit": tree.kaifu.pk}).status_code == 404
    assert client.get("/indicators/export/", {"unit": tree.kaifu.pk}).status_code == 404
    assert Entry.objects.get().value == 1


def test_report_page_enter_submit_approve_correct(client: Any, tree: Any, people: Any) -> None:
    client.force_login(people.kaifu_handler)
    r = client.post(
        "/indicators/reports/open/", {"unit": tree.kaifu.pk, "year": 2026, "quarter": 2}
    )
    report = Report.objects.get()
    assert r.status_code == 302 and r["Location"].endswith(f"/indicators/reports/{report.pk}/")
    page = client.get(r["Location"]).content.decode()
    assert 'name="v-xuewei"' in page and "美丽宜居村庄" in page
    client.post(f"/indicators/reports/{report.pk}/values/", {"v-xuewei": "-1", "version": 0})
    assert not Entry.objects.exists()
    client.post(
        f"/indicators/reports/{report.pk}/values/",
        {"v-xuewei": "3200", "v-chewei": "", "version": 0},
    )
    assert Entry.objects.get().value == Decimal("3200")
    client.post(f"/indicators/reports/{report.pk}/step/", {"action": "submit"})
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    assert "审核通过并锁定" not in client.get(f"/indicators/reports/{report.pk}/").content.decode()

    client.force_login(people.city_supervisor)
    assert "审核通过并锁定" in client.get(f"/indicators/reports/{report.pk}/").content.decode()
    client.post(f"/indicators/reports/{report.pk}/step/", {"action": "approve"})
    report.refresh_from_db()
    assert report.status == Status.APPROVED
    client.force_login(people.city_admin)
    page = client.get(f"/indicators/reports/{report.pk}/").content.decode()
    assert "更正已锁定的数值" in page and 'name="v-xuewei"' not in page
    client.post(
        f"/indicators/reports/{report.pk}/correct/",
        {"indicator": "xuewei", "value": "3300", "reason": "补报", "version": report.version},
    )
    assert Entry.objects.get().value == Decimal("3300")
    assert "补报" in client.get(f"/indicators/reports/{report.pk}/").content.decode()


def test_completeness_and_list_pages(client: Any, tree: Any, people: Any) -> None:
    approved(tree.kaifu, 2026, 1, {"xuewei": 1})
    client.force_login(people.city_admin)
    html = client.get(
        "/indicators/completeness/", {"unit": tree.city.pk, "year": 2026, "quarter": 1}
    ).content.decode()
    assert "开福区" in html and "未填报" in html and "逾期未报" in html
    html = client.get(
        "/indicators/reports/", {"unit": tree.city.pk, "status": "approved"}
    ).content.decode()
    assert "2026年第1季度" in html
    html = client.get(
        "/indicators/reports/", {"unit": tree.city.pk, "status": "draft"}
    ).content.decode()
    assert "没有符合条件的报表" in html
    r = client.get("/indicators/pick/units/", {"q": "开福"})
    assert "开福区" in r.content.decode()


def test_import_page(client: Any, tree: Any, people: Any) -> None:
    client.force_login(people.city_admin)
    r = client.post(
        "/indicators/import/",
        {
            "unit": tree.city.pk,
            "year": 2026,
            "quarter": 1,
            "file": SimpleUploadedFile("x.xlsx", b"nope"),
        },
    )
    assert r.status_code == 200 and "不是有效的 Excel" in r.content.decode()
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(excel.template_workbook(people.city_admin, tree.city, 2026, 1)))
    ws = wb.active
    header = [c.value for c in ws[2]]
    for row in ws.iter_rows(min_row=3):
        row[header.index("学位（个）完成")].value = -1 if row[0].value == "430111" else 10
    buffer = io.BytesIO()
    wb.save(buffer)
    r = client.post(
        "/indicators/import/",
        {
            "unit": tree.city.pk,
            "year": 2026,
            "quarter": 1,
            "file": SimpleUploadedFile("x.xlsx", buffer.getvalue()),
        },
    )
    assert r.status_code == 400 and "第4行" in r.content.decode()
    assert not Entry.objects.exists()
