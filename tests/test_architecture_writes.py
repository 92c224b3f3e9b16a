"""Writes on domain models happen only in services (STYLE habit 1, issue 9.4).

Views, API endpoints, forms, admin actions, jobs and management commands parse input, call a
service and render; the service owns the transaction, the change record and the side effects. This
test reads product code (``banshi/**``) with ``ast`` and fails on any call that writes rows:
``.save()``, ``.delete()``, ``.update()``, ``.create()``, ``.get_or_create()``,
``.update_or_create()``, ``.bulk_create()``, ``.bulk_update()`` — on a manager, a queryset, a model
instance or a ModelForm (``form.save()`` is a write too).

Not read:
- services — ``<app>/services.py`` and ``<app>/services/``: that is where writes belong;
- tests and migrations;
- the demo — ``banshi/demo/``, ``<app>/demo/`` and ``<app>/demo.py``: fixture seeding, like tests.
``core``, ``audit`` and ``workflow`` get no blanket exemption: their few writes outside services
are listed below, each with its reason.

``ast`` has no types, so the receivers that are not models are told apart by the call's shape:
``Model.save()``, ``Model.delete()``, ``QuerySet.update()`` and ``QuerySet.delete()`` take keywords
only (Django 5.1 deprecated positional ``save()`` arguments), while ``dict.update(other)``,
``set.update(items)``, ``workbook.save(buffer)``, ``FieldFile.save(name, content)``,
``storage.delete(name)``, ``router.delete("/path")`` and a model's own
``super().save(*args, **kwargs)`` all pass something positionally. So those three names count only
when called without positional arguments; the other five always count. Opening a transaction
(``transaction.atomic``) counts too: composing writes into one unit is the service's job.

``ALLOWED`` is keyed by (path, enclosing function, method) rather than line numbers, so edits around
an entry do not break it; an entry that no longer matches anything fails the test, so the list only
shrinks.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "banshi"

ALWAYS = {"create", "get_or_create", "update_or_create", "bulk_create", "bulk_update"}
KEYWORDS_ONLY = {"save", "delete", "update"}

ALLOWED: dict[tuple[str, str, str], str] = {
    ("accounts/models.py", "UserManager.create_user", "save"): (
        "Django's auth contract (createsuperuser); audited accounts come from services.user_create"
    ),
    ("core/versions.py", "write", "update"): (
        "the shared compare-and-set (version + 1) that services call for edits, as the engine's"
    ),
    ("core/throttle.py", "hit", "bulk_create"): (
        "the throttle's own counter rows, not a domain model: the throttle is their only writer"
    ),
    ("core/throttle.py", "prune", "delete"): (
        "the throttle's own counter rows, not a domain model: the throttle is their only writer"
    ),
    ("orgtree/importer.py", "import_units", "atomic"): (
        "the file's check and its writes (all through tree services) share one transaction"
    ),
    ("workorders/extras.py", "dispatched", "atomic"): (
        "a savepoint per observer inside the dispatch transition: a failing one never undoes it"
    ),
    ("workflow/engine.py", "transition", "atomic"): (
        "the shared engine is every lifecycle's one transition service (its transaction)"
    ),
    ("workflow/engine.py", "transition", "update"): (
        "the shared engine is every lifecycle's one transition service (its compare-and-set)"
    ),
    ("workflow/engine.py", "Hooks.record", "create"): (
        "the engine's default event row, written inside the transition's transaction"
    ),
    ("workorders/taxonomy.py", "load_taxonomy", "get_or_create"): (
        "seed loader the data migration 0002 calls with its historical model class"
    ),
    ("workorders/taxonomy.py", "load_time_limits", "get_or_create"): (
        "seed loader the data migration 0003 calls with its historical model class"
    ),
}


@dataclass(frozen=True)
class Write:
    path: str
    line: int
    function: str
    method: str
    call: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.path, self.function, self.method)

    def __str__(self) -> str:
        return f"banshi/{self.path}:{self.line}: {self.call}  (in {self.function})"


def _is_write(call: ast.Call) -> bool:
    if not isinstance(call.func, ast.Attribute):
        return False
    name = call.func.attr
    if name in ALWAYS:
        return True
    return name in KEYWORDS_ONLY and not call.args


class _Finder(ast.NodeVisitor):
    def __init__(self, path: str) -> None:
        self.path = path
        self.scope: list[str] = []
        self.found: list[Write] = []

    def _nested(self, node: ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()

    visit_ClassDef = visit_FunctionDef = visit_AsyncFunctionDef = _nested

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if (
            node.attr == "atomic"
            and isinstance(node.value, ast.Name)
            and node.value.id == "transaction"
        ):
            self._found(node, "atomic")
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.module == "django.db.transaction" and any(a.name == "atomic" for a in node.names):
            self._found(node, "atomic")

    def _found(self, node: ast.expr | ast.stmt, method: str) -> None:
        text = ast.unparse(node)
        self.found.append(
            Write(
                path=self.path,
                line=node.lineno,
                function=".".join(self.scope) or "<module>",
                method=method,
                call=text if len(text) <= 100 else text[:97] + "...",
            )
        )

    def visit_Call(self, node: ast.Call) -> None:
        if _is_write(node):
            assert isinstance(node.func, ast.Attribute)
            self._found(node, node.func.attr)
        self.generic_visit(node)


def writes_in(source: str, path: str = "<snippet>") -> list[Write]:
    finder = _Finder(path)
    finder.visit(ast.parse(source))
    return finder.found


def _product_files() -> list[Path]:
    files = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if {"tests", "migrations", "services", "demo"} & set(parts[:-1]):
            continue
        if path.name in {"services.py", "demo.py"}:
            continue
        files.append(path)
    return files


def _all_writes() -> list[Write]:
    found = []
    for path in _product_files():
        relative = path.relative_to(ROOT).as_posix()
        found.extend(writes_in(path.read_text(encoding="utf-8"), relative))
    return found


def test_writes_on_domain_models_happen_only_in_services() -> None:
    stray = [w for w in _all_writes() if w.key not in ALLOWED]
    if stray:
        pytest.fail(
            "这些写操作不在 services 中——请移入本应用的 services（<名词>_<动词>(*, actor=…)），"
            "或确有必要时加入 ALLOWED 并写明理由：\n" + "\n".join(str(w) for w in stray),
            pytrace=False,
        )


def test_every_allowed_write_still_exists() -> None:
    keys = {w.key for w in _all_writes()}
    stale = [key for key in ALLOWED if key not in keys]
    if stale:
        pytest.fail(
            "ALLOWED 中这些条目已不再匹配任何写操作，请删除：\n"
            + "\n".join(
                f"banshi/{path} {function} .{method}()" for path, function, method in stale
            ),
            pytrace=False,
        )


def test_the_scanner_tells_model_writes_from_dicts_sets_and_files() -> None:
    source = """
def view(request, form, order, context, seen, wb, run, buffer):
    Thing.objects.create(name="x")
    Thing.objects.filter(pk=1).update(hot=True)
    Thing.objects.filter(pk=1).delete()
    Thing.objects.get_or_create(code="1")
    Thing.objects.update_or_create(code="1", defaults={})
    Thing.objects.bulk_create([Thing()])
    Thing.objects.bulk_update([], ["name"])
    order.save(update_fields=["status"])
    order.delete()
    form.save()
    context.update({"a": 1})
    seen.update(x for x in "ab")
    wb.save(buffer)
    run.excel.storage.delete(run.excel.name)
    super().save(*args, **kwargs)
    with transaction.atomic():
        pass

@router.delete("/x")
def endpoint(request):
    pass
"""
    assert [(w.line, w.method) for w in writes_in(source)] == [
        (3, "create"),
        (4, "update"),
        (5, "delete"),
        (6, "get_or_create"),
        (7, "update_or_create"),
        (8, "bulk_create"),
        (9, "bulk_update"),
        (10, "save"),
        (11, "delete"),
        (12, "save"),
        (18, "atomic"),
    ]
    assert {w.function for w in writes_in(source)} == {"view"}


def test_the_scan_reads_views_jobs_and_commands_but_not_services_tests_or_the_demo() -> None:
    read = {p.relative_to(ROOT).as_posix() for p in _product_files()}
    assert "open311/views.py" in read
    assert "workorders/jobs.py" in read
    assert "orgtree/management/commands/import_divisions.py" in read
    assert not any(
        "/tests/" in p
        or "/migrations/" in p
        or p.startswith("demo/")
        or p.endswith(("/services.py", "/demo.py"))
        or "/services/" in p
        or "/demo/" in p
        for p in read
    )
