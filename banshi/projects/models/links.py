"""Requests linked to a project (诉求转项目)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from banshi.projects.models.ledger import Project


class ProjectWorkOrder(models.Model):
    """A citizen request (工单) linked to a project: the project is the answer to the problem the
    request raised, so the request's citizen sees the project on the tracking page, hears of its
    销号 and may rate it. Written only by ``services.links``."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="order_links"
    )
    order = models.ForeignKey(
        "workorders.WorkOrder",
        verbose_name=_("工单"),
        on_delete=models.PROTECT,
        related_name="project_links",
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("关联人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    linked_at = models.DateTimeField(_("关联时间"))

    class Meta:
        verbose_name = _("项目关联工单")
        verbose_name_plural = _("项目关联工单")
        ordering = ["project_id", "linked_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "order"], name="projectworkorder_once")
        ]

    def __str__(self) -> str:
        return f"{self.project_id}:{self.order_id}"

    @property
    def org_path(self) -> str:
        return self.project.org_unit.path
