"""Writing history (call these inside the service's own transaction), and the logged reveal of the
personal data a change record holds."""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import models, transaction

from banshi.audit.models import ChangeRecord, PersonalDataAccess
from banshi.core.errors import PermissionDenied, ValidationFailed
from banshi.core.masking import personal_fields_in
from banshi.core.middleware import current_request_id
from banshi.core.permissions import can
from banshi.core.scoping import home_path


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """A JSON-ready dict of the concrete fields (foreign keys as ids), for before/after."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in {"password"}:
            continue
        data[field.attname] = _jsonable(getattr(obj, field.attname))
    return data


def object_type_of(obj: models.Model) -> str:
    return obj._meta.label_lower


def _scope_path_of(obj: models.Model) -> str:
    """The org-tree path an object is filed under: its ``Scope``'s home, else its ``org_path``."""
    return home_path(obj)


def record_change(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> ChangeRecord:
    return ChangeRecord.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        request_id=current_request_id(),
        action=action,
        object_type=object_type_of(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        scope_path=_scope_path_of(obj),
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
    )


def log_personal_data_access(
    *, actor: Any, obj: models.Model, fields: list[str], purpose: str = ""
) -> PersonalDataAccess:
    return PersonalDataAccess.objects.create(
        actor=actor,
        request_id=current_request_id(),
        object_type=object_type_of(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        fields=list(fields),
        purpose=purpose[:100],
        scope_path=_scope_path_of(obj),
    )


def change_reveal(*, actor: Any, record: ChangeRecord, purpose: str = "") -> dict[str, Any]:
    """A change record's before/after with personal fields unmasked, for a role holding
    ``pii.view`` where the changed object is; logged like every other reveal."""
    fields = personal_fields_in([record.before, record.after])
    if not fields:
        raise ValidationFailed("该记录不含个人信息", code="no_personal_data")
    if not can(actor, "pii.view", record):
        raise PermissionDenied("您无权查看完整个人信息")
    with transaction.atomic():
        log_personal_data_access(
            actor=actor, obj=record, fields=fields, purpose=purpose or "变更记录"
        )
    return {"before": record.before, "after": record.after}
