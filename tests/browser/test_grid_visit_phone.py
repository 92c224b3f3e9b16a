"""A grid member's day on a phone (390×844): from their own page (households with visits due)
to the visit form, entered with a 民情台账 item, without the page ever scrolling sideways; the
visit then shows on the household's page and the item on the 民情台账."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from banshi.accounts.roles import Role
from banshi.grid.models import LedgerItem, Visit
from banshi.grid.services import household_create, link_create, party_member_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
WIDTH = "() => document.documentElement.scrollWidth"


def test_a_grid_member_records_a_visit_on_a_phone(
    live_server: Any, chromium: Any, tree: Any, cast: Any, artifacts: Path
) -> None:
    user = cast.make(Role.GRID_MEMBER, tree.grid, name="郑长青")
    member = party_member_create(
        actor=None, org_unit=tree.grid, name="郑长青", kind="direct", user=user
    )
    link_create(actor=None, member=member, household=tree.household, role="center")
    other = household_create(
        actor=None, grid=tree.grid, label="1栋1单元102室", address="建湘路1号1栋1单元102室"
    )
    link_create(actor=None, member=member, household=other)
    context = chromium.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_mobile", user.mobile)
        page.fill("#id_password", "Passw0rd!x")
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        page.goto(f"{live_server.url}/grid/members/mine/")
        assert page.locator(".due-list li.overdue").count() == 2  # never visited
        assert page.evaluate(WIDTH) <= PHONE["width"]
        page.locator(".due-list li", has_text="1栋1单元101室").get_by_role(
            "link", name="录入走访"
        ).click()
        page.wait_for_selector("#visit-form")
        assert page.evaluate(WIDTH) <= PHONE["width"]
        page.fill("#v-findings", "张秀英身体尚好，反映楼道声控灯坏了")
        page.fill("#v-ledger", "联系物业维修楼道声控灯")
        page.screenshot(path=str(artifacts / "grid-visit-phone.png"), full_page=True)
        page.click("#visit-form button[type=submit]")
        page.wait_for_selector("#visits")
        assert "反映楼道声控灯坏了" in page.inner_text("#visits")
        assert "联系物业维修楼道声控灯" in page.inner_text("#ledger")
        assert page.evaluate(WIDTH) <= PHONE["width"]
    finally:
        context.close()
    assert Visit.objects.filter(household=tree.household, member=member).count() == 1
    assert LedgerItem.objects.get().content == "联系物业维修楼道声控灯"
