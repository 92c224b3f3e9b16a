"""The suggestion boxes on the operator's intake form and the citizen's /ask/ form."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from banshi.accounts.roles import Role
from banshi.core.models import ThrottleEvent
from banshi.insight import views

from .conftest import leaf

OIL = "楼下新开的烧烤店每天晚上油烟直排，熏得我们家窗户都不敢开"


def _inline_scripts(html: str) -> list[str]:
    """Script elements a strict CSP (script-src 'self') would block: no src and not data."""
    tags = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    return [t for t in tags if 'type="application/json"' not in t]


def test_the_intake_form_carries_the_suggestion_box_without_inline_script(
    client: Client, cast: Any, tree: Any
) -> None:
    client.force_login(cast.make(Role.OPERATOR, tree.city))
    html = client.get("/workorders/intake/").content.decode()
    assert 'id="suggest-box"' in html and 'hx-post="/insight/suggest/"' in html
    assert 'hx-params="content,title,address"' in html
    assert _inline_scripts(html) == []


def test_the_operator_gets_categories_to_click_and_units_to_read(
    client: Client, cast: Any, model: Any, tree: Any
) -> None:
    client.force_login(cast.make(Role.OPERATOR, tree.city))
    response = client.post("/insight/suggest/", {"content": OIL, "address": "开福区秀峰街道"})
    assert response.status_code == 200
    html = response.content.decode()
    oil = leaf("020201")
    assert "推荐分类（模型 v1）" in html
    assert f'data-suggest-category="{oil.pk}"' in html
    assert f'data-suggest-parents="{oil.parent.parent_id},{oil.parent_id}"' in html
    assert "建议承办单位" in html and "秀峰街道" in html
    waiting = client.post("/insight/suggest/", {"content": "油烟"}).content.decode()
    assert "输入诉求内容后" in waiting
    too_long = client.post("/insight/suggest/", {"content": "油烟" * 2001})
    assert too_long.status_code == 400 and "不能超过4000个字符" in too_long.content.decode()


def test_typed_markup_comes_back_escaped(client: Client, cast: Any, model: Any, tree: Any) -> None:
    client.force_login(cast.make(Role.OPERATOR, tree.city))
    html = client.post(
        "/insight/suggest/", {"content": OIL, "address": "<img src=x onerror=alert(1)>"}
    ).content.decode()
    assert "<img" not in html


def test_only_those_who_record_or_dispatch_requests_may_ask(
    client: Client, cast: Any, tree: Any
) -> None:
    client.force_login(cast.make(Role.HANDLER, tree.kaifu))
    assert client.post("/insight/suggest/", {"content": OIL}).status_code == 403
    client.logout()
    assert client.post("/insight/suggest/", {"content": OIL}).status_code == 302  # to login


def test_the_citizen_form_proposes_categories_only(client: Client, model: Any, db: Any) -> None:
    page = client.get("/ask/").content.decode()
    assert 'hx-post="/insight/ask/suggest/"' in page and 'hx-params="content,title"' in page
    assert _inline_scripts(page) == []
    response = client.post("/insight/ask/suggest/", {"content": OIL, "address": "开福区"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-suggest-category="{leaf("020201").pk}"' in html
    assert "承办单位" not in html


def test_the_citizen_suggestions_are_throttled_per_address(
    client: Client, model: Any, db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "ASK_LIMIT", 3)
    for _ in range(3):
        assert client.post("/insight/ask/suggest/", {"content": OIL}).status_code == 200
    refused = client.post("/insight/ask/suggest/", {"content": OIL})
    assert refused.status_code == 429
    assert "尝试次数过多" in refused.content.decode()
    assert ThrottleEvent.objects.filter(scope="insight.ask").count() == 3


def test_a_citizen_typing_another_language_is_told_the_suggestion_is_uncertain(
    client: Client, model: Any, db: Any
) -> None:
    html = client.post(
        "/insight/ask/suggest/", {"content": "no water since this morning"}
    ).content.decode()
    assert "把握不大" in html and "中文过少" in html


def test_the_admin_shows_the_assistants_records_read_only(
    client: Client, cast: Any, model: Any, tree: Any
) -> None:
    client.force_login(cast.superuser(tree.city))
    for name in ("categorymodel", "dispatchdecision", "proposal", "monthlytopic"):
        assert client.get(f"/admin/insight/{name}/").status_code == 200, name
        assert client.get(f"/admin/insight/{name}/add/").status_code == 403, name
    assert client.get(f"/admin/insight/categorymodel/{model.pk}/change/").status_code == 200
