"""Volunteer service end to end on a phone (390×844): a resident registers and signs up, the
organiser approves and shows the QR code, the resident checks in and out by scanning it at the
place (the browser's geolocation), the organiser settles the hours, and the certificate verifies
on the public page without a login."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from banshi.accounts.roles import Role
from banshi.volunteers.models import SignUp
from banshi.volunteers.tests.conftest import LAT, LON, make_activity, run

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
PLACE = {"latitude": float(LAT) + 0.0004, "longitude": float(LON)}  # about 45 m away


def _login(page: Any, base: str, user: Any) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_mobile", user.mobile)
    page.fill("#id_password", "Passw0rd!x")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def _fits(page: Any) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways: {width}px"


def test_sign_up_check_in_by_qr_confirm_and_verify(
    live_server: Any, chromium: Any, tree: Any, cast: Any, artifacts: Path
) -> None:
    base = live_server.url
    organiser = cast.make(Role.COMMUNITY_WORKER, tree.datang, name="宋满秀")
    reviewer = cast.make(Role.ORG_ADMIN, tree.xiufeng, name="罗湘君")
    resident = cast.make(None, tree.datang, name="王小明")
    activity = run(make_activity(organiser, tree.datang), organiser, reviewer, "approve")

    phone = chromium.new_context(
        locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True,
        geolocation=PLACE, permissions=["geolocation"],
    )  # fmt: skip
    desk = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    public = chromium.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True)
    try:
        me = phone.new_page()
        me.set_default_timeout(15_000)
        _login(me, base, resident)
        me.goto(f"{base}/volunteers/")
        me.fill(".unitpicker input[type=search]", "新大塘")
        me.click(f"[data-pick-id='{tree.datang.pk}']")
        me.click("text=注册志愿者")
        number = me.text_content("[data-testid=volunteer-number]")
        assert number and number.startswith("CS")
        _fits(me)
        me.goto(f"{base}/volunteers/activities/{activity.pk}/")
        me.select_option("#post", "理发")
        me.click("form button[type=submit]:has-text('报名')")
        me.wait_for_selector("text=已报名，请等待组织方审核")
        _fits(me)

        desk_page = desk.new_page()
        desk_page.set_default_timeout(15_000)
        _login(desk_page, base, organiser)
        manage = f"{base}/volunteers/manage/{activity.pk}/"
        desk_page.goto(manage)
        desk_page.click("[data-testid=approve]")
        desk_page.click("button[data-step=start]")
        desk_page.wait_for_selector("[data-testid=activity-status]:has-text('进行中')")

        # The QR link opened away from the place is refused, and nothing is recorded.
        desk_page.goto(f"{manage}qr/?purpose=in")
        far = chromium.new_context(
            locale="zh-CN", viewport=PHONE, geolocation={"latitude": 28.3, "longitude": 113.0},
            permissions=["geolocation"],
        )  # fmt: skip
        try:
            other = far.new_page()
            _login(other, base, resident)
            other.goto(desk_page.input_value("[data-testid=qr-url]"))
            other.click("[data-testid=scan-submit]")
            other.wait_for_selector("[data-testid=scan-error]:has-text('超出')")
        finally:
            far.close()
        assert SignUp.objects.unscoped().get(volunteer__user=resident).checked_in_at is None

        for purpose, done in (("in", "签到成功"), ("out", "签退成功")):
            desk_page.goto(f"{manage}qr/?purpose={purpose}")
            assert desk_page.locator(".qr-code svg").count() == 1
            url = desk_page.input_value("[data-testid=qr-url]")
            assert "/volunteers/scan/?t=" in url
            me.goto(url)
            _fits(me)
            me.click("[data-testid=scan-submit]")
            me.wait_for_selector(f"[data-testid=scan-done]:has-text('{done}')")
        me.screenshot(path=str(artifacts / "volunteer-scan-phone.png"))
        signup = SignUp.objects.unscoped().get(volunteer__user=resident)
        assert signup.checked_in_at and signup.checked_out_at

        desk_page.goto(manage)
        desk_page.click("button[data-step=end]")
        desk_page.wait_for_selector("[data-testid=activity-status]:has-text('已结束')")
        # Scanning took seconds: the organiser enters the times from the sign-in sheet.
        now = timezone.localtime()
        row = desk_page.locator(f"#signup-{signup.pk}")
        row.locator("summary:has-text('更正时间')").click()
        row.locator("input[name=checked_in_at]").fill(
            (now - datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
        )
        row.locator("input[name=checked_out_at]").fill(
            (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
        )
        row.locator("input[name=reason]").fill("按签到表核实")
        row.locator("button:has-text('更正并确认')").click()
        desk_page.wait_for_selector("text=时长已更正并确认")
        assert SignUp.objects.unscoped().get(pk=signup.pk).credited_minutes == 120

        me.goto(f"{base}/volunteers/")
        assert me.text_content("[data-testid=total-hours]") == "2"
        me.click("text=按当前累计时长开具证书")
        me.wait_for_selector("text=已开具")
        code_text = me.text_content("li.card code")
        assert code_text and re.fullmatch(r"[A-Z0-9]{10}", code_text)
        _fits(me)

        check = public.new_page()
        check.goto(f"{base}/public/volunteers/verify/")
        check.fill("#code", code_text)
        check.click("button[type=submit]")
        check.wait_for_selector("[data-testid=verified]")
        assert check.text_content("[data-testid=verified-name]") == "王*明"
        assert "王小明" not in check.content()
        _fits(check)
        check.screenshot(path=str(artifacts / "volunteer-verify-phone.png"))
    finally:
        phone.close()
        desk.close()
        public.close()
