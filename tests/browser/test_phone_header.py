"""The staff header on a phone (390×844): two rows however many sections a role sees, no sideways
scrolling of the page, and the current section in view. A screenshot per language is kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_the_staff_header_fits_a_phone_in_both_languages(
    live_server: Any, chromium: Any, tree: Any, cast: Any, artifacts: Path
) -> None:
    boss = cast.superuser(tree.city)  # the role with the most sections in the header
    context = chromium.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_mobile", boss.mobile)
        page.fill("#id_password", "Passw0rd!x")
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        for language in ("zh", "en"):
            if language == "en":
                page.click("form.lang button")
                page.wait_for_load_state("load")
            page.goto(f"{live_server.url}/projects/")
            facts = page.evaluate(
                """() => {
                  const header = document.querySelector("header.topbar").getBoundingClientRect();
                  const active = document.querySelector(".mainnav a.active").getBoundingClientRect();
                  const links = document.querySelectorAll(".mainnav a").length;
                  return {height: header.height, page: document.documentElement.scrollWidth,
                          left: active.left, right: active.right, links};
                }"""
            )
            page.screenshot(path=str(artifacts / f"phone-header-{language}.png"))
            assert facts["links"] >= 6, facts
            assert facts["page"] <= PHONE["width"], facts  # the page itself never scrolls sideways
            assert facts["height"] <= 110, facts  # two rows, not a column of sections
            assert facts["left"] >= 0 and facts["right"] <= PHONE["width"], facts
    finally:
        context.close()
