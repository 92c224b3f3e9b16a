"""Every read of 双报到. Staff reads are scoped (``for_user``): a unit registration is seen from
both the community's and the reporting unit's side; a member's registration from the community's
and the member's own branch. A member reads their own registration by account."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from banshi.core.errors import NotFound
from banshi.core.validation import parse_id
from banshi.grid.models import MemberKind, PartyMember
from banshi.orgtree.models import OrgUnit
from banshi.orgtree.selectors import children
from banshi.party import periods
from banshi.party.choices import ACCEPT, REGISTER, REPORTING_LEVELS, VIEW, Status
from banshi.party.models import MemberRegistration, UnitRegistration
from banshi.volunteers.choices import HoursStatus
from banshi.volunteers.models import SignUp

STAFF_ACTIONS = (VIEW, REGISTER, ACCEPT)


def _user_pk(user: Any) -> int:
    return int(getattr(user, "pk", None) or 0)


# --- 单位报到 ------------------------------------------------------------------------------------


def unit_registrations_for(
    user: Any, *, status: str = "", query: str = "", unit: OrgUnit | None = None
) -> QuerySet[UnitRegistration]:
    qs = UnitRegistration.objects.for_user(user, *STAFF_ACTIONS).select_related(
        "party_org", "community"
    )
    if status in Status.values:
        qs = qs.filter(status=status)
    if query:
        qs = qs.filter(Q(party_org__name__icontains=query) | Q(community__name__icontains=query))
    if unit is not None:
        qs = qs.filter(
            Q(community__path__startswith=unit.path) | Q(party_org__path__startswith=unit.path)
        )
    return qs.order_by("-submitted_at", "-pk")


def get_unit_registration(user: Any, registration_id: object) -> UnitRegistration:
    pk = parse_id(registration_id)
    found = (
        UnitRegistration.objects.for_user(user, *STAFF_ACTIONS)
        .select_related("party_org", "community")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


# --- 在职党员报到 --------------------------------------------------------------------------------


def member_registrations_for(
    user: Any, *, query: str = "", unit: OrgUnit | None = None
) -> QuerySet[MemberRegistration]:
    qs = MemberRegistration.objects.for_user(user, VIEW, ACCEPT).select_related(
        "member", "member__org_unit", "community"
    )
    if query:
        qs = qs.filter(member__name__icontains=query)
    if unit is not None:
        qs = qs.filter(community__path__startswith=unit.path)
    return qs.order_by("community__path", "member__name", "pk")


def get_member_registration(user: Any, registration_id: object) -> MemberRegistration:
    """A registration the user sees as staff, or their own."""
    pk = parse_id(registration_id)
    qs = MemberRegistration.objects.select_related("member", "community")
    found = qs.for_user(user, VIEW, ACCEPT).filter(pk=pk).first()
    if found is None:
        # the asker's own registration (filtered by their account)
        found = qs.unscoped().filter(pk=pk, member__user_id=_user_pk(user)).first()
    if found is None:
        raise NotFound()
    return found


def my_member_registration(user: Any) -> MemberRegistration | None:
    return (
        # the asker's own registration (filtered by their account)
        MemberRegistration.objects.unscoped()
        .select_related("member", "community")
        .filter(member__user_id=_user_pk(user))
        .first()
    )


def get_in_service_member(user: Any, member_id: object) -> PartyMember:
    """An in-service member the staff may register (their roster in scope), or the user's own."""
    pk = parse_id(member_id, field="党员编号")
    qs = PartyMember.objects.filter(kind=MemberKind.IN_SERVICE, is_active=True)
    found = qs.for_user(user, VIEW, ACCEPT).filter(pk=pk).first()
    if found is None:
        # the asker's own roster entry (filtered by their account)
        found = qs.unscoped().filter(pk=pk, user_id=_user_pk(user)).first()
    if found is None:
        raise NotFound("党员不存在或不在您的管辖范围内")
    return found


def in_service_members(user: Any, query: str) -> list[PartyMember]:
    """In-service members on the rosters in the staff member's sight, by name: the picker."""
    if not query:
        return []
    return list(
        PartyMember.objects.for_user(user, VIEW, ACCEPT)
        .filter(kind=MemberKind.IN_SERVICE, is_active=True, name__icontains=query)
        .select_related("org_unit")
        .order_by("name", "pk")[:20]
    )


def reporting_units(user: Any, query: str) -> list[OrgUnit]:
    """Party organisations the user may register for (their own unit's), by name: the picker."""
    if not query:
        return []
    return list(
        OrgUnit.objects.for_user(user, REGISTER)
        .filter(level__in=REPORTING_LEVELS, name__icontains=query)
        .order_by("path")[:20]
    )


def get_reporting_unit(user: Any, unit_id: object) -> OrgUnit:
    pk = parse_id(unit_id, field="报到单位")
    unit = (
        OrgUnit.objects.for_user(user, REGISTER, "orgunit.view")
        .filter(pk=pk, level__in=REPORTING_LEVELS)
        .first()
    )
    if unit is None:
        raise NotFound("请选择报到单位党组织")
    return unit


@dataclass
class Standing:
    registration: MemberRegistration
    next_due: datetime.date
    standing: str


def confirmations(
    user: Any, today: datetime.date, *, unit: OrgUnit | None = None, only: str = ""
) -> list[Standing]:
    """Each registration in sight with its next due day and standing (ok/due/overdue),
    the overdue first, then by due day. ``only`` keeps one standing."""
    rows = [
        Standing(r, periods.next_due(r), periods.standing(r, today))
        for r in member_registrations_for(user, unit=unit)
    ]
    if only in (periods.OK, periods.DUE, periods.OVERDUE):
        rows = [row for row in rows if row.standing == only]
    order = {periods.OVERDUE: 0, periods.DUE: 1, periods.OK: 2}
    return sorted(rows, key=lambda row: (order[row.standing], row.next_due))


# --- 服务时长达标 --------------------------------------------------------------------------------


@dataclass
class HoursRow:
    registration: MemberRegistration
    minutes: int
    linked: bool  # whether the member's account is a registered volunteer

    @property
    def hours(self) -> float:
        return self.minutes / 60

    @property
    def shortfall(self) -> float:
        """Hours still missing to the yearly threshold (0 once it is met)."""
        return max(0.0, periods.yearly_hours() - self.hours)


def yearly_hours(
    user: Any, year: int, *, unit: OrgUnit | None = None, below_only: bool = False
) -> list[HoursRow]:
    """Confirmed volunteer hours in ``year`` of each registered member in sight, counted from
    the volunteer service of the account linked to the member (an activity counts in the year it
    starts). ``below_only`` keeps those under the yearly threshold (``PARTY_YEARLY_HOURS``)."""
    registrations = list(member_registrations_for(user, unit=unit))
    user_ids = [r.member.user_id for r in registrations if r.member.user_id]
    sums = dict(
        # the volunteer hours of exactly the accounts linked to registrations already in sight
        SignUp.objects.unscoped()
        .filter(
            volunteer__user_id__in=user_ids,
            hours_status=HoursStatus.CONFIRMED,
            activity__starts_at__year=year,
        )
        .values_list("volunteer__user_id")
        .annotate(total=Sum("credited_minutes"))
        .values_list("volunteer__user_id", "total")
    )
    volunteers = set(
        # ditto: whether those accounts serve as volunteers at all
        SignUp.objects.unscoped()
        .filter(volunteer__user_id__in=user_ids)
        .values_list("volunteer__user_id", flat=True)
        .distinct()
    )
    threshold = periods.yearly_hours() * 60
    rows = [
        HoursRow(
            r,
            int(sums.get(r.member.user_id or 0, 0) or 0),
            bool(r.member.user_id) and r.member.user_id in volunteers,
        )
        for r in registrations
    ]
    if below_only:
        rows = [row for row in rows if row.minutes < threshold]
    return sorted(rows, key=lambda row: (row.minutes, row.registration.member.name))


# --- 各级统计 ------------------------------------------------------------------------------------


@dataclass
class NodeFigures:
    unit: OrgUnit
    units_registered: int
    units_pending: int
    members_registered: int
    members_overdue: int


def figures(user: Any, units: list[OrgUnit], today: datetime.date) -> list[NodeFigures]:
    """Per node: units registered (accepted) and waiting, members registered and overdue."""
    result = []
    regs = unit_registrations_for(user)
    members = list(member_registrations_for(user))
    for node in units:
        counts = regs.filter(community__path__startswith=node.path).aggregate(
            accepted=Count("pk", filter=Q(status=Status.ACCEPTED)),
            pending=Count("pk", filter=Q(status=Status.SUBMITTED)),
        )
        under = [m for m in members if m.community.path.startswith(node.path)]
        result.append(
            NodeFigures(
                node,
                counts["accepted"],
                counts["pending"],
                len(under),
                sum(1 for m in under if periods.standing(m, today) == periods.OVERDUE),
            )
        )
    return result


def child_units(user: Any, unit: OrgUnit) -> list[OrgUnit]:
    return list(children(user, unit))
