"""The 销号 survey: one-time invitations, SMS codes and refused votes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from banshi.projects.choices import (
    SurveyRejectReason,
)
from banshi.projects.models.ledger import Project


class SurveyInvitation(models.Model):
    """A one-time invitation to rate a project, texted to the citizen of a linked request when the
    销号 evaluation opens (and again on 销号 while unused). Only a hash of the token is kept; the
    answer consumes it by compare-and-set on ``used_at``, so a link counts once however often it
    is submitted. Written only by ``services.survey``."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="invitations"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    # The keyed hash of the invited mobile and its last four digits (to say whose link it is).
    phone_key = models.CharField(max_length=64)
    phone_tail = models.CharField(_("手机尾号"), max_length=4)
    work_order = models.ForeignKey(
        "workorders.WorkOrder",
        verbose_name=_("关联工单"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("发送时间"))
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("测评邀请")
        verbose_name_plural = _("测评邀请")
        ordering = ["project_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "phone_key"], name="surveyinvitation_once_per_phone"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project_id} 尾号{self.phone_tail}"


class SurveyCode(models.Model):
    """A one-time SMS verification code for the residents' survey, sent to a mobile on the
    project's linked requests or in the household register of the project's area. Only keyed
    hashes of the mobile and the code are kept; a code expires, and dies after a few wrong
    tries."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="+"
    )
    phone_key = models.CharField(max_length=64)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("发送时间"))
    expires_at = models.DateTimeField(_("失效时间"))
    attempts = models.PositiveSmallIntegerField(_("错误次数"), default=0)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("测评验证码")
        verbose_name_plural = _("测评验证码")
        indexes = [models.Index(fields=["project", "phone_key", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.project_id} {self.created_at:%Y-%m-%d %H:%M}"


class SurveyRejection(models.Model):
    """How many online answers or code requests the survey of a project refused, by reason
    (duplicate, bad code, not on the lists, too frequent): counters kept by ``services.survey``
    and shown to staff on the project page."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="survey_rejections"
    )
    reason = models.CharField(_("原因"), max_length=16, choices=SurveyRejectReason.choices)
    count = models.PositiveIntegerField(_("次数"), default=0)
    last_at = models.DateTimeField(_("最近一次"))

    class Meta:
        verbose_name = _("测评拦截")
        verbose_name_plural = _("测评拦截")
        ordering = ["project_id", "reason"]
        constraints = [
            models.UniqueConstraint(fields=["project", "reason"], name="surveyrejection_once")
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.reason} {self.count}"
