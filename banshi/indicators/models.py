"""Indicators (六位 and the rest), the period reports that carry their targets and actuals per org
node, and the outputs projects post to them when signed off (销号)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from banshi.core.scoping import Scope, ScopedQuerySet
from banshi.indicators.choices import Kind, Side, Status, period_label
from banshi.orgtree.choices import Level


class Indicator(models.Model):
    """A definition: 学位, 床位 … with its unit, whether it sums over time (flow) or is a level at a
    moment (stock), and the org level that owns (enters) it. City-wide, not scoped: every node
    reads the same list; only a city-level admin adds to it."""

    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    unit = models.CharField(_("计量单位"), max_length=10)
    kind = models.CharField(_("统计口径"), max_length=8, choices=Kind.choices)
    level = models.CharField(
        _("填报层级"), max_length=16, choices=Level.choices, default=Level.DISTRICT
    )
    description = models.CharField(_("说明"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("民生指标")
        verbose_name_plural = _("民生指标")

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）"


class Report(models.Model):
    """One node's figures for one period: quarter 0 is the year's targets, 1–4 the actuals of that
    quarter (a flow: what the quarter added; a stock: the level at its end). Entered at the node,
    approved (and locked) by the level above on the shared workflow engine."""

    scope = Scope("org_unit__path")

    org_unit = models.ForeignKey(
        "orgtree.OrgUnit", verbose_name=_("填报单位"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    approved_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-quarter", "org_unit__path"]
        verbose_name = _("指标报表")
        verbose_name_plural = _("指标报表")
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "year", "quarter"], name="indicator_report_once_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__lte=4), name="indicator_report_quarter_0_4"
            ),
        ]
        indexes = [models.Index(fields=["year", "quarter", "status"])]

    def __str__(self) -> str:
        return f"{self.org_unit_id} {period_label(self.year, self.quarter)}"

    @property
    def period(self) -> str:
        return period_label(self.year, self.quarter)


class Entry(models.Model):
    """One indicator's value in one report."""

    scope = Scope("report__org_unit__path")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="entries")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("数值"), max_digits=14, decimal_places=2)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("指标数值")
        verbose_name_plural = _("指标数值")
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="indicator_entry_once"),
            models.CheckConstraint(
                condition=models.Q(value__gte=0), name="indicator_entry_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}/{self.indicator_id}={self.value}"


class ReportEvent(models.Model):
    """The report's timeline: every step of the engine and every audited correction."""

    scope = Scope("report__org_unit__path")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20)
    label = models.CharField(max_length=50)
    side = models.CharField(max_length=12, choices=Side.choices, blank=True)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.action}"


class ProjectOutput(models.Model):
    """What a project declares it will add to an indicator (e.g. +600 学位), posted on 销号."""

    scope = Scope("project__org_unit__path")

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="indicator_outputs"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("产出数量"), max_digits=14, decimal_places=2)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("项目产出")
        verbose_name_plural = _("项目产出")
        constraints = [
            models.UniqueConstraint(fields=["project", "indicator"], name="project_output_once"),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="project_output_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}+{self.amount} {self.indicator_id}"


class Posting(models.Model):
    """An output posted to its indicator when the project was signed off: one row per (project,
    indicator), so a repeated sign-off cannot post twice; a revoked sign-off sets ``reversed_at``
    and the roll-ups stop counting it."""

    scope = Scope("org_unit__path")

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    org_unit = models.ForeignKey("orgtree.OrgUnit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    posted_at = models.DateTimeField()
    reversed_at = models.DateTimeField(null=True, blank=True)
    reversal_reason = models.CharField(max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "indicator"], name="posting_once"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}→{self.indicator_id} {self.amount}"
