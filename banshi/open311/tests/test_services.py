"""``services.request_submit`` below the HTTP layer: the request and its Open311 record, a retry
answered with the first request, and a key another channel already used refused."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from banshi.core.errors import DomainError
from banshi.open311.models import SubmittedRequest
from banshi.open311.services import RETRY_WINDOW, RequestIn, application_create, request_submit
from banshi.workorders.choices import Channel, Kind
from banshi.workorders.models import Category, WorkOrder
from banshi.workorders.services import SubmitInput, submit


def _data(tree: Any, **overrides: Any) -> RequestIn:
    contact = {"name": "张秀英", "phone": "13812345678", "email": "", "media_url": ""}
    return RequestIn(
        service=Category.objects.get(code="010301"),
        unit=tree.datang,
        description="建湘路口道路破损，坑很深",
        contact={**contact, "device_id": "", "account_id": ""},
        location={"point": None, "address": "建湘路口", "address_id": None},
        answers={},
        files=[],
        **overrides,
    )


def test_a_submission_writes_the_request_and_the_applications_record(
    tree: Any, services: None
) -> None:
    app, _ = application_create(actor=None, name="甲应用")
    record = request_submit(application=app, data=_data(tree))
    order = WorkOrder.objects.get(pk=record.order_id)
    assert record.application == app and len(record.token) == 24
    assert order.channel == Channel.OPEN311 and order.kind == Kind.HELP
    assert order.org_unit == tree.datang


def test_the_same_content_within_the_window_is_the_first_request_again(
    tree: Any, services: None
) -> None:
    app, _ = application_create(actor=None, name="甲应用")
    now = timezone.now()
    first = request_submit(application=app, data=_data(tree), now=now)
    again = request_submit(
        application=app, data=_data(tree), now=now + datetime.timedelta(minutes=5)
    )
    assert again.pk == first.pk and SubmittedRequest.objects.count() == 1
    later = request_submit(
        application=app, data=_data(tree), now=now + RETRY_WINDOW + datetime.timedelta(minutes=1)
    )
    assert later.order_id != first.order_id


def test_a_key_a_request_from_another_channel_holds_is_refused(tree: Any, services: None) -> None:
    app, _ = application_create(actor=None, name="甲应用")
    submit(
        actor=None,
        data=SubmitInput(
            channel=Channel.WEB,
            kind=Kind.COMPLAINT,
            category_id=Category.objects.get(code="010301").pk,
            content="建湘路口道路破损",
            org_unit=tree.datang,
            submission_key=f"open311:{app.pk}:k-1",
        ),
    )
    with pytest.raises(DomainError) as exc:
        request_submit(application=app, data=_data(tree, idempotency_key="k-1"))
    assert exc.value.code == "idempotency_key_reused"
    assert not SubmittedRequest.objects.exists()
