"""The one workflow engine: every lifecycle in Banshi is a table of steps, moved by ``transition``.

A lifecycle (requests, projects, and every later one: visits, registrations, volunteer
activities, indicator periods, 跨省通办 cases) is declared once, as data::

    LIFECYCLE = Lifecycle(
        name="project",                     # permission prefix and ChangeRecord action prefix
        model=Project,
        states=Status,                      # the model's status TextChoices
        steps=[
            Step("approve", gettext_noop("立项"), {S.SCREENED}, S.APPROVED, side=Side.CENTRE,
                 guard=listed, effects=(tell_unit,)),
            ...
        ],
        hooks=ProjectHooks(),               # scope, permission, event row: the model's own
    )

A step names the states it runs from, the state it leads to (``None``: the state stays and the
step is a timeline entry only), who takes it, the permission it needs (``"<name>.<action>"`` by
default), a **guard** — a function that checks what the step needs beyond the state and returns
the :class:`Change` to write — and **effects**, functions run after the write inside the same
transaction (messages go out through the notify outbox, which sends after commit). The guard's and
the effects' docstrings are what ``manage.py workflow_table`` prints, so the table a reader sees is
the code that runs.

``transition(actor=, obj=, action=, data=)`` is the only way a status changes:

1. the object is re-read inside the transaction; out of the actor's sight is ``NotFound`` (404);
2. a stale ``expected_version`` (the version the person's form or ``If-Match`` header carried)
   is ``Conflict`` (409) before anything else is checked;
3. the state must be one the step runs from (the lifecycle says which error that is);
4. the actor's right is checked through the one resolver (``core.permissions``), with the org
   path the lifecycle's hooks choose; system steps refuse a person, personal steps refuse the
   system;
5. the guard validates ``data`` and returns the column updates;
6. the row is written by compare-and-set on ``(pk, status, version)`` with ``version + 1``: of two
   concurrent transitions exactly one wins, the other gets ``Conflict`` — on SQLite and
   PostgreSQL alike, with no row lock;
7. the lifecycle's event row, the audit ChangeRecord and the effects are written in the same
   transaction, so the event log replays to the stored state.

Scheduler jobs call the same function with ``actor=SYSTEM``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from banshi.audit.services import record_change
from banshi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from banshi.core.permissions import can
from banshi.core.versions import stale_version

M = TypeVar("M", bound=models.Model)


class SystemActor:
    """The scheduler, the seeding commands and the platform's own rules: not a person."""

    is_authenticated = False
    is_superuser = False
    pk = None

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = SystemActor()


def is_system(actor: Any) -> bool:
    return actor is None or isinstance(actor, SystemActor)


def person(actor: Any) -> Any:
    """The signed-in user behind ``actor``, or None (the system, a citizen without an account)."""
    return actor if getattr(actor, "is_authenticated", False) else None


# Who takes a step. A lifecycle may use its own values; these are the ones the engine knows.
SYSTEM_SIDE = "system"
CITIZEN_SIDE = "citizen"


@dataclass
class Change:
    """What a guard decided: the columns to write, the event's note and data, extra
    compare-and-set conditions, and after-effects for this one transition."""

    updates: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    guard: dict[str, Any] = field(default_factory=dict)
    after: list[Callable[[Any], None]] = field(default_factory=list)
    # Anything else the lifecycle's hooks understand (a request's public note, files, co-units).
    extra: dict[str, Any] = field(default_factory=dict)


Guard = Callable[[Any, Any, datetime.datetime, dict[str, Any]], Change]
Effect = Callable[[Any], None]


def no_guard(obj: Any, actor: Any, now: datetime.datetime, data: dict[str, Any]) -> Change:
    """—"""
    return Change()


@dataclass(frozen=True)
class Step:
    """One row of a lifecycle's table."""

    action: str
    label: str  # gettext_noop'd: stored notes are in the first language, pages translate
    sources: frozenset[str]
    target: str | None
    side: str  # who takes the step: a lifecycle's own value, or SYSTEM_SIDE / CITIZEN_SIDE
    permission: str | None = None  # None: "<lifecycle>.<action>"; system and citizen steps: none
    guard: Guard = no_guard
    effects: tuple[Effect, ...] = ()

    def __init__(
        self,
        action: str,
        label: str,
        sources: Iterable[str],
        target: str | None,
        side: str,
        *,
        permission: str | None = None,
        guard: Guard | None = None,
        effects: Sequence[Effect] = (),
    ) -> None:
        object.__setattr__(self, "action", action)
        object.__setattr__(self, "label", label)
        object.__setattr__(self, "sources", frozenset(str(s) for s in sources))
        object.__setattr__(self, "target", None if target is None else str(target))
        object.__setattr__(self, "side", str(side))
        object.__setattr__(self, "permission", permission)
        object.__setattr__(self, "guard", guard or no_guard)
        object.__setattr__(self, "effects", tuple(effects))

    def with_behaviour(self, guard: Guard | None, effects: Sequence[Effect] = ()) -> Step:
        """This step with its guard and effects attached: a table declared as data beside the
        model (``choices``) gets its behaviour where the services are."""
        return Step(
            self.action,
            self.label,
            self.sources,
            self.target,
            self.side,
            permission=self.permission,
            guard=guard or self.guard,
            effects=(*self.effects, *effects),
        )

    @property
    def by_system(self) -> bool:
        return self.side == SYSTEM_SIDE

    @property
    def by_citizen(self) -> bool:
        return self.side == CITIZEN_SIDE


class Hooks(Generic[M]):
    """What differs between lifecycles: how an object is loaded, who sees it, who may act on it,
    and where its timeline lives. Subclass per model; the defaults fit a model with an
    ``org_unit`` and the permission resolver's ``can``."""

    def load(self, model: type[M], pk: Any) -> M:
        return model._default_manager.get(pk=pk)  # type: ignore[attr-defined]

    def visible(self, actor: Any, obj: M, step: Step) -> bool:
        return is_system(actor) or step.by_citizen or can(actor, f"{self.name}.view", obj)

    def authorize(self, actor: Any, obj: M, step: Step, permission: str) -> None:
        if not can(actor, permission, obj):
            raise PermissionDenied(_("您无权%(label)s") % {"label": _(step.label)})

    def invalid_state(self, obj: M, step: Step, label: str) -> Exception:
        return ValidationFailed(
            f"当前状态为“{label}”，不能{step.label}",
            code="invalid_transition",
        )

    def conflict(self, obj: M, step: Step) -> Exception:
        return Conflict("数据已被他人处理或状态已变化，请刷新后重试")

    def record(
        self,
        *,
        before: M,
        after: M,
        step: Step,
        actor: Any,
        change: Change,
        now: datetime.datetime,
    ) -> None:
        """Write the transition's event row: by default one row of ``event_model`` (its foreign key
        to the object named by ``event_owner``; ``at``, ``actor``, ``action``, ``from_status``,
        ``to_status``, ``note``). A lifecycle whose timeline has more to say overrides this.
        Every transition leaves one."""
        if self.event_model is None:
            raise NotImplementedError(f"{self.name}: 请声明 event_model 或实现 record()")
        note_field = self.event_model._meta.get_field("note")
        note = change.note[: note_field.max_length] if note_field.max_length else change.note
        self.event_model._default_manager.create(
            **{self.event_owner: after},
            at=now,
            actor=person(actor),
            action=step.action,
            from_status=getattr(before, self.status_field),
            to_status=getattr(after, self.status_field),
            note=note,
        )

    def audit(self, before: M, after: M, change: Change) -> tuple[dict[str, Any], dict[str, Any]]:
        """The ChangeRecord's before and after."""
        return (
            {
                self.status_field: getattr(before, self.status_field),
                self.version_field: getattr(before, self.version_field),
            },
            {
                self.status_field: getattr(after, self.status_field),
                **plain(change.updates),
                **change.data,
            },
        )

    name = ""
    status_field = "status"
    version_field = "version"
    # The timeline the default ``record`` writes to, and its foreign key to the object.
    event_model: Any = None
    event_owner = ""


class Lifecycle(Generic[M]):
    def __init__(
        self,
        *,
        name: str,
        model: type[M],
        states: type[models.TextChoices],
        steps: Iterable[Step],
        hooks: Hooks[M],
        guards: Mapping[str, Guard] | None = None,
        effects: Mapping[str, Sequence[Effect]] | None = None,
        title: str = "",
        status_field: str = "status",
        version_field: str = "version",
    ) -> None:
        self.name = name
        self.model = model
        self.states = states
        self.steps: dict[str, Step] = {}
        guards, effects = guards or {}, effects or {}
        for step in steps:
            step = step.with_behaviour(guards.get(step.action), effects.get(step.action, ()))
            if step.action in self.steps:
                raise ValueError(f"{name}: duplicate step {step.action}")
            unknown = (step.sources | ({step.target} if step.target else set())) - set(
                states.values
            )
            if unknown:
                raise ValueError(f"{name}.{step.action}: unknown states {sorted(unknown)}")
            self.steps[step.action] = step
        strays = (set(guards) | set(effects)) - set(self.steps)
        if strays:
            raise ValueError(f"{name}: behaviour for unknown steps {sorted(strays)}")
        self.hooks = hooks
        hooks.name = name
        hooks.status_field, hooks.version_field = status_field, version_field
        self.title = title or name
        self.status_field = status_field
        self.version_field = version_field
        self._has_updated_at = any(f.name == "updated_at" for f in model._meta.get_fields())

    def __repr__(self) -> str:
        return f"<Lifecycle {self.name}>"

    def step(self, action: str) -> Step:
        step = self.steps.get(action)
        if step is None:
            raise ValidationFailed("未知的操作", code="unknown_action")
        return step

    def permission(self, step: Step) -> str:
        return step.permission or f"{self.name}.{step.action}"

    def state_label(self, value: str) -> str:
        try:
            return str(self.states(value).label)
        except ValueError:
            return value

    def available(self, state: str) -> list[Step]:
        """The steps that may run from ``state`` (before guards and permissions)."""
        return [s for s in self.steps.values() if state in s.sources]

    def reachable(self) -> set[str]:
        """States a step leads to (plus each step's sources): a check that the table is whole."""
        found: set[str] = set()
        for step in self.steps.values():
            found |= step.sources
            if step.target:
                found.add(step.target)
        return found


_REGISTRY: dict[str, Lifecycle[Any]] = {}


def register(lifecycle: Lifecycle[M]) -> Lifecycle[M]:
    _REGISTRY[lifecycle.name] = lifecycle
    return lifecycle


def lifecycles() -> dict[str, Lifecycle[Any]]:
    return dict(_REGISTRY)


def lifecycle_of(obj_or_model: Any) -> Lifecycle[Any]:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    for lifecycle in _REGISTRY.values():
        if issubclass(model, lifecycle.model):
            return lifecycle
    raise LookupError(f"{model.__name__} 没有登记生命周期")


def plain(updates: dict[str, Any]) -> dict[str, Any]:
    """Column updates as JSON-able values for the audit record (expressions left out)."""
    result = {}
    for key, value in updates.items():
        if hasattr(value, "resolve_expression"):
            continue
        if hasattr(value, "pk"):
            result[key] = value.pk
        else:
            result[key] = value
    return result


def transition(
    *,
    actor: Any,
    obj: M,
    action: str,
    data: dict[str, Any] | None = None,
    now: datetime.datetime | None = None,
    expected_version: int | None = None,
) -> M:
    """Run ``action`` on ``obj`` (see the module docstring for the order of checks)."""
    lifecycle = lifecycle_of(obj)
    step = lifecycle.step(action)
    hooks = lifecycle.hooks
    now = now or timezone.now()
    data = dict(data or {})
    status_field, version_field = lifecycle.status_field, lifecycle.version_field
    # Stored text (timeline notes built from labels) is always in the platform's first language.
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        try:
            current = hooks.load(lifecycle.model, obj.pk)
        except lifecycle.model.DoesNotExist:  # type: ignore[attr-defined]
            raise NotFound() from None
        if not hooks.visible(actor, current, step):
            raise NotFound()
        version = getattr(current, version_field)
        if expected_version is not None and expected_version != version:
            raise stale_version()
        state = getattr(current, status_field)
        if state not in step.sources:
            raise hooks.invalid_state(current, step, lifecycle.state_label(state))
        if step.by_system:
            if not is_system(actor):
                raise PermissionDenied("该步骤由系统自动完成", code="system_step")
        elif not step.by_citizen and not is_system(actor):
            # A citizen's proof (tracking code, survey token) is the guard's to check; the system
            # may take a person's step (seeding, a rule that acts for the centre).
            hooks.authorize(actor, current, step, lifecycle.permission(step))
        change = step.guard(current, actor, now, data)
        target = step.target or state
        guard = {"pk": current.pk, status_field: state, version_field: version, **change.guard}
        values: dict[str, Any] = {
            status_field: target,
            version_field: F(version_field) + 1,
            **change.updates,
        }
        if lifecycle._has_updated_at:
            # .update() skips auto_now, so the timestamp that feeds "updated since" is set here.
            values.setdefault("updated_at", now)
        updated = lifecycle.model._default_manager.filter(**guard).update(**values)  # type: ignore[attr-defined]
        if not updated:
            raise hooks.conflict(current, step)
        fresh = hooks.load(lifecycle.model, current.pk)
        hooks.record(before=current, after=fresh, step=step, actor=actor, change=change, now=now)
        before, after = hooks.audit(current, fresh, change)
        record_change(
            actor=person(actor),
            action=f"{lifecycle.name}.{action}",
            obj=fresh,
            before=before,
            after=after,
        )
        for effect in (*change.after, *step.effects):
            effect(fresh)
    return fresh


# --- the printed table ------------------------------------------------------------------------


def _doc(func: Callable[..., Any]) -> str:
    text = (func.__doc__ or "").strip().splitlines()
    return text[0].strip() if text else ""


def table_markdown(lifecycle: Lifecycle[Any], *, sides: dict[str, str] | None = None) -> str:
    """The lifecycle as a Markdown table: what ``manage.py workflow_table`` prints and docs/
    includes. Generated from the declaration, so it cannot drift from the code."""
    sides = sides or {}

    def states(values: Iterable[str]) -> str:
        order = list(lifecycle.states.values)
        return "、".join(lifecycle.state_label(v) for v in sorted(values, key=order.index))

    lines = [
        f"## {lifecycle.title}（`{lifecycle.name}`）",
        "",
        "状态：" + "、".join(f"{label}（`{value}`）" for value, label in lifecycle.states.choices),
        "",
        "| 动作 | 名称 | 从状态 | 到状态 | 谁 | 权限 | 前提与写入 | 之后 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for step in lifecycle.steps.values():
        who = sides.get(step.side, step.side)
        perm = "—" if step.by_system or step.by_citizen else f"`{lifecycle.permission(step)}`"
        effects = "；".join(d for d in (_doc(e) for e in step.effects) if d) or "—"
        lines.append(
            "| `{action}` | {label} | {src} | {dst} | {who} | {perm} | {guard} | {after} |".format(
                action=step.action,
                label=step.label,
                src=states(step.sources),
                dst=lifecycle.state_label(step.target) if step.target else "（不变）",
                who=who,
                perm=perm,
                guard=_doc(step.guard) or "—",
                after=effects,
            )
        )
    return "\n".join(lines) + "\n"
