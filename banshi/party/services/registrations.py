"""Writes of 双报到: a unit's party organisation registers with a community (then moves on the
engine, ``lifecycle.py``); an in-service member registers with the home community and confirms
every half-year."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from banshi.audit.services import record_change, snapshot
from banshi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from banshi.core.permissions import can, require
from banshi.core.validation import clean_mobile, clean_text
from banshi.core.versions import check_version, write
from banshi.grid.models import MemberKind, PartyMember
from banshi.orgtree.choices import Level
from banshi.orgtree.models import OrgUnit
from banshi.party import periods
from banshi.party.choices import ACCEPT, LIVE, REGISTER, REPORTING_LEVELS, VIEW, Status
from banshi.party.models import MemberRegistration, UnitRegistration, UnitRegistrationEvent
from banshi.workflow import engine


def _community(unit: OrgUnit) -> OrgUnit:
    if unit.level != Level.COMMUNITY:
        raise ValidationFailed("请选择报到的社区（村）", code="level_violation")
    return unit


def _today(now: datetime.datetime | None) -> datetime.date:
    return timezone.localdate(now or timezone.now())


# --- 单位报到 ------------------------------------------------------------------------------------


@transaction.atomic
def unit_register(
    *,
    actor: Any,
    party_org: OrgUnit,
    community: OrgUnit,
    contact_name: str,
    contact_mobile: str,
    resources: str = "",
    now: datetime.datetime | None = None,
) -> UnitRegistration:
    """A unit's party organisation reports to a community; the community then accepts or
    returns it. One live registration per unit and community."""
    if not engine.is_system(actor):
        require(actor, REGISTER, party_org)
    if party_org.level not in REPORTING_LEVELS:
        raise ValidationFailed(
            "报到单位须为机关、企事业单位或驻区单位的党组织", code="level_violation"
        )
    _community(community)
    if party_org.path.startswith(community.path):
        raise ValidationFailed("社区自己的党组织无需向本社区报到", code="own_community")
    now = now or timezone.now()
    registration = UnitRegistration(
        party_org=party_org,
        community=community,
        contact_name=clean_text(contact_name, field="联系人", max_length=50),
        contact_mobile=clean_mobile(contact_mobile),
        resources=clean_text(resources, field="可提供的资源", max_length=2000, required=False),
        status=Status.SUBMITTED,
        submitted_at=now,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    live = UnitRegistration.objects.filter(
        party_org=party_org, community=community, status__in=LIVE
    )
    if live.exists():
        raise Conflict("该单位已向这个社区报到，请勿重复报到", code="already_registered")
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:  # a concurrent registration of the same pair won
        raise Conflict("该单位已向这个社区报到，请勿重复报到", code="already_registered") from None
    UnitRegistrationEvent.objects.create(
        registration=registration,
        at=now,
        actor=registration.created_by,
        action="submit",
        to_status=Status.SUBMITTED,
    )
    record_change(
        actor=actor,
        action="unit_registration.submit",
        obj=registration,
        before=None,
        after=snapshot(registration),
    )
    return registration


# --- 在职党员报到 --------------------------------------------------------------------------------


def _is_self(actor: Any, member: PartyMember) -> bool:
    return bool(getattr(actor, "pk", None)) and member.user_id == actor.pk


@transaction.atomic
def member_register(
    *,
    actor: Any,
    member: PartyMember,
    community: OrgUnit,
    skills: str = "",
    on: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> MemberRegistration:
    """An in-service party member reports to the home community: the member themself (by the
    linked account) or the community's staff enter it. One home community per member."""
    _community(community)
    if not (engine.is_system(actor) or _is_self(actor, member) or can(actor, ACCEPT, community)):
        require(actor, ACCEPT, community)
    if member.kind != MemberKind.IN_SERVICE:
        raise ValidationFailed("只有在职党员需要向居住地社区报到", code="not_in_service")
    if not member.is_active:
        raise ValidationFailed("该党员已不在册", code="member_inactive")
    today = _today(now)
    day = on or today
    if day > today:
        raise ValidationFailed("报到日期不能晚于今天", code="future_date")
    if MemberRegistration.objects.filter(member=member).exists():
        raise Conflict("该党员已向居住地社区报到，请勿重复报到", code="already_registered")
    registration = MemberRegistration(
        member=member,
        community=community,
        registered_on=day,
        skills=clean_text(skills, field="特长与服务意愿", max_length=200, required=False),
    )
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        raise Conflict(
            "该党员已向居住地社区报到，请勿重复报到", code="already_registered"
        ) from None
    record_change(
        actor=actor,
        action="member_registration.create",
        obj=registration,
        before=None,
        after=snapshot(registration),
    )
    return registration


@transaction.atomic
def member_confirm(
    *,
    actor: Any,
    registration: MemberRegistration,
    expected_version: int | None = None,
    on: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> MemberRegistration:
    """Confirm a registration for the next half-year (the period is a setting). Taken by the
    member or the community's staff, only once the confirmation is due or overdue."""
    member = registration.member
    if not (engine.is_system(actor) or _is_self(actor, member) or can(actor, ACCEPT, registration)):
        if not can(actor, VIEW, registration):
            raise NotFound()
        raise PermissionDenied("您无权办理该党员的报到确认", code="forbidden")
    check_version(MemberRegistration, registration.pk, expected_version)
    today = _today(now)
    day = on or today
    if day > today:
        raise ValidationFailed("确认日期不能晚于今天", code="future_date")
    if day < (registration.confirmed_on or registration.registered_on):
        raise ValidationFailed("确认日期不能早于上次报到或确认的日期", code="date_before_last")
    if periods.standing(registration, day) == periods.OK:
        due = periods.next_due(registration)
        raise Conflict(
            f"本期已确认，下次确认日期为{due:%Y年%m月%d日}，"
            f"届时前{periods.notice_days()}天内可办理",
            code="not_due",
        )
    before = snapshot(registration)
    written = write(
        MemberRegistration,
        registration.pk,
        expected_version if expected_version is not None else registration.version,
        confirmed_on=day,
    )
    if not written:  # a concurrent confirmation won
        raise Conflict("该报到已被他人确认，请刷新后查看", code="stale_version")
    registration.refresh_from_db()
    record_change(
        actor=actor,
        action="member_registration.confirm",
        obj=registration,
        before=before,
        after=snapshot(registration),
    )
    return registration
