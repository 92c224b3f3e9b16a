"""The entry template read back: every row checked first, with its Chinese error; when all are
right the values are written in one transaction, else nothing. Importing the same file twice
changes nothing the second time (unchanged values are not rewritten)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from openpyxl import load_workbook

from banshi.core.errors import DomainError, ValidationFailed
from banshi.indicators.choices import EDITABLE, TARGET_QUARTER, Status, period_label
from banshi.indicators.excel import ACTUAL, CODE_COLUMN, NAME_COLUMN, TARGET, heading
from banshi.indicators.models import Indicator, Report
from banshi.indicators.selectors import entries
from banshi.indicators.services.reports import check_period, parse_value, report_open, values_set
from banshi.orgtree.models import OrgUnit

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000


@dataclass
class RowError:
    row: int
    message: str


@dataclass
class ImportResult:
    written: int = 0  # values in the reports the import changed
    reports: int = 0  # reports touched
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _open(uploaded: Any) -> Any:
    if uploaded is None:
        raise ValidationFailed("请选择要导入的 Excel 文件", code="required")
    if uploaded.size > MAX_BYTES:
        raise ValidationFailed("Excel 文件过大（上限5MB）", code="too_large")
    uploaded.seek(0)
    head = uploaded.read(4)
    uploaded.seek(0)
    if head != b"PK\x03\x04":
        raise ValidationFailed("文件不是有效的 Excel（.xlsx）文件", code="invalid_file")
    try:
        return load_workbook(uploaded, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a corrupt file
        raise ValidationFailed(
            "Excel 文件无法读取，请确认是 .xlsx 格式且未损坏", code="invalid_file"
        ) from exc


def _columns(header: list[str], defs: list[Indicator]) -> dict[int, tuple[Indicator, int]]:
    """Column index → (indicator, 0 for 目标 / 1 for 完成); unknown headings are refused."""
    known: dict[str, tuple[Indicator, int]] = {}
    for ind in defs:
        known[heading(ind, TARGET)] = (ind, 0)
        known[heading(ind, ACTUAL)] = (ind, 1)
    found: dict[int, tuple[Indicator, int]] = {}
    for index, text in enumerate(header[2:], start=2):
        if not text:
            continue
        if text not in known:
            raise ValidationFailed(f"表头第{index + 1}列「{text}」不是可填报的指标列")
        found[index] = known[text]
    return found


def import_workbook(*, actor: Any, uploaded: Any, year: Any, quarter: Any) -> ImportResult:
    """Read the entry template for (year, quarter 1–4): 目标 into the year's target report, 完成
    into the quarter's report of each row's node."""
    y, q = check_period(year, quarter)
    if q == TARGET_QUARTER:
        raise ValidationFailed("请选择第1至4季度（目标随季度表一并填报）", code="invalid_period")
    result = ImportResult()
    ws = _open(uploaded).worksheets[0]
    rows = ws.iter_rows(values_only=True)
    title = next(rows, ())
    label = period_label(y, q)
    if not title or not str(title[0] or "").startswith(label):
        result.errors.append(RowError(1, f"表格标题应以「{label}」开头，请下载本期的填报模板"))
        return result
    header = [str(c).strip() if c is not None else "" for c in next(rows, ())]
    if header[:2] != [CODE_COLUMN, NAME_COLUMN]:
        result.errors.append(RowError(2, f"表头前两列应为「{CODE_COLUMN}」「{NAME_COLUMN}」"))
        return result
    defs = list(Indicator.objects.filter(is_active=True))
    try:
        columns = _columns(header, defs)
    except ValidationFailed as exc:
        result.errors.append(RowError(2, exc.detail))
        return result
    # (unit, quarter) -> {indicator code: value}
    plan: dict[tuple[OrgUnit, int], dict[str, Decimal]] = {}
    seen: dict[str, int] = {}
    for index, raw in enumerate(rows, start=3):
        cells = list(raw)
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        if index > MAX_ROWS + 2:
            result.errors.append(RowError(index, f"一次最多导入{MAX_ROWS}行"))
            break
        try:
            code = str(cells[0] or "").strip()
            if not code:
                raise ValidationFailed("单位编码不能为空")
            if code in seen:
                raise ValidationFailed(f"单位编码{code}与第{seen[code]}行重复")
            seen[code] = index
            unit = OrgUnit.objects.for_user(actor, "indicator.report").filter(code=code).first()
            if unit is None:
                raise ValidationFailed(f"找不到单位编码为{code}的单位，或不在您的管辖范围内")
            for col, (ind, part) in columns.items():
                value = cells[col] if col < len(cells) else None
                if value is None or (isinstance(value, str) and not value.strip()):
                    continue
                if ind.level != unit.level:
                    raise ValidationFailed(f"{unit.name}不填报“{ind.name}”，请留空")
                amount = parse_value(value, name=ind.name)
                plan.setdefault((unit, TARGET_QUARTER if part == 0 else q), {})[ind.code] = amount
            for part_q in (TARGET_QUARTER, q):
                if (unit, part_q) not in plan:
                    continue
                existing = Report.objects.filter(org_unit=unit, year=y, quarter=part_q).first()
                if existing is not None and existing.status not in EDITABLE:
                    # Unchanged values in a locked report are fine (re-importing the same file).
                    current = {i.code: entries(existing).get(i.pk) for i in defs}
                    if any(current.get(c) != v for c, v in plan[(unit, part_q)].items()):
                        raise ValidationFailed(
                            f"{unit.name}{existing.period}报表"
                            f"{Status(existing.status).label}，不能导入修改"
                        )
                    del plan[(unit, part_q)]
        except DomainError as exc:
            result.errors.append(RowError(index, f"第{index}行：{exc.detail}"))
    if not seen and not result.errors:
        result.errors.append(RowError(3, "文件中没有数据行"))
    if result.errors:
        return result
    try:
        with transaction.atomic():
            for (unit, part_q), values in plan.items():
                report = report_open(actor=actor, org_unit=unit, year=y, quarter=part_q)
                before = report.version
                report = values_set(actor=actor, report=report, values=values)
                if report.version != before:
                    result.reports += 1
                    result.written += len(values)
    except DomainError as exc:  # a report locked between the check and the write: nothing kept
        result.errors.append(RowError(2, exc.detail))
        result.reports = result.written = 0
    return result
