"""A hand-built grid on the shared tree, with figures known in advance.

新大塘社区党支部 has two micro-grids of two households each (plus an archived one that counts for
nothing); 石燕湖村 has one household of its own in the other district::

    第1党员微网格  h1 (一般户)  linked to m1, visited 10 days ago        → linked, visited
                  h2 (低保)    m1's link ended yesterday, visited 40 days ago → neither
    第2党员微网格  h3 (一般户)  linked to m2, never visited              → linked
                  h4 (独居老人) no link, visited 20 days ago             → visited
                  h5 archived (linked, visited)                      → not counted

So each micro-grid and the branch are at 50% coverage and 50% completion.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from banshi.grid.models import Household, HouseholdLink, PartyMember
from banshi.grid.services import (
    household_archive,
    household_create,
    link_create,
    party_member_create,
    resident_add,
    visit_record,
)
from banshi.orgtree.choices import Level
from banshi.orgtree.models import OrgUnit
from banshi.orgtree.services import orgunit_create


@dataclass
class Grid:
    tree: Any
    grid1: OrgUnit
    grid2: OrgUnit
    h1: Household
    h2: Household
    h3: Household
    h4: Household
    h5: Household
    m1: PartyMember
    m2: PartyMember
    m_yuhua: PartyMember
    link_h1: HouseholdLink


@pytest.fixture
def g(tree: Any) -> Grid:
    now = timezone.now()
    today = timezone.localdate()
    grid1 = tree.grid
    grid2 = orgunit_create(
        actor=None, parent=tree.branch, level=Level.MICROGRID, name="第2党员微网格"
    )
    h1 = tree.household
    h2 = household_create(
        actor=None,
        grid=grid1,
        label="1栋1单元102室",
        address="建湘路1号1栋1单元102室",
        tags=["dibao"],
    )
    resident_add(actor=None, household=h2, name="刘桂兰")
    h3 = household_create(actor=None, grid=grid2, label="2栋101室", address="建湘路2号2栋101室")
    resident_add(actor=None, household=h3, name="周国平")
    h4 = household_create(
        actor=None,
        grid=grid2,
        label="2栋102室",
        address="建湘路2号2栋102室",
        tags=["elderly_alone"],
    )
    resident_add(actor=None, household=h4, name="谭满秀")
    h5 = household_create(actor=None, grid=grid2, label="2栋103室", address="建湘路2号2栋103室")
    m1 = party_member_create(
        actor=None, org_unit=tree.branch, name="陈建华", kind="direct", mobile="13700000001"
    )
    m2 = party_member_create(actor=None, org_unit=grid2, name="黄丽娟", kind="in_service")
    m_yuhua = party_member_create(actor=None, org_unit=tree.shiyanhu, name="易长青", kind="direct")
    link_h1 = link_create(
        actor=None, member=m1, household=h1, start=today - datetime.timedelta(days=90)
    )
    link_create(
        actor=None,
        member=m1,
        household=h2,
        start=today - datetime.timedelta(days=90),
        end=today - datetime.timedelta(days=1),
    )
    link_create(actor=None, member=m2, household=h3, role="center")
    link_create(actor=None, member=m2, household=h5)
    visit_record(actor=None, household=h1, visited_at=now - datetime.timedelta(days=10))
    visit_record(actor=None, household=h2, visited_at=now - datetime.timedelta(days=40))
    visit_record(actor=None, household=h4, visited_at=now - datetime.timedelta(days=20))
    visit_record(actor=None, household=h5, visited_at=now - datetime.timedelta(days=1))
    household_archive(actor=None, household=h5, reason="房屋拆迁")
    for h in (h1, h2, h3, h4, h5):
        h.refresh_from_db()
    return Grid(tree, grid1, grid2, h1, h2, h3, h4, h5, m1, m2, m_yuhua, link_h1)
