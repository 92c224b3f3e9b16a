"""Two people on one request: the second, acting on the version they saw, gets 409 and a clear
Chinese message instead of silently overwriting the first (page hidden field, API If-Match)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from banshi.accounts.roles import Role
from banshi.workorders.models import Event

pytestmark = pytest.mark.django_db


def test_two_dispatchers_on_one_page_the_second_gets_409(orders: Any, tree: Any, cast: Any) -> None:
    order = orders.at("received")
    first, second = Client(), Client()
    first.force_login(cast.make(Role.DISPATCHER, tree.kaifu, name="王敏"))
    second.force_login(cast.make(Role.DISPATCHER, tree.kaifu, name="李娜"))
    for client in (first, second):
        page = client.get(f"/workorders/{order.pk}/").content.decode()
        assert f'name="version" value="{order.version}"' in page
    url = f"/workorders/{order.pk}/act/note/"
    ok = first.post(url, {"note": "来电人已再次来电催促", "version": order.version})
    assert ok.status_code == 302
    stale = second.post(url, {"note": "同一件事，另一人记录", "version": order.version})
    assert stale.status_code == 409
    assert "您看到的是旧版本" in stale.content.decode()
    notes = list(Event.objects.filter(order=order, action="note").values_list("note", flat=True))
    assert notes == ["来电人已再次来电催促"]
    # Reloaded, the page carries the new version and the same note goes through.
    order.refresh_from_db()
    again = second.post(url, {"note": "同一件事，另一人记录", "version": order.version})
    assert again.status_code == 302


def test_api_if_match_etag(client: Client, orders: Any, tree: Any, cast: Any) -> None:
    order = orders.at("received")
    client.force_login(cast.make(Role.DISPATCHER, tree.kaifu))
    detail = client.get(f"/api/v1/workorders/{order.pk}")
    tag = detail["ETag"]
    assert tag == f'"{order.version}"'
    url = f"/api/v1/workorders/{order.pk}/actions/note"
    body = {"data": {"note": "已核实地址"}}
    ok = client.post(url, body, content_type="application/json", headers={"If-Match": tag})
    assert ok.status_code == 200 and ok["ETag"] == f'"{order.version + 1}"'
    stale = client.post(url, body, content_type="application/json", headers={"If-Match": tag})
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version"
    weak = client.post(
        url, body, content_type="application/json", headers={"If-Match": f"W/{ok['ETag']}"}
    )
    assert weak.status_code == 200
    for junk in ("abc", '"-1"', "1" * 20, "１２"):
        bad = client.post(url, body, content_type="application/json", headers={"If-Match": junk})
        assert bad.status_code == 400 and bad.json()["code"] == "invalid_version", junk
    # Without If-Match an older client still works.
    assert client.post(url, body, content_type="application/json").status_code == 200
    assert Event.objects.filter(order=order, action="note").count() == 3
