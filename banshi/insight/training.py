"""What the category model learns from: the shipped lexicon and the city's confirmed history.

A request's category is *confirmed* once someone at the centre has ruled on it: it was dispatched
(the dispatcher kept or corrected the category, see ``workorders`` ``dispatch``) or answered
directly by an operator. Requests still waiting, refused as invalid or merged into another are
not evidence. Each category contributes at most its ``HISTORY_PER_CATEGORY`` most recent
confirmed requests, so the busiest categories do not drown the rest.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from banshi.insight.classifier import Sample
from banshi.insight.lexicon import lexicon
from banshi.workorders.choices import Status
from banshi.workorders.models import Category, WorkOrder

HISTORY_PER_CATEGORY = 500
LEXICON_WEIGHT = 1.0
HISTORY_WEIGHT = 1.0


def leaf_paths() -> dict[str, Category]:
    """Active leaf categories by their path of names "一级/二级/三级"."""
    leaves = Category.objects.filter(is_active=True, level=3).select_related("parent__parent")
    result = {}
    for leaf in leaves:
        result[path_of(leaf)] = leaf
    return result


def path_of(category: Category) -> str:
    names = [category.name]
    node = category.parent
    while node is not None:
        names.append(node.name)
        node = node.parent
    return "/".join(reversed(names))


def lexicon_samples(leaves: dict[str, Category]) -> list[Sample]:
    """Each lexicon phrase, the leaf's own name and its full path, labelled with the leaf's code.
    Leaves the lexicon does not know (added by an administrator) still get their names."""
    phrases = lexicon()
    samples = []
    for path, leaf in leaves.items():
        names = [leaf.name, path.replace("/", " ")]
        for text in [*names, *phrases.get(path, [])]:
            samples.append(Sample(text, leaf.code, LEXICON_WEIGHT))
    return samples


def confirmed_orders() -> QuerySet[WorkOrder]:
    return (
        # The model learns from the whole city's confirmed requests (text and category only).
        WorkOrder.objects.unscoped()
        .filter(Q(dispatched_at__isnull=False) | Q(status=Status.ANSWERED))
        .exclude(status__in=[Status.INVALID, Status.MERGED])
        .filter(category__is_active=True, category__level=3)
    )


def order_text(title: str, content: str) -> str:
    """The text a request is classified by: its content, with the title in front unless the
    title is just the content's beginning (intake fills an empty title that way)."""
    title = (title or "").strip()
    content = (content or "").strip()
    if not title or content.startswith(title.rstrip("…")):
        return content
    return f"{title}。{content}"


def history_rows(
    *,
    until: datetime.datetime | None = None,
    exclude: Iterable[int] = (),
    only: Iterable[int] | None = None,
) -> list[tuple[int, str, str, datetime.datetime]]:
    """(id, category code, text, received_at) of confirmed requests, newest first, at most
    ``HISTORY_PER_CATEGORY`` per category."""
    qs = confirmed_orders()
    if until is not None:
        qs = qs.filter(received_at__lte=until)
    excluded = set(exclude)
    if only is not None:
        qs = qs.filter(pk__in=list(only))
    rows = qs.order_by("-received_at", "-id").values_list(
        "pk", "category__code", "title", "content", "received_at"
    )
    taken: dict[str, int] = {}
    result = []
    for pk, code, title, content, received in rows.iterator(chunk_size=2000):
        if pk in excluded or taken.get(code, 0) >= HISTORY_PER_CATEGORY:
            continue
        taken[code] = taken.get(code, 0) + 1
        result.append((pk, code, order_text(title, content), received))
    return result


def history_samples(rows: list[tuple[int, str, str, datetime.datetime]]) -> list[Sample]:
    return [Sample(text, code, HISTORY_WEIGHT) for _, code, text, _ in rows]
