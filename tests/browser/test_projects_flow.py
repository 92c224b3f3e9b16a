"""实事项目 in Chromium: the unit reports progress, the supervisor approves it and the pin on the
挂图作战 board changes colour; the 销号 application passes the on-site check and the residents'
evaluation, and the project appears on the public page. A screenshot is kept."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from banshi.accounts.roles import Role
from banshi.notify.models import Message
from banshi.projects import services
from banshi.projects.choices import ConfirmParty, Status
from banshi.projects.models import Project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Passw0rd!x"


def _login(page: Any, base: str, user: Any) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_mobile", user.mobile)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def _open(page: Any, selector: str) -> None:
    page.click(f"{selector} > summary")


def _pin_colour(page: Any, base: str, project: Project) -> str:
    page.goto(f"{base}/projects/board/")
    return str(page.get_attribute(f"a.pin[data-number='{project.number}']", "data-colour"))


def test_progress_approval_colour_and_closing_to_the_public_page(
    live_server: Any,
    page: Any,
    tree: Any,
    cast: Any,
    artifacts: Path,
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PROJECTS_MIN_EVALUATIONS = 1
    base = live_server.url
    leader = cast.make(Role.LEADER, tree.kaifu, name="谢伟")
    handler = cast.make(Role.HANDLER, tree.xiufeng, name="梁建华")
    supervisor = cast.make(Role.SUPERVISOR, tree.kaifu, name="谢桂香")
    today = timezone.localdate()
    project_list = services.list_create(
        actor=None,
        org_unit=tree.kaifu,
        name="开福区为民办实事清单",
        level="district",
        year=today.year,
    )
    project = services.project_create(
        actor=None,
        org_unit=tree.xiufeng,
        lead_unit=tree.xiufeng,
        lead_leader=leader,
        data=services.ProjectData(
            name="新大塘社区自来水改造",
            source="wish",
            field="utilities",
            target="解决居民自来水水压不足",
            target_quantity=326,
            target_unit="户",
            handling_type="immediate",
            start_date=today - datetime.timedelta(days=30),
            deadline=today + datetime.timedelta(days=30),
            responsible_person="梁建华",
        ),
    )
    services.list_place(actor=None, project=project, project_list=project_list)
    for action in ("screen", "approve", "assign"):
        project = services.project_transition(actor=None, project=project, action=action)
    services.project_confirm(actor=leader, project=project, party=ConfirmParty.LEADER)
    project = services.project_confirm(actor=handler, project=project, party=ConfirmParty.UNIT)
    assert project.status == Status.IN_PROGRESS

    # Halfway through its time with nothing approved: yellow on the board.
    _login(page, base, supervisor)
    assert _pin_colour(page, base, project) == "yellow"

    # The unit reports the work done.
    _login(page, base, handler)
    page.goto(f"{base}/projects/{project.pk}/")
    _open(page, "#report-form")
    page.fill("#r-text", "全部326户已通水，水压达标")
    page.fill("#r-percent", "100")
    page.fill("#r-funds", "82.5")
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("tr.report[data-status=submitted]")

    # The supervisor approves it; the pin turns green.
    _login(page, base, supervisor)
    page.goto(f"{base}/projects/{project.pk}/")
    page.click(".review-form button[value=approve]")
    page.wait_for_selector("tr.report[data-status=approved]")
    assert page.locator("#project-progress").inner_text() == "100%"
    assert _pin_colour(page, base, project) == "green"

    # The unit uploads evidence and applies for 销号.
    _login(page, base, handler)
    page.goto(f"{base}/projects/{project.pk}/")
    _open(page, "#upload-form")
    page.select_option("#a-kind", "evidence")
    page.set_input_files(
        "#a-file",
        files=[
            {
                "name": "通水验收单.pdf",
                "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4\n%demo\n",
            }
        ],
    )
    page.click("#upload-form button[type=submit]")
    page.wait_for_selector("text=通水验收单.pdf")
    _open(page, "details[data-action=claim]")
    page.fill("#note-claim", "已全部完工，申请销号")
    page.click("details[data-action=claim] button[type=submit]")
    page.wait_for_selector("#project-status:has-text('申请销号')")
    survey = page.get_attribute("#survey-link", "href")

    # The supervisor checks on site and passes it.
    _login(page, base, supervisor)
    page.goto(f"{base}/projects/{project.pk}/")
    _open(page, "#inspection-form")
    page.select_option("#i-purpose", "verification")
    moment = timezone.localtime() + datetime.timedelta(minutes=2)
    page.fill("#i-at", moment.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#i-place", "新大塘社区3栋")
    page.fill("#i-findings", "入户查看水压正常")
    page.click("#inspection-form button[type=submit]")
    page.wait_for_selector("text=入户查看水压正常")
    _open(page, "details[data-action=verify]")
    page.click("details[data-action=verify] button[type=submit]")
    page.wait_for_selector("#project-status:has-text('已验收')")

    # A resident of the community evaluates through the survey link, without logging in: the
    # mobile in the household register gets an SMS code (read here from the outbox).
    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}{survey}")
    page.fill("#s-phone", "13812345678")
    page.click("#s-send")
    page.wait_for_selector("#code-sent")
    page.screenshot(path=str(artifacts / "projects-survey-phone.png"), full_page=True)
    sms = Message.objects.filter(template="projects.survey_code").latest("id")
    page.fill("#s-code", re.search(r"验证码(\d{6})", sms.body).group(1))  # type: ignore[union-attr]
    page.check("input[value=satisfied]")
    page.fill("#s-comment", "水压好了，谢谢")
    page.click("#s-submit")
    page.wait_for_selector("#survey-thanks")
    page.set_viewport_size({"width": 1280, "height": 800})

    # 销号 and 公示.
    _login(page, base, supervisor)
    page.goto(f"{base}/projects/{project.pk}/")
    assert page.locator("#satisfaction-rate").inner_text() == "100%"
    _open(page, "details[data-action=close]")
    page.click("details[data-action=close] button[type=submit]")
    page.wait_for_selector("#project-status:has-text('已销号')")
    page.click("text=公示晒单")
    page.wait_for_selector("text=公示页面")

    page.context.clear_cookies()
    page.goto(f"{base}/public/projects/")
    page.click("text=新大塘社区自来水改造")
    assert page.locator("#public-title").inner_text() == "新大塘社区自来水改造"
    body = page.locator("main").inner_text()
    assert "谢伟" not in body and "梁建华" not in body and handler.mobile not in body
    page.screenshot(path=str(artifacts / "projects-public-page.png"), full_page=True)
    assert Project.objects.get(pk=project.pk).published_at is not None
