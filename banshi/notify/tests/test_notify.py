"""The outbox: written with the change, delivered only after commit, never twice — also when two
workers reach for one message while it is being sent, and again after a worker dies mid-send."""

from __future__ import annotations

import datetime
import json
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone

from banshi.notify.models import DeliveryAttempt, Message, Status
from banshi.notify.services import claim, deliver, deliver_pending, notify


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


class SlowChannel:
    """A gateway that takes its time. ``during`` runs once inside the first send: another worker
    reaching for the outbox while this message is in flight."""

    sent: list[int] = []
    delay = 0.0
    during: Callable[[], None] | None = None

    def send(self, message: Message) -> None:
        SlowChannel.sent.append(message.pk)
        hook, SlowChannel.during = SlowChannel.during, None
        if hook is not None:
            hook()
        time.sleep(SlowChannel.delay)


@pytest.fixture
def slow(settings: Any) -> type[SlowChannel]:
    settings.NOTIFY_CHANNELS = {
        **settings.NOTIFY_CHANNELS,
        "sms": f"{__name__}.SlowChannel",
    }
    settings.NOTIFY_CLAIM_LEASE_SECONDS = 300
    SlowChannel.sent, SlowChannel.delay, SlowChannel.during = [], 0.0, None
    return SlowChannel


def _sms(text: str = "你好") -> Message:
    message = notify(channel="sms", template="notify.test", context={"text": text}, address="1")
    assert message is not None
    return message


def test_a_message_being_sent_is_not_claimed_again(db: Any, slow: Any) -> None:
    message = _sms()
    others: list[object] = []
    # While the first worker is inside the gateway call, the scheduler's sweep and a second task
    # for the same message both run: neither may send it.
    slow.during = lambda: others.extend([deliver_pending(), deliver(message.pk)])
    assert deliver(message.pk) is True
    assert others == [0, False]
    assert slow.sent == [message.pk]
    message.refresh_from_db()
    assert message.status == Status.SENT and message.attempts == 1
    assert message.claimed_by and message.claimed_at is not None
    assert deliver_pending() == 0 and slow.sent == [message.pk]


def test_the_claim_is_a_compare_and_set_that_only_one_caller_wins(db: Any, slow: Any) -> None:
    message = _sms()
    first = claim(message.pk)
    second = claim(message.pk)
    assert first is not None and second is None
    assert first.status == Status.SENDING and first.attempts == 1
    assert deliver_pending() == 0 and slow.sent == []


def test_a_dead_workers_message_is_reclaimed_only_after_the_lease(db: Any, slow: Any) -> None:
    message = _sms()
    start = timezone.now()
    assert claim(message.pk, now=start) is not None  # claimed, then the worker died
    lease = datetime.timedelta(seconds=300)
    assert deliver_pending(now=start + lease - datetime.timedelta(seconds=1)) == 0
    assert slow.sent == []
    assert deliver_pending(now=start + lease + datetime.timedelta(seconds=1)) == 1
    assert slow.sent == [message.pk]
    message.refresh_from_db()
    assert message.status == Status.SENT and message.attempts == 2
    notes = list(DeliveryAttempt.objects.filter(message=message).values_list("ok", "error"))
    assert notes == [(False, "上次发送未完成（领取已过期），重新发送"), (True, "")]


def test_the_lease_length_is_a_setting(db: Any, slow: Any, settings: Any) -> None:
    settings.NOTIFY_CLAIM_LEASE_SECONDS = 30
    message = _sms()
    start = timezone.now()
    claim(message.pk, now=start)
    assert deliver_pending(now=start + datetime.timedelta(seconds=31)) == 1


def test_a_worker_that_died_on_the_last_attempt_leaves_the_message_failed(
    db: Any, slow: Any
) -> None:
    message = _sms()
    Message.objects.filter(pk=message.pk).update(attempts=4)
    start = timezone.now()
    assert claim(message.pk, now=start) is not None
    assert deliver_pending(now=start + datetime.timedelta(seconds=301)) == 0
    message.refresh_from_db()
    assert message.status == Status.FAILED and slow.sent == []


@pytest.mark.django_db(transaction=True)
def test_two_workers_with_a_slow_gateway_send_each_message_exactly_once(slow: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("并发线程测试在 PostgreSQL 上运行（SQLite 内存测试库不支持多连接并发写）")
    slow.delay = 0.01
    ids = [_sms(f"第{i}条").pk for i in range(30)]
    barrier = threading.Barrier(3)
    errors: list[BaseException] = []

    def sweeper() -> None:  # the scheduler's deliver_pending
        from django.db import connections

        try:
            barrier.wait()
            for _ in range(3):
                deliver_pending()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    def tasks() -> None:  # the db_worker running each message's task
        from django.db import connections

        try:
            barrier.wait()
            for pk in ids:
                deliver(pk)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=t) for t in (sweeper, sweeper, tasks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(slow.sent) == ids
    assert set(Message.objects.values_list("status", flat=True)) == {Status.SENT}
    assert DeliveryAttempt.objects.filter(ok=True).count() == len(ids)
