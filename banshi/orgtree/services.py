"""Every write to the organisation tree. Only these functions touch ``path`` and ``depth``.

``actor=None`` means the system itself (imports, demo seeding, migrations); any real user is checked
against ``orgunit.manage`` on the units involved, and a unit outside the actor's subtree is answered
as not found.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

from banshi.audit.models import ChangeRecord
from banshi.audit.services import record_change, snapshot
from banshi.core.errors import NotFound, PermissionDenied, ValidationFailed
from banshi.core.middleware import current_request_id
from banshi.core.scoping import path_allowed
from banshi.core.validation import clean_text, is_digits
from banshi.orgtree.choices import ALLOWED_PARENTS, CODE_LENGTHS, Level
from banshi.orgtree.models import SEGMENT_WIDTH, OrgUnit, segment_for

MAX_DEPTH = 255 // SEGMENT_WIDTH


def _require_manage(actor: Any, unit: OrgUnit) -> None:
    if actor is None:
        return
    if not path_allowed(actor, "orgunit.view", unit.path):
        raise NotFound()
    if not path_allowed(actor, "orgunit.manage", unit.path):
        raise PermissionDenied("您无权管理该组织单元")


def check_placement(level: str, parent: OrgUnit | None) -> None:
    if level not in Level.values:
        raise ValidationFailed("组织级别无效", code="invalid_level")
    allowed = ALLOWED_PARENTS[level]
    if parent is None:
        if allowed:
            raise ValidationFailed(f"{Level(level).label}必须有上级单位", code="level_violation")
        return
    if parent.level not in allowed:
        raise ValidationFailed(
            f"{Level(level).label}不能设在{Level(parent.level).label}之下", code="level_violation"
        )


def clean_code(code: str | None, level: str, parent: OrgUnit | None) -> str | None:
    if code is None or code == "":
        return None
    code = clean_text(code, field="区划代码", max_length=32)
    expected = CODE_LENGTHS.get(level)
    if expected is not None:
        if not is_digits(code) or len(code) != expected:
            raise ValidationFailed(
                f"{Level(level).label}的区划代码应为{expected}位数字", code="invalid_code"
            )
        if parent is not None and parent.code and not code.startswith(parent.code):
            raise ValidationFailed("区划代码与上级代码不一致", code="invalid_code")
    return code


@transaction.atomic
def orgunit_create(
    *, actor: Any, parent: OrgUnit | None, level: str, name: str, code: str | None = None
) -> OrgUnit:
    """Create a node under ``parent``. The path needs the new id, so the row is inserted with a
    unique temporary path and given its real one in the same transaction."""
    if parent is not None:
        _require_manage(actor, parent)
    elif actor is not None and not path_allowed(actor, "orgunit.manage", ""):
        raise PermissionDenied("只有系统管理员可以创建根节点")
    name = clean_text(name, field="名称", max_length=100)
    check_placement(level, parent)
    code = clean_code(code, level, parent)
    depth = (parent.depth + 1) if parent else 1
    if depth > MAX_DEPTH:
        raise ValidationFailed("组织层级过深", code="too_deep")
    if OrgUnit.objects.filter(parent=parent, level=level, name=name).exists():
        raise ValidationFailed(f"同一上级下已有同名单位“{name}”", code="duplicate")
    if code and OrgUnit.objects.filter(code=code).exists():
        raise ValidationFailed(f"区划代码{code}已被使用", code="duplicate_code")
    unit = OrgUnit.objects.create(
        parent=parent, level=level, name=name, code=code, depth=depth, path=f"~{uuid.uuid4().hex}"
    )
    unit.path = (parent.path if parent else "") + segment_for(unit.pk)
    OrgUnit.objects.filter(pk=unit.pk).update(path=unit.path)
    record_change(actor=actor, action="orgunit.create", obj=unit, before=None, after=snapshot(unit))
    return unit


@dataclass(frozen=True)
class NewUnit:
    """One unit for ``orgunits_bulk_create``: its parent already has its real path."""

    parent: OrgUnit | None
    level: str
    name: str
    code: str | None


@transaction.atomic
def orgunits_bulk_create(
    *, actor: Any, units: list[NewUnit], action: str = "orgunit.import"
) -> list[OrgUnit]:
    """Create one generation of units with one bulk insert, one bulk path update and one change
    record each — ``orgunit_create`` a few thousand times over would take minutes on an import.
    The placement is checked here; names and codes are the caller's to have checked (the
    importer reads the whole file before writing), the code's unique constraint still holds."""
    for parent in {u.parent for u in units}:
        if parent is not None:
            _require_manage(actor, parent)
        elif actor is not None and not path_allowed(actor, "orgunit.manage", ""):
            raise PermissionDenied("只有系统管理员可以创建根节点")
    for new in units:
        check_placement(new.level, new.parent)
    created = [
        OrgUnit(
            parent=new.parent,
            level=new.level,
            name=new.name,
            code=new.code,
            depth=(new.parent.depth + 1) if new.parent else 1,
            path=f"~{uuid.uuid4().hex}",
        )
        for new in units
    ]
    OrgUnit.objects.bulk_create(created)
    for unit in created:
        unit.path = (unit.parent.path if unit.parent else "") + segment_for(unit.pk)
    OrgUnit.objects.bulk_update(created, ["path"], batch_size=500)
    request_id = current_request_id()
    ChangeRecord.objects.bulk_create(
        [
            ChangeRecord(
                actor=actor,
                request_id=request_id,
                action=action,
                object_type=OrgUnit._meta.label_lower,
                object_id=str(u.pk),
                object_repr=u.name,
                scope_path=u.path,
                before=None,
                after=snapshot(u),
            )
            for u in created
        ],
        batch_size=500,
    )
    return created


@transaction.atomic
def orgunit_rename(*, actor: Any, unit: OrgUnit, name: str) -> OrgUnit:
    _require_manage(actor, unit)
    name = clean_text(name, field="名称", max_length=100)
    if name == unit.name:
        return unit
    if (
        OrgUnit.objects.filter(parent_id=unit.parent_id, level=unit.level, name=name)
        .exclude(pk=unit.pk)
        .exists()
    ):
        raise ValidationFailed(f"同一上级下已有同名单位“{name}”", code="duplicate")
    before = snapshot(unit)
    unit.name = name
    OrgUnit.objects.filter(pk=unit.pk).update(name=name)
    record_change(
        actor=actor, action="orgunit.rename", obj=unit, before=before, after=snapshot(unit)
    )
    return unit


@transaction.atomic
def orgunit_move(*, actor: Any, unit: OrgUnit, new_parent: OrgUnit) -> OrgUnit:
    """Move ``unit`` and its whole subtree under ``new_parent``.

    The actor must manage both the unit and the destination (a district admin cannot move a node
    into a sibling district). The subtree's paths and depths are rewritten by one UPDATE; the
    row's own ``path`` is re-read inside the transaction so a concurrent move of an ancestor cannot
    leave it with a stale prefix.
    """
    _require_manage(actor, unit)
    _require_manage(actor, new_parent)
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    new_parent = OrgUnit.objects.select_for_update().get(pk=new_parent.pk)
    if new_parent.path.startswith(unit.path):
        raise ValidationFailed("不能把单位移动到它自己或它的下级之下", code="cycle")
    check_placement(unit.level, new_parent)
    if unit.parent_id == new_parent.pk:
        return unit
    if (
        OrgUnit.objects.filter(parent=new_parent, level=unit.level, name=unit.name)
        .exclude(pk=unit.pk)
        .exists()
    ):
        raise ValidationFailed(f"目标单位下已有同名单位“{unit.name}”", code="duplicate")
    old_path = unit.path
    new_path = new_parent.path + segment_for(unit.pk)
    delta = new_parent.depth + 1 - unit.depth
    deepest = (
        OrgUnit.objects.filter(path__startswith=old_path)
        .order_by("-depth")
        .values_list("depth", flat=True)
        .first()
        or unit.depth
    )
    if deepest + delta > MAX_DEPTH:
        raise ValidationFailed("移动后组织层级过深", code="too_deep")
    before = snapshot(unit)
    OrgUnit.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + delta,
    )
    OrgUnit.objects.filter(pk=unit.pk).update(parent=new_parent)
    unit.refresh_from_db()
    record_change(actor=actor, action="orgunit.move", obj=unit, before=before, after=snapshot(unit))
    return unit
