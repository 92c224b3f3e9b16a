"""The scope declarations are checked at start-up: a model on a ScopedQuerySet without a
``scope``, or a lookup that reaches no field, is a system-check error rather than a 500 on the
first list that uses it."""

from __future__ import annotations

from typing import Any

from banshi.core.checks import scope_declarations
from banshi.core.scoping import Scope
from banshi.orgtree.models import OrgUnit


def test_every_scoped_model_declares_a_valid_scope() -> None:
    assert scope_declarations() == []


def test_a_misspelt_scope_lookup_is_a_check_error(monkeypatch: Any) -> None:
    broken = Scope("paht")
    broken.model = OrgUnit
    monkeypatch.setattr(OrgUnit, "scope", broken)
    errors = scope_declarations()
    assert [(e.id, "paht" in e.msg) for e in errors] == [("banshi.E004", True)]


def test_a_scoped_model_without_a_scope_is_a_check_error(monkeypatch: Any) -> None:
    monkeypatch.setattr(OrgUnit, "scope", None)
    assert [e.id for e in scope_declarations()] == ["banshi.E003"]
