"""Queueing and delivering messages.

``notify`` is called inside a service's transaction: it writes the outbox row there and asks for
delivery on commit. Delivery itself happens in a task (the database task backend, so no broker is
needed) and is retried by ``deliver_pending`` from the scheduler loop, so a message whose worker
died is still sent.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import IntegrityError, models, transaction
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


def deliver(message_id: int) -> bool:
    """Hand one pending message to its channel, recording the attempt. Claimed by compare-and-set
    on ``attempts`` so two workers never send the same message twice."""
    message = Message.objects.filter(pk=message_id).first()
    if message is None or message.status != Status.PENDING:
        return False
    claimed = Message.objects.filter(
        pk=message.pk, status=Status.PENDING, attempts=message.attempts
    ).update(attempts=message.attempts + 1)
    if not claimed:
        return False
    try:
        channel_for(message.channel).send(message)
    except Exception as exc:
        failed = message.attempts + 1 >= MAX_ATTEMPTS
        DeliveryAttempt.objects.create(message=message, ok=False, error=str(exc)[:500])
        if failed:
            Message.objects.filter(pk=message.pk).update(status=Status.FAILED)
        logger.warning("消息发送失败 %s：%s", message.pk, exc)
        return False
    DeliveryAttempt.objects.create(message=message, ok=True)
    Message.objects.filter(pk=message.pk).update(status=Status.SENT, sent_at=timezone.now())
    return True


def deliver_pending(limit: int = 200) -> int:
    """Send what is still pending (a lost task, a channel that was down). Returns how many sent."""
    ids = list(
        Message.objects.filter(status=Status.PENDING)
        .order_by("id")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in ids if deliver(pk))


def mark_read(*, user: Any, message: Message) -> None:
    if message.recipient_id != user.pk:
        from banshi.core.errors import NotFound

        raise NotFound()
    Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=timezone.now())
