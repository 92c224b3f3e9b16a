"""The dispatch assistant: from a request's words and place, the ranked leaf categories and the
ranked handling units, each with a score, and for units a short reason.

Categories come from the newest stored ``CategoryModel`` (held per process, checked for a newer
version once a minute; trained on the spot if the installation has none yet). Units come from the
routing rule (``workorders.routing``: only units the asker may dispatch to that serve the place)
weighted by who led confirmed requests of the likely categories in the same area lately — the
street first, then the district, then the city — held per process for five minutes. A category
with no history in the area falls back to the territorial units that cover the place, and says so.

Nothing here writes except the first-use training, which goes through ``services.model_train``.
"""

from __future__ import annotations

import datetime
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.utils import timezone

from banshi.core.errors import ValidationFailed
from banshi.core.geo import parse_point
from banshi.core.scoping import scope_paths
from banshi.core.validation import clean_text
from banshi.insight.classifier import Classifier, chinese_chars
from banshi.insight.models import CategoryModel
from banshi.insight.training import order_text, path_of
from banshi.orgtree.choices import Level
from banshi.orgtree.geo import district_code_at
from banshi.orgtree.models import SEGMENT_WIDTH, OrgUnit
from banshi.orgtree.selectors import units_at, units_by_id
from banshi.workorders.location import resolve_unit
from banshi.workorders.models import Category, WorkOrder
from banshi.workorders.routing import dispatch_paths, may_receive, serving_units
from banshi.workorders.services.intake import MAX_CONTENT

MAX_TITLE = 100  # as intake takes them
MAX_ADDRESS = 200
MODEL_CHECK_SECONDS = 60
STATS_SECONDS = 300
HISTORY_DAYS = 90
MIN_EVIDENCE = 3  # confirmed requests of a category in an area before its history speaks
CATEGORY_SPREAD = 3  # unit scores weigh the best this many categories
# A suggestion is marked uncertain when the runner-up scores at least this share of the best.
# Chosen on the evaluation set's dev items; on its test items it marks 14% of the suggestions,
# among them 23 of the 29 wrong first choices (docs/insight.md).
CLOSE_RUNNER_UP = 0.25
MIN_CHINESE = 4
TERRITORIAL_PRIOR = 0.15
WIDE_LEVELS = frozenset({Level.CITY, Level.PROVINCE})


@dataclass(frozen=True)
class CategoryScore:
    category: Category
    path: str
    score: float


@dataclass(frozen=True)
class UnitScore:
    unit: OrgUnit
    score: float
    reason: str


@dataclass
class Suggestion:
    model_version: int
    categories: list[CategoryScore]
    units: list[UnitScore]
    place: OrgUnit | None
    low_confidence: bool
    notes: list[str] = field(default_factory=list)


# --- the model, per process ------------------------------------------------------------------


@dataclass
class _Loaded:
    version: int = 0
    classifier: Classifier | None = None
    checked: float = -MODEL_CHECK_SECONDS
    pinned: bool = False  # held on purpose (an evaluation): never replaced from the database


_model = _Loaded()
_model_lock = threading.Lock()


def forget() -> None:
    """Drop what this process holds (tests switch databases; a retrain wants a fresh look)."""
    global _model, _stats, _leaves
    _model = _Loaded()
    _stats = _Stats()
    _leaves = _Leaves()


def hold(version: int, classifier: Classifier) -> None:
    """Use ``classifier`` in this process until ``forget()``, whatever the database holds: for
    evaluating a model trained without part of the history (``bench.dispatch``)."""
    global _model
    with _model_lock:
        _model = _Loaded(version, classifier, time.monotonic(), pinned=True)


def current_model(*, ensure: bool = True) -> tuple[int, Classifier] | None:
    """The newest stored classifier and its version. With ``ensure`` and no stored model, one is
    trained now (a fresh installation's first suggestion) and stored."""
    global _model
    with _model_lock:
        stale = time.monotonic() - _model.checked > MODEL_CHECK_SECONDS
        if not _model.pinned and (stale or _model.classifier is None):
            latest = CategoryModel.objects.order_by("-version").values_list("version", flat=True)
            version = latest.first()
            if version is None and ensure:
                from banshi.insight.services import model_train

                version = model_train(actor=None).version
            if version is None:
                _model.checked = time.monotonic()
                return None
            if version != _model.version or _model.classifier is None:
                blob = CategoryModel.objects.filter(version=version).values_list("blob", flat=True)
                _model = _Loaded(version, Classifier.loads(blob.get()), time.monotonic())
            else:
                _model.checked = time.monotonic()
        assert _model.classifier is not None
        return _model.version, _model.classifier


# --- the categories, per process -------------------------------------------------------------


@dataclass
class _Leaves:
    at: float = -60.0
    by_code: dict[str, tuple[Category, str]] = field(default_factory=dict)


_leaves = _Leaves()


def leaves() -> dict[str, tuple[Category, str]]:
    """Active leaf categories by code, with their paths; held for a minute."""
    global _leaves
    if time.monotonic() - _leaves.at > 60:
        rows = Category.objects.filter(is_active=True, level=3).select_related("parent__parent")
        _leaves = _Leaves(time.monotonic(), {c.code: (c, path_of(c)) for c in rows})
    return _leaves.by_code


# --- who handled what where, per process ------------------------------------------------------


@dataclass
class _Stats:
    at: float = -STATS_SECONDS
    # (category id, area path) -> lead unit id -> confirmed requests led there lately
    counts: dict[tuple[int, str], Counter[int]] = field(default_factory=dict)
    units: dict[int, OrgUnit] = field(default_factory=dict)
    areas: dict[str, dict[str, OrgUnit]] = field(default_factory=dict)  # place path -> lineage


def _lineage(stats: _Stats, place: OrgUnit) -> dict[str, OrgUnit]:
    """``place`` and its ancestors by path, remembered with the statistics."""
    found = stats.areas.get(place.path)
    if found is None:
        paths = _ancestor_paths(place.path)
        found = units_at(paths)
        if len(stats.areas) < 20000:
            stats.areas[place.path] = found
    return found


_stats = _Stats()


def _ancestor_paths(path: str) -> list[str]:
    """``path`` and every ancestor path, deepest first."""
    return [path[:i] for i in range(len(path), 0, -SEGMENT_WIDTH)]


def _count(rows: Any) -> _Stats:
    counts: dict[tuple[int, str], Counter[int]] = defaultdict(Counter)
    unit_ids: set[int] = set()
    for row in rows:
        unit_ids.add(row["lead_unit_id"])
        for area in _ancestor_paths(row["org_unit__path"]):
            counts[(row["category_id"], area)][row["lead_unit_id"]] += row["n"]
    units = units_by_id(unit_ids)
    return _Stats(time.monotonic(), dict(counts), units)


def _led(now: datetime.datetime) -> Any:
    # The city's dispatch history is the evidence for everyone's suggestions; what a user is
    # shown is narrowed to their dispatch scope afterwards.
    return WorkOrder.objects.unscoped().filter(
        dispatched_at__gte=now - datetime.timedelta(days=HISTORY_DAYS),
        lead_unit__isnull=False,
    )


def _grouped(qs: Any) -> Any:
    return (
        qs.values("category_id", "org_unit__path", "lead_unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )


def routing_stats(now: datetime.datetime | None = None) -> _Stats:
    """One grouped query over the last ``HISTORY_DAYS`` days of dispatched requests (category,
    place, final lead unit), rolled up here to every ancestor area of each place."""
    global _stats
    if time.monotonic() - _stats.at <= STATS_SECONDS:
        return _stats
    _stats = _count(_grouped(_led(now or timezone.now())))
    return _stats


def routing_stats_without(
    order: WorkOrder, category_ids: list[int], now: datetime.datetime | None = None
) -> _Stats:
    """The same counts, fresh, for a few categories and leaving ``order`` out: what the
    assistant knew just before ``order`` was dispatched (for recording the decision)."""
    qs = _led(now or timezone.now()).filter(category_id__in=category_ids).exclude(pk=order.pk)
    return _count(_grouped(qs))


# --- input -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ask:
    """A cleaned request for a suggestion."""

    content: str
    title: str = ""
    address: str = ""
    point: tuple[Decimal, Decimal] | None = None  # (lat, lon), WGS84, inside Changsha


def clean_ask(
    *, content: object, title: object = "", address: object = "", latitude: Any, longitude: Any
) -> Ask:
    """The same checks intake applies, in Chinese; a point must lie inside the city."""
    text = clean_text(content, field="诉求内容", max_length=MAX_CONTENT)
    head = clean_text(title, field="标题", max_length=MAX_TITLE, required=False)
    where = clean_text(address, field="地址", max_length=MAX_ADDRESS, required=False)
    point = parse_point(latitude, longitude)
    if point is not None and district_code_at(float(point[1]), float(point[0])) is None:
        raise ValidationFailed("位置不在长沙市范围内，请核对经纬度", code="location_outside_city")
    return Ask(text, head, where, point)


# --- the suggestion --------------------------------------------------------------------------


def _place(ask: Ask) -> OrgUnit | None:
    if not ask.address and ask.point is None:
        return None
    lat, lon = (float(ask.point[0]), float(ask.point[1])) if ask.point else (None, None)
    try:
        return resolve_unit(address=ask.address, lon=lon, lat=lat)
    except OrgUnit.DoesNotExist:
        return None


def rank_categories(classifier: Classifier, ask: Ask, limit: int) -> list[CategoryScore]:
    known = leaves()
    result = []
    for code, score in classifier.rank(order_text(ask.title, ask.content)):
        entry = known.get(code)
        if entry is None:  # deactivated since the model was trained
            continue
        result.append(CategoryScore(entry[0], entry[1], round(score, 4)))
        if len(result) >= limit:
            break
    return result


def unit_paths(user: Any) -> list[str] | None:
    """Where the units offered to ``user`` may lie: where they may dispatch; for an operator or
    grid member who records requests but does not dispatch, their own subtree (they see the
    suggestion, a dispatcher acts on it). ``None``: everywhere (the system, a superuser)."""
    paths = dispatch_paths(user)
    if paths == [] and user is not None:
        return scope_paths(user, "dispatch.suggest")
    return paths


def _area_name(units: dict[str, OrgUnit], area: str) -> str:
    unit = units.get(area)
    return unit.name if unit is not None else ""


def rank_units(
    user: Any,
    place: OrgUnit | None,
    categories: list[CategoryScore],
    limit: int,
    now: datetime.datetime | None = None,
    stats: _Stats | None = None,
) -> tuple[list[UnitScore], list[str]]:
    """Units for a request at ``place`` given its likely categories; ``user=None`` is the
    system (every unit the routing rule allows)."""
    notes: list[str] = []
    if place is None:
        return [], ["未提供地址或位置，无法推荐承办单位"]
    stats = stats or routing_stats(now)
    paths = unit_paths(user)
    serving = set(serving_units(place).values_list("pk", flat=True))
    areas = _ancestor_paths(place.path)
    area_units = _lineage(stats, place)
    total = sum(c.score for c in categories[:CATEGORY_SPREAD]) or 1.0
    scores: dict[int, float] = defaultdict(float)
    reasons: dict[int, tuple[float, str]] = {}
    for cat in categories[:CATEGORY_SPREAD]:
        weight = cat.score / total
        if weight <= 0:
            continue
        for area in areas:
            counter = stats.counts.get((cat.category.pk, area))
            if not counter or sum(counter.values()) < MIN_EVIDENCE:
                continue
            # City-wide history speaks only for city-wide units (functional departments); a
            # park or stationed unit needs history in the request's own district.
            wide = area not in area_units or area_units[area].level in WIDE_LEVELS
            allowed = {
                uid: n
                for uid, n in counter.items()
                if uid in stats.units
                and may_receive(stats.units[uid], place, paths, serving)
                and (not wide or stats.units[uid].level == Level.FUNCTIONAL)
            }
            if not allowed:  # the history here points outside the asker's reach: look wider
                continue
            seen = sum(counter.values())
            for uid, n in allowed.items():
                scores[uid] += weight * n / seen
                strength = weight * n
                if strength > reasons.get(uid, (0.0, ""))[0]:
                    where = _area_name(area_units, area)
                    reasons[uid] = (
                        strength,
                        f"近{HISTORY_DAYS}天{where}同类诉求（{cat.category.name}）"
                        f"由{stats.units[uid].name}办理 {n} 次",
                    )
            break
    # The territorial units covering the place are always candidates: the street first.
    territorial = sorted(
        (u for u in area_units.values() if u.level in (Level.STREET, Level.DISTRICT)),
        key=lambda u: -u.depth,
    )
    known = dict(stats.units)
    for rank, unit in enumerate(territorial):
        if may_receive(unit, place, paths, serving):
            known.setdefault(unit.pk, unit)
            scores[unit.pk] += TERRITORIAL_PRIOR / (rank + 1)
            reasons.setdefault(unit.pk, (0.0, f"诉求所在{unit.get_level_display()}（属地管理）"))
    if not any(reasons.get(uid, (0.0, ""))[0] > 0 for uid in scores):
        notes.append("该分类在本区域暂无办理记录，按属地推荐承办单位")
    grand = sum(scores.values()) or 1.0
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return (
        [UnitScore(known[uid], round(s / grand, 4), reasons[uid][1]) for uid, s in ranked],
        notes,
    )


def uncertain(ranked: list[CategoryScore]) -> bool:
    """No category, or a runner-up close to the best."""
    if not ranked:
        return True
    return len(ranked) > 1 and ranked[1].score >= ranked[0].score * CLOSE_RUNNER_UP


def suggest(
    ask: Ask,
    *,
    user: Any,
    categories: int = 5,
    units: int = 3,
    with_units: bool = True,
    now: datetime.datetime | None = None,
) -> Suggestion:
    """The ranked categories (at least ``categories``) and units (at most ``units``) for one
    request, and whether the suggestion should be treated as uncertain."""
    loaded = current_model()
    assert loaded is not None
    version, classifier = loaded
    ranked = rank_categories(classifier, ask, categories)
    notes: list[str] = []
    low = False
    if chinese_chars(ask.content + ask.title) < MIN_CHINESE:
        low = True
        notes.append("诉求内容中文过少，分类建议仅供参考")
    elif uncertain(ranked):
        low = True
        notes.append("前几个分类得分接近，把握不大，请人工判断")
    place = _place(ask)
    unit_scores: list[UnitScore] = []
    if with_units:
        unit_scores, unit_notes = rank_units(user, place, ranked, units, now)
        notes.extend(unit_notes)
        if place is not None and place.level in (Level.PROVINCE, Level.CITY):
            notes.append("未能从地址判断所在区县或街道，承办单位建议仅供参考")
    return Suggestion(version, ranked, unit_scores, place, low, notes)
