"""Writes to the household register: households, residents, tags and visit rules.

A household is a 住户 node of the org tree plus its register row; its micro-grid is the node's
parent, also kept on the row (``Household.grid``) so that "one household per address in a grid"
is a database constraint and the import's natural key.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from banshi.audit.services import log_personal_data_access, record_change, snapshot
from banshi.core.errors import NotFound, PermissionDenied, ValidationFailed
from banshi.core.permissions import can
from banshi.core.scoping import scope_paths
from banshi.core.validation import clean_mobile, clean_text, is_digits
from banshi.grid.models import Household, HouseholdClass, HouseholdLink, Resident, Tag, VisitRule
from banshi.grid.services.tally import tally_refresh
from banshi.orgtree.choices import Level
from banshi.orgtree.models import SEGMENT_WIDTH, OrgUnit
from banshi.orgtree.services import orgunit_create as _orgunit_create
from banshi.orgtree.services import orgunit_move, orgunit_rename

GRID_LEVELS = frozenset({Level.MICROGRID, Level.COMMUNITY})
HOUSEHOLD_FIELDS = ["org_unit", "grid", "address", "tags", "vulnerable", "archived_at"]
RESIDENT_FIELDS = ["household", "name", "relation", "is_party_member", "archived_at"]


def require_on(actor: Any, action: str, obj: Any) -> None:
    """``action`` on ``obj``; an object the actor cannot read as a household is not there."""
    if actor is None:
        return
    if not can(actor, action, obj):
        if not can(actor, "household.view", obj) and not can(actor, "orgunit.view", obj):
            raise NotFound()
        raise PermissionDenied()


def clean_tags(tags: object) -> list[str]:
    """Tag codes (or names) checked against the active tags; unknown ones are refused by name."""
    if tags is None:
        return []
    if not isinstance(tags, list | tuple):
        raise ValidationFailed("住户标签格式不正确", code="invalid_tag")
    active = {t.code: t for t in Tag.objects.filter(is_active=True)}
    by_name = {t.name: t.code for t in active.values()}
    result: list[str] = []
    unknown: list[str] = []
    for raw in tags:
        text = str(raw or "").strip()
        if not text:
            continue
        code = text if text in active else by_name.get(text)
        if code is None:
            unknown.append(text[:20])
        elif code not in result:
            result.append(code)
    if unknown:
        raise ValidationFailed(f"未知的住户标签：{'、'.join(unknown)}", code="invalid_tag")
    return result


def is_vulnerable(tags: list[str]) -> bool:
    return Tag.objects.filter(code__in=tags, vulnerable=True).exists() if tags else False


def _check_grid(grid: OrgUnit) -> None:
    if grid.level not in GRID_LEVELS:
        raise ValidationFailed("住户只能登记在党员微网格或社区之下", code="level_violation")


def _check_address_free(grid: OrgUnit, address: str, exclude: int | None = None) -> None:
    # One household per address in a grid, whoever registered the other one.
    taken = Household.objects.unscoped().filter(grid=grid, address=address, archived_at=None)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise ValidationFailed(
            f"“{grid.name}”已登记地址为“{address}”的住户", code="duplicate_household"
        )


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
    require_on(actor, "household.manage", grid)
    _check_grid(grid)
    address = clean_text(address, field="地址", max_length=200)
    label = clean_text(label or address[:100], field="门牌", max_length=100)
    tags = clean_tags(tags)
    _check_address_free(grid, address)
    unit = _orgunit_create(actor=None, parent=grid, level=Level.HOUSEHOLD, name=label)
    household = Household.objects.create(
        org_unit=unit, grid=grid, address=address, tags=tags, vulnerable=is_vulnerable(tags)
    )
    tally_refresh([grid.pk])
    record_change(
        actor=actor,
        action="household.create",
        obj=household,
        before=None,
        after=snapshot(household, HOUSEHOLD_FIELDS),
    )
    return household


def _live(household: Household) -> Household:
    # Re-read the household the caller found in scope, inside the write's transaction.
    fresh = Household.objects.unscoped().select_related("org_unit", "grid").get(pk=household.pk)
    if fresh.archived_at is not None:
        raise ValidationFailed("该住户已归档，不能再修改", code="archived")
    return fresh


@transaction.atomic
def household_update(
    *,
    actor: Any,
    household: Household,
    label: str | None = None,
    address: str | None = None,
    tags: list[str] | None = None,
) -> Household:
    """Change a household's 门牌, address or tags (None: unchanged)."""
    require_on(actor, "household.manage", household)
    household = _live(household)
    before = snapshot(household, HOUSEHOLD_FIELDS)
    if address is not None:
        address = clean_text(address, field="地址", max_length=200)
        if address != household.address:
            _check_address_free(household.grid, address, exclude=household.pk)
            household.address = address
    if tags is not None:
        household.tags = clean_tags(tags)
        household.vulnerable = is_vulnerable(household.tags)
    if label is not None:
        label = clean_text(label, field="门牌", max_length=100)
        if label != household.org_unit.name:
            orgunit_rename(actor=None, unit=household.org_unit, name=label)
    Household.objects.filter(pk=household.pk).update(
        address=household.address,
        tags=household.tags,
        vulnerable=household.vulnerable,
        updated_at=timezone.now(),
    )
    after = snapshot(household, HOUSEHOLD_FIELDS)
    if after.get("vulnerable") != before.get("vulnerable"):
        tally_refresh([household.grid_id])
    if after != before or label is not None:
        record_change(
            actor=actor, action="household.update", obj=household, before=before, after=after
        )
    return household


@transaction.atomic
def household_move(*, actor: Any, household: Household, grid: OrgUnit) -> Household:
    """Move a household to another micro-grid. The actor must manage both places (a grid member
    cannot move a household into a grid they cannot see); links whose member's organisation does
    not reach the new place end today."""
    require_on(actor, "household.manage", household)
    require_on(actor, "household.manage", grid)
    _check_grid(grid)
    household = _live(household)
    if household.grid_id == grid.pk:
        return household
    _check_address_free(grid, household.address, exclude=household.pk)
    before = snapshot(household, HOUSEHOLD_FIELDS)
    unit = orgunit_move(actor=None, unit=household.org_unit, new_parent=grid)
    Household.objects.filter(pk=household.pk).update(grid=grid, updated_at=timezone.now())
    old_grid = household.grid_id
    household.grid, household.org_unit = grid, unit
    today = timezone.localdate()
    # Every link of the moved household, whoever set it: each is checked against the new place.
    for link in (
        HouseholdLink.objects.unscoped()
        .filter(household=household)
        .select_related("member__org_unit")
    ):
        still_open = link.end is None or link.end >= today
        if still_open and not unit.path.startswith(link.member.org_unit.path):
            HouseholdLink.objects.filter(pk=link.pk).update(end=max(today, link.start))
    tally_refresh([old_grid, grid.pk])
    record_change(
        actor=actor,
        action="household.move",
        obj=household,
        before=before,
        after=snapshot(household, HOUSEHOLD_FIELDS),
    )
    return household


@transaction.atomic
def household_archive(*, actor: Any, household: Household, reason: str = "") -> Household:
    """Archive a household (moved away, demolished): it leaves the register, the coverage and the
    visit plan; its history stays. Its open links end today."""
    require_on(actor, "household.manage", household)
    household = _live(household)
    reason = clean_text(reason, field="归档原因", max_length=200, required=False)
    before = snapshot(household, HOUSEHOLD_FIELDS)
    now = timezone.now()
    today = timezone.localdate(now)
    Household.objects.filter(pk=household.pk).update(archived_at=now, updated_at=now)
    household.archived_at = now
    for link in household.links.all():
        if link.end is None or link.end > today:
            HouseholdLink.objects.filter(pk=link.pk).update(end=max(today, link.start))
    after = snapshot(household, HOUSEHOLD_FIELDS)
    after["reason"] = reason
    tally_refresh([household.grid_id])
    record_change(
        actor=actor, action="household.archive", obj=household, before=before, after=after
    )
    return household


def clean_resident(
    name: object, relation: object, mobile: object, id_number: object
) -> tuple[str, str, str, str]:
    name = clean_text(name, field="姓名", max_length=50)
    relation = clean_text(relation or "户主", field="与户主关系", max_length=20)
    mobile = clean_mobile(mobile) if mobile else ""
    id_text = clean_text(id_number, field="身份证号", max_length=18, required=False).upper()
    if id_text and (len(id_text) != 18 or not is_digits(id_text[:17])):
        raise ValidationFailed("身份证号应为18位", code="invalid_id_number")
    return name, relation, mobile, id_text


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
    require_on(actor, "household.manage", household)
    if household.archived_at is not None:
        raise ValidationFailed("该住户已归档，不能再修改", code="archived")
    name, relation, mobile, id_number = clean_resident(name, relation, mobile, id_number)
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
        after=snapshot(resident, fields=RESIDENT_FIELDS),
    )
    return resident


@transaction.atomic
def resident_update(
    *,
    actor: Any,
    resident: Resident,
    name: str,
    relation: str,
    mobile: str | None = None,
    id_number: str | None = None,
    is_party_member: bool = False,
) -> Resident:
    """Edit a resident. ``mobile``/``id_number`` None: unchanged (a form that shows them masked
    does not send them back)."""
    require_on(actor, "household.manage", resident)
    if resident.archived_at is not None:
        raise ValidationFailed("该居民已迁出，不能再修改", code="archived")
    name, relation, new_mobile, new_id = clean_resident(
        name,
        relation,
        resident.mobile if mobile is None else mobile,
        resident.id_number if id_number is None else id_number,
    )
    before = snapshot(resident, fields=RESIDENT_FIELDS)
    changed_pii = new_mobile != resident.mobile or new_id != resident.id_number
    resident.name, resident.relation, resident.is_party_member = name, relation, is_party_member
    resident.mobile, resident.id_number = new_mobile, new_id
    Resident.objects.filter(pk=resident.pk).update(
        name=name,
        relation=relation,
        mobile=new_mobile,
        id_number=new_id,
        is_party_member=is_party_member,
        updated_at=timezone.now(),
    )
    after = snapshot(resident, fields=RESIDENT_FIELDS)
    if changed_pii:
        after["personal_data_changed"] = True
    if after != before:
        record_change(
            actor=actor, action="resident.update", obj=resident, before=before, after=after
        )
    return resident


@transaction.atomic
def resident_archive(*, actor: Any, resident: Resident, reason: str = "") -> Resident:
    """A resident moved out or died: off the household's member list, kept in history."""
    require_on(actor, "household.manage", resident)
    if resident.archived_at is not None:
        return resident
    reason = clean_text(reason, field="原因", max_length=200, required=False)
    before = snapshot(resident, fields=RESIDENT_FIELDS)
    resident.archived_at = timezone.now()
    Resident.objects.filter(pk=resident.pk).update(archived_at=resident.archived_at)
    after = snapshot(resident, fields=RESIDENT_FIELDS)
    after["reason"] = reason
    record_change(actor=actor, action="resident.archive", obj=resident, before=before, after=after)
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


# Tags and visit rules are the whole city's: only a grant at the city (or above) changes them.
CITY_DEPTH = 2


def may_configure(actor: Any) -> bool:
    """Whether ``actor`` holds ``grid.configure`` at the city or above (None: the system)."""
    if actor is None:
        return True
    paths = scope_paths(actor, "grid.configure")
    return paths is None or any(len(p) <= CITY_DEPTH * SEGMENT_WIDTH for p in paths)


def require_configure(actor: Any) -> None:
    if not may_configure(actor):
        raise PermissionDenied("住户标签与走访规则全市统一，须由市级组织管理员维护")


@transaction.atomic
def tag_save(
    *,
    actor: Any,
    code: str,
    name: str,
    vulnerable: bool = False,
    sort: int = 100,
    is_active: bool = True,
) -> Tag:
    """Add or change a household tag. Changing whether it is vulnerable re-derives the visit class
    of every household that carries it."""
    require_configure(actor)
    code = clean_text(code, field="标签代码", max_length=30)
    if not (code.isascii() and code.replace("_", "").isalnum() and code.islower()):
        raise ValidationFailed("标签代码只能由小写字母、数字和下划线组成", code="invalid_code")
    name = clean_text(name, field="标签名称", max_length=20)
    if Tag.objects.filter(name=name).exclude(code=code).exists():
        raise ValidationFailed(f"已有名为“{name}”的标签", code="duplicate")
    tag = Tag.objects.filter(code=code).first()
    before = snapshot(tag) if tag else None
    if tag is None:
        tag = Tag.objects.create(
            code=code, name=name, vulnerable=vulnerable, sort=sort, is_active=is_active
        )
    else:
        Tag.objects.filter(pk=tag.pk).update(
            name=name, vulnerable=vulnerable, sort=sort, is_active=is_active
        )
        tag.refresh_from_db()
    if before is None or before.get("vulnerable") != tag.vulnerable:
        _rederive_vulnerable()
        tally_refresh(None)
    record_change(actor=actor, action="grid.tag", obj=tag, before=before, after=snapshot(tag))
    return tag


def _rederive_vulnerable() -> None:
    vulnerable = set(Tag.objects.filter(vulnerable=True).values_list("code", flat=True))
    changed: list[Household] = []
    # A tag is the city's: changing it reclassifies every household that carries it.
    for household in Household.objects.unscoped().only("id", "tags", "vulnerable").iterator():
        flag = bool(vulnerable & set(household.tags or []))
        if flag != household.vulnerable:
            household.vulnerable = flag
            changed.append(household)
    Household.objects.bulk_update(changed, ["vulnerable"], batch_size=500)


@transaction.atomic
def visit_rule_set(*, actor: Any, household_class: str, interval_days: int) -> VisitRule:
    """How many days after a visit the next one is due, for ordinary or vulnerable households."""
    require_configure(actor)
    if household_class not in HouseholdClass.values:
        raise ValidationFailed("住户类别无效", code="invalid_class")
    if not isinstance(interval_days, int) or not 1 <= interval_days <= 366:
        raise ValidationFailed("走访间隔应为1至366天", code="invalid_interval")
    rule = VisitRule.objects.filter(household_class=household_class).first()
    before = snapshot(rule) if rule else None
    rule, _ = VisitRule.objects.update_or_create(
        household_class=household_class, defaults={"interval_days": interval_days}
    )
    tally_refresh(None)
    record_change(
        actor=actor, action="grid.visit_rule", obj=rule, before=before, after=snapshot(rule)
    )
    return rule
