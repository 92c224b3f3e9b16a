"""The 台账 as Excel: the export officials exchange (every text written as text, never a formula:
``core.exports``), and the import that checks every row first and applies nothing unless every row
is right."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from banshi.accounts.models import User
from banshi.accounts.selectors import active_users_named
from banshi.core.choices import Colour
from banshi.core.errors import DomainError, PermissionDenied, ValidationFailed
from banshi.core.exports import append_row
from banshi.core.permissions import can, require
from banshi.core.scoping import path_allowed
from banshi.core.validation import clean_text
from banshi.orgtree.models import OrgUnit
from banshi.orgtree.selectors import visible_units
from banshi.projects import conf
from banshi.projects.assignment import assignable_units
from banshi.projects.models import Project, ProjectList
from banshi.projects.selectors import visible_lists
from banshi.projects.services.imports import PreparedRow, projects_import
from banshi.projects.services.ledger import MilestoneIn, ProjectData, clean_project_data

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_IMPORT_ROWS = 2000

# The 台账 column layout: (header, width).
LEDGER_COLUMNS: list[tuple[str, int]] = [
    ("序号", 6),
    ("项目编号", 14),
    ("项目名称", 30),
    ("所在清单", 26),
    ("清单层级", 12),
    ("批次", 10),
    ("来源", 12),
    ("领域", 10),
    ("目标任务", 30),
    ("目标数量", 10),
    ("计量单位", 8),
    ("主要措施", 36),
    ("办理类型", 8),
    ("牵头领导", 10),
    ("牵头单位", 20),
    ("配合单位", 24),
    ("责任人", 10),
    ("开始时间", 11),
    ("完成时限", 11),
    ("计划资金（万元）", 12),
    ("已完成投资（万元）", 12),
    ("已审核进度（%）", 10),
    ("预警", 8),
    ("7天未更新", 8),
    ("状态", 10),
    ("督办次数", 8),
    ("时限调整次数", 8),
    ("销号时间", 11),
    ("预警原因", 36),
]

FILLS: dict[str, str] = {
    Colour.RED: "F8CBCB",
    Colour.YELLOW: "FFF2B3",
    Colour.BLUE: "CFE2FF",
    Colour.GREEN: "D5F0DC",
    Colour.PAUSED: "EEEEEE",
    Colour.DONE: "E6E6E6",
}
THIN = Side(style="thin", color="999999")


def _ledger_row(index: int, p: Project) -> list[Any]:
    lag = p.lag  # type: ignore[attr-defined]
    entries = list(p.list_entries.all())
    lists = [e.project_list for e in entries]
    return [
        index,
        p.number,
        p.name,
        "；".join(str(pl) for pl in lists),
        "；".join(dict.fromkeys(str(pl.get_level_display()) for pl in lists)),
        "；".join(dict.fromkeys(pl.batch for pl in lists if pl.batch)),
        p.get_source_display(),
        p.get_field_display(),
        p.target,
        float(p.target_quantity),
        p.target_unit,
        p.measures,
        p.get_handling_type_display(),
        p.lead_leader.name if p.lead_leader else "",
        p.lead_unit.name,
        "、".join(u.name for u in p.co_units.all()),
        p.responsible_person,
        p.start_date,
        p.deadline,
        float(p.funds_planned),
        float(p.funds_spent),
        p.progress_percent,
        lag.short,
        "是" if lag.stale else "",
        p.get_status_display(),
        p.supervise_count,
        p.deadline_change_count,
        timezone.localdate(p.closed_at) if p.closed_at else None,
        lag.reason,
    ]


def _sheet(
    wb: Workbook,
    title: str,
    heading: str,
    columns: Sequence[tuple[str, int]],
    rows: Iterable[Sequence[Any]],
    fills: Sequence[str | None] | None = None,
) -> None:
    ws = wb.create_sheet(title[:31])
    append_row(ws, [heading])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    append_row(ws, [c for c, _ in columns])
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEEEEE")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
    for i, (_, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for r, row in enumerate(rows):
        append_row(ws, row)
        colour = fills[r] if fills else None
        for cell in ws[ws.max_row]:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
            if isinstance(cell.value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
            if colour in FILLS:
                cell.fill = PatternFill("solid", fgColor=FILLS[colour])
    ws.freeze_panes = "C3"


def ledger_workbook(
    projects: Sequence[Project],
    heading: str,
    *,
    extra_sheets: Sequence[tuple[str, str, Sequence[tuple[str, int]], list[list[Any]]]] = (),
) -> bytes:
    """The ledger in the 台账 layout (projects must carry ``lag``), plus any extra sheets."""
    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    rows = [_ledger_row(i, p) for i, p in enumerate(projects, start=1)]
    fills = [p.lag.colour for p in projects]  # type: ignore[attr-defined]
    _sheet(wb, "台账", heading, LEDGER_COLUMNS, rows, fills)
    for title, sheet_heading, columns, sheet_rows in extra_sheets:
        _sheet(wb, title, sheet_heading, columns, sheet_rows)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- Import ----------------------------------------------------------------------------------

IMPORT_COLUMNS = [
    "项目编号",
    "项目名称",
    "所属单位",
    "所在清单",
    "来源",
    "领域",
    "目标任务",
    "目标数量",
    "计量单位",
    "主要措施",
    "办理类型",
    "牵头领导",
    "牵头单位",
    "配合单位",
    "责任人",
    "责任人职务",
    "开始时间",
    "完成时限",
    "计划资金（万元）",
    "节点计划",
]
DATE_COLUMNS = {"开始时间", "完成时限"}
NUMBER_COLUMNS = {"目标数量", "计划资金（万元）"}
IMPORT_NOTE = (
    "说明：所属单位、牵头单位、配合单位填区划代码或单位全称；多个配合单位、清单用“；”分隔；"
    "节点计划每行一个，格式为“节点内容|2026-05-31|权重”；日期格式 2026-03-31。"
)


def import_template() -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "导入"
    append_row(ws, IMPORT_COLUMNS)
    for i, header in enumerate(IMPORT_COLUMNS, start=1):
        ws.cell(row=1, column=i).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(i)].width = max(10, len(header) * 2 + 2)
    append_row(
        ws,
        [
            "",
            "示例：某社区加装电梯",
            "430105016005",
            "",
            "群众点单",
            "梯位",
            "为老旧小区加装电梯",
            4,
            "台",
            "摸底、设计、招标、施工、验收",
            "限期办",
            "",
            "430105016",
            "",
            "张三",
            "街道办事处副主任",
            "2026-03-01",
            "2026-10-31",
            120,
            "完成设计|2026-04-30|20\n完成施工|2026-09-30|60\n验收|2026-10-31|20",
        ],
    )
    notes = wb.create_sheet("说明")
    append_row(notes, [IMPORT_NOTE])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@dataclass
class RowError:
    row: int
    message: str


@dataclass
class ImportResult:
    created: list[Project] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class _Resolver:
    """Looks names and codes up within what the importing user can see, caching per file."""

    def __init__(self, actor: Any):
        self.actor = actor
        self.units: dict[tuple[str, int | None], OrgUnit] = {}
        # Only the lists the importer may see: the name of a list elsewhere, or that another
        # district has a list of the same name, is not theirs to learn.
        lists = list(
            # Unscoped only for the system (actor None: seeding and commands).
            ProjectList.objects.unscoped() if actor is None else visible_lists(actor).order_by("pk")
        )
        self.lists = {pl.name: pl for pl in lists}
        self.list_names: dict[str, int] = {}
        for pl in lists:
            self.list_names[pl.name] = self.list_names.get(pl.name, 0) + 1

    def unit(self, text: str, column: str, *, place: OrgUnit | None = None) -> OrgUnit:
        """A unit by code or full name: within the importer's sight, or with ``place`` among the
        units that serve it (the 牵头/配合单位 of a project there, ``assignment``)."""
        key = (text, place.pk if place else None)
        if key in self.units:
            return self.units[key]
        if place is not None:
            qs = assignable_units(place)
        elif self.actor is not None:
            qs = visible_units(self.actor)
        else:  # the system (seeding, commands) names units anywhere in the tree
            qs = OrgUnit.objects.unscoped()
        found = list(qs.filter(code=text)[:2]) or list(qs.filter(name=text)[:2])
        if not found:
            if place is not None:
                raise ValidationFailed(f"{column}「{text}」不存在或不负责{place.name}的工作")
            raise ValidationFailed(f"{column}「{text}」不存在或不在您的管辖范围内")
        if len(found) > 1:
            raise ValidationFailed(f"{column}「{text}」对应多个单位，请改填区划代码")
        self.units[key] = found[0]
        return found[0]

    def leader(self, name: str, org_unit: OrgUnit, lead_unit: OrgUnit) -> User:
        candidates = [
            u
            for u in active_users_named(name)
            if path_allowed(u, "project.lead", org_unit.path)
            or path_allowed(u, "project.lead", lead_unit.path)
        ]
        if not candidates:
            raise ValidationFailed(f"牵头领导「{name}」不是该项目所在区域或牵头单位的领导")
        if len(candidates) > 1:
            raise ValidationFailed(f"牵头领导「{name}」有重名，请在系统中录入")
        return candidates[0]

    def project_list(self, name: str) -> ProjectList:
        if self.list_names.get(name, 0) > 1:
            raise ValidationFailed(f"清单「{name}」有多个同名清单，请在系统中列入")
        found = self.lists.get(name)
        if found is None:
            raise ValidationFailed(f"清单「{name}」不存在或不在您的管辖范围内")
        return found


def _cell_text(value: Any, column: str) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        raise ValidationFailed(f"{column}应为文本，不应是日期")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", "；").split("；") if part.strip()]


def _milestones(text: str) -> list[MilestoneIn]:
    items = []
    for line in (x.strip() for x in text.splitlines()):
        if not line:
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 3:
            raise ValidationFailed(f"节点计划「{line}」格式应为“节点内容|2026-05-31|权重”")
        items.append(MilestoneIn(parts[0], parts[1], parts[2]))
    return items


def _prepare(actor: Any, resolver: _Resolver, index: int, values: dict[str, Any]) -> PreparedRow:
    for column in DATE_COLUMNS:
        value = values[column]
        if isinstance(value, int | float) and not isinstance(value, bool):
            raise ValidationFailed(f"{column}应为日期（如2026-03-31），实际为数字{value}")
    for column in NUMBER_COLUMNS:
        value = values[column]
        if isinstance(value, datetime.datetime | datetime.date):
            raise ValidationFailed(f"{column}应为数字，实际为日期")
    text = {
        k: (v if k in DATE_COLUMNS | NUMBER_COLUMNS else _cell_text(v, k))
        for k, v in values.items()
    }
    org_unit = resolver.unit(
        clean_text(text["所属单位"], field="所属单位", max_length=100), "所属单位"
    )
    if actor is not None and not can(actor, "project.collect", org_unit):
        raise PermissionDenied(f"您无权在{org_unit.name}录入实事项目")
    lead_unit = resolver.unit(
        clean_text(text["牵头单位"], field="牵头单位", max_length=100), "牵头单位", place=org_unit
    )
    co_units = [
        resolver.unit(name, "配合单位", place=org_unit) for name in _split(text["配合单位"])
    ]
    leader_name = clean_text(text["牵头领导"], field="牵头领导", max_length=50, required=False)
    leader = resolver.leader(leader_name, org_unit, lead_unit) if leader_name else None
    lists = [resolver.project_list(name) for name in _split(text["所在清单"])]
    if lists and actor is not None and not can(actor, "project.approve", org_unit):
        raise PermissionDenied("您无权将项目列入清单，请清空“所在清单”列")
    data = ProjectData(
        name=text["项目名称"],
        source=text["来源"],
        field=text["领域"],
        target=text["目标任务"],
        target_quantity=text["目标数量"],
        target_unit=text["计量单位"],
        handling_type=text["办理类型"],
        start_date=text["开始时间"],
        deadline=text["完成时限"],
        measures=text["主要措施"],
        responsible_person=text["责任人"],
        responsible_title=text["责任人职务"],
        funds_planned=text["计划资金（万元）"],
        milestones=_milestones(text["节点计划"]),
    )
    clean_project_data(data)  # every field rule, before anything is written
    number = clean_text(text["项目编号"], field="项目编号", max_length=40, required=False)
    return PreparedRow(index, number, data, org_unit, lead_unit, co_units, leader, lists)


def import_ledger(*, actor: Any, uploaded: Any) -> ImportResult:
    """Check every row; when all are right create them all in one transaction, else create none."""
    if actor is not None:
        require(actor, "project.manage")
    result = ImportResult()
    if uploaded is None:
        raise ValidationFailed("请选择要导入的 Excel 文件", code="required")
    if uploaded.size > conf.max_upload_bytes():
        raise ValidationFailed("Excel 文件过大（上限10MB）", code="too_large")
    uploaded.seek(0)
    head = uploaded.read(4)
    uploaded.seek(0)
    if head != b"PK\x03\x04":
        raise ValidationFailed("文件不是有效的 Excel（.xlsx）文件", code="invalid_file")
    try:
        wb = load_workbook(uploaded, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a corrupt file
        raise ValidationFailed(
            "Excel 文件无法读取，请确认是 .xlsx 格式且未损坏", code="invalid_file"
        ) from exc
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [str(c).strip() if c is not None else "" for c in next(rows, ())]
    while header and header[-1] == "":
        header.pop()
    if header != IMPORT_COLUMNS:
        for i, expected in enumerate(IMPORT_COLUMNS):
            actual = header[i] if i < len(header) else "（缺失）"
            if actual != expected:
                result.errors.append(
                    RowError(1, f"表头第{i + 1}列应为「{expected}」，实际为「{actual}」")
                )
                break
        else:
            result.errors.append(RowError(1, f"表头多出{len(header) - len(IMPORT_COLUMNS)}列"))
        return result
    resolver = _Resolver(actor)
    prepared: list[PreparedRow] = []
    seen_numbers: dict[str, int] = {}
    for index, raw in enumerate(rows, start=2):
        cells = list(raw)[: len(IMPORT_COLUMNS)]
        cells += [None] * (len(IMPORT_COLUMNS) - len(cells))
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        if index - 1 > MAX_IMPORT_ROWS:
            result.errors.append(RowError(index, f"一次最多导入{MAX_IMPORT_ROWS}行"))
            break
        try:
            row = _prepare(actor, resolver, index, dict(zip(IMPORT_COLUMNS, cells, strict=True)))
            if row.number:
                if row.number in seen_numbers:
                    raise ValidationFailed(
                        f"项目编号{row.number}与第{seen_numbers[row.number]}行重复"
                    )
                # Unscoped: a number is unique across the whole ledger; only "taken" is told.
                if Project.objects.unscoped().filter(number=row.number).exists():
                    raise ValidationFailed(f"项目编号{row.number}已存在")
                seen_numbers[row.number] = index
            prepared.append(row)
        except DomainError as exc:
            result.errors.append(RowError(index, exc.detail))
    if not prepared and not result.errors:
        result.errors.append(RowError(2, "文件中没有数据行"))
    if result.errors:
        return result
    try:
        result.created = projects_import(actor=actor, rows=prepared)
    except DomainError as exc:  # a row that passed the checks but lost a race; nothing is kept
        result.errors.append(RowError(exc.extra.get("row", 2), exc.detail))
    return result
