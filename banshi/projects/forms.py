"""Turning the ledger forms' POSTs into service arguments, and back into what the forms show.

Units and people are chosen with the search pickers (``views_pickers``), which post ids; several
entries (milestones, 议定事项, 整改事项) come as repeated rows. Every id is looked up within what
the user may choose there — the same rule the pickers offer — so a hand-made POST can name
nothing a picker would not have offered. The services then validate the values."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict

from banshi.accounts.models import User
from banshi.core.errors import DomainError, NotFound, ValidationFailed
from banshi.orgtree.models import OrgUnit
from banshi.orgtree.selectors import get_unit
from banshi.projects import selectors
from banshi.projects.models import Project
from banshi.projects.services import ItemIn, MilestoneIn, ProjectData, project_units

MAX_ROWS = 50


def _id(post: QueryDict | dict[str, Any], name: str) -> str:
    return str(post.get(name, "") or "").strip()


def _rows(post: QueryDict, names: Sequence[str]) -> list[list[str]]:
    """Repeated rows posted as parallel lists (``ms_name``, ``ms_date``…), blank rows dropped."""
    columns = [post.getlist(name) for name in names]
    count = max((len(c) for c in columns), default=0)
    if count > MAX_ROWS:
        raise ValidationFailed(f"一次最多填写{MAX_ROWS}行", code="too_many")
    rows = []
    for i in range(count):
        row = [(c[i] if i < len(c) else "").strip() for c in columns]
        if any(row):
            rows.append(row)
    return rows


def _required_unit(value: str, label: str) -> str:
    if not value:
        raise ValidationFailed(f"请选择{label}", code="required")
    return value


# --- The project form (new project, from requests, edit) ------------------------------------------


def milestone_rows(post: QueryDict) -> list[MilestoneIn]:
    return [MilestoneIn(name, day, weight) for name, day, weight in _rows(post, MILESTONE_FIELDS)]


MILESTONE_FIELDS = ("ms_name", "ms_date", "ms_weight")


def parse_project_form(
    actor: Any, post: QueryDict, *, project: Project | None = None
) -> dict[str, Any]:
    """Arguments for ``project_create`` (no ``project``) or ``project_update``."""
    get = post.get
    data = ProjectData(
        name=get("name", ""),
        source=get("source", ""),
        field=get("field", ""),
        target=get("target", ""),
        target_quantity=get("target_quantity", ""),
        target_unit=get("target_unit", ""),
        handling_type=get("handling_type", ""),
        start_date=get("start_date", ""),
        deadline=get("deadline", ""),
        measures=get("measures", ""),
        responsible_person=get("responsible_person", ""),
        responsible_title=get("responsible_title", ""),
        funds_planned=get("funds_planned", "") or 0,
        min_satisfaction=get("min_satisfaction", "") or None,
        milestones=milestone_rows(post),
    )
    result: dict[str, Any] = {"data": data}
    if project is None:
        org_unit = get_unit(
            actor, _required_unit(_id(post, "org_unit"), "所属单位"), "project.collect"
        )
        result["org_unit"] = org_unit
        result["number"] = get("number", "")
        own: list[OrgUnit] = []
    else:
        org_unit = project.org_unit
        own = project_units(project)
    lead_unit = selectors.get_assignable_unit(
        org_unit, _required_unit(_id(post, "lead_unit"), "牵头单位"), field="牵头单位", extra=own
    )
    result["lead_unit"] = lead_unit
    result["co_units"] = [
        selectors.get_assignable_unit(org_unit, value, field="配合单位", extra=own)
        for value in dict.fromkeys(v.strip() for v in post.getlist("co_units") if v.strip())
    ]
    leader_id = _id(post, "lead_leader")
    result["lead_leader"] = (
        selectors.get_leader(leader_id, [org_unit, lead_unit]) if leader_id else None
    )
    return result


@dataclass
class Picked:
    """What the pickers of a form show as chosen: objects the user may choose, by the posted
    ids (anything else is left unpicked rather than named)."""

    org_unit: OrgUnit | None = None
    lead_unit: OrgUnit | None = None
    co_units: list[OrgUnit] = field(default_factory=list)
    lead_leader: User | None = None
    project: Project | None = None


def _quiet(lookup: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return lookup(*args, **kwargs)
    except DomainError:
        return None


def picked_for_project(
    actor: Any, values: QueryDict | dict[str, Any], *, project: Project | None = None
) -> Picked:
    picked = Picked()
    if project is None:
        if _id(values, "org_unit"):
            picked.org_unit = _quiet(get_unit, actor, _id(values, "org_unit"), "project.collect")
        place, own = picked.org_unit, []
    else:
        place, own = project.org_unit, project_units(project)
    if place is None:
        return picked
    if _id(values, "lead_unit"):
        picked.lead_unit = _quiet(
            selectors.get_assignable_unit, place, _id(values, "lead_unit"), field="", extra=own
        )
    co = values.getlist("co_units") if isinstance(values, QueryDict) else values.get("co_units")
    for value in co or []:
        unit = _quiet(selectors.get_assignable_unit, place, value, field="", extra=own)
        if unit is not None and unit not in picked.co_units:
            picked.co_units.append(unit)
    if _id(values, "lead_leader"):
        units = [u for u in (place, picked.lead_unit) if u is not None]
        picked.lead_leader = _quiet(selectors.get_leader, _id(values, "lead_leader"), units)
    return picked


def milestones_shown(values: QueryDict | dict[str, Any]) -> list[dict[str, str]]:
    """The milestone rows to show: as posted, or the initial ones (at least one empty row)."""
    if isinstance(values, QueryDict):
        rows = [dict(zip(("name", "date", "weight"), r, strict=True)) for r in _safe_rows(values)]
    else:
        rows = list(values.get("milestone_rows") or [])  # type: ignore[arg-type]
    return rows or [{"name": "", "date": "", "weight": ""}]


def _safe_rows(post: QueryDict) -> list[list[str]]:
    try:
        return _rows(post, MILESTONE_FIELDS)
    except ValidationFailed:
        return []


def project_initial(project: Project) -> dict[str, Any]:
    return {
        "name": project.name,
        "source": project.source,
        "field": project.field,
        "target": project.target,
        "target_quantity": project.target_quantity,
        "target_unit": project.target_unit,
        "handling_type": project.handling_type,
        "start_date": project.start_date.isoformat(),
        "deadline": project.deadline.isoformat(),
        "measures": project.measures,
        "responsible_person": project.responsible_person,
        "responsible_title": project.responsible_title,
        "funds_planned": project.funds_planned,
        "min_satisfaction": project.min_satisfaction or "",
        # The version the form was opened at: saving over someone else's save is refused (409).
        "version": str(project.version),
        "lead_unit": str(project.lead_unit_id),
        "co_units": [str(u.pk) for u in project.co_units.all()],
        "lead_leader": str(project.lead_leader_id or ""),
        "milestone_rows": [
            {"name": m.name, "date": f"{m.planned_date:%Y-%m-%d}", "weight": str(m.weight)}
            for m in project.milestones.all()
            if not m.completed_on
        ],
    }


# --- Supervised items (议定事项, 整改事项) as rows ----------------------------------------------

ITEM_FIELDS = ("item_content", "item_unit", "item_due", "item_person")


def parse_item_rows(
    post: QueryDict, place: OrgUnit, *, extra: Sequence[OrgUnit] = ()
) -> list[ItemIn]:
    """Rows of 事项 / 责任单位 (picked) / 完成时限 / 责任人; the unit must serve ``place``."""
    items = []
    for n, (content, unit_id, due, person) in enumerate(_rows(post, ITEM_FIELDS), start=1):
        if not unit_id:
            raise ValidationFailed(f"请为第{n}个事项选择责任单位", code="required")
        unit = selectors.get_assignable_unit(
            place, unit_id, field=f"第{n}个事项的责任单位", extra=extra
        )
        items.append(ItemIn(content, unit, due, person))
    return items


def item_rows_shown(
    post: QueryDict | None, place: OrgUnit | None, *, extra: Sequence[OrgUnit] = ()
) -> list[dict[str, Any]]:
    """The rows to show again after a refusal (at least one empty row)."""
    rows: list[dict[str, Any]] = []
    if post is not None:
        try:
            posted = _rows(post, ITEM_FIELDS)
        except ValidationFailed:
            posted = []
        for content, unit_id, due, person in posted:
            unit = None
            if unit_id and place is not None:
                unit = _quiet(selectors.get_assignable_unit, place, unit_id, field="", extra=extra)
            rows.append({"content": content, "unit": unit, "due": due, "person": person})
    return rows or [{"content": "", "unit": None, "due": "", "person": ""}]


def picked_project(actor: Any, value: str) -> Project | None:
    """A project chosen with the project picker, in the user's sight (else 404)."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return selectors.get_project(actor, value)
    except NotFound:
        raise NotFound("所选项目不存在或不在您的管辖范围内") from None
