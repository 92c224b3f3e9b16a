"""The search endpoints behind the ledger forms' pickers (the request pages' picker, see
``workorders/_unitpicker.html``). Each answers htmx with result buttons and offers only what the
asker may choose there: units where they may run a project, hold a meeting, own a list or link a
leader; for assignments the units that serve the place (``assignment``); the leaders of a place;
the projects in their sight."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from banshi.core.errors import NotFound
from banshi.core.permissions import can, require
from banshi.core.validation import is_digits
from banshi.orgtree.choices import Level
from banshi.orgtree.models import OrgUnit
from banshi.orgtree.selectors import get_unit, visible_units
from banshi.projects import selectors
from banshi.projects.models import Project
from banshi.projects.permissions import can_project
from banshi.projects.services.supervision import LINK_LEVELS, project_units

LIMIT = 30
# A project, a list or a meeting belongs to a community at the lowest, never a branch or grid.
NOT_A_HOME = [Level.BRANCH, Level.MICROGRID, Level.HOUSEHOLD]
# Units where the asker acts, by purpose: (the action they need there, the levels offered).
HOMES: dict[str, tuple[str, list[str] | None]] = {
    "project": ("project.collect", None),
    "meeting": ("project.lead", None),
    "list": ("project.approve", None),
    "link": ("project.link", sorted({lv for levels in LINK_LEVELS.values() for lv in levels})),
}
# Who may give work at a place: whoever collects or manages projects, leads or supervises there.
ASSIGNERS = ("project.collect", "project.manage", "project.lead", "project.supervise")
# Who may name a leader for a place: whoever collects or manages projects there, or sets 联点.
LEADER_NAMERS = ("project.collect", "project.manage", "project.link")
TARGETS = {
    "org_unit",
    "lead_unit",
    "co_units",
    "lead_leader",
    "leader",
    "item_unit",
    "project",
    "merge_into",
}


def _target(request: HttpRequest) -> str:
    target = request.GET.get("target", "")[:20]
    if target not in TARGETS:
        raise NotFound("未知的选择项")
    return target


def _query(request: HttpRequest) -> str:
    return request.GET.get("q", "").strip()[:50]


def _ids(request: HttpRequest, name: str) -> list[str]:
    return [v.strip() for v in request.GET.get(name, "")[:100].split(",") if v.strip()][:2]


def _by_name(units: QuerySet[OrgUnit], query: str) -> list[OrgUnit]:
    if query:
        condition = Q(name__icontains=query)
        if is_digits(query):
            condition |= Q(code__startswith=query)
        units = units.filter(condition)
    else:  # an empty box lists the larger units first, not every community
        units = units.exclude(level__in=[Level.COMMUNITY, *NOT_A_HOME])
    return list(units.select_related("parent").order_by("depth", "path")[:LIMIT])


def _acted_project(request: HttpRequest, actions: tuple[str, ...]) -> Project | None:
    """The ``project`` of the form, which the asker must be able to act on (else 404)."""
    ids = _ids(request, "project")
    if not ids:
        return None
    project = selectors.get_project(request.user, ids[0])
    if not any(can_project(request.user, action, project) for action in actions):
        raise NotFound()
    return project


def _places(request: HttpRequest, names: tuple[str, ...], actions: tuple[str, ...]) -> list[Any]:
    """The units picked in the form's ``names`` fields; the asker must act at each (else 404)."""
    places = [get_unit(request.user, value) for name in names for value in _ids(request, name)]
    for place in places:
        if not any(can(request.user, action, place) for action in actions):
            raise NotFound()
    return places


def _unit_results(
    request: HttpRequest, units: list[OrgUnit], query: str, empty: str = ""
) -> HttpResponse:
    context = {"units": units, "query": query, "target": _target(request), "empty": empty}
    return render(request, "projects/_pick_units.html", context)


@login_required
@require_GET
def pick_units(request: HttpRequest) -> HttpResponse:
    """Units for a ledger form. ``for``: ``project``/``meeting``/``list``/``link`` — where the
    asker may run a project, hold a 现场办公 meeting, own a list or link a leader; ``assign`` —
    the units that serve the ``org_unit`` picked in the form (or the ``project``'s place), the
    only ones work there may be given to."""
    kind = request.GET.get("for", "")[:20]
    query = _query(request)
    if kind in HOMES:
        action, levels = HOMES[kind]
        require(request.user, action)
        units = visible_units(request.user, action).exclude(level__in=NOT_A_HOME)
        if levels:
            units = units.filter(level__in=levels)
        return _unit_results(request, _by_name(units, query), query)
    if kind != "assign":
        raise NotFound("未知的单位选择")
    project = _acted_project(request, ASSIGNERS)
    if project is not None:
        units = selectors.assignable_units(project.org_unit, project_units(project))
        return _unit_results(request, _by_name(units, query), query)
    places = _places(request, ("org_unit",), ASSIGNERS)
    if not places:
        return _unit_results(request, [], query, gettext("请先选择所属单位或所在单位"))
    return _unit_results(request, _by_name(selectors.assignable_units(places[0]), query), query)


@login_required
@require_GET
def pick_people(request: HttpRequest) -> HttpResponse:
    """Leaders for a ledger form (牵头领导, 联点领导): people whose leader's grant reaches the
    ``org_unit`` or ``lead_unit`` picked in the form (or the ``project``'s place)."""
    if request.GET.get("for", "") != "leader":
        raise NotFound("未知的人员选择")
    target = _target(request)
    query = _query(request)
    project = _acted_project(request, LEADER_NAMERS)
    home: OrgUnit | None
    own: list[OrgUnit]
    if project is not None:
        home, own = project.org_unit, project_units(project)
        places = [home, project.lead_unit]
    else:
        homes = _places(request, ("org_unit",), LEADER_NAMERS)
        home, own = (homes[0] if homes else None), []
        places = homes
    if home is not None:  # the lead unit just picked, which serves the place (maybe out of sight)
        places += [
            selectors.get_assignable_unit(home, value, field="牵头单位", extra=own)
            for value in _ids(request, "lead_unit")
        ]
    context: dict[str, Any] = {"people": [], "query": query, "target": target, "empty": ""}
    if not places:
        context["empty"] = gettext("请先选择单位")
    else:
        people = selectors.leaders_at(places)
        if query:
            people = people.filter(name__icontains=query)
        context["people"] = list(people[:LIMIT])
    return render(request, "projects/_pick_people.html", context)


@login_required
@require_GET
def pick_projects(request: HttpRequest) -> HttpResponse:
    """Projects in the asker's sight, by number or name (a meeting's or a 联点's project)."""
    require(request.user, "project.view")
    target = _target(request)
    query = _query(request)
    projects = selectors.visible_projects(request.user).select_related("org_unit")
    if query:
        projects = projects.filter(Q(name__icontains=query) | Q(number__icontains=query))
    found = list(projects.order_by("-start_date", "-id")[:LIMIT])
    context = {"projects": found, "query": query, "target": target}
    return render(request, "projects/_pick_projects.html", context)


def picker_urls(project: Project | None = None) -> dict[str, str]:
    """The search URLs a ledger form's pickers use (``project``: the form edits that project)."""
    units, people = reverse("projects:pick_units"), reverse("projects:pick_people")
    suffix = f"&project={project.pk}" if project is not None else ""
    return {
        "project_home": f"{units}?for=project",
        "meeting_home": f"{units}?for=meeting",
        "list_home": f"{units}?for=list",
        "link_home": f"{units}?for=link",
        "assign": f"{units}?for=assign{suffix}",
        "leader": f"{people}?for=leader{suffix}",
        "projects": f"{reverse('projects:pick_projects')}?for=project",
    }
