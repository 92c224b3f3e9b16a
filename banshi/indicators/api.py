"""REST endpoints of the indicators, mounted at /api/v1/indicators. Reads are scoped (out of
sight: 404); writes go through the same services as the pages, with the report's version as ETag
/ If-Match for the values people edit."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema

from banshi.core.errors import NotFound, ValidationFailed
from banshi.core.http import etag, expected_version
from banshi.core.validation import parse_id
from banshi.indicators import excel, selectors, services
from banshi.indicators.models import Indicator, Report
from banshi.indicators.schemas import (
    CompletenessOut,
    CorrectionIn,
    IndicatorIn,
    IndicatorOut,
    IndicatorReportOut,
    IndicatorTransitionIn,
    OutputIn,
    OutputOut,
    ReportOpenIn,
    ReverseIn,
    ReverseOut,
    TableOut,
    ValuesIn,
)
from banshi.projects.selectors import get_project

router = Router(tags=["民生指标"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PeriodQuery(Schema):
    unit_id: int | None = None
    year: int = 2026
    quarter: int = 4


class ReportListQuery(Schema):
    unit_id: int | None = None
    year: int | None = None
    quarter: int | None = None
    status: str = ""
    limit: int = 50
    offset: int = 0


def _node(request: HttpRequest, unit_id: int | None) -> Any:
    if unit_id is None:
        node = selectors.home_node(request.user)
        if node is None:
            raise NotFound()
        return node
    return selectors.visible_node(request.user, unit_id)


def _period(query: PeriodQuery) -> tuple[int, int]:
    if not 2000 <= query.year <= 2100 or query.quarter not in (1, 2, 3, 4):
        raise ValidationFailed("年度须在2000–2100之间，季度须为1至4", code="invalid_period")
    return query.year, query.quarter


def _indicator(code: str) -> Indicator:
    found = selectors.indicator_by_code(code)
    if found is None:
        raise ValidationFailed(f"没有编码为“{code}”的指标", code="unknown_indicator")
    return found


def _row(row: Any) -> dict[str, Any]:
    return {
        "org_unit_id": row.node.pk,
        "name": row.node.name,
        "figures": [
            {
                "indicator": f.indicator.code,
                "target": f.target,
                "reported": f.reported,
                "projects": f.projects,
                "actual": f.actual,
                "rate": f.rate,
            }
            for f in row.figures.values()
        ],
    }


def _report_out(report: Report, response: HttpResponse | None = None) -> dict[str, Any]:
    if response is not None:
        response["ETag"] = etag(report.version)
    codes = {i.pk: i.code for i in selectors.indicators(active_only=False)}
    return {
        "id": report.pk,
        "org_unit_id": report.org_unit_id,
        "org_unit_name": report.org_unit.name,
        "year": report.year,
        "quarter": report.quarter,
        "period": report.period,
        "status": report.status,
        "version": report.version,
        "values": {codes[k]: v for k, v in selectors.entries(report).items()},
    }


@router.get("/definitions", response=list[IndicatorOut], summary="指标定义（六位等）")
def definitions(request: HttpRequest) -> Any:
    return selectors.indicators(active_only=False)


@router.post("/definitions", response={201: IndicatorOut}, summary="新增指标定义（市级管理员）")
def define(request: HttpRequest, payload: IndicatorIn) -> Any:
    return 201, services.indicator_create(actor=request.user, **payload.dict())


@router.get("/figures", response=TableOut, summary="逐级汇总：本级合计与各下级的目标、完成、完成率")
def figures(request: HttpRequest, query: Query[PeriodQuery]) -> Any:
    year, quarter = _period(query)
    total, rows = selectors.table(request.user, _node(request, query.unit_id), year, quarter)
    return {"year": year, "quarter": quarter, "total": _row(total), "rows": [_row(r) for r in rows]}


@router.get("/completeness", response=CompletenessOut, summary="填报进度：已报送与逾期未报的单位")
def completeness(request: HttpRequest, query: Query[PeriodQuery]) -> Any:
    year, quarter = _period(query)
    due, items = selectors.completeness(request.user, _node(request, query.unit_id), year, quarter)
    return {
        "year": year,
        "quarter": quarter,
        "deadline": due,
        "items": [
            {
                "org_unit_id": c.node.pk,
                "name": c.node.name,
                "report_id": c.report.pk if c.report else None,
                "status": c.report.status if c.report else "missing",
                "reported": c.reported,
                "late": c.late,
            }
            for c in items
        ],
    }


@router.get("/export", summary="下载本期汇总表或填报模板（Excel）")
def export(request: HttpRequest, query: Query[PeriodQuery], kind: str = "summary") -> Any:
    year, quarter = _period(query)
    node = _node(request, query.unit_id)
    if kind == "template":
        content = excel.template_workbook(request.user, node, year, quarter)
    elif kind == "summary":
        content = excel.summary_workbook(request.user, node, year, quarter)
    else:
        raise ValidationFailed("kind 须为 summary 或 template", code="invalid_kind")
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="indicators-{year}-q{quarter}-{kind}.xlsx"'
    )
    return response


@router.get("/reports", response=list[IndicatorReportOut], summary="辖区内的指标报表")
def reports(request: HttpRequest, query: Query[ReportListQuery]) -> Any:
    if not 1 <= query.limit <= 200 or query.offset < 0:
        raise ValidationFailed("limit 须在 1–200 之间，offset 不能为负", code="invalid_page")
    node = _node(request, query.unit_id) if query.unit_id is not None else None
    found = selectors.reports(
        request.user, node=node, year=query.year, quarter=query.quarter, status=query.status
    )
    return [_report_out(r) for r in found[query.offset : query.offset + query.limit]]


@router.post(
    "/reports", response={201: IndicatorReportOut}, summary="打开（首次则新建）本单位某期的报表"
)
def report_open(request: HttpRequest, payload: ReportOpenIn) -> Any:
    unit = selectors.visible_node(request.user, payload.org_unit_id)
    report = services.report_open(
        actor=request.user, org_unit=unit, year=payload.year, quarter=payload.quarter
    )
    return 201, _report_out(report)


@router.get("/reports/{report_id}", response=IndicatorReportOut, summary="报表详情（ETag 为版本）")
def report_detail(request: HttpRequest, report_id: str, response: HttpResponse) -> Any:
    return _report_out(selectors.report(request.user, parse_id(report_id)), response)


@router.put(
    "/reports/{report_id}/values", response=IndicatorReportOut, summary="填写数值（草稿或退回时）"
)
def values(request: HttpRequest, report_id: str, payload: ValuesIn, response: HttpResponse) -> Any:
    report = selectors.report(request.user, parse_id(report_id))
    if len(payload.values) > 200:
        raise ValidationFailed("一次最多填写200项", code="too_many")
    fresh = services.values_set(
        actor=request.user,
        report=report,
        values=payload.values,
        expected_version=expected_version(request),
    )
    return _report_out(fresh, response)


@router.post(
    "/reports/{report_id}/transition",
    response=IndicatorReportOut,
    summary="报送、审核通过并锁定或退回（action: submit / approve / return）",
)
def transition(
    request: HttpRequest, report_id: str, payload: IndicatorTransitionIn, response: HttpResponse
) -> Any:
    report = selectors.report(request.user, parse_id(report_id))
    fresh = services.report_transition(
        actor=request.user,
        report=report,
        action=payload.action,
        note=payload.note,
        expected_version=expected_version(request),
    )
    return _report_out(fresh, response)


@router.post(
    "/reports/{report_id}/corrections",
    response=IndicatorReportOut,
    summary="更正已锁定的数值（须说明理由）",
)
def correct(
    request: HttpRequest, report_id: str, payload: CorrectionIn, response: HttpResponse
) -> Any:
    report = selectors.report(request.user, parse_id(report_id))
    fresh = services.value_correct(
        actor=request.user,
        report=report,
        indicator=payload.indicator,
        value=payload.value,
        reason=payload.reason,
        expected_version=expected_version(request),
    )
    return _report_out(fresh, response)


@router.put(
    "/projects/{project_id}/outputs", response=OutputOut, summary="设置项目产出（0 为删除）"
)
def output(request: HttpRequest, project_id: str, payload: OutputIn) -> Any:
    project = get_project(request.user, project_id)
    made = services.output_set(
        actor=request.user,
        project=project,
        indicator=_indicator(payload.indicator),
        amount=payload.amount,
    )
    return {"project_id": project.pk, "indicator": payload.indicator, "amount": made.amount}


@router.post(
    "/projects/{project_id}/reverse", response=ReverseOut, summary="撤销项目已计入指标的产出"
)
def reverse(request: HttpRequest, project_id: str, payload: ReverseIn) -> Any:
    project = get_project(request.user, project_id)
    count = services.reverse_outputs(actor=request.user, project=project, reason=payload.reason)
    return {"reversed": count}
