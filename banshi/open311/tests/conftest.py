"""Open311 fixtures: an application key for 长沙市, a client that speaks both formats, and a
parser that turns either format back into plain Python for assertions."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from banshi.open311.demo import seed_attributes
from banshi.open311.services import application_create

BASE = "/open311/v2"
KAIFU_POINT = {"lat": "28.255", "long": "112.985"}  # WGS84, inside 开福区
YUHUA_POINT = {"lat": "28.13", "long": "113.03"}  # WGS84, inside 雨花区
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def xml_to_python(element: ET.Element) -> Any:
    """Spark-style: children with one repeated name become a list; leaves become text."""
    children = list(element)
    if not children:
        return element.text or ""
    names = [c.tag for c in children]
    if len(set(names)) == 1 and (len(names) > 1 or names[0] in LIST_ITEMS):
        return [xml_to_python(c) for c in children]
    return {c.tag: xml_to_python(c) for c in children}


LIST_ITEMS = {
    "service",
    "request",
    "error",
    "attribute",
    "value",
    "endpoint",
    "format",
    "event",
    "co_unit",
    "request_update",
}


@dataclass
class Reply:
    status: int
    content_type: str
    body: bytes
    fmt: str
    headers: Any

    @property
    def root(self) -> str | None:
        if self.fmt != "xml":
            return None
        return ET.fromstring(self.body).tag

    @property
    def data(self) -> Any:
        if self.fmt == "json":
            return json.loads(self.body.decode("utf-8"))
        return xml_to_python(ET.fromstring(self.body))

    def errors(self) -> list[dict[str, Any]]:
        items = self.data
        if self.fmt == "xml":
            assert self.root == "errors"
        assert isinstance(items, list) and items
        return items


class Open311:
    def __init__(self, client: Client, key: str) -> None:
        self.client, self.key = client, key

    def get(self, path: str, fmt: str = "xml", **params: Any) -> Reply:
        response = self.client.get(f"{BASE}/{path}.{fmt}", params)
        return self._reply(response, fmt)

    def post(
        self,
        fmt: str = "xml",
        *,
        key: Any = "default",
        query: str = "",
        headers: Any = None,
        **data: Any,
    ) -> Reply:
        if key == "default":
            data.setdefault("api_key", self.key)
        elif key is not None:
            data["api_key"] = key
        files = {
            k: v
            for k, v in data.items()
            if hasattr(v, "read") or (isinstance(v, list) and v and hasattr(v[0], "read"))
        }
        url = f"{BASE}/requests.{fmt}" + (f"?{query}" if query else "")
        if files:
            response = self.client.post(url, data, headers=headers or {})
        else:
            from urllib.parse import urlencode

            response = self.client.post(
                url,
                urlencode(data, doseq=True),
                content_type="application/x-www-form-urlencoded; charset=utf-8",
                headers=headers or {},
            )
        return self._reply(response, fmt)

    def _reply(self, response: Any, fmt: str) -> Reply:
        return Reply(
            response.status_code, response["Content-Type"], response.content, fmt, response
        )

    def submit(self, fmt: str = "json", **data: Any) -> int:
        data.setdefault("service_code", "010301")
        data.setdefault("description", "建湘路口道路破损，坑很深")
        if not {"lat", "address_string", "address_id"} & set(data):
            data.update(KAIFU_POINT)
        reply = self.post(fmt, **data)
        assert reply.status == 200, reply.body.decode()
        item = reply.data[0]
        return int(item["service_request_id"])


def png(name: str = "photo.png") -> io.BytesIO:
    buffer = io.BytesIO(PNG)
    buffer.name = name
    return buffer


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def services(tree: Any) -> None:
    seed_attributes()


@pytest.fixture
def app_key(tree: Any, services: None) -> str:
    _, key = application_create(actor=None, name="测试应用", contact="张工", org_unit=tree.city)
    return key


@pytest.fixture
def o311(client: Client, app_key: str) -> Open311:
    return Open311(client, app_key)


FORMATS = pytest.mark.parametrize("fmt", ["xml", "json"])
