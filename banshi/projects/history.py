"""The ledger as it stood at the end of a past day, for reports about a period that has ended: the
季调度 labelled 2026-Q3 shows the ledger on 30 September, not on the day it is printed.

Rebuilt from the append-only history, never from today's columns alone:

- status: the last status event (``ProjectEvent.to_status``) up to that day, else the status the
  first later event started from, else today's; a project neither created nor moved by then is
  left out;
- approved progress and the last report date: the approved reports dated up to that day (a
  project whose progress never came from a report, e.g. an imported ledger, keeps its value);
- milestones done: those completed (by an approved report) on or before that day;
- deadline: today's, undoing approved changes decided after that day;
- start, 申请销号, 验收 and 销号 dates: the last such event by then.

Nothing is written: the returned projects are copies with those columns replaced and the plan in
``milestones_as_of`` (which ``lag.annotate_lag`` uses).
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Max
from django.utils import timezone

from banshi.projects.choices import DeadlineChangeStatus, ReportStatus
from banshi.projects.models import DeadlineChange, ProgressReport, Project, ProjectEvent

# The event whose time each date column takes.
EVENT_COLUMNS = {
    "start": "started_on",
    "claim": "claimed_at",
    "verify": "verified_at",
    "close": "closed_at",
}


def end_of(day: datetime.date) -> datetime.datetime:
    """The first moment after ``day`` in the local time zone."""
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    )


def _by(value: datetime.date | datetime.datetime, end: datetime.datetime) -> bool:
    if isinstance(value, datetime.datetime):
        return value < end
    return value < timezone.localdate(end)


def ledger_as_of(projects: Iterable[Project], day: datetime.date) -> list[Project]:
    """Copies of ``projects`` as they stood at the end of ``day`` (milestones prefetched); for
    today or later, the projects themselves."""
    rows = list(projects)
    if day >= timezone.localdate():
        return rows
    end = end_of(day)
    ids = [p.pk for p in rows]
    before: dict[int, str] = {}
    after: dict[int, str] = {}
    dates: dict[int, dict[str, datetime.datetime]] = {pk: {} for pk in ids}
    events = (
        ProjectEvent.objects.filter(project_id__in=ids)
        .exclude(to_status="")
        .order_by("project_id", "at", "id")
        .values_list("project_id", "at", "action", "from_status", "to_status")
    )
    seen: dict[int, set[str]] = {pk: set() for pk in ids}
    for pk, at, action, from_status, to_status in events:
        seen[pk].add(action)
        if at < end:
            before[pk] = to_status
            if action in EVENT_COLUMNS:
                dates[pk][EVENT_COLUMNS[action]] = at
            if action == "reject":
                dates[pk].pop("claimed_at", None)
                dates[pk].pop("verified_at", None)
        elif pk not in after:
            after[pk] = from_status
    approved = ProgressReport.objects.filter(project_id__in=ids, status=ReportStatus.APPROVED)
    reported = set(approved.values_list("project_id", flat=True))
    progress = {
        row["project_id"]: row
        for row in approved.filter(report_date__lte=day)
        .values("project_id")
        .annotate(percent=Max("percent"), last=Max("report_date"))
        .order_by()
    }
    old_deadline: dict[int, datetime.date] = {}
    changes = DeadlineChange.objects.filter(
        project_id__in=ids, status=DeadlineChangeStatus.APPROVED, decided_at__gte=end
    ).order_by("decided_at", "id")
    for change in changes:
        old_deadline.setdefault(change.project_id, change.old_deadline)
    result = []
    for project in rows:
        if project.created_at >= end and project.pk not in before:
            continue  # not there yet
        then: Any = copy.copy(project)
        then.status = before.get(project.pk) or after.get(project.pk) or project.status
        if project.pk in reported:
            row = progress.get(project.pk)
            then.progress_percent = row["percent"] if row else 0
            then.last_approved_report_on = row["last"] if row else None
        then.deadline = old_deadline.get(project.pk, project.deadline)
        moments = dates[project.pk]
        for action, column in EVENT_COLUMNS.items():
            value: datetime.date | datetime.datetime | None
            if action in seen[project.pk]:
                value = moments.get(column)
            else:  # set without an event (an imported ledger): keep it if it was set by then
                value = getattr(project, column)
                if value is not None and not _by(value, end):
                    value = None
            if column == "started_on" and isinstance(value, datetime.datetime):
                value = timezone.localdate(value)
            setattr(then, column, value)
        milestones = []
        for milestone in project.milestones.all():
            copied = copy.copy(milestone)
            if copied.completed_on is not None and copied.completed_on > day:
                copied.completed_on = None
            milestones.append(copied)
        then.milestones_as_of = milestones
        result.append(then)
    return result
