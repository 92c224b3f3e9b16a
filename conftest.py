"""Shared test fixtures: a small tree (two districts, streets, communities, a micro-grid with
households) and a cast of users with roles on it, the same on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from banshi.accounts.models import User
from banshi.accounts.roles import Role
from banshi.accounts.services import role_grant, user_create
from banshi.grid.models import Household
from banshi.grid.services import household_create, resident_add
from banshi.orgtree.choices import Level
from banshi.orgtree.models import OrgUnit
from banshi.orgtree.services import orgunit_create


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # Argon2 is deliberately slow; tests create many users and are not testing the hash.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_process_caches() -> None:
    # Per-process caches (calendar overrides, street/community names) must not carry ids from
    # one test database into the next.
    from banshi.core.calendar import forget_overrides
    from banshi.workorders.location import forget_cache
    from banshi.workorders.services.intake import forget_categories

    forget_overrides()
    forget_cache()
    forget_categories()


@dataclass
class Tree:
    province: OrgUnit
    city: OrgUnit
    kaifu: OrgUnit  # district
    yuhua: OrgUnit  # sibling district
    xiufeng: OrgUnit  # street in 开福区
    xinhe: OrgUnit  # sibling street in 开福区
    tiaoma: OrgUnit  # street in 雨花区
    datang: OrgUnit  # community in 秀峰街道
    xinhe_comm: OrgUnit  # community in 新河街道
    shiyanhu: OrgUnit  # village in 跳马镇
    branch: OrgUnit
    grid: OrgUnit
    household: Household
    yuhua_household: Household
    city_bureau: OrgUnit  # functional unit


def _unit(parent: OrgUnit | None, level: str, name: str, code: str | None = None) -> OrgUnit:
    return orgunit_create(actor=None, parent=parent, level=level, name=name, code=code)


@pytest.fixture
def tree(db: Any) -> Tree:
    province = _unit(None, Level.PROVINCE, "湖南省", "43")
    city = _unit(province, Level.CITY, "长沙市", "4301")
    kaifu = _unit(city, Level.DISTRICT, "开福区", "430105")
    yuhua = _unit(city, Level.DISTRICT, "雨花区", "430111")
    xiufeng = _unit(kaifu, Level.STREET, "秀峰街道", "430105016")
    xinhe = _unit(kaifu, Level.STREET, "新河街道", "430105001")
    tiaoma = _unit(yuhua, Level.STREET, "跳马镇", "430111101")
    datang = _unit(xiufeng, Level.COMMUNITY, "新大塘社区", "430105016005")
    xinhe_comm = _unit(xinhe, Level.COMMUNITY, "鸭子铺社区", "430105001001")
    shiyanhu = _unit(tiaoma, Level.COMMUNITY, "石燕湖村", "430111101203")
    branch = _unit(datang, Level.BRANCH, "新大塘社区党支部")
    grid = _unit(branch, Level.MICROGRID, "第1党员微网格")
    household = household_create(
        actor=None, grid=grid, label="1栋1单元101室", address="建湘路1号1栋1单元101室"
    )
    resident_add(
        actor=None,
        household=household,
        name="张秀英",
        mobile="13812345678",
        id_number="430105195001019011",
    )
    yuhua_household = household_create(
        actor=None, grid=shiyanhu, label="1组01号", address="石燕湖村1组01号"
    )
    resident_add(actor=None, household=yuhua_household, name="李建国", mobile="13912345678")
    city_bureau = _unit(city, Level.FUNCTIONAL, "长沙市城市管理和综合执法局", "4301F02")
    return Tree(
        province,
        city,
        kaifu,
        yuhua,
        xiufeng,
        xinhe,
        tiaoma,
        datang,
        xinhe_comm,
        shiyanhu,
        branch,
        grid,
        household,
        yuhua_household,
        city_bureau,
    )


class Cast:
    """Users made on demand: ``cast.make(Role.ORG_ADMIN, tree.kaifu)``."""

    def __init__(self) -> None:
        self._next = 1

    def make(self, role: Role | None, unit: OrgUnit, *, name: str = "测试用户") -> User:
        mobile = f"1990009{self._next:04d}"
        self._next += 1
        user = user_create(
            actor=None, mobile=mobile, name=name, org_unit=unit, password="Passw0rd!x"
        )
        if role is not None:
            role_grant(actor=None, user=user, role=role, org_unit=unit)
        return user

    def superuser(self, unit: OrgUnit) -> User:
        user = self.make(None, unit, name="超级管理员")
        user.is_superuser = True
        user.is_staff = True
        user.save(update_fields=["is_superuser", "is_staff"])
        return user


@pytest.fixture
def cast(tree: Tree) -> Cast:
    return Cast()
