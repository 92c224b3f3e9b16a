"""Supervision: notices (督办单), on-site inspections, 现场办公 meetings with their items, 联点
links and the cadence reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from banshi.core.scoping import Scope, ScopedQuerySet
from banshi.projects.choices import (
    CadenceKind,
    InspectionPurpose,
    ItemStatus,
    LinkKind,
    NoticeKind,
    NoticeStatus,
)
from banshi.projects.models.ledger import Project


class SupervisionNotice(models.Model):
    """A 督办 or 催办 notice to a unit about a project, copied to the lead official, with its own
    answer deadline. The monthly cadence issues them too (``cadence_period`` set)."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(_("类别"), max_length=10, choices=NoticeKind.choices)
    to_unit = models.ForeignKey(
        "orgtree.OrgUnit", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+"
    )
    cc_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("抄送牵头领导"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    content = models.TextField(_("督办内容"))
    due_date = models.DateField(_("答复时限"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("发出时间"))
    cadence_period = models.CharField(_("所属月督办期"), max_length=10, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.OPEN
    )
    response = models.TextField(_("答复"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responded_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("督办/催办通知")
        verbose_name_plural = _("督办/催办通知")
        ordering = ["project_id", "-issued_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.project_id} {self.issued_at:%Y-%m-%d}"

    @property
    def org_path(self) -> str:
        return self.project.org_unit.path


class Inspection(models.Model):
    """An on-site check (实地盯、现场督): who, when, where, what was found, photos; either routine
    or the 销号 verification. Its findings can raise rectification items."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="inspections"
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("督查人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    inspected_at = models.DateTimeField(_("督查时间"))
    place = models.CharField(_("地点"), max_length=200)
    findings = models.TextField(_("发现情况"))
    purpose = models.CharField(_("类别"), max_length=16, choices=InspectionPurpose.choices)
    passed = models.BooleanField(_("是否通过"), default=True)
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("实地督查")
        verbose_name_plural = _("实地督查")
        ordering = ["project_id", "-inspected_at", "-id"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.inspected_at:%Y-%m-%d} {self.place}"

    @property
    def org_path(self) -> str:
        return self.project.org_unit.path


class Meeting(models.Model):
    """A 现场办公 meeting held by a leader on site; its decisions become supervised items."""

    scope = Scope("org_unit__path")

    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("主持领导"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    org_unit = models.ForeignKey(
        "orgtree.OrgUnit", verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="+"
    )
    held_at = models.DateTimeField(_("时间"))
    place = models.CharField(_("地点"), max_length=200)
    topic = models.CharField(_("议题"), max_length=200)
    minutes = models.TextField(_("会议纪要"), blank=True)
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("现场办公会")
        verbose_name_plural = _("现场办公会")
        ordering = ["-held_at", "-id"]

    def __str__(self) -> str:
        return f"{self.held_at:%Y-%m-%d} {self.topic}"


class SupervisedItem(models.Model):
    """A supervised item with an owner and a deadline: a rectification raised by an inspection or a
    decision of a 现场办公 meeting."""

    scope = Scope("owner_unit__path")

    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.CASCADE, related_name="items"
    )
    inspection = models.ForeignKey(
        Inspection, null=True, blank=True, on_delete=models.CASCADE, related_name="items"
    )
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="items"
    )
    content = models.TextField(_("事项"))
    owner_unit = models.ForeignKey(
        "orgtree.OrgUnit", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+"
    )
    owner_person = models.CharField(_("责任人"), max_length=50, blank=True)
    due_date = models.DateField(_("完成时限"), db_index=True)
    status = models.CharField(
        _("状态"), max_length=8, choices=ItemStatus.choices, default=ItemStatus.OPEN
    )
    done_note = models.TextField(_("完成情况"), blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("督办事项")
        verbose_name_plural = _("督办事项")
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(inspection__isnull=False) | Q(meeting__isnull=False),
                name="item_has_origin",
            )
        ]

    def __str__(self) -> str:
        return self.content[:50]


class LeaderLink(models.Model):
    """A 联点 link: a leader linked to a district, park, street or project."""

    scope = Scope("org_unit__path")

    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("联点领导"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("类别"), max_length=10, choices=LinkKind.choices)
    org_unit = models.ForeignKey(
        "orgtree.OrgUnit", verbose_name=_("联系单位"), on_delete=models.PROTECT, related_name="+"
    )
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.PROTECT, related_name="leader_links"
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    since = models.DateField(_("起始日期"))
    ended_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("联点")
        verbose_name_plural = _("联点")
        ordering = ["leader_id", "kind", "id"]

    def __str__(self) -> str:
        return f"{self.leader_id} {self.get_kind_display()} {self.org_unit_id}"


class CadenceRun(models.Model):
    """One produced cadence report: the 周梳理, 月督办 or 季调度 for one period. The unique
    (kind, period) row is the claim that makes the scheduler job idempotent."""

    scope = Scope("scope_unit__path")

    kind = models.CharField(_("类别"), max_length=10, choices=CadenceKind.choices)
    period = models.CharField(_("期次"), max_length=10)
    scope_unit = models.ForeignKey(
        "orgtree.OrgUnit",
        verbose_name=_("范围"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    excel = models.FileField(_("Excel"), upload_to="projects/cadence/", max_length=200, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="projects/cadence/", max_length=200, blank=True)
    summary = models.JSONField(_("摘要"), default=dict)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("周梳理/月督办/季调度")
        verbose_name_plural = _("周梳理/月督办/季调度")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "period"], name="cadence_once_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period}"
