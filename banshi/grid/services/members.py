"""Writes to the party-member roster and to the links between members and households (联户,
党员中心户)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from banshi.audit.services import record_change, snapshot
from banshi.core.errors import NotFound, PermissionDenied, ValidationFailed
from banshi.core.permissions import can
from banshi.core.validation import clean_mobile, clean_text
from banshi.grid.models import Household, HouseholdLink, LinkRole, MemberKind, PartyMember
from banshi.grid.services.tally import tally_refresh
from banshi.orgtree.choices import Level

MEMBER_LEVELS = frozenset({Level.COMMUNITY, Level.BRANCH, Level.MICROGRID})
MEMBER_FIELDS = ["org_unit", "name", "kind", "user", "is_active"]
LINK_FIELDS = ["household", "member", "role", "start", "end"]
# A link may be entered ahead of time, but not for a date nobody can vouch for.
MAX_LEAD_DAYS = 366


def _require(actor: Any, action: str, obj: Any) -> None:
    if actor is None:
        return
    if not can(actor, action, obj):
        if not can(actor, "orgunit.view", obj):
            raise NotFound()
        raise PermissionDenied()


@transaction.atomic
def party_member_create(
    *,
    actor: Any,
    org_unit: Any,
    name: str,
    kind: str,
    mobile: str = "",
    user: Any = None,
) -> PartyMember:
    """Put a party member on a community's, branch's or micro-grid's roster."""
    _require(actor, "grid.manage", org_unit)
    if org_unit.level not in MEMBER_LEVELS:
        raise ValidationFailed("党员只能登记在社区、党支部或党员微网格", code="level_violation")
    name = clean_text(name, field="姓名", max_length=50)
    if kind not in MemberKind.values:
        raise ValidationFailed("党员类别无效（直管、在职、流动）", code="invalid_kind")
    mobile = clean_mobile(mobile) if mobile else ""
    # An account is one person: linked to a member anywhere, it cannot be linked again.
    if user is not None and PartyMember.objects.unscoped().filter(user=user).exists():
        raise ValidationFailed("该账号已关联其他党员", code="duplicate_user")
    member = PartyMember.objects.create(
        org_unit=org_unit, name=name, kind=kind, mobile=mobile, user=user
    )
    record_change(
        actor=actor,
        action="party_member.create",
        obj=member,
        before=None,
        after=snapshot(member, MEMBER_FIELDS),
    )
    return member


@transaction.atomic
def party_member_update(
    *,
    actor: Any,
    member: PartyMember,
    name: str,
    kind: str,
    mobile: str | None = None,
    is_active: bool = True,
) -> PartyMember:
    """Edit a member; taking one off the roster (``is_active`` False) ends their links today."""
    _require(actor, "grid.manage", member)
    before = snapshot(member, MEMBER_FIELDS)
    name = clean_text(name, field="姓名", max_length=50)
    if kind not in MemberKind.values:
        raise ValidationFailed("党员类别无效（直管、在职、流动）", code="invalid_kind")
    new_mobile = member.mobile if mobile is None else (clean_mobile(mobile) if mobile else "")
    PartyMember.objects.filter(pk=member.pk).update(
        name=name, kind=kind, mobile=new_mobile, is_active=is_active, updated_at=timezone.now()
    )
    member.name, member.kind, member.mobile, member.is_active = name, kind, new_mobile, is_active
    if not is_active:
        today = timezone.localdate()
        grids = set()
        for link in member.links.select_related("household"):
            grids.add(link.household.grid_id)
            if link.end is None or link.end > today:
                HouseholdLink.objects.filter(pk=link.pk).update(end=max(today, link.start))
        tally_refresh(grids)
    record_change(
        actor=actor,
        action="party_member.update",
        obj=member,
        before=before,
        after=snapshot(member, MEMBER_FIELDS),
    )
    return member


def _date(value: object, field: str) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise ValidationFailed(f"{field}格式不正确，应为YYYY-MM-DD", code="invalid_date") from None


@transaction.atomic
def link_create(
    *,
    actor: Any,
    member: PartyMember,
    household: Household,
    role: str = LinkRole.LIANHU,
    start: object = None,
    end: object = None,
) -> HouseholdLink:
    """Link a member to a household. The actor needs ``grid.link`` on the household and must
    see the member (else 404); the household must lie within the member's own organisation (a
    branch's member links that branch's households); one open link per member and household."""
    _require(actor, "grid.link", household)
    if (
        actor is not None
        and not PartyMember.objects.for_user(actor, "grid.link").filter(pk=member.pk).exists()
    ):
        raise NotFound("党员不存在或不在您的管辖范围内", code="member_not_found")
    # Re-read the rows the checks above found in scope, with the paths compared below.
    household = Household.objects.unscoped().select_related("org_unit").get(pk=household.pk)
    # (the member likewise, checked in scope just above)
    member = PartyMember.objects.unscoped().select_related("org_unit").get(pk=member.pk)
    if household.archived_at is not None:
        raise ValidationFailed("该住户已归档，不能再联系", code="archived")
    if not member.is_active:
        raise ValidationFailed("该党员已不在册", code="member_inactive")
    if not household.org_unit.path.startswith(member.org_unit.path):
        raise ValidationFailed(
            f"党员{member.name}属于“{member.org_unit.name}”，不能联系该组织以外的住户",
            code="member_outside_subtree",
        )
    if role not in LinkRole.values:
        raise ValidationFailed("联系方式无效（联户党员、党员中心户）", code="invalid_role")
    today = timezone.localdate()
    start_date = _date(start, "开始日期") if start not in (None, "") else today
    end_date = _date(end, "结束日期") if end not in (None, "") else None
    if (start_date - today).days > MAX_LEAD_DAYS:
        raise ValidationFailed("开始日期不能晚于一年以后", code="invalid_date")
    if end_date is not None and end_date < start_date:
        raise ValidationFailed("结束日期不能早于开始日期", code="invalid_date")
    # Overlap is a fact about this member and household, whoever looks.
    overlapping = (
        HouseholdLink.objects.unscoped()
        .filter(member=member, household=household)
        .filter(Q(end__isnull=True) | Q(end__gte=start_date))
    )
    if end_date is not None:
        overlapping = overlapping.filter(start__lte=end_date)
    if overlapping.exists():
        raise ValidationFailed(
            f"党员{member.name}与该住户的联系在这段时间内已存在", code="duplicate_link"
        )
    link = HouseholdLink.objects.create(
        member=member, household=household, role=role, start=start_date, end=end_date
    )
    tally_refresh([household.grid_id])
    record_change(
        actor=actor, action="grid.link", obj=link, before=None, after=snapshot(link, LINK_FIELDS)
    )
    return link


@transaction.atomic
def link_end(*, actor: Any, link: HouseholdLink, end: object = None) -> HouseholdLink:
    """End a link on ``end`` (today by default)."""
    _require(actor, "grid.link", link)
    end_date = _date(end, "结束日期") if end not in (None, "") else timezone.localdate()
    if end_date < link.start:
        raise ValidationFailed("结束日期不能早于开始日期", code="invalid_date")
    before = snapshot(link, LINK_FIELDS)
    HouseholdLink.objects.filter(pk=link.pk).update(end=end_date)
    link.end = end_date
    tally_refresh([link.household.grid_id])
    record_change(
        actor=actor,
        action="grid.unlink",
        obj=link,
        before=before,
        after=snapshot(link, LINK_FIELDS),
    )
    return link
