"""Levels of the organisation tree and which level may sit under which."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    DISTRICT = "district", _("区/县/县级市")
    STREET = "street", _("街道/乡镇")
    COMMUNITY = "community", _("社区/村")
    BRANCH = "branch", _("党支部")
    MICROGRID = "microgrid", _("党员微网格")
    HOUSEHOLD = "household", _("住户")
    FUNCTIONAL = "functional", _("职能部门")
    PARK = "park", _("园区")
    STATIONED = "stationed", _("驻区单位")


# The levels each level may be placed under. A root (no parent) is allowed for PROVINCE only.
ALLOWED_PARENTS: dict[str, frozenset[str]] = {
    Level.PROVINCE: frozenset(),
    Level.CITY: frozenset({Level.PROVINCE}),
    Level.DISTRICT: frozenset({Level.CITY}),
    Level.STREET: frozenset({Level.DISTRICT, Level.PARK}),
    Level.COMMUNITY: frozenset({Level.STREET}),
    Level.BRANCH: frozenset(
        {Level.STREET, Level.COMMUNITY, Level.FUNCTIONAL, Level.PARK, Level.STATIONED}
    ),
    Level.MICROGRID: frozenset({Level.COMMUNITY, Level.BRANCH}),
    Level.HOUSEHOLD: frozenset({Level.MICROGRID, Level.COMMUNITY}),
    Level.FUNCTIONAL: frozenset({Level.PROVINCE, Level.CITY, Level.DISTRICT, Level.FUNCTIONAL}),
    Level.PARK: frozenset({Level.CITY, Level.DISTRICT}),
    Level.STATIONED: frozenset({Level.CITY, Level.DISTRICT, Level.STREET}),
}

# Territorial levels carry national statistical division codes of these lengths.
CODE_LENGTHS: dict[str, int] = {
    Level.PROVINCE: 2,
    Level.CITY: 4,
    Level.DISTRICT: 6,
    Level.STREET: 9,
    Level.COMMUNITY: 12,
}
