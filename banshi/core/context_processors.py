"""Notices every page shows to the people who can act on them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from banshi.core.calendar import unknown_years
from banshi.core.permissions import can


def _today() -> Any:
    return timezone.localdate()


def calendar_notice(request: HttpRequest) -> dict[str, Any]:
    """Admins (superusers, 组织管理员) are told which coming years have no holiday schedule yet,
    with the link to where it is entered; everyone else's deadlines just run on."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if not (user.is_superuser or can(user, "orgunit.manage")):
        return {}
    years = unknown_years(_today())
    if not years:
        return {}
    return {
        "calendar_unknown_years": years,
        "calendar_admin_url": reverse("admin:core_calendaroverride_changelist"),
        "calendar_can_enter": user.has_perm("core.add_calendaroverride"),
    }
