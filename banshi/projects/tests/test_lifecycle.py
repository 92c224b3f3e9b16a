"""The lifecycle: every step allowed for its roles, refused (403) for a role without it, and not
found (404) for the right role in the sibling district; compare-and-set on concurrent steps."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from banshi.accounts.roles import Role
from banshi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from banshi.projects import services
from banshi.projects.choices import TRANSITIONS, ConfirmParty, Status
from banshi.projects.models import Project, ProjectEvent
from banshi.projects.tests.conftest import Scene

# action -> (the status the project must be in, who may, a role in the scene who may not)
CASES: dict[str, tuple[str, str, str]] = {
    "screen": (Status.COLLECTED, "admin", "handler"),
    "approve": (Status.SCREENED, "admin", "supervisor"),
    "assign": (Status.APPROVED, "leader", "handler"),
    "claim": (Status.IN_PROGRESS, "handler", "supervisor"),
    "verify": (Status.CLAIMED, "supervisor", "handler"),
    "reject": (Status.CLAIMED, "supervisor", "admin"),
    "close": (Status.VERIFIED, "supervisor", "leader"),
    "defer": (Status.IN_PROGRESS, "admin", "supervisor"),
    "resume": (Status.DEFERRED, "leader", "handler"),
    "cancel": (Status.APPROVED, "admin", "analyst"),
    "merge": (Status.SCREENED, "admin", "supervisor"),
}
SIBLING_ROLE = {
    "admin": Role.ORG_ADMIN,
    "leader": Role.LEADER,
    "handler": Role.HANDLER,
    "supervisor": Role.SUPERVISOR,
}


def _prepare(scene: Scene, action: str, status: str) -> tuple[Project, dict[str, Any]]:
    project = scene.project(status)
    kwargs: dict[str, Any] = {"note": "说明理由"}
    if action == "approve":
        services.list_place(actor=None, project=project, project_list=scene.city_list)
    if action == "claim":
        scene.complete(project)
        project.refresh_from_db()
    if action == "verify":
        scene.verify_inspection(project)
    if action == "close":
        scene.evaluate(project, satisfied=10)
    if action == "merge":
        kwargs["merge_into"] = scene.project(Status.SCREENED, name="新大塘社区供水改造（重复）")
    return project, kwargs


def test_every_transition_has_a_case() -> None:
    assert set(CASES) == {name for name, spec in TRANSITIONS.items() if not spec.by_system}


@pytest.mark.parametrize("action", list(CASES))
def test_transition_allowed_for_its_role(scene: Scene, action: str) -> None:
    status, who, _ = CASES[action]
    project, kwargs = _prepare(scene, action, status)
    result = services.project_transition(
        actor=getattr(scene, who), project=project, action=action, **kwargs
    )
    assert result.status == TRANSITIONS[action].target
    event = ProjectEvent.objects.filter(project=project).order_by("-id").first()
    assert (event.action, event.from_status, event.to_status) == (action, status, result.status)
    assert event.actor == getattr(scene, who)


@pytest.mark.parametrize("action", list(CASES))
def test_transition_denied_for_a_role_without_it(scene: Scene, action: str) -> None:
    status, _, other = CASES[action]
    project, kwargs = _prepare(scene, action, status)
    with pytest.raises(PermissionDenied):
        services.project_transition(
            actor=getattr(scene, other), project=project, action=action, **kwargs
        )
    assert Project.objects.get(pk=project.pk).status == status


@pytest.mark.parametrize("action", list(CASES))
def test_transition_is_not_found_for_the_same_role_in_the_sibling_district(
    scene: Scene, action: str
) -> None:
    status, who, _ = CASES[action]
    project, kwargs = _prepare(scene, action, status)
    outsider = scene.yuhua[SIBLING_ROLE[who]]
    with pytest.raises(NotFound):
        services.project_transition(actor=outsider, project=project, action=action, **kwargs)
    assert Project.objects.get(pk=project.pk).status == status


def test_a_step_from_the_wrong_status_is_a_conflict(scene: Scene) -> None:
    project = scene.project(Status.COLLECTED)
    with pytest.raises(Conflict) as info:
        services.project_transition(actor=scene.admin, project=project, action="approve")
    assert "征集" in info.value.detail


def test_approval_needs_a_list_and_assignment_needs_a_leader(scene: Scene) -> None:
    project = scene.project(Status.SCREENED)
    with pytest.raises(ValidationFailed, match="清单"):
        services.project_transition(actor=scene.admin, project=project, action="approve")
    project = scene.project(Status.APPROVED)
    Project.objects.filter(pk=project.pk).update(lead_leader=None)
    project.refresh_from_db()
    with pytest.raises(ValidationFailed, match="牵头领导"):
        services.project_transition(actor=scene.admin, project=project, action="assign")


def test_notes_are_required_where_the_table_says(scene: Scene) -> None:
    project = scene.project(Status.IN_PROGRESS)
    with pytest.raises(ValidationFailed, match="说明不能为空"):
        services.project_transition(actor=scene.admin, project=project, action="defer", note="  ")


def test_both_confirmations_start_the_project(scene: Scene) -> None:
    project = scene.project(Status.ASSIGNED)
    project = services.project_confirm(
        actor=scene.handler, project=project, party=ConfirmParty.UNIT
    )
    assert project.status == Status.ASSIGNED
    with pytest.raises(Conflict):
        services.project_confirm(actor=scene.handler, project=project, party=ConfirmParty.UNIT)
    project = services.project_confirm(
        actor=scene.leader, project=project, party=ConfirmParty.LEADER
    )
    assert project.status == Status.IN_PROGRESS
    assert project.started_on == timezone.localdate()
    actions = list(project.events.values_list("action", flat=True))
    assert actions[-3:] == ["confirm_unit", "confirm_leader", "start"]


def test_only_the_projects_own_leader_confirms_and_others_are_refused(scene: Scene) -> None:
    project = scene.project(Status.ASSIGNED)
    other_leader = scene.cast.make(Role.LEADER, scene.tree.kaifu, name="另一位领导")
    with pytest.raises(PermissionDenied):
        services.project_confirm(actor=other_leader, project=project, party=ConfirmParty.LEADER)
    with pytest.raises(PermissionDenied):
        services.project_confirm(actor=scene.supervisor, project=project, party=ConfirmParty.UNIT)
    with pytest.raises(NotFound):
        services.project_confirm(
            actor=scene.yuhua[Role.HANDLER], project=project, party=ConfirmParty.UNIT
        )


def test_the_start_step_cannot_be_taken_by_hand(scene: Scene) -> None:
    project = scene.project(Status.ASSIGNED)
    with pytest.raises(PermissionDenied):
        services.project_transition(actor=scene.admin, project=project, action="start")


def test_of_two_concurrent_steps_the_loser_gets_a_conflict(scene: Scene) -> None:
    project = scene.project(Status.CLAIMED)
    scene.verify_inspection(project)
    # Two supervisors load the same project, then both act.
    first = Project.objects.get(pk=project.pk)
    second = Project.objects.get(pk=project.pk)
    services.project_transition(actor=scene.supervisor, project=first, action="verify")
    with pytest.raises(Conflict) as info:
        services.project_transition(
            actor=scene.supervisor, project=second, action="reject", note="不合格"
        )
    assert "已被他人改为「已验收」" in info.value.detail
    assert Project.objects.get(pk=project.pk).status == Status.VERIFIED
    assert not ProjectEvent.objects.filter(project=project, action="reject").exists()


def test_claim_needs_full_approved_progress_and_evidence(scene: Scene) -> None:
    project = scene.project(Status.IN_PROGRESS)
    with pytest.raises(ValidationFailed, match="100%"):
        services.project_transition(
            actor=scene.handler, project=project, action="claim", note="完工"
        )
    report = services.report_create(
        actor=scene.handler,
        project=project,
        report_date=timezone.localdate(),
        text="完工",
        percent=100,
        funds_spent=1,
        submit=True,
    )
    services.report_review(actor=scene.supervisor, report=report, approve=True)
    project.refresh_from_db()
    with pytest.raises(ValidationFailed, match="佐证"):
        services.project_transition(
            actor=scene.handler, project=project, action="claim", note="完工"
        )


def test_verification_needs_a_passed_on_site_check_after_the_claim(scene: Scene) -> None:
    project = scene.project(Status.CLAIMED)
    with pytest.raises(ValidationFailed, match="现场验收"):
        services.project_transition(actor=scene.supervisor, project=project, action="verify")


def test_merge_needs_a_visible_live_target(scene: Scene) -> None:
    project = scene.project(Status.SCREENED)
    with pytest.raises(ValidationFailed):
        services.project_transition(actor=scene.admin, project=project, action="merge", note="重复")
    with pytest.raises(ValidationFailed):
        services.project_transition(
            actor=scene.admin, project=project, action="merge", note="重复", merge_into=project
        )


def test_publish_only_after_closing_and_only_once(scene: Scene) -> None:
    project = scene.project(Status.VERIFIED)
    with pytest.raises(Conflict):
        services.project_publish(actor=scene.supervisor, project=project)
    project = scene.project(Status.CLOSED)
    with pytest.raises(PermissionDenied):
        services.project_publish(actor=scene.handler, project=project)
    with pytest.raises(NotFound):
        services.project_publish(actor=scene.yuhua[Role.SUPERVISOR], project=project)
    services.project_publish(actor=scene.supervisor, project=project)
    with pytest.raises(Conflict):
        services.project_publish(actor=scene.supervisor, project=project)


def test_every_transition_leaves_a_change_record(scene: Scene) -> None:
    from banshi.audit.models import ChangeRecord

    project = scene.project(Status.SCREENED)
    assert ChangeRecord.objects.filter(object_id=str(project.pk), action="project.screen").exists()
