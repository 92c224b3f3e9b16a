"""The tree browser: expand level by level, search by name or code, counts per node."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from banshi.core.errors import DomainError
from banshi.core.permissions import can, require
from banshi.orgtree import selectors, services
from banshi.orgtree.choices import Level


@login_required
def browse(request: HttpRequest) -> HttpResponse:
    require(request.user, "orgunit.view")
    roots = selectors.with_counts(selectors.root_units(request.user)).order_by("path")
    return render(request, "orgtree/browse.html", {"roots": roots})


@login_required
def children(request: HttpRequest, unit_id: str) -> HttpResponse:
    """htmx partial: the children of one node, each expandable in turn."""
    unit = selectors.get_unit(request.user, unit_id)
    return render(
        request,
        "orgtree/_children.html",
        {"parent": unit, "nodes": selectors.children(request.user, unit)},
    )


@login_required
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    results = list(selectors.search(request.user, query)) if query.strip() else []
    template = (
        "orgtree/_search_results.html"
        if request.headers.get("HX-Request")
        else "orgtree/search.html"
    )
    return render(request, template, {"q": query, "results": results})


@login_required
def unit_detail(request: HttpRequest, unit_id: str) -> HttpResponse:
    unit = selectors.get_unit(request.user, unit_id)
    unit_with_counts = selectors.with_counts(
        selectors.visible_units(request.user).filter(pk=unit.pk)
    ).get()
    context = {
        "unit": unit_with_counts,
        "ancestors": selectors.ancestors(request.user, unit),
        "nodes": selectors.children(request.user, unit),
        "can_manage": can(request.user, "orgunit.manage", unit),
        "can_see_users": can(request.user, "user.view", unit),
        "can_see_households": can(request.user, "household.view", unit),
        "levels": Level.choices,
    }
    return render(request, "orgtree/unit_detail.html", context)


@login_required
@require_POST
def unit_rename(request: HttpRequest, unit_id: str) -> HttpResponse:
    unit = selectors.get_unit(request.user, unit_id)
    try:
        services.orgunit_rename(actor=request.user, unit=unit, name=request.POST.get("name", ""))
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, gettext("已改名"))
    return redirect("orgtree:unit", unit_id=unit.pk)


@login_required
@require_POST
def unit_create_child(request: HttpRequest, unit_id: str) -> HttpResponse:
    parent = selectors.get_unit(request.user, unit_id)
    try:
        child = services.orgunit_create(
            actor=request.user,
            parent=parent,
            level=request.POST.get("level", ""),
            name=request.POST.get("name", ""),
            code=request.POST.get("code") or None,
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect("orgtree:unit", unit_id=parent.pk)
    messages.success(request, gettext("已新建：%(name)s") % {"name": child.name})
    return redirect("orgtree:unit", unit_id=child.pk)


@login_required
@require_POST
def unit_move(request: HttpRequest, unit_id: str) -> HttpResponse:
    unit = selectors.get_unit(request.user, unit_id)
    try:
        target = selectors.get_unit(request.user, request.POST.get("new_parent", ""))
        services.orgunit_move(actor=request.user, unit=unit, new_parent=target)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, gettext("已移动到：%(name)s") % {"name": target.name})
    return redirect("orgtree:unit", unit_id=unit.pk)
