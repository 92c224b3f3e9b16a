"""Views and API endpoints decide on an error's ``code``, never on its message.

Messages are for people: they are reworded, and shown in the reader's language. A page that asks
``error.startswith("表单已失效")`` silently stops working the day the sentence changes. Codes are
stable (banshi/core/errors.py). This check reads every view and API module and refuses a
comparison (``==``, ``!=``, ``in``, ``startswith``/``endswith``) against a Chinese text literal.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HAN = re.compile(r"[\u4e00-\u9fff]")


def _chinese(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and bool(HAN.search(node.value))
    )


def branches_on_text(source: str) -> list[tuple[int, str]]:
    """(line, code) for each test of a value against a Chinese literal."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare) and any(
            isinstance(op, ast.Eq | ast.NotEq | ast.In | ast.NotIn) for op in node.ops
        ):
            if any(_chinese(part) for part in [node.left, *node.comparators]):
                found.append((node.lineno, ast.unparse(node)))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"startswith", "endswith"}
            and any(_chinese(arg) for arg in node.args)
        ):
            found.append((node.lineno, ast.unparse(node)))
    return found


def _views_and_apis() -> list[Path]:
    paths = []
    for path in sorted((ROOT / "banshi").rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        parts = [*path.parent.relative_to(ROOT).parts, path.stem]
        if any(p.startswith("views") or p == "api" for p in parts):
            paths.append(path)
    return paths


def test_the_check_sees_comparisons_with_chinese_text_and_nothing_else() -> None:
    source = (
        'if error.startswith("表单已失效"): pass\n'
        'if "不" in str(exc): pass\n'
        'ok = exc.detail == "无权执行此操作"\n'
        'fine = exc.code == "invalid_form_token" or name.startswith("@unit:")\n'
        'label = "已%(action)s" % {"action": x}\n'
    )
    assert [line for line, _ in branches_on_text(source)] == [1, 2, 3]


def test_views_and_apis_branch_on_error_codes_not_on_message_text() -> None:
    paths = _views_and_apis()
    assert any(p.name == "api.py" for p in paths) and any("views" in p.parts for p in paths)
    problems = [
        f"{path.relative_to(ROOT)}:{line} {code}"
        for path in paths
        for line, code in branches_on_text(path.read_text(encoding="utf-8"))
    ]
    assert not problems, "按提示文字判断分支（请改用错误的 code）：\n" + "\n".join(problems)
