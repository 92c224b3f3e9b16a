"""Fixtures for requests: a superuser to drive orders into any state, and a factory."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from banshi.core.calendar import TZ
from banshi.workorders.models import Category, WorkOrder
from banshi.workorders.services import SubmitInput, submit, transition

NOW = datetime.datetime(2026, 11, 16, 10, 0, tzinfo=TZ)  # a Monday


@pytest.fixture
def leaf() -> Category:
    if not Category.objects.filter(code="010301").exists():
        # An earlier transactional test ended by emptying every table, the migration-seeded
        # categories and time limits included.
        from banshi.workorders.models import TimeLimitRule
        from banshi.workorders.taxonomy import load_taxonomy, load_time_limits

        load_taxonomy(Category)
        load_time_limits(TimeLimitRule)
    return Category.objects.get(code="010301")  # 城市管理 › 市政设施 › 道路破损


@pytest.fixture
def boss(tree: Any, cast: Any) -> Any:
    return cast.superuser(tree.city)


class Factory:
    def __init__(self, tree: Any, boss: Any, leaf: Category) -> None:
        self.tree, self.boss, self.leaf = tree, boss, leaf
        self.count = 0

    def submit(self, **overrides: Any) -> WorkOrder:
        self.count += 1
        now = overrides.pop("now", NOW)
        data = SubmitInput(
            channel=overrides.pop("channel", "web"),
            kind=overrides.pop("kind", "complaint"),
            category_id=overrides.pop("category_id", self.leaf.pk),
            content=overrides.pop("content", f"建湘路{self.count}号门前道路破损，雨天积水。"),
            address=overrides.pop("address", "开福区秀峰街道新大塘社区建湘路"),
            caller_name=overrides.pop("caller_name", "张秀英"),
            caller_phone=overrides.pop("caller_phone", "13812345678"),
            org_unit=overrides.pop("org_unit", self.tree.datang),
            **overrides,
        )
        order, _ = submit(actor=None, data=data, now=now)
        return order

    def at(
        self,
        status: str,
        *,
        now: datetime.datetime = NOW,
        lead: Any = None,
        co: list[Any] | None = None,
        **submit_args: Any,
    ) -> WorkOrder:
        """A fresh order driven to ``status`` by the superuser (dispatched with ``co`` units)."""
        order = self.submit(**submit_args)
        lead = lead or self.tree.xiufeng
        steps: dict[str, list[tuple[str, dict[str, Any]]]] = {
            "received": [],
            "pending_dispatch": [("queue", {})],
            "dispatched": [("dispatch", {"lead_unit": lead.pk})],
            "signed": [("dispatch", {"lead_unit": lead.pk}), ("sign", {})],
            "return_requested": [
                ("dispatch", {"lead_unit": lead.pk}),
                ("request_return", {"reason": "不属于本单位职责"}),
            ],
            "in_progress": [
                ("dispatch", {"lead_unit": lead.pk}),
                ("sign", {}),
                ("contact", {"note": "已电话联系"}),
            ],
            "replied": [
                ("dispatch", {"lead_unit": lead.pk}),
                ("sign", {}),
                ("contact", {"note": "已电话联系"}),
                ("reply", {"result": "已修复", "solved": True}),
            ],
            "callback": [
                ("dispatch", {"lead_unit": lead.pk}),
                ("sign", {}),
                ("contact", {"note": "已电话联系"}),
                ("reply", {"result": "已修复", "solved": True}),
                ("audit_pass", {}),
            ],
            "closed": [
                ("dispatch", {"lead_unit": lead.pk}),
                ("sign", {}),
                ("contact", {"note": "已电话联系"}),
                ("reply", {"result": "已修复", "solved": True}),
                ("audit_pass", {}),
                ("callback", {"resolution": "solved", "satisfaction": "satisfied"}),
            ],
        }
        for action, data in steps[status]:
            if action == "dispatch" and co:
                data = {**data, "co_units": [unit.pk for unit in co]}
            order = transition(actor=self.boss, order=order, action=action, data=data, now=now)
        assert order.status == status
        return order


@pytest.fixture
def orders(tree: Any, boss: Any, leaf: Category) -> Factory:
    return Factory(tree, boss, leaf)
