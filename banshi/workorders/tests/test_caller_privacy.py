"""Who sees what of a caller (issue 8.4): one rule, ``workorders.privacy``, and the page, the API
and the export agree for every role. The request is located in 开福区 (新大塘社区) and handled by a
unit of 雨花区 (跳马镇), so the handling district's admin and dispatcher hold ``pii.view`` on the
request (through its lead unit) but are not the centre where it is."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from banshi.accounts.roles import Role
from banshi.audit.models import PersonalDataAccess
from banshi.workorders.models import WorkOrder
from banshi.workorders.privacy import caller_view

FULL_PHONE = "13812345678"
MASKED_PHONE = "138****5678"

# role, where it is granted, what it sees of a confidential caller: (name, phone, can reveal)
CENTRE = ("张秀英", MASKED_PHONE, True)
SECRET = ("保密", "保密", False)
CONFIDENTIAL_CASES = [
    (Role.ORG_ADMIN, "kaifu", CENTRE),
    (Role.DISPATCHER, "kaifu", CENTRE),
    (Role.ORG_ADMIN, "yuhua", SECRET),  # the handling district
    (Role.DISPATCHER, "yuhua", SECRET),  # the handling district
    (Role.HANDLER, "tiaoma", SECRET),  # the handling unit
    (Role.ANALYST, "kaifu", SECRET),
    (Role.SUPERVISOR, "kaifu", SECRET),
    (Role.LEADER, "kaifu", SECRET),
]
# The same roles on a caller who did not ask for 保密: the analyst sees a masked name.
PLAIN_CASES = [
    (Role.ORG_ADMIN, "kaifu", ("张秀英", MASKED_PHONE, True)),
    (Role.DISPATCHER, "yuhua", ("张秀英", MASKED_PHONE, True)),
    (Role.HANDLER, "tiaoma", ("张秀英", MASKED_PHONE, False)),
    (Role.ANALYST, "kaifu", ("张*英", MASKED_PHONE, False)),
    (Role.SUPERVISOR, "kaifu", ("张秀英", MASKED_PHONE, False)),
]


def _handled_elsewhere(orders: Any, tree: Any, *, confidential: bool) -> WorkOrder:
    return orders.at("dispatched", lead=tree.tiaoma, confidential=confidential)


def _page(client: Client, order: WorkOrder) -> tuple[str, str, bool]:
    text = client.get(f"/workorders/{order.pk}/").content.decode()
    name = text.split('id="caller-name">', 1)[1].split("<", 1)[0]
    phone = text.split('id="caller-phone">', 1)[1].split("<", 1)[0]
    assert FULL_PHONE not in text
    return name, phone, 'id="reveal-phone"' in text


def _api(client: Client, order: WorkOrder) -> tuple[str, str, bool]:
    detail = client.get(f"/api/v1/workorders/{order.pk}").json()
    assert FULL_PHONE not in str(detail)
    revealed = client.post(f"/api/v1/workorders/{order.pk}/reveal-phone")
    assert revealed.status_code in (200, 403)
    return detail["caller_name"], detail["caller_phone_masked"], revealed.status_code == 200


@pytest.mark.parametrize(("role", "where", "expected"), CONFIDENTIAL_CASES)
def test_a_confidential_caller_is_the_same_on_the_page_and_in_the_api_for_each_role(
    client: Client, orders: Any, tree: Any, cast: Any, role: Role, where: str, expected: Any
) -> None:
    order = _handled_elsewhere(orders, tree, confidential=True)
    user = cast.make(role, getattr(tree, where))
    client.force_login(user)
    assert _page(client, order) == expected
    assert _api(client, order) == expected
    assert caller_view(user, order).can_reveal is expected[2]
    # a reveal is logged, and only a reveal
    assert PersonalDataAccess.objects.filter(actor=user).count() == int(expected[2])


@pytest.mark.parametrize(("role", "where", "expected"), PLAIN_CASES)
def test_a_plain_caller_is_the_same_on_the_page_and_in_the_api_for_each_role(
    client: Client, orders: Any, tree: Any, cast: Any, role: Role, where: str, expected: Any
) -> None:
    order = _handled_elsewhere(orders, tree, confidential=False)
    client.force_login(cast.make(role, getattr(tree, where)))
    assert _page(client, order) == expected
    assert _api(client, order) == expected


def test_an_anonymous_caller_reads_as_anonymous_and_has_nothing_to_reveal(
    client: Client, orders: Any, tree: Any, cast: Any
) -> None:
    order = orders.at("dispatched", caller_name="", caller_phone="")
    client.force_login(cast.make(Role.DISPATCHER, tree.kaifu))
    assert _page(client, order) == ("（匿名）", "—", False)
    detail = client.get(f"/api/v1/workorders/{order.pk}").json()
    assert (detail["caller_name"], detail["caller_phone_masked"]) == ("", "")


@pytest.mark.parametrize(
    ("role", "where"),
    [
        (Role.ORG_ADMIN, "kaifu"),
        (Role.DISPATCHER, "kaifu"),
        (Role.ORG_ADMIN, "yuhua"),
        (Role.DISPATCHER, "yuhua"),
        (Role.ANALYST, "kaifu"),
        (Role.SUPERVISOR, "kaifu"),
    ],
)
def test_an_export_carries_masked_names_and_no_confidential_caller_for_any_role(
    client: Client, orders: Any, tree: Any, cast: Any, role: Role, where: str
) -> None:
    secret = _handled_elsewhere(orders, tree, confidential=True)
    plain = _handled_elsewhere(orders, tree, confidential=False)
    client.force_login(cast.make(role, getattr(tree, where)))
    response = client.get("/workorders/list/export/")
    assert response.status_code == 200
    rows = [list(r) for r in load_workbook(io.BytesIO(response.content)).active.values]
    header, body = rows[1], {r[0]: r for r in rows[2:]}
    name, phone = header.index("诉求人"), header.index("联系电话")
    assert (body[secret.number][name], body[secret.number][phone]) == ("保密", "保密")
    assert (body[plain.number][name], body[plain.number][phone]) == ("张*英", MASKED_PHONE)
    assert "张秀英" not in str(rows) and FULL_PHONE not in str(rows)


def test_revealing_a_number_that_was_never_given_says_so_and_logs_nothing(
    client: Client, orders: Any, tree: Any, cast: Any
) -> None:
    order = orders.at("dispatched", caller_name="", caller_phone="")
    dispatcher = cast.make(Role.DISPATCHER, tree.kaifu)
    client.force_login(dispatcher)
    response = client.post(f"/api/v1/workorders/{order.pk}/reveal-phone")
    assert response.status_code == 400 and response.json()["code"] == "no_phone"
    assert not PersonalDataAccess.objects.filter(actor=dispatcher).exists()
