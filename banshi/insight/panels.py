"""What the dispatch assistant adds to the request pages, through ``workorders.extras``:

- the operator's intake form and the citizen's /ask/ form get a box that asks for suggestions
  (htmx) once the text is typed, with one click to take a category;
- the dispatch form of a request shows the top three categories and units, each one click away
  (a category fills the form's hidden ``category``, a unit the lead-unit picker);
- the 待受理 and 待派单 queues get a table of their requests with the first suggestions and a
  one-click "按建议派单".

Every panel names the model version that suggested it. A suggestion that fails is logged and
left out, never allowed to break the page it sits on. The request pages show suggestions once a
model is stored (the scheduler's first round trains one on a new installation); they never wait
for a training themselves, while the intake and citizen boxes, which load on their own, may.
"""

from __future__ import annotations

import logging
from typing import Any

from django.urls import reverse

from banshi.core.permissions import can
from banshi.insight import engine
from banshi.workorders.choices import Status
from banshi.workorders.extras import Panel
from banshi.workorders.models import WorkOrder

logger = logging.getLogger("banshi.insight.panels")
QUEUES = {"intake", "to_dispatch"}
DISPATCHABLE = {Status.RECEIVED, Status.PENDING_DISPATCH}
QUEUE_MAX = 30


def _for_order(user: Any, order: WorkOrder, *, units: int = 3) -> engine.Suggestion:
    ask = engine.Ask(order.content, order.title, order.address)
    suggestion = engine.suggest(ask, user=user, categories=3, units=units, with_units=False)
    suggestion.place = order.org_unit
    suggestion.units, notes = engine.rank_units(user, order.org_unit, suggestion.categories, units)
    suggestion.notes.extend(notes)
    return suggestion


def form_panels(user: Any, form: str, order: WorkOrder | None) -> list[Panel]:
    try:
        if form == "ask":
            return [Panel("insight/_ask_panel.html", {"url": reverse("insight:ask_suggest")})]
        if form == "intake" and can(user, "dispatch.suggest"):
            return [Panel("insight/_intake_panel.html", {"url": reverse("insight:suggest")})]
        if (
            form == "dispatch"
            and order is not None
            and can(user, "workorder.dispatch", order)
            and engine.current_model(ensure=False) is not None
        ):
            suggestion = _for_order(user, order)
            return [
                Panel(
                    "insight/_dispatch_panel.html",
                    {"s": suggestion, "order": order, "current": order.category_id},
                )
            ]
    except Exception:
        logger.exception("派单建议面板失败：%s", form)
    return []


def queue_panels(user: Any, name: str, orders: list[WorkOrder]) -> list[Panel]:
    if name not in QUEUES or not can(user, "workorder.dispatch"):
        return []
    if engine.current_model(ensure=False) is None:
        return []  # a page is never kept waiting for a first training: the scheduler does it
    items = []
    try:
        for order in orders[:QUEUE_MAX]:
            if order.status in DISPATCHABLE and can(user, "workorder.dispatch", order):
                items.append({"order": order, "s": _for_order(user, order)})
    except Exception:
        logger.exception("派单建议队列面板失败：%s", name)
        return []
    if not items:
        return []
    return [Panel("insight/_queue_panel.html", {"items": items})]
