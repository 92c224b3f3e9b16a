"""Reads of the party grid: the register, members and links, visits and the figures per node
(coverage, visit completion) computed by grouped queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from banshi.core.errors import NotFound
from banshi.core.validation import parse_id
from banshi.grid.models import (
    FiveKind,
    GridTally,
    Household,
    HouseholdClass,
    HouseholdLink,
    LedgerItem,
    PartyMember,
    Resident,
    Tag,
    Visit,
    VisitRule,
)
from banshi.orgtree.choices import Level
from banshi.orgtree.models import SEGMENT_WIDTH, OrgUnit

DEFAULT_INTERVALS = {HouseholdClass.ORDINARY: 182, HouseholdClass.VULNERABLE: 30}
DUE_SOON_DAYS = 14


def active_links(day: datetime.date, prefix: str = "") -> Q:
    """Links open on ``day`` (``prefix``: the lookup path from the queried model to the link)."""
    return Q(**{f"{prefix}start__lte": day}) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": day})
    )


def _linked(day: datetime.date) -> Exists:
    # Correlated to households the outer query has already scoped: every link of those.
    return Exists(
        HouseholdLink.objects.unscoped().filter(active_links(day), household=OuterRef("pk"))
    )


def intervals() -> dict[str, int]:
    found = dict(VisitRule.objects.values_list("household_class", "interval_days"))
    return {k: found.get(k, v) for k, v in DEFAULT_INTERVALS.items()}


def visited_in_time(now: datetime.datetime, prefix: str = "") -> Q:
    """Households visited within their class's interval (the rule is kept)."""
    days = intervals()
    ordinary = now - datetime.timedelta(days=days[HouseholdClass.ORDINARY])
    vulnerable = now - datetime.timedelta(days=days[HouseholdClass.VULNERABLE])
    return Q(**{f"{prefix}vulnerable": False, f"{prefix}last_visited_at__gte": ordinary}) | Q(
        **{f"{prefix}vulnerable": True, f"{prefix}last_visited_at__gte": vulnerable}
    )


def households_under(
    actor: Any,
    unit: OrgUnit,
    *,
    query: str = "",
    tag: str = "",
    unlinked: bool = False,
    overdue: bool = False,
    archived: bool = False,
    action: str = "household.view",
) -> QuerySet[Household]:
    today = timezone.localdate()
    households = (
        Household.objects.for_user(actor, action)
        .filter(org_unit__path__startswith=unit.path, archived_at__isnull=not archived)
        .select_related("org_unit", "grid")
        .prefetch_related(
            Prefetch(
                "residents", queryset=Resident.objects.filter(archived_at=None).order_by("id")
            ),
            Prefetch(
                "links",
                queryset=HouseholdLink.objects.filter(active_links(today)).select_related("member"),
                to_attr="active_links",
            ),
        )
        .order_by("org_unit__path")
    )
    if query:
        households = households.filter(
            Q(address__icontains=query)
            | Q(org_unit__name__icontains=query)
            | Q(residents__name=query)
        ).distinct()
    if tag:
        # JSON containment is not portable (SQLite); a quoted code inside the list's text is.
        households = households.filter(tags__icontains=f'"{tag}"')
    if unlinked:
        households = households.filter(~_linked(today))
    if overdue:
        households = households.exclude(visited_in_time(timezone.now()))
    return households


def get_household(actor: Any, household_id: object, action: str = "household.view") -> Household:
    pk = parse_id(household_id, field="住户编号")
    household = (
        Household.objects.for_user(actor, action)
        .select_related("org_unit", "grid")
        .filter(pk=pk)
        .first()
    )
    if household is None:
        raise NotFound()
    return household


def get_resident(actor: Any, resident_id: object) -> Resident:
    """A resident of a household the actor may read, else NotFound: ``pii.view`` alone (a
    dispatcher's, for callers) does not open the register."""
    pk = parse_id(resident_id, field="居民编号")
    resident = (
        Resident.objects.for_user(actor, "household.view")
        .select_related("household__org_unit")
        .filter(pk=pk)
        .first()
    )
    if resident is None:
        raise NotFound()
    return resident


def household_warnings(household: Household) -> list[str]:
    """What does not add up in a household's record (shown, never refused)."""
    warnings = []
    members = [r for r in household.residents.all() if r.archived_at is None]
    if "elderly_alone" in household.tags and len(members) > 1:
        warnings.append(f"标注为独居老人，但登记了{len(members)}名成员，请核实")
    if not members:
        warnings.append("尚未登记住户成员")
    return warnings


def tags() -> QuerySet[Tag]:
    return Tag.objects.all()


def visit_rules() -> QuerySet[VisitRule]:
    return VisitRule.objects.order_by("household_class")


def members_under(actor: Any, unit: OrgUnit, *, query: str = "") -> QuerySet[PartyMember]:
    members = (
        PartyMember.objects.for_user(actor, "household.view", "grid.manage", "grid.link")
        .filter(org_unit__path__startswith=unit.path)
        .select_related("org_unit", "user")
    )
    if query:
        members = members.filter(name__icontains=query)
    return members


def get_member(actor: Any, member_id: object, action: str = "household.view") -> PartyMember:
    pk = parse_id(member_id, field="党员编号")
    member = (
        PartyMember.objects.for_user(actor, action).select_related("org_unit").filter(pk=pk).first()
    )
    if member is None:
        raise NotFound("党员不存在或不在您的管辖范围内", code="member_not_found")
    return member


def get_link(actor: Any, link_id: object, action: str = "household.view") -> HouseholdLink:
    pk = parse_id(link_id, field="联户编号")
    link = (
        HouseholdLink.objects.for_user(actor, action)
        .select_related("household__org_unit", "member")
        .filter(pk=pk)
        .first()
    )
    if link is None:
        raise NotFound()
    return link


def links_of(household: Household) -> QuerySet[HouseholdLink]:
    return household.links.select_related("member")


# ---------------------------------------------------------------------------------------------
# Figures per node


@dataclass
class Figures:
    """Coverage and visit completion of a node: counts and the two rates (None when empty)."""

    unit: OrgUnit | None
    households: int = 0
    linked: int = 0
    visited: int = 0
    grids: list[int] = field(default_factory=list)

    @property
    def unlinked(self) -> int:
        return self.households - self.linked

    @property
    def coverage(self) -> float | None:
        return self.linked / self.households if self.households else None

    @property
    def completion(self) -> float | None:
        return self.visited / self.households if self.households else None


def _per_grid(actor: Any, unit: OrgUnit) -> dict[int, tuple[str, int, int, int]]:
    """(path, households, linked, visited in time) of each micro-grid under ``unit`` from the
    stored tallies (``GridTally``): one query, however many households the subtree holds."""
    rows = (
        GridTally.objects.for_user(actor, "grid.stats")
        .filter(grid__path__startswith=unit.path, households__gt=0)
        .values_list("grid_id", "grid__path", "households", "linked", "visited")
    )
    return {grid_id: (path, h, lk, v) for grid_id, path, h, lk, v in rows}


def figures_total(actor: Any, unit: OrgUnit) -> Figures:
    total = Figures(unit)
    for _, count, linked, visited in _per_grid(actor, unit).values():
        total.households += count
        total.linked += linked
        total.visited += visited
    return total


def figures_by(actor: Any, unit: OrgUnit, level: str | None = None) -> list[Figures]:
    """Figures of each node of ``level`` under ``unit`` (default: the unit's children), rolled up
    from the grids' tallies by path prefix: two queries whatever the size of the subtree."""
    per_grid = _per_grid(actor, unit)
    nodes = OrgUnit.objects.filter(path__startswith=unit.path)
    if level:
        nodes = nodes.filter(level=level)
    else:
        nodes = nodes.filter(parent=unit).exclude(level=Level.HOUSEHOLD)
    figures = {node.path: Figures(node) for node in nodes.order_by("path")}
    for grid_id, (path, count, linked, visited) in per_grid.items():
        # A grid counts for the node among its ancestors (or itself): one lookup per depth.
        for end in range(len(unit.path), len(path) + 1, SEGMENT_WIDTH):
            node = figures.get(path[:end])
            if node is not None:
                node.households += count
                node.linked += linked
                node.visited += visited
                node.grids.append(grid_id)
                break
    return [f for f in figures.values() if f.households]


@dataclass
class Due:
    household: Household
    due: datetime.date | None  # None: never visited
    overdue: bool
    role: str


def member_visits_due(member: PartyMember, *, today: datetime.date | None = None) -> list[Due]:
    """The households a member links, each with the date its next visit is due, earliest first."""
    today = today or timezone.localdate()
    days = intervals()
    result = []
    # The member was found in scope by the caller; these are all of their own links.
    links = (
        HouseholdLink.objects.unscoped()
        .filter(active_links(today), member=member, household__archived_at=None)
        .select_related("household__org_unit")
    )
    for link in links:
        household = link.household
        cls = HouseholdClass.VULNERABLE if household.vulnerable else HouseholdClass.ORDINARY
        if household.last_visited_at is None:
            due = None
        else:
            last = timezone.localdate(household.last_visited_at)
            due = last + datetime.timedelta(days=days[cls])
        result.append(Due(household, due, due is None or due < today, link.role))
    return sorted(result, key=lambda d: (d.due or datetime.date.min, d.household.pk))


def members_with_due(actor: Any, unit: OrgUnit) -> QuerySet[PartyMember]:
    """Members under ``unit`` with how many households they link, how many are overdue for a
    visit and how many fall due within two weeks: one grouped query."""
    today, now = timezone.localdate(), timezone.now()
    days = intervals()
    soon = now + datetime.timedelta(days=DUE_SOON_DAYS)
    open_link = active_links(today, "links__") & Q(links__household__archived_at=None)
    in_time = visited_in_time(now, "links__household__")
    in_time_soon = Q(
        links__household__vulnerable=False,
        links__household__last_visited_at__gte=soon
        - datetime.timedelta(days=days[HouseholdClass.ORDINARY]),
    ) | Q(
        links__household__vulnerable=True,
        links__household__last_visited_at__gte=soon
        - datetime.timedelta(days=days[HouseholdClass.VULNERABLE]),
    )
    return (
        members_under(actor, unit)
        .filter(is_active=True)
        .annotate(
            linked=Count("links", filter=open_link),
            overdue=Count("links", filter=open_link & ~in_time),
            due_soon=Count("links", filter=open_link & in_time & ~in_time_soon),
            visit_count=Count("visits", distinct=True),
        )
        .order_by("org_unit__path", "name")
    )


def visits_under(actor: Any, unit: OrgUnit) -> QuerySet[Visit]:
    return (
        Visit.objects.for_user(actor, "household.view")
        .filter(household__org_unit__path__startswith=unit.path)
        .select_related("household__org_unit", "member", "request")
    )


def visits_of(household: Household) -> QuerySet[Visit]:
    return household.visits.select_related("member", "request")


def ledger_under(actor: Any, unit: OrgUnit, *, status: str = "") -> QuerySet[LedgerItem]:
    items = (
        LedgerItem.objects.for_user(actor, "household.view")
        .filter(household__org_unit__path__startswith=unit.path)
        .select_related("household__org_unit", "visit")
    )
    if status:
        items = items.filter(status=status)
    return items


def get_ledger_item(actor: Any, item_id: object) -> LedgerItem:
    pk = parse_id(item_id, field="事项编号")
    item = (
        LedgerItem.objects.for_user(actor, "household.view")
        .select_related("household__org_unit")
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise NotFound()
    return item


def five_register(household: Household) -> list[dict[str, Any]]:
    """The 五个到户 register of a household: per kind, how many lines and the latest one."""
    entries = list(household.five_entries.order_by("-on", "-id"))
    register = []
    for kind, label in FiveKind.choices:
        mine = [e for e in entries if e.kind == kind]
        register.append(
            {"kind": kind, "label": label, "count": len(mine), "latest": mine[0] if mine else None}
        )
    return register


def grid_units(
    actor: Any,
    query: str = "",
    *,
    action: str = "household.manage",
    levels: list[str] | None = None,
) -> QuerySet[OrgUnit]:
    """Micro-grids (and communities) where the actor may ``action``, by name, for the picker."""
    units = OrgUnit.objects.for_user(actor, action).filter(
        level__in=levels or [Level.MICROGRID, Level.COMMUNITY]
    )
    if query:
        units = units.filter(name__icontains=query)
    return units.select_related("parent").order_by("path")
