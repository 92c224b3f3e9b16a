"""A leading underscore means "private to this module": no other product module imports it.

When a helper is needed elsewhere it is made public (named without the underscore, with a
docstring) or moved to where both can use it; otherwise a change to a module's private helper
breaks a page in another app that nobody thought to check. Tests are exempt (they may poke at
internals), and so are migrations and dunder names (``__version__``, ``__all__``).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ROOT / "banshi"


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _is_module(dotted: str) -> bool:
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def _product_files() -> list[Path]:
    return sorted(
        path
        for path in PRODUCT.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
    )


def private_imports(source: str) -> list[tuple[int, str]]:
    """(line, what) for each private name this source takes from another banshi module: imported
    by name, or read as an attribute of a banshi module it imported."""
    tree = ast.parse(source)
    found: list[tuple[int, str]] = []
    modules: set[str] = set()  # local names bound to banshi modules (not to classes from them)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level == 0 and not module.startswith("banshi"):
                continue
            where = "." * node.level + module
            for alias in node.names:
                if _private(alias.name):
                    found.append((node.lineno, f"from {where} import {alias.name}"))
                if node.level == 0 and _is_module(f"{module}.{alias.name}"):
                    modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("banshi.") and alias.asname:
                    modules.add(alias.asname)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and _private(node.attr)
        ):
            found.append((node.lineno, f"{node.value.id}.{node.attr}"))
    return sorted(found)


def test_the_check_finds_each_way_of_reaching_a_private_name() -> None:
    source = (
        "from banshi.projects.excel import _Resolver, parse\n"
        "from banshi.orgtree import geo\n"
        "from .views import _act\n"
        "import banshi.workorders.views.citizen as citizen\n"
        "from django.utils import _os\n"
        "from banshi import __version__\n"
        "geo._districts(); citizen._leaf_groups(); geo.OUTLINES; self._x\n"
    )
    assert [what for _, what in private_imports(source)] == [
        "from banshi.projects.excel import _Resolver",
        "from .views import _act",
        "citizen._leaf_groups",
        "geo._districts",
    ]


def test_no_product_module_imports_another_modules_private_names() -> None:
    problems = [
        f"{path.relative_to(ROOT)}:{line} {what}"
        for path in _product_files()
        for line, what in private_imports(path.read_text(encoding="utf-8"))
    ]
    assert not problems, (
        "导入了其他模块的私有名称（去掉下划线公开它，或移到共用处）：\n" + "\n".join(problems)
    )
