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
