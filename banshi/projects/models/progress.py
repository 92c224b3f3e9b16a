"""Progress reports (进度填报) and their review."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from banshi.core.models import TimeStampedModel
from banshi.projects.choices import (
    ReportStatus,
)
from banshi.projects.models.ledger import Milestone, Project


class ProgressReport(TimeStampedModel):
    """A dated progress entry (text, %, photos, funds spent). Only approved reports count."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="reports"
    )
    report_date = models.DateField(_("进展日期"))
    text = models.TextField(_("进展情况"))
    percent = models.PositiveSmallIntegerField(_("累计完成进度（%）"))
    funds_spent = models.DecimalField(_("累计完成投资（万元）"), max_digits=14, decimal_places=2)
    completed_milestones = models.ManyToManyField(
        Milestone, verbose_name=_("本次完成的节点"), blank=True, related_name="+"
    )
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=ReportStatus.choices,
        default=ReportStatus.DRAFT,
        db_index=True,
    )
    # Bumped by every write (compare-and-set), like ``Project.version``.
    version = models.PositiveIntegerField(_("版本"), default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")
        ordering = ["project_id", "-report_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="report_percent_le_100"),
            models.CheckConstraint(condition=Q(funds_spent__gte=0), name="report_funds_ge_0"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.report_date} {self.percent}%"

    @property
    def org_path(self) -> str:
        return self.project.org_unit.path
