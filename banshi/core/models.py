"""Shared model machinery."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class CalendarOverride(models.Model):
    """One day whose working status an admin has set by hand: a holiday or 调休 make-up workday
    the ``chinese-calendar`` package does not know yet (next year's schedule), or a local closure."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    name = models.CharField(
        _("名称"), max_length=50, blank=True, help_text=_("如：春节、国庆调休上班")
    )

    class Meta:
        verbose_name = _("工作日历调整")
        verbose_name_plural = _("工作日历调整")
        ordering = ["date"]

    def __str__(self) -> str:
        kind = "上班" if self.is_workday else "休息"
        return f"{self.date} {kind} {self.name}".strip()


class ThrottleEvent(models.Model):
    """One counted attempt (a failed tracking lookup, say) by a key within a scope; a throttle
    refuses further attempts once a key has too many recent rows. Database-backed so every worker
    process sees the same counts."""

    scope = models.CharField(max_length=32)
    key = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("限流记录")
        verbose_name_plural = _("限流记录")
        indexes = [models.Index(fields=["scope", "key", "created_at"])]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"
