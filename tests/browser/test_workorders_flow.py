"""接诉即办 end to end in Chromium: a citizen submits on a phone and tracks the request; a
dispatcher dispatches; the street's handler signs, contacts and replies with a photo; the
dispatcher audits; the citizen rates; after a refresh the ranking shows the street."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from banshi.accounts.roles import Role
from banshi.workorders.location import forget_cache
from banshi.workorders.models import WorkOrder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Passw0rd!x"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360f80f0000010100005a4d6c8b0000000049454e44ae426082"
)


def _ensure_taxonomy() -> None:
    """An earlier transactional test may have flushed the migration-seeded categories."""
    from banshi.workorders.models import Category
    from banshi.workorders.taxonomy import load_taxonomy

    load_taxonomy(Category)


def _login(page: Any, base: str, user: Any) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_mobile", user.mobile)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def _logout(page: Any, base: str) -> None:
    page.click(".me form button")
    page.wait_for_url(f"{base}/accounts/login/")


def _act(page: Any, action: str) -> None:
    page.click(f"#act-{action} summary")
    page.click(f"#act-{action} button[data-action={action}]")
    page.wait_for_load_state("load")


def test_a_request_travels_from_a_phone_to_the_ranking(
    live_server: Any, page: Any, tree: Any, cast: Any, artifacts: Path
) -> None:
    _ensure_taxonomy()
    forget_cache()  # street and community names are cached per process; this test made new ones
    base = live_server.url
    dispatcher = cast.make(Role.DISPATCHER, tree.kaifu, name="派单员周敏")
    handler = cast.make(Role.HANDLER, tree.xiufeng, name="秀峰街道联络员")

    # 1. The citizen, on a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/accounts/login/")
    page.click("text=群众提交诉求、查询进度")
    page.wait_for_url(f"{base}/ask/")
    page.click("label:has-text('投诉')")
    page.select_option("#id_category_1", label="城市管理")
    page.select_option("#id_category_2", label="市政设施")
    page.select_option("#id_category", label="道路破损")
    page.fill("#id_content", "建湘路1号门前路面塌陷，雨天积水，老人出行不便，请尽快修复。")
    page.fill("#id_address", "开福区秀峰街道新大塘社区建湘路1号")
    # Pick the point on the offline district map: click the middle of 开福区's outline.
    page.wait_for_selector(".district-label:has-text('开福区')")
    page.locator("#map-picker").scroll_into_view_if_needed()
    label = page.locator(".district-label:has-text('开福区')").bounding_box()
    page.mouse.click(label["x"] + label["width"] / 2, label["y"] + label["height"] / 2)
    assert "已选位置" in page.inner_text("#map-point")
    page.fill("#id_caller_name", "张秀英")
    page.fill("#id_caller_phone", "13812345678")
    page.screenshot(path=str(artifacts / "citizen-submit-phone.png"), full_page=True)
    page.click("#ask-submit")
    page.wait_for_url(f"{base}/ask/done/")
    number = page.inner_text("#done-number").strip()
    page.screenshot(path=str(artifacts / "citizen-done-phone.png"), full_page=True)
    order = WorkOrder.objects.get(number=number)
    assert order.org_unit == tree.datang and order.latitude is not None

    page.click("a.btn:has-text('查询办理进度')")
    page.fill("#id_proof", "5678")
    page.click("#track-form button[type=submit]")
    assert page.inner_text("#track-status") == "已受理"

    # 2. The district dispatcher dispatches to 秀峰街道.
    page.set_viewport_size({"width": 1280, "height": 900})
    _login(page, base, dispatcher)
    page.click("text=接诉即办")
    page.click("#queue-to_dispatch")
    page.click(f"text={number}")
    page.click("#act-dispatch summary")
    page.click("#act-dispatch [data-pick-name='秀峰街道']")
    assert (
        page.inner_text("#act-dispatch .unitpicker[data-name=lead_unit] [data-picked]")
        == "秀峰街道"
    )
    page.click("#act-dispatch button[data-action=dispatch]")
    page.wait_for_selector("#order-status:has-text('已派单')")
    assert page.inner_text("#lead-unit") == "秀峰街道"
    _logout(page, base)

    # 3. The street's handler signs, makes first contact and replies with a photo.
    _login(page, base, handler)
    page.goto(f"{base}/workorders/queues/to_sign/")
    page.click(f"text={number}")
    _act(page, "sign")
    page.wait_for_selector("#order-status:has-text('已签收')")
    page.click("#act-contact summary")
    page.fill("#act-contact textarea[name=note]", "已电话联系张女士，约定今日现场查看")
    page.click("#act-contact button[data-action=contact]")
    page.wait_for_selector("#order-status:has-text('办理中')")
    page.click("#act-reply summary")
    page.fill("#reply-result", "已组织施工队修补路面并疏通排水，现场已恢复通行。")
    page.check("#act-reply input[name=solved][value='1']")
    page.set_input_files(
        "#reply-files", files=[{"name": "修复后.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.click("#act-reply button[data-action=reply]")
    page.wait_for_selector("#order-status:has-text('已答复')")
    assert page.locator("#attachments img").count() == 1
    page.screenshot(path=str(artifacts / "unit-replied.png"), full_page=True)
    _logout(page, base)

    # 4. The dispatcher audits the reply.
    _login(page, base, dispatcher)
    page.goto(f"{base}/workorders/queues/to_audit/")
    page.click(f"text={number}")
    _act(page, "audit_pass")
    page.wait_for_selector("#order-status:has-text('待回访')")
    _logout(page, base)

    # 5. The citizen rates on the phone.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/ask/track/?number={number}")
    page.fill("#id_proof", "5678")
    page.click("#track-form button[type=submit]")
    page.wait_for_selector("#rate-form")
    assert "已组织施工队修补路面" in page.inner_text("#timeline")
    page.check("#rate-form input[name=resolution][value=solved]")
    page.check("#rate-form input[name=satisfaction][value=satisfied]")
    page.fill("#id_comment", "修得很快，谢谢！")
    page.click("#rate-form button[type=submit]")
    page.wait_for_selector("#track-status:has-text('办结归档')")
    page.screenshot(path=str(artifacts / "citizen-rated-phone.png"), full_page=True)
    order.refresh_from_db()
    assert order.satisfaction == "satisfied" and order.resolution == "solved"

    # 6. The ranking, after refreshing this month's rollups, shows the street.
    page.set_viewport_size({"width": 1280, "height": 900})
    _login(page, base, dispatcher)
    page.goto(f"{base}/workorders/metrics/?level=street")
    page.click("#refresh-month")
    page.wait_for_selector("#ranking td:has-text('秀峰街道')")
    row = page.locator("#ranking tr", has_text="秀峰街道").inner_text()
    assert "100.00" in row
    page.wait_for_selector("#chart-composite canvas")
    page.screenshot(path=str(artifacts / "ranking.png"), full_page=True)
