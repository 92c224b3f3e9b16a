"""The stored per-unit figures behind every node's totals (``UnitFigures``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Sum

from banshi.volunteers.choices import HoursStatus, Status
from banshi.volunteers.models import Activity, SignUp, UnitFigures


def figures_refresh(unit_ids: Iterable[int]) -> None:
    """Recount the units' own activities, beneficiaries and confirmed minutes (two aggregate
    queries over one unit's rows), inside the caller's transaction."""
    for unit_id in set(unit_ids):
        held = Activity.objects.filter(org_unit_id=unit_id).exclude(status=Status.CANCELLED)
        counts = held.aggregate(n=Count("pk"), people=Sum("beneficiaries"))
        minutes = SignUp.objects.filter(
            activity__org_unit_id=unit_id, hours_status=HoursStatus.CONFIRMED
        ).aggregate(m=Sum("credited_minutes"))["m"]
        UnitFigures.objects.update_or_create(
            org_unit_id=unit_id,
            defaults={
                "activities": counts["n"] or 0,
                "beneficiaries": counts["people"] or 0,
                "minutes": minutes or 0,
            },
        )


def refresh_for_activity(activity: Any) -> None:
    """更新组织单位的活动数、服务人次与时长汇总"""
    figures_refresh([activity.org_unit_id])
