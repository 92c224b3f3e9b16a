"""The register is editable: add, edit, move and archive households and residents; tags are
configurable and decide the visit class; 独居老人 with more than one member is a warning."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from banshi.accounts.roles import Role
from banshi.audit.models import ChangeRecord
from banshi.core.errors import NotFound, PermissionDenied, ValidationFailed
from banshi.grid.models import Household, HouseholdLink
from banshi.grid.services import (
    household_archive,
    household_create,
    household_move,
    household_update,
    resident_add,
    tag_save,
)
from banshi.orgtree.choices import Level
from banshi.orgtree.services import orgunit_create


def test_create_edit_and_warn_through_the_api(g: Any, cast: Any, client: Client) -> None:
    client.force_login(cast.make(Role.GRID_MEMBER, g.grid1))
    created = client.post(
        "/api/v1/grid/households",
        {
            "grid_id": g.grid1.pk,
            "label": "3栋201室",
            "address": "建湘路3号3栋201室",
            "tags": ["独居老人"],
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    body = created.json()
    assert body["tags"] == ["elderly_alone"] and body["vulnerable"] is True
    assert body["warnings"] == ["尚未登记住户成员"]
    hid = body["id"]
    for name in ("罗玉兰", "罗晓峰"):
        added = client.post(
            f"/api/v1/grid/households/{hid}/residents",
            {"name": name, "relation": "户主" if name == "罗玉兰" else "子女"},
            content_type="application/json",
        )
        assert added.status_code == 201
    detail = client.get(f"/api/v1/grid/households/{hid}").json()
    assert detail["warnings"] == ["标注为独居老人，但登记了2名成员，请核实"]
    patched = client.patch(
        f"/api/v1/grid/households/{hid}",
        {"tags": ["youfu"], "label": "3栋201"},
        content_type="application/json",
    )
    assert patched.status_code == 200
    assert patched.json()["vulnerable"] is False and patched.json()["label"] == "3栋201"


def test_the_same_address_twice_in_a_grid_is_refused(g: Any, cast: Any, client: Client) -> None:
    client.force_login(cast.make(Role.COMMUNITY_WORKER, g.tree.datang))
    before = Household.objects.count()
    response = client.post(
        "/api/v1/grid/households",
        {"grid_id": g.grid1.pk, "label": "另一个门牌", "address": g.h1.address},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "duplicate_household"
    assert Household.objects.count() == before


def test_unknown_tags_are_refused_by_name(g: Any) -> None:
    with pytest.raises(ValidationFailed, match="未知的住户标签：富裕户"):
        household_update(actor=None, household=g.h1, tags=["富裕户"])


def test_moving_a_household_ends_links_that_no_longer_reach_it(g: Any, cast: Any) -> None:
    worker = cast.make(Role.COMMUNITY_WORKER, g.tree.datang)
    # m2 is a member of 第2党员微网格: their link to h3 cannot follow it into 第1党员微网格.
    household_move(actor=worker, household=g.h3, grid=g.grid1)
    g.h3.refresh_from_db()
    assert g.h3.grid_id == g.grid1.pk and g.h3.org_unit.parent_id == g.grid1.pk
    assert g.h3.org_unit.path.startswith(g.grid1.path)
    link = HouseholdLink.objects.get(household=g.h3)
    assert link.end is not None
    assert ChangeRecord.objects.filter(action="household.move", object_id=str(g.h3.pk)).exists()


def test_a_household_cannot_be_moved_out_of_the_movers_sight(g: Any, cast: Any) -> None:
    member = cast.make(Role.GRID_MEMBER, g.tree.datang)
    with pytest.raises(NotFound):
        household_move(actor=member, household=g.h1, grid=g.tree.shiyanhu)
    other_branch = orgunit_create(
        actor=None, parent=g.tree.xinhe_comm, level=Level.BRANCH, name="鸭子铺社区党支部"
    )
    with pytest.raises(NotFound):
        household_move(actor=member, household=g.h1, grid=other_branch)
    with pytest.raises(ValidationFailed) as wrong_level:
        household_move(actor=member, household=g.h1, grid=g.tree.branch)
    assert wrong_level.value.code == "level_violation"
    g.h1.refresh_from_db()
    assert g.h1.grid_id == g.grid1.pk


def test_archiving_ends_links_and_blocks_further_edits(g: Any, cast: Any) -> None:
    worker = cast.make(Role.COMMUNITY_WORKER, g.tree.datang)
    household_archive(actor=worker, household=g.h1, reason="整户迁出")
    assert HouseholdLink.objects.get(pk=g.link_h1.pk).end is not None
    with pytest.raises(ValidationFailed) as refused:
        resident_add(actor=worker, household=Household.objects.get(pk=g.h1.pk), name="新成员")
    assert refused.value.code == "archived"
    # The address is free again for a new household.
    again = household_create(
        actor=worker, grid=g.grid1, label="1栋1单元101（新）", address=g.h1.address
    )
    assert again.pk != g.h1.pk


def test_a_tag_turned_vulnerable_reclassifies_its_households(g: Any, cast: Any) -> None:
    household_update(actor=None, household=g.h1, tags=["youfu"])
    assert Household.objects.get(pk=g.h1.pk).vulnerable is False
    city_admin = cast.make(Role.ORG_ADMIN, g.tree.city)
    tag_save(actor=city_admin, code="youfu", name="优抚", vulnerable=True, sort=60)
    assert Household.objects.get(pk=g.h1.pk).vulnerable is True
    new = tag_save(actor=city_admin, code="shidu", name="失独", vulnerable=True)
    assert new.code == "shidu"
    district_admin = cast.make(Role.ORG_ADMIN, g.tree.kaifu)
    with pytest.raises(PermissionDenied):
        tag_save(actor=district_admin, code="shidu", name="失独家庭")


def test_the_register_filters_by_tag_on_both_databases(g: Any, cast: Any, client: Client) -> None:
    client.force_login(cast.make(Role.GRID_MEMBER, g.tree.datang))
    response = client.get(f"/api/v1/orgunits/{g.tree.datang.pk}/households?tag=dibao")
    assert [h["id"] for h in response.json()] == [g.h2.pk]
    unlinked = client.get(f"/api/v1/orgunits/{g.tree.datang.pk}/households?unlinked=true")
    assert {h["id"] for h in unlinked.json()} == {g.h2.pk, g.h4.pk}
    bad = client.get(f"/api/v1/orgunits/{g.tree.datang.pk}/households?limit=0")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_page"
