"""A running activity in 新大塘社区 with its organiser, reviewer and an approved volunteer."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from banshi.accounts.models import User
from banshi.accounts.roles import Role
from banshi.volunteers import services
from banshi.volunteers.models import Activity, SignUp, Volunteer

# 开福区 新大塘社区 邻里中心 (WGS84)
LAT, LON = "28.210500", "112.986200"
NEAR = ("28.211000", "112.986500")  # about 60 m away
FAR = ("28.230000", "112.986200")  # about 2.2 km away


@dataclass
class Scene:
    organiser: User
    reviewer: User
    person: User
    volunteer: Volunteer
    activity: Activity
    signup: SignUp
    other_admin: User


def local(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(y, m, d, hh, mm))


def make_activity(organiser: User, unit: Any, *, title: str = "助老理发", **extra: Any) -> Activity:
    # Under way now (the services take the real clock for what is "past"), eight hours long.
    start = timezone.now() - datetime.timedelta(hours=4)
    fields: dict[str, Any] = {
        "title": title,
        "content": "为辖区独居老人免费理发",
        "posts": [{"name": "理发", "quota": 2}, {"name": "引导", "quota": 1}],
        "starts_at": start,
        "ends_at": start + datetime.timedelta(hours=8),
        "place": "新大塘社区邻里中心",
        "lat": LAT,
        "lon": LON,
        "radius_m": 200,
    }
    fields.update(extra)
    return services.activity_create(actor=organiser, org_unit=unit, **fields)


def run(activity: Activity, organiser: User, reviewer: User, *until: str) -> Activity:
    for action, actor in (("submit", organiser), ("approve", reviewer), ("start", organiser)):
        activity = services.activity_transition(actor=actor, activity=activity, action=action)
        if action in until:
            break
    return activity


@pytest.fixture
def scene(tree: Any, cast: Any) -> Scene:
    organiser = cast.make(Role.COMMUNITY_WORKER, tree.datang, name="宋满秀")
    reviewer = cast.make(Role.ORG_ADMIN, tree.xiufeng, name="罗湘君")
    person = cast.make(None, tree.datang, name="王小明")
    other_admin = cast.make(Role.ORG_ADMIN, tree.yuhua, name="邓素月")
    volunteer = services.volunteer_register(actor=person, user=person, org_unit=tree.datang)
    activity = run(make_activity(organiser, tree.datang), organiser, reviewer, "approve")
    signup = services.signup_create(actor=person, activity=activity, post="理发")
    services.signup_decide(actor=organiser, signup=signup, approve=True)
    activity = services.activity_transition(actor=organiser, activity=activity, action="start")
    signup.refresh_from_db()
    return Scene(organiser, reviewer, person, volunteer, activity, signup, other_admin)
