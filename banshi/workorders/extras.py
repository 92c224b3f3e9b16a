"""Extension points of the request pages, for the apps above workorders in the layer order.

Workorders must not import the apps built on it (projects, …), yet some of their facts belong on
its pages: the citizen's tracking page shows the 实事项目 a request was turned into, and the staff
list lets a project collector pick requests and turn them into a project. So the dependency is
inverted: such an app registers *providers* here from its ``AppConfig.ready()``, and the request
pages ask this registry, knowing nothing about who answers. A provider returns ``Panel``s — a
template of its own app and that template's context — which the page includes as they come.

The same holds for the forms where a request is classified and dispatched (the dispatch
assistant's suggestions on the intake, citizen and dispatch forms and on the dispatch queues) and
for the dispatch decision itself: an observer is told, inside the dispatch transaction, what the
dispatcher chose.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.http import QueryDict

from banshi.workorders.models import Category, WorkOrder

logger = logging.getLogger("banshi.workorders.extras")


@dataclass(frozen=True)
class Panel:
    """A piece of another app's page: its template and context (the template sees ``data``)."""

    template: str
    data: dict[str, Any]


@dataclass(frozen=True)
class ListExtension:
    """What an app adds to the staff request list: an action taking the ticked requests (a GET to
    ``select_url`` with one ``orders=<id>`` per tick) and panels above the list."""

    select_label: str
    select_url: str
    panels: list[Panel] = field(default_factory=list)


TrackingProvider = Callable[[WorkOrder], list[Panel]]
ListProvider = Callable[[Any, QueryDict], ListExtension | None]
# (user, form, order): form is "intake" (operator), "ask" (citizen) or "dispatch" (the dispatch
# form of one request, which is ``order``); the user is anonymous on "ask".
FormProvider = Callable[[Any, str, WorkOrder | None], list[Panel]]
# (user, queue name, the orders on the page)
QueueProvider = Callable[[Any, str, list[WorkOrder]], list[Panel]]
# (actor, order after the change, "dispatch" or "redispatch", its category before the change)
DispatchObserver = Callable[..., None]

FORMS = frozenset({"intake", "ask", "dispatch"})

_tracking: list[TrackingProvider] = []
_list: list[ListProvider] = []
_forms: list[FormProvider] = []
_queues: list[QueueProvider] = []
_observers: list[DispatchObserver] = []


def register_tracking_panel(provider: TrackingProvider) -> None:
    """``provider(order)`` returns the panels to show the citizen under their request."""
    if provider not in _tracking:
        _tracking.append(provider)


def register_list_extension(provider: ListProvider) -> None:
    """``provider(user, query)`` returns what to add to the staff list for that user, or None."""
    if provider not in _list:
        _list.append(provider)


def tracking_panels(order: WorkOrder) -> list[Panel]:
    return [panel for provider in _tracking for panel in provider(order)]


def list_extensions(user: Any, query: QueryDict) -> list[ListExtension]:
    return [ext for provider in _list if (ext := provider(user, query)) is not None]


def register_form_panel(provider: FormProvider) -> None:
    """``provider(user, form, order)`` returns panels to include in that form."""
    if provider not in _forms:
        _forms.append(provider)


def register_queue_panel(provider: QueueProvider) -> None:
    """``provider(user, name, orders)`` returns panels to show above a queue's page of rows."""
    if provider not in _queues:
        _queues.append(provider)


def register_dispatch_observer(observer: DispatchObserver) -> None:
    """``observer(actor=, order=, action=, category_before=)`` is called inside the transaction
    of every dispatch and redispatch."""
    if observer not in _observers:
        _observers.append(observer)


def form_panels(user: Any, form: str, order: WorkOrder | None = None) -> list[Panel]:
    if form not in FORMS:
        raise ValueError(f"未知的表单：{form}")
    return [panel for provider in _forms for panel in provider(user, form, order)]


def queue_panels(user: Any, name: str, orders: list[WorkOrder]) -> list[Panel]:
    return [panel for provider in _queues for panel in provider(user, name, orders)]


def dispatched(*, actor: Any, order: WorkOrder, action: str, category_before: Category) -> None:
    """Tell every observer. Each runs in a savepoint and a failing one is logged, never allowed
    to undo the dispatch it watches."""
    for observer in _observers:
        try:
            with transaction.atomic():
                observer(actor=actor, order=order, action=action, category_before=category_before)
        except Exception:
            logger.exception("派单观察者失败：%s（工单 %s）", observer, order.pk)
