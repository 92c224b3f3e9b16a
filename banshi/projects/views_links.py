"""Pages linking projects and citizen requests: a project made from requests ticked on the request
list, and linking or unlinking requests from a project's page. Each view parses, calls one
service and renders; a refusal re-renders with the Chinese reason and its 4xx status."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from banshi.core.errors import DomainError, NotFound
from banshi.core.permissions import require
from banshi.core.validation import clean_text
from banshi.projects import linking, services
from banshi.projects.forms import parse_project_form
from banshi.projects.models import Project
from banshi.projects.views import form_context
from banshi.projects.views_actions import act_on_project


@login_required
@require_http_methods(["GET", "POST"])
def from_requests(request: HttpRequest) -> HttpResponse:
    """转为实事项目: the create form, pre-filled from the ticked requests (``orders=<id>`` each)."""
    require(request.user, "project.collect")
    source = request.POST if request.method == "POST" else request.GET
    orders = sorted(
        services.visible_orders(request.user, source.getlist("orders")),
        key=lambda o: (o.received_at, o.pk),
    )
    prefill = linking.prefill(request.user, orders, timezone.localdate())
    values: Any = prefill.values
    error, status = "", 200
    if request.method == "POST":
        values = request.POST
        try:
            parsed = parse_project_form(request.user, request.POST)
            project = services.project_create_from_orders(
                actor=request.user, orders=orders, **parsed
            )
        except DomainError as exc:
            error, status = exc.detail, exc.status
        else:
            messages.success(
                request, gettext("已创建实事项目并关联%(n)s件工单") % {"n": len(orders)}
            )
            return redirect("projects:detail", project_id=project.pk)
    context = form_context(request, values, error, creating=True)
    context.update({"orders": orders, "notes": prefill.notes})
    return render(request, "projects/from_requests.html", context, status=status)


def _refs(text: str) -> list[str]:
    return [part for part in re.split(r"[\s,，、；;]+", text) if part]


@login_required
@require_POST
def link_orders(request: HttpRequest, project_id: str) -> HttpResponse:
    text = clean_text(
        request.POST.get("orders", ""), field="工单编号", max_length=4000, required=False
    )
    refs = _refs(text) + request.POST.getlist("order")

    def run(project: Project) -> None:
        orders = services.visible_orders(request.user, refs)
        services.orders_link(actor=request.user, project=project, orders=orders)

    return act_on_project(request, project_id, run, gettext("已关联工单"))


@login_required
@require_POST
def unlink_order(request: HttpRequest, project_id: str, order_id: str) -> HttpResponse:
    def run(project: Project) -> None:
        found = services.visible_orders(request.user, [order_id])
        if not found:  # pragma: no cover - visible_orders raises first
            raise NotFound()
        services.order_unlink(actor=request.user, project=project, order=found[0])

    return act_on_project(request, project_id, run, gettext("已取消关联"))
