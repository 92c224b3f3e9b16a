"""Per-node figures come from stored per-unit rows that the services keep equal to a recount."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from banshi.volunteers import selectors, services
from banshi.volunteers.choices import HoursStatus, Status
from banshi.volunteers.models import Activity, SignUp, UnitFigures
from banshi.volunteers.tests.conftest import NEAR, Scene, make_activity, run


def _raw(path: str) -> tuple[int, int, int]:
    held = Activity.objects.filter(org_unit__path__startswith=path).exclude(status=Status.CANCELLED)
    minutes = SignUp.objects.filter(
        activity__org_unit__path__startswith=path, hours_status=HoursStatus.CONFIRMED
    ).aggregate(m=Sum("credited_minutes"))["m"]
    return held.count(), held.aggregate(b=Sum("beneficiaries"))["b"] or 0, minutes or 0


def _stored(user: Any, unit: Any) -> tuple[int, int, int]:
    f = selectors.figures(user, unit)
    return f.activities, f.beneficiaries, f.minutes


def test_node_figures_match_a_recount_through_end_confirm_dispute_and_cancel(
    scene: Scene, tree: Any
) -> None:
    branch_activity = run(
        make_activity(scene.organiser, tree.branch, title="垃圾分类宣传"), scene.organiser,
        scene.reviewer, "approve",
    )  # fmt: skip
    now = timezone.now()
    for purpose, at in (("in", now - datetime.timedelta(hours=2)), ("out", now)):
        token = services.qr_token(
            actor=scene.organiser, activity=scene.activity, purpose=purpose, now=at
        )
        services.scan(actor=scene.person, token=token, lat=NEAR[0], lon=NEAR[1], now=at)
    services.activity_transition(
        actor=scene.organiser, activity=scene.activity, action="end", data={"beneficiaries": 40}
    )
    signup = services.hours_confirm(actor=scene.organiser, signup=scene.signup)
    assert _stored(scene.organiser, tree.datang) == _raw(tree.datang.path)
    assert _stored(scene.reviewer, tree.kaifu) == _raw(tree.kaifu.path)
    assert _stored(scene.reviewer, tree.xiufeng) == _raw(tree.xiufeng.path) == (2, 40, 120)
    services.hours_dispute(actor=scene.person, signup=signup, reason="少算了半小时")
    assert _stored(scene.reviewer, tree.xiufeng) == _raw(tree.xiufeng.path) == (2, 40, 0)
    services.activity_transition(
        actor=scene.organiser, activity=branch_activity, action="cancel", data={"note": "暴雨"}
    )
    assert _stored(scene.reviewer, tree.xiufeng) == _raw(tree.xiufeng.path) == (1, 40, 0)
    assert _stored(scene.reviewer, tree.branch) == (0, 0, 0)
    # Out of sight: another district's admin sees none of it.
    assert _stored(scene.other_admin, None) == (0, 0, 0)
    assert UnitFigures.objects.count() == 2  # the community's own row and the branch's
