"""Writes to the household register."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from banshi.audit.services import log_personal_data_access, record_change, snapshot
from banshi.core.errors import NotFound, PermissionDenied, ValidationFailed
from banshi.core.permissions import can, require
from banshi.core.validation import clean_mobile, clean_text, is_digits
from banshi.grid.models import Household, HouseholdTag, Resident
from banshi.orgtree.choices import Level
from banshi.orgtree.models import OrgUnit
from banshi.orgtree.services import orgunit_create


@transaction.atomic
def household_create(
    *,
    actor: Any,
    grid: OrgUnit,
    label: str,
    address: str,
    tags: list[str] | None = None,
) -> Household:
    """Register a household under a micro-grid (or community): a 住户 node plus its register row."""
    if actor is not None:
        require(actor, "household.manage", grid)
    if grid.level not in {Level.MICROGRID, Level.COMMUNITY}:
        raise ValidationFailed("住户只能登记在党员微网格或社区之下", code="level_violation")
    address = clean_text(address, field="地址", max_length=200)
    tags = list(dict.fromkeys(tags or []))
    unknown = [t for t in tags if t not in HouseholdTag.values]
    if unknown:
        raise ValidationFailed(f"未知的住户标签：{'、'.join(unknown)}", code="invalid_tag")
    unit = orgunit_create(actor=None, parent=grid, level=Level.HOUSEHOLD, name=label)
    household = Household.objects.create(org_unit=unit, address=address, tags=tags)
    record_change(
        actor=actor,
        action="household.create",
        obj=household,
        before=None,
        after=snapshot(household),
    )
    return household


@transaction.atomic
def resident_add(
    *,
    actor: Any,
    household: Household,
    name: str,
    relation: str = "户主",
    mobile: str = "",
    id_number: str = "",
    is_party_member: bool = False,
) -> Resident:
    if actor is not None:
        require(actor, "household.manage", household)
    name = clean_text(name, field="姓名", max_length=50)
    relation = clean_text(relation, field="与户主关系", max_length=20)
    mobile = clean_mobile(mobile) if mobile else ""
    id_number = clean_text(id_number, field="身份证号", max_length=18, required=False).upper()
    if id_number and (len(id_number) != 18 or not is_digits(id_number[:17])):
        raise ValidationFailed("身份证号应为18位", code="invalid_id_number")
    resident = Resident.objects.create(
        household=household,
        name=name,
        relation=relation,
        mobile=mobile,
        id_number=id_number,
        is_party_member=is_party_member,
    )
    record_change(
        actor=actor,
        action="resident.create",
        obj=resident,
        before=None,
        after=snapshot(resident, fields=["household", "name", "relation", "is_party_member"]),
    )
    return resident


def resident_reveal(*, actor: Any, resident: Resident, purpose: str = "") -> dict[str, str]:
    """The unmasked phone and ID number, for a role that may read the household (``household.view``)
    and holds ``pii.view`` on it; logged.

    For a role that may not read the household the resident does not exist (404), whatever else
    it holds; a role that may read the register but not personal data is refused (403)."""
    if not can(actor, "household.view", resident):
        raise NotFound()
    if not can(actor, "pii.view", resident):
        raise PermissionDenied("您无权查看完整个人信息")
    with transaction.atomic():
        log_personal_data_access(
            actor=actor, obj=resident, fields=["mobile", "id_number"], purpose=purpose
        )
    return {"mobile": resident.mobile, "id_number": resident.id_number}
