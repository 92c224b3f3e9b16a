"""The outbox: written with the change, delivered only after commit, never twice."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import transaction

from banshi.notify.models import DeliveryAttempt, Message, Status
from banshi.notify.services import deliver, deliver_pending, notify


@pytest.fixture(autouse=True)
def outbox_file(settings: Any, tmp_path: Any) -> Any:
    settings.NOTIFY_OUTBOX_FILE = tmp_path / "outbox.log"
    return settings.NOTIFY_OUTBOX_FILE


def test_a_rolled_back_change_sends_nothing(
    db: Any, outbox_file: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            notify(
                channel="sms",
                template="notify.test",
                context={"text": "回滚"},
                address="13800000000",
            )
            raise RuntimeError
    assert callbacks == []
    assert Message.objects.count() == 0
    assert not outbox_file.exists()


def test_a_committed_message_is_delivered_and_recorded(db: Any, outbox_file: Any) -> None:
    message = notify(
        channel="sms", template="notify.test", context={"text": "你好"}, address="13800000000"
    )
    assert message is not None and message.status == Status.PENDING
    assert deliver(message.pk) is True
    message.refresh_from_db()
    assert message.status == Status.SENT and message.attempts == 1
    line = json.loads(outbox_file.read_text(encoding="utf-8").strip())
    assert line["body"] == "这是一条测试消息：你好"
    assert deliver(message.pk) is False  # never twice
    assert DeliveryAttempt.objects.filter(message=message, ok=True).count() == 1


def test_dedupe_key_makes_a_repeat_a_no_op(db: Any) -> None:
    first = notify(
        channel="sms", template="notify.test", context={"text": "1"}, address="1", dedupe_key="k1"
    )
    second = notify(
        channel="sms", template="notify.test", context={"text": "1"}, address="1", dedupe_key="k1"
    )
    assert first is not None and second is None
    assert Message.objects.count() == 1


def test_failures_are_retried_then_marked_failed(db: Any, settings: Any) -> None:
    settings.NOTIFY_CHANNELS = {
        **settings.NOTIFY_CHANNELS,
        "inapp": "banshi.notify.channels.InAppChannel",
    }
    message = notify(
        channel="inapp", template="notify.test", context={"text": "无人"}
    )  # no recipient
    assert message is not None
    for _ in range(5):
        deliver_pending()
    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert message.attempts == 5
    assert DeliveryAttempt.objects.filter(message=message, ok=False).count() == 5


def test_inbox_shows_in_app_messages(tree: Any, cast: Any, client: Any) -> None:
    user = cast.make(None, tree.datang)
    notify(channel="inapp", template="notify.test", context={"text": "站内"}, recipient=user)
    client.force_login(user)
    page = client.get("/inbox/").content.decode()
    assert "这是一条测试消息：站内" in page
    message = Message.objects.get()
    client.post(f"/inbox/{message.pk}/read/")
    message.refresh_from_db()
    assert message.read_at is not None
    other = cast.make(None, tree.datang)
    client.force_login(other)
    assert client.post(f"/inbox/{message.pk}/read/").status_code == 404


def test_the_delivery_task_commits_or_rolls_back_with_the_message(db: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    with pytest.raises(RuntimeError), transaction.atomic():
        notify(channel="sms", template="notify.test", context={"text": "回滚"}, address="1")
        raise RuntimeError
    assert DBTaskResult.objects.count() == 0
    notify(channel="sms", template="notify.test", context={"text": "提交"}, address="1")
    assert DBTaskResult.objects.count() == 1
