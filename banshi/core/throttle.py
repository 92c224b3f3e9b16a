"""A small database-backed throttle for public endpoints: tracking numbers with a four-digit
proof (failures are counted), and anonymous intake (submissions are counted). Too many recent
rows for the same key refuse further attempts for the window. Database-backed so every worker
process sees the same counts; a check and the hit that follows are not one atomic step, so two
simultaneous requests can each pass the last free slot (a limit against abuse, not a quota)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from banshi.core.errors import Throttled
from banshi.core.models import ThrottleEvent

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_UNIT_NAMES = {"s": "秒", "m": "分钟", "h": "小时", "d": "天"}
_RATE = re.compile(r"^\s*(\d{1,9})\s*/\s*(\d{0,6})\s*([smhd])\s*$")
LONGEST_WINDOW = 86400  # prune keeps a day of rows, so no rate may look further back


@dataclass(frozen=True)
class Rate:
    """At most ``limit`` counted attempts per ``seconds``."""

    limit: int
    seconds: int
    text: str = ""

    def __str__(self) -> str:
        return self.text or f"{self.limit}/{self.seconds}s"


def parse_rate(text: str) -> Rate | None:
    """``"20/h"``, ``"100/d"``, ``"5/10m"`` (s, m, h, d; at most one day); empty or ``"0"`` means
    no limit. A malformed rate is a configuration error, reported at start-up by a system check."""
    text = (text or "").strip()
    if text in {"", "0", "off"}:
        return None
    match = _RATE.match(text)
    if not match:
        raise ImproperlyConfigured(f"限流设置“{text}”格式不正确，应为“次数/时段”，如 20/h、100/d")
    limit, count, unit = int(match.group(1)), int(match.group(2) or 1), match.group(3)
    seconds = count * _UNITS[unit]
    if limit < 1 or not 1 <= seconds <= LONGEST_WINDOW:
        raise ImproperlyConfigured(f"限流设置“{text}”超出范围：次数至少为1，时段为1秒至1天")
    name = _UNIT_NAMES[unit]
    period = f"每{name}" if count == 1 else f"每{count}{name}"
    return Rate(limit, seconds, f"{period}最多{limit}次")


def check(
    scope: str,
    keys: Mapping[str, int | Rate],
    window_seconds: int = 900,
    *,
    detail: str | None = None,
) -> None:
    """``keys`` maps each key to its limit (an int counted over ``window_seconds``, or a Rate
    with its own window); raise Throttled if any key is over it. Empty keys are skipped."""
    now = timezone.now()
    for key, limit in keys.items():
        if not key:
            continue
        rate = limit if isinstance(limit, Rate) else Rate(limit, window_seconds)
        since = now - datetime.timedelta(seconds=rate.seconds)
        count = ThrottleEvent.objects.filter(
            scope=scope, key=key[:100], created_at__gte=since
        ).count()
        if count >= rate.limit:
            raise Throttled(
                detail or f"尝试次数过多，请{max(rate.seconds // 60, 1)}分钟后再试",
                retry_after=rate.seconds,
            )


def hit(scope: str, *keys: str) -> None:
    ThrottleEvent.objects.bulk_create([ThrottleEvent(scope=scope, key=k[:100]) for k in keys if k])


def prune(now: datetime.datetime, older_than_seconds: int = LONGEST_WINDOW) -> int:
    cutoff = now - datetime.timedelta(seconds=older_than_seconds)
    deleted, _ = ThrottleEvent.objects.filter(created_at__lt=cutoff).delete()
    return deleted
