"""Reads of accounts, scoped to the acting user's subtree."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from banshi.accounts.models import RoleAssignment, User
from banshi.accounts.roles import roles_for
from banshi.core.errors import NotFound
from banshi.core.validation import is_digits, parse_id


def users_for(actor: Any, *, query: str = "", unit_path: str | None = None) -> QuerySet[User]:
    qs = User.objects.for_user(actor, "user.view").select_related("org_unit")
    if unit_path:
        qs = qs.filter(org_unit__path__startswith=unit_path)
    query = query.strip()
    if query:
        condition = Q(name__icontains=query)
        if is_digits(query) and len(query) >= 4:
            condition |= Q(mobile__endswith=query)
        qs = qs.filter(condition)
    active = RoleAssignment.objects.active().select_related("org_unit").order_by("id")
    return qs.prefetch_related(
        Prefetch("role_assignments", queryset=active, to_attr="active_roles")
    )


def get_user(actor: Any, user_id: object) -> User:
    pk = parse_id(user_id, field="用户编号")
    user = users_for(actor).filter(pk=pk).first()
    if user is None:
        raise NotFound()
    return user


def get_assignment(actor: Any, assignment_id: object) -> RoleAssignment:
    pk = parse_id(assignment_id, field="授权编号")
    assignment = (
        RoleAssignment.objects.for_user(actor, "user.grant")
        .select_related("user", "org_unit")
        .filter(pk=pk)
        .first()
    )
    if assignment is None:
        raise NotFound()
    return assignment


def active_assignments(user: User) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.active().filter(user=user).select_related("org_unit")


def holders_on(role: str, unit: Any) -> QuerySet[User]:
    """Active users holding ``role`` granted on ``unit`` itself (not on a unit above it)."""
    ids = RoleAssignment.objects.active().filter(role=role, org_unit=unit).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True)


def active_users_named(name: str) -> QuerySet[User]:
    """Every active user called ``name``, for a caller that then checks each one's grants (an
    imported ledger names its 牵头领导 by name)."""
    return User.objects.filter(name=name, is_active=True)


def holders_at(action: str, units: list[Any]) -> QuerySet[User]:
    """Active users whose active grant of ``action`` reaches one of ``units``: granted on the unit
    itself or on a unit above it (a city leader leads in every district)."""
    paths = {path for unit in units for path in (*unit.ancestor_paths, unit.path)}
    granted = (
        RoleAssignment.objects.active()
        .filter(role__in=roles_for(action), org_unit__path__in=paths)
        .values("user_id")
    )
    return User.objects.filter(pk__in=granted, is_active=True)
