"""Time-based work as data (Healthchecks' sendalerts): one loop, many registered jobs.

Each app registers its jobs in ``AppConfig.ready()`` with ``register_job(name, func)``. A job is a
function ``func(now) -> int`` that finds due rows by indexed columns, claims each by compare-and-set
and calls services, returning how many things it did. Running a job twice in a row must do
nothing the second time; that is each job's own promise and is tested per job.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import close_old_connections, connection
from django.utils import timezone

logger = logging.getLogger("banshi.scheduler")

JobFunc = Callable[[datetime.datetime], int]


@dataclass(frozen=True)
class Job:
    name: str
    func: JobFunc
    description: str


_JOBS: dict[str, Job] = {}


def register_job(name: str, func: JobFunc, description: str = "") -> None:
    if name in _JOBS and _JOBS[name].func is not func:
        raise ValueError(f"调度任务重复注册：{name}")
    _JOBS[name] = Job(name, func, description)


def jobs() -> list[Job]:
    return list(_JOBS.values())


def run_once(now: datetime.datetime | None = None, only: set[str] | None = None) -> dict[str, int]:
    """Run every registered job once; a failing job is logged and does not stop the others."""
    now = now or timezone.now()
    results: dict[str, int] = {}
    for job in jobs():
        if only and job.name not in only:
            continue
        if not connection.in_atomic_block:  # a long-running loop drops stale connections
            close_old_connections()
        try:
            results[job.name] = job.func(now)
        except Exception:
            logger.exception("调度任务失败：%s", job.name)
            results[job.name] = -1
    return results
