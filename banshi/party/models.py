"""双报到: a unit's party organisation reporting to a community (``UnitRegistration``, on the
workflow engine) and in-service party members reporting to their home community
(``MemberRegistration``, confirmed every half-year)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from banshi.core.models import TimeStampedModel
from banshi.core.scoping import Scope, ScopedQuerySet, Via
from banshi.party.choices import REGISTER, VIEW, Status


class UnitRegistration(TimeStampedModel):
    """A unit's party organisation (机关/企事业单位党组织) reporting to a community. Both sides see
    it; the community (its home) accepts or returns it, the unit submits and withdraws it."""

    scope = Scope(
        "community__path",
        Via("party_org__path", actions=frozenset({VIEW, REGISTER}), name="unit"),
    )

    party_org = models.ForeignKey(
        "orgtree.OrgUnit",
        verbose_name=_("报到单位党组织"),
        on_delete=models.PROTECT,
        related_name="unit_registrations",
    )
    community = models.ForeignKey(
        "orgtree.OrgUnit",
        verbose_name=_("报到社区"),
        on_delete=models.PROTECT,
        related_name="received_unit_registrations",
    )
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_mobile = models.CharField(_("联系电话"), max_length=11)
    resources = models.TextField(_("可提供的资源"), blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    submitted_at = models.DateTimeField(_("提交时间"))
    accepted_at = models.DateTimeField(_("接收时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位报到")
        verbose_name_plural = _("单位报到")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["party_org", "community"],
                condition=~models.Q(status="withdrawn"),
                name="unit_registration_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party_org} → {self.community}"


class UnitRegistrationEvent(models.Model):
    """One step of a unit registration's lifecycle (the engine writes one per transition)."""

    registration = models.ForeignKey(
        UnitRegistration, on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(_("操作"), max_length=30)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    note = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("单位报到记录")
        verbose_name_plural = _("单位报到记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"


class MemberRegistration(TimeStampedModel):
    """An in-service party member (grid's ``PartyMember``, kind 在职) reporting to the home
    community, confirmed every period (``PARTY_CONFIRM_MONTHS``, six months by default)."""

    scope = Scope(
        "community__path",
        Via("member__org_unit__path", actions=frozenset({VIEW}), name="member"),
    )

    member = models.OneToOneField(
        "grid.PartyMember",
        verbose_name=_("在职党员"),
        on_delete=models.PROTECT,
        related_name="home_registration",
    )
    community = models.ForeignKey(
        "orgtree.OrgUnit",
        verbose_name=_("居住地社区"),
        on_delete=models.PROTECT,
        related_name="member_registrations",
    )
    registered_on = models.DateField(_("报到日期"))
    confirmed_on = models.DateField(_("最近确认日期"), null=True, blank=True)
    skills = models.CharField(_("特长与服务意愿"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("在职党员报到")
        verbose_name_plural = _("在职党员报到")
        ordering = ["community__path", "member__name", "pk"]

    def __str__(self) -> str:
        return f"{self.member} → {self.community}"
