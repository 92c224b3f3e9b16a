"""双报到: permissions on each action (allowed, denied, 404 out of the subtree), bad input refused
with nothing written, the half-year confirmation at its edges and the yearly hours list."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from banshi.accounts.roles import Role
from banshi.audit.models import ChangeRecord
from banshi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from banshi.grid.models import MemberKind, PartyMember
from banshi.party import periods, selectors, services
from banshi.party.choices import Status
from banshi.party.models import MemberRegistration, UnitRegistration, UnitRegistrationEvent

pytestmark = pytest.mark.django_db


def _register(actor: Any, tree: Any, **extra: Any) -> UnitRegistration:
    fields: dict[str, Any] = {
        "party_org": tree.city_bureau,
        "community": tree.datang,
        "contact_name": "周建华",
        "contact_mobile": "13907310001",
        "resources": "执法车辆2台，每月可安排10名党员参与社区环境整治",
    }
    fields.update(extra)
    return services.unit_register(actor=actor, **fields)


@pytest.fixture
def people(tree: Any, cast: Any) -> dict[str, Any]:
    return {
        "bureau_admin": cast.make(Role.ORG_ADMIN, tree.city_bureau, name="周建华"),
        "worker": cast.make(Role.COMMUNITY_WORKER, tree.datang, name="宋满秀"),
        "other_worker": cast.make(Role.COMMUNITY_WORKER, tree.shiyanhu, name="邓素月"),
        "analyst": cast.make(Role.ANALYST, tree.xiufeng, name="刘晓"),
    }


# --- unit registration -------------------------------------------------------------------------


def test_unit_registers_and_community_accepts(tree: Any, people: dict[str, Any]) -> None:
    reg = _register(people["bureau_admin"], tree)
    assert reg.status == Status.SUBMITTED
    reg = services.unit_registration_transition(
        actor=people["worker"], registration=reg, action="accept", expected_version=reg.version
    )
    assert reg.status == Status.ACCEPTED and reg.accepted_at is not None
    assert list(reg.events.values_list("action", flat=True)) == ["submit", "accept"]
    # Both sides see it; a community elsewhere does not.
    assert reg in selectors.unit_registrations_for(people["bureau_admin"])
    assert reg in selectors.unit_registrations_for(people["worker"])
    assert not selectors.unit_registrations_for(people["other_worker"]).exists()


def test_unit_register_permissions(tree: Any, people: dict[str, Any], cast: Any) -> None:
    # A city analyst sees the bureau but cannot speak for it; the community's worker and an
    # admin elsewhere do not even see it.
    city_analyst = cast.make(Role.ANALYST, tree.city, name="市分析员")
    with pytest.raises(PermissionDenied):
        _register(city_analyst, tree)
    with pytest.raises(NotFound):
        _register(people["worker"], tree)
    outsider = cast.make(Role.ORG_ADMIN, tree.yuhua, name="外区管理员")
    with pytest.raises(NotFound):
        _register(outsider, tree)
    assert not UnitRegistration.objects.exists()


def test_only_the_community_accepts_and_only_the_unit_withdraws(
    tree: Any, people: dict[str, Any]
) -> None:
    reg = _register(people["bureau_admin"], tree)
    with pytest.raises(PermissionDenied):
        services.unit_registration_transition(
            actor=people["bureau_admin"], registration=reg, action="accept"
        )
    with pytest.raises(PermissionDenied):
        services.unit_registration_transition(
            actor=people["worker"], registration=reg, action="withdraw", data={"note": "x"}
        )
    with pytest.raises(PermissionDenied):
        services.unit_registration_transition(
            actor=people["analyst"], registration=reg, action="accept"
        )
    with pytest.raises(NotFound):
        services.unit_registration_transition(
            actor=people["other_worker"], registration=reg, action="accept"
        )
    reg.refresh_from_db()
    assert reg.status == Status.SUBMITTED and reg.version == 0


def test_return_needs_reason_then_resubmit(tree: Any, people: dict[str, Any]) -> None:
    reg = _register(people["bureau_admin"], tree)
    with pytest.raises(ValidationFailed):
        services.unit_registration_transition(
            actor=people["worker"], registration=reg, action="return", data={"note": " "}
        )
    reg = services.unit_registration_transition(
        actor=people["worker"],
        registration=reg,
        action="return",
        data={"note": "请补充可提供的资源清单"},
    )
    assert reg.status == Status.RETURNED
    reg = services.unit_registration_transition(
        actor=people["bureau_admin"], registration=reg, action="resubmit"
    )
    assert reg.status == Status.SUBMITTED


def test_registering_twice_is_refused_until_withdrawn(tree: Any, people: dict[str, Any]) -> None:
    reg = _register(people["bureau_admin"], tree)
    records = ChangeRecord.objects.count()
    with pytest.raises(Conflict) as refused:
        _register(people["bureau_admin"], tree)
    assert refused.value.code == "already_registered" and "重复报到" in refused.value.detail
    assert UnitRegistration.objects.count() == 1 and ChangeRecord.objects.count() == records
    services.unit_registration_transition(
        actor=people["bureau_admin"],
        registration=reg,
        action="withdraw",
        data={"note": "单位搬迁"},
    )
    again = _register(people["bureau_admin"], tree)
    assert again.pk != reg.pk


def test_bad_unit_registration_input(tree: Any, people: dict[str, Any], cast: Any) -> None:
    with pytest.raises(ValidationFailed) as wrong_level:
        _register(people["bureau_admin"], tree, community=tree.xiufeng)
    assert wrong_level.value.code == "level_violation"
    with pytest.raises(ValidationFailed) as bad_mobile:
        _register(people["bureau_admin"], tree, contact_mobile="12345")
    assert bad_mobile.value.code == "invalid_mobile"
    admin = cast.make(Role.ORG_ADMIN, tree.xiufeng, name="街道管理员")
    with pytest.raises(ValidationFailed) as own:
        _register(admin, tree, party_org=tree.branch)
    assert own.value.code == "own_community"
    assert not UnitRegistration.objects.exists()
    assert not UnitRegistrationEvent.objects.exists()


# --- member registration -----------------------------------------------------------------------


def _member(tree: Any, cast: Any, name: str = "李卫东", kind: str = MemberKind.IN_SERVICE) -> Any:
    account = cast.make(None, tree.datang, name=name)
    return PartyMember.objects.create(
        org_unit=tree.branch, name=name, mobile="13907310011", kind=kind, user=account
    )


def test_member_registers_self_and_staff_sees(tree: Any, people: dict[str, Any], cast: Any) -> None:
    member = _member(tree, cast)
    reg = services.member_register(
        actor=member.user, member=member, community=tree.datang, skills="法律咨询"
    )
    assert reg in selectors.member_registrations_for(people["worker"])
    assert not selectors.member_registrations_for(people["other_worker"]).exists()
    assert selectors.my_member_registration(member.user) == reg
    with pytest.raises(NotFound):
        selectors.get_member_registration(people["other_worker"], reg.pk)


def test_member_register_permissions_and_bad_input(
    tree: Any, people: dict[str, Any], cast: Any
) -> None:
    member = _member(tree, cast)
    stranger = cast.make(None, tree.datang, name="路人")
    with pytest.raises(NotFound):
        services.member_register(actor=people["other_worker"], member=member, community=tree.datang)
    with pytest.raises(PermissionDenied):
        services.member_register(actor=people["analyst"], member=member, community=tree.datang)
    with pytest.raises(NotFound):  # no role anywhere: the community is out of sight
        services.member_register(actor=stranger, member=member, community=tree.datang)
    direct = _member(tree, cast, name="王直管", kind=MemberKind.DIRECT)
    with pytest.raises(ValidationFailed) as kind:
        services.member_register(actor=people["worker"], member=direct, community=tree.datang)
    assert kind.value.code == "not_in_service"
    future = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationFailed):
        services.member_register(
            actor=people["worker"], member=member, community=tree.datang, on=future
        )
    assert not MemberRegistration.objects.exists()
    services.member_register(actor=people["worker"], member=member, community=tree.datang)
    with pytest.raises(Conflict) as twice:
        services.member_register(actor=member.user, member=member, community=tree.datang)
    assert twice.value.code == "already_registered"
    assert MemberRegistration.objects.count() == 1


# --- half-year confirmation --------------------------------------------------------------------


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def test_add_months_clamps_to_month_end() -> None:
    assert periods.add_months(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)
    assert periods.add_months(datetime.date(2026, 1, 15), 6) == datetime.date(2026, 7, 15)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (datetime.date(2026, 6, 14), periods.OK),  # 31 days before: not yet
        (datetime.date(2026, 6, 15), periods.DUE),  # 30 days before: the list opens
        (datetime.date(2026, 7, 15), periods.DUE),  # the due day itself
        (datetime.date(2026, 7, 16), periods.OVERDUE),  # the day after
    ],
)
def test_confirmation_standing_at_the_edges(
    tree: Any, people: dict[str, Any], cast: Any, today: datetime.date, expected: str
) -> None:
    member = _member(tree, cast)
    services.member_register(
        actor=people["worker"],
        member=member,
        community=tree.datang,
        on=datetime.date(2026, 1, 15),
        now=_aware(datetime.date(2026, 1, 15)),
    )
    rows = selectors.confirmations(people["worker"], today)
    assert [(row.standing, row.next_due) for row in rows] == [
        (expected, datetime.date(2026, 7, 15))
    ]
    assert len(selectors.confirmations(people["worker"], today, only=expected)) == 1


def test_confirm_period_is_a_setting(
    tree: Any, people: dict[str, Any], cast: Any, settings: Any
) -> None:
    settings.PARTY_CONFIRM_MONTHS = 3
    member = _member(tree, cast)
    reg = services.member_register(
        actor=people["worker"], member=member, community=tree.datang, on=datetime.date(2026, 1, 15)
    )
    assert periods.next_due(reg) == datetime.date(2026, 4, 15)


def test_confirm_only_when_due_and_by_whom(tree: Any, people: dict[str, Any], cast: Any) -> None:
    member = _member(tree, cast)
    reg = services.member_register(
        actor=people["worker"],
        member=member,
        community=tree.datang,
        on=datetime.date(2026, 1, 15),
        now=_aware(datetime.date(2026, 1, 15)),
    )
    early = _aware(datetime.date(2026, 6, 14))
    with pytest.raises(Conflict) as not_due:
        services.member_confirm(actor=member.user, registration=reg, now=early)
    assert not_due.value.code == "not_due" and "2026年07月15日" in not_due.value.detail
    due = _aware(datetime.date(2026, 6, 15))
    with pytest.raises(NotFound):
        services.member_confirm(actor=people["other_worker"], registration=reg, now=due)
    with pytest.raises(PermissionDenied):
        services.member_confirm(actor=people["analyst"], registration=reg, now=due)
    with pytest.raises(Conflict) as stale:
        services.member_confirm(
            actor=member.user, registration=reg, now=due, expected_version=reg.version + 1
        )
    assert stale.value.code == "stale_version"
    reg.refresh_from_db()
    assert reg.confirmed_on is None
    reg = services.member_confirm(
        actor=member.user, registration=reg, now=due, expected_version=reg.version
    )
    assert reg.confirmed_on == datetime.date(2026, 6, 15) and reg.version == 1
    assert periods.next_due(reg) == datetime.date(2026, 12, 15)
    # Overdue: the community's worker confirms on the member's behalf.
    late = _aware(datetime.date(2027, 1, 4))
    reg = services.member_confirm(actor=people["worker"], registration=reg, now=late)
    assert reg.confirmed_on == datetime.date(2027, 1, 4)


# --- yearly hours ------------------------------------------------------------------------------


def test_below_threshold_list(tree: Any, people: dict[str, Any], cast: Any, settings: Any) -> None:
    from banshi.volunteers.choices import HoursStatus, SignUpStatus
    from banshi.volunteers.choices import Status as ActivityStatus
    from banshi.volunteers.models import Activity, SignUp
    from banshi.volunteers.services import volunteer_register

    settings.PARTY_YEARLY_HOURS = 50
    busy = _member(tree, cast, name="张勤")
    idle = _member(tree, cast, name="赵闲")
    edge = _member(tree, cast, name="钱满")
    for m in (busy, idle, edge):
        services.member_register(actor=people["worker"], member=m, community=tree.datang)

    def serve(member: Any, minutes: int, year: int, status: str = HoursStatus.CONFIRMED) -> None:
        volunteer = getattr(member.user, "volunteer", None) or volunteer_register(
            actor=member.user, user=member.user, org_unit=tree.datang
        )
        start = timezone.make_aware(datetime.datetime(year, 3, 1, 9))
        activity = Activity.objects.create(
            org_unit=tree.datang,
            title=f"服务{year}{minutes}",
            posts=[{"name": "服务", "quota": 5}],
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=8),
            place="新大塘社区",
            lat="28.2105",
            lon="112.9862",
            status=ActivityStatus.CONFIRMED,
        )
        SignUp.objects.create(
            activity=activity,
            volunteer=volunteer,
            post="服务",
            status=SignUpStatus.APPROVED,
            hours_status=status,
            credited_minutes=minutes,
        )

    serve(busy, 30 * 60, 2026)
    serve(busy, 20 * 60, 2026)  # exactly 50 h: meets it
    serve(edge, 49 * 60 + 30, 2026)  # 49.5 h: below
    serve(edge, 8 * 60, 2025)  # last year's hours do not count
    serve(edge, 8 * 60, 2026, status=HoursStatus.DISPUTED)  # nor unconfirmed ones
    below = selectors.yearly_hours(people["worker"], 2026, below_only=True)
    assert [(row.registration.member.name, row.hours, row.linked) for row in below] == [
        ("赵闲", 0, False),
        ("钱满", 49.5, True),
    ]
    every = selectors.yearly_hours(people["worker"], 2026)
    assert {row.registration.member.name: row.hours for row in every}["张勤"] == 50
    assert selectors.yearly_hours(people["other_worker"], 2026) == []


def test_figures_per_node(tree: Any, people: dict[str, Any], cast: Any) -> None:
    reg = _register(people["bureau_admin"], tree)
    services.unit_registration_transition(actor=people["worker"], registration=reg, action="accept")
    member = _member(tree, cast)
    services.member_register(
        actor=people["worker"], member=member, community=tree.datang, on=datetime.date(2025, 1, 2)
    )
    admin = cast.make(Role.ORG_ADMIN, tree.city, name="市管理员")
    rows = selectors.figures(admin, [tree.kaifu, tree.xiufeng, tree.yuhua], timezone.localdate())
    assert [
        (r.unit.name, r.units_registered, r.members_registered, r.members_overdue) for r in rows
    ] == [("开福区", 1, 1, 1), ("秀峰街道", 1, 1, 1), ("雨花区", 0, 0, 0)]
