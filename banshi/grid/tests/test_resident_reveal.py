"""Revealing a resident's phone and ID number needs the right to read the household first
(``household.view``) and then ``pii.view``; ``pii.view`` alone, which dispatchers hold for callers,
opens nothing of the register (issue 8.9)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from banshi.accounts.roles import Role
from banshi.audit.models import PersonalDataAccess
from banshi.core.errors import NotFound
from banshi.grid.services import resident_reveal


def _reveal(client: Client, resident: Any) -> tuple[int, int]:
    page = client.post(f"/grid/residents/{resident.pk}/reveal/").status_code
    api = client.post(f"/api/v1/residents/{resident.pk}/reveal").status_code
    return page, api


@pytest.mark.parametrize("role", [Role.DISPATCHER, Role.OPERATOR])
def test_pii_view_without_household_view_does_not_find_the_resident(
    client: Client, tree: Any, cast: Any, role: Role
) -> None:
    user = cast.make(role, tree.kaifu)
    resident = tree.household.residents.get()
    client.force_login(user)
    assert _reveal(client, resident) == (404, 404)
    with pytest.raises(NotFound):
        resident_reveal(actor=user, resident=resident)
    assert not PersonalDataAccess.objects.exists()


def test_household_view_without_pii_view_is_refused(client: Client, tree: Any, cast: Any) -> None:
    client.force_login(cast.make(Role.SUPERVISOR, tree.kaifu))
    assert _reveal(client, tree.household.residents.get()) == (403, 403)
    assert not PersonalDataAccess.objects.exists()


def test_a_community_worker_reveals_with_a_log_row_and_not_across_districts(
    client: Client, tree: Any, cast: Any
) -> None:
    worker = cast.make(Role.COMMUNITY_WORKER, tree.datang)
    resident = tree.household.residents.get()
    client.force_login(worker)
    revealed = client.post(f"/api/v1/residents/{resident.pk}/reveal").json()
    assert revealed == {"mobile": "13812345678", "id_number": "430105195001019011"}
    assert PersonalDataAccess.objects.filter(actor=worker, object_id=str(resident.pk)).count() == 1
    other = tree.yuhua_household.residents.get()
    assert _reveal(client, other) == (404, 404)
