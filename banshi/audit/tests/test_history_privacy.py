"""Change records show personal fields masked, with the same rules as everywhere else; a role with
``pii.view`` sees them in full only through the logged reveal (issue 8.5)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from banshi.accounts.roles import Role
from banshi.accounts.services import user_create
from banshi.audit.models import ChangeRecord, PersonalDataAccess
from banshi.core.masking import mask_personal_fields, personal_fields_in
from banshi.orgtree.services import orgunit_rename

MOBILE = "13700001111"
MASKED = "137****1111"


def _new_staff(tree: Any, cast: Any) -> tuple[Any, ChangeRecord]:
    admin = cast.make(Role.ORG_ADMIN, tree.kaifu)
    user = user_create(
        actor=admin, mobile=MOBILE, name="新同事", org_unit=tree.xiufeng, password="Passw0rd!x"
    )
    return admin, ChangeRecord.objects.get(action="user.create", object_id=str(user.pk))


def test_the_history_shows_staff_mobiles_masked_to_a_supervisor_who_cannot_reveal(
    client: Client, tree: Any, cast: Any
) -> None:
    _, record = _new_staff(tree, cast)
    supervisor = cast.make(Role.SUPERVISOR, tree.kaifu)
    client.force_login(supervisor)
    page = client.get("/audit/", {"action": "user.create"}).content.decode()
    assert MASKED in page and MOBILE not in page
    assert "1990009" not in page  # nor the mobiles of the cast (1990009xxxx)
    assert f'id="reveal-{record.pk}"' not in page
    assert client.post(f"/audit/{record.pk}/reveal/").status_code == 403
    assert not PersonalDataAccess.objects.filter(actor=supervisor).exists()


def test_an_admin_sees_the_mobile_in_full_only_through_the_logged_reveal(
    client: Client, tree: Any, cast: Any
) -> None:
    admin, record = _new_staff(tree, cast)
    client.force_login(admin)
    page = client.get("/audit/", {"action": "user.create"}).content.decode()
    assert MASKED in page and MOBILE not in page and f'id="reveal-{record.pk}"' in page
    assert not PersonalDataAccess.objects.filter(actor=admin).exists()
    response = client.post(f"/audit/{record.pk}/reveal/")
    assert response.status_code == 200 and MOBILE in response.content.decode()
    log = PersonalDataAccess.objects.get(actor=admin)
    assert log.fields == ["mobile"] and log.object_id == str(record.pk)
    assert log.scope_path == tree.xiufeng.path  # the access log is scoped like the record


def test_a_record_outside_the_viewers_subtree_cannot_be_revealed(
    client: Client, tree: Any, cast: Any
) -> None:
    _, record = _new_staff(tree, cast)
    client.force_login(cast.make(Role.ORG_ADMIN, tree.yuhua))
    assert client.post(f"/audit/{record.pk}/reveal/").status_code == 404
    assert client.post("/audit/x/reveal/").status_code == 404


def test_a_record_without_personal_fields_has_nothing_to_reveal(
    client: Client, tree: Any, cast: Any
) -> None:
    orgunit_rename(actor=None, unit=tree.datang, name="大塘社区")
    admin = cast.make(Role.ORG_ADMIN, tree.kaifu)
    record = ChangeRecord.objects.get(action="orgunit.rename")
    client.force_login(admin)
    page = client.get("/audit/", {"action": "orgunit.rename"}).content.decode()
    assert "大塘社区" in page and f'id="reveal-{record.pk}"' not in page
    assert client.post(f"/audit/{record.pk}/reveal/").status_code == 400
    assert not PersonalDataAccess.objects.filter(actor=admin).exists()


def test_the_admin_site_shows_change_records_masked(client: Client, tree: Any, cast: Any) -> None:
    _, record = _new_staff(tree, cast)
    client.force_login(cast.superuser(tree.city))
    page = client.get(f"/admin/audit/changerecord/{record.pk}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    assert MASKED in text and MOBILE not in text


def test_personal_fields_are_masked_at_any_depth_with_the_common_rules() -> None:
    data = {
        "mobile": "13812345678",
        "name": "张秀英",
        "items": [{"id_number": "430105195001019011", "caller_phone": "073184001234"}],
        "nested": {"caller_name": "张秀英", "phone": ""},
        "count": 3,
    }
    assert mask_personal_fields(data) == {
        "mobile": "138****5678",
        "name": "张秀英",
        "items": [{"id_number": "430105********9011", "caller_phone": "********1234"}],
        "nested": {"caller_name": "张*英", "phone": ""},
        "count": 3,
    }
    assert personal_fields_in(data) == ["caller_name", "caller_phone", "id_number", "mobile"]
    assert mask_personal_fields(None) is None
