"""The household register pages for grid members and community workers."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from banshi.core.permissions import can, require
from banshi.grid import selectors, services
from banshi.orgtree.selectors import get_unit, root_units


@login_required
def households(request: HttpRequest) -> HttpResponse:
    require(request.user, "household.view")
    unit_id = request.GET.get("unit")
    unit = get_unit(request.user, unit_id, "household.view") if unit_id else None
    if unit is None:
        roots = list(root_units(request.user))
        unit = roots[0] if len(roots) == 1 else None
    rows = selectors.households_under(request.user, unit)[:200] if unit else []
    return render(
        request,
        "grid/households.html",
        {
            "unit": unit,
            "households": rows,
            "can_reveal": unit is not None and can(request.user, "pii.view", unit),
        },
    )


@login_required
@require_POST
def resident_reveal(request: HttpRequest, resident_id: str) -> HttpResponse:
    resident = selectors.get_resident(request.user, resident_id)
    data = services.resident_reveal(actor=request.user, resident=resident, purpose="住户台账")
    return HttpResponse(f'<span class="pii-revealed" title="已留痕">{data["mobile"] or "—"}</span>')
