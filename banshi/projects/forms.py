"""Turning the project form's POST into service arguments (the service validates the values)."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict

from banshi.core.validation import clean_text
from banshi.projects.excel import _milestones, _Resolver, _split
from banshi.projects.models import Project
from banshi.projects.services import ProjectData


def parse_project_form(
    actor: Any, post: QueryDict, *, project: Project | None = None
) -> dict[str, Any]:
    """Arguments for ``project_create`` (no ``project``) or ``project_update``."""
    resolver = _Resolver(actor)
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
        milestones=_milestones(
            clean_text(get("milestones", ""), field="节点计划", max_length=5000, required=False)
        ),
    )
    lead_unit = resolver.unit(
        clean_text(get("lead_unit", ""), field="牵头单位", max_length=100), "牵头单位"
    )
    co_units = [
        resolver.unit(name, "配合单位")
        for name in _split(
            clean_text(get("co_units", ""), field="配合单位", max_length=1000, required=False)
        )
    ]
    result: dict[str, Any] = {"data": data, "lead_unit": lead_unit, "co_units": co_units}
    leader_name = clean_text(
        get("lead_leader", ""), field="牵头领导", max_length=50, required=False
    )
    if project is None:
        org_unit = resolver.unit(
            clean_text(get("org_unit", ""), field="所属单位", max_length=100), "所属单位"
        )
        result["org_unit"] = org_unit
        result["number"] = get("number", "")
    else:
        org_unit = project.org_unit
    if leader_name:
        result["lead_leader"] = resolver.leader(leader_name, org_unit, lead_unit)
    return result


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
        "lead_unit": project.lead_unit.code or project.lead_unit.name,
        "co_units": "；".join(u.code or u.name for u in project.co_units.all()),
        "lead_leader": project.lead_leader.name if project.lead_leader else "",
        "milestones": "\n".join(
            f"{m.name}|{m.planned_date:%Y-%m-%d}|{m.weight}"
            for m in project.milestones.all()
            if not m.completed_on
        ),
    }
