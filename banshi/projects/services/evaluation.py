"""Residents' evaluations recorded from an on-site paper survey by a supervisor, and the periods
in which a project takes evaluations. Online answers go through ``services.survey``."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from banshi.audit.services import record_change
from banshi.core.choices import Satisfaction, satisfaction_value
from banshi.core.errors import NotFound, ValidationFailed
from banshi.core.validation import clean_text
from banshi.projects.choices import EvaluationChannel, Status
from banshi.projects.inputs import parse_choice
from banshi.projects.models import Evaluation, Project
from banshi.projects.permissions import require_project

# Residents answer while the 销号 application is open (claimed, verified).
OPEN_FOR_EVALUATION = frozenset({Status.CLAIMED, Status.VERIFIED})
# A linked request's citizen may rate the project then and after 销号, when they are told of it.
LINKED_OPEN = OPEN_FOR_EVALUATION | {Status.CLOSED}


def survey_project(token: Any) -> Project:
    text = str(token or "")
    if not text or len(text) > 32:
        raise NotFound("测评链接无效")
    # Unscoped: a citizen answering a survey has no account; the secret token is the key.
    project = Project.objects.unscoped().filter(survey_token=text).first()
    if project is None:
        raise NotFound("测评链接无效")
    return project


@transaction.atomic
def evaluation_record(
    *, actor: Any, project: Project, choice: Any, comment: Any = "", count: int = 1
) -> list[Evaluation]:
    """Enter ``count`` identical answers from an on-site paper survey (现场测评)."""
    require_project(actor, "project.supervise", project)
    if project.status not in OPEN_FOR_EVALUATION:
        raise ValidationFailed("该项目当前不在群众评价期内", code="not_open")
    choice = parse_choice(satisfaction_value(choice), Satisfaction, field="评价")
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
