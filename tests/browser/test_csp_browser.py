"""Stored XSS cannot run: a script payload typed into a milestone name, a project name, a unit
name and a request's text and address shows as text on the project page (Gantt tooltip hovered),
the metrics page (chart tooltip hovered), the 挂图作战 board, the request pages and the map page;
no dialog opens, the Content-Security-Policy refuses nothing of the app's own, and the charts and
the map still draw. Screenshots are kept (in the shipped font: .ci/run runs this file with system
CJK fonts hidden)."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from banshi.accounts.roles import Role
from banshi.orgtree.models import OrgUnit
from banshi.projects import services
from banshi.workorders.location import forget_cache
from banshi.workorders.models import Category, UnitMonthStats
from banshi.workorders.services import SubmitInput, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAYLOAD = "<img src=x onerror=alert(1)>"
PASSWORD = "Passw0rd!x"


class Watch:
    """Everything a page must not do: open a dialog, break CSP, throw."""

    def __init__(self, page: Any) -> None:
        self.dialogs: list[str] = []
        self.refused: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", self._dialog)
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _console(self, message: Any) -> None:
        text = message.text
        if "Content Security Policy" in text or "Refused to" in text:
            self.refused.append(text)

    def assert_clean(self) -> None:
        assert self.dialogs == [], self.dialogs
        assert self.refused == [], self.refused
        assert self.errors == [], self.errors


def _seed(tree: Any, cast: Any) -> dict[str, Any]:
    # The unit's name is shown on the board, in the metrics chart and in its tooltip.
    OrgUnit.objects.filter(pk=tree.xiufeng.pk).update(name=f"{PAYLOAD}秀峰街道")
    forget_cache()
    tree.xiufeng.refresh_from_db()
    admin = cast.make(Role.ORG_ADMIN, tree.kaifu, name="开福管理员")
    today = timezone.localdate()
    project = services.project_create(
        actor=None,
        org_unit=tree.xiufeng,
        lead_unit=tree.xiufeng,
        data=services.ProjectData(
            name=f"{PAYLOAD}自来水改造",
            source="wish",
            field="utilities",
            target=f"{PAYLOAD}解决水压不足",
            target_quantity=326,
            target_unit="户",
            handling_type="deadline",
            start_date=today - datetime.timedelta(days=30),
            deadline=today + datetime.timedelta(days=60),
            responsible_person="梁建华",
            milestones=[
                services.MilestoneIn(PAYLOAD, today + datetime.timedelta(days=10), 40),
                services.MilestoneIn("竣工验收", today + datetime.timedelta(days=50), 60),
            ],
        ),
    )
    project_list = services.list_create(
        actor=None,
        org_unit=tree.kaifu,
        name="开福区为民办实事清单",
        level="district",
        year=today.year,
    )
    services.project_transition(actor=admin, project=project, action="screen")
    services.list_place(actor=admin, project=project, project_list=project_list)
    project.refresh_from_db()
    services.project_transition(actor=admin, project=project, action="approve")
    UnitMonthStats.objects.create(
        unit=tree.xiufeng,
        month=today.replace(day=1),
        dispatched=10,
        due_response=10,
        responded_on_time=9,
        rated=5,
        solved=4,
        satisfied=4,
        basic=1,
    )
    from banshi.workorders.taxonomy import load_taxonomy

    load_taxonomy(Category)  # an earlier transactional test may have flushed them
    order, _ = submit(
        actor=None,
        data=SubmitInput(
            channel="web",
            kind="complaint",
            category_id=Category.objects.get(code="010301").pk,
            content=f"{PAYLOAD}路面塌陷",
            address=f"{PAYLOAD}建湘路1号",
            caller_name=PAYLOAD,
            caller_phone="13812345678",
            org_unit=tree.datang,
        ),
    )
    return {"project": project, "order": order}


def _login(page: Any, base: str, user: Any) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_mobile", user.mobile)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def _hover_chart(page: Any, selector: str, point: str) -> Any:
    """Move the mouse onto a chart point (computed by ECharts) and return its tooltip."""
    page.locator(selector).scroll_into_view_if_needed()
    xy = page.evaluate(
        f"() => {{ const el = document.querySelector({selector!r}); const r = el.getBoundingClientRect();"
        f" const p = echarts.getInstanceByDom(el).convertToPixel({point});"
        " return [r.left + p[0], r.top + p[1]]; }"
    )
    page.mouse.move(xy[0] + 2, xy[1])
    tooltip = page.locator(f"{selector} > div:not(:first-child)").last
    tooltip.wait_for(state="visible")
    return tooltip


def test_a_script_payload_in_user_text_never_runs(
    live_server: Any, page: Any, tree: Any, cast: Any, artifacts: Path
) -> None:
    seeded = _seed(tree, cast)
    boss = cast.superuser(tree.city)
    base = live_server.url
    watch = Watch(page)
    _login(page, base, boss)

    # The project page: the Gantt tooltip shows the milestone name as text.
    response = page.goto(f"{base}/projects/{seeded['project'].pk}/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector("#milestone-chart canvas")
    tooltip = _hover_chart(page, "#milestone-chart", "{gridIndex: 0}, [Date.now() + 5 * 864e5, 0]")
    assert PAYLOAD in tooltip.inner_text()
    assert tooltip.locator("img").count() == 0
    assert PAYLOAD in page.locator("h1").inner_text()
    page.screenshot(path=str(artifacts / "xss-project-gantt-tooltip.png"), full_page=True)

    # The metrics page: the unit's name in the chart's axis tooltip.
    page.goto(f"{base}/workorders/metrics/?level=street")
    page.wait_for_selector("#chart-composite canvas")
    page.wait_for_selector("#chart-rates canvas")
    tooltip = _hover_chart(page, "#chart-composite", "{seriesIndex: 0}, [0, 50]")
    assert PAYLOAD in tooltip.inner_text()
    assert tooltip.locator("img").count() == 0
    page.screenshot(path=str(artifacts / "xss-metrics-tooltip.png"), full_page=True)

    # The 挂图作战 board: the unit row and the project's pin.
    page.goto(f"{base}/projects/board/")
    page.wait_for_selector("#board a.pin")
    assert PAYLOAD in page.locator("#board").inner_text()
    assert page.locator("#board img").count() == 0

    # The request's pages: text, address and caller as text.
    page.goto(f"{base}/workorders/{seeded['order'].pk}/")
    main = page.locator("main")
    assert f"{PAYLOAD}路面塌陷" in main.inner_text()
    assert main.locator("img[src=x]").count() == 0
    page.goto(f"{base}/workorders/list/")
    assert PAYLOAD in page.locator("main").inner_text()  # the title, shortened
    assert page.locator("main img[src=x]").count() == 0

    # The map page: the district outlines and their labels draw under the policy.
    page.context.clear_cookies()
    page.goto(f"{base}/ask/")
    page.wait_for_selector(".district-label:has-text('开福区')")
    assert page.locator("#map-picker .leaflet-interactive").count() > 0
    page.screenshot(path=str(artifacts / "xss-map-page.png"), full_page=True)

    watch.assert_clean()


def test_every_page_works_under_the_policy(
    live_server: Any, page: Any, tree: Any, cast: Any
) -> None:
    """Each page of the app, the admin and the API docs: nothing refused, nothing thrown; the
    org tree's +/− (an inline onclick before the policy) still folds and unfolds."""
    seeded = _seed(tree, cast)
    boss = cast.superuser(tree.city)
    base = live_server.url
    watch = Watch(page)
    _login(page, base, boss)
    pk, order = seeded["project"].pk, seeded["order"].pk
    for path in [
        "/",
        f"/org/{tree.kaifu.pk}/",
        "/workorders/",
        "/workorders/list/",
        "/workorders/intake/",
        f"/workorders/{order}/",
        "/projects/",
        "/projects/new/",
        "/projects/leader/",
        "/projects/lists/",
        "/projects/links/",
        "/projects/meetings/new/",
        "/projects/cadence/",
        "/projects/import/",
        f"/projects/{pk}/edit/",
        "/grid/households/",
        "/accounts/users/",
        "/accounts/roles/",
        "/audit/",
        "/audit/access/",
        "/inbox/",
        "/admin/",
        "/admin/orgtree/orgunit/",
        "/api/docs",
        "/public/projects/",
        "/ask/track/",
    ]:
        response = page.goto(f"{base}{path}")
        assert response is not None and response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        page.wait_for_load_state("load")
        assert watch.refused == [] and watch.errors == [], (path, watch.refused, watch.errors)

    page.goto(f"{base}/org/{tree.kaifu.pk}/")  # 开福区 and its streets, each with a toggle
    toggle = f"#node-{tree.xiufeng.pk} > .node .toggle"
    page.click(toggle)
    page.wait_for_selector(f"#node-{tree.datang.pk}")
    assert page.inner_text(toggle) == "−"
    page.click(toggle)
    page.wait_for_selector(f"#node-{tree.datang.pk}", state="detached")
    assert page.inner_text(toggle) == "+"
    page.click(toggle)
    page.wait_for_selector(f"#node-{tree.datang.pk}")
    watch.assert_clean()
