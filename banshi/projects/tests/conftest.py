"""A project scene on the shared tree: a 开福区 project run from 秀峰街道 with people on both sides
of the 开福区 / 雨花区 border, and a helper that walks a project to any status through services."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from banshi.accounts.roles import Role
from banshi.core.choices import Satisfaction
from banshi.projects import services
from banshi.projects.choices import ConfirmParty, Status
from banshi.projects.models import Project, ProjectList

# The real day: services check dates against it (no report from the future, notices not due
# in the past). Tests of the lag computation pass their own ``today`` instead.
TODAY = timezone.localdate()

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def png(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def pdf(name: str = "evidence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%test\n", content_type="application/pdf")


def data(**overrides: Any) -> services.ProjectData:
    values: dict[str, Any] = {
        "name": "新大塘社区自来水改造",
        "source": "citizen_order",
        "field": "utilities",
        "target": "解决新大塘社区居民自来水压力不足",
        "target_quantity": "326",
        "target_unit": "户",
        "handling_type": "deadline",
        "start_date": TODAY - datetime.timedelta(days=30),
        "deadline": TODAY + datetime.timedelta(days=30),
        "measures": "更换供水管网，加装加压设备",
        "responsible_person": "梁建华",
        "responsible_title": "秀峰街道办事处副主任",
        "funds_planned": "85",
    }
    values.update(overrides)
    return services.ProjectData(**values)


@dataclass
class Scene:
    tree: Any
    cast: Any
    admin: Any  # 开福区 ORG_ADMIN
    leader: Any  # 开福区 LEADER (the project's 牵头领导)
    handler: Any  # 秀峰街道 HANDLER (the lead unit)
    supervisor: Any  # 开福区 SUPERVISOR
    analyst: Any  # 开福区 ANALYST
    yuhua: dict[Role, Any]  # the same roles in the sibling district
    city_list: ProjectList

    def project(self, status: str = Status.COLLECTED, **overrides: Any) -> Project:
        """A project in 秀峰街道 walked to ``status`` by the services, as the right people."""
        milestones = overrides.pop("milestones", [])
        project = services.project_create(
            actor=None,
            org_unit=self.tree.xiufeng,
            lead_unit=self.tree.xiufeng,
            data=data(milestones=milestones, **overrides),
            lead_leader=self.leader,
        )
        path = [
            Status.SCREENED,
            Status.APPROVED,
            Status.ASSIGNED,
            Status.IN_PROGRESS,
            Status.CLAIMED,
            Status.VERIFIED,
            Status.CLOSED,
        ]
        if status in (Status.COLLECTED,):
            return project
        for step in path:
            project = self.step(project, step)
            if project.status == status:
                return project
        if status == Status.DEFERRED:
            return services.project_transition(
                actor=self.admin,
                project=self.project(Status.IN_PROGRESS),
                action="defer",
                note="资金未到位",
            )
        if status == Status.CANCELLED:
            return services.project_transition(
                actor=self.admin, project=project, action="cancel", note="取消"
            )
        return project

    def step(self, project: Project, status: str) -> Project:
        t = services.project_transition
        if status == Status.SCREENED:
            return t(actor=self.admin, project=project, action="screen")
        if status == Status.APPROVED:
            services.list_place(actor=self.admin, project=project, project_list=self.city_list)
            return t(actor=self.admin, project=project, action="approve")
        if status == Status.ASSIGNED:
            return t(actor=self.admin, project=project, action="assign")
        if status == Status.IN_PROGRESS:
            project = services.project_confirm(
                actor=self.leader, project=project, party=ConfirmParty.LEADER
            )
            return services.project_confirm(
                actor=self.handler, project=project, party=ConfirmParty.UNIT
            )
        if status == Status.CLAIMED:
            self.complete(project)
            project.refresh_from_db()
            return t(actor=self.handler, project=project, action="claim", note="已全部完工")
        if status == Status.VERIFIED:
            self.verify_inspection(project)
            return t(actor=self.supervisor, project=project, action="verify")
        if status == Status.CLOSED:
            self.evaluate(project, satisfied=10)
            return t(actor=self.supervisor, project=project, action="close")
        raise AssertionError(status)

    def complete(self, project: Project) -> None:
        report = services.report_create(
            actor=self.handler,
            project=project,
            report_date=TODAY,
            text="全部完工",
            percent=100,
            funds_spent="80",
            submit=True,
            today=TODAY,
        )
        services.report_review(actor=self.supervisor, report=report, approve=True)
        services.attachment_add(
            actor=self.handler, project=project, kind="evidence", uploaded=pdf()
        )

    def verify_inspection(self, project: Project) -> Any:
        return services.inspection_record(
            actor=self.supervisor,
            project=project,
            inspected_at=timezone.now(),
            place="新大塘社区",
            findings="现场水压正常",
            purpose="verification",
            passed=True,
        )

    def evaluate(
        self, project: Project, *, satisfied: int = 0, basic: int = 0, not_: int = 0
    ) -> None:
        for choice, n in (
            (Satisfaction.SATISFIED, satisfied),
            (Satisfaction.BASIC, basic),
            (Satisfaction.DISSATISFIED, not_),
        ):
            if n:
                services.evaluation_record(
                    actor=self.supervisor, project=project, choice=choice, count=n
                )


@pytest.fixture
def scene(tree: Any, cast: Any, settings: Any, tmp_path: Any) -> Scene:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PROJECTS_MIN_EVALUATIONS = 10
    settings.PROJECTS_MIN_SATISFACTION = "0.90"
    yuhua = {
        role: cast.make(role, tree.yuhua, name=f"雨花{role.label}")
        for role in (Role.ORG_ADMIN, Role.LEADER, Role.HANDLER, Role.SUPERVISOR, Role.ANALYST)
    }
    city_list = services.list_create(
        actor=None, org_unit=tree.kaifu, name="开福区为民办实事清单", level="district", year=2026
    )
    return Scene(
        tree=tree,
        cast=cast,
        admin=cast.make(Role.ORG_ADMIN, tree.kaifu, name="开福管理员"),
        leader=cast.make(Role.LEADER, tree.kaifu, name="谢伟"),
        handler=cast.make(Role.HANDLER, tree.xiufeng, name="梁建华"),
        supervisor=cast.make(Role.SUPERVISOR, tree.kaifu, name="谢桂香"),
        analyst=cast.make(Role.ANALYST, tree.kaifu, name="马小平"),
        yuhua=yuhua,
        city_list=city_list,
    )


def xlsx(rows: list[list[Any]]) -> SimpleUploadedFile:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile(
        "ledger.xlsx",
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
