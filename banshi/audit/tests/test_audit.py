"""History is written inside the service's transaction, is append-only, and carries the request id."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from banshi.accounts.roles import Role
from banshi.audit.models import ChangeRecord
from banshi.orgtree.services import orgunit_rename


def test_a_rolled_back_change_leaves_no_record(tree: Any) -> None:
    before = ChangeRecord.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        orgunit_rename(actor=None, unit=tree.datang, name="临时名")
        raise RuntimeError("业务失败")
    assert ChangeRecord.objects.count() == before
    tree.datang.refresh_from_db()
    assert tree.datang.name == "新大塘社区"


def test_records_cannot_be_edited_or_deleted(tree: Any) -> None:
    record = ChangeRecord.objects.first()
    assert record is not None
    record.action = "tampered"
    with pytest.raises(ValueError, match="只能追加"):
        record.save()
    with pytest.raises(ValueError, match="只能追加"):
        record.delete()


def test_request_id_ties_the_record_to_the_request(tree: Any, cast: Any, client: Client) -> None:
    client.force_login(cast.make(Role.ORG_ADMIN, tree.kaifu))
    response = client.patch(
        f"/api/v1/orgunits/{tree.datang.pk}",
        {"name": "大塘社区"},
        content_type="application/json",
        HTTP_X_REQUEST_ID="req-test-000123",
    )
    assert response["X-Request-ID"] == "req-test-000123"
    assert ChangeRecord.objects.get(action="orgunit.rename").request_id == "req-test-000123"


def test_a_malformed_request_id_is_replaced(client: Client, db: Any) -> None:
    response = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert response["X-Request-ID"] != "bad id\nwith newline"
    assert len(response["X-Request-ID"]) == 32


def test_change_pages_are_scoped_to_the_subtree(tree: Any, cast: Any, client: Client) -> None:
    orgunit_rename(actor=None, unit=tree.datang, name="秀峰的社区")
    orgunit_rename(actor=None, unit=tree.shiyanhu, name="雨花的村")
    client.force_login(cast.make(Role.SUPERVISOR, tree.kaifu))
    page = client.get("/audit/").content.decode()
    assert "秀峰的社区" in page and "雨花的村" not in page
    client.force_login(cast.make(Role.GRID_MEMBER, tree.kaifu))
    assert client.get("/audit/").status_code == 403
