"""Login, throttling, masking, grants and their history."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from banshi.accounts.models import RoleAssignment, User
from banshi.accounts.roles import ACTIONS, Role, actions_of, roles_for
from banshi.accounts.services import role_grant, role_revoke, user_create
from banshi.audit.models import ChangeRecord, PersonalDataAccess
from banshi.core.errors import NotFound, ValidationFailed


def test_login_page_is_in_chinese(client: Client, db: Any) -> None:
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "工作人员登录" in response.content.decode()


def test_login_by_mobile_and_password_then_logout(tree: Any, cast: Any, client: Client) -> None:
    user = cast.make(Role.ORG_ADMIN, tree.xiufeng)
    response = client.post("/accounts/login/", {"mobile": user.mobile, "password": "Passw0rd!x"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302


def test_wrong_password_is_refused_in_chinese(tree: Any, cast: Any, client: Client) -> None:
    user = cast.make(Role.ORG_ADMIN, tree.xiufeng)
    response = client.post("/accounts/login/", {"mobile": user.mobile, "password": "wrong"})
    assert response.status_code == 400
    assert "手机号或密码错误" in response.content.decode()


def test_repeated_failures_lock_the_number_for_the_window(
    tree: Any, cast: Any, client: Client, settings: Any
) -> None:
    settings.LOGIN_FAILURE_LIMIT = 3
    user = cast.make(Role.ORG_ADMIN, tree.xiufeng)
    for _ in range(3):
        client.post("/accounts/login/", {"mobile": user.mobile, "password": "wrong"})
    response = client.post("/accounts/login/", {"mobile": user.mobile, "password": "Passw0rd!x"})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_does_not_redirect_off_site(tree: Any, cast: Any, client: Client) -> None:
    user = cast.make(Role.ORG_ADMIN, tree.xiufeng)
    response = client.post(
        "/accounts/login/",
        {"mobile": user.mobile, "password": "Passw0rd!x", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_inactive_users_cannot_log_in(tree: Any, cast: Any, client: Client) -> None:
    user = cast.make(Role.ORG_ADMIN, tree.xiufeng)
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = client.post("/accounts/login/", {"mobile": user.mobile, "password": "Passw0rd!x"})
    assert response.status_code == 400


def test_mobile_is_masked_in_lists_and_revealing_is_logged(
    tree: Any, cast: Any, client: Client
) -> None:
    admin = cast.make(Role.ORG_ADMIN, tree.kaifu)
    subject = cast.make(Role.GRID_MEMBER, tree.datang)
    client.force_login(admin)
    page = client.get("/accounts/users/").content.decode()
    assert subject.masked_mobile in page
    assert subject.mobile not in page
    assert PersonalDataAccess.objects.count() == 0
    revealed = client.post(f"/accounts/users/{subject.pk}/reveal-mobile/")
    assert subject.mobile in revealed.content.decode()
    log = PersonalDataAccess.objects.get()
    assert (log.actor, log.object_id, log.fields) == (admin, str(subject.pk), ["mobile"])
    assert log.request_id


def test_roles_without_pii_right_cannot_reveal(tree: Any, cast: Any, client: Client) -> None:
    supervisor = cast.make(Role.SUPERVISOR, tree.kaifu)
    resident = tree.household.residents.get()
    client.force_login(supervisor)
    page = client.get(f"/grid/households/?unit={tree.datang.pk}").content.decode()
    assert resident.masked_mobile in page and resident.mobile not in page
    assert client.post(f"/api/v1/residents/{resident.pk}/reveal").status_code == 403
    assert PersonalDataAccess.objects.count() == 0


def test_grant_and_revoke_are_audited(tree: Any, cast: Any) -> None:
    admin = cast.make(Role.ORG_ADMIN, tree.kaifu)
    user = cast.make(None, tree.datang)
    assignment = role_grant(actor=admin, user=user, role=Role.GRID_MEMBER, org_unit=tree.datang)
    role_revoke(actor=admin, assignment=assignment)
    actions = list(
        ChangeRecord.objects.filter(
            object_type="accounts.roleassignment", object_id=str(assignment.pk)
        ).values_list("action", flat=True)
    )
    assert sorted(actions) == ["role.grant", "role.revoke"]
    revoke = ChangeRecord.objects.get(action="role.revoke", object_id=str(assignment.pk))
    assert revoke.before["revoked_at"] is None and revoke.after["revoked_at"]
    assert revoke.actor == admin
    with pytest.raises(ValidationFailed, match="已被收回"):
        role_revoke(actor=admin, assignment=assignment)


def test_grant_outside_own_subtree_is_not_found(tree: Any, cast: Any) -> None:
    admin = cast.make(Role.ORG_ADMIN, tree.xiufeng)
    user = cast.make(None, tree.datang)
    with pytest.raises(NotFound):
        role_grant(actor=admin, user=user, role=Role.GRID_MEMBER, org_unit=tree.xinhe)
    stranger = cast.make(None, tree.shiyanhu)
    with pytest.raises(NotFound):
        role_grant(actor=admin, user=stranger, role=Role.GRID_MEMBER, org_unit=tree.datang)
    assert not RoleAssignment.objects.filter(user__in=[user, stranger]).exists()


def test_duplicate_grants_and_bad_ranges_are_refused(tree: Any, cast: Any) -> None:
    import datetime

    from django.utils import timezone

    admin = cast.make(Role.ORG_ADMIN, tree.kaifu)
    user = cast.make(Role.GRID_MEMBER, tree.datang)
    with pytest.raises(ValidationFailed, match="已有该角色"):
        role_grant(actor=admin, user=user, role=Role.GRID_MEMBER, org_unit=tree.datang)
    now = timezone.now()
    with pytest.raises(ValidationFailed, match="晚于"):
        role_grant(
            actor=admin,
            user=user,
            role=Role.SUPERVISOR,
            org_unit=tree.datang,
            valid_from=now,
            valid_until=now - datetime.timedelta(days=1),
        )


@pytest.mark.parametrize(
    ("mobile", "reason"),
    [("12345", "格式"), ("2381234567a", "格式"), ("1381234\x005678", "NUL"), ("", "不能为空")],
)
def test_user_create_checks_the_mobile(tree: Any, mobile: str, reason: str) -> None:
    with pytest.raises(ValidationFailed, match=reason):
        user_create(
            actor=None, mobile=mobile, name="张三", org_unit=tree.datang, password="Abcdefgh1"
        )
    assert not User.objects.filter(name="张三").exists()


def test_user_pages_are_scoped(tree: Any, cast: Any, client: Client) -> None:
    admin = cast.make(Role.ORG_ADMIN, tree.xiufeng)
    inside = cast.make(Role.GRID_MEMBER, tree.datang, name="辖区内")
    outside = cast.make(Role.GRID_MEMBER, tree.xinhe_comm, name="辖区外")
    client.force_login(admin)
    page = client.get("/accounts/users/").content.decode()
    assert "辖区内" in page and "辖区外" not in page
    assert client.get(f"/accounts/users/{inside.pk}/").status_code == 200
    response = client.get(f"/accounts/users/{outside.pk}/")
    assert response.status_code == 404
    assert "不在您的管辖范围内" in response.content.decode()


def test_create_user_and_grant_from_pages(tree: Any, cast: Any, client: Client) -> None:
    admin = cast.make(Role.ORG_ADMIN, tree.xiufeng)
    client.force_login(admin)
    response = client.post(
        "/accounts/users/new/",
        {
            "name": "新网格员",
            "mobile": "13700002222",
            "title": "网格员",
            "org_unit": str(tree.datang.pk),
            "password": "Abcdefg123",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(mobile="13700002222")
    response = client.post(
        f"/accounts/users/{user.pk}/grant/",
        {"role": "grid_member", "org_unit": str(tree.datang.pk)},
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.active().filter(user=user, role="grid_member").exists()
    # Outside the subtree: refused with a message, nothing written.
    client.post(
        f"/accounts/users/{user.pk}/grant/", {"role": "grid_member", "org_unit": str(tree.xinhe.pk)}
    )
    assert RoleAssignment.objects.filter(user=user).count() == 1


def test_every_action_is_granted_by_some_role_and_unknown_actions_fail_closed() -> None:
    for action in ACTIONS:
        assert roles_for(action)
    with pytest.raises(ValueError):
        roles_for("nonexistent.action")
    assert "orgunit.manage" in actions_of(Role.ORG_ADMIN)
