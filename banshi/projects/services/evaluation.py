"""Residents' evaluations: online through a project's survey link, or recorded from an on-site
paper survey by a supervisor. Accepted while the 销号 application is open."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from banshi.audit.services import record_change, snapshot
from banshi.core.errors import Conflict, NotFound, ValidationFailed
from banshi.core.validation import clean_text
from banshi.projects.choices import EvaluationChannel, Satisfaction, Status
from banshi.projects.inputs import parse_choice
from banshi.projects.models import Evaluation, Project
from banshi.projects.permissions import require_project

OPEN_FOR_EVALUATION = frozenset({Status.CLAIMED, Status.VERIFIED})


def respondent_key(browser_token: str, project: Project) -> str:
    """A keyed hash of the respondent's browser token: enough to refuse a second vote, and no
    personal data."""
    message = f"{project.pk}:{browser_token}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def survey_project(token: Any) -> Project:
    text = str(token or "")
    if not text or len(text) > 32:
        raise NotFound("测评链接无效")
    project = Project.objects.unscoped().filter(survey_token=text).first()
    if project is None:
        raise NotFound("测评链接无效")
    return project


@transaction.atomic
def evaluation_submit(
    *, project: Project, choice: Any, comment: Any, browser_token: str
) -> Evaluation:
    """A resident's own evaluation through the survey page (no login)."""
    if project.status not in OPEN_FOR_EVALUATION:
        raise ValidationFailed("该项目当前不在群众评价期内", code="not_open")
    choice = parse_choice(choice, Satisfaction, field="评价")
    comment = clean_text(comment, field="意见", max_length=500, required=False)
    if not browser_token or len(browser_token) > 64:
        raise ValidationFailed("请允许浏览器保存 Cookie 后再评价", code="no_token")
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                project=project,
                choice=choice,
                comment=comment,
                channel=EvaluationChannel.ONLINE,
                respondent_key=respondent_key(browser_token, project),
            )
    except IntegrityError as exc:
        raise Conflict("您已经评价过该项目，感谢参与", code="already_evaluated") from exc
    record_change(
        actor=None,
        action="project.evaluate",
        obj=evaluation,
        before=None,
        after=snapshot(evaluation),
    )
    return evaluation


@transaction.atomic
def evaluation_record(
    *, actor: Any, project: Project, choice: Any, comment: Any = "", count: int = 1
) -> list[Evaluation]:
    """Enter ``count`` identical answers from an on-site paper survey (现场测评)."""
    require_project(actor, "project.supervise", project)
    if project.status not in OPEN_FOR_EVALUATION:
        raise ValidationFailed("该项目当前不在群众评价期内", code="not_open")
    choice = parse_choice(choice, Satisfaction, field="评价")
    comment = clean_text(comment, field="意见", max_length=500, required=False)
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= 500:
        raise ValidationFailed("份数应为1到500之间的整数", code="out_of_range")
    rows = [
        Evaluation.objects.create(
            project=project,
            choice=choice,
            comment=comment,
            channel=EvaluationChannel.OFFLINE,
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        for _ in range(count)
    ]
    record_change(
        actor=actor,
        action="project.evaluate_offline",
        obj=project,
        before=None,
        after={"choice": choice, "count": count, "comment": comment},
    )
    return rows
