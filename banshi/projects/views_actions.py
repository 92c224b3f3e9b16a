"""Actions posted from the project page and the links/meetings pages. Each parses the form and
calls one service; a refusal re-renders the page with the Chinese reason and the error's 4xx
status, and nothing is applied (the service's transaction rolled back)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from banshi.core.errors import DomainError, ValidationFailed
from banshi.core.http import expected_version
from banshi.core.permissions import require
from banshi.orgtree.models import OrgUnit
from banshi.orgtree.selectors import get_unit
from banshi.projects import selectors, services
from banshi.projects.forms import item_rows_shown, parse_item_rows, picked_project
from banshi.projects.inputs import parse_bool, parse_int, parse_moment
from banshi.projects.models import Project
from banshi.projects.views import detail_context
from banshi.projects.views_pickers import picker_urls


def act_on_project(
    request: HttpRequest, project_id: str, action: Callable[[Project], Any], done: str
) -> HttpResponse:
    """Run ``action`` (one service call) on a project from its page: on success a message and
    back to the page; on a refusal the page again with the reason, at the error's status."""
    project = selectors.get_project(request.user, project_id)
    try:
        action(project)
    except DomainError as exc:
        project = selectors.get_project(request.user, project_id)
        context = detail_context(request, project)
        context["error"] = exc.detail
        return render(request, "projects/project_detail.html", context, status=exc.status)
    messages.success(request, done)
    return redirect("projects:detail", project_id=project.pk)


@login_required
@require_POST
def transition(request: HttpRequest, project_id: str) -> HttpResponse:
    name = request.POST.get("action", "")

    def run(project: Project) -> None:
        merge_into = None
        if name == "merge" and request.POST.get("merge_into"):
            merge_into = selectors.get_project(request.user, request.POST["merge_into"])
        services.project_transition(
            actor=request.user,
            project=project,
            action=name,
            note=request.POST.get("note", ""),
            merge_into=merge_into,
            expected_version=expected_version(request),
        )

    return act_on_project(request, project_id, run, gettext("操作已完成"))


@login_required
@require_POST
def confirm(request: HttpRequest, project_id: str) -> HttpResponse:
    return act_on_project(
        request,
        project_id,
        lambda p: services.project_confirm(
            actor=request.user,
            project=p,
            party=request.POST.get("party", ""),
            expected_version=expected_version(request),
        ),
        gettext("已确认交办"),
    )


@login_required
@require_POST
def place(request: HttpRequest, project_id: str) -> HttpResponse:
    def run(project: Project) -> None:
        project_list = selectors.get_list(request.user, request.POST.get("list", ""))
        services.list_place(actor=request.user, project=project, project_list=project_list)

    return act_on_project(request, project_id, run, gettext("已列入清单"))


@login_required
@require_POST
def report_create(request: HttpRequest, project_id: str) -> HttpResponse:
    post = request.POST
    return act_on_project(
        request,
        project_id,
        lambda p: services.report_create(
            actor=request.user,
            project=p,
            report_date=post.get("report_date", ""),
            text=post.get("text", ""),
            percent=post.get("percent", ""),
            funds_spent=post.get("funds_spent", ""),
            milestone_ids=post.getlist("milestones"),
            submit=parse_bool(post.get("submit", "")),
            photos=request.FILES.getlist("photos"),
        ),
        gettext("进展已保存"),
    )


@login_required
@require_POST
def report_submit(request: HttpRequest, report_id: str) -> HttpResponse:
    report = selectors.get_report(request.user, report_id)
    return act_on_project(
        request,
        str(report.project_id),
        lambda p: services.report_submit(actor=request.user, report=report),
        gettext("进展已报送"),
    )


@login_required
@require_POST
def report_review(request: HttpRequest, report_id: str) -> HttpResponse:
    report = selectors.get_report(request.user, report_id)
    approve = request.POST.get("decision") == "approve"
    return act_on_project(
        request,
        str(report.project_id),
        lambda p: services.report_review(
            actor=request.user, report=report, approve=approve, note=request.POST.get("note", "")
        ),
        gettext("进展已审核通过") if approve else gettext("进展已退回"),
    )


@login_required
@require_POST
def attachment_upload(request: HttpRequest, project_id: str) -> HttpResponse:
    return act_on_project(
        request,
        project_id,
        lambda p: services.attachment_add(
            actor=request.user,
            project=p,
            kind=request.POST.get("kind", ""),
            uploaded=request.FILES.get("file"),
            caption=request.POST.get("caption", ""),
        ),
        gettext("附件已上传"),
    )


@login_required
@require_POST
def deadline_request(request: HttpRequest, project_id: str) -> HttpResponse:
    return act_on_project(
        request,
        project_id,
        lambda p: services.deadline_change_request(
            actor=request.user,
            project=p,
            new_deadline=request.POST.get("new_deadline", ""),
            reason=request.POST.get("reason", ""),
        ),
        gettext("时限调整申请已提交"),
    )


@login_required
@require_POST
def deadline_decide(request: HttpRequest, change_id: str) -> HttpResponse:
    change = selectors.get_deadline_change(request.user, change_id)
    return act_on_project(
        request,
        str(change.project_id),
        lambda p: services.deadline_change_decide(
            actor=request.user,
            change=change,
            approve=request.POST.get("decision") == "approve",
            note=request.POST.get("note", ""),
        ),
        gettext("已审批时限调整"),
    )


@login_required
@require_POST
def notice_issue(request: HttpRequest, project_id: str) -> HttpResponse:
    def run(project: Project) -> None:
        to_unit = None
        if request.POST.get("to_unit"):
            unit_id = request.POST["to_unit"]
            to_unit = next(
                (u for u in [project.lead_unit, *project.co_units.all()] if str(u.pk) == unit_id),
                None,
            )
            if to_unit is None:
                raise ValidationFailed("督办对象应为项目的牵头单位或配合单位")
        services.notice_issue(
            actor=request.user,
            project=project,
            kind=request.POST.get("kind", ""),
            content=request.POST.get("content", ""),
            due_date=request.POST.get("due_date", ""),
            to_unit=to_unit,
        )

    return act_on_project(request, project_id, run, gettext("通知已发出"))


@login_required
@require_POST
def notice_respond(request: HttpRequest, notice_id: str) -> HttpResponse:
    notice = selectors.get_notice(request.user, notice_id)
    return act_on_project(
        request,
        str(notice.project_id),
        lambda p: services.notice_respond(
            actor=request.user, notice=notice, response=request.POST.get("response", "")
        ),
        gettext("已答复"),
    )


@login_required
@require_POST
def inspection_record(request: HttpRequest, project_id: str) -> HttpResponse:
    post = request.POST
    return act_on_project(
        request,
        project_id,
        lambda p: services.inspection_record(
            actor=request.user,
            project=p,
            inspected_at=parse_moment(post.get("inspected_at", ""), field="督查时间"),
            place=post.get("place", ""),
            findings=post.get("findings", ""),
            purpose=post.get("purpose", ""),
            passed=post.get("passed") == "1",
            rectifications=parse_item_rows(post, p.org_unit, extra=services.project_units(p)),
            photos=request.FILES.getlist("photos"),
        ),
        gettext("督查记录已保存"),
    )


@login_required
@require_POST
def item_complete(request: HttpRequest, item_id: str) -> HttpResponse:
    item = selectors.get_item(request.user, item_id)
    try:
        services.item_complete(actor=request.user, item=item, note=request.POST.get("note", ""))
    except DomainError as exc:
        messages.error(request, exc.detail)
        return render(
            request,
            "projects/item_error.html",
            {"item": item, "error": exc.detail},
            status=exc.status,
        )
    messages.success(request, gettext("事项已办结"))
    # Back to the project when the form was there and the user may read it; the owner of an
    # item given across the tree often may not, and works it from the 督办事项 page.
    if (
        request.POST.get("back") != "items"
        and item.project_id
        and selectors.visible_projects(request.user).filter(pk=item.project_id).exists()
    ):
        return redirect("projects:detail", project_id=item.project_id)
    return redirect("projects:items")


@login_required
@require_POST
def evaluation_record(request: HttpRequest, project_id: str) -> HttpResponse:
    return act_on_project(
        request,
        project_id,
        lambda p: services.evaluation_record(
            actor=request.user,
            project=p,
            choice=request.POST.get("choice", ""),
            comment=request.POST.get("comment", ""),
            count=parse_int(request.POST.get("count", "1"), field="份数", low=1, high=500),
        ),
        gettext("现场测评已录入"),
    )


@login_required
@require_POST
def publish(request: HttpRequest, project_id: str) -> HttpResponse:
    return act_on_project(
        request,
        project_id,
        lambda p: services.project_publish(actor=request.user, project=p),
        gettext("已公示"),
    )


def link_form(request: HttpRequest) -> None:
    """Create a 联点 link from the links page form: a leader (picked among the leaders of the
    place) linked to a district, park or street (picked), or to a project (picked)."""
    post = request.POST
    require(request.user, "project.link")
    kind = post.get("kind", "")
    project = None
    if kind == "project":
        project = picked_project(request.user, post.get("project", ""))
        if project is None:
            raise ValidationFailed("请选择联系的项目", code="required")
        unit = project.org_unit
    else:
        unit_id = post.get("org_unit", "").strip()
        if not unit_id:
            raise ValidationFailed("请选择联系单位", code="required")
        unit = get_unit(request.user, unit_id, "project.link")
    leader_id = post.get("leader", "").strip()
    if not leader_id:
        raise ValidationFailed("请选择联点领导", code="required")
    services.link_create(
        actor=request.user,
        leader=selectors.get_leader(leader_id, [unit]),
        kind=kind,
        org_unit=unit,
        project=project,
        since=post.get("since", "") or None,
        note=post.get("note", ""),
    )


def link_picked(request: HttpRequest) -> dict[str, Any]:
    """What the links form's pickers show again after a refusal."""
    post = request.POST
    shown: dict[str, Any] = {"org_unit": None, "project": None, "leader": None}
    for name, lookup in (
        ("org_unit", lambda v: get_unit(request.user, v, "project.link")),
        ("project", lambda v: picked_project(request.user, v)),
    ):
        if post.get(name, "").strip():
            with contextlib.suppress(DomainError):
                shown[name] = lookup(post[name].strip())
    place = shown["project"].org_unit if shown["project"] else shown["org_unit"]
    if place is not None and post.get("leader", "").strip():
        with contextlib.suppress(DomainError):
            shown["leader"] = selectors.get_leader(post["leader"].strip(), [place])
    return shown


@login_required
@require_POST
def link_end(request: HttpRequest, link_id: str) -> HttpResponse:
    link = selectors.get_link(request.user, link_id)
    services.link_end(actor=request.user, link=link)
    messages.success(request, gettext("联点关系已解除"))
    return redirect("projects:links")


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    """录入现场办公会: the place, the meeting and its decisions, each given to a unit that serves
    the place (a district's meeting may give work to 长沙水业集团)."""
    require(request.user, "project.lead")
    error, status = "", 200
    post = request.POST
    place: OrgUnit | None = None
    project: Project | None = None
    if request.method == "POST":
        try:
            unit_id = post.get("org_unit", "").strip()
            if not unit_id:
                raise ValidationFailed("请选择所在单位", code="required")
            place = get_unit(request.user, unit_id, "project.lead")
            project = picked_project(request.user, post.get("project", ""))
            own = services.project_units(project) if project is not None else []
            services.meeting_create(
                actor=request.user,
                org_unit=place,
                held_at=parse_moment(post.get("held_at", ""), field="会议时间"),
                place=post.get("place", ""),
                topic=post.get("topic", ""),
                minutes=post.get("minutes", ""),
                project=project,
                decisions=parse_item_rows(post, place, extra=own),
            )
        except DomainError as exc:
            error, status = exc.detail, exc.status
        else:
            messages.success(request, gettext("现场办公会已录入，议定事项已交办"))
            return redirect("projects:leader")
    own = services.project_units(project) if project is not None else []
    context = {
        "error": error,
        "values": post,
        "place": place,
        "project": project,
        "rows": item_rows_shown(post if request.method == "POST" else None, place, extra=own),
        "pick": picker_urls(),
    }
    return render(request, "projects/meeting_form.html", context, status=status)
