"""docs/glossary.md stays true: the names it gives exist, and every domain model is in it.

The glossary is a new developer's first page; a row that names a field renamed last month sends
them looking for something that is not there, and a model nobody added leaves a term unexplained.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "docs" / "glossary.md"
DOMAIN_APPS = ("grid", "workorders", "projects", "insight", "volunteers")
# Bookkeeping rows with no domain term of their own.
NOT_TERMS = {"TrackingCounter", "MetricsDirtyMonth", "DetectionRun"}
IDENTIFIER = re.compile(r"^[A-Za-z_][\w.]*(\(\))?$")


def _defined_names() -> set[str]:
    """Every module, package, class, function, assigned or annotated name and identifier-like
    string literal in product code: what the last part of a name in the glossary must be."""
    names: set[str] = set()
    for path in (ROOT / "banshi").rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                names.add(node.name)
            elif isinstance(node, ast.Assign):
                names.update(t.id for t in node.targets if isinstance(t, ast.Name))
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names.add(node.target.id)
            elif (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and node.value.isidentifier()
            ):
                # Action names and stored values ("dispatch", "partly") live in literals.
                names.add(node.value)
        names.update({path.stem, path.parent.name} - {"__init__"})
    return names


def _identifiers(text: str) -> list[str]:
    found = []
    for token in re.findall(r"`([^`]+)`", text):
        if token.startswith(("/", '"', "docs/", "banshi/")) or not IDENTIFIER.match(token):
            continue
        if token.endswith((".md", ".py")):
            continue
        found.append(token.removesuffix("()"))
    return found


def test_every_name_the_glossary_gives_exists_in_the_code() -> None:
    defined = _defined_names()
    names = _identifiers(GLOSSARY.read_text(encoding="utf-8"))
    assert len(names) > 200
    missing = sorted({n for n in names if n.split(".")[-1] not in defined})
    assert not missing, f"术语表中的名称在代码中不存在：{missing}"


def test_every_domain_model_has_a_row_in_the_glossary() -> None:
    text = GLOSSARY.read_text(encoding="utf-8")
    missing = [
        f"{app}.{model.__name__}"
        for app in DOMAIN_APPS
        for model in apps.get_app_config(app).get_models()
        if model.__name__ not in NOT_TERMS and not re.search(rf"\b{model.__name__}\b", text)
    ]
    assert not missing, f"术语表缺少这些模型（请补上中文术语与名称）：{missing}"
