"""The cadence jobs: 周梳理 every week (from Monday), 月督办 every month (from the 1st), 季调度 every
quarter (from the quarter's first day, for the quarter just ended).

Each job claims its (kind, period) row first (``services.cadence_run_produce``), by inserting into a
unique constraint inside the transaction that then produces the report; a second run, or a
concurrent scheduler, finds the row and does nothing. A failure rolls the claim back, so the next
loop tries again. If the scheduler was down on the Monday (or the 1st), the first run after
produces the period's report.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.utils import timezone

from banshi.core.calendar import add_working_days
from banshi.orgtree.models import OrgUnit
from banshi.orgtree.selectors import unit_at
from banshi.projects import reports
from banshi.projects.choices import CadenceKind, NoticeKind
from banshi.projects.excel import ledger_workbook
from banshi.projects.models import CadenceRun, Project
from banshi.projects.selectors import common_scope
from banshi.projects.services import CadenceFiles, cadence_run_produce, notice_issue

logger = logging.getLogger("banshi.projects")


def week_period(day: datetime.date) -> str:
    iso = day.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def month_period(day: datetime.date) -> str:
    return f"{day:%Y-%m}"


def previous_quarter(day: datetime.date) -> str:
    quarter = (day.month - 1) // 3 + 1
    year = day.year
    quarter -= 1
    if quarter == 0:
        year, quarter = year - 1, 4
    return f"{year}-Q{quarter}"


def _scope_unit() -> OrgUnit | None:
    # The cadence reports cover the whole ledger: their scope unit is the root of all projects.
    paths = list(Project.objects.unscoped().values_list("org_unit__path", flat=True).distinct())
    path = common_scope(paths)
    return unit_at(path) if path else None


def _render(report: reports.Report, now: datetime.datetime) -> CadenceFiles:
    excel = ledger_workbook(report.projects, report.heading, extra_sheets=report.sheets)
    pdf = reports.render_pdf(
        "projects/pdf/cadence.html", {"report": report, "generated_at": timezone.localtime(now)}
    )
    return CadenceFiles(
        excel=excel,
        pdf=pdf,
        summary={k: str(v) if not isinstance(v, int) else v for k, v in report.summary.items()},
    )


def _produce(kind: str, period: str, now: datetime.datetime, build: Any) -> int:
    run = cadence_run_produce(
        kind=kind,
        period=period,
        scope_unit=_scope_unit(),
        build=lambda run: _render(build(run), now),
    )
    if run is None:
        return 0
    logger.info("已生成%s %s", CadenceKind(kind).label, period)
    return 1


def weekly_job(now: datetime.datetime) -> int:
    day = timezone.localdate(now)
    period = week_period(day)
    return _produce(CadenceKind.WEEKLY, period, now, lambda run: reports.weekly(now, period))


def monthly_job(now: datetime.datetime) -> int:
    day = timezone.localdate(now)
    period = month_period(day)

    def build(run: CadenceRun) -> reports.Report:
        due = add_working_days(now, 5).date()
        notices = []
        for project in reports.monthly_laggards(day):
            lag = project.lag  # type: ignore[attr-defined]
            reason = lag.reason or "进展滞后"
            notices.append(
                notice_issue(
                    actor=None,
                    project=project,
                    kind=NoticeKind.SUPERVISE,
                    content=f"{period}月督办：{reason}。请说明原因并报送整改措施。",
                    due_date=due,
                    cadence_period=period,
                    now=now,
                )
            )
        return reports.monthly(now, period, notices)

    return _produce(CadenceKind.MONTHLY, period, now, build)


def quarterly_job(now: datetime.datetime) -> int:
    day = timezone.localdate(now)
    period = previous_quarter(day)
    return _produce(CadenceKind.QUARTERLY, period, now, lambda run: reports.quarterly(now, period))


JOBS = [
    ("projects.weekly_digest", weekly_job, "实事项目周梳理（每周一起生成本周报表）"),
    ("projects.monthly_supervision", monthly_job, "实事项目月督办（每月1日起向滞后单位发出督办）"),
    (
        "projects.quarterly_dispatch",
        quarterly_job,
        "实事项目季调度（每季度首日起生成上季度调度材料）",
    ),
]
