"""Reads behind the links between projects and citizen requests: the pre-filled form for a project
made from chosen requests, the 高频诉求 clusters that suggest one (未诉先办), the recurrence of the
linked categories at the project's place before and after it, the linked requests of a project,
and the panels the request pages show through ``workorders.extras``."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import TruncMonth
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from banshi.core.permissions import can
from banshi.core.scoping import path_allowed, scope_paths
from banshi.orgtree.choices import Level
from banshi.orgtree.models import OrgUnit
from banshi.orgtree.selectors import unit_at, units_at
from banshi.projects.choices import Field, HandlingType, Source, Status
from banshi.projects.models import Evaluation, Project, ProjectWorkOrder
from banshi.projects.permissions import can_project
from banshi.projects.selectors import common_scope
from banshi.projects.services.evaluation import LINKED_OPEN
from banshi.projects.services.links import LINK_ACTION
from banshi.workorders.choices import Status as OrderStatus
from banshi.workorders.extras import ListExtension, Panel
from banshi.workorders.models import Category, WorkOrder

# --- A project from chosen requests --------------------------------------------------------------

# The ledger field a category suggests, looked up from the leaf upwards (first match wins).
CATEGORY_FIELDS: dict[str, str] = {
    "停车难": Field.PARKING,
    "停车管理": Field.PARKING,
    "公厕管理": Field.TOILETS,
    "电梯故障": Field.ELEVATORS,
    "加装电梯": Field.ELEVATORS,
    "老旧小区改造": Field.OLD_ESTATES,
    "占道经营": Field.MARKET_STALLS,
    "学位不足": Field.SCHOOL_PLACES,
    "入学入园": Field.SCHOOL_PLACES,
    "水电气": Field.UTILITIES,
    "生态环境": Field.ENVIRONMENT,
    "环境卫生": Field.ENVIRONMENT,
    "市容环境": Field.ENVIRONMENT,
    "园林绿化": Field.ENVIRONMENT,
    "市政设施": Field.ROADS,
    "道路交通": Field.ROADS,
    "交通运输": Field.ROADS,
}
# A project is run from a community at the lowest, never from a branch, grid or household.
BELOW_COMMUNITY = {Level.BRANCH, Level.MICROGRID, Level.HOUSEHOLD}
DEFAULT_DAYS = 90


def _lineage(category: Category) -> list[Category]:
    nodes = [category]
    while nodes[-1].parent is not None:
        nodes.append(nodes[-1].parent)  # type: ignore[arg-type]
    return nodes


def field_for(categories: list[Category]) -> str:
    for category in categories:
        for node in _lineage(category):
            if node.name in CATEGORY_FIELDS:
                return CATEGORY_FIELDS[node.name]
    return Field.OTHER


def topic_of(categories: list[Category]) -> str:
    """The narrowest category name shared by all the requests (leaf, second or first level)."""
    lineages = [list(reversed(_lineage(c))) for c in categories]
    shared = ""
    for level in zip(*lineages, strict=False):
        if all(node.pk == level[0].pk for node in level):
            shared = level[0].name
        else:
            break
    return shared or "群众集中反映"


def _project_unit(unit: OrgUnit) -> OrgUnit:
    """Lift a branch, grid or household to its community (or street)."""
    while unit.level in BELOW_COMMUNITY and unit.parent_id is not None:
        unit = unit.parent  # type: ignore[assignment]
    return unit


def home_unit(user: Any, orders: list[WorkOrder]) -> OrgUnit | None:
    """The lowest common unit of the requests' locations, if the user may collect there; else
    the user's own collecting unit that holds most of them (the form says so, and can be
    changed)."""
    paths = [o.org_unit.path for o in orders]
    common = common_scope(paths)
    unit = unit_at(common) if common else None
    if unit is not None:
        unit = _project_unit(unit)
        if path_allowed(user, LINK_ACTION, unit.path):
            return unit
    granted = scope_paths(user, LINK_ACTION) or []
    if not granted:
        return unit
    best = max(granted, key=lambda g: sum(p.startswith(g) for p in paths))
    return unit_at(best)


@dataclass
class Prefill:
    values: dict[str, Any]
    org_unit: OrgUnit | None
    lead_unit: OrgUnit | None
    notes: list[str] = field(default_factory=list)


def prefill(user: Any, orders: list[WorkOrder], today: datetime.date) -> Prefill:
    """The create form's initial values for a project made from ``orders``."""
    categories = list({o.category_id: o.category for o in orders}.values())
    unit = home_unit(user, orders)
    leads = {o.lead_unit_id for o in orders}
    lead = orders[0].lead_unit if len(leads) == 1 and orders[0].lead_unit else unit
    topic = topic_of(categories)
    place = unit.name if unit else ""
    notes = []
    common = common_scope([o.org_unit.path for o in orders])
    if unit is not None and unit.path != common and not common.startswith(unit.path):
        notes.append(f"所选工单分布较广，已按您的管辖范围预填所属单位为{unit.name}，可修改。")
    values = {
        "org_unit": str(unit.pk) if unit else "",
        "lead_unit": str(lead.pk) if lead else "",
        "name": f"{place}{topic}问题集中整治"[:200],
        "source": Source.HOTLINE_CLUSTER,
        "field": field_for(categories),
        "target": f"解决12345热线{len(orders)}件诉求集中反映的{place}{topic}问题"[:500],
        "target_quantity": len(orders),
        "target_unit": "件",
        "handling_type": HandlingType.DEADLINE,
        "start_date": today.isoformat(),
        "deadline": (today + datetime.timedelta(days=DEFAULT_DAYS)).isoformat(),
        "funds_planned": "0",
        "measures": "",
    }
    return Prefill(values, unit, lead, notes)


# --- Linked requests of a project ----------------------------------------------------------------


@dataclass
class LinkedOrder:
    link: ProjectWorkOrder
    order: WorkOrder
    evaluated: str  # the citizen's answer on the project, if any


@dataclass
class LinkedOrders:
    """The requests linked to a project as one viewer may know them: those the viewer may open
    in full, and only a count of the rest (a city-wide project links requests from districts
    that a district viewer must not read about: no number, title, category or place)."""

    rows: list[LinkedOrder]
    hidden: int

    @property
    def total(self) -> int:
        return len(self.rows) + self.hidden

    @property
    def hidden_note(self) -> str:
        if not self.hidden:
            return ""
        return gettext("另有 %(n)s 件不在您的管辖范围内") % {"n": self.hidden}


def linked_orders(user: Any, project: Project) -> LinkedOrders:
    links = ProjectWorkOrder.objects.filter(project=project)
    total = links.count()
    shown = list(
        links.filter(order__in=WorkOrder.objects.for_user(user, "workorder.view"))
        .select_related("order__category", "order__org_unit", "linked_by")
        .order_by("linked_at", "id")
    )
    ids = [link.order_id for link in shown]
    answers = dict(
        Evaluation.objects.filter(project=project, work_order_id__in=ids).values_list(
            "work_order_id", "choice"
        )
    )
    rows = [LinkedOrder(link, link.order, answers.get(link.order_id, "")) for link in shown]
    return LinkedOrders(rows, total - len(rows))


# --- 高频诉求: clusters of one category in one street (未诉先办) -----------------------------------


@dataclass
class Cluster:
    category: Category
    street: OrgUnit
    count: int
    order_ids: list[int]
    since: datetime.date

    @property
    def pick_url(self) -> str:
        """The request list narrowed to the cluster, with its requests ticked."""
        query = urlencode(
            {
                "category": self.category.pk,
                "area": self.street.pk,
                "received_from": self.since.isoformat(),
                "pick": ",".join(str(i) for i in self.order_ids),
            }
        )
        return f"{reverse('workorders:list')}?{query}"


CLUSTER_DAYS = 30
CLUSTER_MIN = 3
CLUSTER_LIMIT = 10
CLUSTER_PICK_MAX = 50


def clusters(
    user: Any,
    *,
    now: datetime.datetime | None = None,
    days: int = CLUSTER_DAYS,
    minimum: int = CLUSTER_MIN,
    limit: int = CLUSTER_LIMIT,
) -> list[Cluster]:
    """Category × street pairs with at least ``minimum`` requests received in the last ``days``
    within the user's sight, not yet linked to a project and not refused as invalid.

    One grouped query counts requests per (category, location); the few resulting rows are
    rolled up to their street here, then one query per shown cluster fetches its request ids.
    """
    now = now or timezone.now()
    since = now - datetime.timedelta(days=days)
    base = (
        WorkOrder.objects.for_user(user, "workorder.view")
        .filter(received_at__gte=since)
        .exclude(status=OrderStatus.INVALID)
        .exclude(Exists(ProjectWorkOrder.objects.filter(order_id=OuterRef("pk"))))
    )
    rows = list(base.values("category_id", "org_unit__path").annotate(n=Count("id")).order_by())
    if not rows:
        return []
    prefixes = {
        path[:i] for path in {r["org_unit__path"] for r in rows} for i in range(6, len(path) + 1, 6)
    }
    streets = units_at(prefixes, levels=[Level.STREET])
    totals: Counter[tuple[int, str]] = Counter()
    for row in rows:
        path = row["org_unit__path"]
        street = next(
            (streets[path[:i]] for i in range(6, len(path) + 1, 6) if path[:i] in streets), None
        )
        if street is not None:
            totals[(row["category_id"], street.path)] += row["n"]
    top = [(key, n) for key, n in totals.most_common() if n >= minimum][:limit]
    categories = Category.objects.in_bulk([key[0] for key, _ in top])
    result = []
    for (category_id, street_path), n in top:
        ids = list(
            base.filter(category_id=category_id, org_unit__path__startswith=street_path)
            .order_by("-received_at", "-id")
            .values_list("pk", flat=True)[:CLUSTER_PICK_MAX]
        )
        result.append(
            Cluster(
                categories[category_id],
                streets[street_path],
                n,
                ids,
                timezone.localdate(since),
            )
        )
    return result


# --- Recurrence: the linked categories at the project's place, before and after -------------------


@dataclass
class RecurrenceMonth:
    month: datetime.date  # the first of the month
    count: int
    phase: str  # before, during, after

    @property
    def label(self) -> str:
        return f"{self.month:%Y-%m}"

    @property
    def phase_label(self) -> str:
        return str(PHASE_LABELS[self.phase])


PHASE_LABELS = {"before": _("项目实施前"), "during": _("实施期间"), "after": _("完成后")}


@dataclass
class Recurrence:
    categories: list[str]
    place: str
    months: list[RecurrenceMonth]
    window: int
    completed_on: datetime.date | None

    def _phase(self, phase: str) -> list[RecurrenceMonth]:
        return [m for m in self.months if m.phase == phase]

    def total(self, phase: str) -> int:
        return sum(m.count for m in self._phase(phase))

    def average(self, phase: str) -> float | None:
        months = self._phase(phase)
        return round(self.total(phase) / len(months), 1) if months else None

    @property
    def before_total(self) -> int:
        return self.total("before")

    @property
    def after_total(self) -> int:
        return self.total("after")

    @property
    def before_average(self) -> float | None:
        return self.average("before")

    @property
    def after_average(self) -> float | None:
        return self.average("after")

    @property
    def after_months(self) -> int:
        return len(self._phase("after"))

    def chart(self) -> dict[str, Any]:
        return {
            # Legend, tooltip and axis words in the page's language (recurrence.js has none).
            "labels": {
                **{phase: str(label) for phase, label in PHASE_LABELS.items()},
                "tooltip": gettext("%(phase)s：%(count)s件"),
                "axis": gettext("件"),
            },
            "months": [m.label for m in self.months],
            "counts": [m.count for m in self.months],
            "phases": [m.phase for m in self.months],
        }


def _first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _add_months(day: datetime.date, n: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(0)))


MAX_WINDOW = 36


def recurrence(
    project: Project,
    *,
    months: int = 12,
    today: datetime.date | None = None,
    viewer: Any = None,
) -> Recurrence | None:
    """Monthly counts of requests in the linked requests' categories located in the project's
    org unit subtree: ``months`` months before the project's start month, the months it ran,
    and up to ``months`` months after the month of its 销号 (never beyond today). None when no
    request is linked. With a ``viewer`` only the categories of the linked requests they may
    read count: a category is a detail of a request outside their scope too.

    One grouped query on (category, org_unit, received_at), the indexed columns; counts are of
    the place, not of the viewer's scope (they carry no personal data).
    """
    today = today or timezone.localdate()
    months = max(1, min(int(months), MAX_WINDOW))
    links = ProjectWorkOrder.objects.filter(project=project)
    if viewer is not None:
        links = links.filter(order__in=WorkOrder.objects.for_user(viewer, "workorder.view"))
    categories = list(
        Category.objects.filter(pk__in=links.values("order__category_id"))
        .select_related("parent__parent")
        .order_by("code")
    )
    if not categories:
        return None
    start_month = _first_of_month(project.start_date)
    completed_on = timezone.localdate(project.closed_at) if project.closed_at else None
    first = _add_months(start_month, -months)
    if completed_on is not None:
        last = min(_add_months(_first_of_month(completed_on), months), _first_of_month(today))
    else:
        last = _first_of_month(today)
    last = max(last, start_month)
    end = _add_months(last, 1)  # exclusive
    rows = (
        # Unscoped: the effect of a project is counted over every request in its area, whoever
        # looks at it; only monthly counts leave this function.
        WorkOrder.objects.unscoped()
        .filter(
            category__in=[c.pk for c in categories],
            org_unit__path__startswith=project.org_unit.path,
            received_at__gte=_aware(first),
            received_at__lt=_aware(end),
        )
        .annotate(month=TruncMonth("received_at"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[tuple[int, int], int] = {}
    for row in rows:
        moment = row["month"]
        counts[(moment.year, moment.month)] = counts.get((moment.year, moment.month), 0) + row["n"]
    result = []
    month = first
    while month < end:
        if month < start_month:
            phase = "before"
        elif completed_on is not None and month > _first_of_month(completed_on):
            phase = "after"
        else:
            phase = "during"
        result.append(RecurrenceMonth(month, counts.get((month.year, month.month), 0), phase))
        month = _add_months(month, 1)
    return Recurrence(
        [c.full_name for c in categories], project.org_unit.name, result, months, completed_on
    )


# --- Panels on the request pages (registered in ProjectsConfig.ready) ----------------------------


def tracking_panels(order: WorkOrder) -> list[Panel]:
    """The projects a citizen's request became part of, for the tracking page."""
    links = ProjectWorkOrder.objects.filter(order=order).select_related(
        "project", "project__merged_into"
    )
    rated = set(Evaluation.objects.filter(work_order=order).values_list("project_id", flat=True))
    items = []
    seen: set[int] = set()
    for link in links.order_by("linked_at", "id"):
        project = link.project
        if project.status == Status.MERGED and project.merged_into is not None:
            project = project.merged_into
        if project.pk in seen:
            continue
        seen.add(project.pk)
        items.append(
            {
                "name": project.name,
                "number": project.number,
                "status": project.get_status_display(),
                "progress": project.progress_percent,
                "closed_at": project.closed_at,
                "public_url": reverse("projects_public:detail", args=[project.pk])
                if project.published_at
                else "",
                "survey_url": reverse("projects_public:survey", args=[project.survey_token])
                if project.survey_token
                and project.status in LINKED_OPEN
                and project.pk not in rated
                else "",
                "rated": project.pk in rated,
            }
        )
    if not items:
        return []
    return [Panel("projects/_tracking_projects.html", {"projects": items})]


def request_list_extension(user: Any, query: QueryDict) -> ListExtension | None:
    """For project collectors: the 转为实事项目 action and the 高频诉求 panel."""
    if not can(user, LINK_ACTION):
        return None
    return ListExtension(
        select_label="转为实事项目",
        select_url=reverse("projects:from_requests"),
        panels=[Panel("projects/_clusters_panel.html", {"clusters": clusters(user)})],
    )


def may_link(user: Any, project: Project) -> bool:
    return can_project(user, LINK_ACTION, project) or can_project(user, "project.manage", project)
