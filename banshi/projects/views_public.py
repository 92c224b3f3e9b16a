"""Pages without login: the public notice (公示/晒单) of each published project, the residents'
survey (mobile + SMS code) and the linked citizens' one-time invitations. Nothing personal is
shown: no names, phone numbers or comments, only units, plan, progress and the evaluation counts
(a mobile is echoed only into the form of the person who typed it, else masked)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from banshi.core.choices import Satisfaction
from banshi.core.errors import DomainError
from banshi.core.http import client_ip
from banshi.projects import conf, selectors, services
from banshi.projects.models import ProjectWorkOrder


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


def _answer(request: HttpRequest) -> dict[str, str]:
    """What the resident typed, to show again after a refusal."""
    return {
        "phone": str(request.POST.get("phone", ""))[:20],
        "choice": str(request.POST.get("choice", ""))[:20],
        "comment": str(request.POST.get("comment", ""))[:500],
    }


@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, token: str) -> HttpResponse:
    """The residents' survey, mobile first: request an SMS code for a mobile on the project's
    linked requests or in the household register of its area, then answer with mobile + code.
    One answer per mobile; the limits and counts are the service's."""
    project = services.survey_project(token)
    context: dict[str, Any] = {
        "project": project,
        # While the 销号 application is open anyone on the lists may answer; after 销号 only the
        # citizens of linked requests still may.
        "open": project.status in services.OPEN_FOR_EVALUATION,
        "linked_only": project.status not in services.OPEN_FOR_EVALUATION
        and project.status in services.LINKED_OPEN
        and ProjectWorkOrder.objects.filter(project=project).exists(),
        "minutes": max(1, conf.survey_code_ttl_seconds() // 60),
        "choices": Satisfaction.choices,
        **_answer(request),
    }
    status = 200
    if request.method == "POST":
        client = client_ip(request)
        try:
            if request.POST.get("action") == "code":
                context["code_sent"] = services.survey_code_request(
                    project=project, phone=request.POST.get("phone", ""), client=client
                )
            else:
                services.survey_vote_with_code(
                    project=project,
                    phone=request.POST.get("phone", ""),
                    code=request.POST.get("code", ""),
                    choice=request.POST.get("choice", ""),
                    comment=request.POST.get("comment", ""),
                    client=client,
                )
                context["thanks"] = True
        except DomainError as exc:
            context["error"] = exc.detail
            context["error_code"] = exc.code
            status = exc.status
    return render(request, "projects/public/survey.html", context, status=status)


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """A linked citizen's one-time invitation from the SMS: answer once, no code needed."""
    invitation = services.survey_invitation(token)
    project = invitation.project
    context: dict[str, Any] = {
        "project": project,
        "invitation": invitation,
        "open": project.status in services.LINKED_OPEN,
        "choices": Satisfaction.choices,
        **_answer(request),
    }
    status = 200
    if request.method == "POST":
        try:
            services.survey_vote_with_invitation(
                token=token,
                choice=request.POST.get("choice", ""),
                comment=request.POST.get("comment", ""),
                client=client_ip(request),
            )
        except DomainError as exc:
            context["error"] = exc.detail
            context["error_code"] = exc.code
            status = exc.status
        else:
            context["thanks"] = True
    return render(request, "projects/public/invitation.html", context, status=status)
