"""Visits: never dated in the future, a finding opens a request through the request service
(channel grid) or 民情台账 items, which close item by item on the workflow engine; links refuse
members outside the household's organisation or the actor's sight."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from banshi.accounts.roles import Role
from banshi.audit.models import ChangeRecord
from banshi.core.errors import Conflict, NotFound, ValidationFailed
from banshi.grid.models import FiveEntry, HouseholdLink, LedgerEvent, LedgerItem, Visit
from banshi.grid.services import (
    FindingRequest,
    ledger_transition,
    link_create,
    visit_record,
)
from banshi.workorders.models import Category, WorkOrder

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _counts() -> tuple[int, int, int, int, int]:
    return (
        Visit.objects.count(),
        LedgerItem.objects.count(),
        FiveEntry.objects.count(),
        WorkOrder.objects.count(),
        ChangeRecord.objects.count(),
    )


def test_a_visit_dated_in_the_future_is_refused_and_writes_nothing(
    g: Any, cast: Any, client: Client
) -> None:
    member = cast.make(Role.GRID_MEMBER, g.grid1)
    client.force_login(member)
    before = _counts()
    future = (timezone.now() + datetime.timedelta(hours=2)).isoformat()
    response = client.post(
        f"/api/v1/grid/households/{g.h1.pk}/visits",
        {"visited_at": future, "findings": "楼道灯坏了", "ledger": ["楼道灯维修"]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"code": "visit_in_future", "detail": "走访时间不能晚于当前时间"}
    assert _counts() == before


def test_a_visit_updates_the_household_and_its_five_register(g: Any, cast: Any) -> None:
    member = cast.make(Role.GRID_MEMBER, g.grid2)
    moment = timezone.now() - datetime.timedelta(hours=1)
    photo = SimpleUploadedFile("门口.png", PNG, content_type="image/png")
    visit = visit_record(
        actor=member,
        household=g.h3,
        visited_at=moment,
        findings="身体健康，想了解医保缴费",
        member=g.m2,
        photo=photo,
        latitude="28.2282",
        longitude="112.9388",
    )
    g.h3.refresh_from_db()
    assert g.h3.last_visited_at == moment
    assert visit.photo and visit.latitude is not None
    assert FiveEntry.objects.get(visit=visit).kind == "visit"
    # An older visit entered afterwards does not move the date back.
    visit_record(actor=member, household=g.h3, visited_at=moment - datetime.timedelta(days=3))
    g.h3.refresh_from_db()
    assert g.h3.last_visited_at == moment


def test_a_photo_that_is_not_an_image_is_refused(g: Any, cast: Any) -> None:
    member = cast.make(Role.GRID_MEMBER, g.grid1)
    fake = SimpleUploadedFile(
        "photo.jpg", b"MZ\x90\x00not an image at all", content_type="image/jpeg"
    )
    before = _counts()
    with pytest.raises(ValidationFailed) as refused:
        visit_record(actor=member, household=g.h1, visited_at=timezone.now(), photo=fake)
    assert refused.value.code == "bad_file_type"
    assert _counts() == before


def test_a_finding_opens_a_request_on_the_visitors_behalf(g: Any, cast: Any) -> None:
    worker = cast.make(Role.COMMUNITY_WORKER, g.tree.datang)
    category = Category.objects.get(code="010301")
    visit = visit_record(
        actor=worker,
        household=g.h4,
        visited_at=timezone.now(),
        findings="门前人行道破损，老人出行不便",
        request=FindingRequest(category_id=category.pk),
    )
    order = visit.request
    assert order is not None
    assert order.channel == "grid"
    assert order.org_unit_id == g.tree.datang.pk
    assert order.content == "门前人行道破损，老人出行不便"


def test_a_request_the_centre_refuses_rolls_the_visit_back(g: Any, cast: Any) -> None:
    worker = cast.make(Role.COMMUNITY_WORKER, g.tree.datang)
    before = _counts()
    with pytest.raises(ValidationFailed) as refused:
        visit_record(
            actor=worker,
            household=g.h4,
            visited_at=timezone.now(),
            findings="路灯不亮",
            request=FindingRequest(category_id="nonexistent"),
            ledger=["路灯维修"],
        )
    assert refused.value.code == "unknown_category"
    assert _counts() == before


def test_ledger_items_close_one_by_one_with_events(g: Any, cast: Any, client: Client) -> None:
    member = cast.make(Role.GRID_MEMBER, g.grid1)
    visit = visit_record(
        actor=member,
        household=g.h2,
        visited_at=timezone.now(),
        findings="低保复核材料、厨房漏水",
        ledger=["协助准备低保复核材料", "联系物业维修厨房漏水"],
    )
    first, second = visit.ledger_items.order_by("id")
    client.force_login(member)
    missing = client.post(
        f"/api/v1/grid/ledger/{first.pk}/close", {}, content_type="application/json"
    )
    assert missing.status_code == 400 and missing.json()["code"] == "required"
    closed = client.post(
        f"/api/v1/grid/ledger/{first.pk}/close",
        {"result": "材料已报街道民政办"},
        content_type="application/json",
        headers={"If-Match": '"0"'},
    )
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed" and closed["ETag"] == '"1"'
    second.refresh_from_db()
    assert second.status == "open"
    stale = client.post(
        f"/api/v1/grid/ledger/{first.pk}/reopen",
        {"reason": "群众反映未办好"},
        content_type="application/json",
        headers={"If-Match": '"0"'},
    )
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    assert list(LedgerEvent.objects.filter(item=first).values_list("action", flat=True)) == [
        "open",
        "close",
    ]
    with pytest.raises(Conflict):
        ledger_transition(
            actor=member, item=first, action="close", data={"result": "再办"}, expected_version=0
        )


def test_ledger_items_out_of_sight_are_not_found(g: Any, cast: Any, client: Client) -> None:
    member = cast.make(Role.GRID_MEMBER, g.grid1)
    visit = visit_record(actor=member, household=g.h1, visited_at=timezone.now(), ledger=["修门"])
    item = visit.ledger_items.get()
    client.force_login(cast.make(Role.GRID_MEMBER, g.tree.yuhua))
    response = client.post(
        f"/api/v1/grid/ledger/{item.pk}/close", {"result": "已修"}, content_type="application/json"
    )
    assert response.status_code == 404


def test_a_link_to_a_member_outside_the_households_organisation_is_refused(
    g: Any, cast: Any, client: Client
) -> None:
    worker = cast.make(Role.COMMUNITY_WORKER, g.tree.datang)
    before = HouseholdLink.objects.count()
    # m2 belongs to 第2党员微网格; h1 is in 第1党员微网格.
    with pytest.raises(ValidationFailed) as refused:
        link_create(actor=worker, member=g.m2, household=g.h1)
    assert refused.value.code == "member_outside_subtree"
    client.force_login(worker)
    response = client.post(
        "/api/v1/grid/links",
        {"member_id": g.m2.pk, "household_id": g.h1.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "member_outside_subtree"
    assert "不能联系该组织以外的住户" in response.json()["detail"]
    # A member in another district is not there at all for this worker.
    other = client.post(
        "/api/v1/grid/links",
        {"member_id": g.m_yuhua.pk, "household_id": g.h1.pk},
        content_type="application/json",
    )
    assert other.status_code == 404 and other.json()["code"] == "member_not_found"
    with pytest.raises(NotFound):
        link_create(actor=worker, member=g.m_yuhua, household=g.h1)
    assert HouseholdLink.objects.count() == before


def test_a_second_open_link_of_the_same_member_is_refused(g: Any, cast: Any) -> None:
    worker = cast.make(Role.COMMUNITY_WORKER, g.tree.datang)
    with pytest.raises(ValidationFailed) as refused:
        link_create(actor=worker, member=g.m1, household=g.h1)
    assert refused.value.code == "duplicate_link"
    # After the earlier link to h2 ended, a new one may start.
    link = link_create(actor=worker, member=g.m1, household=g.h2, role="center")
    assert link.end is None


def test_a_visit_by_a_member_the_actor_cannot_see_is_not_found(g: Any, cast: Any) -> None:
    member = cast.make(Role.GRID_MEMBER, g.grid1)
    with pytest.raises(NotFound):
        visit_record(actor=member, household=g.h1, visited_at=timezone.now(), member=g.m_yuhua)
