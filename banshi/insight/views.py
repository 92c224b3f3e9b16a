"""Pages of 智能派单 and 未诉先办: the suggestion fragments the intake and citizen forms ask for
(htmx), the 未诉先办 cockpit with its proposals, one proposal with its evidence and the rulings,
and the 每月一题 list. Parse, call one selector or service, render; a refusal is shown with its
Chinese reason and status, never as a 500."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from banshi.core import throttle
from banshi.core.errors import DomainError, NotFound, ValidationFailed
from banshi.core.http import client_ip
from banshi.core.permissions import can, require
from banshi.core.validation import clean_text
from banshi.insight import engine, selectors, services
from banshi.insight.choices import ProposalKind, ProposalStatus
from banshi.orgtree.models import OrgUnit
from banshi.orgtree.selectors import visible_units

MIN_TYPED = 6  # characters of content before a suggestion is worth asking for
ASK_SCOPE = "insight.ask"
ASK_LIMIT = 60  # suggestions per client address per window
ASK_WINDOW = 600


def _ask_from(post: Any) -> engine.Ask:
    return engine.clean_ask(
        content=post.get("content", "")[:20000],
        title=post.get("title", "")[:20000],
        address=post.get("address", "")[:20000],
        latitude=post.get("latitude", "")[:40],
        longitude=post.get("longitude", "")[:40],
    )


def _unit_named(user: Any, value: object) -> OrgUnit:
    """A unit the user can see, by division code or exact name (as the project forms take it)."""
    text = clean_text(value, field="牵头单位", max_length=100)
    units = visible_units(user)
    found = list(units.filter(code=text)[:2]) or list(units.filter(name=text)[:2])
    if not found:
        raise ValidationFailed(f"牵头单位「{text}」不存在或不在您的管辖范围内", code="unknown_unit")
    if len(found) > 1:
        raise ValidationFailed(f"牵头单位「{text}」对应多个单位，请改填区划代码", code="ambiguous")
    return found[0]


def _fragment(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(request, template, context, status=status)


# --- suggestion fragments ----------------------------------------------------------------------


@login_required
@require_POST
def suggest(request: HttpRequest) -> HttpResponse:
    """htmx, the operator's intake form: top categories and units for what has been typed."""
    require(request.user, "dispatch.suggest")
    if len(request.POST.get("content", "").strip()) < MIN_TYPED:
        return _fragment(request, "insight/_suggestions.html", {"waiting": True})
    try:
        suggestion = engine.suggest(_ask_from(request.POST), user=request.user, categories=3)
    except DomainError as exc:
        return _fragment(request, "insight/_suggestions.html", {"error": exc.detail}, exc.status)
    return _fragment(request, "insight/_suggestions.html", {"s": suggestion, "units": True})


@require_POST
def ask_suggest(request: HttpRequest) -> HttpResponse:
    """htmx, the citizen's form (no login): category suggestions only, throttled per address."""
    ip = client_ip(request)
    try:
        throttle.check(ASK_SCOPE, {ip: ASK_LIMIT}, window_seconds=ASK_WINDOW)
        throttle.hit(ASK_SCOPE, ip)
        if len(request.POST.get("content", "").strip()) < MIN_TYPED:
            return _fragment(request, "insight/_suggestions.html", {"waiting": True})
        ask = engine.clean_ask(
            content=request.POST.get("content", "")[:20000],
            title=request.POST.get("title", "")[:20000],
            latitude=None,
            longitude=None,
        )
        suggestion = engine.suggest(ask, user=None, categories=3, with_units=False)
    except DomainError as exc:
        return _fragment(request, "insight/_suggestions.html", {"error": exc.detail}, exc.status)
    return _fragment(request, "insight/_suggestions.html", {"s": suggestion, "public": True})


# --- 未诉先办 -----------------------------------------------------------------------------------


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The 未诉先办 cockpit: open proposals by kind, the newest of them, 每月一题, and how well
    the dispatch assistant has been doing."""
    require(request.user, selectors.VIEW)
    counts = selectors.open_counts(request.user)
    context = {
        "counts": [(kind, label, counts[kind]) for kind, label in ProposalKind.choices],
        "open_total": sum(counts.values()),
        "proposals": list(selectors.proposals(request.user)[:20]),
        "topics": list(selectors.topics(request.user)[:10]),
        "accuracy": selectors.accuracy(request.user),
        "models": selectors.models(5),
    }
    return render(request, "insight/home.html", context)


@login_required
@require_GET
def proposal_list(request: HttpRequest) -> HttpResponse:
    require(request.user, selectors.VIEW)
    status = request.GET.get("status", ProposalStatus.OPEN)[:12]
    kind = request.GET.get("kind", "")[:16]
    rows = list(selectors.proposals(request.user, status=status or None, kind=kind or None)[:200])
    context = {
        "rows": rows,
        "status": status,
        "kind": kind,
        "statuses": ProposalStatus.choices,
        "kinds": ProposalKind.choices,
    }
    return render(request, "insight/proposals.html", context)


def _detail_context(
    request: HttpRequest, proposal: Any, *, error: str = "", failed: str = ""
) -> dict[str, Any]:
    orders, hidden = selectors.evidence(request.user, proposal)
    today = timezone.localdate()
    next_month = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    return {
        "p": proposal,
        "orders": orders,
        "hidden": hidden,
        "can_review": proposal.status == ProposalStatus.OPEN
        and can(request.user, services.REVIEW, proposal),
        "error": error,
        "failed": failed,
        "posted": request.POST if failed else {},
        "default_month": next_month.strftime("%Y-%m"),
        "default_deadline": (today + datetime.timedelta(days=90)).isoformat(),
        "default_lead": proposal.org_unit.code or proposal.org_unit.name,
    }


@login_required
@require_GET
def proposal_detail(request: HttpRequest, proposal_id: str) -> HttpResponse:
    proposal = selectors.get_proposal(request.user, proposal_id)
    return render(request, "insight/proposal.html", _detail_context(request, proposal))


@login_required
@require_POST
def proposal_act(request: HttpRequest, proposal_id: str, action: str) -> HttpResponse:
    proposal = selectors.get_proposal(request.user, proposal_id)
    post = request.POST
    try:
        if action == "dismiss":
            services.proposal_dismiss(
                actor=request.user, proposal=proposal, reason=post.get("reason", "")
            )
            messages.success(request, gettext("已驳回该线索"))
        elif action == "project":
            project = services.proposal_to_project(
                actor=request.user,
                proposal=proposal,
                choice=services.ProjectChoice(
                    name=post.get("name", ""),
                    target=post.get("target", ""),
                    deadline=post.get("deadline", ""),
                ),
            )
            messages.success(
                request, gettext("已创建实事项目 %(number)s") % {"number": project.number}
            )
            return redirect("projects:detail", project_id=project.pk)
        elif action == "topic":
            lead = _unit_named(request.user, post.get("lead_unit", ""))
            topic = services.proposal_to_topic(
                actor=request.user,
                proposal=proposal,
                choice=services.TopicChoice(
                    month=post.get("month", ""),
                    title=post.get("title", ""),
                    lead_unit=lead,
                    target=post.get("target", ""),
                    deadline=post.get("deadline", ""),
                ),
            )
            messages.success(request, gettext("已列为每月一题：%(title)s") % {"title": topic.title})
            return redirect("insight:topics")
        else:
            raise NotFound("未知的操作")
    except DomainError as exc:
        if isinstance(exc, NotFound) and action not in {"dismiss", "project", "topic"}:
            raise
        fresh = selectors.get_proposal(request.user, proposal.pk)
        context = _detail_context(request, fresh, error=exc.detail, failed=action)
        return render(request, "insight/proposal.html", context, status=exc.status)
    return redirect("insight:proposal", proposal_id=proposal.pk)


@login_required
@require_GET
def topics(request: HttpRequest) -> HttpResponse:
    require(request.user, selectors.VIEW)
    return render(request, "insight/topics.html", {"rows": list(selectors.topics(request.user))})
