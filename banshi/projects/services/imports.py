"""Applying a checked 台账 import (``projects.excel.import_ledger``): every row, or none."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from banshi.accounts.models import User
from banshi.core.errors import DomainError
from banshi.orgtree.models import OrgUnit
from banshi.projects.models import Project, ProjectList
from banshi.projects.services.ledger import ProjectData, project_create


@dataclass
class PreparedRow:
    """One spreadsheet row, parsed and checked: what ``project_create`` needs, and the row's
    number for messages."""

    row: int
    number: str
    data: ProjectData
    org_unit: OrgUnit
    lead_unit: OrgUnit
    co_units: list[OrgUnit]
    lead_leader: User | None
    lists: list[ProjectList]


def projects_import(*, actor: Any, rows: Sequence[PreparedRow]) -> list[Project]:
    """Create a project for every row in one transaction. A row that passed the checks but is
    refused now (it lost a race: its number was taken meanwhile) undoes the whole import; the
    error it raised carries the row number as ``extra["row"]``."""
    created: list[Project] = []
    with transaction.atomic():
        for row in rows:
            try:
                created.append(
                    project_create(
                        actor=actor,
                        org_unit=row.org_unit,
                        lead_unit=row.lead_unit,
                        data=row.data,
                        co_units=row.co_units,
                        lead_leader=row.lead_leader,
                        number=row.number,
                        lists=row.lists,
                    )
                )
            except DomainError as exc:
                exc.extra.setdefault("row", row.row)
                raise
    return created
