from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from banshi.notify.models import Channel, Message


def unread(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    count = Message.objects.filter(
        recipient=user, channel=Channel.INAPP, read_at__isnull=True
    ).count()
    return {"unread_messages": count}
