"""Open311 is public (issue 8.4): it never shows a confidential caller's request, and no text it
shows carries the caller's identity or any mobile or ID number (``workorders.privacy``)."""

from __future__ import annotations

from typing import Any

import pytest

from banshi.open311.tests.conftest import FORMATS
from banshi.open311.tests.helpers import drive, other_channel
from banshi.workorders.models import WorkOrder
from banshi.workorders.services import transition

pytestmark = pytest.mark.django_db

NEIGHBOUR = "13998765432"
ID_NUMBER = "430105195001019011"


@FORMATS
def test_a_confidential_callers_request_is_nowhere_in_open311(
    o311: Any, fmt: str, tree: Any, cast: Any
) -> None:
    secret = other_channel(tree, confidential=True, content="保密的诉求：楼道堆放杂物")
    drive(secret, cast.superuser(tree.city), tree.xiufeng, "closed")
    assert o311.get(f"requests/{secret.pk}", fmt).status == 404
    for path in ("requests", "servicerequestupdates"):
        body = o311.get(path, fmt, extensions="true").body.decode()
        assert "保密的诉求" not in body and secret.number not in body


@FORMATS
def test_phone_and_id_numbers_in_public_texts_are_masked(
    o311: Any, fmt: str, tree: Any, cast: Any
) -> None:
    rid = o311.submit(
        fmt,
        description=f"邻居电话{NEIGHBOUR}，身份证{ID_NUMBER}，门前道路破损",
        **{"attribute[LANE]": f"由北往南第二车道，找{NEIGHBOUR}"},
        phone="13812345678",
    )
    order = WorkOrder.objects.get(pk=rid)
    boss = cast.superuser(tree.city)
    order = drive(order, boss, tree.xiufeng, "in_progress")
    transition(
        actor=boss,
        order=order,
        action="reply",
        data={"result": f"已修复，如有问题请联系{NEIGHBOUR}", "solved": True},
    )
    bodies = [
        o311.get("requests", fmt, extensions="true").body.decode(),
        o311.get(f"requests/{rid}", fmt, extensions="true").body.decode(),
        o311.get("servicerequestupdates", fmt, extensions="true").body.decode(),
    ]
    for body in bodies:
        assert NEIGHBOUR not in body and ID_NUMBER not in body and "13812345678" not in body
    assert "139****5432" in bodies[1] and "430105********9011" in bodies[1]
    assert "由北往南第二车道" in bodies[1]
