"""Concurrency tools for lifecycle tests: fire a lifecycle's moves from many threads at one
object (``fire``), then check that the object's event log replays to its stored state
(``replay``). A new lifecycle's race test is a list of ``Move`` and two calls::

    tally = fire(obj, moves, threads=8, rounds=4, seed=9)
    tally.check()
    replay(LIFECYCLE, obj, events, created="create", start="collected")

Threads run only on PostgreSQL (each thread has its own connection); the caller's test is
``django_db(transaction=True)`` and skips on SQLite.
"""

from __future__ import annotations

import random
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import connections

from banshi.audit.models import ChangeRecord
from banshi.audit.services import object_type_of
from banshi.core.errors import DomainError
from banshi.workflow import engine

SKIP_ON_SQLITE = "并发线程测试在 PostgreSQL 上运行（SQLite 内存测试库不支持多连接并发写）"


# --- firing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    """One action a thread may fire: who fires it and with what data. ``data`` may be a function
    of the thread's random generator (a unit picked at random, a date computed at firing time);
    ``run`` replaces the engine call for a move with its own entry point (a citizen's rating, a
    service that writes beside the lifecycle); ``when`` is the states such a move is aimed at,
    for a move that is not a step of the table (by default the step's sources); ``weight`` makes
    a move rarer (an exit that would end the race in its first second) or more frequent."""

    action: str
    actor: Any
    data: dict[str, Any] | Callable[[random.Random], dict[str, Any]] = field(default_factory=dict)
    run: Callable[[Any, dict[str, Any]], Any] | None = None
    when: frozenset[str] | None = None
    weight: float = 1.0  # how often it is picked, against the others (an exit: less often)

    def __call__(self, obj: Any, rng: random.Random) -> None:
        data = self.data(rng) if callable(self.data) else dict(self.data)
        if self.run is not None:
            self.run(obj, data)
        else:
            engine.transition(actor=self.actor, obj=obj, action=self.action, data=data)


@dataclass
class Tally:
    """What the threads saw: each attempt's outcome, by action."""

    threads: int
    rounds: int
    seed: int
    outcomes: list[tuple[str, str]] = field(default_factory=list)  # (action, "ok" or error code)
    unexpected: list[str] = field(default_factory=list)  # formatted tracebacks
    seconds: float = 0.0

    @property
    def attempts(self) -> int:
        return len(self.outcomes)

    @property
    def successes(self) -> int:
        return sum(1 for _, outcome in self.outcomes if outcome == "ok")

    @property
    def codes(self) -> Counter[str]:
        return Counter(outcome for _, outcome in self.outcomes)

    def attempted(self) -> set[str]:
        return {action for action, _ in self.outcomes}

    def succeeded(self) -> Counter[str]:
        return Counter(action for action, outcome in self.outcomes if outcome == "ok")

    def check(self) -> None:
        """Every attempt either succeeded or raised a domain error, never anything else."""
        assert not self.unexpected, (
            f"seed {self.seed}: {len(self.unexpected)} unexpected exceptions; the first:\n"
            + self.unexpected[0]
        )

    def summary(self) -> str:
        codes = ", ".join(f"{code} {n}" for code, n in self.codes.most_common())
        done = " ".join(f"{action}×{n}" for action, n in sorted(self.succeeded().items()))
        return (
            f"{self.threads} threads × {self.rounds} rounds (seed {self.seed}): "
            f"{self.attempts} attempts in {self.seconds:.1f}s — {codes}\n  succeeded: {done}"
        )


def fire(
    obj: Any,
    moves: Sequence[Move],
    *,
    threads: int = 8,
    rounds: int = 4,
    seed: int = 9,
    aim: float = 0.75,
) -> Tally:
    """``threads`` threads fire ``moves`` at ``obj`` for ``rounds`` rounds, starting each round
    together (a barrier). In a round each thread makes as many attempts as there are moves; for
    each it reads the object's state and, with probability ``aim``, picks one of the moves that
    may run from there (so the threads compete for the same steps and the lifecycle goes round;
    the steps that move the status weigh double), else any move (so every move is also fired where it may not run). Choices come from the
    thread's own generator, seeded from ``seed``. Each thread has its own database connection,
    closed when it ends."""
    lifecycle = engine.lifecycle_of(obj)
    manager = type(obj)._default_manager
    sources = {m.action: m.when or lifecycle.step(m.action).sources for m in moves}
    # A step that moves the status is aimed at twice as often as a timeline entry (a note, an
    # urge), so the lifecycle goes round in a few rounds instead of filling the log with notes.
    weights = {
        m.action: m.weight
        * (2 if m.action in lifecycle.steps and lifecycle.steps[m.action].target else 1)
        for m in moves
    }
    tally = Tally(threads=threads, rounds=rounds, seed=seed)
    barrier = threading.Barrier(threads)
    lock = threading.Lock()

    def pick(rng: random.Random) -> Move:
        if rng.random() < aim:
            state = manager.filter(pk=obj.pk).values_list(lifecycle.status_field, flat=True)[0]
            ready = [m for m in moves if state in sources[m.action]]
            if ready:
                return rng.choices(ready, weights=[weights[m.action] for m in ready])[0]
        return rng.choices(moves, weights=[m.weight for m in moves])[0]

    def worker(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        try:
            for _ in range(rounds):
                barrier.wait()
                for _ in range(len(moves)):
                    move = pick(rng)
                    try:
                        move(obj, rng)
                        outcome = "ok"
                    except DomainError as exc:
                        outcome = exc.code
                    except BaseException:  # reported by Tally.check
                        outcome = "unexpected"
                        with lock:
                            tally.unexpected.append(f"{move.action}: {traceback.format_exc()}")
                    with lock:
                        tally.outcomes.append((move.action, outcome))
        except threading.BrokenBarrierError:  # another thread died outside a move
            with lock:
                tally.unexpected.append(traceback.format_exc())
        except BaseException:
            with lock:
                tally.unexpected.append(traceback.format_exc())
            barrier.abort()
        finally:
            connections.close_all()

    started = time.monotonic()
    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    tally.seconds = time.monotonic() - started
    return tally


# --- replaying ---------------------------------------------------------------------------------


class EventRow(Protocol):
    action: str
    from_status: str
    to_status: str


@dataclass
class Replayed:
    """The log read back: the transitions' actions in order and the state they lead to."""

    steps: list[str]
    state: str


def replay(
    lifecycle: engine.Lifecycle[Any],
    obj: Any,
    events: Iterable[EventRow],
    *,
    created: str | None,
    start: str,
    version_before: int = 0,
    since: int = 0,
    others: Mapping[str, int] | None = None,
) -> Replayed:
    """Check that ``events`` (the object's timeline, ordered by id; copies ending in ``_public``
    are left out) replay to ``obj``'s stored state:

    - the first event is the creation (``created``) and leads to ``start``, the intake state
      (``created=None``: the lifecycle writes no event at creation; its log starts at ``start``);
    - every later event is a step of the lifecycle whose sources hold the previous event's
      ``to_status``, which is its ``from_status``, and whose ``to_status`` is the step's target
      (or the same state, for a step that leaves it);
    - the last ``to_status`` is the stored status, a state of the lifecycle;
    - the stored version is ``version_before`` plus the number of transitions (and of the
      other writes, below);
    - the object's change records are the creation's (with ``created``) and one per transition,
      in the same order.

    ``others`` names the timeline entries that are not steps (a project's ledger edit, its
    confirmations, an inspection), each with the versions it adds (0 or 1): they may appear
    anywhere, must not move the status, and count in the version; their change records are
    left out of the comparison.

    ``since``: only the events with a larger id count in the version (``version_before`` is the
    version at that point): a test that raced, wrote setup the version cannot predict (a project's
    progress report), and raced again checks each race from where it began.

    ``obj`` is re-read from the database. Raises AssertionError naming the first event that does
    not fit."""
    obj = type(obj)._default_manager.get(pk=obj.pk)
    rows = [e for e in events if not e.action.endswith("_public")]
    assert rows or created is None, f"{obj!r}: no events"
    if created is not None:
        first = rows.pop(0)
        assert (first.action, first.to_status) == (created, start), (
            f"the first event is {first.action} → {first.to_status}, not {created} → {start}"
        )
    others = others or {}
    state = start
    steps: list[str] = []
    counted = 0
    for n, event in enumerate(rows, start=2 if created else 1):
        where = f"event {n} ({event.action}: {event.from_status} → {event.to_status})"
        counts = getattr(event, "pk", None) is None or event.pk > since  # type: ignore[attr-defined]
        if event.action in others and event.action not in lifecycle.steps:
            assert {event.from_status, event.to_status} <= {"", state}, (
                f"{where}: not a step, yet it moves the status"
            )
            counted += others[event.action] if counts else 0
            continue
        step = lifecycle.steps.get(event.action)
        assert step is not None, f"{where}: not a step of {lifecycle.name}"
        assert event.from_status == state, f"{where}: the previous event left {state}"
        assert state in step.sources, f"{where}: {event.action} does not run from {state}"
        assert event.to_status == (step.target or state), (
            f"{where}: {event.action} leads to {step.target or state}"
        )
        state = event.to_status
        steps.append(event.action)
        counted += 1 if counts else 0
    stored = getattr(obj, lifecycle.status_field)
    assert stored in lifecycle.states.values, f"stored status {stored} is not a state"
    assert state == stored, f"the log ends at {state}, the stored status is {stored}"
    version = getattr(obj, lifecycle.version_field)
    assert version == version_before + counted, (
        f"version {version}, but {counted} writes logged after version {version_before}"
    )
    first_record = [created] if created else []
    ours = [f"{lifecycle.name}.{action}" for action in [*first_record, *lifecycle.steps]]
    records = list(
        ChangeRecord.objects.unscoped()  # the whole record, whoever may read it
        .filter(object_type=object_type_of(obj), object_id=str(obj.pk))
        .filter(action__in=ours)
        .order_by("id")
        .values_list("action", flat=True)
    )
    expected = [f"{lifecycle.name}.{action}" for action in [*first_record, *steps]]
    assert records == expected, (
        f"{len(records)} change records for {len(expected)} events; "
        f"first difference at {_first_difference(records, expected)}"
    )
    return Replayed(steps=steps, state=state)


def _first_difference(a: list[str], b: list[str]) -> str:
    for n, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return f"#{n + 1}: {x} vs {y}"
    return f"#{min(len(a), len(b)) + 1} (one list is longer)"
