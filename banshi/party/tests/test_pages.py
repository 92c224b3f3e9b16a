"""The 双报到 pages: a unit registers through the form with pickers, the community accepts on
the detail page, a member is registered and confirmed from the list; out of sight is 404."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from banshi.accounts.roles import Role
from banshi.grid.models import MemberKind, PartyMember
from banshi.party.choices import Status
from banshi.party.models import MemberRegistration, UnitRegistration

pytestmark = pytest.mark.django_db


def test_unit_registration_pages(tree: Any, cast: Any, client: Client) -> None:
    client.force_login(cast.make(Role.ORG_ADMIN, tree.city_bureau))
    picked = client.get("/party/pick/units/?for=party&q=城市管理&target=party_org").content.decode()
    assert f'data-pick-id="{tree.city_bureau.pk}"' in picked
    assert "新大塘社区" in client.get("/party/pick/communities/?q=新大塘").content.decode()
    body = {
        "party_org": tree.city_bureau.pk,
        "community": tree.datang.pk,
        "contact_name": "周建华",
        "contact_mobile": "13907310001",
        "resources": "环境整治",
    }
    bad = client.post("/party/units/new/", body | {"contact_mobile": "123"})
    assert bad.status_code == 200 and "手机号格式不正确" in bad.content.decode()
    assert not UnitRegistration.objects.exists()
    created = client.post("/party/units/new/", body)
    reg = UnitRegistration.objects.unscoped().get()
    assert created.status_code == 302 and created["Location"] == f"/party/units/{reg.pk}/"
    page = client.get(f"/party/units/{reg.pk}/").content.decode()
    assert 'value="withdraw"' in page and 'value="accept"' not in page
    worker = cast.make(Role.COMMUNITY_WORKER, tree.datang)
    client.force_login(worker)
    listing = client.get("/party/?status=submitted").content.decode()
    assert "长沙市城市管理和综合执法局" in listing
    page = client.get(f"/party/units/{reg.pk}/").content.decode()
    assert 'value="accept"' in page and 'value="withdraw"' not in page
    client.post(f"/party/units/{reg.pk}/step/", {"action": "accept", "version": "0"})
    reg.refresh_from_db()
    assert reg.status == Status.ACCEPTED
    history = client.get(f"/party/units/{reg.pk}/").content.decode()
    assert "提交报到" in history and "接收报到" in history
    stale = client.post(
        f"/party/units/{reg.pk}/step/",
        {"action": "withdraw", "note": "x", "version": "0"},
        follow=True,
    )
    assert "旧版本" in stale.content.decode()
    client.force_login(cast.make(Role.COMMUNITY_WORKER, tree.shiyanhu))
    assert client.get(f"/party/units/{reg.pk}/").status_code == 404
    assert "长沙市城市管理和综合执法局" not in client.get("/party/").content.decode()
    client.force_login(cast.make(None, tree.datang))
    assert client.get("/party/").status_code == 403


def test_member_pages(tree: Any, cast: Any, client: Client) -> None:
    member = PartyMember.objects.create(
        org_unit=tree.branch, name="贺志勇", kind=MemberKind.IN_SERVICE
    )
    seven_months_ago = (timezone.localdate() - datetime.timedelta(days=214)).isoformat()
    worker = cast.make(Role.COMMUNITY_WORKER, tree.datang)
    client.force_login(worker)
    assert "贺志勇" in client.get("/party/pick/members/?q=贺").content.decode()
    client.post(
        "/party/members/new/",
        {"member": member.pk, "community": tree.datang.pk, "registered_on": seven_months_ago},
    )
    reg = MemberRegistration.objects.unscoped().get()
    listing = client.get("/party/members/?standing=overdue").content.decode()
    assert "贺志勇" in listing and "确认本期报到" in listing
    twice = client.post(
        "/party/members/new/", {"member": member.pk, "community": tree.datang.pk}, follow=True
    )
    assert "请勿重复报到" in twice.content.decode()
    client.post(f"/party/members/{reg.pk}/confirm/", {"version": "0"})
    reg.refresh_from_db()
    assert reg.confirmed_on == timezone.localdate()
    hours = client.get("/party/hours/?all=1").content.decode()
    assert "贺志勇" in hours and "未注册或未参加服务" in hours
    client.force_login(cast.make(Role.COMMUNITY_WORKER, tree.shiyanhu))
    assert "贺志勇" not in client.get("/party/members/").content.decode()
    assert client.post(f"/party/members/{reg.pk}/confirm/").status_code == 404
