"""People around 开福区's indicator reports: who enters, who approves, who only looks, and a
district admin next door who must not see them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from banshi.accounts.models import User
from banshi.accounts.roles import Role
from banshi.indicators import services
from banshi.indicators.models import Report


@dataclass
class People:
    city_admin: User  # 长沙市 ORG_ADMIN: defines indicators, approves districts
    city_supervisor: User  # 长沙市 SUPERVISOR: approves districts
    kaifu_handler: User  # 开福区 HANDLER: enters 开福区's figures
    kaifu_admin: User  # 开福区 ORG_ADMIN: enters, but may not approve 开福区 itself
    kaifu_leader: User  # 开福区 LEADER: reads only
    yuhua_admin: User  # 雨花区 ORG_ADMIN: out of 开福区's subtree


@pytest.fixture
def people(tree: Any, cast: Any) -> People:
    return People(
        city_admin=cast.make(Role.ORG_ADMIN, tree.city, name="市统计员"),
        city_supervisor=cast.make(Role.SUPERVISOR, tree.city, name="市督查员"),
        kaifu_handler=cast.make(Role.HANDLER, tree.kaifu, name="开福填报员"),
        kaifu_admin=cast.make(Role.ORG_ADMIN, tree.kaifu, name="开福管理员"),
        kaifu_leader=cast.make(Role.LEADER, tree.kaifu, name="开福领导"),
        yuhua_admin=cast.make(Role.ORG_ADMIN, tree.yuhua, name="雨花管理员"),
    )


def approved(unit: Any, year: int, quarter: int, values: dict[str, Any]) -> Report:
    """A report entered, submitted and approved by the system (seeding a figure in one call)."""
    report = services.report_open(actor=None, org_unit=unit, year=year, quarter=quarter)
    report = services.values_set(actor=None, report=report, values=values)
    report = services.report_transition(actor=None, report=report, action="submit")
    return services.report_transition(actor=None, report=report, action="approve")
