"""Reads of history: change records as a viewer may see them (personal fields masked until
revealed through ``services.change_reveal``) and the personal-data access log, both scoped to the
viewer's subtree."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from banshi.audit.models import ChangeRecord, PersonalDataAccess
from banshi.core.errors import NotFound
from banshi.core.masking import mask_personal_fields, personal_fields_in
from banshi.core.permissions import can
from banshi.core.validation import parse_id

VIEW = "audit.view"


@dataclass(frozen=True)
class ChangeView:
    """One change record as shown: before/after with personal fields masked, which personal
    fields it holds, and whether this viewer may reveal them (logged)."""

    record: ChangeRecord
    before: Any
    after: Any
    personal_fields: list[str]
    can_reveal: bool


def change_view(user: Any, record: ChangeRecord) -> ChangeView:
    fields = personal_fields_in([record.before, record.after])
    return ChangeView(
        record,
        mask_personal_fields(record.before),
        mask_personal_fields(record.after),
        fields,
        bool(fields) and can(user, "pii.view", record),
    )


def change_records(user: Any, action: str = "") -> QuerySet[ChangeRecord]:
    records = ChangeRecord.objects.for_user(user, VIEW).select_related("actor")
    return records.filter(action=action) if action else records


def get_change_record(user: Any, record_id: object) -> ChangeRecord:
    pk = parse_id(record_id, field="记录编号")
    record = ChangeRecord.objects.for_user(user, VIEW).filter(pk=pk).first()
    if record is None:
        raise NotFound()
    return record


def access_log(user: Any) -> QuerySet[PersonalDataAccess]:
    return PersonalDataAccess.objects.for_user(user, VIEW).select_related("actor")
