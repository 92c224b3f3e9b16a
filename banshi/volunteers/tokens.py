"""The QR token the organiser shows for check-in and check-out.

A token is ``django.core.signing`` (HMAC with SECRET_KEY) over the activity id, the purpose, the
issue time and a random nonce. It expires after ``VOLUNTEER_QR_TTL_SECONDS`` (120 s); the display
page fetches a fresh one every 30 s, so a photo of the code sent to someone at home stops
working within two minutes. A volunteer may use one token once per purpose (``TokenUse``)."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.utils import timezone

from banshi.core.errors import ValidationFailed
from banshi.volunteers.choices import Purpose

SALT = "banshi.volunteers.qr"
# A phone whose clock runs a little ahead of the server's is not refused.
CLOCK_SKEW_SECONDS = 30


def ttl_seconds() -> int:
    return int(getattr(settings, "VOLUNTEER_QR_TTL_SECONDS", 120))


@dataclass(frozen=True)
class Token:
    activity_id: int
    purpose: str
    issued_at: datetime.datetime
    nonce: str


def issue(activity_id: int, purpose: str, now: datetime.datetime | None = None) -> str:
    if purpose not in Purpose.values:
        raise ValidationFailed("未知的扫码用途", code="invalid_purpose")
    now = now or timezone.now()
    payload = {"a": activity_id, "p": purpose, "t": int(now.timestamp()), "n": secrets.token_hex(8)}
    return signing.dumps(payload, salt=SALT, compress=False)


def read(token: str, now: datetime.datetime | None = None) -> Token:
    """The token's content, or a 400: forged or damaged (``token_invalid``), expired
    (``token_expired``)."""
    now = now or timezone.now()
    try:
        payload = signing.loads(str(token)[:300], salt=SALT)
        activity_id, purpose = int(payload["a"]), str(payload["p"])
        issued = datetime.datetime.fromtimestamp(int(payload["t"]), tz=datetime.UTC)
        nonce = str(payload["n"])[:32]
    except (signing.BadSignature, KeyError, TypeError, ValueError, OverflowError):
        raise ValidationFailed(
            "二维码无效（不是本平台签发或已损坏）", code="token_invalid"
        ) from None
    if purpose not in Purpose.values:
        raise ValidationFailed("二维码无效（不是本平台签发或已损坏）", code="token_invalid")
    age = (now - issued).total_seconds()
    if age > ttl_seconds() or age < -CLOCK_SKEW_SECONDS:
        raise ValidationFailed("二维码已过期，请扫描组织方屏幕上的最新二维码", code="token_expired")
    return Token(activity_id, purpose, issued, nonce)


def qr_svg(data: str) -> str:
    """The code as an inline SVG (segno, pure Python): no image service, works offline."""
    import segno

    return str(segno.make(data, error="m").svg_inline(scale=6, border=2, dark="#111"))
