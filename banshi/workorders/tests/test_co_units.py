"""Co-units (协办单位): a request dispatched with co-units reaches each co-unit's queue and its
workbench count; a co-unit signs for its part and sends its opinion (协办意见), which the lead
unit sees before replying; it cannot act as the lead; an unrelated unit gets 404."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from banshi.accounts.roles import Role
from banshi.core.errors import NotFound, PermissionDenied, ValidationFailed
from banshi.notify.models import Message
from banshi.workorders import selectors
from banshi.workorders.choices import Status
from banshi.workorders.models import Event, WorkOrder, WorkOrderCoUnit
from banshi.workorders.services import transition

from .conftest import NOW


def _as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _ids(user: Any, queue: str) -> list[int]:
    return [o.pk for o in selectors.queue(user, queue, now=NOW)]


def test_a_co_unit_finds_the_order_in_its_queues_and_workbench_count(
    orders: Any, tree: Any, cast: Any
) -> None:
    order = orders.at("dispatched", co=[tree.city_bureau])
    orders.at("dispatched")  # led by 秀峰街道, no co-unit: not the bureau's work
    bureau = cast.make(Role.HANDLER, tree.city_bureau)
    assert _ids(bureau, "co_to_sign") == [order.pk]
    assert _ids(bureau, "co_in_progress") == [] and _ids(bureau, "to_sign") == []
    text = _as(bureau).get("/workorders/").content.decode()
    assert 'id="queue-co_to_sign"><b>1</b>协办待签收' in text
    assert 'id="queue-co_in_progress"><b>0</b>协办待反馈' in text
    assert 'id="queue-to_sign"><b>0</b>待签收' in text
    page = _as(bureau).get("/workorders/queues/co_to_sign/").content.decode()
    assert order.number in page

    transition(actor=bureau, order=order, action="co_sign", now=NOW)
    assert _ids(bureau, "co_to_sign") == [] and _ids(bureau, "co_in_progress") == [order.pk]
    transition(actor=bureau, order=order, action="co_reply", data={"opinion": "已核查"}, now=NOW)
    assert _ids(bureau, "co_in_progress") == []
    # The lead unit's queue is untouched by the co-unit's part.
    lead = cast.make(Role.HANDLER, tree.xiufeng)
    assert order.pk in _ids(lead, "to_sign") and _ids(lead, "co_to_sign") == []


def test_the_api_queue_lists_the_co_units_work(
    client: Client, orders: Any, tree: Any, cast: Any
) -> None:
    order = orders.at("dispatched", co=[tree.city_bureau])
    client.force_login(cast.make(Role.HANDLER, tree.city_bureau))
    body = client.get("/api/v1/workorders/queues/co_to_sign").json()
    assert [item["id"] for item in body["items"]] == [order.pk]


def test_a_co_unit_signs_and_sends_its_opinion_which_the_lead_sees_before_replying(
    orders: Any, tree: Any, cast: Any
) -> None:
    lead = cast.make(Role.HANDLER, tree.xiufeng)
    bureau = cast.make(Role.HANDLER, tree.city_bureau)
    order = orders.at("in_progress", co=[tree.city_bureau])
    assert Message.objects.filter(recipient=bureau, template="workorder.co_dispatched").exists()

    client = _as(bureau)
    page = client.get(f"/workorders/{order.pk}/").content.decode()
    assert 'id="act-co_sign"' in page and 'id="act-co_reply"' not in page
    assert 'id="act-reply"' not in page and 'id="act-request_extension"' not in page
    assert client.post(f"/workorders/{order.pk}/act/co_sign/").status_code == 302
    page = client.get(f"/workorders/{order.pk}/").content.decode()
    assert 'id="act-co_sign"' not in page and 'id="act-co_reply"' in page
    response = client.post(
        f"/workorders/{order.pk}/act/co_reply/", {"opinion": "占道摊点已由执法中队清理"}
    )
    assert response.status_code == 302

    part = WorkOrderCoUnit.objects.get(order=order)
    assert part.signed_at is not None and part.opinion_at is not None
    assert part.opinion == "占道摊点已由执法中队清理"
    fresh = WorkOrder.objects.get(pk=order.pk)
    assert fresh.status == Status.IN_PROGRESS and fresh.version == order.version + 2
    event = Event.objects.filter(order=order, action="co_reply").get()
    assert event.actor == bureau and event.side == "co_unit" and not event.public
    assert Message.objects.filter(recipient=lead, template="workorder.co_replied").exists()

    page = _as(lead).get(f"/workorders/{order.pk}/").content.decode()
    assert 'id="co-opinions"' in page and "占道摊点已由执法中队清理" in page
    assert 'id="act-reply"' in page and 'id="reply-co-hint"' in page
    assert "尚未提交协办意见" not in page
    assert "提交协办意见（长沙市城市管理和综合执法局）" in page  # on the timeline


def test_the_reply_form_names_co_units_that_have_not_answered_yet(
    orders: Any, tree: Any, cast: Any
) -> None:
    order = orders.at("in_progress", co=[tree.city_bureau])
    page = _as(cast.make(Role.HANDLER, tree.xiufeng)).get(f"/workorders/{order.pk}/")
    text = page.content.decode()
    assert "尚未提交协办意见：长沙市城市管理和综合执法局" in text


def test_a_co_unit_cannot_act_as_the_lead(
    client: Client, orders: Any, tree: Any, cast: Any
) -> None:
    order = orders.at("dispatched", co=[tree.city_bureau])
    bureau = cast.make(Role.HANDLER, tree.city_bureau)
    with pytest.raises(PermissionDenied, match="只有主办单位可以签收"):
        transition(actor=bureau, order=order, action="sign", now=NOW)
    response = _as(bureau).post(f"/workorders/{order.pk}/act/sign/")
    assert response.status_code == 403 and "只有主办单位可以签收" in response.content.decode()
    client.force_login(bureau)
    response = client.post(
        f"/api/v1/workorders/{order.pk}/actions/request_return",
        data=json.dumps({"data": {"reason": "不属于本单位"}}),
        content_type="application/json",
    )
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    fresh = WorkOrder.objects.get(pk=order.pk)
    assert fresh.status == Status.DISPATCHED and fresh.version == order.version


def test_the_lead_cannot_act_for_a_co_unit(orders: Any, tree: Any, cast: Any) -> None:
    order = orders.at("dispatched", co=[tree.city_bureau])
    lead = cast.make(Role.HANDLER, tree.xiufeng)
    with pytest.raises(PermissionDenied, match="只有协办单位可以协办签收"):
        transition(actor=lead, order=order, action="co_sign", now=NOW)
    assert WorkOrderCoUnit.objects.get(order=order).signed_at is None


def test_a_co_unit_signs_once_and_answers_only_after_signing(
    orders: Any, tree: Any, cast: Any
) -> None:
    order = orders.at("dispatched", co=[tree.city_bureau])
    bureau = cast.make(Role.HANDLER, tree.city_bureau)
    with pytest.raises(ValidationFailed) as early:
        transition(actor=bureau, order=order, action="co_reply", data={"opinion": "x"}, now=NOW)
    assert early.value.code == "co_not_signed"
    order = transition(actor=bureau, order=order, action="co_sign", now=NOW)
    with pytest.raises(ValidationFailed) as again:
        transition(actor=bureau, order=order, action="co_sign", now=NOW)
    assert again.value.code == "co_already_signed"
    with pytest.raises(ValidationFailed, match="协办意见"):
        transition(actor=bureau, order=order, action="co_reply", data={"opinion": " "}, now=NOW)


def test_the_co_units_part_ends_when_the_request_leaves_the_units(
    orders: Any, tree: Any, cast: Any
) -> None:
    order = orders.at("replied", co=[tree.city_bureau])
    bureau = cast.make(Role.HANDLER, tree.city_bureau)
    assert _ids(bureau, "co_to_sign") == []
    with pytest.raises(ValidationFailed, match="不能协办签收"):
        transition(actor=bureau, order=order, action="co_sign", now=NOW)


def test_a_user_over_two_co_units_chooses_which_one_answers(
    orders: Any, tree: Any, cast: Any
) -> None:
    order = orders.at("dispatched", lead=tree.city_bureau, co=[tree.xiufeng, tree.xinhe])
    district = cast.make(Role.HANDLER, tree.kaifu)
    page = _as(district).get(f"/workorders/{order.pk}/").content.decode()
    assert 'id="co-unit-co_sign"' in page  # a choice of the two parts
    with pytest.raises(ValidationFailed) as exc:
        transition(actor=district, order=order, action="co_sign", now=NOW)
    assert exc.value.code == "co_unit_required"
    order = transition(
        actor=district, order=order, action="co_sign", data={"unit": tree.xinhe.pk}, now=NOW
    )
    signed = {p.unit_id: p.signed_at for p in WorkOrderCoUnit.objects.filter(order=order)}
    assert signed[tree.xinhe.pk] is not None and signed[tree.xiufeng.pk] is None
    # Only one part is left to sign, so no choice is needed any more.
    order = transition(actor=district, order=order, action="co_sign", now=NOW)
    assert WorkOrderCoUnit.objects.filter(order=order, signed_at__isnull=True).count() == 0
    street = cast.make(Role.HANDLER, tree.xiufeng)
    with pytest.raises(NotFound):
        transition(
            actor=street,
            order=order,
            action="co_reply",
            data={"unit": tree.xinhe.pk, "opinion": "代新河街道答复"},
            now=NOW,
        )


def test_an_unrelated_unit_gets_404(client: Client, orders: Any, tree: Any, cast: Any) -> None:
    order = orders.at("dispatched", co=[tree.city_bureau])
    outsider = cast.make(Role.HANDLER, tree.tiaoma)
    with pytest.raises(NotFound):
        transition(actor=outsider, order=order, action="co_sign", now=NOW)
    assert _ids(outsider, "co_to_sign") == []
    web = _as(outsider)
    assert web.get(f"/workorders/{order.pk}/").status_code == 404
    assert web.post(f"/workorders/{order.pk}/act/co_sign/").status_code == 404
    client.force_login(outsider)
    response = client.post(
        f"/api/v1/workorders/{order.pk}/actions/co_sign",
        data=json.dumps({"data": {}}),
        content_type="application/json",
    )
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert WorkOrderCoUnit.objects.get(order=order).signed_at is None


def test_the_api_shows_each_co_units_part_and_takes_its_actions(
    client: Client, orders: Any, tree: Any, cast: Any
) -> None:
    order = orders.at("signed", co=[tree.city_bureau])
    client.force_login(cast.make(Role.HANDLER, tree.city_bureau))
    url = f"/api/v1/workorders/{order.pk}/actions/"
    assert client.post(url + "co_sign", {"data": {}}, "application/json").status_code == 200
    response = client.post(
        url + "co_reply", {"data": {"opinion": "已派员核查"}}, "application/json"
    )
    assert response.status_code == 200
    (part,) = response.json()["co_units"]
    assert part["unit"] == "长沙市城市管理和综合执法局" and part["opinion"] == "已派员核查"
    assert part["signed_at"] and part["opinion_at"]
