"""A small database-backed throttle for public endpoints that can be guessed at (tracking numbers
with a four-digit proof). Failures are recorded; too many recent failures by the same key refuse
further attempts for the window."""

from __future__ import annotations

import datetime

from django.utils import timezone

from banshi.core.errors import Throttled
from banshi.core.models import ThrottleEvent


def check(scope: str, keys: dict[str, int], window_seconds: int = 900) -> None:
    """``keys`` maps each key to its limit; raise Throttled if any key is over it."""
    since = timezone.now() - datetime.timedelta(seconds=window_seconds)
    for key, limit in keys.items():
        if not key:
            continue
        count = ThrottleEvent.objects.filter(
            scope=scope, key=key[:100], created_at__gte=since
        ).count()
        if count >= limit:
            raise Throttled(f"尝试次数过多，请{window_seconds // 60}分钟后再试")


def hit(scope: str, *keys: str) -> None:
    ThrottleEvent.objects.bulk_create([ThrottleEvent(scope=scope, key=k[:100]) for k in keys if k])


def prune(now: datetime.datetime, older_than_seconds: int = 86400) -> int:
    cutoff = now - datetime.timedelta(seconds=older_than_seconds)
    deleted, _ = ThrottleEvent.objects.filter(created_at__lt=cutoff).delete()
    return deleted
