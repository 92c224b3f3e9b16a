"""REST endpoints for the 实事项目 ledger, mounted at /api/v1/projects. Every id in a path is taken
as text and parsed (non-numeric or beyond 64 bits: 404); every action goes through the same
services as the pages, so it is scoped and leaves its change record."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile

from banshi.accounts.models import User
from banshi.core.choices import Colour, Satisfaction
from banshi.core.errors import ValidationFailed
from banshi.core.http import etag, expected_version
from banshi.core.permissions import require
from banshi.core.validation import parse_id
from banshi.orgtree.models import OrgUnit
from banshi.orgtree.selectors import get_unit
from banshi.projects import linking, selectors, services
from banshi.projects.choices import Field, ListLevel, Status
from banshi.projects.schemas import (
    CadenceRunOut,
    CompleteIn,
    ConfirmIn,
    DeadlineChangeIn,
    DeadlineChangeOut,
    DecideIn,
    EvaluationIn,
    EvaluationSummaryOut,
    InspectionIn,
    InspectionOut,
    ItemIn,
    ItemOut,
    ItemRowOut,
    LinkedOrdersOut,
    LinkIn,
    LinkOut,
    ListIn,
    ListOut,
    MeetingIn,
    MeetingOut,
    NoticeIn,
    NoticeOut,
    OrdersIn,
    PlaceIn,
    ProjectAttachmentOut,
    ProjectEventOut,
    ProjectFromOrdersIn,
    ProjectIn,
    ProjectOut,
    ProjectUpdateIn,
    RecurrenceOut,
    ReportIn,
    ReportOut,
    RespondIn,
    ReviewIn,
    TransitionIn,
)

router = Router(tags=["实事项目"])


class LedgerQuery(Schema):
    list_id: str | None = None
    level: str | None = None
    unit_id: str | None = None
    leader_id: str | None = None
    colour: str | None = None
    status: str | None = None
    field: str | None = None
    q: str | None = None
    stale: bool = False
    limit: int = 200
    offset: int = 0


def _units(place: OrgUnit, ids: list[int], extra: list[OrgUnit] | None = None) -> list[OrgUnit]:
    """配合单位 by id: units that serve ``place`` (the routing rule), else one 404."""
    return [
        selectors.get_assignable_unit(place, i, field="配合单位", extra=extra or [])
        for i in dict.fromkeys(ids)
    ]


def _leader(leader_id: int | None, units: list[OrgUnit]) -> User | None:
    """The named leader, who must lead at one of ``units``; anyone else, and ids that do not
    exist, answer the same 404."""
    if leader_id is None:
        return None
    return selectors.get_leader(leader_id, units)


def _data(payload: ProjectIn | ProjectUpdateIn) -> services.ProjectData:
    return services.ProjectData(
        name=payload.name,
        source=payload.source,
        field=payload.field,
        target=payload.target,
        target_quantity=payload.target_quantity,
        target_unit=payload.target_unit,
        handling_type=payload.handling_type,
        start_date=payload.start_date,
        deadline=payload.deadline,
        measures=payload.measures,
        responsible_person=payload.responsible_person,
        responsible_title=payload.responsible_title,
        funds_planned=payload.funds_planned,
        min_satisfaction=payload.min_satisfaction,
        milestones=[
            services.MilestoneIn(m.name, m.planned_date, m.weight) for m in payload.milestones
        ],
    )


def _items(
    place: OrgUnit, items: list[ItemIn], extra: list[OrgUnit] | None = None
) -> list[services.ItemIn]:
    """Supervised items whose owner units serve ``place`` (or are in ``extra``)."""
    return [
        services.ItemIn(
            i.content,
            selectors.get_assignable_unit(
                place, i.owner_unit_id, field="责任单位", extra=extra or []
            ),
            i.due_date,
            i.owner_person,
        )
        for i in items
    ]


def _fresh(user: Any, project: Any, response: HttpResponse | None = None) -> Any:
    fresh = selectors.get_project(user, project.pk)
    if response is not None:
        response["ETag"] = etag(fresh.version)
    return fresh


IF_MATCH = (
    "可带请求头 If-Match（项目详情返回的 ETag，或 version 字段）：项目已被他人修改、版本变化时"
    "返回 409 stale_version，不会覆盖他人的修改；不带则不作版本检查（兼容旧客户端）。"
)


# --- Collection-level endpoints (registered before /{project_id}) -------------------------------


@router.get(
    "", response=list[ProjectOut], summary="台账（按清单、层级、单位、领导、预警、状态、领域筛选）"
)
def ledger(request: HttpRequest, params: Query[LedgerQuery]):
    require(request.user, "project.view")

    def pick(value: str | None, allowed: list[str]) -> str:
        return value if value in allowed else ""

    filters = selectors.LedgerFilters(
        list_id=parse_id(params.list_id, field="清单编号") if params.list_id else None,
        level=pick(params.level, list(ListLevel.values)),
        unit=get_unit(request.user, params.unit_id) if params.unit_id else None,
        leader_id=parse_id(params.leader_id, field="领导编号") if params.leader_id else None,
        colour=pick(params.colour, list(Colour.values)),
        status=pick(params.status, list(Status.values)),
        field=pick(params.field, list(Field.values)),
        q=(params.q or "")[:50],
        stale_only=params.stale,
    )
    rows = selectors.ledger(request.user, filters, timezone.localdate())
    offset = max(0, params.offset)
    return rows[offset : offset + max(1, min(params.limit, 500))]


@router.post("", response={201: ProjectOut}, summary="征集录入项目")
def project_create(request: HttpRequest, payload: ProjectIn):
    org_unit = get_unit(request.user, payload.org_unit_id)
    lead_unit = selectors.get_assignable_unit(org_unit, payload.lead_unit_id, field="牵头单位")
    lists = [selectors.get_list(request.user, i) for i in dict.fromkeys(payload.list_ids)]
    project = services.project_create(
        actor=request.user,
        org_unit=org_unit,
        lead_unit=lead_unit,
        data=_data(payload),
        co_units=_units(org_unit, payload.co_unit_ids),
        lead_leader=_leader(payload.lead_leader_id, [org_unit, lead_unit]),
        number=payload.number,
        lists=lists,
    )
    return 201, _fresh(request.user, project)


@router.post(
    "/from-requests", response={201: ProjectOut}, summary="由群众诉求（工单）生成项目并关联"
)
def project_create_from_requests(request: HttpRequest, payload: ProjectFromOrdersIn):
    orders = services.visible_orders(request.user, payload.order_ids)
    org_unit = get_unit(request.user, payload.org_unit_id)
    lead_unit = selectors.get_assignable_unit(org_unit, payload.lead_unit_id, field="牵头单位")
    lists = [selectors.get_list(request.user, i) for i in dict.fromkeys(payload.list_ids)]
    project = services.project_create_from_orders(
        actor=request.user,
        orders=orders,
        org_unit=org_unit,
        lead_unit=lead_unit,
        data=_data(payload),
        co_units=_units(org_unit, payload.co_unit_ids),
        lead_leader=_leader(payload.lead_leader_id, [org_unit, lead_unit]),
        number=payload.number,
        lists=lists,
    )
    return 201, _fresh(request.user, project)


@router.get("/lists", response=list[ListOut], summary="清单")
def lists(request: HttpRequest):
    require(request.user, "project.view")
    return list(selectors.visible_lists(request.user))


@router.post("/lists", response={201: ListOut}, summary="新建清单")
def list_create(request: HttpRequest, payload: ListIn):
    item = services.list_create(
        actor=request.user,
        org_unit=get_unit(request.user, payload.org_unit_id),
        name=payload.name,
        level=payload.level,
        year=payload.year,
        batch=payload.batch,
        description=payload.description,
    )
    return 201, item


@router.get("/cadence", response=list[CadenceRunOut], summary="周梳理、月督办、季调度报表")
def cadence(request: HttpRequest):
    require(request.user, "project.cadence")
    return [
        {
            "id": r.pk,
            "kind": r.kind,
            "period": r.period,
            "created_at": r.created_at,
            "summary": r.summary,
            "excel_url": reverse("projects:cadence_download", args=[r.pk, "xlsx"]),
            "pdf_url": reverse("projects:cadence_download", args=[r.pk, "pdf"]),
        }
        for r in selectors.cadence_runs(request.user)[:200]
    ]


@router.get("/links", response=list[LinkOut], summary="联点")
def links(request: HttpRequest):
    require(request.user, "project.view")
    return list(selectors.visible_links(request.user).filter(ended_at__isnull=True))


@router.post("/links", response={201: LinkOut}, summary="设置联点领导")
def link_create(request: HttpRequest, payload: LinkIn):
    project = (
        selectors.get_project(request.user, payload.project_id) if payload.project_id else None
    )
    unit = get_unit(request.user, payload.org_unit_id) if payload.org_unit_id else None
    place = project.org_unit if project is not None else unit
    if place is None:
        raise ValidationFailed("请选择联系的单位或项目", code="required")
    leader = selectors.get_leader(payload.leader_id, [place])
    link = services.link_create(
        actor=request.user,
        leader=leader,
        kind=payload.kind,
        org_unit=unit,
        project=project,
        since=payload.since,
        note=payload.note,
    )
    return 201, link


@router.post("/links/{link_id}/end", response=LinkOut, summary="解除联点")
def link_end(request: HttpRequest, link_id: str):
    link = selectors.get_link(request.user, link_id)
    return services.link_end(actor=request.user, link=link)


@router.get("/meetings", response=list[MeetingOut], summary="现场办公会")
def meetings(request: HttpRequest):
    require(request.user, "project.view")
    return list(selectors.visible_meetings(request.user)[:200])


@router.post("/meetings", response={201: MeetingOut}, summary="录入现场办公会（议定事项即交办）")
def meeting_create(request: HttpRequest, payload: MeetingIn):
    project = (
        selectors.get_project(request.user, payload.project_id) if payload.project_id else None
    )
    org_unit = get_unit(request.user, payload.org_unit_id)
    meeting = services.meeting_create(
        actor=request.user,
        org_unit=org_unit,
        held_at=payload.held_at,
        place=payload.place,
        topic=payload.topic,
        minutes=payload.minutes,
        project=project,
        decisions=_items(
            org_unit,
            payload.decisions,
            services.project_units(project) if project is not None else [],
        ),
    )
    return 201, meeting


@router.get("/items", response=list[ItemRowOut], summary="督办事项（本单位的整改与议定事项在前）")
def items(request: HttpRequest):
    require(request.user, "project.view")
    page = selectors.items_page(request.user)
    return page.mine + page.others + page.done


@router.post("/items/{item_id}/complete", response=ItemOut, summary="办结督办事项")
def item_complete(request: HttpRequest, item_id: str, payload: CompleteIn):
    item = selectors.get_item(request.user, item_id)
    return services.item_complete(actor=request.user, item=item, note=payload.note)


@router.post("/reports/{report_id}/submit", response=ReportOut, summary="报送进展")
def report_submit(request: HttpRequest, report_id: str):
    report = selectors.get_report(request.user, report_id)
    return services.report_submit(actor=request.user, report=report)


@router.post("/reports/{report_id}/review", response=ReportOut, summary="审核进展（通过或退回）")
def report_review(request: HttpRequest, report_id: str, payload: ReviewIn):
    report = selectors.get_report(request.user, report_id)
    return services.report_review(
        actor=request.user, report=report, approve=payload.approve, note=payload.note
    )


@router.post(
    "/deadline-changes/{change_id}/decide", response=DeadlineChangeOut, summary="审批时限调整"
)
def deadline_decide(request: HttpRequest, change_id: str, payload: DecideIn):
    change = selectors.get_deadline_change(request.user, change_id)
    return services.deadline_change_decide(
        actor=request.user, change=change, approve=payload.approve, note=payload.note
    )


@router.post("/notices/{notice_id}/respond", response=NoticeOut, summary="答复督办/催办")
def notice_respond(request: HttpRequest, notice_id: str, payload: RespondIn):
    notice = selectors.get_notice(request.user, notice_id)
    return services.notice_respond(actor=request.user, notice=notice, response=payload.response)


# --- One project --------------------------------------------------------------------------------


@router.get("/{project_id}", response=ProjectOut, summary="项目详情（ETag 头为版本号）")
def project_detail(request: HttpRequest, project_id: str, response: HttpResponse):
    project = selectors.get_project(request.user, project_id)
    response["ETag"] = etag(project.version)
    return project


@router.patch("/{project_id}", response=ProjectOut, summary="修改台账", description=IF_MATCH)
def project_update(
    request: HttpRequest,
    project_id: str,
    payload: ProjectUpdateIn,
    response: HttpResponse,
):
    expected = expected_version(request)
    project = selectors.get_project(request.user, project_id)
    own = services.project_units(project)
    lead_unit = selectors.get_assignable_unit(
        project.org_unit, payload.lead_unit_id, field="牵头单位", extra=own
    )
    services.project_update(
        actor=request.user,
        project=project,
        data=_data(payload),
        lead_unit=lead_unit,
        co_units=_units(project.org_unit, payload.co_unit_ids, own),
        lead_leader=_leader(payload.lead_leader_id, [project.org_unit, lead_unit]),
        expected_version=expected,
    )
    return _fresh(request.user, project, response)


@router.post(
    "/{project_id}/transitions",
    response=ProjectOut,
    summary="流转（梳理、立项、交办、销号等）",
    description=IF_MATCH,
)
def transition(
    request: HttpRequest,
    project_id: str,
    payload: TransitionIn,
    response: HttpResponse,
):
    expected = expected_version(request)
    project = selectors.get_project(request.user, project_id)
    merge_into = (
        selectors.get_project(request.user, payload.merge_into_id)
        if payload.merge_into_id is not None
        else None
    )
    services.project_transition(
        actor=request.user,
        project=project,
        action=payload.action,
        note=payload.note,
        merge_into=merge_into,
        expected_version=expected,
    )
    return _fresh(request.user, project, response)


@router.post(
    "/{project_id}/confirm",
    response=ProjectOut,
    summary="确认交办（牵头领导或牵头单位）",
    description=IF_MATCH,
)
def confirm(
    request: HttpRequest,
    project_id: str,
    payload: ConfirmIn,
    response: HttpResponse,
):
    expected = expected_version(request)
    project = selectors.get_project(request.user, project_id)
    services.project_confirm(
        actor=request.user, project=project, party=payload.party, expected_version=expected
    )
    return _fresh(request.user, project, response)


@router.post("/{project_id}/lists", response=ProjectOut, summary="列入清单")
def place(request: HttpRequest, project_id: str, payload: PlaceIn):
    project = selectors.get_project(request.user, project_id)
    project_list = selectors.get_list(request.user, payload.list_id)
    services.list_place(actor=request.user, project=project, project_list=project_list)
    return _fresh(request.user, project)


@router.post("/{project_id}/publish", response=ProjectOut, summary="公示晒单")
def publish(request: HttpRequest, project_id: str):
    project = selectors.get_project(request.user, project_id)
    services.project_publish(actor=request.user, project=project)
    return _fresh(request.user, project)


@router.get("/{project_id}/events", response=list[ProjectEventOut], summary="项目动态")
def events(request: HttpRequest, project_id: str):
    project = selectors.get_project(request.user, project_id)
    return list(project.events.select_related("actor").order_by("at", "id"))


@router.get("/{project_id}/reports", response=list[ReportOut], summary="进展")
def reports(request: HttpRequest, project_id: str):
    project = selectors.get_project(request.user, project_id)
    return list(selectors.reports_for(request.user, project))


@router.post("/{project_id}/reports", response={201: ReportOut}, summary="填报进展")
def report_create(request: HttpRequest, project_id: str, payload: ReportIn):
    project = selectors.get_project(request.user, project_id)
    report = services.report_create(
        actor=request.user,
        project=project,
        report_date=payload.report_date,
        text=payload.text,
        percent=payload.percent,
        funds_spent=payload.funds_spent,
        milestone_ids=payload.milestone_ids,
        submit=payload.submit,
    )
    return 201, report


@router.post(
    "/{project_id}/attachments",
    response={201: ProjectAttachmentOut},
    summary="上传照片或佐证（JPEG/PNG/WebP/PDF，≤10MB）",
)
def attachment_upload(
    request: HttpRequest,
    project_id: str,
    kind: Form[str],
    file: File[UploadedFile],
    caption: Form[str] = "",
):
    project = selectors.get_project(request.user, project_id)
    attachment = services.attachment_add(
        actor=request.user, project=project, kind=kind, uploaded=file, caption=caption
    )
    return 201, attachment


@router.post(
    "/{project_id}/deadline-changes", response={201: DeadlineChangeOut}, summary="申请调整完成时限"
)
def deadline_request(request: HttpRequest, project_id: str, payload: DeadlineChangeIn):
    project = selectors.get_project(request.user, project_id)
    change = services.deadline_change_request(
        actor=request.user,
        project=project,
        new_deadline=payload.new_deadline,
        reason=payload.reason,
    )
    return 201, change


@router.post("/{project_id}/notices", response={201: NoticeOut}, summary="发出督办/催办")
def notice_issue(request: HttpRequest, project_id: str, payload: NoticeIn):
    project = selectors.get_project(request.user, project_id)
    to_unit = None
    if payload.to_unit_id is not None:
        to_unit = get_unit(request.user, payload.to_unit_id)
    notice = services.notice_issue(
        actor=request.user,
        project=project,
        kind=payload.kind,
        content=payload.content,
        due_date=payload.due_date,
        to_unit=to_unit,
    )
    return 201, notice


@router.post(
    "/{project_id}/inspections", response={201: InspectionOut}, summary="录入实地督查/验收"
)
def inspection(request: HttpRequest, project_id: str, payload: InspectionIn):
    project = selectors.get_project(request.user, project_id)
    record = services.inspection_record(
        actor=request.user,
        project=project,
        inspected_at=payload.inspected_at,
        place=payload.place,
        findings=payload.findings,
        purpose=payload.purpose,
        passed=payload.passed,
        rectifications=_items(
            project.org_unit, payload.rectifications, services.project_units(project)
        ),
    )
    return 201, record


@router.get("/{project_id}/evaluations", response=EvaluationSummaryOut, summary="群众评价汇总")
def evaluations(request: HttpRequest, project_id: str):
    project = selectors.get_project(request.user, project_id)
    return _summary(project)


@router.post(
    "/{project_id}/evaluations", response={201: EvaluationSummaryOut}, summary="录入现场测评"
)
def evaluation_record(request: HttpRequest, project_id: str, payload: EvaluationIn):
    project = selectors.get_project(request.user, project_id)
    services.evaluation_record(
        actor=request.user,
        project=project,
        choice=payload.choice,
        comment=payload.comment,
        count=payload.count,
    )
    return 201, _summary(project)


def _linked(user: Any, project: Any) -> dict[str, Any]:
    found = linking.linked_orders(user, project)
    return {
        "requests": [
            {
                "order_id": item.order.pk,
                "number": item.order.number,
                "title": item.order.title,
                "category": item.order.category.name,
                "org_unit_name": item.order.org_unit.name,
                "status": item.order.status,
                "received_at": item.order.received_at,
                "linked_at": item.link.linked_at,
                "linked_by_name": item.link.linked_by.name if item.link.linked_by else "",
                "evaluation": item.evaluated,
            }
            for item in found.rows
        ],
        "hidden_count": found.hidden,
        "hidden_note": found.hidden_note,
    }


@router.get(
    "/{project_id}/requests",
    response=LinkedOrdersOut,
    summary="关联的群众诉求（管辖范围外的只给件数）",
)
def linked_requests(request: HttpRequest, project_id: str):
    project = selectors.get_project(request.user, project_id)
    return _linked(request.user, project)


@router.post("/{project_id}/requests", response={201: LinkedOrdersOut}, summary="关联更多工单")
def link_requests(request: HttpRequest, project_id: str, payload: OrdersIn):
    project = selectors.get_project(request.user, project_id)
    orders = services.visible_orders(request.user, payload.order_ids)
    services.orders_link(actor=request.user, project=project, orders=orders)
    return 201, _linked(request.user, project)


@router.delete("/{project_id}/requests/{order_id}", response={204: None}, summary="取消关联工单")
def unlink_request(request: HttpRequest, project_id: str, order_id: str):
    project = selectors.get_project(request.user, project_id)
    order = services.visible_orders(request.user, [order_id])[0]
    services.order_unlink(actor=request.user, project=project, order=order)
    return 204, None


@router.get(
    "/{project_id}/recurrence",
    response=RecurrenceOut,
    summary="同类诉求复发情况（项目实施前后按月件数）",
)
def recurrence(request: HttpRequest, project_id: str, months: int = 12):
    project = selectors.get_project(request.user, project_id)
    if not 3 <= months <= 36:
        raise ValidationFailed("统计月数应为3到36之间的整数", code="out_of_range")
    result = linking.recurrence(
        project, months=months, today=timezone.localdate(), viewer=request.user
    )
    if result is None:  # no linked request: nothing to compare
        return {
            "categories": [],
            "place": project.org_unit.name,
            "window_months": months,
            "completed_on": None,
            "before_total": 0,
            "before_average": None,
            "after_total": 0,
            "after_average": None,
            "months": [],
        }
    return {
        "categories": result.categories,
        "place": result.place,
        "window_months": result.window,
        "completed_on": result.completed_on,
        "before_total": result.before_total,
        "before_average": result.before_average,
        "after_total": result.after_total,
        "after_average": result.after_average,
        "months": [{"month": m.label, "phase": m.phase, "count": m.count} for m in result.months],
    }


def _summary(project: Any) -> dict[str, Any]:
    summary = selectors.evaluation_summary(project, with_comments=False)
    return {
        "total": summary.total,
        "satisfied": summary.counts[Satisfaction.SATISFIED],
        "basic": summary.counts[Satisfaction.BASIC],
        "not_satisfied": summary.counts[Satisfaction.DISSATISFIED],
        "rate": summary.rate,
        "required_rate": summary.required_rate,
        "required_count": summary.required_count,
        "meets": summary.meets,
        "by_respondents": [
            {
                "respondents": key,
                "satisfied": counts.get(Satisfaction.SATISFIED, 0),
                "basic": counts.get(Satisfaction.BASIC, 0),
                "not_satisfied": counts.get(Satisfaction.DISSATISFIED, 0),
                "total": sum(counts.values()),
            }
            for key, counts in (
                ("residents", summary.residents),
                ("linked_citizens", summary.linked),
            )
        ],
    }
