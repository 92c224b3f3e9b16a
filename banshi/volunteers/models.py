"""Neighbourhood centres (邻里中心), volunteers with their unified number, the activities they
serve in, sign-ups with check-in and check-out, and numbered certificates."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from banshi.core.masking import mask_name
from banshi.core.models import TimeStampedModel
from banshi.core.scoping import Scope, ScopedQuerySet
from banshi.volunteers.choices import HoursStatus, Purpose, SignUpStatus, Status


def user_pk(user: Any) -> int:
    """The id of a signed-in person, or 0 (matches no row) for the system and the anonymous."""
    return int(getattr(user, "pk", None) or 0)


class Centre(TimeStampedModel):
    """A 邻里中心: a place run by a community, with opening hours, the services it offers and
    the rooms residents may use."""

    scope = Scope("org_unit__path")

    org_unit = models.ForeignKey(
        "orgtree.OrgUnit",
        verbose_name=_("所属社区"),
        on_delete=models.PROTECT,
        related_name="neighbourhood_centres",
    )
    name = models.CharField(_("名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200)
    opening_hours = models.CharField(_("开放时间"), max_length=200, blank=True)
    services = models.JSONField(_("服务项目"), default=list, blank=True)
    rooms = models.JSONField(_("功能室"), default=list, blank=True)
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    lon = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("邻里中心")
        verbose_name_plural = _("邻里中心")
        ordering = ["org_unit__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "name"], name="centre_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Volunteer(TimeStampedModel):
    """A registered volunteer: one per user, with the city's unified number (CS + year +
    sequence) and a home community. ``total_minutes`` is the stored sum of confirmed hours."""

    scope = Scope("org_unit__path")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.PROTECT,
        related_name="volunteer",
    )
    number = models.CharField(_("志愿者编号"), max_length=20, unique=True)
    org_unit = models.ForeignKey(
        "orgtree.OrgUnit",
        verbose_name=_("所在社区"),
        on_delete=models.PROTECT,
        related_name="volunteers",
    )
    total_minutes = models.PositiveIntegerField(_("累计服务时长（分钟）"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("志愿者")
        verbose_name_plural = _("志愿者")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number} {self.user.name}"

    @property
    def hours(self) -> float:
        return self.total_minutes / 60


class Activity(TimeStampedModel):
    """A volunteer activity run by a 邻里中心's community or a residential-estate party branch:
    posts with quotas, a time, a place with a point and a geofence radius."""

    scope = Scope("org_unit__path")

    org_unit = models.ForeignKey(
        "orgtree.OrgUnit",
        verbose_name=_("组织单位"),
        on_delete=models.PROTECT,
        related_name="volunteer_activities",
    )
    centre = models.ForeignKey(
        Centre,
        verbose_name=_("邻里中心"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    title = models.CharField(_("活动名称"), max_length=100)
    content = models.TextField(_("活动内容"), blank=True)
    posts = models.JSONField(_("岗位"), default=list)  # [{"name": "测血压", "quota": 3}, …]
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=200)
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6)
    lon = models.DecimalField(_("经度"), max_digits=9, decimal_places=6)
    radius_m = models.PositiveIntegerField(_("签到范围（米）"), default=300)
    beneficiaries = models.PositiveIntegerField(_("服务对象（人次）"), default=0)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("志愿服务活动")
        verbose_name_plural = _("志愿服务活动")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="activity_ends_after"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def quota(self) -> int:
        return sum(int(p.get("quota", 0)) for p in self.posts)


class ActivityEvent(models.Model):
    """One step of an activity's timeline (the engine writes one per transition)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(_("动作"), max_length=30)
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("活动记录")
        verbose_name_plural = _("活动记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.action}"


class SignUp(TimeStampedModel):
    """A volunteer's sign-up for one post of an activity, with the check-in and check-out the
    QR code recorded and the minutes the hours rules credited once the organiser confirmed."""

    scope = Scope("activity__org_unit__path")

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="signups")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="signups")
    post = models.CharField(_("岗位"), max_length=50)
    status = models.CharField(
        _("报名状态"),
        max_length=20,
        choices=SignUpStatus.choices,
        default=SignUpStatus.PENDING,
    )
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("签退时间"), null=True, blank=True)
    hours_status = models.CharField(
        _("时长状态"), max_length=20, choices=HoursStatus.choices, default=HoursStatus.NONE
    )
    credited_minutes = models.PositiveIntegerField(_("认定时长（分钟）"), default=0)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    dispute_reason = models.CharField(_("异议理由"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        ordering = ["activity_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "volunteer"], name="signup_once"),
            models.CheckConstraint(
                condition=models.Q(checked_out_at__isnull=True)
                | models.Q(checked_in_at__lt=models.F("checked_out_at")),
                name="signup_out_after_in",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} · {self.volunteer}"

    @property
    def credited_hours(self) -> float:
        return self.credited_minutes / 60


class TokenUse(models.Model):
    """A QR token a volunteer has used for a purpose: the same token twice is a replay."""

    signup = models.ForeignKey(SignUp, on_delete=models.CASCADE, related_name="token_uses")
    purpose = models.CharField(max_length=5, choices=Purpose.choices)
    nonce = models.CharField(max_length=32)
    at = models.DateTimeField()
    lat = models.DecimalField(max_digits=9, decimal_places=6)
    lon = models.DecimalField(max_digits=9, decimal_places=6)
    distance_m = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["signup", "purpose", "nonce"], name="token_once"),
        ]

    def __str__(self) -> str:
        return f"{self.signup_id} {self.purpose} {self.nonce}"


class Certificate(models.Model):
    """A numbered certificate of a volunteer's confirmed hours at the time it was issued, with
    a verification code anyone can check on the public page."""

    scope = Scope("volunteer__org_unit__path")

    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="certificates")
    number = models.CharField(_("证书编号"), max_length=30, unique=True)
    code = models.CharField(_("验证码"), max_length=16, unique=True)
    minutes = models.PositiveIntegerField(_("累计服务时长（分钟）"))
    stars = models.PositiveSmallIntegerField(_("星级"))
    issued_at = models.DateTimeField(_("颁发时间"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("志愿服务证书")
        verbose_name_plural = _("志愿服务证书")
        ordering = ["-issued_at", "-pk"]

    def __str__(self) -> str:
        return self.number

    @property
    def hours(self) -> float:
        return self.minutes / 60

    @property
    def masked_name(self) -> str:
        return mask_name(self.volunteer.user.name)


class UnitFigures(models.Model):
    """One organising unit's own volunteer figures, kept current by the services: activities
    held (not cancelled), beneficiaries (person-times) and confirmed minutes. A node's figures are
    the sum over the rows under its path — a few rows per community, never the activities."""

    scope = Scope("org_unit__path")

    org_unit = models.OneToOneField(
        "orgtree.OrgUnit", on_delete=models.CASCADE, related_name="volunteer_figures"
    )
    activities = models.PositiveIntegerField(default=0)
    beneficiaries = models.PositiveIntegerField(default=0)
    minutes = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("志愿服务汇总")
        verbose_name_plural = _("志愿服务汇总")

    def __str__(self) -> str:
        return f"{self.org_unit_id}: {self.activities}/{self.minutes}"
