"""The statistics office's workbooks for one period: the summary (rows = the node's children and a
合计 row, columns = indicators × 目标 / 完成 / 完成率) and the entry template (rows = the nodes that
enter, columns = indicators × 目标 / 完成, prefilled with what they have entered), which
``services.workbook.import_workbook`` reads back. Every cell goes through ``core.exports``."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from banshi.core.exports import append_row
from banshi.indicators import selectors
from banshi.indicators.choices import TARGET_QUARTER, period_label
from banshi.indicators.models import Indicator
from banshi.orgtree.models import OrgUnit

CODE_COLUMN = "单位编码"
NAME_COLUMN = "单位名称"
TARGET = "目标"
ACTUAL = "完成"
RATE = "完成率(%)"


def heading(indicator: Indicator, part: str) -> str:
    return f"{indicator.name}（{indicator.unit}）{part}"


def title(node: OrgUnit, year: int, quarter: int, kind: str) -> str:
    return f"{period_label(year, quarter)} {node.name} {kind}"


def _number(value: Decimal | None) -> Any:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _save(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def summary_workbook(user: Any, node: OrgUnit, year: int, quarter: int) -> bytes:
    """目标 / 完成 / 完成率 per indicator for each child of ``node`` and the node's total."""
    total, rows = selectors.table(user, node, year, quarter)
    defs = selectors.indicators()
    wb = Workbook()
    ws = wb.active
    ws.title = _("指标汇总")
    append_row(ws, [title(node, year, quarter, _("民生指标完成情况汇总表"))])
    ws["A1"].font = Font(bold=True, size=14)
    header = [CODE_COLUMN, NAME_COLUMN]
    for ind in defs:
        header += [heading(ind, TARGET), heading(ind, ACTUAL), heading(ind, RATE)]
    append_row(ws, header)
    for row in [*rows, total]:
        name = row.node.name if row is not total else _("合计")
        values: list[Any] = [row.node.code or "", name]
        for ind in defs:
            fig = row.figures[ind.pk]
            values += [_number(fig.target), _number(fig.actual), _number(fig.rate)]
        append_row(ws, values)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "C3"
    return _save(wb)


def entry_units(user: Any, node: OrgUnit) -> list[OrgUnit]:
    """The nodes under ``node`` (itself included) that enter some indicator and the user may enter."""
    levels = set(Indicator.objects.filter(is_active=True).values_list("level", flat=True))
    return list(
        OrgUnit.objects.for_user(user, "indicator.report")
        .filter(path__startswith=node.path, level__in=levels, is_active=True)
        .order_by("path")
    )


def template_workbook(user: Any, node: OrgUnit, year: int, quarter: int) -> bytes:
    """The entry template: one row per entering node, its own 目标 and 完成 prefilled."""
    units = entry_units(user, node)
    defs = selectors.indicators()
    values = selectors.own_values(user, units, year, (TARGET_QUARTER, quarter))
    wb = Workbook()
    ws = wb.active
    ws.title = _("指标填报")
    append_row(ws, [title(node, year, quarter, _("民生指标填报表"))])
    ws["A1"].font = Font(bold=True, size=14)
    header = [CODE_COLUMN, NAME_COLUMN]
    for ind in defs:
        header += [heading(ind, TARGET), heading(ind, ACTUAL)]
    append_row(ws, header)
    for unit in units:
        row: list[Any] = [unit.code or "", unit.name]
        for ind in defs:
            owned = ind.level == unit.level
            row += [
                _number(values.get((unit.pk, TARGET_QUARTER, ind.pk))) if owned else None,
                _number(values.get((unit.pk, quarter, ind.pk))) if owned else None,
            ]
        append_row(ws, row)
    ws.freeze_panes = "C3"
    return _save(wb)
