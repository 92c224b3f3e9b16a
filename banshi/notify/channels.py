"""Delivery channels behind one interface: ``send(message)`` returns or raises.

Which class serves which channel is configured in ``settings.NOTIFY_CHANNELS``. Development uses
``FileChannel`` (one line per message in ``var/outbox.log``) for SMS and Django's mail backend
(console by default) for email; a city plugs its SMS gateway in by naming its own class.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.module_loading import import_string

from banshi.notify.models import Message


class DeliveryChannel(Protocol):
    def send(self, message: Message) -> None: ...


class FileChannel:
    """Appends each message as a JSON line to ``NOTIFY_OUTBOX_FILE``."""

    def send(self, message: Message) -> None:
        path = Path(settings.NOTIFY_OUTBOX_FILE)
        path.parent.mkdir(parents=True, exist_ok=True)
        line = {
            "at": timezone.now().isoformat(),
            "channel": message.channel,
            "to": message.address or (message.recipient_id and f"user:{message.recipient_id}"),
            "subject": message.subject,
            "body": message.body,
        }
        with path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")


class EmailChannel:
    def send(self, message: Message) -> None:
        address = message.address or (message.recipient.email if message.recipient else "")
        if not address:
            raise ValueError("没有邮箱地址")
        send_mail(message.subject, message.body, None, [address])


class InAppChannel:
    """In-app messages are read from the outbox itself; delivering is only marking them sent."""

    def send(self, message: Message) -> None:
        if message.recipient_id is None:
            raise ValueError("站内消息必须有接收人")


def channel_for(name: str) -> DeliveryChannel:
    return import_string(settings.NOTIFY_CHANNELS[name])()
