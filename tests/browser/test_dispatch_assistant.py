"""The dispatch assistant in Chromium: the operator types a request and takes the suggested
category with one click; the dispatcher takes the suggested category and unit in the dispatch
form with one click each, and the decision is recorded as accepted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from banshi.accounts.roles import Role
from banshi.insight import engine
from banshi.insight.models import DispatchDecision
from banshi.insight.services import model_train
from banshi.workorders.location import forget_cache
from banshi.workorders.models import Category, WorkOrder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Passw0rd!x"
LIGHTS = "新大塘小区门口那排路灯坏了一个多月了，晚上黑漆漆的，老人出门很不方便"


def _login(page: Any, base: str, user: Any) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_mobile", user.mobile)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_suggestions_are_one_click_away_for_the_operator_and_the_dispatcher(
    live_server: Any, page: Any, tree: Any, cast: Any, artifacts: Path
) -> None:
    from banshi.workorders.taxonomy import load_taxonomy

    load_taxonomy(Category)  # an earlier transactional test may have flushed it
    forget_cache()
    engine.forget()
    model_train(actor=None)
    base = live_server.url
    lights = Category.objects.get(code="010303")
    operator = cast.make(Role.OPERATOR, tree.kaifu, name="话务员")
    dispatcher = cast.make(Role.DISPATCHER, tree.kaifu, name="派单员")

    _login(page, base, operator)
    page.goto(f"{base}/workorders/intake/")
    page.fill("#id_caller_phone", "13812345678")
    page.fill("#id_address", "开福区秀峰街道新大塘社区建湘路")
    page.fill("#id_content", LIGHTS)
    first = page.locator("#suggest-box [data-suggest-category]").first
    first.wait_for()
    assert first.get_attribute("data-suggest-category") == str(lights.pk)
    first.click()
    assert page.input_value("#id_category") == str(lights.pk)
    assert page.input_value("#id_category_2") == str(lights.parent_id)
    page.screenshot(path=str(artifacts / "dispatch-assistant-intake.png"), full_page=True)
    page.click("#intake-form button[type=submit]")
    page.wait_for_selector("#order-number")
    order = WorkOrder.objects.get(number=page.inner_text("#order-number").strip())
    assert order.category == lights
    page.click(".me form button")
    page.wait_for_url(f"{base}/accounts/login/")

    # The request was recorded under the wrong leaf; the dispatcher takes the suggestion.
    WorkOrder.objects.filter(pk=order.pk).update(category=Category.objects.get(code="010301"))
    _login(page, base, dispatcher)
    page.goto(f"{base}/workorders/{order.pk}/")
    page.click("#act-dispatch summary")
    page.click(f"#act-dispatch .dispatch-suggest [data-suggest-category='{lights.pk}']")
    assert page.input_value("#act-dispatch input[data-suggest-target]") == str(lights.pk)
    page.click("#act-dispatch .dispatch-suggest [data-pick-name='秀峰街道']")
    picked = "#act-dispatch .unitpicker[data-name=lead_unit] [data-picked]"
    assert page.inner_text(picked) == "秀峰街道"
    page.screenshot(path=str(artifacts / "dispatch-assistant-dispatch.png"), full_page=True)
    page.click("#act-dispatch button[data-action=dispatch]")
    page.wait_for_selector("#order-status:has-text('已派单')")
    order.refresh_from_db()
    assert order.category == lights and order.lead_unit == tree.xiufeng
    decision = DispatchDecision.objects.get(order=order)
    assert decision.category_before.code == "010301"
    assert (decision.category_rank, decision.unit_rank) == (1, 1)
