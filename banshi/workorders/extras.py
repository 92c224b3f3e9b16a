"""Extension points of the request pages, for the apps above workorders in the layer order.

Workorders must not import the apps built on it (projects, …), yet some of their facts belong on
its pages: the citizen's tracking page shows the 实事项目 a request was turned into, and the staff
list lets a project collector pick requests and turn them into a project. So the dependency is
inverted: such an app registers *providers* here from its ``AppConfig.ready()``, and the request
pages ask this registry, knowing nothing about who answers. A provider returns ``Panel``s — a
template of its own app and that template's context — which the page includes as they come.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict

from banshi.workorders.models import WorkOrder


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

_tracking: list[TrackingProvider] = []
_list: list[ListProvider] = []


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
