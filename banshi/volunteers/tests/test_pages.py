"""The pages people use: a resident registers and signs up on a phone, the organiser drafts an
activity with the search picker, approves sign-ups, and confirms hours."""

from __future__ import annotations

import datetime
from typing import Any

from django.test import Client
from django.utils import timezone

from banshi.volunteers import services
from banshi.volunteers.choices import SignUpStatus, Status
from banshi.volunteers.models import Activity, Centre, SignUp, Volunteer
from banshi.volunteers.tests.conftest import LAT, LON, NEAR, Scene


def test_a_resident_registers_and_signs_up(
    scene: Scene, cast: Any, tree: Any, client: Client
) -> None:
    resident = cast.make(None, tree.datang, name="孙丽")
    client.force_login(resident)
    page = client.get("/volunteers/")
    assert page.status_code == 200 and "注册志愿者" in page.content.decode()
    picks = client.get("/volunteers/pick/communities/", {"q": "新大塘", "target": "org_unit"})
    assert f'data-pick-id="{tree.datang.pk}"' in picks.content.decode()
    client.post("/volunteers/register/", {"org_unit": tree.datang.pk})
    volunteer = Volunteer.objects.unscoped().get(user=resident)
    assert volunteer.number.startswith("CS")
    assert volunteer.number in client.get("/volunteers/").content.decode()
    listing = client.get("/volunteers/activities/").content.decode()
    assert scene.activity.title in listing
    client.post(f"/volunteers/activities/{scene.activity.pk}/signup/", {"post": "理发"})
    signup = SignUp.objects.unscoped().get(volunteer=volunteer)
    assert signup.status == SignUpStatus.PENDING
    assert "待审核" in client.get("/volunteers/").content.decode()


def test_the_organiser_drafts_an_activity_through_the_form(
    scene: Scene, tree: Any, client: Client
) -> None:
    client.force_login(scene.organiser)
    assert client.get("/volunteers/manage/new/").status_code == 200
    picks = client.get("/volunteers/pick/organisers/", {"q": "党支部", "target": "org_unit"})
    assert f'data-pick-id="{tree.branch.pk}"' in picks.content.decode()
    start = timezone.localtime() + datetime.timedelta(days=3)
    form = {
        "org_unit": tree.branch.pk,
        "title": "楼道清洁",
        "posts": "清扫:4\n搬运杂物：2",
        "starts_at": start.strftime("%Y-%m-%dT09:00"),
        "ends_at": start.strftime("%Y-%m-%dT11:00"),
        "place": "新大塘小区3栋",
        "lat": LAT,
        "lon": LON,
        "radius_m": "200",
    }
    bad = client.post("/volunteers/manage/new/", form | {"posts": "清扫"})
    assert bad.status_code == 400 and "岗位名:名额" in bad.content.decode()
    response = client.post("/volunteers/manage/new/", form)
    activity = Activity.objects.unscoped().get(title="楼道清洁")
    assert response.status_code == 302 and activity.org_unit == tree.branch
    assert activity.posts == [{"name": "清扫", "quota": 4}, {"name": "搬运杂物", "quota": 2}]
    page = client.get(f"/volunteers/manage/{activity.pk}/").content.decode()
    assert 'data-step="submit"' in page and 'data-step="approve"' not in page
    client.post(
        f"/volunteers/manage/{activity.pk}/step/", {"action": "submit", "version": activity.version}
    )
    assert Activity.objects.unscoped().get(pk=activity.pk).status == Status.REVIEW


def test_the_organiser_approves_sign_ups_and_confirms_hours(
    scene: Scene, cast: Any, tree: Any, client: Client
) -> None:
    other = cast.make(None, tree.datang, name="钱多多")
    services.volunteer_register(actor=other, user=other, org_unit=tree.datang)
    pending = services.signup_create(actor=other, activity=scene.activity, post="引导")
    client.force_login(scene.organiser)
    listing = client.get("/volunteers/manage/", {"status": "running"}).content.decode()
    assert scene.activity.title in listing and "1待审" in listing
    client.post(f"/volunteers/manage/signups/{pending.pk}/decide/", {"decision": "approve"})
    assert SignUp.objects.unscoped().get(pk=pending.pk).status == SignUpStatus.APPROVED
    now = timezone.now()
    for purpose, at in (("in", now - datetime.timedelta(hours=2)), ("out", now)):
        token = services.qr_token(
            actor=scene.organiser, activity=scene.activity, purpose=purpose, now=at
        )
        services.scan(actor=scene.person, token=token, lat=NEAR[0], lon=NEAR[1], now=at)
    client.post(
        f"/volunteers/manage/{scene.activity.pk}/step/", {"action": "end", "beneficiaries": "30"}
    )
    page = client.get(f"/volunteers/manage/{scene.activity.pk}/").content.decode()
    assert 'data-testid="confirm-hours"' in page
    client.post(f"/volunteers/manage/signups/{scene.signup.pk}/confirm/")
    assert SignUp.objects.unscoped().get(pk=scene.signup.pk).credited_minutes == 120
    assert client.get("/volunteers/manage/").status_code == 200


def test_centres_are_opened_under_a_community(scene: Scene, tree: Any, client: Client) -> None:
    client.force_login(scene.organiser)
    response = client.post(
        "/volunteers/manage/centres/",
        {"org_unit": tree.datang.pk, "name": "新大塘社区邻里中心", "address": "金霞路88号",
         "opening_hours": "8:30–20:30", "services": "义诊\n助老理发", "rooms": "多功能活动室"},
    )  # fmt: skip
    assert response.status_code == 302
    centre = Centre.objects.unscoped().get()
    assert centre.services == ["义诊", "助老理发"]
    page = client.get("/volunteers/manage/centres/").content.decode()
    assert "新大塘社区邻里中心" in page and "助老理发" in page
    wrong = client.post(
        "/volunteers/manage/centres/", {"org_unit": tree.branch.pk, "name": "x", "address": "y"}
    )
    assert wrong.status_code == 400 and "社区" in wrong.content.decode()
