"""Producing a cadence report (周梳理, 月督办, 季调度): the claimed ``CadenceRun`` row and its files.

The scheduler jobs in ``projects.cadence`` decide the period and render the report; this stores it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from banshi.orgtree.models import OrgUnit
from banshi.projects.models import CadenceRun


@dataclass(frozen=True)
class CadenceFiles:
    """A rendered report: the workbook, the PDF and the headline figures kept on the row."""

    excel: bytes
    pdf: bytes
    summary: dict[str, Any] = field(default_factory=dict)


def cadence_run_produce(
    *,
    kind: str,
    period: str,
    scope_unit: OrgUnit | None,
    build: Callable[[CadenceRun], CadenceFiles],
) -> CadenceRun | None:
    """Claim the (kind, period) row, build the report and store its files, all in one transaction;
    None when the period has been produced already. The claim is an insert into a unique
    constraint, so a second run — or a concurrent scheduler — finds the row and does nothing.
    ``build`` runs inside the transaction, so what it writes (the 月督办 notices) rolls back with
    the claim when anything fails, and files already stored are removed: the next loop retries."""
    run: CadenceRun | None = None
    try:
        with transaction.atomic():
            run = _claim(kind, period, scope_unit)
            if run is None:
                return None
            files = build(run)
            stem = f"{run.kind}-{run.period}"
            run.excel.save(f"{stem}.xlsx", ContentFile(files.excel), save=False)
            run.pdf.save(f"{stem}.pdf", ContentFile(files.pdf), save=False)
            run.summary = files.summary
            run.save(update_fields=["excel", "pdf", "summary"])
    except Exception:
        _files_cleanup(run)
        raise
    return run


def _claim(kind: str, period: str, scope_unit: OrgUnit | None) -> CadenceRun | None:
    try:
        with transaction.atomic():
            return CadenceRun.objects.create(kind=kind, period=period, scope_unit=scope_unit)
    except IntegrityError:
        return None


def _files_cleanup(run: CadenceRun | None) -> None:
    if run is None:
        return
    for f in (run.excel, run.pdf):
        if f and f.name and f.storage.exists(f.name):
            f.storage.delete(f.name)
