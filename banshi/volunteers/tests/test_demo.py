"""The demo data: believable, dated in 2026 through the services, and idempotent."""

from __future__ import annotations

from typing import Any

from banshi.accounts.roles import Role
from banshi.accounts.services import role_grant, user_create
from banshi.audit.models import ChangeRecord
from banshi.volunteers import demo
from banshi.volunteers.choices import HoursStatus, Status
from banshi.volunteers.models import Activity, Centre, Certificate, SignUp, Volunteer
from banshi.workorders.demo import GRANTS_SINCE


def test_the_demo_fills_xindatang_with_a_year_of_service(tree: Any) -> None:
    for mobile, name, role, unit in (
        (demo.ORGANISER, "宋满秀", Role.COMMUNITY_WORKER, tree.datang),
        (demo.GRID_ORGANISER, "郑长青", Role.GRID_MEMBER, tree.datang),
        (demo.REVIEWER, "罗湘君", Role.ORG_ADMIN, tree.xiufeng),
    ):
        user = user_create(
            actor=None, mobile=mobile, name=name, org_unit=unit, password="x1!Passw0rd"
        )
        role_grant(actor=None, user=user, role=role, org_unit=unit, valid_from=GRANTS_SINCE)
    summary = demo.seed_volunteers()
    assert summary.startswith("志愿服务：邻里中心1个")
    assert Centre.objects.unscoped().get().name == "新大塘社区邻里中心"
    statuses = set(Activity.objects.unscoped().values_list("status", flat=True))
    assert {
        Status.ARCHIVED,
        Status.CONFIRMED,
        Status.ENDED,
        Status.RECRUITING,
        Status.DRAFT,
    } <= statuses
    assert Activity.objects.unscoped().filter(org_unit=tree.branch).exists()  # a branch's activity
    confirmed = SignUp.objects.unscoped().filter(hours_status=HoursStatus.CONFIRMED)
    assert confirmed.count() > 15
    assert all(s.checked_in_at.year == 2026 for s in confirmed)  # type: ignore[union-attr]
    assert ChangeRecord.objects.filter(action="signup.correct_hours").count() == 1
    assert SignUp.objects.unscoped().filter(hours_status=HoursStatus.PENDING).exists()
    assert Volunteer.objects.unscoped().filter(total_minutes__gt=0).count() >= 10
    certificate = Certificate.objects.unscoped().get()
    assert certificate.issued_at.year == 2026 and certificate.minutes > 0
    # Histories carry their dates, not the moment of loading.
    first = ChangeRecord.objects.filter(action="centre.create").get()
    assert first.created_at.date().isoformat() == "2026-02-20"
    assert demo.seed_volunteers() == "志愿服务：演示数据已存在"
    assert Activity.objects.unscoped().count() == len(demo.PLANS)
