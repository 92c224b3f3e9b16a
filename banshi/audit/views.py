"""History pages: change records and personal-data access log, scoped to the viewer's subtree."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from banshi.audit.models import ChangeRecord, PersonalDataAccess
from banshi.core.permissions import require


@login_required
def changes(request: HttpRequest) -> HttpResponse:
    require(request.user, "audit.view")
    action = request.GET.get("action", "")[:64]
    records = ChangeRecord.objects.for_user(request.user, "audit.view").select_related("actor")
    if action:
        records = records.filter(action=action)
    return render(request, "audit/changes.html", {"records": records[:200], "action": action})


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    require(request.user, "audit.view")
    rows = PersonalDataAccess.objects.for_user(request.user, "audit.view").select_related("actor")
    return render(request, "audit/access_log.html", {"rows": rows[:200]})
