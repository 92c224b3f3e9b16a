"""The README's demo account tables say what ``seed_demo`` seeds: the same people with the same
role on the same unit, so a reviewer who logs in as a row of the table sees what the row says."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import translation

from banshi.accounts.models import RoleAssignment, User
from banshi.demo.seed import CAST, seed_accounts
from banshi.orgtree.importer import DEFAULT_FILES, import_units, normalize_name
from banshi.projects.demo import EXTRA_ACCOUNTS

README = Path(settings.BASE_DIR) / "README.md"
ROW = re.compile(r"^\| (1990000\d{4}) \| ([^|]+) \| ([^|]+) \| ([^|]+) \|$")


def _unit_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for path in DEFAULT_FILES:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                names[row["code"]] = normalize_name(row["name"])
    return names


def _readme_rows() -> dict[str, tuple[str, str, str]]:
    rows = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line.strip())
        if match:
            mobile, name, role, unit = (part.strip() for part in match.groups())
            rows[mobile] = (name, role, unit)
    return rows


def _seeded() -> dict[str, tuple[str, Any, str]]:
    accounts = {a.mobile: (a.name, a.role, a.unit_code) for a in CAST}
    accounts.update({m: (name, role, code) for m, name, _, code, role in EXTRA_ACCOUNTS})
    return accounts


def test_every_readme_row_is_a_seeded_account_with_that_role_on_that_unit() -> None:
    rows, seeded, names = _readme_rows(), _seeded(), _unit_names()
    assert set(rows) == set(seeded)
    wrong = []
    for mobile, (name, role_text, unit_text) in rows.items():
        seeded_name, role, code = seeded[mobile]
        with translation.override("zh-hans"):
            role_words = ["超级管理员"] if role is None else str(role.label).split("/")
        unit_words = ["全部"] if role is None else [names[code]]
        if (
            name != seeded_name
            or not any(word in role_text for word in role_words)
            or unit_text.split()[-1] not in unit_words
        ):
            wrong.append((mobile, rows[mobile], (seeded_name, role, names[code])))
    assert wrong == []


@pytest.mark.django_db
def test_the_seeded_grants_are_the_casts_and_a_reseed_moves_a_stale_one() -> None:
    import_units()
    seed_accounts()
    xinhe = next(a for a in CAST if a.mobile == "19900000060")
    user = User.objects.get(mobile=xinhe.mobile)
    grants = RoleAssignment.objects.active().filter(user=user)
    assert [(g.role, g.org_unit.name) for g in grants] == [(xinhe.role, "新河街道")]
    assert user.org_unit.name == "新河街道" and user.title.startswith("新河街道")
    # A database seeded before the fix held the grant on 芙蓉北路街道; seeding again moves it.
    from banshi.accounts.services import role_grant, role_revoke
    from banshi.orgtree.models import OrgUnit

    role_revoke(actor=None, assignment=grants.get())
    role_grant(
        actor=None, user=user, role=xinhe.role, org_unit=OrgUnit.objects.get(code="430105001")
    )
    seed_accounts()
    grants = RoleAssignment.objects.active().filter(user=user)
    assert [(g.role, g.org_unit.name) for g in grants] == [(xinhe.role, "新河街道")]
