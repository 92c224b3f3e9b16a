"""Progress reports (only approved ones count), deadline changes, 督办/催办, inspections with
rectifications, 联点 and 现场办公 — each allowed, refused and out of sight."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from banshi.accounts.roles import Role
from banshi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from banshi.notify.models import Message
from banshi.projects import services
from banshi.projects.choices import DeadlineChangeStatus, ItemStatus, ReportStatus, Status
from banshi.projects.models import Attachment, ProgressReport, Project
from banshi.projects.tests.conftest import Scene, png
from banshi.projects.uploads import FileTooLarge, UnsupportedFile

TODAY = timezone.localdate()


def _report(scene: Scene, project: Project, percent: int = 40, **kw: Any) -> ProgressReport:
    return services.report_create(
        actor=kw.pop("actor", scene.handler),
        project=project,
        report_date=kw.pop("report_date", TODAY),
        text=kw.pop("text", "完成管网铺设一半"),
        percent=percent,
        funds_spent=kw.pop("funds_spent", "30"),
        **kw,
    )


def test_only_approved_progress_moves_the_project(scene: Scene) -> None:
    project = scene.project(
        Status.IN_PROGRESS, milestones=[services.MilestoneIn("管网铺设", TODAY, 100)]
    )
    milestone = project.milestones.get()
    draft = _report(scene, project, 60, milestone_ids=[str(milestone.pk)])
    project.refresh_from_db()
    assert project.progress_percent == 0
    services.report_submit(actor=scene.handler, report=draft)
    project.refresh_from_db()
    assert project.progress_percent == 0 and project.last_approved_report_on is None
    services.report_review(actor=scene.supervisor, report=draft, approve=True)
    project.refresh_from_db()
    milestone.refresh_from_db()
    assert (project.progress_percent, project.last_approved_report_on) == (60, TODAY)
    assert project.funds_spent == 30
    assert milestone.completed_on == TODAY


def test_a_returned_report_needs_a_reason_and_changes_nothing(scene: Scene) -> None:
    project = scene.project(Status.IN_PROGRESS)
    report = _report(scene, project, 50, submit=True)
    with pytest.raises(ValidationFailed, match="审核意见"):
        services.report_review(actor=scene.supervisor, report=report, approve=False)
    services.report_review(actor=scene.supervisor, report=report, approve=False, note="照片不清楚")
    project.refresh_from_db()
    assert project.progress_percent == 0
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.RETURNED
    assert Message.objects.filter(
        recipient=scene.handler, template="projects.report_returned"
    ).exists()
    with pytest.raises(Conflict):
        services.report_review(actor=scene.supervisor, report=report, approve=True)


def test_report_permissions(scene: Scene) -> None:
    project = scene.project(Status.IN_PROGRESS)
    with pytest.raises(PermissionDenied):
        _report(scene, project, actor=scene.supervisor)
    with pytest.raises(NotFound):
        _report(scene, project, actor=scene.yuhua[Role.HANDLER])
    report = _report(scene, project, submit=True)
    with pytest.raises(PermissionDenied):
        services.report_review(actor=scene.handler, report=report, approve=True)
    with pytest.raises(NotFound):
        services.report_review(actor=scene.yuhua[Role.SUPERVISOR], report=report, approve=True)


def test_a_functional_lead_unit_reports_on_a_project_outside_its_subtree(scene: Scene) -> None:
    bureau_handler = scene.cast.make(Role.HANDLER, scene.tree.city_bureau, name="城管联络员")
    project = scene.project(Status.IN_PROGRESS)
    with pytest.raises(NotFound):
        _report(scene, project, actor=bureau_handler)
    Project.objects.filter(pk=project.pk).update(lead_unit=scene.tree.city_bureau)
    project.refresh_from_db()
    assert _report(scene, project, actor=bureau_handler).pk


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"percent": -1}, "0到100"),
        ({"percent": 101}, "0到100"),
        ({"percent": "五十"}, "整数"),
        ({"funds_spent": "-5"}, "负数"),
        ({"report_date": TODAY + datetime.timedelta(days=1)}, "晚于今天"),
        ({"text": "进展\x00"}, "NUL"),
        ({"text": "长" * 5001}, "5000"),
    ],
)
def test_bad_report_input_is_refused_in_chinese(
    scene: Scene, kwargs: dict[str, Any], message: str
) -> None:
    project = scene.project(Status.IN_PROGRESS)
    with pytest.raises(ValidationFailed, match=message):
        _report(scene, project, **{"percent": 10, **kwargs})
    assert not ProgressReport.objects.exists()


def test_progress_cannot_go_backwards_and_photos_are_checked(scene: Scene) -> None:
    project = scene.project(Status.IN_PROGRESS)
    services.report_review(
        actor=scene.supervisor, report=_report(scene, project, 50, submit=True), approve=True
    )
    project.refresh_from_db()
    with pytest.raises(ValidationFailed, match="不能低于"):
        _report(scene, project, 40)
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("x.png", b"GIF89a....", content_type="image/png")
    with pytest.raises(UnsupportedFile):
        _report(scene, project, 60, photos=[png(), fake])
    assert not Attachment.objects.exists()
    report = _report(scene, project, 60, photos=[png()])
    assert report.attachments.count() == 1


def test_oversized_evidence_is_refused_with_413(scene: Scene, settings: Any) -> None:
    settings.PROJECTS_MAX_UPLOAD_BYTES = 100
    project = scene.project(Status.IN_PROGRESS)
    from django.core.files.uploadedfile import SimpleUploadedFile

    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * 200, content_type="application/pdf")
    with pytest.raises(FileTooLarge) as info:
        services.attachment_add(actor=scene.handler, project=project, kind="evidence", uploaded=big)
    assert info.value.status == 413 and "超过" in info.value.detail
    assert not Attachment.objects.exists()


def test_deadline_changes_are_approved_recorded_and_counted(scene: Scene) -> None:
    project = scene.project(Status.IN_PROGRESS)
    new = project.deadline + datetime.timedelta(days=20)
    with pytest.raises(ValidationFailed, match="理由"):
        services.deadline_change_request(
            actor=scene.handler, project=project, new_deadline=new, reason=""
        )
    with pytest.raises(ValidationFailed, match="早于开始"):
        services.deadline_change_request(
            actor=scene.handler,
            project=project,
            new_deadline=project.start_date - datetime.timedelta(days=1),
            reason="x",
        )
    change = services.deadline_change_request(
        actor=scene.handler, project=project, new_deadline=new, reason="雨季停工"
    )
    with pytest.raises(PermissionDenied):
        services.deadline_change_decide(actor=scene.handler, change=change, approve=True)
    with pytest.raises(NotFound):
        services.deadline_change_decide(actor=scene.yuhua[Role.LEADER], change=change, approve=True)
    services.deadline_change_decide(actor=scene.leader, change=change, approve=True)
    project.refresh_from_db()
    assert (project.deadline, project.deadline_change_count) == (new, 1)
    change.refresh_from_db()
    assert change.status == DeadlineChangeStatus.APPROVED
    with pytest.raises(Conflict):
        services.deadline_change_decide(actor=scene.leader, change=change, approve=False, note="x")


def test_dates_of_an_approved_project_only_move_through_a_deadline_change(scene: Scene) -> None:
    from banshi.projects.tests.conftest import data

    project = scene.project(Status.APPROVED)
    with pytest.raises(ValidationFailed, match="时限调整"):
        services.project_update(
            actor=scene.admin,
            project=project,
            data=data(deadline=project.deadline + datetime.timedelta(days=3)),
            lead_unit=project.lead_unit,
            lead_leader=scene.leader,
        )


def test_notices_reach_the_unit_copy_the_leader_and_are_counted(scene: Scene) -> None:
    project = scene.project(Status.IN_PROGRESS)
    with pytest.raises(PermissionDenied):
        services.notice_issue(
            actor=scene.handler, project=project, kind="supervise", content="加快", due_date=TODAY
        )
    with pytest.raises(NotFound):
        services.notice_issue(
            actor=scene.yuhua[Role.SUPERVISOR],
            project=project,
            kind="supervise",
            content="加快",
            due_date=TODAY,
        )
    with pytest.raises(ValidationFailed, match="早于今天"):
        services.notice_issue(
            actor=scene.supervisor,
            project=project,
            kind="urge",
            content="加快",
            due_date=TODAY - datetime.timedelta(days=1),
        )
    notice = services.notice_issue(
        actor=scene.supervisor,
        project=project,
        kind="supervise",
        content="进度滞后，限期整改",
        due_date=TODAY,
    )
    project.refresh_from_db()
    assert project.supervise_count == 1 and notice.cc_leader == scene.leader
    assert Message.objects.filter(
        recipient=scene.handler, template="projects.notice", channel="sms"
    ).exists()
    assert Message.objects.filter(recipient=scene.leader, template="projects.notice_cc").exists()
    with pytest.raises(PermissionDenied):
        services.notice_respond(actor=scene.supervisor, notice=notice, response="好")
    services.notice_respond(actor=scene.handler, notice=notice, response="已增派施工队")
    with pytest.raises(Conflict):
        services.notice_respond(actor=scene.handler, notice=notice, response="再答复")


def test_inspections_raise_rectifications_the_owner_unit_completes(scene: Scene) -> None:
    project = scene.project(Status.IN_PROGRESS)
    inspection = services.inspection_record(
        actor=scene.leader,
        project=project,
        inspected_at=timezone.now(),
        place="新大塘社区3栋",
        findings="管道接口渗漏",
        purpose="routine",
        passed=False,
        rectifications=[services.ItemIn("修复渗漏接口", scene.tree.xiufeng, TODAY, "梁建华")],
        photos=[png()],
    )
    item = inspection.items.get()
    assert inspection.attachments.count() == 1
    with pytest.raises(PermissionDenied, match="督查员"):
        services.inspection_record(
            actor=scene.leader,
            project=project,
            inspected_at=timezone.now(),
            place="x",
            findings="x",
            purpose="verification",
            passed=True,
        )
    with pytest.raises(NotFound):
        services.item_complete(actor=scene.yuhua[Role.HANDLER], item=item, note="好")
    with pytest.raises(PermissionDenied):
        services.item_complete(actor=scene.analyst, item=item, note="好")
    services.item_complete(actor=scene.handler, item=item, note="已更换接口")
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE


def test_links_and_meetings(scene: Scene) -> None:
    link = services.link_create(
        actor=scene.admin, leader=scene.leader, kind="street", org_unit=scene.tree.xiufeng
    )
    with pytest.raises(ValidationFailed, match="不是"):
        services.link_create(
            actor=scene.admin, leader=scene.leader, kind="district", org_unit=scene.tree.xiufeng
        )
    with pytest.raises(ValidationFailed, match="领导角色"):
        services.link_create(
            actor=scene.admin, leader=scene.handler, kind="street", org_unit=scene.tree.xinhe
        )
    with pytest.raises(PermissionDenied):
        services.link_create(
            actor=scene.supervisor, leader=scene.leader, kind="street", org_unit=scene.tree.xinhe
        )
    with pytest.raises(NotFound):
        services.link_create(
            actor=scene.yuhua[Role.ORG_ADMIN],
            leader=scene.leader,
            kind="street",
            org_unit=scene.tree.xinhe,
        )
    services.link_end(actor=scene.admin, link=link)
    with pytest.raises(Conflict):
        services.link_end(actor=scene.admin, link=link)

    meeting = services.meeting_create(
        actor=scene.leader,
        org_unit=scene.tree.xiufeng,
        held_at=timezone.now() - datetime.timedelta(hours=2),
        place="秀峰街道会议室",
        topic="供水改造现场办公会",
        decisions=[
            services.ItemIn(
                "三日内完成入户管道",
                scene.tree.xiufeng,
                TODAY + datetime.timedelta(days=3),
                "梁建华",
            )
        ],
    )
    assert meeting.items.count() == 1
    assert Message.objects.filter(recipient=scene.handler, template="projects.item").exists()
    with pytest.raises(PermissionDenied):
        services.meeting_create(
            actor=scene.supervisor,
            org_unit=scene.tree.xiufeng,
            held_at=timezone.now(),
            place="x",
            topic="x",
            decisions=[services.ItemIn("x", scene.tree.xiufeng, TODAY, "")],
        )
    with pytest.raises(NotFound):
        services.meeting_create(
            actor=scene.yuhua[Role.LEADER],
            org_unit=scene.tree.xiufeng,
            held_at=timezone.now(),
            place="x",
            topic="x",
            decisions=[services.ItemIn("x", scene.tree.xiufeng, TODAY, "")],
        )
    with pytest.raises(ValidationFailed, match="议定事项"):
        services.meeting_create(
            actor=scene.leader,
            org_unit=scene.tree.xiufeng,
            held_at=timezone.now(),
            place="x",
            topic="x",
            decisions=[],
        )


def test_creating_a_project_checks_dates_quantities_and_milestones(scene: Scene) -> None:
    from banshi.projects.tests.conftest import data

    def create(**kw: Any) -> Project:
        return services.project_create(
            actor=scene.admin,
            org_unit=scene.tree.xiufeng,
            lead_unit=scene.tree.xiufeng,
            data=data(**kw),
        )

    with pytest.raises(ValidationFailed, match="完成时限不能早于开始时间"):
        create(start_date="2026-05-01", deadline="2026-04-30")
    with pytest.raises(ValidationFailed, match="负数"):
        create(target_quantity="-3")
    with pytest.raises(ValidationFailed, match="不在项目开始时间"):
        create(
            start_date="2026-03-01",
            deadline="2026-04-30",
            milestones=[services.MilestoneIn("验收", "2026-05-02", 100)],
        )
    with pytest.raises(ValidationFailed, match="NUL"):
        create(name="供水\x00改造")
    with pytest.raises(ValidationFailed, match="200"):
        create(name="长" * 201)
    with pytest.raises(ValidationFailed, match="办理类型"):
        create(handling_type="马上办")
    with pytest.raises(NotFound):
        services.project_create(
            actor=scene.yuhua[Role.ORG_ADMIN],
            org_unit=scene.tree.xiufeng,
            lead_unit=scene.tree.xiufeng,
            data=data(),
        )
    with pytest.raises(PermissionDenied):
        services.project_create(
            actor=scene.handler,
            org_unit=scene.tree.xiufeng,
            lead_unit=scene.tree.xiufeng,
            data=data(),
        )
    with pytest.raises(ValidationFailed, match="牵头领导"):
        services.project_create(
            actor=scene.admin,
            org_unit=scene.tree.xiufeng,
            lead_unit=scene.tree.xiufeng,
            data=data(),
            lead_leader=scene.yuhua[Role.LEADER],
        )
    assert not Project.objects.exists()
    project = create(milestones=[services.MilestoneIn("验收", TODAY, 100)])
    assert (
        project.number.startswith(f"SS{project.start_date.year}-")
        and project.milestones.count() == 1
    )
