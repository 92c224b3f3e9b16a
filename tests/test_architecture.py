"""Apps depend one way: core ← audit ← orgtree ← accounts ← notify ← workflow ← workorders ← grid ← (domain apps) ← api, demo.

Each app may import only from the apps listed before it (and itself). Tests are exempt.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "banshi"
# Lower layers first. An app may import from any app earlier in this list.
LAYERS = [
    "core",
    "audit",
    "orgtree",
    "accounts",
    "notify",
    "workflow",
    # workorders below grid: a visit's finding opens a request through workorders' intake service.
    "workorders",
    "grid",
    "projects",
    "volunteers",
    "party",
    # indicators above projects: a project's 销号 posts its outputs through an effect it adds.
    "indicators",
    "insight",
    "open311",
    "api",
    "demo",
]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("banshi."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("banshi."):
                    found.add(alias.name.split(".")[1])
    return found


def test_apps_depend_one_way() -> None:
    problems = []
    for app_dir in sorted(p for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()):
        app = app_dir.name
        assert app in LAYERS, f"新应用 {app} 需要加入 LAYERS 并说明它所在的层"
        allowed = set(LAYERS[: LAYERS.index(app) + 1])
        for path in app_dir.rglob("*.py"):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            bad = _imports(path) - allowed
            if bad:
                problems.append(f"{path.relative_to(ROOT)} 导入了上层应用 {sorted(bad)}")
    assert not problems, "\n".join(problems)
