"""Queueing and delivering messages.

``notify`` is called inside a service's transaction: it writes the outbox row there and asks for
delivery on commit. Delivery itself happens in a task (the database task backend, so no broker is
needed) and is retried by ``deliver_pending`` from the scheduler loop, so a message whose worker
died is still sent.

Sending is done under a lease. ``claim`` moves a message from PENDING to SENDING with
``claimed_at``/``claimed_by`` in one compare-and-set UPDATE, so of two workers (a task and the
scheduler's ``deliver_pending``, or two of either) exactly one gets it; the others see SENDING and
leave it alone. The winner hands it to the channel and then marks it SENT, or back to PENDING on
failure. A worker that dies mid-send leaves the row SENDING; once the lease
(``NOTIFY_CLAIM_LEASE_SECONDS``, five minutes by default) has expired, ``deliver_pending`` claims it
again. The lease must be longer than the slowest channel call: a worker that is merely slow past
its lease can be overtaken, and its late result is then discarded (the finishing UPDATE checks
``claimed_by``). A crash between a channel accepting a message and the row being marked SENT can
only be told from a crash before sending by the channel itself, so such a message is sent again
after the lease: nothing is lost, and a repeat needs a crash in that window.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import threading
import uuid
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.utils import timezone

from banshi.notify.channels import channel_for
from banshi.notify.models import Channel, DeliveryAttempt, Message, Status
from banshi.notify.templates_registry import render

logger = logging.getLogger("banshi.notify")
MAX_ATTEMPTS = 5


def notify(
    *,
    channel: str,
    template: str,
    context: dict[str, Any],
    recipient: Any = None,
    address: str = "",
    related: models.Model | None = None,
    dedupe_key: str | None = None,
) -> Message | None:
    """Queue one message. Returns None when ``dedupe_key`` was already used (nothing queued).

    Without a ``dedupe_key`` (a message whose cause cannot repeat, such as a new request's
    receipt) the message is written straight into the caller's transaction: no look-up and no
    savepoint, which matters on the intake path."""
    if channel not in Channel.values:
        raise ValueError(f"未知渠道：{channel}")
    subject, body = render(template, context)
    fields = {
        "channel": channel,
        "recipient": recipient if getattr(recipient, "pk", None) else None,
        "address": address[:254],
        "template": template,
        "subject": subject[:200],
        "body": body,
        "related_type": related._meta.label_lower if related is not None else "",
        "related_id": str(related.pk) if related is not None else "",
        "dedupe_key": dedupe_key,
    }
    if dedupe_key is None:
        message = Message.objects.create(**fields)
    else:
        if Message.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        try:
            with transaction.atomic():
                message = Message.objects.create(**fields)
        except IntegrityError:  # the same dedupe key, raced in by a concurrent run
            return None
    if _transactional_tasks():
        # The database task backend writes the task row in this same transaction: the worker
        # cannot see it before commit, and a rollback removes it with the message, so no
        # on_commit hop (and no second commit on the intake path) is needed.
        from banshi.notify.tasks import deliver_message

        deliver_message.enqueue(message.pk)
    else:
        transaction.on_commit(lambda: _enqueue(message.pk))
    return message


def _transactional_tasks() -> bool:
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)


def _enqueue(message_id: int) -> None:
    from banshi.notify.tasks import deliver_message

    try:
        with transaction.atomic():
            deliver_message.enqueue(message_id)
    except Exception:  # the scheduler's deliver_pending will pick it up
        logger.exception("消息入队失败，将由调度器补发：%s", message_id)


def lease_seconds() -> int:
    return int(getattr(settings, "NOTIFY_CLAIM_LEASE_SECONDS", 300))


def _worker_name() -> str:
    """Who holds a claim: host, process and thread, plus a random part unique to the claim."""
    where = f"{socket.gethostname()[:40]}:{os.getpid()}:{threading.get_ident() % 100000}"
    return f"{where}:{uuid.uuid4().hex[:12]}"


def _claimable(now: datetime.datetime) -> Q:
    """PENDING, or SENDING under a lease that has expired (its worker died or stalled)."""
    expired = now - datetime.timedelta(seconds=lease_seconds())
    return Q(status=Status.PENDING) | Q(status=Status.SENDING, claimed_at__lt=expired)


def claim(message_id: int, *, now: datetime.datetime | None = None) -> Message | None:
    """Take the lease on one message: a single compare-and-set UPDATE from PENDING (or an expired
    SENDING) to SENDING. Returns the claimed message, or None when another worker holds it, it was
    sent already, or it has no attempts left."""
    now = now or timezone.now()
    before = Message.objects.filter(pk=message_id).values_list("status", flat=True).first()
    worker = _worker_name()
    claimed = Message.objects.filter(
        _claimable(now), pk=message_id, attempts__lt=MAX_ATTEMPTS
    ).update(
        status=Status.SENDING,
        claimed_at=now,
        claimed_by=worker,
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return None
    message = Message.objects.get(pk=message_id)
    if before == Status.SENDING:
        # The previous holder's lease ran out: it died or stalled mid-send. Say so in the log.
        DeliveryAttempt.objects.create(
            message=message, ok=False, error="上次发送未完成（领取已过期），重新发送"
        )
        logger.warning("消息 %s 的发送领取已过期，重新领取", message_id)
    return message


def _finish(message: Message, **updates: Any) -> bool:
    """Close our own claim; False when the lease was lost to another worker meanwhile."""
    return bool(
        Message.objects.filter(
            pk=message.pk, status=Status.SENDING, claimed_by=message.claimed_by
        ).update(**updates)
    )


def deliver(message_id: int, *, now: datetime.datetime | None = None) -> bool:
    """Claim one message (see ``claim``), hand it to its channel and record the attempt. Returns
    whether this call sent it; a message another worker holds or has sent is left alone."""
    message = claim(message_id, now=now)
    if message is None:
        return False
    try:
        channel_for(message.channel).send(message)
    except Exception as exc:
        DeliveryAttempt.objects.create(message=message, ok=False, error=str(exc)[:500])
        failed = message.attempts >= MAX_ATTEMPTS
        _finish(
            message,
            status=Status.FAILED if failed else Status.PENDING,
            claimed_at=None,
            claimed_by="",
        )
        logger.warning("消息发送失败 %s：%s", message.pk, exc)
        return False
    DeliveryAttempt.objects.create(message=message, ok=True)
    if not _finish(message, status=Status.SENT, sent_at=timezone.now()):
        logger.warning("消息 %s 发送时超过领取期限，已由其他进程接手", message.pk)
    return True


def deliver_pending(limit: int = 200, *, now: datetime.datetime | None = None) -> int:
    """Send what is still pending (a lost task, a channel that was down) and what a dead worker
    left SENDING past its lease. Returns how many this call sent."""
    now = now or timezone.now()
    expired = now - datetime.timedelta(seconds=lease_seconds())
    # A message whose worker died on its last allowed attempt cannot be claimed again: fail it.
    Message.objects.filter(
        status=Status.SENDING, claimed_at__lt=expired, attempts__gte=MAX_ATTEMPTS
    ).update(status=Status.FAILED, claimed_at=None, claimed_by="")
    ids = list(
        Message.objects.filter(_claimable(now)).order_by("id").values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in ids if deliver(pk, now=now))


def mark_read(*, user: Any, message: Message) -> None:
    if message.recipient_id != user.pk:
        from banshi.core.errors import NotFound

        raise NotFound()
    Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=timezone.now())
