"""Staff pages of 接诉即办: the workbench with role queues, the filtered list, a queue, one
request with the action forms its viewer may use, phone-call intake with live duplicate
suggestions, and the searchable unit picker. Every read goes through a scoped selector (out of
scope is 404), every write through ``services.submit`` or ``services.transition``; a refusal from
a service is shown on the form it came from, with its status, never as a 500."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from banshi.core.choices import Satisfaction
from banshi.core.errors import DomainError, NotFound, ValidationFailed
from banshi.core.http import expected_version
from banshi.core.permissions import can, require
from banshi.core.validation import is_digits, parse_id
from banshi.orgtree.choices import Level
from banshi.orgtree.models import OrgUnit
from banshi.orgtree.selectors import get_unit, visible_units
from banshi.workorders import extras, selectors
from banshi.workorders.choices import (
    TRANSITIONS,
    Channel,
    InvalidReason,
    Kind,
    Resolution,
    Side,
    Status,
    Urgency,
)
from banshi.workorders.clock import light_of, remaining_text
from banshi.workorders.forms import (
    ACTION_FIELDS,
    INTAKE_CHANNELS,
    IntakeForm,
    ListFilterForm,
    action_data,
    check,
    clean_token,
    token_for_retry,
)
from banshi.workorders.models import Category, WorkOrder
from banshi.workorders.privacy import caller_view
from banshi.workorders.routing import DISPATCHABLE_LEVELS, receivers
from banshi.workorders.services import SubmitInput, submit, transition
from banshi.workorders.services.intake import clean_phone, leaf_category
from banshi.workorders.services.pii import reveal_caller
from banshi.workorders.services.workflow import co_parts
from banshi.workorders.views.common import allowed_actions, leaf_category_groups, rows

VIEW = "workorder.view"
# Queues per role, in the order the workbench shows them.
QUEUE_ORDER = [
    "intake",
    "to_dispatch",
    "returns",
    "extensions",
    "to_audit",
    "callbacks",
    "appeals",
    "to_sign",
    "in_progress",
    "unit_overdue",
    "co_to_sign",
    "co_in_progress",
    "overdue",
    "urged",
    "supervised",
]
UNIT_PICKER_ACTIONS = {
    "dispatch": ("workorder.dispatch", DISPATCHABLE_LEVELS),
    "submit": (
        "workorder.submit",
        {Level.DISTRICT, Level.STREET, Level.COMMUNITY, Level.MICROGRID},
    ),
}
PICKER_TARGETS = {"lead_unit", "co_units", "org_unit"}
FILTER_UNIT_LEVELS = [Level.DISTRICT, Level.STREET, Level.FUNCTIONAL, Level.PARK, Level.STATIONED]
FILTER_AREA_LEVELS = [Level.DISTRICT, Level.STREET]
FILTER_UNIT_LIMIT = 400


def visible_queues(user: Any) -> list[str]:
    return [name for name in QUEUE_ORDER if can(user, selectors.QUEUES[name][1])]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    require(request.user, VIEW)
    names = visible_queues(request.user)
    counts = selectors.queue_counts(request.user, names)
    queues = [
        {"name": n, "label": gettext(selectors.QUEUES[n][0]), "count": counts[n]} for n in names
    ]
    context = {
        "queues": queues,
        "can_submit": can(request.user, "workorder.submit"),
        "can_metrics": can(request.user, "workorder.metrics"),
    }
    return render(request, "workorders/home.html", context)


# --- lists ------------------------------------------------------------------------------------


def list_filters(user: Any, params: QueryDict) -> tuple[ListFilterForm, selectors.ListFilters]:
    form = ListFilterForm(params)
    values = check(form)
    filters = selectors.ListFilters(
        status=values["status"] or None,
        unit=values["unit"].strip() or None,
        area=values["area"].strip() or None,
        category=values["category"].strip() or None,
        light=values["light"] or None,
        kind=values["kind"] or None,
        channel=values["channel"] or None,
        received_from=values["received_from"],
        received_to=values["received_to"],
        q=values["q"],
        cursor=values["cursor"].strip() or None,
    )
    return form, filters


def _query_without(params: QueryDict, *names: str) -> str:
    kept = [(k, v) for k, values in params.lists() if k not in names for v in values]
    return urlencode(kept)


def _filter_choices(user: Any) -> dict[str, Any]:
    units = visible_units(user, VIEW)
    categories = [
        c for c in Category.objects.filter(is_active=True, level__lte=2).order_by("sort", "code")
    ]
    return {
        "unit_choices": list(
            units.filter(level__in=FILTER_UNIT_LEVELS).order_by("path")[:FILTER_UNIT_LIMIT]
        ),
        "area_choices": list(
            units.filter(level__in=FILTER_AREA_LEVELS).order_by("path")[:FILTER_UNIT_LIMIT]
        ),
        "category_choices": categories,
        "statuses": Status.choices,
        "kinds": Kind.choices,
        "channels": Channel.choices,
    }


@login_required
@require_GET
def order_list(request: HttpRequest) -> HttpResponse:
    require(request.user, VIEW)
    error = ""
    status = 200
    page = selectors.Page([], None)
    form = ListFilterForm(request.GET)
    try:
        form, filters = list_filters(request.user, request.GET)
        qs = selectors.filter_orders(request.user, filters)
        page = selectors.paginate(qs, filters.cursor, selectors.PAGE_SIZE)
    except DomainError as exc:
        error, status = exc.detail, exc.status
    base = _query_without(request.GET, "cursor")
    list_extras = extras.list_extensions(request.user, request.GET)
    context = {
        "form": form,
        "values": request.GET,
        "selected_status": request.GET.getlist("status"),
        "rows": rows(page.items),
        "next_url": (
            f"?{base}&cursor={page.next_cursor}" if base else f"?cursor={page.next_cursor}"
        )
        if page.next_cursor
        else "",
        "first_url": reverse("workorders:list") + (f"?{base}" if base else ""),
        "export_url": reverse("workorders:export") + (f"?{base}" if base else ""),
        "can_export": can(request.user, "workorder.export"),
        "is_first_page": not request.GET.get("cursor"),
        "error": error,
        "list_extras": list_extras,
        "selectable": bool(list_extras),
        "picked": _picked(request.GET.get("pick", "")),
        **_filter_choices(request.user),
    }
    return render(request, "workorders/list.html", context, status=status)


MAX_PICKED = 200


def _picked(text: str) -> set[int]:
    """Ids to show ticked (``pick=1,2,3``, e.g. from a 高频诉求 cluster); junk is ignored."""
    ids = set()
    for part in text.split(",")[:MAX_PICKED]:
        part = part.strip()
        if is_digits(part) and len(part) <= 19:
            ids.add(int(part))
    return ids


@login_required
@require_GET
def queue_page(request: HttpRequest, name: str) -> HttpResponse:
    name = name[:30]
    if name not in selectors.QUEUES:
        raise NotFound("队列不存在")
    label, action = selectors.QUEUES[name]
    require(request.user, action)
    cursor = request.GET.get("cursor", "")[:30] or None
    page = selectors.paginate(selectors.queue(request.user, name), cursor, selectors.PAGE_SIZE)
    context = {
        "name": name,
        "label": gettext(label),
        "rows": rows(page.items),
        "next_url": f"?cursor={page.next_cursor}" if page.next_cursor else "",
        "can_export": can(request.user, "workorder.export"),
        "is_first_page": cursor is None,
        "queue_panels": extras.queue_panels(request.user, name, page.items),
    }
    return render(request, "workorders/queue.html", context)


# --- one request ------------------------------------------------------------------------------


def _quick_units(user: Any, order: WorkOrder) -> list[OrgUnit]:
    """The units that serve the place of the request (its community, street and district, and
    the city's and district's bureaux) that the dispatcher may send it to: one click for the
    usual case."""
    units = receivers(user, order.org_unit)
    return sorted(units, key=lambda u: (u.level == Level.FUNCTIONAL, -u.depth, u.path))


def _event_label(action: str, data: Any = None) -> str:
    if action == "receive":
        return gettext("受理")
    base = action.removesuffix("_public")
    spec = TRANSITIONS.get(base)
    label = gettext(spec.label) if spec else base
    if spec is not None and spec.side == Side.CO_UNIT and isinstance(data, dict):
        return f"{label}（{data.get('unit', '')}）"
    if action.endswith("_public"):
        return gettext("%(label)s（告知群众）") % {"label": label}
    return label


def _moved(before: str, after: str) -> str:
    if not before or not after or before == after:
        return ""
    labels = dict(Status.choices)
    return f"{labels.get(before, before)} → {labels.get(after, after)}"


def _detail_context(
    request: HttpRequest, order: WorkOrder, *, failed: str = "", error: str = ""
) -> dict[str, Any]:
    user = request.user
    actions = allowed_actions(user, order)
    now = timezone.now()
    events = [
        {
            "event": e,
            "label": _event_label(e.action, e.data),
            "moved": _moved(e.from_status, e.to_status),
        }
        for e in order.events.select_related("actor").order_by("at", "id")
    ]
    co_links = list(order.co_unit_links.select_related("unit").order_by("id"))
    context: dict[str, Any] = {
        "order": order,
        "caller": caller_view(user, order),
        "light": light_of(order, now),
        "remaining": remaining_text(order, now),
        "events": events,
        "attachments": list(order.attachments.all()),
        "co_parts": co_links,
        "co_waiting": [part.unit.name for part in co_links if part.opinion_at is None],
        # The viewer's own parts an action can run on (a choice is offered when there are two).
        "co_sign_parts": co_parts(user, order, "co_sign", ready=True)
        if "co_sign" in actions
        else [],
        "co_reply_parts": co_parts(user, order, "co_reply", ready=True)
        if "co_reply" in actions
        else [],
        "actions": [(a, gettext(TRANSITIONS[a].label)) for a in actions],
        "failed": failed,
        "error": error,
        "error_elsewhere": bool(error) and failed not in actions,
        "posted": request.POST if failed else {},
        "invalid_reasons": InvalidReason.choices,
        "resolutions": Resolution.choices,
        "satisfactions": Satisfaction.choices,
        "status_label": Status(order.status).label,
        "category_name": order.category.full_name,
    }
    if "merge" in actions:
        context["merge_candidates"] = [
            o
            for o in selectors.duplicate_suggestions(
                user, phone=order.caller_phone, org_unit=order.org_unit, category=order.category
            )
            if o.pk != order.pk
        ]
    if "dispatch" in actions or "redispatch" in actions:
        context["quick_units"] = _quick_units(user, order)
        context["dispatch_panels"] = extras.form_panels(user, "dispatch", order)
    return context


@login_required
@require_GET
def detail(request: HttpRequest, order_id: str) -> HttpResponse:
    order = selectors.get_order(request.user, order_id)
    return render(request, "workorders/detail.html", _detail_context(request, order))


@login_required
@require_POST
def act(request: HttpRequest, order_id: str, action: str) -> HttpResponse:
    order = selectors.get_order(request.user, order_id)
    action = action[:40]
    if action not in ACTION_FIELDS:
        raise NotFound("未知的操作")
    data = action_data(action, request.POST, request.FILES)
    try:
        order = transition(
            actor=request.user,
            order=order,
            action=action,
            data=data,
            expected_version=expected_version(request),
        )
    except DomainError as exc:
        fresh = selectors.get_order(request.user, order.pk)
        context = _detail_context(request, fresh, failed=action, error=exc.detail)
        return render(request, "workorders/detail.html", context, status=exc.status)
    messages.success(
        request, gettext("已%(action)s") % {"action": gettext(TRANSITIONS[action].label)}
    )
    if not can(request.user, VIEW, order):
        return redirect("workorders:home")
    return redirect("workorders:detail", order_id=order.pk)


@login_required
@require_POST
def reveal(request: HttpRequest, order_id: str) -> HttpResponse:
    """htmx: the caller's full number, logged as a personal-data access."""
    order = selectors.get_order(request.user, order_id)
    try:
        phone = reveal_caller(actor=request.user, order=order, purpose="工单详情")
    except DomainError as exc:
        return HttpResponse(f'<span class="form-error">{exc.detail}</span>', status=exc.status)
    return render(request, "workorders/_phone.html", {"phone": phone})


@login_required
@require_GET
def attachment(request: HttpRequest, order_id: str, attachment_id: str) -> FileResponse:
    """A request's photo or PDF, only to those who may see the request."""
    order = selectors.get_order(request.user, order_id)
    item = order.attachments.filter(pk=parse_id(attachment_id, field="附件编号")).first()
    if item is None:
        raise NotFound("附件不存在")
    try:
        handle = item.file.open("rb")
    except OSError as exc:
        raise NotFound("附件文件已丢失") from exc
    response = FileResponse(handle, content_type=item.content_type)
    disposition = (
        "inline" if item.is_image or item.content_type == "application/pdf" else "attachment"
    )
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{item.pk}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- intake -----------------------------------------------------------------------------------


def _intake_page(
    request: HttpRequest, form: IntakeForm, failure: DomainError | None = None
) -> HttpResponse:
    context = {
        "form": form,
        "values": request.POST if request.method == "POST" else {},
        "error": failure.detail if failure else "",
        "token": token_for_retry(request, failure),
        "channels": INTAKE_CHANNELS,
        "kinds": Kind.choices,
        "urgencies": Urgency.choices,
        "tree": selectors.category_tree(),
        "leaf_groups": leaf_category_groups(),
        "suggest_panels": extras.form_panels(request.user, "intake"),
    }
    status = failure.status if failure else 200
    return render(request, "workorders/intake.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest) -> HttpResponse:
    require(request.user, "workorder.submit")
    if request.method == "GET":
        return _intake_page(request, IntakeForm())
    form = IntakeForm(request.POST)
    try:
        values = check(form)
        token = clean_token(values["token"])
        unit = None
        if values["org_unit"].strip():
            try:
                unit = get_unit(request.user, values["org_unit"], "workorder.submit")
            except NotFound as exc:
                raise NotFound("所选区域不存在或不在您的管辖范围内") from exc
        order, created = submit(
            actor=request.user,
            data=SubmitInput(
                channel=values["channel"],
                kind=values["kind"],
                category_id=values["category"],
                title=values["title"],
                content=values["content"],
                urgency=values["urgency"],
                address=values["address"],
                org_unit=unit,
                caller_name=values["caller_name"],
                caller_phone=values["caller_phone"],
                confidential=bool(values["confidential"]),
                submission_key=f"u{request.user.pk}:{token}",
            ),
        )
    except DomainError as exc:
        return _intake_page(request, form, exc)
    if created:
        messages.success(request, gettext("已登记，工单编号 %(number)s") % {"number": order.number})
    return redirect("workorders:detail", order_id=order.pk)


@login_required
@require_GET
def duplicates(request: HttpRequest) -> HttpResponse:
    """htmx: requests from the same phone, or at the same place in the same category, lately."""
    require(request.user, "workorder.submit")
    phone = ""
    category = None
    unit = None
    try:
        phone = clean_phone(request.GET.get("caller_phone", "")[:30])
    except ValidationFailed:
        phone = ""
    if request.GET.get("category", "").strip():
        try:
            category = leaf_category(request.GET["category"][:30])
        except ValidationFailed:
            category = None
    if request.GET.get("org_unit", "").strip():
        try:
            unit = get_unit(request.user, request.GET["org_unit"][:30], "workorder.submit")
        except NotFound:
            unit = None
    found = selectors.duplicate_suggestions(
        request.user, phone=phone, org_unit=unit, category=category
    )
    return render(
        request,
        "workorders/_duplicates.html",
        {"rows": rows(found), "asked": bool(phone or (unit and category))},
    )


@login_required
@require_GET
def unit_search(request: HttpRequest) -> HttpResponse:
    """htmx: units the viewer may dispatch to (or record requests in), by name."""
    kind = request.GET.get("for", "dispatch")[:20]
    if kind not in UNIT_PICKER_ACTIONS:
        raise NotFound("未知的单位选择")
    action, levels = UNIT_PICKER_ACTIONS[kind]
    require(request.user, action)
    query = request.GET.get("q", "").strip()[:50]
    target = request.GET.get("target", "lead_unit")
    if target not in PICKER_TARGETS:
        target = "lead_unit"
    units = visible_units(request.user, action).filter(level__in=levels)
    if query:
        units = units.filter(name__icontains=query)
    else:
        units = units.exclude(level__in=[Level.COMMUNITY, Level.MICROGRID])
    found = list(units.select_related("parent").order_by("depth", "path")[:30])
    return render(
        request,
        "workorders/_unit_results.html",
        {"units": found, "query": query, "target": target},
    )
