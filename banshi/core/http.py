"""Small request helpers."""

from __future__ import annotations

from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client address as the app sees it (behind a proxy, configure it to set REMOTE_ADDR)."""
    return str(request.META.get("REMOTE_ADDR", ""))[:45]
