"""Residents' evaluations (群众评价)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from banshi.core.choices import Satisfaction
from banshi.projects.choices import EvaluationChannel
from banshi.projects.models.ledger import Project


class Evaluation(models.Model):
    """One resident's evaluation of a project (满意/基本满意/不满意 with a comment), online through
    the survey link or recorded from an on-site paper survey."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="evaluations"
    )
    choice = models.CharField(_("评价"), max_length=12, choices=Satisfaction.choices)
    comment = models.CharField(_("意见"), max_length=500, blank=True)
    channel = models.CharField(_("方式"), max_length=10, choices=EvaluationChannel.choices)
    # Online answers: the keyed hash of the respondent's mobile (``services.survey.phone_key``),
    # proven by a one-time invitation or an SMS code; one answer per mobile and project. No phone
    # number is kept. Empty for on-site paper surveys.
    respondent_key = models.CharField(max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Set when the respondent is the citizen of a linked request (their mobile is the request's):
    # one answer per linked request.
    work_order = models.ForeignKey(
        "workorders.WorkOrder",
        verbose_name=_("关联工单"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("群众评价")
        verbose_name_plural = _("群众评价")
        ordering = ["project_id", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "respondent_key"],
                condition=~Q(respondent_key=""),
                name="evaluation_once_per_respondent",
            ),
            models.UniqueConstraint(
                fields=["project", "work_order"],
                condition=Q(work_order__isnull=False),
                name="evaluation_once_per_linked_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.choice}"
