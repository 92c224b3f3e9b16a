"""Reads of scoped models go through a scope, or say out loud that they do not.

A model whose default manager is a ``ScopedQuerySet`` holds rows that belong to org subtrees (work
orders, projects, users, households …). Product code outside the layers whose job is to read and
write them reaches such a model through ``Model.objects.for_user(user, action)`` (or
``within_paths``), through a selector, or through ``Model.objects.unscoped()`` with a comment on
that line or the line above saying why every row is wanted. A plain ``Model.objects.filter(...)``
in a view, an API endpoint, a job or a helper is a read nobody decided the scope of.

Exempt, and why:
- ``tests/`` and ``migrations/``: not product code.
- ``services`` modules and packages: they act for a checked actor on rows already found, and the
  writes there are policed by the writes test.
- ``selectors`` modules: they are where scoped reads are built; a selector decides the scope.
- ``demo`` packages and ``demo.py`` modules: seeding acts for the system, never for a user.
- management commands: a command is run by an operator on the whole database, so every read in it
  is unscoped by nature; spelling ``.unscoped()`` on each would add noise, not information.

Writes (``create``, ``get_or_create``, ``bulk_create`` … at the manager, or a chain ending in
``update`` / ``delete``) are not reads and are left to the writes test.

The second test lists every ``.unscoped()`` read left in product code (services and selectors
included, demo and commands not), checks
each carries its reason, and checks the list matches the table under "Unscoped reads" in
``docs/architecture.md``, so the table cannot go stale.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps

from banshi.core.scoping import ScopedQuerySet

REPO = Path(__file__).resolve().parent.parent
ROOT = REPO / "banshi"
DOC = REPO / "docs" / "architecture.md"

# Manager methods that write rather than read: the writes test's business.
WRITE_METHODS = {
    "create",
    "get_or_create",
    "update_or_create",
    "bulk_create",
    "bulk_update",
    "create_user",
    "create_superuser",
}
# Scoped ways in: the manager decides the scope from a user or explicit paths.
SCOPED_METHODS = {"for_user", "within_paths"}
MANAGERS = {"objects", "_default_manager"}


def _scoped_models() -> dict[str, list[str]]:
    """Class name -> modules it is importable from, for every model on a ScopedQuerySet."""
    found: dict[str, list[str]] = {}
    for model in apps.get_models():
        if issubclass(model._default_manager._queryset_class, ScopedQuerySet):  # type: ignore[attr-defined]
            module = model.__module__
            package = module.split(".models")[0] + ".models"  # banshi.projects.models.ledger
            found.setdefault(model.__name__, []).extend({module, package})
    return found


def _exempt(path: Path) -> bool:
    parts = path.relative_to(ROOT).parts
    if "tests" in parts or "migrations" in parts or "demo" in parts:
        return True
    if "services" in parts or path.stem in {"services", "selectors", "demo"}:
        return True
    return "management" in parts and "commands" in parts


def _product_files(*, all_layers: bool = False) -> list[Path]:
    """The files the read rule covers; ``all_layers`` adds services and selectors (demo code and
    commands stay out: they act for the system by nature)."""
    files = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts or "demo" in parts or path.stem == "demo":
            continue
        if "management" in parts:
            continue
        if all_layers or not _exempt(path):
            files.append(path)
    return files


def _local_models(tree: ast.Module, module: str, scoped: dict[str, list[str]]) -> dict[str, str]:
    """Local names in a module that stand for a scoped model: imported from the model's module (or
    its ``models`` package), defined here, or ``User = get_user_model()``."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                if alias.name in scoped and node.module in scoped[alias.name]:
                    names[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.ClassDef) and node.name in scoped and module in scoped[node.name]:
            names[node.name] = node.name
        elif (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Name)
            and node.value.func.id == "get_user_model"
        ):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    names[target.id] = "User"
    return names


@dataclass
class Read:
    path: Path
    line: int
    model: str
    method: str
    chain: tuple[str, ...]  # every method called after the manager, in order
    statement: int  # first line of the statement holding the read

    def __str__(self) -> str:
        return f"{self.path.relative_to(REPO)}:{self.line}  {self.model}.objects.{self.method}"

    @property
    def writes(self) -> bool:
        return self.method in WRITE_METHODS or bool({"update", "delete"} & set(self.chain))

    def has_reason(self) -> bool:
        """A ``#`` comment from the line above the statement down to the read's own line."""
        lines = self.path.read_text(encoding="utf-8").splitlines()
        return any("#" in lines[i] for i in range(max(self.statement - 2, 0), self.line))


def _manager_reads(
    path: Path, scoped: dict[str, list[str]], source: str | None = None
) -> list[Read]:
    tree = ast.parse(path.read_text(encoding="utf-8") if source is None else source)
    module = ".".join(path.relative_to(REPO).with_suffix("").parts)
    local = _local_models(tree, module, scoped)
    parents: dict[int, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
    reads: list[Read] = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Attribute)
            and node.attr in MANAGERS
            and isinstance(node.value, ast.Name)
            and node.value.id in local
        ):
            continue
        chain: list[str] = []
        up: ast.AST = node
        while True:
            parent = parents.get(id(up))
            if isinstance(parent, ast.Attribute):
                chain.append(parent.attr)
            elif not (isinstance(parent, ast.Call) and parent.func is up):
                break
            up = parent
        statement: ast.AST = node
        while not isinstance(statement, ast.stmt):
            statement = parents[id(statement)]
        method = chain[0] if chain else "(manager)"
        reads.append(
            Read(path, node.lineno, local[node.value.id], method, tuple(chain), statement.lineno)
        )
    return reads


def test_scoped_models_are_read_through_a_scope() -> None:
    scoped = _scoped_models()
    assert {"WorkOrder", "Project", "OrgUnit", "User"} <= set(scoped), scoped
    problems = []
    for path in _product_files():
        for read in _manager_reads(path, scoped):
            if read.method in SCOPED_METHODS or read.writes:
                continue
            if read.method == "unscoped":
                if not read.has_reason():
                    problems.append(f"{read}  (没有注释说明为何不限范围)")
                continue
            problems.append(str(read))
    assert not problems, (
        "这些读取绕过了范围（改用 selectors / .for_user()，或写 .unscoped() 并注释原因）：\n"
        + "\n".join(problems)
    )


def _unscoped_reads() -> list[Read]:
    scoped = _scoped_models()
    return [
        read
        for path in _product_files(all_layers=True)
        for read in _manager_reads(path, scoped)
        if read.method == "unscoped"
    ]


def _documented() -> set[str]:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(r"^## Unscoped reads\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert match, "docs/architecture.md 缺少 “## Unscoped reads” 一节"
    return set(re.findall(r"`(banshi/[^`]+\.py)`", match.group(1)))


def test_every_unscoped_read_says_why_and_is_listed_in_the_docs() -> None:
    reads = sorted(_unscoped_reads(), key=lambda r: (str(r.path), r.line))
    print("\n剩余的 .unscoped() 读取：")
    for read in reads:
        print(f"  {read}")
    missing_reason = [str(read) for read in reads if not read.has_reason()]
    assert not missing_reason, "没有注释原因：\n" + "\n".join(missing_reason)
    files = {str(read.path.relative_to(REPO)) for read in reads}
    documented = _documented()
    assert files == documented, (
        f"docs/architecture.md 的 Unscoped reads 表与代码不符：缺 {sorted(files - documented)}，"
        f"多 {sorted(documented - files)}"
    )


@pytest.mark.parametrize("name", ["WorkOrder", "Project"])
def test_the_detector_finds_a_plain_read(name: str) -> None:
    """The test above can fail: a plain read in a view is reported with its line."""
    scoped = _scoped_models()
    module = "banshi.workorders.models" if name == "WorkOrder" else "banshi.projects.models"
    source = f"from {module} import {name}\n\n\ndef view(request):\n    return {name}.objects.filter(pk=1)\n"
    reads = _manager_reads(ROOT / "probe" / "views.py", scoped, source)
    assert [(r.line, r.model, r.method) for r in reads] == [(5, name, "filter")]
