"""Pages of the indicators: the overview (a node's children × indicators, target vs actual chart,
drill-down), completeness, the report list and a report's page (entry, steps, correction), and
the statistics office's workbooks. Views parse, call one selector or service, and render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from banshi.core.errors import DomainError, NotFound
from banshi.core.http import expected_version
from banshi.core.permissions import can
from banshi.core.validation import parse_id
from banshi.indicators import excel, selectors, services
from banshi.indicators.choices import (
    APPROVE,
    EDITABLE,
    QUARTERS,
    REPORT,
    TARGET_QUARTER,
    TRANSITIONS,
    Status,
    period_label,
)
from banshi.indicators.services.lifecycle import LIFECYCLE, may_review

PAGE_SIZE = 30
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _int(raw: Any, default: int, low: int, high: int) -> int:
    try:
        value = int(str(raw))
    except (TypeError, ValueError):
        return default
    return value if low <= value <= high else default


def _period(request: HttpRequest) -> tuple[int, int]:
    today = timezone.localdate()
    year = _int(request.GET.get("year"), today.year, 2000, 2100)
    quarter = _int(request.GET.get("quarter"), (today.month - 1) // 3 + 1, 1, 4)
    return year, quarter


def _node(request: HttpRequest) -> Any:
    unit_id = request.GET.get("unit") or request.POST.get("unit")
    if unit_id:
        return selectors.visible_node(request.user, parse_id(unit_id))
    node = selectors.home_node(request.user)
    if node is None:
        raise NotFound()
    return node


def _years() -> list[int]:
    this = timezone.localdate().year
    return list(range(this - 3, this + 2))


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    node = _node(request)
    year, quarter = _period(request)
    total, rows = selectors.table(request.user, node, year, quarter)
    defs = selectors.indicators()
    chosen = next((i for i in defs if i.code == request.GET.get("ind")), defs[0] if defs else None)
    chart = None
    if chosen is not None:
        chart = {
            "names": [r.node.name for r in rows],
            "target": [float(r.figures[chosen.pk].target) for r in rows],
            "actual": [float(r.figures[chosen.pk].actual) for r in rows],
            "labels": {
                "target": _("目标"),
                "actual": _("完成"),
                "axis": chosen.unit,
            },
        }
    query = urlencode({"unit": node.pk, "year": year, "quarter": quarter})
    return render(
        request,
        "indicators/overview.html",
        {
            "node": node,
            "parent": node.parent
            if node.parent and can(request.user, "indicator.view", node.parent)
            else None,
            "year": year,
            "quarter": quarter,
            "years": _years(),
            "quarters": QUARTERS,
            "period": period_label(year, quarter),
            "defs": defs,
            "chosen": chosen,
            "total": total,
            "rows": rows,
            "chart": chart,
            "query": query,
            "can_report": can(request.user, REPORT, node),
        },
    )


@login_required
@require_GET
def completeness(request: HttpRequest) -> HttpResponse:
    node = _node(request)
    year, quarter = _period(request)
    target = request.GET.get("targets") == "1"
    due, items = selectors.completeness(
        request.user, node, year, TARGET_QUARTER if target else quarter
    )
    return render(
        request,
        "indicators/completeness.html",
        {
            "node": node,
            "year": year,
            "quarter": quarter,
            "years": _years(),
            "quarters": QUARTERS,
            "targets": target,
            "period": period_label(year, TARGET_QUARTER if target else quarter),
            "deadline": due,
            "items": items,
            "reported": sum(1 for i in items if i.reported),
            "late": sum(1 for i in items if i.late),
        },
    )


@login_required
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    node = _node(request)
    year = _int(request.GET.get("year"), 0, 2000, 2100) or None
    quarter_raw = request.GET.get("quarter", "")
    quarter = _int(quarter_raw, -1, 0, 4) if quarter_raw != "" else -1
    status = request.GET.get("status", "")
    status = status if status in Status.values else ""
    rows = selectors.reports(
        request.user,
        node=node,
        year=year,
        quarter=None if quarter < 0 else quarter,
        status=status or None,
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode(
        {
            "unit": node.pk,
            "year": year or "",
            "quarter": "" if quarter < 0 else quarter,
            "status": status,
        }
    )
    return render(
        request,
        "indicators/reports.html",
        {
            "node": node,
            "page": page,
            "query": query,
            "year": year,
            "quarter": quarter,
            "status": status,
            "years": _years(),
            "quarter_choices": [(0, _("年度目标"))]
            + [(q, _("第%(q)s季度") % {"q": q}) for q in QUARTERS],
            "statuses": Status.choices,
        },
    )


@login_required
@require_POST
def report_open(request: HttpRequest) -> HttpResponse:
    node = _node(request)
    try:
        report = services.report_open(
            actor=request.user,
            org_unit=node,
            year=request.POST.get("year"),
            quarter=request.POST.get("quarter"),
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect(f"{reverse('indicators:reports')}?{urlencode({'unit': node.pk})}")
    return redirect("indicators:report", report_id=report.pk)


@login_required
@require_GET
def report_page(request: HttpRequest, report_id: str) -> HttpResponse:
    report = selectors.report(request.user, parse_id(report_id))
    values = selectors.entries(report)
    owned = [i for i in selectors.indicators() if i.level == report.org_unit.level]
    steps = [
        step
        for step in LIFECYCLE.available(report.status)
        if (
            may_review(request.user, report)
            if LIFECYCLE.permission(step) == APPROVE
            else can(request.user, LIFECYCLE.permission(step), report)
        )
    ]
    return render(
        request,
        "indicators/report.html",
        {
            "report": report,
            "rows": [(i, values.get(i.pk)) for i in owned],
            "editable": report.status in EDITABLE and can(request.user, REPORT, report),
            "correctable": report.status == Status.APPROVED and may_review(request.user, report),
            "steps": steps,
            "reasons": {"return"},
            "events": selectors.events(report),
        },
    )


def _back(report_id: Any) -> HttpResponse:
    return redirect("indicators:report", report_id=report_id)


@login_required
@require_POST
def report_values(request: HttpRequest, report_id: str) -> HttpResponse:
    report = selectors.report(request.user, parse_id(report_id))
    owned = [i for i in selectors.indicators() if i.level == report.org_unit.level]
    values = {
        i.code: request.POST[f"v-{i.code}"]
        for i in owned
        if request.POST.get(f"v-{i.code}", "").strip() != ""
    }
    try:
        services.values_set(
            actor=request.user,
            report=report,
            values=values,
            expected_version=expected_version(request),
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("已保存"))
    return _back(report.pk)


@login_required
@require_POST
def report_step(request: HttpRequest, report_id: str) -> HttpResponse:
    report = selectors.report(request.user, parse_id(report_id))
    action = request.POST.get("action", "")
    try:
        if action not in TRANSITIONS:
            raise DomainError("未知的操作", code="unknown_action")
        services.report_transition(
            actor=request.user,
            report=report,
            action=action,
            note=request.POST.get("note", ""),
            expected_version=expected_version(request),
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("已%(step)s") % {"step": _(TRANSITIONS[action].label)})
    return _back(report.pk)


@login_required
@require_POST
def report_correct(request: HttpRequest, report_id: str) -> HttpResponse:
    report = selectors.report(request.user, parse_id(report_id))
    try:
        services.value_correct(
            actor=request.user,
            report=report,
            indicator=request.POST.get("indicator", ""),
            value=request.POST.get("value", ""),
            reason=request.POST.get("reason", ""),
            expected_version=expected_version(request),
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("已更正并留痕"))
    return _back(report.pk)


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    node = _node(request)
    year, quarter = _period(request)
    if request.GET.get("kind") == "template":
        content, name = excel.template_workbook(request.user, node, year, quarter), "template"
    else:
        content, name = excel.summary_workbook(request.user, node, year, quarter), "summary"
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="indicators-{year}-q{quarter}-{name}.xlsx"'
    )
    return response


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    node = _node(request)
    year, quarter = _period(request)
    result = None
    if request.method == "POST":
        year = _int(request.POST.get("year"), year, 2000, 2100)
        quarter = _int(request.POST.get("quarter"), quarter, 1, 4)
        try:
            result = services.import_workbook(
                actor=request.user,
                uploaded=request.FILES.get("file"),
                year=year,
                quarter=quarter,
            )
        except DomainError as exc:
            messages.error(request, exc.detail)
        else:
            if result.ok:
                messages.success(
                    request,
                    _("导入成功：更新报表%(n)s份（数值未变的不重复写入）") % {"n": result.reports},
                )
    return render(
        request,
        "indicators/import.html",
        {
            "node": node,
            "year": year,
            "quarter": quarter,
            "years": _years(),
            "quarters": QUARTERS,
            "result": result,
            "can_report": can(request.user, REPORT, node),
        },
        status=400 if result is not None and not result.ok else 200,
    )


@login_required
@require_GET
def pick_unit(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:30]
    return render(
        request,
        "indicators/_pick.html",
        {"units": selectors.pick_units(request.user, query), "target": "unit", "query": query},
    )
