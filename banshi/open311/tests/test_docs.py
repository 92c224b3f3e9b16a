"""docs/open311.md numbers its rules and is tested rule by rule: the counts it states, the
numbering and the tests named after each rule must agree."""

from __future__ import annotations

import re
from pathlib import Path

from banshi.open311.tests import test_conformance, test_extensions

DOC = Path(__file__).resolve().parents[3] / "docs" / "open311.md"


def _rules(prefix: str) -> list[int]:
    text = DOC.read_text(encoding="utf-8")
    return [int(n) for n in re.findall(rf"^{prefix}(\d\d)\. ", text, flags=re.MULTILINE)]


def _tested(module: object, prefix: str) -> set[int]:
    return {int(m) for name in dir(module) for m in re.findall(rf"^{prefix}_(\d\d)", name)}


def test_rules_are_numbered_in_order_and_the_stated_counts_add_up() -> None:
    spec, ours = _rules("R"), _rules("E")
    assert spec == list(range(1, len(spec) + 1))
    assert ours == list(range(1, len(ours) + 1))
    text = DOC.read_text(encoding="utf-8")
    stated = re.search(r"(\d+) spec rules \+ (\d+) Banshi rules, (\d+) rules, (\d+) passing", text)
    assert stated is not None
    total = len(spec) + len(ours)
    assert tuple(int(g) for g in stated.groups()) == (len(spec), len(ours), total, total)


def test_every_rule_has_a_test_carrying_its_number_and_no_test_names_a_missing_rule() -> None:
    assert _tested(test_conformance, "test_rule") == set(_rules("R"))
    assert _tested(test_extensions, "test_ext") == set(_rules("E"))
