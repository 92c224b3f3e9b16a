"""Importing the household register from Excel: row-by-row Chinese errors, all or nothing, and
idempotent.

One row is one resident; the household columns (微网格, 门牌, 地址, 标签) repeat on each of its
rows. A household's natural key is its micro-grid and address: a household already registered
there is updated (tags, 门牌), one not yet there is created; residents are matched by name within
their household, and a blank or masked phone or ID number keeps the one on record. So importing the same file twice changes nothing the second time, and a file
exported from the register (``grid.exports``, phones masked) imports back without touching the
phones it masked. Residents missing from the file are left as they are: an import adds and
corrects, archiving is a person's decision.

Nothing is written unless every row is valid; a write refused halfway (a 门牌 already taken by
another household under the grid) rolls the whole import back and is reported by row.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from banshi.audit.services import record_change
from banshi.core.errors import DomainError, ValidationFailed
from banshi.grid.models import Household, HouseholdTag
from banshi.grid.services.register import (
    GRID_LEVELS,
    clean_resident,
    clean_tags,
    household_create,
    household_update,
    require_on,
    resident_add,
    resident_update,
)
from banshi.orgtree.models import OrgUnit

COLUMNS = ["微网格", "门牌", "地址", "标签", "姓名", "与户主关系", "手机号", "身份证号", "党员"]
REQUIRED = ["微网格", "地址", "姓名"]
MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
TRUE_WORDS = {"是", "党员", "y", "yes", "true", "1", "√"}
FALSE_WORDS = {"", "否", "n", "no", "false", "0", "群众"}
MAX_ERRORS_IN_DETAIL = 20


@dataclass
class ImportReport:
    households_created: int = 0
    households_updated: int = 0
    households_unchanged: int = 0
    residents_created: int = 0
    residents_updated: int = 0
    residents_unchanged: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.households_created
            + self.households_updated
            + self.residents_created
            + self.residents_updated
        )


@dataclass
class _Person:
    row: int
    name: str
    relation: str
    mobile: str | None  # None: blank or masked in the file, keep what the register holds
    id_number: str | None
    is_party_member: bool


@dataclass
class _House:
    row: int
    grid: OrgUnit
    address: str
    label: str
    tags: list[str]
    people: list[_Person] = field(default_factory=list)


def import_failed(errors: list[str]) -> ValidationFailed:
    shown = "；".join(errors[:MAX_ERRORS_IN_DETAIL])
    more = (
        f"；另有{len(errors) - MAX_ERRORS_IN_DETAIL}处"
        if len(errors) > MAX_ERRORS_IN_DETAIL
        else ""
    )
    return ValidationFailed(
        f"导入未执行，共{len(errors)}处错误：{shown}{more}", code="import_invalid", errors=errors
    )


def _rows(data: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    if len(data) > MAX_BYTES:
        raise ValidationFailed("文件超过5MB", code="file_too_large")
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise ValidationFailed("文件不是有效的 Excel（.xlsx）文件", code="invalid_file") from exc
    sheet = book.worksheets[0] if book.worksheets else None
    if sheet is None:
        raise ValidationFailed("文件中没有工作表", code="invalid_file")
    rows: list[tuple[int, list[str]]] = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = ["" if v is None else str(v).strip() for v in values]
        if any(cells):
            rows.append((number, cells))
        if len(rows) > MAX_ROWS + 1:
            raise ValidationFailed(f"一次最多导入{MAX_ROWS}行", code="too_many_rows")
    book.close()
    return rows


def _masked(text: str) -> bool:
    return "*" in text


def _grids_under(unit: OrgUnit) -> dict[str, list[OrgUnit]]:
    grids: dict[str, list[OrgUnit]] = {}
    for grid in OrgUnit.objects.filter(path__startswith=unit.path, level__in=GRID_LEVELS):
        grids.setdefault(grid.name, []).append(grid)
    return grids


def _parse(unit: OrgUnit, rows: list[tuple[int, list[str]]]) -> tuple[list[_House], list[str]]:
    if not rows:
        raise ValidationFailed("文件是空的", code="empty_file")
    header_row, header = rows[0]
    index = {name: header.index(name) for name in COLUMNS if name in header}
    missing = [name for name in REQUIRED if name not in index]
    if missing:
        raise ValidationFailed(
            f"第{header_row}行表头缺少列：{'、'.join(missing)}（应为：{'、'.join(COLUMNS)}）",
            code="missing_columns",
        )

    def cell(cells: list[str], name: str) -> str:
        i = index.get(name)
        return cells[i] if i is not None and i < len(cells) else ""

    grids = _grids_under(unit)
    houses: dict[tuple[int, str], _House] = {}
    seen: dict[tuple[int, str, str], int] = {}
    errors: list[str] = []
    for number, cells in rows[1:]:
        try:
            grid_name = cell(cells, "微网格")
            found = grids.get(grid_name, [])
            if not grid_name:
                raise ValidationFailed("微网格不能为空")
            if not found:
                raise ValidationFailed(f"“{unit.name}”下没有名为“{grid_name}”的微网格或社区")
            if len(found) > 1:
                raise ValidationFailed(
                    f"“{unit.name}”下有{len(found)}个“{grid_name}”，请按党支部分别导入"
                )
            grid = found[0]
            address = cell(cells, "地址")
            if not address:
                raise ValidationFailed("地址不能为空")
            if len(address) > 200:
                raise ValidationFailed("地址不能超过200个字符")
            label = cell(cells, "门牌") or address[:100]
            tag_text = cell(cells, "标签").replace("，", "、").replace(",", "、")
            tags = clean_tags([t for t in tag_text.split("、") if t.strip()])
            raw_mobile, raw_id = cell(cells, "手机号"), cell(cells, "身份证号")
            # A row without a person registers the household alone (an empty flat, a new build).
            person: _Person | None = None
            if cell(cells, "姓名") or raw_mobile or raw_id:
                name, relation, mobile, id_number = clean_resident(
                    cell(cells, "姓名"),
                    cell(cells, "与户主关系") or "户主",
                    "" if _masked(raw_mobile) else raw_mobile,
                    "" if _masked(raw_id) else raw_id,
                )
                party = cell(cells, "党员").lower()
                if party not in TRUE_WORDS | FALSE_WORDS:
                    raise ValidationFailed("“党员”一列只能填“是”或“否”")
                person = _Person(
                    number,
                    name,
                    relation,
                    # Blank or masked: keep what the register holds (an import never erases).
                    mobile or None,
                    id_number or None,
                    party in TRUE_WORDS,
                )
            key = (grid.pk, address)
            house = houses.get(key)
            if house is None:
                house = _House(number, grid, address, label, tags)
            else:
                if cell(cells, "标签") and tags != house.tags:
                    raise ValidationFailed(f"与第{house.row}行是同一住户，但标签不一致")
                if cell(cells, "门牌") and label != house.label:
                    raise ValidationFailed(f"与第{house.row}行是同一住户，但门牌不一致")
                if person is None:
                    raise ValidationFailed(f"与第{house.row}行重复（同一住户）")
            if person is not None:
                person_key = (grid.pk, address, person.name)
                if person_key in seen:
                    raise ValidationFailed(f"与第{seen[person_key]}行重复（同一住户、同一姓名）")
                seen[person_key] = number
                house.people.append(person)
            houses[key] = house
        except DomainError as exc:
            errors.append(f"第{number}行：{exc.detail}")
    if not houses and not errors:
        errors.append("文件中没有住户数据")
    return list(houses.values()), errors


def _apply(actor: Any, house: _House, report: ImportReport) -> None:
    # The natural key is global: a household at this address is the same one whoever imports.
    existing = (
        Household.objects.unscoped()
        .select_related("org_unit", "grid")
        .filter(grid=house.grid, address=house.address, archived_at=None)
        .first()
    )
    if existing is None:
        household = household_create(
            actor=actor, grid=house.grid, label=house.label, address=house.address, tags=house.tags
        )
        report.households_created += 1
    else:
        household = existing
        if sorted(existing.tags) != sorted(house.tags) or existing.org_unit.name != house.label:
            household = household_update(
                actor=actor,
                household=existing,
                label=house.label if existing.org_unit.name != house.label else None,
                tags=house.tags,
            )
            report.households_updated += 1
        else:
            report.households_unchanged += 1
    current = {r.name: r for r in household.residents.filter(archived_at=None)}
    for person in house.people:
        resident = current.get(person.name)
        if resident is None:
            resident_add(
                actor=actor,
                household=household,
                name=person.name,
                relation=person.relation,
                mobile=person.mobile or "",
                id_number=person.id_number or "",
                is_party_member=person.is_party_member,
            )
            report.residents_created += 1
            continue
        same = (
            resident.relation == person.relation
            and resident.is_party_member == person.is_party_member
            and person.mobile in (None, resident.mobile)
            and person.id_number in (None, resident.id_number)
        )
        if same:
            report.residents_unchanged += 1
            continue
        resident_update(
            actor=actor,
            resident=resident,
            name=person.name,
            relation=person.relation,
            mobile=person.mobile,
            id_number=person.id_number,
            is_party_member=person.is_party_member,
        )
        report.residents_updated += 1
    if HouseholdTag.ELDERLY_ALONE in house.tags:
        members = household.residents.filter(archived_at=None).count()
        if members > 1:
            report.warnings.append(
                f"第{house.row}行：住户“{house.address}”标注为独居老人，但登记了{members}名成员，请核实"
            )


def import_households(*, actor: Any, unit: OrgUnit, data: bytes) -> ImportReport:
    """Import a register file under ``unit`` (a community, branch or micro-grid the actor
    manages households in)."""
    require_on(actor, "household.manage", unit)
    houses, errors = _parse(unit, _rows(data))
    if errors:
        raise import_failed(errors)
    report = ImportReport()
    with transaction.atomic():
        for house in houses:
            try:
                _apply(actor, house, report)
            except DomainError as exc:
                errors.append(f"第{house.row}行：{exc.detail}")
        if errors:
            raise import_failed(errors)
        if report.changed:
            record_change(
                actor=actor,
                action="household.import",
                obj=unit,
                before=None,
                after={
                    "households_created": report.households_created,
                    "households_updated": report.households_updated,
                    "residents_created": report.residents_created,
                    "residents_updated": report.residents_updated,
                },
            )
    return report
