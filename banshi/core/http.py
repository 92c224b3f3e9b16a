"""Small request helpers."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address, for per-address limits and logs.

    By default ``REMOTE_ADDR``: the peer that connected, which is the client when the app is
    reached directly. Behind reverse proxies set ``TRUSTED_PROXY_COUNT`` to how many of them
    append to ``X-Forwarded-For`` (nginx alone: 1; a CDN in front of nginx: 2). The client is
    then the entry that many places from the right: the entries to its left were written by the
    client itself and are not trusted. Anything unparsable falls back to ``REMOTE_ADDR``."""
    remote = str(request.META.get("REMOTE_ADDR", ""))[:45]
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies <= 0:
        return remote
    header = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))[:1000]
    hops = [part.strip() for part in header.split(",") if part.strip()]
    if not hops:
        return remote
    # Fewer hops than proxies: the request skipped the outer ones, and every hop was still
    # written by a proxy of ours, so the leftmost is the furthest address known.
    candidate = hops[-proxies] if len(hops) >= proxies else hops[0]
    try:
        return str(ipaddress.ip_address(candidate))[:45]
    except ValueError:
        return remote


def etag(version: int) -> str:
    """The ``ETag`` of an editable aggregate: its version, quoted."""
    return f'"{int(version)}"'


def expected_version(request: HttpRequest) -> int | None:
    """The version the person's copy was at: the ``If-Match`` header (an ``ETag`` we sent, weak
    or strong) or a form's hidden ``version`` field. None when the client sent neither (older
    clients keep working without the check); a value that is not a version is a 400."""
    from banshi.core.errors import ValidationFailed

    raw = str(request.headers.get("If-Match", "") or "").strip()
    if not raw and request.method == "POST":
        raw = str(request.POST.get("version", "") or "").strip()
    if not raw or raw == "*":
        return None
    text = raw.removeprefix("W/").strip().strip('"')
    if not text.isascii() or not text.isdigit() or len(text) > 9:
        raise ValidationFailed(
            "版本号无效：If-Match 应为详情接口返回的 ETag", code="invalid_version"
        )
    return int(text)
