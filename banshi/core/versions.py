"""Optimistic concurrency for what people edit: a ``version`` column, bumped by every write with
compare-and-set, and the version a form (hidden field ``version``) or an API call (``If-Match``)
carried.

A person opens a form at version 3 and saves: the write is
``filter(pk=…, version=3).update(version=F("version") + 1, …)``. If someone saved meanwhile the
row is at 4, nothing is written and the person gets ``stale_version`` (409) — never a lost update.
A write that carries no version (an old client, a script) is not checked; it still bumps the
version, so the others' forms go stale. The shared workflow engine gives the same answer for a
stale ``expected_version``; ``core.http`` reads the version a request carried and makes the
``ETag``.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F
from django.utils import timezone

from banshi.core.errors import Conflict

STALE_VERSION = "您看到的是旧版本：数据已被他人修改，请刷新后重试"


def stale_version() -> Conflict:
    return Conflict(STALE_VERSION, code="stale_version")


def check_version(model: type[models.Model], pk: Any, expected: int | None) -> None:
    """Refuse (``stale_version``) when the row is no longer at ``expected``; None: no check."""
    if expected is None:
        return
    current = (
        model._default_manager.filter(pk=pk)  # type: ignore[attr-defined]
        .values_list("version", flat=True)
        .first()
    )
    if current != expected:
        raise stale_version()


def write(
    model: type[models.Model],
    pk: Any,
    expected: int | None,
    *,
    guard: dict[str, Any] | None = None,
    **updates: Any,
) -> int:
    """Compare-and-set ``updates`` on one row, bumping its version (and ``updated_at``, which
    ``.update()`` would skip). ``expected`` None writes whatever the version; ``guard`` adds
    conditions (a status the write needs). Returns the number of rows written (0 or 1); a stale
    ``expected`` raises ``stale_version`` when that, and not ``guard``, is why nothing was written."""
    conditions: dict[str, Any] = {"pk": pk, **(guard or {})}
    if expected is not None:
        conditions["version"] = expected
    values: dict[str, Any] = {"version": F("version") + 1, **updates}
    if any(f.name == "updated_at" for f in model._meta.get_fields()):
        values.setdefault("updated_at", timezone.now())
    written: int = model._default_manager.filter(**conditions).update(**values)  # type: ignore[attr-defined]
    if not written:
        check_version(model, pk, expected)
    return written
