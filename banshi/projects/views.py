"""The ledger's pages: the 台账 with filters and Excel, a project's page, the 挂图作战 board, the
leader's page, lists, cadence reports, import. Each view parses, calls one selector or service
and renders; actions posted from the project page live in ``views_actions``."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from banshi.core.choices import Colour, Satisfaction
from banshi.core.errors import DomainError, NotFound, ValidationFailed
from banshi.core.http import expected_version
from banshi.core.permissions import can, require
from banshi.core.validation import clean_text, is_digits, parse_id
from banshi.orgtree.selectors import get_unit
from banshi.projects import conf, excel, linking, selectors, services
from banshi.projects.choices import (
    ACTIVE_STATUSES,
    NOTE_REQUIRED,
    TERMINAL_STATUSES,
    TRANSITIONS,
    AttachmentKind,
    ConfirmParty,
    Field,
    HandlingType,
    InspectionPurpose,
    LinkKind,
    ListLevel,
    NoticeKind,
    Source,
    Status,
)
from banshi.projects.forms import (
    item_rows_shown,
    milestones_shown,
    parse_project_form,
    picked_for_project,
    project_initial,
)
from banshi.projects.lag import COLOUR_CHOICES
from banshi.projects.models import Project
from banshi.projects.permissions import can_project
from banshi.projects.services.evaluation import OPEN_FOR_EVALUATION
from banshi.projects.services.links import UNLINKABLE
from banshi.projects.views_pickers import picker_urls

PAGE_SIZE = 100


def _today(request: HttpRequest) -> datetime.date:
    return timezone.localdate()


def _filters(request: HttpRequest) -> selectors.LedgerFilters:
    get = request.GET
    unit = get_unit(request.user, get["unit"], "project.view") if get.get("unit") else None

    def choice(name: str, allowed: list[str]) -> str:
        value = get.get(name, "")
        return value if value in allowed else ""

    return selectors.LedgerFilters(
        list_id=parse_id(get["list"], field="清单编号") if get.get("list") else None,
        level=choice("level", list(ListLevel.values)),
        unit=unit,
        leader_id=parse_id(get["leader"], field="领导编号") if get.get("leader") else None,
        colour=choice("colour", list(Colour.values)),
        status=choice("status", list(Status.values)),
        field=choice("field", list(Field.values)),
        q=clean_text(get.get("q", ""), field="关键词", max_length=50, required=False),
        stale_only=get.get("stale") == "1",
    )


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    require(request.user, "project.view")
    filters = _filters(request)
    rows = selectors.ledger(request.user, filters, _today(request))
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    pages = max(1, (len(rows) + PAGE_SIZE - 1) // PAGE_SIZE)
    page = min(page, pages)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "projects/ledger.html",
        {
            "rows": rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
            "total": len(rows),
            "page": page,
            "pages": pages,
            "query": query.urlencode(),
            "counts": selectors.colour_counts(rows),
            "filters": filters,
            "lists": selectors.visible_lists(request.user),
            "leaders": selectors.leaders_in_sight(request.user),
            "units": selectors.units_in_sight(request.user),
            "levels": ListLevel.choices,
            "colours": COLOUR_CHOICES,
            "stale_days": conf.stale_days(),
            "statuses": Status.choices,
            "fields": Field.choices,
            "can_create": can(request.user, "project.collect"),
            "can_import": can(request.user, "project.manage"),
            "can_cadence": can(request.user, "project.cadence"),
            "runs": selectors.cadence_runs(request.user)[:6],
        },
    )


@login_required
@require_GET
def ledger_export(request: HttpRequest) -> HttpResponse:
    require(request.user, "project.view")
    rows = selectors.ledger(request.user, _filters(request), _today(request))
    today = _today(request)
    data = excel.ledger_workbook(rows, f"实事项目台账（导出于{today:%Y年%m月%d日}）")
    response = HttpResponse(data, content_type=excel.XLSX_MIME)
    response["Content-Disposition"] = (
        f"attachment; filename=\"projects-{today:%Y%m%d}.xlsx\"; filename*=UTF-8''%E5%AE%9E%E4%BA%8B%E9%A1%B9%E7%9B%AE%E5%8F%B0%E8%B4%A6-{today:%Y%m%d}.xlsx"
    )
    return response


@login_required
def ledger_import(request: HttpRequest) -> HttpResponse:
    require(request.user, "project.manage")
    context: dict[str, Any] = {"columns": excel.IMPORT_COLUMNS, "note": excel.IMPORT_NOTE}
    status = 200
    if request.method == "POST":
        try:
            result = excel.import_ledger(actor=request.user, uploaded=request.FILES.get("file"))
        except DomainError as exc:
            context["error"] = exc.detail
            status = exc.status
        else:
            context["result"] = result
            status = 200 if result.ok else 400
    return render(request, "projects/import.html", context, status=status)


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    require(request.user, "project.manage")
    response = HttpResponse(excel.import_template(), content_type=excel.XLSX_MIME)
    response["Content-Disposition"] = 'attachment; filename="projects-import-template.xlsx"'
    return response


@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "project.collect")
    values: Any = request.POST if request.method == "POST" else {}
    error = ""
    status = 200
    if request.method == "POST":
        try:
            parsed = parse_project_form(request.user, request.POST)
            project = services.project_create(actor=request.user, **parsed)
        except DomainError as exc:
            error, status = exc.detail, exc.status
        else:
            return redirect("projects:detail", project_id=project.pk)
    return render(
        request,
        "projects/project_form.html",
        form_context(request, values, error, creating=True),
        status=status,
    )


def form_context(
    request: HttpRequest,
    values: Any,
    error: str,
    *,
    creating: bool,
    project: Project | None = None,
) -> dict[str, Any]:
    """The project form: choices, what its pickers show as picked, the milestone rows."""
    return {
        "values": values,
        "error": error,
        "creating": creating,
        "project": project,
        "picked": picked_for_project(request.user, values, project=project),
        "milestone_rows": milestones_shown(values),
        "pick": picker_urls(project),
        "sources": Source.choices,
        "fields": Field.choices,
        "handling_types": HandlingType.choices,
    }


@login_required
def project_edit(request: HttpRequest, project_id: str) -> HttpResponse:
    project = selectors.get_project(request.user, project_id)
    from banshi.projects.permissions import require_project

    require_project(request.user, "project.manage", project)
    values: Any = request.POST if request.method == "POST" else project_initial(project)
    error = ""
    status = 200
    if request.method == "POST":
        try:
            parsed = parse_project_form(request.user, request.POST, project=project)
            # The version the form was opened at (absent on an old form: not checked).
            services.project_update(
                actor=request.user,
                project=project,
                expected_version=expected_version(request),
                **parsed,
            )
        except DomainError as exc:
            error, status = exc.detail, exc.status
        else:
            return redirect("projects:detail", project_id=project.pk)
    context = form_context(request, values, error, creating=False, project=project)
    return render(request, "projects/project_form.html", context, status=status)


def milestone_chart(project: Project, today: datetime.date) -> dict[str, Any]:
    """Data for the ECharts milestone bar chart: one bar per milestone from the previous node (or
    the start) to its planned date, coloured by done / missed / pending, and a line at today."""
    bars = []
    previous = project.start_date
    for m in sorted(project.milestones.all(), key=lambda m: (m.planned_date, m.seq)):
        if m.completed_on:
            state = "done"
        elif m.planned_date < today:
            state = "missed"
        else:
            state = "pending"
        bars.append(
            {
                "name": m.name,
                "start": previous.isoformat(),
                "end": m.planned_date.isoformat(),
                "weight": m.weight,
                "state": state,
                "completed": m.completed_on.isoformat() if m.completed_on else "",
            }
        )
        previous = m.planned_date
    return {
        # Tooltip and marker words in the page's language (milestones.js has none).
        "labels": {
            "planned": gettext("计划：%(date)s（权重%(weight)s）"),
            "completed": gettext("完成：%(date)s"),
            "today": gettext("今天"),
        },
        "bars": bars,
        "today": today.isoformat(),
        "start": project.start_date.isoformat(),
        "deadline": project.deadline.isoformat(),
    }


def detail_context(request: HttpRequest, project: Project) -> dict[str, Any]:
    user = request.user
    today = _today(request)
    from banshi.projects.lag import compute_lag

    lag = compute_lag(project, today)
    actions = [
        (name, {"label": gettext(step.label), "note_required": name in NOTE_REQUIRED})
        for name, step in TRANSITIONS.items()
        if not step.by_system
        and project.status in step.sources
        and can_project(user, step.permission or "", project)
    ]
    context = selectors.project_page(user, project)
    photos = [a for a in context["attachments"] if a.is_image]
    recurrence = linking.recurrence(project, months=_months(request), today=today, viewer=user)
    context.update(
        {
            "project": project,
            "lag": lag,
            "actions": actions,
            "chart": milestone_chart(project, today),
            "active": project.status in ACTIVE_STATUSES,
            "terminal": project.status in TERMINAL_STATUSES,
            "evaluating": project.status in OPEN_FOR_EVALUATION,
            "photos": photos,
            "documents": [a for a in context["attachments"] if not a.is_image],
            "may": {
                "manage": can_project(user, "project.manage", project),
                "approve": can_project(user, "project.approve", project),
                "report": can_project(user, "project.report", project),
                "supervise": can_project(user, "project.supervise", project),
                "lead": can_project(user, "project.lead", project),
                "confirm_leader": project.status == Status.ASSIGNED
                and project.leader_confirmed_at is None
                and (project.lead_leader_id == user.pk or user.is_superuser)
                and can_project(user, "project.lead", project),
                "confirm_unit": project.status == Status.ASSIGNED
                and project.unit_confirmed_at is None
                and can_project(user, "project.report", project),
            },
            "has_actions": bool(actions)
            or (project.status == Status.ASSIGNED and can_project(user, "project.lead", project))
            or (project.status == Status.ASSIGNED and can_project(user, "project.report", project))
            or (
                project.status not in TERMINAL_STATUSES
                and can_project(user, "project.approve", project)
            )
            or (
                project.status == Status.CLOSED
                and not project.published_at
                and can_project(user, "project.supervise", project)
            ),
            "pending_milestones": [m for m in project.milestones.all() if not m.completed_on],
            "lists": selectors.visible_lists(user),
            "today": today,
            "kinds": AttachmentKind.choices,
            "notice_kinds": NoticeKind.choices,
            "purposes": InspectionPurpose.choices,
            "satisfactions": Satisfaction.choices,
            "parties": ConfirmParty,
            "units": [project.lead_unit, *project.co_units.all()],
            "linked_orders": linking.linked_orders(user, project),
            "may_link": linking.may_link(user, project) and project.status not in UNLINKABLE,
            "recurrence": recurrence,
            "recurrence_chart": recurrence.chart() if recurrence else None,
            "pick": picker_urls(project),
            # After a refused inspection its rectification rows are shown again.
            "rectification_rows": item_rows_shown(
                request.POST if "item_content" in request.POST else None,
                project.org_unit,
                extra=services.project_units(project),
            ),
        }
    )
    return context


def _months(request: HttpRequest) -> int:
    """The recurrence window (months before and after), 12 unless the page asks for 3–36."""
    text = request.GET.get("months", "")
    return int(text) if is_digits(text) and len(text) <= 2 and 3 <= int(text) <= 36 else 12


@login_required
def project_detail(request: HttpRequest, project_id: str) -> HttpResponse:
    project = selectors.get_project(request.user, project_id)
    return render(request, "projects/project_detail.html", detail_context(request, project))


@login_required
def board(request: HttpRequest) -> HttpResponse:
    require(request.user, "project.view")
    today = _today(request)
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    if not 2000 <= year <= 2100:
        raise ValidationFailed("年份无效")
    months, rows = selectors.board(request.user, year, today)
    return render(
        request,
        "projects/board.html",
        {
            "months": months,
            "rows": rows,
            "year": year,
            "current_month": today.month if today.year == year else 0,
            "colours": COLOUR_CHOICES,
            "stale_days": conf.stale_days(),
        },
    )


@login_required
def leader_page(request: HttpRequest) -> HttpResponse:
    require(request.user, "project.view")
    context = selectors.leader_page(request.user, _today(request))
    context["items"] = selectors.open_items_for(request.user).filter(
        meeting__leader_id=request.user.pk
    )
    return render(request, "projects/leader.html", context)


@login_required
@require_GET
def items_page(request: HttpRequest) -> HttpResponse:
    """督办事项: a unit's 整改 and 现场办公 decisions, wherever in the tree they were given."""
    require(request.user, "project.view")
    page = selectors.items_page(request.user)
    visible = set(
        selectors.visible_projects(request.user)
        .filter(pk__in=[i.project_id for i in page.mine + page.others + page.done if i.project_id])
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "projects/items.html",
        {"page": page, "visible_projects": visible, "today": _today(request)},
    )


def _picked_list_unit(request: HttpRequest) -> Any:
    value = request.POST.get("org_unit", "").strip() if request.method == "POST" else ""
    try:
        return get_unit(request.user, value, "project.approve") if value else None
    except DomainError:
        return None


@login_required
def lists_page(request: HttpRequest) -> HttpResponse:
    require(request.user, "project.view")
    error, status = "", 200
    if request.method == "POST":
        try:
            unit_id = request.POST.get("org_unit", "").strip()
            if not unit_id:
                raise ValidationFailed("请选择所属单位", code="required")
            unit = get_unit(request.user, unit_id, "project.approve")
            services.list_create(
                actor=request.user,
                org_unit=unit,
                name=request.POST.get("name", ""),
                level=request.POST.get("level", ""),
                year=request.POST.get("year", ""),
                batch=request.POST.get("batch", ""),
                description=request.POST.get("description", ""),
            )
        except DomainError as exc:
            error, status = exc.detail, exc.status
        else:
            return redirect("projects:lists")
    return render(
        request,
        "projects/lists.html",
        {
            "lists": selectors.visible_lists(request.user),
            "levels": ListLevel.choices,
            "can_create": can(request.user, "project.approve"),
            "error": error,
            "values": request.POST,
            "picked_unit": _picked_list_unit(request),
            "pick": picker_urls(),
        },
        status=status,
    )


@login_required
def cadence_page(request: HttpRequest) -> HttpResponse:
    require(request.user, "project.cadence")
    return render(request, "projects/cadence.html", {"runs": selectors.cadence_runs(request.user)})


@login_required
@require_GET
def cadence_download(request: HttpRequest, run_id: str, fmt: str) -> FileResponse:
    run = selectors.get_cadence_run(request.user, run_id)
    field = {"xlsx": run.excel, "pdf": run.pdf}.get(fmt)
    if not field:
        raise NotFound("报表文件不存在")
    filename = f"{run.get_kind_display()}-{run.period}.{fmt}"
    return FileResponse(field.open("rb"), as_attachment=True, filename=filename)


@login_required
@require_GET
def attachment_download(request: HttpRequest, attachment_id: str) -> FileResponse:
    attachment = selectors.get_attachment(request.user, attachment_id)
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=not attachment.is_image,
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


@login_required
def links_page(request: HttpRequest) -> HttpResponse:
    require(request.user, "project.view")
    from banshi.projects.views_actions import link_form, link_picked

    error, status = "", 200
    picked: dict[str, Any] = {}
    if request.method == "POST":
        try:
            link_form(request)
        except DomainError as exc:
            error, status = exc.detail, exc.status
            picked = link_picked(request)
        else:
            return redirect("projects:links")
    return render(
        request,
        "projects/links.html",
        {
            "links": selectors.visible_links(request.user).filter(ended_at__isnull=True),
            "kinds": LinkKind.choices,
            "can_link": can(request.user, "project.link"),
            "error": error,
            "values": request.POST,
            "picked": picked,
            "pick": picker_urls(),
        },
        status=status,
    )


@login_required
def lag_colours(request: HttpRequest) -> HttpResponse:
    """The warning-light rules, from the same table the light is computed from."""
    require(request.user, "project.view")
    from banshi.projects.lag import colour_rows

    return render(
        request,
        "projects/lag_colours.html",
        {
            "rows": colour_rows(),
            "values": {
                "near": conf.near_days(),
                "tolerance": conf.pace_tolerance(),
                "stale": conf.stale_days(),
                "signoff": conf.signoff_days(),
            },
        },
    )
