"""One document model, two renderings: GeoReport v2 XML and its JSON (the Spark convention).

A response is built from plain dicts (elements in order), ``Many`` (a repeated child element:
``<services><service>…</service></services>`` in XML, an array in JSON) and scalars. The root
element is dropped in JSON, so a list document becomes a bare array — which is why the spec's
JSON for the service list, POST results, tokens, requests and errors are arrays, while the
service definition and the discovery document are objects.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from django.http import HttpResponse
from django.utils import timezone

from banshi.core.calendar import TZ

XML = "xml"
JSON = "json"
FORMATS = (XML, JSON)
CONTENT_TYPES = {
    XML: "text/xml; charset=utf-8",
    JSON: "application/json; charset=utf-8",
}
# Characters XML 1.0 cannot carry at all; they are dropped rather than breaking the document.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass
class Many:
    item: str
    items: list[Any] = field(default_factory=list)


def w3c(value: datetime.datetime | None) -> str | None:
    """A W3C datetime with the +08:00 offset: 2026-11-16T10:00:00+08:00."""
    if value is None:
        return None
    if timezone.is_naive(value):
        value = value.replace(tzinfo=TZ)
    return value.astimezone(TZ).replace(microsecond=0).isoformat()


def _scalar_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return w3c(value) or ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _xml(tag: str, value: Any, out: list[str]) -> None:
    if isinstance(value, Many):
        if not value.items:
            out.append(f"<{tag}/>")
            return
        out.append(f"<{tag}>")
        for item in value.items:
            _xml(value.item, item, out)
        out.append(f"</{tag}>")
    elif isinstance(value, dict):
        if not value:
            out.append(f"<{tag}/>")
            return
        out.append(f"<{tag}>")
        for key, child in value.items():
            _xml(key, child, out)
        out.append(f"</{tag}>")
    else:
        text = _scalar_text(value)
        if text == "":
            out.append(f"<{tag}/>")
        else:
            out.append(f"<{tag}>{escape(_XML_ILLEGAL.sub('', text))}</{tag}>")


def to_xml(root: str, document: Any) -> str:
    out = ['<?xml version="1.0" encoding="utf-8"?>\n']
    _xml(root, document, out)
    out.append("\n")
    return "".join(out)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Many):
        return [_jsonable(v) for v in value.items]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, datetime.datetime):
        return w3c(value)
    if isinstance(value, Decimal):
        return float(value)
    return value


def to_json(document: Any) -> str:
    return json.dumps(_jsonable(document), ensure_ascii=False, separators=(",", ":"))


def render(fmt: str, root: str, document: Any, *, status: int = 200) -> HttpResponse:
    body = to_json(document) if fmt == JSON else to_xml(root, document)
    return HttpResponse(body.encode("utf-8"), status=status, content_type=CONTENT_TYPES[fmt])


def render_errors(fmt: str, status: int, descriptions: list[str]) -> HttpResponse:
    """The spec's error list: HTTP status and each error's code agree."""
    errors = Many("error", [{"code": status, "description": d} for d in descriptions])
    return render(fmt, "errors", errors, status=status)
