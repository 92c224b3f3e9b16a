"""Pages without login: the public notice (公示/晒单) of each published project, and the residents'
survey. Nothing personal is shown: no names, phone numbers or comments, only units, plan,
progress and the evaluation counts."""

from __future__ import annotations

import secrets
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from banshi.core import throttle
from banshi.core.errors import DomainError, NotFound
from banshi.core.http import client_ip
from banshi.projects import selectors, services
from banshi.projects.models import ProjectWorkOrder

SURVEY_COOKIE = "bs_survey"


def index(request: HttpRequest) -> HttpResponse:
    return render(
        request, "projects/public/index.html", {"projects": selectors.published_projects()[:200]}
    )


def detail(request: HttpRequest, project_id: str) -> HttpResponse:
    project = selectors.get_published(project_id)
    return render(
        request,
        "projects/public/detail.html",
        {
            "project": project,
            "evaluation": selectors.evaluation_summary(project, with_comments=False),
            "milestones": list(project.milestones.all()),
        },
    )


SURVEY_LIMIT_PER_PROJECT = 30
SURVEY_LIMIT_PER_CLIENT = 30


def _linked_order(request: HttpRequest, project: Any) -> Any:
    """The linked request a citizen names on the survey page, with the same brute-force guard as
    the tracking page: too many wrong proofs from one address or for one project in 15 minutes
    are refused (429) before the proof is even checked."""
    client = client_ip(request)
    throttle.check(
        "project_survey",
        {f"p:{project.pk}": SURVEY_LIMIT_PER_PROJECT, f"c:{client}": SURVEY_LIMIT_PER_CLIENT},
    )
    number = str(request.POST.get("number", ""))[:20]
    proof = str(request.POST.get("proof", ""))[:20]
    try:
        return services.linked_order(project, number, proof)
    except NotFound:
        throttle.hit("project_survey", f"p:{project.pk}", f"c:{client}" if client else "")
        raise


@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, token: str) -> HttpResponse:
    """The residents' survey, and — for the citizens of the project's linked requests, who are
    invited on 销号 — the same questions answered under their request number and proof."""
    project = services.survey_project(token)
    browser = request.COOKIES.get(SURVEY_COOKIE, "")
    if not browser or len(browser) > 64:
        browser = secrets.token_urlsafe(24)
    linked = request.POST.get("respondent") == "linked" or "number" in request.GET
    context: dict[str, Any] = {
        "project": project,
        "open": project.status in services.OPEN_FOR_EVALUATION,
        "linked_open": project.status in services.LINKED_OPEN
        and ProjectWorkOrder.objects.filter(project=project).exists(),
        "linked": linked,
        "number": str(request.POST.get("number") or request.GET.get("number", ""))[:20],
    }
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("respondent") == "linked":
                order = _linked_order(request, project)
                services.evaluation_submit_linked(
                    project=project,
                    number=order.number,
                    proof=request.POST.get("proof", ""),
                    choice=request.POST.get("choice", ""),
                    comment=request.POST.get("comment", ""),
                )
            else:
                services.evaluation_submit(
                    project=project,
                    choice=request.POST.get("choice", ""),
                    comment=request.POST.get("comment", ""),
                    browser_token=browser,
                )
        except DomainError as exc:
            context["error"] = exc.detail
            status = exc.status
        else:
            context["thanks"] = True
    response = render(request, "projects/public/survey.html", context, status=status)
    response.set_cookie(
        SURVEY_COOKIE, browser, max_age=365 * 24 * 3600, httponly=True, samesite="Lax"
    )
    return response
