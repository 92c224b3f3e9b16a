"""双报到 through the API: every action allowed for the role holding it, 403 for a role in sight
without it, 404 from elsewhere; bad input is a 4xx with a stable code and writes nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from banshi.accounts.roles import Role
from banshi.grid.models import MemberKind, PartyMember
from banshi.party import services
from banshi.party.models import MemberRegistration, UnitRegistration

pytestmark = pytest.mark.django_db


def _post(client: Client, url: str, body: Any = None, **headers: Any) -> Any:
    return client.post(url, body or {}, content_type="application/json", **headers)


def _unit_body(tree: Any) -> dict[str, Any]:
    return {
        "party_org_id": tree.city_bureau.pk,
        "community_id": tree.datang.pk,
        "contact_name": "周建华",
        "contact_mobile": "13907310001",
        "resources": "每月安排10名党员参与社区环境整治",
    }


@pytest.fixture
def member(tree: Any, cast: Any) -> PartyMember:
    account = cast.make(None, tree.datang, name="李卫东")
    return PartyMember.objects.create(
        org_unit=tree.branch, name="李卫东", kind=MemberKind.IN_SERVICE, user=account
    )


def test_unit_registration_through_the_api(tree: Any, cast: Any, client: Client) -> None:
    body = _unit_body(tree)
    client.force_login(cast.make(Role.ANALYST, tree.city))  # sees the bureau, may not act for it
    assert _post(client, "/api/v1/party/units", body).status_code == 403
    client.force_login(cast.make(Role.ORG_ADMIN, tree.yuhua))  # another district
    assert _post(client, "/api/v1/party/units", body).status_code == 404
    client.force_login(cast.make(Role.ORG_ADMIN, tree.city_bureau))
    created = _post(client, "/api/v1/party/units", body)
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "submitted"
    pk = created.json()["id"]
    again = _post(client, "/api/v1/party/units", body)
    assert again.status_code == 409 and again.json()["code"] == "already_registered"
    assert UnitRegistration.objects.count() == 1
    url = f"/api/v1/party/units/{pk}/transition"
    assert _post(client, url, {"action": "accept"}).status_code == 403  # not the community
    client.force_login(cast.make(Role.COMMUNITY_WORKER, tree.shiyanhu))
    assert client.get(f"/api/v1/party/units/{pk}").status_code == 404
    assert _post(client, url, {"action": "accept"}).status_code == 404
    client.force_login(cast.make(Role.COMMUNITY_WORKER, tree.datang))
    detail = client.get(f"/api/v1/party/units/{pk}")
    assert detail["ETag"] == '"0"'
    stale = _post(client, url, {"action": "accept"}, HTTP_IF_MATCH='"7"')
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    accepted = _post(client, url, {"action": "accept"}, HTTP_IF_MATCH='"0"')
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    bad = _post(client, url, {"action": "accept"})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_transition"
    assert client.get("/api/v1/party/units?status=accepted").json()[0]["id"] == pk


def test_bad_unit_input_is_a_4xx(tree: Any, cast: Any, client: Client) -> None:
    client.force_login(cast.make(Role.ORG_ADMIN, tree.city_bureau))
    wrong = _post(client, "/api/v1/party/units", _unit_body(tree) | {"community_id": tree.kaifu.pk})
    assert wrong.status_code == 404  # not a community
    mobile = _post(client, "/api/v1/party/units", _unit_body(tree) | {"contact_mobile": "1"})
    assert mobile.status_code == 400 and mobile.json()["code"] == "invalid_mobile"
    assert _post(client, "/api/v1/party/units", {"party_org_id": "x"}).status_code in {400, 422}
    assert client.get("/api/v1/party/units/abc").status_code == 404
    assert client.get("/api/v1/party/units?limit=0").status_code == 400
    assert not UnitRegistration.objects.exists()


def test_member_registration_and_confirmation(
    tree: Any, cast: Any, client: Client, member: PartyMember
) -> None:
    body = {"member_id": member.pk, "community_id": tree.datang.pk, "skills": "法律咨询"}
    client.force_login(cast.make(Role.COMMUNITY_WORKER, tree.shiyanhu))
    assert _post(client, "/api/v1/party/members", body).status_code == 404
    client.force_login(cast.make(Role.ANALYST, tree.datang))
    assert _post(client, "/api/v1/party/members", body).status_code == 403
    client.force_login(member.user)
    assert client.get("/api/v1/party/members/me").json()["code"] == "not_registered"
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    refused = _post(client, "/api/v1/party/members", body | {"registered_on": future})
    assert refused.status_code == 400 and refused.json()["code"] == "future_date"
    assert not MemberRegistration.objects.exists()
    created = _post(client, "/api/v1/party/members", body)
    assert created.status_code == 201, created.content
    assert created.json()["standing"] == "ok"
    twice = _post(client, "/api/v1/party/members", body)
    assert twice.status_code == 409 and twice.json()["code"] == "already_registered"
    pk = created.json()["id"]
    early = _post(client, f"/api/v1/party/members/{pk}/confirm")
    assert early.status_code == 409 and early.json()["code"] == "not_due"
    # Registered seven months ago: overdue, on the community's list, confirmed by the member.
    MemberRegistration.objects.filter(pk=pk).update(
        registered_on=timezone.localdate() - datetime.timedelta(days=214)
    )
    worker = cast.make(Role.COMMUNITY_WORKER, tree.datang)
    client.force_login(worker)
    overdue = client.get("/api/v1/party/members?standing=overdue").json()
    assert [row["id"] for row in overdue] == [pk]
    client.force_login(member.user)
    done = _post(client, f"/api/v1/party/members/{pk}/confirm", HTTP_IF_MATCH='"0"')
    assert done.status_code == 200 and done.json()["standing"] == "ok"
    assert done.json()["confirmed_on"] == timezone.localdate().isoformat()
    client.force_login(cast.make(Role.COMMUNITY_WORKER, tree.shiyanhu))
    assert _post(client, f"/api/v1/party/members/{pk}/confirm").status_code == 404


def test_hours_and_figures(tree: Any, cast: Any, client: Client, member: PartyMember) -> None:
    services.member_register(actor=None, member=member, community=tree.datang)
    client.force_login(cast.make(Role.ORG_ADMIN, tree.kaifu))
    below = client.get("/api/v1/party/hours?year=2026").json()
    assert [(r["member_name"], r["hours"], r["threshold"]) for r in below] == [("李卫东", 0, 50)]
    assert client.get("/api/v1/party/hours?year=1").json()["code"] == "invalid_year"
    figures = client.get(f"/api/v1/party/figures?unit_id={tree.kaifu.pk}").json()
    assert figures[0]["unit_name"] == "开福区" and figures[0]["members_registered"] == 1
    client.force_login(cast.make(None, tree.datang))
    assert client.get("/api/v1/party/hours").status_code == 403
    client.force_login(cast.make(Role.ORG_ADMIN, tree.yuhua))
    assert client.get(f"/api/v1/party/figures?unit_id={tree.kaifu.pk}").status_code == 404
