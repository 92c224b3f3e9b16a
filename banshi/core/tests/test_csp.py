"""Every response carries the Content-Security-Policy: pages, the API, errors and static files."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _policy(response: Any) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in header.split("; ")}


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/login/",  # a page
        "/ask/",  # the citizen form with its map
        "/api/openapi.json",  # the API
        "/api/v1/workorders/1",  # an API error (401)
        "/no-such-page/",  # a 404 page
        "/static/banshi/site.css",  # a static file served by WhiteNoise
    ],
)
def test_every_response_forbids_inline_script(client: Client, url: str) -> None:
    policy = _policy(client.get(url))
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["style-src-elem"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:", "blob:"]
    assert "'unsafe-inline'" not in policy["script-src"] + policy["default-src"]
    assert all("'unsafe-eval'" not in sources for sources in policy.values())


def test_no_template_has_inline_script_or_event_handlers() -> None:
    """The policy would block them: code lives in static files, data in json_script/data-."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
    handler = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
    found = []
    for path in sorted(root.rglob("templates/**/*.html")):
        text = path.read_text("utf-8")
        for pattern in (inline_script, handler, re.compile(r"javascript:", re.IGNORECASE)):
            found += [f"{path.relative_to(root)}: {m.group()}" for m in pattern.finditer(text)]
    assert not found, found
