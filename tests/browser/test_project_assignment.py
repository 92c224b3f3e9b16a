"""The article's 五位书记 case in Chromium: a 开福区 联点 leader records a 现场办公 meeting whose
decisions go to 长沙水业集团 and to 秀峰街道, choosing every unit with the search picker; the
water group's 承办人 finds the decision on 督办事项 and closes it. Screenshots are kept."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from banshi.accounts.roles import Role
from banshi.orgtree.choices import Level
from banshi.orgtree.services import orgunit_create
from banshi.projects.choices import ItemStatus
from banshi.projects.models import Meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Passw0rd!x"


def _login(page: Any, base: str, user: Any) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_mobile", user.mobile)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def _pick(picker: Any, query: str, name: str) -> None:
    """Type into a picker's search box and click the result called ``name``."""
    box = picker.locator("input[type=search]")
    box.click()
    box.fill(query)
    picker.locator(f".picker-results button[data-pick-name='{name}']").click()
    picker.locator("[data-picked]", has_text=name).wait_for()


def test_a_district_leader_gives_decisions_to_the_water_group_and_a_street(
    live_server: Any, page: Any, tree: Any, cast: Any, artifacts: Path
) -> None:
    base = live_server.url
    water = orgunit_create(
        actor=None, parent=tree.city, level=Level.FUNCTIONAL, name="长沙水业集团", code="4301F03"
    )
    leader = cast.make(Role.LEADER, tree.kaifu, name="谢伟")
    water_handler = cast.make(Role.HANDLER, water, name="孙玉兰")
    cast.make(Role.HANDLER, tree.xiufeng, name="梁建华")

    _login(page, base, leader)
    page.goto(f"{base}/projects/meetings/new/")
    form = page.locator("#meeting-form")
    _pick(form.locator(".unitpicker[data-name=org_unit]"), "开福", "开福区")
    held = timezone.localtime() - datetime.timedelta(hours=2)
    page.fill("#m-at", held.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#m-place", "开福区政府三楼会议室")
    page.fill("#m-topic", "新大塘片区供水保障现场办公会")
    due = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    rows = form.locator("#decision-rows [data-row]")
    first = rows.nth(0)
    first.locator("input[name=item_content]").fill("十日内完成片区管网改造方案")
    _pick(first.locator(".unitpicker"), "水业", "长沙水业集团")
    first.locator("input[name=item_due]").fill(due)
    first.locator("input[name=item_person]").fill("孙玉兰")
    page.click("text=添加议定事项")
    second = rows.nth(1)
    second.locator("input[name=item_content]").fill("完成入户摸底和加压泵站选址")
    _pick(second.locator(".unitpicker"), "秀峰", "秀峰街道")
    second.locator("input[name=item_due]").fill(due)
    # A sibling district's street is not offered at all.
    box = second.locator(".unitpicker input[type=search]")
    box.fill("跳马")
    second.locator(".picker-results", has_text="没有找到").wait_for()
    box.fill("")
    page.screenshot(path=str(artifacts / "projects-meeting-form.png"), full_page=True)
    page.click("#meeting-form button[type=submit]")
    page.wait_for_selector("text=现场办公会已录入，议定事项已交办")
    meeting = Meeting.objects.get()
    assert {i.owner_unit.name for i in meeting.items.all()} == {"长沙水业集团", "秀峰街道"}

    _login(page, base, water_handler)
    page.goto(f"{base}/projects/items/")
    mine = page.locator("#items-mine")
    assert "十日内完成片区管网改造方案" in mine.inner_text()
    assert "完成入户摸底" not in page.locator("main").inner_text()
    page.screenshot(path=str(artifacts / "projects-items-water-group.png"), full_page=True)
    mine.locator("input[name=note]").fill("改造方案已报区政府审定")
    mine.locator("button[type=submit]").click()
    page.wait_for_selector("text=事项已办结")
    assert meeting.items.get(owner_unit=water).status == ItemStatus.DONE


def test_the_new_project_form_picks_units_a_leader_and_milestone_rows(
    live_server: Any, page: Any, tree: Any, cast: Any, artifacts: Path
) -> None:
    base = live_server.url
    admin = cast.make(Role.ORG_ADMIN, tree.kaifu, name="黄德明")
    cast.make(Role.LEADER, tree.kaifu, name="谢伟")
    _login(page, base, admin)
    page.goto(f"{base}/projects/new/")
    _pick(page.locator(".unitpicker[data-name=org_unit]"), "秀峰", "秀峰街道")
    page.fill("#p-name", "秀峰街道背街小巷提质")
    page.fill("#p-target", "提质背街小巷12条")
    page.fill("#p-qty", "12")
    page.fill("#p-unit", "条")
    _pick(page.locator(".unitpicker[data-name=lead_unit]"), "城市管理", tree.city_bureau.name)
    _pick(page.locator(".unitpicker[data-name=co_units]"), "新大塘", "新大塘社区")
    _pick(page.locator(".unitpicker[data-name=lead_leader]"), "谢", "谢伟")
    today = timezone.localdate()
    page.fill("#p-start", today.isoformat())
    page.fill("#p-deadline", (today + datetime.timedelta(days=90)).isoformat())
    row = page.locator("#milestone-rows [data-row]").nth(0)
    row.locator("input[name=ms_name]").fill("完成设计")
    row.locator("input[name=ms_date]").fill((today + datetime.timedelta(days=30)).isoformat())
    row.locator("input[name=ms_weight]").fill("40")
    page.click("text=添加节点")
    row = page.locator("#milestone-rows [data-row]").nth(1)
    row.locator("input[name=ms_name]").fill("完工验收")
    row.locator("input[name=ms_date]").fill((today + datetime.timedelta(days=90)).isoformat())
    row.locator("input[name=ms_weight]").fill("60")
    page.screenshot(path=str(artifacts / "projects-new-project-form.png"), full_page=True)
    page.click("form.card button[type=submit]")
    page.wait_for_selector("h1:has-text('秀峰街道背街小巷提质')")
    body = page.locator("main").inner_text()
    assert tree.city_bureau.name in body and "新大塘社区" in body and "谢伟" in body
    assert "完成设计" in body and "完工验收" in body
