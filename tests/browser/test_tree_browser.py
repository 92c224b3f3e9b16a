"""A street admin logs in, browses the tree, cannot see a sibling street; a screenshot is kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from banshi.accounts.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_street_admin_browses_own_subtree_only(
    live_server: Any, page: Any, tree: Any, cast: Any, artifacts: Path
) -> None:
    admin = cast.make(Role.ORG_ADMIN, tree.xiufeng, name="罗湘君")
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.locator("h1").inner_text() == "工作人员登录"
    page.fill("#id_mobile", admin.mobile)
    page.fill("#id_password", "Passw0rd!x")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert "罗湘君" in page.locator(".who").inner_text()

    page.click("text=组织架构")
    page.wait_for_selector(f"#node-{tree.xiufeng.pk}")
    # Expand 秀峰街道 → 新大塘社区 → its branch, level by level.
    page.click(f"#node-{tree.xiufeng.pk} > .node .toggle")
    page.wait_for_selector(f"#node-{tree.datang.pk}")
    page.click(f"#node-{tree.datang.pk} > .node .toggle")
    page.wait_for_selector(f"#node-{tree.branch.pk}")
    assert "1 户" in page.locator(f"#node-{tree.datang.pk} > .node .counts").inner_text()
    body = page.locator("main").inner_text()
    assert "新河街道" not in body and "雨花区" not in body

    # Searching for the sibling street finds nothing.
    page.fill("input[name=q]", "新河")
    page.wait_for_selector("#search-results")
    assert "没有找到匹配的单位" in page.locator("#search-results").inner_text()
    page.screenshot(path=str(artifacts / "tree-browser-street-admin.png"), full_page=True)

    # Typing the sibling's address directly answers 404 in Chinese.
    response = page.goto(f"{live_server.url}/org/{tree.xinhe.pk}/")
    assert response is not None and response.status == 404
    assert "不在您的管辖范围内" in page.locator("main").inner_text()
