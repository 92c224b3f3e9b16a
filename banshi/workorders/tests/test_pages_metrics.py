"""The metrics page (rollups, charts, 红榜/黑榜, refresh) and the Excel exports."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from banshi.accounts.roles import Role
from banshi.core.calendar import TZ
from banshi.core.tests.spreadsheets import PAYLOADS, cells, formulas
from banshi.workorders.models import UnitMonthStats
from banshi.workorders.services.metrics import month_stats_refresh
from banshi.workorders.views import export

from .conftest import NOW


def _as(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_the_metrics_page_shows_the_rates_and_the_ranking(
    client: Client, orders: Any, tree: Any, cast: Any
) -> None:
    for _ in range(2):
        orders.at("closed")
    orders.at("closed", lead=tree.xinhe)
    month_stats_refresh(month=NOW.date(), now=NOW)
    analyst = _as(client, cast.make(Role.ANALYST, tree.kaifu))
    response = analyst.get("/workorders/metrics/", {"month": "2026-11", "level": "street"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "2026年11月 三率与排名" in text
    for header in [
        "响应率",
        "解决率",
        "满意率",
        "综合成绩",
        "及时签收率",
        "按时办结率",
        "回退率",
        "重办率",
        "直接答复率",
    ]:
        assert header in text
    assert "秀峰街道" in text and "新河街道" in text
    assert 'id="chart-composite"' in text and "红榜" in text and "黑榜" in text
    assert '"units": [' in text  # the chart data
    # Out of scope: a 雨花区 analyst sees no 开福区 streets.
    other = _as(Client(), cast.make(Role.ANALYST, tree.yuhua))
    text = other.get(
        "/workorders/metrics/", {"month": "2026-11", "level": "street"}
    ).content.decode()
    assert "秀峰街道" not in text and "该月该类单位暂无数据" in text


def test_the_metrics_page_opens_on_the_latest_month_with_data_not_an_empty_one(
    client: Client, orders: Any, tree: Any, cast: Any
) -> None:
    from django.utils import timezone

    # Two months ago has requests; last month and this month have none (early in a month).
    this_month = timezone.localdate().replace(day=1)
    earlier = (this_month - datetime.timedelta(days=40)).replace(day=10)
    at = datetime.datetime.combine(earlier, datetime.time(10), tzinfo=TZ)
    orders.at("closed", now=at)
    month_stats_refresh(month=earlier, now=at)
    month_stats_refresh(month=this_month)
    analyst = _as(client, cast.make(Role.ANALYST, tree.kaifu))
    text = analyst.get("/workorders/metrics/", {"level": "street"}).content.decode()
    assert f'name="month" id="m-month" value="{earlier:%Y-%m}"' in text
    assert "秀峰街道" in text and "该月该类单位暂无数据" not in text
    # An explicit month is shown as asked, even when it is empty.
    text = analyst.get(
        "/workorders/metrics/", {"level": "street", "month": f"{this_month:%Y-%m}"}
    ).content.decode()
    assert "该月该类单位暂无数据" in text
    # Nothing in scope at all: the current month, empty.
    other = _as(Client(), cast.make(Role.ANALYST, tree.yuhua))
    text = other.get("/workorders/metrics/", {"level": "street"}).content.decode()
    assert f'value="{this_month:%Y-%m}"' in text and "该月该类单位暂无数据" in text


def test_metrics_are_refused_without_the_right_and_bad_months_answer_400(
    client: Client, tree: Any, cast: Any
) -> None:
    handler = _as(client, cast.make(Role.HANDLER, tree.xiufeng))
    assert handler.get("/workorders/metrics/").status_code == 403
    assert handler.post("/workorders/metrics/refresh/").status_code == 403
    analyst = _as(Client(), cast.make(Role.ANALYST, tree.kaifu))
    response = analyst.get("/workorders/metrics/", {"month": "2026-99"})
    assert response.status_code == 400 and "月份格式应为" in response.content.decode()
    response = analyst.get("/workorders/metrics/", {"level": "household"})
    assert response.status_code == 400 and "单位类别无效" in response.content.decode()


def test_refresh_recomputes_the_current_month(
    client: Client, orders: Any, tree: Any, cast: Any
) -> None:
    from django.utils import timezone

    orders.at("dispatched", now=timezone.now())
    assert not UnitMonthStats.objects.exists()
    supervisor = _as(client, cast.make(Role.SUPERVISOR, tree.kaifu))
    response = supervisor.post("/workorders/metrics/refresh/", {"level": "street"})
    assert response.status_code == 302 and "level=street" in response["Location"]
    assert UnitMonthStats.objects.filter(unit=tree.xiufeng).exists()
    page = supervisor.get(response["Location"]).content.decode()
    assert "已刷新本月指标" in page and "秀峰街道" in page


def _sheet(response: Any) -> list[list[Any]]:
    book = load_workbook(io.BytesIO(response.content))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def test_the_excel_export_holds_the_same_filtered_rows_with_masked_phones(
    client: Client, orders: Any, tree: Any, cast: Any
) -> None:
    dispatched = orders.at("dispatched")
    received = orders.submit()
    secret = orders.submit(confidential=True)
    foreign = orders.submit(org_unit=tree.tiaoma, address="雨花区跳马镇")
    dispatcher = _as(client, cast.make(Role.DISPATCHER, tree.kaifu))
    list_page = dispatcher.get("/workorders/list/", {"status": "received"}).content.decode()
    assert "/workorders/list/export/?status=received" in list_page
    response = dispatcher.get("/workorders/list/export/", {"status": "received"})
    assert response.status_code == 200
    assert response["Content-Type"] == export.XLSX_MIME
    rows = _sheet(response)
    assert rows[0][0].startswith("工单列表") and "共 2 条" in rows[0][0]
    header = rows[1]
    assert header[:4] == ["工单编号", "受理时间", "来源渠道", "诉求类型"] and "联系电话" in header
    body = {r[0]: r for r in rows[2:]}
    assert set(body) == {received.number, secret.number}
    phone = header.index("联系电话")
    assert body[received.number][phone] == "138****5678"
    assert body[secret.number][phone] == "保密"
    assert body[received.number][header.index("分类")] == "城市管理 › 市政设施 › 道路破损"
    assert dispatched.number not in body and foreign.number not in body
    everything = b"".join(str(c).encode() for r in rows for c in r if c)
    assert b"13812345678" not in everything


def test_the_export_is_capped_and_says_so(
    client: Client, orders: Any, tree: Any, cast: Any, monkeypatch: Any
) -> None:
    made = [orders.submit() for _ in range(3)]
    monkeypatch.setattr(export, "MAX_ROWS", 2)
    response = _as(client, cast.make(Role.DISPATCHER, tree.kaifu)).get("/workorders/list/export/")
    rows = _sheet(response)
    assert "仅导出前2条" in rows[1][0]
    numbers = [r[0] for r in rows[3:]]
    assert numbers == [made[2].number, made[1].number]


def test_a_queue_exports_and_roles_without_export_are_refused(
    client: Client, orders: Any, tree: Any, cast: Any
) -> None:
    order = orders.submit()
    dispatcher = _as(client, cast.make(Role.DISPATCHER, tree.kaifu))
    rows = _sheet(dispatcher.get("/workorders/queues/to_dispatch/export/"))
    assert rows[0][0].startswith("待派单") and rows[2][0] == order.number
    handler = _as(Client(), cast.make(Role.HANDLER, tree.xiufeng))
    assert handler.get("/workorders/list/export/").status_code == 403
    assert handler.get("/workorders/queues/to_sign/export/").status_code == 403


@pytest.mark.parametrize("params", [{"light": "purple"}, {"unit": "x" * 40}])
def test_a_bad_export_filter_is_a_4xx_not_a_500(
    client: Client, tree: Any, cast: Any, params: dict[str, str]
) -> None:
    response = _as(client, cast.make(Role.DISPATCHER, tree.kaifu)).get(
        "/workorders/list/export/", params
    )
    assert 400 <= response.status_code < 500


def test_the_export_writes_citizen_text_that_looks_like_a_formula_as_text(
    client: Client, orders: Any, tree: Any, cast: Any
) -> None:
    """Issue 8.3: ``=HYPERLINK(…)`` typed by a citizen must not become a live formula."""
    link, plus, minus, at, wide = PAYLOADS
    order = orders.submit(content=link, title=plus, address=minus, caller_name=at)
    queued = orders.at("pending_dispatch", content=wide, title=link)
    dispatcher = _as(client, cast.make(Role.DISPATCHER, tree.kaifu))
    for url in ("/workorders/list/export/", "/workorders/queues/to_dispatch/export/"):
        response = dispatcher.get(url)
        assert response.status_code == 200
        assert formulas(response.content) == []
        values = cells(response.content)
        assert link in values and wide in values
        if url.startswith("/workorders/list/"):
            assert plus in values and minus in values and "@******)" in values
        rows = _sheet(response)
        header = rows[1]
        body = {r[0]: r for r in rows[2:]}
        assert body[queued.number][header.index("催办次数")] == 0  # a number stays a number
    assert order.content == link
