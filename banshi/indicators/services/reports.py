"""Definitions, and the values of a period report: entered while the report is a draft (or
returned), and once approved (locked) changed only through an audited correction."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from banshi.audit.services import record_change
from banshi.core import versions
from banshi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from banshi.core.permissions import can
from banshi.core.scoping import scope_paths
from banshi.core.validation import clean_text
from banshi.indicators.choices import (
    EDITABLE,
    QUARTERS,
    REPORT,
    TARGET_QUARTER,
    Kind,
    Status,
    period_label,
)
from banshi.indicators.models import Entry, Indicator, Report, ReportEvent
from banshi.indicators.services.lifecycle import may_review
from banshi.orgtree.choices import Level
from banshi.orgtree.models import OrgUnit
from banshi.workflow import engine

DEFINE = "indicator.define"
MAX_VALUE = Decimal("1000000000")
FIRST_YEAR, LAST_YEAR = 2000, 2100


# --- definitions -----------------------------------------------------------------------------------


def may_define(actor: Any) -> bool:
    """Only an admin granted at the city (or province) level adds definitions."""
    if engine.is_system(actor):
        return True
    paths = scope_paths(actor, DEFINE)
    if paths is None:
        return True
    # Unscoped on purpose: the grant's own node, to read its level.
    return (
        OrgUnit.objects.unscoped()
        .filter(path__in=paths, level__in=[Level.PROVINCE, Level.CITY])
        .exists()
    )


def indicator_create(
    *,
    actor: Any,
    code: str,
    name: str,
    unit: str,
    kind: str,
    level: str = Level.DISTRICT,
    description: str = "",
) -> Indicator:
    """Add a definition (city-level admins only)."""
    if not may_define(actor):
        raise PermissionDenied("只有市级管理员可以新增指标", code="not_city_admin")
    code = clean_text(code, field="编码", max_length=40).lower()
    if not re.fullmatch(r"[a-z0-9_-]+", code):
        raise ValidationFailed("编码只能包含小写字母、数字、下划线和连字符", code="invalid_code")
    name = clean_text(name, field="名称", max_length=50)
    unit = clean_text(unit, field="计量单位", max_length=10)
    description = clean_text(description, field="说明", max_length=200, required=False)
    if kind not in Kind.values:
        raise ValidationFailed("统计口径须为增量或存量", code="invalid_kind")
    if level not in Level.values:
        raise ValidationFailed("填报层级无效", code="invalid_level")
    if Indicator.objects.filter(code=code).exists() or Indicator.objects.filter(name=name).exists():
        raise Conflict(f"指标“{name}”或编码“{code}”已存在", code="duplicate_indicator")
    with transaction.atomic():
        indicator = Indicator.objects.create(
            code=code, name=name, unit=unit, kind=kind, level=level, description=description
        )
        record_change(
            actor=actor,
            action="indicator.define",
            obj=indicator,
            before=None,
            after={"code": code, "name": name, "unit": unit, "kind": kind, "level": level},
        )
    return indicator


# --- values --------------------------------------------------------------------------------------


def parse_value(raw: Any, *, name: str) -> Decimal:
    """A non-negative number with at most two decimals (Chinese message naming the indicator)."""
    if isinstance(raw, bool) or raw is None or raw == "":
        raise ValidationFailed(f"“{name}”的数值不能为空", code="invalid_value")
    try:
        value = Decimal(str(raw).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(f"“{name}”的数值“{raw}”不是数字", code="invalid_value") from None
    if not value.is_finite():
        raise ValidationFailed(f"“{name}”的数值“{raw}”不是数字", code="invalid_value")
    if value < 0:
        raise ValidationFailed(f"“{name}”的数值不能为负数", code="negative_value")
    if value >= MAX_VALUE:
        raise ValidationFailed(f"“{name}”的数值过大", code="invalid_value")
    if value != value.quantize(Decimal("0.01")):
        raise ValidationFailed(f"“{name}”的数值最多保留两位小数", code="invalid_value")
    return value.quantize(Decimal("0.01"))


def check_period(year: Any, quarter: Any) -> tuple[int, int]:
    try:
        y, q = int(year), int(quarter)
    except (TypeError, ValueError):
        raise ValidationFailed("年度和季度须为整数", code="invalid_period") from None
    if not FIRST_YEAR <= y <= LAST_YEAR or q not in (TARGET_QUARTER, *QUARTERS):
        raise ValidationFailed("期别无效：季度须为0（年度目标）或1至4", code="invalid_period")
    return y, q


def owned_indicators(org_unit: OrgUnit) -> list[Indicator]:
    """The active indicators this node enters (those whose level is the node's)."""
    return list(Indicator.objects.filter(is_active=True, level=org_unit.level))


def report_open(*, actor: Any, org_unit: OrgUnit, year: Any, quarter: Any) -> Report:
    """The node's report for the period, created as a draft the first time."""
    y, q = check_period(year, quarter)
    if not engine.is_system(actor) and not can(actor, REPORT, org_unit):
        if not can(actor, "indicator.view", org_unit):
            raise NotFound()
        raise PermissionDenied("您无权填报该单位的指标", code="not_reporter")
    if not owned_indicators(org_unit):
        raise ValidationFailed(f"{org_unit.name}不是任何指标的填报层级", code="not_owner_level")
    report, _created = Report.objects.get_or_create(
        org_unit=org_unit,
        year=y,
        quarter=q,
        defaults={"created_by": engine.person(actor)},
    )
    return report


def _check_values(report: Report, values: Mapping[Any, Any]) -> dict[Indicator, Decimal]:
    """Every key an indicator this node owns, every value a valid number; or the first refusal."""
    owned = {i.pk: i for i in owned_indicators(report.org_unit)}
    by_code = {i.code: i for i in owned.values()}
    cleaned: dict[Indicator, Decimal] = {}
    for key, raw in values.items():
        indicator = owned.get(key) if isinstance(key, int) else by_code.get(str(key))
        if indicator is None:
            known = Indicator.objects.filter(
                **({"pk": key} if isinstance(key, int) else {"code": str(key)})
            ).first()
            if known is None:
                raise ValidationFailed(f"没有编码为“{key}”的指标", code="unknown_indicator")
            raise ValidationFailed(
                f"“{known.name}”由{Level(known.level).label}填报，{report.org_unit.name}不能填报",
                code="not_owner_level",
            )
        cleaned[indicator] = parse_value(raw, name=indicator.name)
    return cleaned


def _write_values(report: Report, cleaned: Mapping[Indicator, Decimal]) -> dict[str, Any]:
    """Upsert the entries; returns {code: [before, after]} for what changed."""
    current = {e.indicator_id: e for e in Entry.objects.filter(report=report)}
    changed: dict[str, Any] = {}
    for indicator, value in cleaned.items():
        entry = current.get(indicator.pk)
        if entry is None:
            Entry.objects.create(report=report, indicator=indicator, value=value)
            changed[indicator.code] = [None, str(value)]
        elif entry.value != value:
            Entry.objects.filter(pk=entry.pk).update(value=value)
            changed[indicator.code] = [str(entry.value), str(value)]
    return changed


def values_set(
    *,
    actor: Any,
    report: Report,
    values: Mapping[Any, Any],
    expected_version: int | None = None,
) -> Report:
    """Enter values (keyed by indicator id or code) into a draft or returned report. Nothing is
    written unless every value is valid; unchanged values change nothing (not even the version)."""
    with transaction.atomic():
        report = _load(report.pk)
        if not engine.is_system(actor) and not can(actor, REPORT, report):
            if not can(actor, "indicator.view", report):
                raise NotFound()
            raise PermissionDenied("您无权填报该单位的指标", code="not_reporter")
        versions.check_version(Report, report.pk, expected_version)
        if report.status not in EDITABLE:
            raise Conflict(
                f"{report.period}报表已{Status(report.status).label}，不能直接修改"
                + ("，请申请更正" if report.status == Status.APPROVED else ""),
                code="report_locked",
            )
        cleaned = _check_values(report, values)
        changed = _write_values(report, cleaned)
        if changed:
            versions.write(Report, report.pk, None)
            record_change(
                actor=actor,
                action="indicator.enter",
                obj=report,
                before={k: v[0] for k, v in changed.items()},
                after={k: v[1] for k, v in changed.items()},
            )
        return _load(report.pk)


def value_correct(
    *,
    actor: Any,
    report: Report,
    indicator: Indicator | str,
    value: Any,
    reason: Any,
    expected_version: int | None = None,
    now: datetime.datetime | None = None,
) -> Report:
    """Change a value of an approved (locked) report: only the reviewing level, with a reason, and
    always on the record (ChangeRecord ``indicator.correct`` and a timeline entry)."""
    now = now or timezone.now()
    with transaction.atomic():
        report = _load(report.pk)
        if not engine.is_system(actor) and not can(actor, "indicator.view", report):
            raise NotFound()
        if not may_review(actor, report):
            raise PermissionDenied("锁定的数值只能由上级审核单位更正", code="not_reviewer")
        versions.check_version(Report, report.pk, expected_version)
        if report.status != Status.APPROVED:
            raise Conflict("报表尚未锁定，请由填报单位直接修改", code="not_locked")
        reason_text = clean_text(reason, field="更正理由", max_length=500)
        key = indicator.code if isinstance(indicator, Indicator) else indicator
        cleaned = _check_values(report, {key: value})
        changed = _write_values(report, cleaned)
        if not changed:
            raise ValidationFailed("更正后的数值与原数值相同", code="unchanged")
        versions.write(Report, report.pk, None)
        ((code, (before, after)),) = changed.items()
        record_change(
            actor=actor,
            action="indicator.correct",
            obj=report,
            before={code: before},
            after={code: after, "reason": reason_text},
        )
        ind = next(iter(cleaned))
        ReportEvent.objects.create(
            report=report,
            at=now,
            actor=engine.person(actor),
            action="correct",
            label=gettext_noop("更正"),
            from_status=report.status,
            to_status=report.status,
            note=f"{ind.name}：{before} → {after}；{reason_text}"[:500],
        )
        return _load(report.pk)


def _load(pk: int) -> Report:
    try:
        return Report.objects.select_related("org_unit", "org_unit__parent").get(pk=pk)
    except Report.DoesNotExist:
        raise NotFound() from None


__all__ = ["period_label"]
