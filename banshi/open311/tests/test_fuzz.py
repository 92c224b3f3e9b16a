"""Malformed calls of every kind get the spec's error list with 400/403/404 — never a 500."""

from __future__ import annotations

import itertools
import random
import time
from typing import Any
from urllib.parse import quote

import pytest

from banshi.open311.tests.conftest import BASE, KAIFU_POINT

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_abuse_limits(settings: Any) -> None:
    """Hundreds of calls from one address with junk api_keys would reach the keyless intake limit
    (429) and stop reaching the checks under test; the limits have their own tests."""
    settings.PUBLIC_INTAKE_LIMITS = False


JUNK = [
    "",
    " ",
    "\x00",
    "\x01\x02",
    "'",
    '"',
    "<x>",
    "&amp;",
    "%",
    "%00",
    "9" * 40,
    "-1",
    "1e309",
    "nan",
    "inf",
    "😀",
    "长沙" * 600,
    "../../etc/passwd",
    "a,b,,c",
    "null",
    "[]",
    "{}",
    "true",
    "²",
    "①",
    "３",
    "1\n",
    "0001-01-01T00:00:00+23:59",
    "9999-12-31T23:59:59-23:59",
    "0001-01-01",
    "9999-12-31",
    "1e5000",
    "-1e1000000",
    "1" * 5000,
]
PARAMS = [
    "jurisdiction_id",
    "service_code",
    "service_request_id",
    "status",
    "start_date",
    "end_date",
    "updated_after",
    "updated_before",
    "page",
    "page_size",
    "extensions",
    "lat",
    "long",
    "address_string",
    "address_id",
    "email",
    "phone",
    "first_name",
    "last_name",
    "description",
    "media_url",
    "device_id",
    "account_id",
    "coordinate_system",
    "idempotency_key",
    "attribute[AREA]",
    "attribute[COVER_TYPE][]",
    "attribute[",
    "attribute[]",
    "api_key",
]


def _ok(response: Any) -> None:
    assert response.status_code in {200, 400, 403, 404}, (
        response.status_code,
        response.content[:300],
    )
    if response.status_code != 200:
        ctype = response["Content-Type"]
        assert ctype.startswith("text/xml") or ctype.startswith("application/json")
        assert b"<errors>" in response.content or response.content.startswith(b'[{"code"')
        # "General service error" is how an unexpected exception leaves: a crash, hidden.
        assert b"General service error" not in response.content, response.content[:300]


@pytest.mark.fuzz
def test_fuzz_get_endpoints_with_junk(o311: Any) -> None:
    rng = random.Random(311)
    paths = [
        "services",
        "services/010301",
        "requests",
        "requests/1",
        "tokens/x",
        "servicerequestupdates",
        "discovery",
        "requests/{junk}",
        "tokens/{junk}",
        "services/{junk}",
    ]
    for _ in range(300):
        path = rng.choice(paths).format(junk=quote(rng.choice(JUNK)[:100], safe=""))
        params = {rng.choice(PARAMS): rng.choice(JUNK) for _ in range(rng.randint(1, 4))}
        suffix = rng.choice([".xml", ".json", ".xml", ".json", ".json%0A", "%0A.xml"])
        _ok(o311.client.get(f"{BASE}/{path}{suffix}", params))
    for junk in JUNK:
        _ok(o311.client.get(f"{BASE}/media/{quote(junk[:100], safe='')}"))


@pytest.mark.fuzz
def test_fuzz_every_parameter_with_every_junk_value_one_at_a_time(o311: Any) -> None:
    """One bad value in an otherwise good call reaches that value's own check (a random mix
    mostly stops at the first bad parameter)."""
    valid = {
        "api_key": o311.key,
        "service_code": "010301",
        "description": "路面破损",
        **KAIFU_POINT,
    }
    for i, (name, junk) in enumerate(itertools.product(PARAMS, JUNK)):
        fmt = ("xml", "json")[i % 2]
        _ok(o311.client.post(f"{BASE}/requests.{fmt}", {**valid, name: junk}))
        if i % 3 == 0:
            _ok(o311.client.get(f"{BASE}/requests.{fmt}", {name: junk}))


@pytest.mark.fuzz
def test_fuzz_post_with_junk(o311: Any) -> None:
    rng = random.Random(4301)
    for _ in range(150):
        data = {
            "api_key": o311.key,
            "service_code": rng.choice(["010301", "010302", "x", ""]),
            **KAIFU_POINT,
        }
        data.update({rng.choice(PARAMS): rng.choice(JUNK) for _ in range(rng.randint(1, 4))})
        _ok(o311.client.post(f"{BASE}/requests.{rng.choice(['xml', 'json'])}", data))


def test_fuzz_odd_urls_and_bodies(o311: Any) -> None:
    client = o311.client
    for url in [
        "services",
        "services.",
        "services.XML",
        "services.json.json",
        "requests/",
        "requests/1/2.json",
        "tokens/.json",
        "services/%00.json",
        f"services/{quote('井盖')}.json",
        "requests/99999999999999999999.xml",
        "requests/1.exe",
        "servicerequestupdates.yaml",
        "x" * 3000,
    ]:
        _ok(client.get(f"{BASE}/{url}"))
    _ok(
        client.post(
            f"{BASE}/requests.json",
            b"\xff\xfe\x00garbage",
            content_type="application/x-www-form-urlencoded",
        )
    )
    _ok(client.post(f"{BASE}/requests.json", "{not json", content_type="application/json"))
    _ok(
        client.post(
            f"{BASE}/requests.xml", b"--x\r\nbroken", content_type="multipart/form-data; boundary=x"
        )
    )
    for no_boundary in ("multipart/form-data", "multipart/form-data; boundary=", "multipart/mixed"):
        _ok(client.post(f"{BASE}/requests.json", b"--x\r\nbroken", content_type=no_boundary))
    _ok(
        client.post(
            f"{BASE}/requests.xml",
            "&".join(f"f{i}=1" for i in range(1200)),
            content_type="application/x-www-form-urlencoded",
        )
    )
    _ok(client.put(f"{BASE}/requests.json", "a=1"))
    _ok(client.post(f"{BASE}/services.json", {"a": "1"}))
    huge = client.post(
        f"{BASE}/requests.json",
        "",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH="999999999999",
    )
    assert huge.status_code == 400


def test_an_unexpected_failure_is_a_400_general_service_error(o311: Any, monkeypatch: Any) -> None:
    from banshi.open311 import selectors

    def boom() -> None:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(selectors, "service_list", boom)
    response = o311.client.get(f"{BASE}/services.json")
    assert response.status_code == 400
    assert "General service error" in response.json()[0]["description"]


def _described(response: Any) -> str:
    _ok(response)
    errors = response.json()
    assert "General service error" not in errors[0]["description"], errors
    return errors[0]["description"]


@pytest.mark.parametrize("junk", ["²", "①", "３", "٣"])
def test_unicode_digits_are_refused_by_name_not_as_a_general_error(o311: Any, junk: str) -> None:
    client = o311.client
    detail = client.get(f"{BASE}/requests/{quote(junk)}.json")
    assert detail.status_code == 404
    _described(detail)
    for params, name in (
        ({"service_request_id": junk}, "service_request_id"),
        ({"page": junk}, "page"),
        ({"page_size": junk}, "page_size"),
    ):
        response = client.get(f"{BASE}/requests.json", params)
        assert response.status_code == 400
        assert name in _described(response)
    updates = client.get(f"{BASE}/servicerequestupdates.json", {"page": junk})
    assert updates.status_code == 400 and "page" in _described(updates)


@pytest.mark.parametrize(
    ("path", "params", "name"),
    [
        ("requests", {"end_date": "0001-01-01T00:00:00+23:59"}, "end_date"),
        ("requests", {"start_date": "0001-01-01T00:00:00+23:59"}, "start_date"),
        ("requests", {"start_date": "9999-12-31T23:59:59-23:59"}, "start_date"),
        ("requests", {"updated_after": "9999-12-31T00:00:00Z"}, "updated_after"),
        ("requests", {"updated_before": "0001-01-01T00:00:00+08:00"}, "updated_before"),
        ("servicerequestupdates", {"end_date": "0001-01-01T00:00:00+23:59"}, "end_date"),
        ("servicerequestupdates", {"start_date": "9999-12-31T00:00:00Z"}, "start_date"),
    ],
)
def test_dates_at_the_ends_of_the_calendar_are_a_400_naming_the_parameter(
    o311: Any, path: str, params: dict[str, str], name: str
) -> None:
    response = o311.client.get(f"{BASE}/{path}.json", params)
    assert response.status_code == 400
    assert name in _described(response)


def test_a_wide_but_sane_range_is_still_accepted(o311: Any) -> None:
    response = o311.client.get(f"{BASE}/requests.json", {"start_date": "1900-01-01T00:00:00+08:00"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "value", ["1e5000", "1e1000000", "-1e16", "1e-16", "9" * 31, "１２", "1_000", "nan", "0x10"]
)
def test_number_attributes_are_bounded_before_they_are_converted(o311: Any, value: str) -> None:
    started = time.monotonic()
    response = o311.client.post(
        f"{BASE}/requests.json",
        {
            "api_key": o311.key,
            "service_code": "010301",
            "description": "路面破损",
            "attribute[AREA]": value,
            **KAIFU_POINT,
        },
    )
    assert time.monotonic() - started < 5
    assert response.status_code == 400
    assert "AREA" in _described(response)


@pytest.mark.parametrize(
    ("value", "stored"), [("12", 12), ("2.5", 2.5), ("1e3", 1000), ("-0", 0), ("0.001", 0.001)]
)
def test_ordinary_number_attributes_are_kept(o311: Any, value: str, stored: Any) -> None:
    from banshi.workorders.models import WorkOrder

    rid = o311.submit(**{"attribute[AREA]": value})
    assert WorkOrder.objects.get(pk=rid).open311_attributes == {"AREA": stored}


@pytest.mark.parametrize(
    ("url", "fmt"),
    [
        ("/open311/v2/requests/1%0A.json", "json"),
        ("/open311/v2/services.json%0A", "json"),
        ("/open311/v2/%0A", "xml"),
        ("/open311/v2/requests%0A/1.xml", "xml"),
        ("/open311/discovery.json%0A", "json"),
        ("/open311/nothing", "xml"),
    ],
)
def test_paths_with_a_newline_get_open311_errors_not_an_html_page(
    o311: Any, url: str, fmt: str
) -> None:
    response = o311.client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json" if fmt == "json" else "text/xml")
    _ok(response)


def test_an_existing_request_id_followed_by_a_newline_is_not_that_request(o311: Any) -> None:
    rid = o311.submit()
    assert o311.client.get(f"{BASE}/requests/{rid}.json").status_code == 200
    for junk in ("%0A", "%20", "%0D%0A"):
        response = o311.client.get(f"{BASE}/requests/{rid}{junk}.json")
        assert response.status_code == 404, junk
        _ok(response)


def test_the_bare_v2_url_still_gains_its_slash(client: Any, tree: Any) -> None:
    response = client.get("/open311/v2")
    assert response.status_code == 301 and response["Location"] == "/open311/v2/"
