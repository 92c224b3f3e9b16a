"""Pages without login: the public notice (公示/晒单) of each published project, and the residents'
survey. Nothing personal is shown: no names, phone numbers or comments, only units, plan,
progress and the evaluation counts."""

from __future__ import annotations

import secrets

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from banshi.core.errors import DomainError
from banshi.projects import selectors, services

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


@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, token: str) -> HttpResponse:
    project = services.survey_project(token)
    browser = request.COOKIES.get(SURVEY_COOKIE, "")
    if not browser or len(browser) > 64:
        browser = secrets.token_urlsafe(24)
    context = {"project": project, "open": project.status in services.OPEN_FOR_EVALUATION}
    status = 200
    if request.method == "POST":
        try:
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
