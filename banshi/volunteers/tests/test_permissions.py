"""Every staff action: allowed for the role that holds it, refused (403) for a role in the same
subtree without it, and 404 from another district — through the API, as the pages call the
same selectors and services."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from banshi.accounts.roles import Role
from banshi.volunteers import services
from banshi.volunteers.tests.conftest import LAT, LON, NEAR, Scene


def _call(client: Client, method: str, url: str, body: Any = None) -> int:
    if method == "get":
        return client.get(url).status_code
    return client.post(url, body or {}, content_type="application/json").status_code


def _checked_out(scene: Scene) -> None:
    now = timezone.now()
    for purpose, at in (("in", now - datetime.timedelta(hours=1)), ("out", now)):
        token = services.qr_token(
            actor=scene.organiser, activity=scene.activity, purpose=purpose, now=at
        )
        services.scan(actor=scene.person, token=token, lat=NEAR[0], lon=NEAR[1], now=at)
    scene.activity = services.activity_transition(
        actor=scene.organiser, activity=scene.activity, action="end"
    )


def _new_activity_body(tree: Any) -> dict[str, Any]:
    start = timezone.now() + datetime.timedelta(days=2)
    return {
        "org_unit_id": tree.datang.pk,
        "title": "垃圾分类宣传",
        "posts": [{"name": "入户宣传", "quota": 4}],
        "starts_at": start.isoformat(),
        "ends_at": (start + datetime.timedelta(hours=2)).isoformat(),
        "place": "新大塘社区广场",
        "lat": float(LAT),
        "lon": float(LON),
        "radius_m": 300,
    }


CASES = [
    # (name, method, url template, body, role that holds it, a role in scope without it)
    ("view", "get", "/api/v1/volunteers/activities/{a}", None, Role.SUPERVISOR, None),
    ("organise.qr", "get", "/api/v1/volunteers/activities/{a}/qr?purpose=in", None, Role.GRID_MEMBER, Role.SUPERVISOR),
    ("organise.end", "post", "/api/v1/volunteers/activities/{a}/transition", {"action": "end"}, Role.COMMUNITY_WORKER, Role.SUPERVISOR),
    ("organise.decide", "post", "/api/v1/volunteers/signups/{p}/decide", {"approve": False}, Role.COMMUNITY_WORKER, Role.ANALYST),
    ("confirm", "post", "/api/v1/volunteers/signups/{s}/confirm", None, Role.COMMUNITY_WORKER, Role.GRID_MEMBER),
]  # fmt: skip


@pytest.mark.parametrize("name,method,url,body,holder,lacking", CASES, ids=[c[0] for c in CASES])
def test_each_action_is_allowed_denied_and_hidden_out_of_subtree(
    scene: Scene, tree: Any, cast: Any, client: Client,
    name: str, method: str, url: str, body: Any, holder: Role, lacking: Role | None,
) -> None:  # fmt: skip
    pending_person = cast.make(None, tree.datang, name="钱七")
    services.volunteer_register(actor=pending_person, user=pending_person, org_unit=tree.datang)
    pending = services.signup_create(actor=pending_person, activity=scene.activity, post="引导")
    if name == "confirm":
        _checked_out(scene)
    target = url.format(a=scene.activity.pk, p=pending.pk, s=scene.signup.pk)
    client.force_login(scene.other_admin)  # 雨花区 holds every right, but not here
    assert _call(client, method, target, body) == 404
    if lacking is not None:
        client.force_login(cast.make(lacking, tree.xiufeng))
        assert _call(client, method, target, body) == 403
    client.force_login(cast.make(holder, tree.datang))
    assert _call(client, method, target, body) == 200


def test_review_is_for_the_reviewer_and_hidden_elsewhere(
    scene: Scene, tree: Any, cast: Any, client: Client
) -> None:
    client.force_login(scene.organiser)
    created = client.post(
        "/api/v1/volunteers/activities", _new_activity_body(tree), content_type="application/json"
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    url = f"/api/v1/volunteers/activities/{pk}/transition"
    assert _call(client, "post", url, {"action": "submit"}) == 200
    assert _call(client, "post", url, {"action": "approve"}) == 403  # the author
    client.force_login(cast.make(Role.GRID_MEMBER, tree.datang))
    assert _call(client, "post", url, {"action": "approve"}) == 403
    client.force_login(scene.other_admin)
    assert _call(client, "post", url, {"action": "approve"}) == 404
    client.force_login(scene.reviewer)
    assert _call(client, "post", url, {"action": "approve"}) == 200


def test_creating_an_activity_needs_organise_on_the_unit(
    scene: Scene, tree: Any, cast: Any, client: Client
) -> None:
    body = _new_activity_body(tree)
    client.force_login(cast.make(Role.SUPERVISOR, tree.xiufeng))
    assert _call(client, "post", "/api/v1/volunteers/activities", body) == 403
    client.force_login(scene.other_admin)
    assert _call(client, "post", "/api/v1/volunteers/activities", body) == 404
    client.force_login(scene.organiser)
    assert _call(client, "post", "/api/v1/volunteers/activities", body) == 201


def test_lists_are_scoped_and_closed_to_people_without_a_role(scene: Scene, client: Client) -> None:
    client.force_login(scene.other_admin)
    assert client.get("/api/v1/volunteers/activities").json() == []
    assert client.get("/volunteers/manage/").status_code == 200
    assert scene.activity.title not in client.get("/volunteers/manage/").content.decode()
    client.force_login(scene.person)
    assert client.get("/api/v1/volunteers/activities").status_code == 403
    assert client.get(f"/volunteers/manage/{scene.activity.pk}/").status_code in {403, 404}
    # …but a volunteer sees the open activity and their own sign-up.
    assert client.get("/api/v1/volunteers/open").json()[0]["id"] == scene.activity.pk
    assert client.get("/api/v1/volunteers/me/signups").json()[0]["id"] == scene.signup.pk


def test_bad_input_is_a_4xx_with_a_stable_code(scene: Scene, tree: Any, client: Client) -> None:
    client.force_login(scene.organiser)
    body = _new_activity_body(tree) | {"posts": []}
    answer = client.post("/api/v1/volunteers/activities", body, content_type="application/json")
    assert answer.status_code == 400 and answer.json()["code"] == "no_posts"
    body = _new_activity_body(tree) | {"radius_m": 10}
    assert (
        client.post("/api/v1/volunteers/activities", body, content_type="application/json").json()[
            "code"
        ]
        == "invalid_radius"
    )
    assert client.get("/api/v1/volunteers/activities/abc").status_code == 404
    assert client.get("/api/v1/volunteers/activities?limit=0").status_code == 400
    answer = client.post(
        f"/api/v1/volunteers/activities/{scene.activity.pk}/transition",
        {"action": "fly"},
        content_type="application/json",
    )
    assert answer.status_code == 400 and answer.json()["code"] == "unknown_action"
    client.force_login(scene.person)
    answer = client.post(
        "/api/v1/volunteers/scan",
        {"token": "x" * 40, "lat": 28.2, "lon": 112.9},
        content_type="application/json",
    )
    assert answer.status_code == 400 and answer.json()["code"] == "token_invalid"


def test_the_api_carries_the_version_and_refuses_a_stale_step(scene: Scene, client: Client) -> None:
    client.force_login(scene.organiser)
    url = f"/api/v1/volunteers/activities/{scene.activity.pk}"
    got = client.get(url)
    assert got["ETag"] == f'"{scene.activity.version}"'
    stale = client.post(
        f"{url}/transition", {"action": "end"}, content_type="application/json",
        headers={"If-Match": f'"{scene.activity.version - 1}"'},
    )  # fmt: skip
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    fresh = client.post(
        f"{url}/transition", {"action": "end", "beneficiaries": 12}, content_type="application/json",
        headers={"If-Match": got["ETag"]},
    )  # fmt: skip
    assert fresh.status_code == 200 and fresh.json()["beneficiaries"] == 12
    assert fresh["ETag"] == f'"{scene.activity.version + 1}"'
    figures = client.get("/api/v1/volunteers/figures").json()
    assert figures["activities"] == 1 and figures["beneficiaries"] == 12
