"""The organisation tree: one tree from the province down to each household, with functional units,
parks and stationed units as nodes beside the territorial ones."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from banshi.core.scoping import Scope, ScopedQuerySet
from banshi.orgtree.choices import Level

# A path is the concatenation of fixed-width base-36 segments, one per ancestor and one for the
# node itself (its own id), so a subtree is a prefix match on both SQLite and PostgreSQL and a
# node's path never depends on its siblings.
SEGMENT_WIDTH = 6
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def segment_for(pk: int) -> str:
    if pk <= 0 or pk >= 36**SEGMENT_WIDTH:
        raise ValueError("组织编号超出路径可表示范围")
    chars = []
    while pk:
        pk, rem = divmod(pk, 36)
        chars.append(_DIGITS[rem])
    return "".join(reversed(chars)).rjust(SEGMENT_WIDTH, "0")


class OrgUnitQuerySet(ScopedQuerySet):
    def subtree_of(self, unit: OrgUnit) -> OrgUnitQuerySet:
        return self.filter(path__startswith=unit.path)


class OrgUnit(models.Model):
    """A node of the organisation tree: a province, city, district, street or town, community or
    village, party branch, micro-grid or household, or a functional unit, park or stationed unit
    that can be dispatched to. Only ``orgtree.services`` writes ``path`` and ``depth``."""

    scope = Scope("path")

    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("路径"), max_length=255, unique=True)
    depth = models.PositiveSmallIntegerField(_("层级深度"))
    level = models.CharField(_("级别"), max_length=16, choices=Level.choices, db_index=True)
    code = models.CharField(
        _("区划代码"),
        max_length=32,
        null=True,
        blank=True,
        unique=True,
        help_text=_("国家统计用区划代码（如有）"),
    )
    name = models.CharField(_("名称"), max_length=100, db_index=True)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("组织单元")
        verbose_name_plural = _("组织单元")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "level", "name"], name="orgunit_unique_name_under_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def ancestor_paths(self) -> list[str]:
        return [self.path[:i] for i in range(SEGMENT_WIDTH, len(self.path), SEGMENT_WIDTH)]

    def is_descendant_of(self, other: OrgUnit) -> bool:
        return self.path.startswith(other.path) and self.path != other.path

    def contains(self, other: OrgUnit) -> bool:
        return other.path.startswith(self.path)
