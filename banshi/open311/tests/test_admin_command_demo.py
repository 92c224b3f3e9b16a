"""The open311_app command, the admin pages and the demo seeding."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from banshi.open311.demo import DEMO_APP, seed_open311
from banshi.open311.models import ApiKey, Application, ServiceAttribute
from banshi.open311.services import authenticate, digest_of
from banshi.open311.tests.conftest import KAIFU_POINT, Open311

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command("open311_app", *args, stdout=out)
    return out.getvalue()


def test_create_prints_the_key_last_and_stores_only_its_digest(tree: Any, client: Any) -> None:
    output = _run("create", "--name", "市民通", "--contact", "李工", "--unit", "430105")
    key = output.strip().splitlines()[-1]
    app = Application.objects.get(name="市民通")
    assert app.org_unit == tree.kaifu and app.contact == "李工"
    stored = ApiKey.objects.get(application=app)
    assert stored.digest == digest_of(key) and key not in stored.digest
    assert authenticate(key) == app
    assert (
        Open311(client, key)
        .post("json", service_code="010301", description="命令行密钥", **KAIFU_POINT)
        .status
        == 200
    )


def test_list_key_and_deactivate(tree: Any) -> None:
    _run("create", "--name", "市民通")
    second = _run("key", "--name", "市民通").strip().splitlines()[-1]
    assert "市民通" in _run("list") and "有效密钥 2 个" in _run("list")
    _run("deactivate", "--name", "市民通")
    with pytest.raises(Exception):
        authenticate(second)
    with pytest.raises(CommandError):
        _run("create", "--name", "市民通")
    with pytest.raises(CommandError):
        _run("create", "--name", "别的", "--unit", "000")
    with pytest.raises(CommandError):
        _run("deactivate", "--name", "没有这个")


def test_seed_open311_is_idempotent_and_its_key_works(
    tree: Any, settings: Any, tmp_path: Any, client: Any
) -> None:
    settings.VAR_DIR = tmp_path
    first = seed_open311()
    second = seed_open311()
    key = (tmp_path / "open311_demo_key").read_text().strip()
    assert key in first and key in second
    assert Application.objects.filter(name=DEMO_APP).count() == 1
    assert ApiKey.objects.filter(application__name=DEMO_APP).count() == 1
    datatypes = set(ServiceAttribute.objects.values_list("datatype", flat=True))
    assert datatypes == {
        "string",
        "number",
        "datetime",
        "text",
        "singlevaluelist",
        "multivaluelist",
    }
    assert (
        Open311(client, key)
        .post("xml", service_code="010301", description="演示密钥", **KAIFU_POINT)
        .status
        == 200
    )


def test_admin_pages_render(tree: Any, cast: Any, client: Any, app_key: str) -> None:
    from banshi.open311.models import PublishedService

    client.force_login(cast.superuser(tree.city))
    app = Application.objects.get(name="测试应用")
    attribute = ServiceAttribute.objects.get(code="COVER_TYPE")
    service = PublishedService.objects.get(code="010302")
    for url in [
        "/admin/open311/application/",
        f"/admin/open311/application/{app.pk}/change/",
        "/admin/open311/serviceattribute/",
        f"/admin/open311/serviceattribute/{attribute.pk}/change/",
        "/admin/open311/publishedservice/",
        f"/admin/open311/publishedservice/{service.pk}/change/",
    ]:
        assert client.get(url).status_code == 200, url
    response = client.post(
        "/admin/open311/application/",
        {"action": "issue_key", "_selected_action": [app.pk]},
        follow=True,
    )
    assert ApiKey.objects.filter(application=app).count() == 2
    assert "新密钥" in response.content.decode()
