"""Every write of the dispatch assistant and of 未诉先办: training and storing a category model,
recording a dispatch decision against the suggestion, turning findings into proposals, and a
supervisor's ruling on a proposal (dismiss, 每月一题, 实事项目).

Projects are created only through ``projects.services.project_create_from_orders`` — the same
path as "转为实事项目" on the request list — so a proposal's project is a collected (征集) project
like any other, linked to its requests, whose citizens hear about it.
"""

from __future__ import annotations

import datetime
import logging
import time
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from banshi.audit.services import record_change, snapshot
from banshi.core.calendar import local
from banshi.core.errors import Conflict, ValidationFailed
from banshi.core.permissions import require
from banshi.core.validation import clean_text
from banshi.insight import engine
from banshi.insight.choices import ProposalStatus
from banshi.insight.classifier import ALGORITHM, Classifier
from banshi.insight.detect import Finding, detect_all
from banshi.insight.models import (
    CategoryModel,
    DetectionRun,
    DispatchDecision,
    MonthlyTopic,
    Proposal,
)
from banshi.insight.training import (
    confirmed_orders,
    history_rows,
    history_samples,
    leaf_paths,
    lexicon_samples,
)
from banshi.orgtree.models import OrgUnit
from banshi.projects import linking
from banshi.projects import services as projects
from banshi.projects.choices import HandlingType, Source
from banshi.projects.models import Project
from banshi.workorders.models import Category, WorkOrder

logger = logging.getLogger("banshi.insight")
REVIEW = "insight.review"
RETRAIN_HOURS = 24
RENEW_AFTER_DECISION = 3  # new requests needed before a decided finding is proposed again


# --- the category model ----------------------------------------------------------------------


def model_train(
    *, actor: Any, now: datetime.datetime | None = None, exclude: list[int] | None = None
) -> CategoryModel:
    """Train on the lexicon and the confirmed history (minus ``exclude``, for evaluation) and
    store the result as the next version. Two trainers racing each store their own version."""
    now = now or timezone.now()
    started = time.monotonic()
    lexicon = lexicon_samples(leaf_paths())
    rows = history_rows(until=now, exclude=exclude or [])
    classifier = Classifier.train(lexicon + history_samples(rows))
    seconds = round(time.monotonic() - started, 2)
    newest = max((received for *_, received in rows), default=None)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                latest = CategoryModel.objects.aggregate(v=Max("version"))["v"] or 0
                model = CategoryModel.objects.create(
                    version=latest + 1,
                    trained_at=now,
                    algorithm=ALGORITHM,
                    lexicon_samples=len(lexicon),
                    history_samples=len(rows),
                    history_until=newest,
                    classes=len(classifier.labels),
                    seconds=seconds,
                    blob=classifier.dumps(),
                )
                record_change(
                    actor=actor,
                    action="insight.model_train",
                    obj=model,
                    before=None,
                    after={
                        "version": model.version,
                        "lexicon_samples": model.lexicon_samples,
                        "history_samples": model.history_samples,
                        "classes": model.classes,
                        "seconds": seconds,
                    },
                )
            break
        except IntegrityError:
            continue
    else:  # pragma: no cover - three concurrent trainings finishing in the same instant
        raise Conflict("模型版本分配冲突，请重试")
    logger.info("派单分类模型 v%s：词库%s条，历史%s条", model.version, len(lexicon), len(rows))
    return model


def retrain_job(now: datetime.datetime) -> int:
    """Scheduler job: train when no model exists, or when the newest is a day old and requests
    were confirmed since its history ends. Returns the number of models trained (0 or 1)."""
    latest = CategoryModel.objects.order_by("-version").first()
    if latest is not None:
        if now - latest.trained_at < datetime.timedelta(hours=RETRAIN_HOURS):
            return 0
        newer = confirmed_orders()
        if latest.history_until is not None:
            newer = newer.filter(received_at__gt=latest.history_until)
        if not newer.exists():
            return 0
    model_train(actor=None, now=now)
    engine.forget()
    return 1


# --- dispatch decisions ----------------------------------------------------------------------


def _rank(items: list[Any], value: Any) -> int | None:
    for index, item in enumerate(items, start=1):
        if item == value:
            return index
    return None


def decision_record(
    *, actor: Any, order: WorkOrder, action: str, category_before: Category
) -> DispatchDecision | None:
    """Called by ``workorders`` inside each dispatch: what the assistant suggests for this
    request now (with the model it would have shown) against the category kept and the lead
    unit chosen. Without a stored model yet nothing is recorded — training does not belong in a
    dispatch."""
    if order.lead_unit is None:
        return None
    loaded = engine.current_model(ensure=False)
    if loaded is None:
        return None
    ask = engine.Ask(order.content, order.title, order.address)
    suggestion = engine.suggest(ask, user=actor, categories=5, units=5, with_units=False)
    known = engine.routing_stats_without(
        order, [c.category.pk for c in suggestion.categories[: engine.CATEGORY_SPREAD]]
    )
    units, _ = engine.rank_units(actor, order.org_unit, suggestion.categories, 5, stats=known)
    codes = [c.category.code for c in suggestion.categories]
    unit_ids = [u.unit.pk for u in units]
    return DispatchDecision.objects.create(
        order=order,
        action=action,
        decided_at=order.updated_at,  # the transition's moment
        actor=actor if getattr(actor, "pk", None) else None,
        model_version=suggestion.model_version,
        suggested_categories=[
            {"code": c.category.code, "score": c.score} for c in suggestion.categories
        ],
        suggested_units=[{"id": u.unit.pk, "score": u.score} for u in units],
        category_before=category_before,
        category=order.category,
        unit=order.lead_unit,
        category_rank=_rank(codes, order.category.code),
        unit_rank=_rank(unit_ids, order.lead_unit_id),
    )


def observe_dispatch(*, actor: Any, order: WorkOrder, action: str, category_before: Any) -> None:
    """The observer ``InsightConfig.ready`` registers with ``workorders.extras``."""
    decision_record(actor=actor, order=order, action=action, category_before=category_before)


# --- proposals -------------------------------------------------------------------------------


def _place_finding(finding: Finding, now: datetime.datetime) -> tuple[str, Proposal | None]:
    """Create or refresh the proposal for one finding: ("created" | "updated" | "skipped")."""
    open_ = (
        Proposal.objects.filter(
            kind=finding.kind, subject=finding.subject, status=ProposalStatus.OPEN
        )
        .order_by("-id")
        .first()
    )
    if open_ is not None:
        known = set(open_.orders.values_list("pk", flat=True))
        fresh = [pk for pk in finding.order_ids if pk not in known]
        if not fresh and open_.statistic == finding.statistic:
            return "skipped", open_
        if fresh:
            open_.orders.add(*fresh)
        open_.count = len(known) + len(fresh)
        open_.statistic = finding.statistic
        open_.evidence = finding.evidence
        open_.last_at = max(open_.last_at, finding.last_at)
        open_.updated_at = now
        open_.save(update_fields=["count", "statistic", "evidence", "last_at", "updated_at"])
        return "updated", open_
    decided = (
        Proposal.objects.filter(kind=finding.kind, subject=finding.subject)
        .exclude(status=ProposalStatus.OPEN)
        .order_by("-decided_at")
        .first()
    )
    order_ids = finding.order_ids
    if decided is not None and decided.decided_at is not None:
        # After a ruling, only what arrived since counts. Unscoped: detection acts for the
        # system on the finding's own requests.
        order_ids = list(
            WorkOrder.objects.unscoped()
            .filter(pk__in=order_ids, received_at__gt=decided.decided_at)
            .values_list("pk", flat=True)
        )
        if len(order_ids) < RENEW_AFTER_DECISION:
            return "skipped", None
    proposal = Proposal.objects.create(
        kind=finding.kind,
        subject=finding.subject,
        category=finding.category,
        org_unit=finding.org_unit,
        title=finding.title[:200],
        statistic=finding.statistic[:500],
        evidence=finding.evidence,
        count=len(order_ids),
        first_at=finding.first_at,
        last_at=finding.last_at,
        detected_at=now,
        updated_at=now,
    )
    proposal.orders.add(*order_ids)
    record_change(
        actor=None,
        action="insight.proposal_detect",
        obj=proposal,
        before=None,
        after={"kind": proposal.kind, "title": proposal.title, "count": proposal.count},
    )
    return "created", proposal


def proposals_detect(now: datetime.datetime) -> int:
    """Run every detector at ``now`` and record what it found; returns the proposals created.
    Each finding is written in its own transaction (one open proposal per finding is also a
    database constraint, so a concurrent run loses cleanly)."""
    created = 0
    for finding in detect_all(now):
        try:
            with transaction.atomic():
                outcome, _ = _place_finding(finding, now)
        except IntegrityError:
            continue
        created += outcome == "created"
    return created


def proposals_job(now: datetime.datetime) -> int:
    """Scheduler job: detect once per local hour (claimed by inserting the hour's row)."""
    slot = local(now).strftime("%Y-%m-%dT%H")
    try:
        with transaction.atomic():
            run = DetectionRun.objects.create(slot=slot, started_at=now)
    except IntegrityError:
        return 0
    found = proposals_detect(now)
    DetectionRun.objects.filter(pk=run.pk).update(found=found)
    return found


def _claim(actor: Any, proposal: Proposal) -> Proposal:
    """The proposal, re-read, still open, and in the actor's review scope."""
    require(actor, REVIEW, proposal, view_action="insight.view")
    current = Proposal.objects.select_related("org_unit", "category").get(pk=proposal.pk)
    if current.status != ProposalStatus.OPEN:
        raise Conflict("该线索已被处理，请刷新后查看", code="proposal_decided")
    return current


def _decide(actor: Any, proposal: Proposal, status: str, **fields: Any) -> Proposal:
    now = timezone.now()
    updated = Proposal.objects.filter(pk=proposal.pk, status=ProposalStatus.OPEN).update(
        status=status, decided_by=actor, decided_at=now, updated_at=now, **fields
    )
    if not updated:
        raise Conflict("该线索已被处理，请刷新后查看", code="proposal_decided")
    fresh = Proposal.objects.select_related("org_unit", "category").get(pk=proposal.pk)
    record_change(
        actor=actor,
        action=f"insight.proposal_{status}",
        obj=fresh,
        before={"status": ProposalStatus.OPEN},
        after={"status": status, **{k: getattr(v, "pk", v) for k, v in fields.items()}},
    )
    return fresh


@transaction.atomic
def proposal_dismiss(*, actor: Any, proposal: Proposal, reason: object) -> Proposal:
    """Dismiss with a reason; the same finding comes back only with new requests."""
    current = _claim(actor, proposal)
    text = clean_text(reason, field="驳回理由", max_length=500)
    return _decide(actor, current, ProposalStatus.DISMISSED, dismiss_reason=text)


def _visible_orders(actor: Any, proposal: Proposal) -> list[WorkOrder]:
    ids = list(proposal.orders.values_list("pk", flat=True))
    orders = list(
        WorkOrder.objects.for_user(actor, "workorder.view")
        .filter(pk__in=ids)
        .select_related("category__parent__parent", "org_unit", "lead_unit")
        .order_by("received_at", "pk")
    )
    if not orders:
        raise ValidationFailed("该线索的工单均不在您的管辖范围内", code="no_visible_orders")
    return orders


@dataclass
class ProjectChoice:
    """What the reviewer may change of the pre-filled project (blank keeps the suggestion)."""

    name: object = ""
    target: object = ""
    deadline: object = ""


@transaction.atomic
def proposal_to_project(
    *, actor: Any, proposal: Proposal, choice: ProjectChoice | None = None
) -> Project:
    """创建实事项目: a collected project made from the proposal's requests, pre-filled the way
    "转为实事项目" pre-fills it, through the projects service; the proposal is closed with it."""
    current = _claim(actor, proposal)
    orders = _visible_orders(actor, current)
    choice = choice or ProjectChoice()
    prefill = linking.prefill(actor, orders, timezone.localdate())
    if prefill.org_unit is None or prefill.lead_unit is None:
        raise ValidationFailed("无法确定项目所属单位，请在实事项目台账中手工创建", code="no_unit")
    values = dict(prefill.values)
    for key in ("name", "target", "deadline"):
        given = getattr(choice, key)
        if str(given or "").strip():
            values[key] = given
    project = projects.project_create_from_orders(
        actor=actor,
        orders=orders,
        org_unit=prefill.org_unit,
        lead_unit=prefill.lead_unit,
        data=_project_data(values),
    )
    _decide(actor, current, ProposalStatus.PROJECT, project=project)
    return project


def _project_data(values: dict[str, Any]) -> projects.ProjectData:
    return projects.ProjectData(
        name=values["name"],
        source=values["source"],
        field=values["field"],
        target=values["target"],
        target_quantity=values["target_quantity"],
        target_unit=values["target_unit"],
        handling_type=values["handling_type"],
        start_date=values["start_date"],
        deadline=values["deadline"],
        measures=values.get("measures", ""),
        funds_planned=values.get("funds_planned", 0),
    )


@dataclass
class TopicChoice:
    """每月一题 as the reviewer sets it: the month (YYYY-MM), the problem, the lead unit, the
    target and the deadline."""

    month: object
    title: object
    lead_unit: OrgUnit
    target: object
    deadline: object


def parse_month(value: object) -> datetime.date:
    text = str(value or "").strip()[:7]
    try:
        day = datetime.date.fromisoformat(f"{text}-01")
    except ValueError as exc:
        raise ValidationFailed("月份格式应为 YYYY-MM", code="invalid_month") from exc
    if not 2000 <= day.year <= 2100:
        raise ValidationFailed("月份超出范围", code="invalid_month")
    return day


@transaction.atomic
def proposal_to_topic(*, actor: Any, proposal: Proposal, choice: TopicChoice) -> MonthlyTopic:
    """列为每月一题: the topic is tracked by a project made from the proposal's requests (its
    milestones, progress, supervision and 销号), with the lead unit, target and deadline set
    here; the topic row names the month."""
    current = _claim(actor, proposal)
    orders = _visible_orders(actor, current)
    month = parse_month(choice.month)
    title = clean_text(choice.title, field="题目", max_length=150)
    target = clean_text(choice.target, field="目标", max_length=500)
    prefill = linking.prefill(actor, orders, timezone.localdate())
    if prefill.org_unit is None:
        raise ValidationFailed("无法确定每月一题的所属单位", code="no_unit")
    values = dict(prefill.values)
    values.update(
        name=f"每月一题（{month.year}年{month.month}月）：{title}",
        source=Source.HOTLINE_CLUSTER,
        target=target,
        handling_type=HandlingType.DEADLINE,
        deadline=choice.deadline,
    )
    project = projects.project_create_from_orders(
        actor=actor,
        orders=orders,
        org_unit=prefill.org_unit,
        lead_unit=choice.lead_unit,
        data=_project_data(values),
    )
    topic = MonthlyTopic.objects.create(
        month=month,
        title=title,
        org_unit=prefill.org_unit,
        lead_unit=choice.lead_unit,
        target=target,
        deadline=project.deadline,
        project=project,
        proposal=current,
        created_by=actor if getattr(actor, "pk", None) else None,
        created_at=timezone.now(),
    )
    record_change(
        actor=actor, action="insight.topic_create", obj=topic, before=None, after=snapshot(topic)
    )
    _decide(actor, current, ProposalStatus.TOPIC, project=project)
    return topic
