"""Excel export of the filtered list and of the role queues: the same rows the page shows (the
same scoped selector and filters), the caller as ``workorders.privacy`` shows them in a file,
every text written as text (never a formula, ``core.exports``), capped at ``MAX_ROWS``."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from banshi.core.choices import Colour, Satisfaction
from banshi.core.errors import NotFound
from banshi.core.exports import append_row
from banshi.core.permissions import require
from banshi.workorders import selectors
from banshi.workorders.choices import (
    Channel,
    Kind,
    Resolution,
    Status,
    Urgency,
)
from banshi.workorders.clock import LIGHT_LABELS, light_of, remaining_text
from banshi.workorders.models import WorkOrder
from banshi.workorders.privacy import caller_view
from banshi.workorders.views.staff import list_filters

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 50_000
HEADERS: list[tuple[str, int]] = [
    ("工单编号", 16),
    ("受理时间", 17),
    ("来源渠道", 10),
    ("诉求类型", 8),
    ("紧急程度", 8),
    ("分类", 30),
    ("标题", 30),
    ("诉求内容", 50),
    ("地址", 30),
    ("所在区域", 16),
    ("主办单位", 20),
    ("状态", 10),
    ("灯色", 6),
    ("办结时限", 17),
    ("剩余时间", 14),
    ("诉求人", 8),
    ("联系电话", 14),
    ("催办次数", 8),
    ("督办", 6),
    ("解决情况", 8),
    ("满意度", 8),
]


def _local(value: datetime.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _label(choices: Any, value: str) -> str:
    return str(dict(choices).get(value, value or ""))


def _light(order: WorkOrder, now: datetime.datetime) -> str:
    light = light_of(order, now)
    return "" if light == Colour.NONE else str(LIGHT_LABELS[light])


def _row(user: Any, order: WorkOrder, now: datetime.datetime) -> list[Any]:
    caller = caller_view(user, order, bulk=True)
    category = order.category
    names = [category.name]
    parent = category.parent
    while parent is not None:
        names.append(parent.name)
        parent = parent.parent
    return [
        order.number,
        _local(order.received_at),
        _label(Channel.choices, order.channel),
        _label(Kind.choices, order.kind),
        _label(Urgency.choices, order.urgency),
        " › ".join(reversed(names)),
        order.title,
        order.content,
        order.address,
        order.org_unit.name,
        order.lead_unit.name if order.lead_unit else "",
        _label(Status.choices, order.status),
        _light(order, now),
        _local(order.close_due),
        remaining_text(order, now),
        caller.name,
        caller.phone,
        order.urge_count,
        "是" if order.supervised else "",
        _label(Resolution.choices, order.resolution),
        _label(Satisfaction.choices, order.satisfaction),
    ]


def workbook(user: Any, title: str, orders: Iterable[WorkOrder], total: int) -> bytes:
    """A write-only workbook (constant memory): a title line, a cap note when cut, the rows."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("工单")
    for index, (_, width) in enumerate(HEADERS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    now = timezone.now()
    heading = WriteOnlyCell(sheet, value=f"{title}（导出时间 {_local(now)}，共 {total} 条）")
    heading.font = Font(bold=True, size=12)
    append_row(sheet, [heading])
    if total > MAX_ROWS:
        append_row(
            sheet, [f"注意：结果超过{MAX_ROWS}条，仅导出前{MAX_ROWS}条，请缩小筛选范围后分批导出"]
        )
    header_cells = []
    for name, _ in HEADERS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        header_cells.append(cell)
    append_row(sheet, header_cells)
    for order in orders:
        append_row(sheet, _row(user, order, now))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _response(user: Any, title: str, qs: QuerySet[WorkOrder], filename: str) -> HttpResponse:
    qs = qs.select_related("category__parent__parent")
    total = qs.count()
    # The sheet is the Chinese 台账 officials exchange, whatever language the page is shown in.
    with translation.override(settings.LANGUAGE_CODE):
        content = workbook(user, title, qs[:MAX_ROWS].iterator(chunk_size=2000), total)
    response = HttpResponse(content, content_type=XLSX_MIME)
    stamp = timezone.localtime().strftime("%Y%m%d%H%M")
    response["Content-Disposition"] = (
        f"attachment; filename=\"workorders-{stamp}.xlsx\"; filename*=UTF-8''{filename}-{stamp}.xlsx"
    )
    return response


@login_required
@require_GET
def export_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "workorder.export")
    _, filters = list_filters(request.user, request.GET)
    filters.cursor = None
    qs = selectors.filter_orders(request.user, filters)
    from urllib.parse import quote

    return _response(request.user, "工单列表", qs, quote("工单列表"))


@login_required
@require_GET
def export_queue(request: HttpRequest, name: str) -> HttpResponse:
    name = name[:30]
    if name not in selectors.QUEUES:
        raise NotFound("队列不存在")
    label, action = selectors.QUEUES[name]
    require(request.user, "workorder.export")
    require(request.user, action)
    from urllib.parse import quote

    return _response(request.user, label, selectors.queue(request.user, name), quote(label))
