"""History pages: change records (personal fields masked, revealed one record at a time with a log
row) and the personal-data access log, scoped to the viewer's subtree."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from banshi.audit import selectors, services
from banshi.core.errors import DomainError
from banshi.core.permissions import require


@login_required
def changes(request: HttpRequest) -> HttpResponse:
    require(request.user, "audit.view")
    action = request.GET.get("action", "")[:64]
    records = selectors.change_records(request.user, action)[:200]
    rows = [selectors.change_view(request.user, r) for r in records]
    return render(request, "audit/changes.html", {"rows": rows, "action": action})


@login_required
@require_POST
def change_reveal(request: HttpRequest, record_id: str) -> HttpResponse:
    """htmx: one record's before/after unmasked, logged as a personal-data access."""
    record = selectors.get_change_record(request.user, record_id)
    try:
        data = services.change_reveal(actor=request.user, record=record, purpose="变更记录")
    except DomainError as exc:
        return HttpResponse(f'<span class="form-error">{exc.detail}</span>', status=exc.status)
    return render(request, "audit/_change_data.html", {**data, "revealed": True})


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    require(request.user, "audit.view")
    return render(
        request, "audit/access_log.html", {"rows": selectors.access_log(request.user)[:200]}
    )
