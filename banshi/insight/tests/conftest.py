"""Fixtures for the dispatch assistant and 未诉先办: requests made through the real services,
and a trained category model (trained once per test session, stored per test)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from banshi.core.calendar import TZ
from banshi.insight import engine
from banshi.insight.models import CategoryModel
from banshi.workorders.models import Category, WorkOrder
from banshi.workorders.services import SubmitInput, submit, transition

NOW = datetime.datetime(2026, 11, 16, 10, 0, tzinfo=TZ)  # a Monday
_BLOB: dict[str, Any] = {}


@pytest.fixture(autouse=True)
def _fresh_engine() -> Any:
    # The engine holds the model and the routing statistics per process: not across tests.
    engine.forget()
    yield
    engine.forget()


def leaf(code: str) -> Category:
    return Category.objects.get(code=code)


@pytest.fixture
def model(db: Any) -> CategoryModel:
    """A stored model trained on the lexicon (the session's first use trains it for real)."""
    from banshi.insight.services import model_train

    if "blob" not in _BLOB:
        made = model_train(actor=None)
        _BLOB["blob"] = bytes(made.blob)
        _BLOB["row"] = {
            f.attname: getattr(made, f.attname)
            for f in CategoryModel._meta.concrete_fields
            if f.attname not in {"id", "blob"}
        }
        return made
    return CategoryModel.objects.create(blob=_BLOB["blob"], **_BLOB["row"])


@pytest.fixture
def boss(tree: Any, cast: Any) -> Any:
    return cast.superuser(tree.city)


class Requests:
    """Requests through ``submit`` (and ``transition`` to dispatch them), at chosen moments."""

    def __init__(self, tree: Any, boss: Any) -> None:
        self.tree, self.boss = tree, boss
        self.count = 0

    def submit(self, code: str = "010301", **overrides: Any) -> WorkOrder:
        self.count += 1
        now = overrides.pop("now", NOW)
        data = SubmitInput(
            channel=overrides.pop("channel", "web"),
            kind=overrides.pop("kind", "complaint"),
            category_id=leaf(code).pk,
            content=overrides.pop("content", f"建湘路{self.count}号门前道路破损，雨天积水。"),
            address=overrides.pop("address", "开福区秀峰街道新大塘社区建湘路"),
            caller_name=overrides.pop("caller_name", "张秀英"),
            caller_phone=overrides.pop("caller_phone", f"1381234{self.count:04d}"),
            org_unit=overrides.pop("org_unit", self.tree.datang),
            **overrides,
        )
        order, _ = submit(actor=None, data=data, now=now)
        return order

    def dispatched(self, code: str, lead: Any, **overrides: Any) -> WorkOrder:
        now = overrides.get("now", NOW)
        order = self.submit(code, **overrides)
        return transition(
            actor=self.boss, order=order, action="dispatch", data={"lead_unit": lead.pk}, now=now
        )


@pytest.fixture
def requests_(tree: Any, boss: Any) -> Requests:
    return Requests(tree, boss)
