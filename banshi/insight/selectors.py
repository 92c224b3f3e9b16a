"""Reads of 未诉先办 and of the dispatch assistant's record, always through the viewer's scope."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from banshi.core.errors import NotFound
from banshi.core.validation import parse_id
from banshi.insight.choices import ProposalKind, ProposalStatus
from banshi.insight.models import CategoryModel, DispatchDecision, MonthlyTopic, Proposal
from banshi.workorders.models import WorkOrder

VIEW = "insight.view"


def proposals(
    user: Any, *, status: str | None = ProposalStatus.OPEN, kind: str | None = None
) -> QuerySet[Proposal]:
    qs = Proposal.objects.for_user(user, VIEW).select_related("category", "org_unit")
    if status in ProposalStatus.values:
        qs = qs.filter(status=status)
    if kind in ProposalKind.values:
        qs = qs.filter(kind=kind)
    return qs.order_by("-detected_at", "-id")


def open_counts(user: Any) -> dict[str, int]:
    """Open proposals per kind, every kind present (0 when none)."""
    rows = (
        Proposal.objects.for_user(user, VIEW)
        .filter(status=ProposalStatus.OPEN)
        .values("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {kind: 0 for kind in ProposalKind.values}
    counts.update({r["kind"]: r["n"] for r in rows})
    return counts


def get_proposal(user: Any, ref: object) -> Proposal:
    pk = parse_id(ref, field="线索编号")
    found = (
        Proposal.objects.for_user(user, VIEW)
        .select_related("category__parent__parent", "org_unit", "decided_by", "project")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound("线索不存在或不在您的管辖范围内")
    return found


def evidence(user: Any, proposal: Proposal) -> tuple[list[WorkOrder], int]:
    """The proposal's requests the viewer may open, and how many more it holds out of sight."""
    ids = list(proposal.orders.values_list("pk", flat=True))
    visible = list(
        WorkOrder.objects.for_user(user, "workorder.view")
        .filter(pk__in=ids)
        .select_related("category", "org_unit", "lead_unit")
        .order_by("-received_at", "-id")
    )
    return visible, len(ids) - len(visible)


def topics(user: Any) -> QuerySet[MonthlyTopic]:
    return (
        MonthlyTopic.objects.for_user(user, VIEW)
        .select_related("org_unit", "lead_unit", "project", "proposal")
        .order_by("-month", "-id")
    )


@dataclass
class Accuracy:
    """How often the dispatcher kept what the assistant put first (or in its top three)."""

    decisions: int
    category_top1: float | None
    category_top3: float | None
    unit_top1: float | None
    unit_top3: float | None
    by_version: list[dict[str, Any]]


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def accuracy(user: Any, *, days: int = 30, now: datetime.datetime | None = None) -> Accuracy:
    """Over the first dispatch decisions of the last ``days`` days in the viewer's scope."""
    now = now or timezone.now()
    qs = DispatchDecision.objects.for_user(user, VIEW).filter(
        decided_at__gte=now - datetime.timedelta(days=days),
        action="dispatch",
        model_version__isnull=False,
    )
    total = qs.aggregate(
        n=Count("id"),
        c1=Count("id", filter=Q(category_rank=1)),
        c3=Count("id", filter=Q(category_rank__lte=3)),
        u1=Count("id", filter=Q(unit_rank=1)),
        u3=Count("id", filter=Q(unit_rank__lte=3)),
    )
    rows = (
        qs.values("model_version")
        .annotate(
            n=Count("id"),
            c1=Count("id", filter=Q(category_rank=1)),
            u1=Count("id", filter=Q(unit_rank=1)),
        )
        .order_by("-model_version")
    )
    return Accuracy(
        total["n"],
        _rate(total["c1"], total["n"]),
        _rate(total["c3"], total["n"]),
        _rate(total["u1"], total["n"]),
        _rate(total["u3"], total["n"]),
        [
            {
                "version": r["model_version"],
                "n": r["n"],
                "category_top1": _rate(r["c1"], r["n"]),
                "unit_top1": _rate(r["u1"], r["n"]),
            }
            for r in rows
        ],
    )


def models(limit: int = 10) -> list[CategoryModel]:
    """The newest stored model versions, without their blobs."""
    return list(CategoryModel.objects.defer("blob").order_by("-version")[:limit])


def order_decisions(user: Any, order: WorkOrder) -> QuerySet[DispatchDecision]:
    return (
        DispatchDecision.objects.for_user(user, VIEW)
        .filter(order=order)
        .select_related("category", "unit", "actor")
        .order_by("decided_at", "id")
    )
