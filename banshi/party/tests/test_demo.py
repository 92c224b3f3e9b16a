"""The 双报到 demo: believable, dated in 2026 through the services, and idempotent."""

from __future__ import annotations

import datetime
from typing import Any

from banshi.accounts.roles import Role
from banshi.accounts.services import role_grant, user_create
from banshi.party import demo, periods
from banshi.party.choices import Status
from banshi.party.models import MemberRegistration, UnitRegistration
from banshi.workorders.demo import GRANTS_SINCE


def test_the_demo_registers_two_units_and_members_with_xindatang(tree: Any) -> None:
    worker = user_create(
        actor=None, mobile=demo.WORKER, name="宋满秀", org_unit=tree.datang, password="x1!Passw0rd"
    )
    role_grant(
        actor=None,
        user=worker,
        role=Role.COMMUNITY_WORKER,
        org_unit=tree.datang,
        valid_from=GRANTS_SINCE,
    )
    summary = demo.seed_party()
    assert summary.startswith("双报到：单位报到1个")  # the test tree has the bureau, not 水业集团
    reg = UnitRegistration.objects.unscoped().get()
    assert reg.party_org.name == "长沙市城市管理和综合执法局机关党委"
    assert reg.status == Status.ACCEPTED and reg.accepted_at.year == 2026  # type: ignore[union-attr]
    assert [e.action for e in reg.events.all()] == ["submit", "accept"]
    members = MemberRegistration.objects.unscoped().filter(community=tree.datang)
    assert members.count() == len(demo.MEMBERS)
    today = datetime.date(2026, 12, 2)
    standings = {m.member.name: periods.standing(m, today) for m in members}
    assert standings["贺志勇"] == periods.OVERDUE and standings["蒋文斌"] == periods.DUE
    assert standings["龙小燕"] == standings["谭建新"] == periods.OK
    assert demo.seed_party().endswith("跳过")
    assert UnitRegistration.objects.unscoped().count() == 1
