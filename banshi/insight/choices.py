"""The kinds of 未诉先办 findings and the states of a proposal."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProposalKind(models.TextChoices):
    HOTSPOT = "hotspot", _("热点（同一地点同类诉求）")
    SPIKE = "spike", _("激增（高于自身基线）")
    REPEAT_CALLER = "repeat_caller", _("重复来电（同一人多次反映）")
    SEASONAL = "seasonal", _("季节性复发（去年同期高发）")


class ProposalStatus(models.TextChoices):
    OPEN = "open", _("待审查")
    DISMISSED = "dismissed", _("已驳回")
    TOPIC = "topic", _("已列为每月一题")
    PROJECT = "project", _("已转为实事项目")


DECIDED = frozenset({ProposalStatus.DISMISSED, ProposalStatus.TOPIC, ProposalStatus.PROJECT})
