"""Threads firing every legal action and ledger edits at one project at once, on PostgreSQL: the
engine's compare-and-set on (status, version) lets exactly one of each race win, the project is
never in a state the table cannot reach, its timeline replays to its stored status, and its
version counts exactly the writes that went through."""

from __future__ import annotations

import random
import threading

import pytest
from django.db import connection

from banshi.core.errors import DomainError
from banshi.projects import services
from banshi.projects.choices import TRANSITIONS, Status
from banshi.projects.models import Project, ProjectEvent
from banshi.projects.tests.conftest import Scene

THREADS = 6
ROUNDS = 6


def _edit(scene: Scene, project: Project, n: int) -> None:
    services.project_update(
        actor=scene.admin,
        project=project,
        data=services.ProjectData(
            name=f"并发修改{n}",
            source=project.source,
            field=project.field,
            target=project.target,
            target_quantity=project.target_quantity,
            target_unit=project.target_unit,
            handling_type=project.handling_type,
            start_date=project.start_date,
            deadline=project.deadline,
            responsible_person=project.responsible_person,
        ),
        lead_unit=project.lead_unit,
        lead_leader=project.lead_leader,
        expected_version=project.version,
    )


# Skipped on SQLite before any fixture runs (so nothing is flushed there).
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="并发线程测试在 PostgreSQL 上运行（SQLite 内存测试库不支持多连接并发写）",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_actions_on_one_project_keep_it_legal_and_replayable(scene: Scene) -> None:
    from banshi.workorders.models import Category, TimeLimitRule
    from banshi.workorders.taxonomy import load_taxonomy, load_time_limits

    if not Category.objects.exists():  # an earlier transactional test emptied every table
        load_taxonomy(Category)
        load_time_limits(TimeLimitRule)
    project = scene.project(Status.IN_PROGRESS)
    scene.complete(project)
    start = Project.objects.get(pk=project.pk)
    first_event = ProjectEvent.objects.filter(project=project).order_by("-id").first()
    assert first_event is not None
    who = {
        "claim": scene.handler,
        "reject": scene.supervisor,
        "defer": scene.admin,
        "resume": scene.admin,
    }
    done: list[str] = []
    refused: list[str] = []
    crashed: list[BaseException] = []
    barrier = threading.Barrier(THREADS)

    def worker(n: int) -> None:
        from django.db import connections

        rng = random.Random(n)
        try:
            for _round in range(ROUNDS):
                barrier.wait(timeout=60)
                seen = Project.objects.get(pk=project.pk)
                legal = [a for a in who if seen.status in TRANSITIONS[a].sources]
                action = rng.choice([*legal, "edit"])
                try:
                    if action == "edit":
                        _edit(scene, seen, n)
                    else:
                        services.project_transition(
                            actor=who[action],
                            project=seen,
                            action=action,
                            note=f"线程{n}",
                            expected_version=seen.version,
                        )
                    done.append(action)
                except DomainError as exc:
                    refused.append(exc.code)
        except BaseException as exc:  # anything else fails the test, and frees the others
            crashed.append(exc)
            barrier.abort()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not crashed, crashed
    final = Project.objects.get(pk=project.pk)
    assert done, refused
    assert set(refused) <= {"stale_version", "stale_status", "invalid_transition"}
    assert final.version == start.version + len(done)
    # The timeline replays to the stored status: every step leaves from where the last one ended
    # and is a row of the table.
    state = start.status
    moves = ProjectEvent.objects.filter(project=project, id__gt=first_event.pk).order_by("id")
    for event in moves:
        if event.action == "update":
            continue
        step = TRANSITIONS[event.action]
        assert event.from_status == state and state in step.sources, event.action
        assert event.to_status == step.target
        state = event.to_status
    assert state == final.status
    assert moves.count() == len(done)
