"""API shapes. Input and output are separate classes; outputs never carry personal data beyond
staff names, and ids in bodies are plain integers that services check against the caller's scope."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from ninja import Field, Schema

from banshi.projects.lag import compute_lag

TEXT = 5000


class MilestoneIn(Schema):
    name: str = Field(..., max_length=TEXT)
    planned_date: datetime.date
    weight: int


class MilestoneOut(Schema):
    id: int
    seq: int
    name: str
    planned_date: datetime.date
    weight: int
    completed_on: datetime.date | None


class ListRefOut(Schema):
    list_id: int
    name: str
    level: str
    seq: int


class ProjectIn(Schema):
    org_unit_id: int
    lead_unit_id: int
    co_unit_ids: list[int] = []
    lead_leader_id: int | None = None
    number: str = Field("", max_length=TEXT)
    name: str = Field(..., max_length=TEXT)
    source: str = Field(..., max_length=TEXT)
    field: str = Field(..., max_length=TEXT)
    target: str = Field(..., max_length=TEXT)
    target_quantity: Decimal
    target_unit: str = Field(..., max_length=TEXT)
    measures: str = Field("", max_length=20000)
    handling_type: str = Field(..., max_length=TEXT)
    responsible_person: str = Field("", max_length=TEXT)
    responsible_title: str = Field("", max_length=TEXT)
    start_date: datetime.date
    deadline: datetime.date
    funds_planned: Decimal = Decimal(0)
    min_satisfaction: Decimal | None = None
    milestones: list[MilestoneIn] = []
    list_ids: list[int] = []


class ProjectUpdateIn(Schema):
    lead_unit_id: int
    co_unit_ids: list[int] = []
    lead_leader_id: int | None = None
    name: str = Field(..., max_length=TEXT)
    source: str = Field(..., max_length=TEXT)
    field: str = Field(..., max_length=TEXT)
    target: str = Field(..., max_length=TEXT)
    target_quantity: Decimal
    target_unit: str = Field(..., max_length=TEXT)
    measures: str = Field("", max_length=20000)
    handling_type: str = Field(..., max_length=TEXT)
    responsible_person: str = Field("", max_length=TEXT)
    responsible_title: str = Field("", max_length=TEXT)
    start_date: datetime.date
    deadline: datetime.date
    funds_planned: Decimal = Decimal(0)
    min_satisfaction: Decimal | None = None
    milestones: list[MilestoneIn] = []


def _lag(obj: Any) -> Any:
    lag = getattr(obj, "lag", None)
    if lag is None:
        lag = compute_lag(obj, timezone.localdate())
        obj.lag = lag
    return lag


class ProjectOut(Schema):
    id: int
    number: str
    name: str
    source: str
    field: str
    target: str
    target_quantity: Decimal
    target_unit: str
    measures: str
    handling_type: str
    status: str
    status_label: str
    version: int
    org_unit_id: int
    lead_unit_id: int
    lead_unit_name: str
    co_unit_ids: list[int]
    lead_leader_id: int | None
    lead_leader_name: str
    responsible_person: str
    responsible_title: str
    start_date: datetime.date
    deadline: datetime.date
    funds_planned: Decimal
    funds_spent: Decimal
    progress_percent: int
    colour: str
    stale: bool
    expected_percent: int
    lag_reason: str
    deadline_change_count: int
    supervise_count: int
    urge_count: int
    closed_at: datetime.datetime | None
    published_at: datetime.datetime | None
    lists: list[ListRefOut]
    milestones: list[MilestoneOut]

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_lead_unit_name(obj: Any) -> str:
        return str(obj.lead_unit.name)

    @staticmethod
    def resolve_co_unit_ids(obj: Any) -> list[int]:
        return [u.pk for u in obj.co_units.all()]

    @staticmethod
    def resolve_lead_leader_name(obj: Any) -> str:
        return obj.lead_leader.name if obj.lead_leader else ""

    @staticmethod
    def resolve_colour(obj: Any) -> str:
        return str(_lag(obj).colour)

    @staticmethod
    def resolve_stale(obj: Any) -> bool:
        return bool(_lag(obj).stale)

    @staticmethod
    def resolve_expected_percent(obj: Any) -> int:
        return int(_lag(obj).expected_percent)

    @staticmethod
    def resolve_lag_reason(obj: Any) -> str:
        return str(_lag(obj).reason)

    @staticmethod
    def resolve_lists(obj: Any) -> list[dict[str, Any]]:
        return [
            {
                "list_id": e.project_list_id,
                "name": e.project_list.name,
                "level": e.project_list.level,
                "seq": e.seq,
            }
            for e in obj.list_entries.all()
        ]

    @staticmethod
    def resolve_milestones(obj: Any) -> list[Any]:
        return list(obj.milestones.all())


class TransitionIn(Schema):
    action: str = Field(..., max_length=32)
    note: str = Field("", max_length=TEXT)
    merge_into_id: int | None = None


class ConfirmIn(Schema):
    party: str = Field(..., max_length=16)


class PlaceIn(Schema):
    list_id: int


class ProjectEventOut(Schema):
    id: int
    at: datetime.datetime
    actor_name: str
    action: str
    label: str
    from_status: str
    to_status: str
    note: str

    @staticmethod
    def resolve_actor_name(obj: Any) -> str:
        return obj.actor.name if obj.actor else "系统"


class ListIn(Schema):
    org_unit_id: int
    name: str = Field(..., max_length=TEXT)
    level: str = Field(..., max_length=64)
    year: int
    batch: str = Field("", max_length=TEXT)
    description: str = Field("", max_length=20000)


class ListOut(Schema):
    id: int
    name: str
    level: str
    year: int
    batch: str
    org_unit_id: int
    size: int = 0


class ReportIn(Schema):
    report_date: datetime.date
    text: str = Field(..., max_length=20000)
    percent: int
    funds_spent: Decimal
    milestone_ids: list[int] = []
    submit: bool = False


class ReviewIn(Schema):
    approve: bool
    note: str = Field("", max_length=TEXT)


class ReportOut(Schema):
    id: int
    project_id: int
    report_date: datetime.date
    text: str
    percent: int
    funds_spent: Decimal
    status: str
    author_id: int
    submitted_at: datetime.datetime | None
    reviewed_at: datetime.datetime | None
    review_note: str


class ProjectAttachmentOut(Schema):
    id: int
    project_id: int
    kind: str
    original_name: str
    content_type: str
    size: int
    caption: str


class DeadlineChangeIn(Schema):
    new_deadline: datetime.date
    reason: str = Field(..., max_length=TEXT)


class DecideIn(Schema):
    approve: bool
    note: str = Field("", max_length=TEXT)


class DeadlineChangeOut(Schema):
    id: int
    project_id: int
    old_deadline: datetime.date
    new_deadline: datetime.date
    reason: str
    status: str
    decision_note: str


class NoticeIn(Schema):
    kind: str = Field(..., max_length=16)
    content: str = Field(..., max_length=TEXT)
    due_date: datetime.date
    to_unit_id: int | None = None


class RespondIn(Schema):
    response: str = Field(..., max_length=TEXT)


class NoticeOut(Schema):
    id: int
    project_id: int
    kind: str
    to_unit_id: int
    cc_leader_id: int | None
    content: str
    due_date: datetime.date
    issued_at: datetime.datetime
    status: str
    response: str


class ItemIn(Schema):
    content: str = Field(..., max_length=TEXT)
    owner_unit_id: int
    due_date: datetime.date
    owner_person: str = Field("", max_length=TEXT)


class ItemOut(Schema):
    id: int
    project_id: int | None
    inspection_id: int | None
    meeting_id: int | None
    content: str
    owner_unit_id: int
    owner_unit_name: str
    owner_person: str
    due_date: datetime.date
    status: str
    done_note: str

    @staticmethod
    def resolve_owner_unit_name(obj: Any) -> str:
        return str(obj.owner_unit.name)


class ItemRowOut(ItemOut):
    """An item on the caller's list, with whether the caller may report it done."""

    may_complete: bool = False


class CompleteIn(Schema):
    note: str = Field(..., max_length=TEXT)


class InspectionIn(Schema):
    inspected_at: datetime.datetime
    place: str = Field(..., max_length=TEXT)
    findings: str = Field(..., max_length=20000)
    purpose: str = Field(..., max_length=32)
    passed: bool = True
    rectifications: list[ItemIn] = []


class InspectionOut(Schema):
    id: int
    project_id: int
    inspector_id: int
    inspected_at: datetime.datetime
    place: str
    findings: str
    purpose: str
    passed: bool
    items: list[ItemOut]

    @staticmethod
    def resolve_items(obj: Any) -> list[Any]:
        return list(obj.items.all())


class LinkIn(Schema):
    leader_id: int
    kind: str = Field(..., max_length=16)
    org_unit_id: int | None = None
    project_id: int | None = None
    since: datetime.date | None = None
    note: str = Field("", max_length=TEXT)


class LinkOut(Schema):
    id: int
    leader_id: int
    leader_name: str
    kind: str
    org_unit_id: int
    project_id: int | None
    since: datetime.date
    note: str
    ended_at: datetime.datetime | None

    @staticmethod
    def resolve_leader_name(obj: Any) -> str:
        return str(obj.leader.name)


class MeetingIn(Schema):
    org_unit_id: int
    held_at: datetime.datetime
    place: str = Field(..., max_length=TEXT)
    topic: str = Field(..., max_length=TEXT)
    minutes: str = Field("", max_length=50000)
    project_id: int | None = None
    decisions: list[ItemIn]


class MeetingOut(Schema):
    id: int
    leader_id: int
    org_unit_id: int
    held_at: datetime.datetime
    place: str
    topic: str
    minutes: str
    project_id: int | None
    items: list[ItemOut]

    @staticmethod
    def resolve_items(obj: Any) -> list[Any]:
        return list(obj.items.all())


class EvaluationIn(Schema):
    choice: str = Field(
        ...,
        max_length=16,
        description=(
            "satisfied 满意 | basic 基本满意 | dissatisfied 不满意（也接受中文名称；"
            "旧写法 not 仍按 dissatisfied 受理，答复一律用 dissatisfied）"
        ),
    )
    comment: str = Field("", max_length=TEXT)
    count: int = 1


class EvaluationSourceOut(Schema):
    respondents: str  # residents | linked_citizens
    satisfied: int
    basic: int
    not_satisfied: int
    total: int


class EvaluationSummaryOut(Schema):
    total: int
    satisfied: int
    basic: int
    not_satisfied: int
    rate: Decimal
    required_rate: Decimal
    required_count: int
    meets: bool
    by_respondents: list[EvaluationSourceOut] = []


# --- Links to requests ----------------------------------------------------------------------------


class ProjectFromOrdersIn(ProjectIn):
    """A project made from requests: the ledger fields plus the requests (ids or 14-digit
    numbers), each of which must be visible to the caller."""

    order_ids: list[str] = Field(..., min_length=1, max_length=200)


class OrdersIn(Schema):
    order_ids: list[str] = Field(..., min_length=1, max_length=200)


class LinkedOrderOut(Schema):
    """A linked request as the project sees it: no caller name or phone."""

    order_id: int
    number: str
    title: str
    category: str
    org_unit_name: str
    status: str
    received_at: datetime.datetime
    linked_at: datetime.datetime
    linked_by_name: str
    evaluation: str  # the citizen's answer on the project, "" when none


class LinkedOrdersOut(Schema):
    """The linked requests the caller may read, and how many others are linked: those lie
    outside the caller's scope and are only counted."""

    requests: list[LinkedOrderOut]
    hidden_count: int
    hidden_note: str  # "另有 N 件不在您的管辖范围内", or "" when none is hidden


class RecurrenceMonthOut(Schema):
    month: str  # YYYY-MM
    phase: str  # before | during | after
    count: int


class RecurrenceOut(Schema):
    categories: list[str]
    place: str
    window_months: int
    completed_on: datetime.date | None
    before_total: int
    before_average: float | None
    after_total: int
    after_average: float | None
    months: list[RecurrenceMonthOut]


class CadenceRunOut(Schema):
    id: int
    kind: str
    period: str
    created_at: datetime.datetime
    summary: dict[str, Any]
    excel_url: str
    pdf_url: str
