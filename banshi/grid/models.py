"""The household register of the party grid: each household is a leaf node of the org tree (level
住户) with its address, tags and members."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from banshi.core.masking import mask_id_number, mask_phone
from banshi.core.models import TimeStampedModel
from banshi.core.scoping import Scope, ScopedQuerySet


class HouseholdTag(models.TextChoices):
    DIBAO = "dibao", _("低保")
    WUBAO = "wubao", _("五保")
    ELDERLY_ALONE = "elderly_alone", _("独居老人")
    LEFT_BEHIND_CHILD = "left_behind_child", _("留守儿童")
    DISABLED = "disabled", _("残疾")
    YOUFU = "youfu", _("优抚")


class Household(TimeStampedModel):
    """A household (住户) in a micro-grid: the register's row for one address."""

    scope = Scope("org_unit__path")

    org_unit = models.OneToOneField(
        "orgtree.OrgUnit",
        verbose_name=_("组织节点"),
        on_delete=models.PROTECT,
        related_name="household",
    )
    address = models.CharField(_("地址"), max_length=200)
    tags = models.JSONField(_("标签"), default=list, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("住户")
        verbose_name_plural = _("住户")

    def __str__(self) -> str:
        return self.address

    @property
    def tag_labels(self) -> list[str]:
        labels = dict(HouseholdTag.choices)
        return [str(labels.get(t, t)) for t in self.tags]


# The relations registers use, marked for the catalogue and shown in the page's language.
# ``Resident.relation`` stays free text (a register may say 外孙女); anything else shows as entered.
RELATIONS = frozenset(
    {
        gettext_noop("户主"),
        gettext_noop("配偶"),
        gettext_noop("子女"),
        gettext_noop("父母"),
        gettext_noop("孙子女"),
        gettext_noop("兄弟姐妹"),
        gettext_noop("儿媳"),
        gettext_noop("女婿"),
        gettext_noop("祖父母"),
        gettext_noop("其他"),
    }
)


class Resident(TimeStampedModel):
    """A member of a household. Phone and ID number are personal data: masked unless the viewer's
    role holds ``pii.view`` on the household, and each unmasked view is logged."""

    scope = Scope("household__org_unit__path")

    household = models.ForeignKey(
        Household, verbose_name=_("住户"), on_delete=models.CASCADE, related_name="residents"
    )
    name = models.CharField(_("姓名"), max_length=50)
    relation = models.CharField(_("与户主关系"), max_length=20, default="户主")
    mobile = models.CharField(_("手机号"), max_length=11, blank=True)
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True)
    is_party_member = models.BooleanField(_("党员"), default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("居民")
        verbose_name_plural = _("居民")
        ordering = ["household_id", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def relation_label(self) -> str:
        return gettext(self.relation) if self.relation in RELATIONS else self.relation

    @property
    def masked_mobile(self) -> str:
        return mask_phone(self.mobile)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)
