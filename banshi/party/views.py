"""Pages of 双报到: unit registrations (both sides see them; the unit submits and withdraws, the
community accepts or returns), in-service members' registrations with the half-year
confirmation, and who is below the yearly hours threshold."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from banshi.core.errors import DomainError
from banshi.core.http import expected_version
from banshi.core.permissions import can, require
from banshi.party import periods, selectors, services
from banshi.party.choices import ACCEPT, REGISTER, TRANSITIONS, VIEW, Side, Status
from banshi.party.services.lifecycle import LIFECYCLE
from banshi.volunteers.selectors import communities, get_community

PAGE_SIZE = 20
STANDINGS = [
    (periods.OVERDUE, gettext_lazy("逾期未确认")),
    (periods.DUE, gettext_lazy("待确认")),
    (periods.OK, gettext_lazy("正常")),
]


def _page(request: HttpRequest, rows: Any) -> Any:
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


# --- pickers -----------------------------------------------------------------------------------


@login_required
@require_GET
def pick_community(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:30]
    target = "community"
    return render(
        request,
        "volunteers/_pick.html",
        {"units": communities(query), "target": target, "query": query},
    )


@login_required
@require_GET
def pick_unit(request: HttpRequest) -> HttpResponse:
    require(request.user, REGISTER)
    query = request.GET.get("q", "").strip()[:30]
    units = selectors.reporting_units(request.user, query)
    return render(
        request, "volunteers/_pick.html", {"units": units, "target": "party_org", "query": query}
    )


@login_required
@require_GET
def pick_member(request: HttpRequest) -> HttpResponse:
    require(request.user, ACCEPT)
    query = request.GET.get("q", "").strip()[:30]
    found = selectors.in_service_members(request.user, query)
    return render(
        request, "volunteers/_pick.html", {"units": found, "target": "member", "query": query}
    )


# --- 单位报到 ------------------------------------------------------------------------------------


@login_required
def units(request: HttpRequest) -> HttpResponse:
    require(request.user, VIEW)
    status = request.GET.get("status", "")
    query = request.GET.get("q", "").strip()[:30]
    rows = selectors.unit_registrations_for(request.user, status=status, query=query)
    return render(
        request,
        "party/units.html",
        {
            "page": _page(request, rows),
            "status": status,
            "q": query,
            "statuses": Status.choices,
            "query": urlencode({"status": status, "q": query}),
            "can_register": can(request.user, REGISTER),
        },
    )


@login_required
def unit_new(request: HttpRequest) -> HttpResponse:
    require(request.user, REGISTER)
    post = request.POST
    if request.method == "POST":
        try:
            registration = services.unit_register(
                actor=request.user,
                party_org=selectors.get_reporting_unit(request.user, post.get("party_org")),
                community=get_community(post.get("community")),
                contact_name=post.get("contact_name", ""),
                contact_mobile=post.get("contact_mobile", ""),
                resources=post.get("resources", ""),
            )
        except DomainError as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(request, _("已提交报到，等待社区接收"))
            return redirect("party:unit", registration.pk)
    return render(request, "party/unit_form.html", {"form": post})


@login_required
def unit_page(request: HttpRequest, registration_id: str) -> HttpResponse:
    registration = selectors.get_unit_registration(request.user, registration_id)
    steps = []
    for step in LIFECYCLE.available(registration.status):
        node = registration.community if step.side == Side.COMMUNITY else registration.party_org
        if can(request.user, LIFECYCLE.permission(step), node):
            steps.append(step)
    return render(
        request,
        "party/unit.html",
        {
            "r": registration,
            "events": [
                (
                    event,
                    _(TRANSITIONS[event.action].label)
                    if event.action in TRANSITIONS
                    else _("提交报到"),
                )
                for event in registration.events.select_related("actor").order_by("at", "pk")
            ],
            "steps": steps,
            "needs_note": {"return", "withdraw"},
        },
    )


@login_required
@require_POST
def unit_step(request: HttpRequest, registration_id: str) -> HttpResponse:
    registration = selectors.get_unit_registration(request.user, registration_id)
    action = request.POST.get("action", "")
    try:
        services.unit_registration_transition(
            actor=request.user,
            registration=registration,
            action=action,
            data={"note": request.POST.get("note", "")},
            expected_version=expected_version(request),
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        step = TRANSITIONS.get(action)
        messages.success(request, _("已%(label)s") % {"label": _(step.label) if step else ""})
    return redirect("party:unit", registration.pk)


# --- 在职党员报到 --------------------------------------------------------------------------------


@login_required
def members(request: HttpRequest) -> HttpResponse:
    require(request.user, VIEW)
    standing = request.GET.get("standing", "")
    query = request.GET.get("q", "").strip()[:30]
    rows = selectors.confirmations(request.user, timezone.localdate(), only=standing)
    if query:
        rows = [row for row in rows if query in row.registration.member.name]
    return render(
        request,
        "party/members.html",
        {
            "page": _page(request, rows),
            "standing": standing,
            "q": query,
            "standings": STANDINGS,
            "query": urlencode({"standing": standing, "q": query}),
            "can_accept": can(request.user, ACCEPT),
            "months": periods.confirm_months(),
            "notice": periods.notice_days(),
        },
    )


@login_required
@require_POST
def member_new(request: HttpRequest) -> HttpResponse:
    require(request.user, ACCEPT)
    post = request.POST
    try:
        day = (
            datetime.date.fromisoformat(post["registered_on"])
            if post.get("registered_on")
            else None
        )
    except ValueError:
        messages.error(request, _("报到日期格式不正确"))
        return redirect("party:members")
    try:
        registration = services.member_register(
            actor=request.user,
            member=selectors.get_in_service_member(request.user, post.get("member")),
            community=get_community(post.get("community")),
            skills=post.get("skills", ""),
            on=day,
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("%(name)s 已登记报到") % {"name": registration.member.name})
    return redirect("party:members")


@login_required
@require_POST
def member_confirm(request: HttpRequest, registration_id: str) -> HttpResponse:
    registration = selectors.get_member_registration(request.user, registration_id)
    try:
        services.member_confirm(
            actor=request.user,
            registration=registration,
            expected_version=expected_version(request),
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("%(name)s 本期报到已确认") % {"name": registration.member.name})
    return redirect("party:members")


@login_required
def hours(request: HttpRequest) -> HttpResponse:
    require(request.user, VIEW)
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year") or this_year)
    except ValueError:
        year = this_year
    if not 2000 <= year <= this_year + 1:
        year = this_year
    show_all = request.GET.get("all") == "1"
    rows = selectors.yearly_hours(request.user, year, below_only=not show_all)
    return render(
        request,
        "party/hours.html",
        {
            "page": _page(request, rows),
            "year": year,
            "years": list(range(this_year, this_year - 4, -1)),
            "all": show_all,
            "threshold": periods.yearly_hours(),
            "query": urlencode({"year": year, "all": "1" if show_all else ""}),
        },
    )
