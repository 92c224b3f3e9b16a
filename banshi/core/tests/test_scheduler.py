from __future__ import annotations

from typing import Any

from django.core.management import call_command

from banshi.core.scheduler import jobs, register_job, run_once


def test_a_failing_job_does_not_stop_the_others(db: Any) -> None:
    calls: list[str] = []

    def broken(now: Any) -> int:
        raise RuntimeError("坏任务")

    def fine(now: Any) -> int:
        calls.append("fine")
        return 1

    register_job("test.broken", broken)
    register_job("test.fine", fine)
    results = run_once(only={"test.broken", "test.fine"})
    assert results == {"test.broken": -1, "test.fine": 1}
    assert calls == ["fine"]


def test_command_once_and_list(db: Any, capsys: Any) -> None:
    call_command("run_scheduler", "--list")
    assert "notify.deliver_pending" in capsys.readouterr().out
    call_command("run_scheduler", "--once", "--job", "notify.deliver_pending")
    assert "调度完成" in capsys.readouterr().out
    assert any(job.name == "notify.deliver_pending" for job in jobs())
