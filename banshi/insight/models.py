"""智能派单 and 未诉先办: the stored category models, the record of each dispatch decision against
the suggestion, the proposals found in the request history, and the 每月一题 topics."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from banshi.core.scoping import Scope, ScopedQuerySet
from banshi.insight.choices import ProposalKind, ProposalStatus


class CategoryModel(models.Model):
    """One trained version of the category classifier: the pickled pipeline and what it learnt
    from. The newest version is the one in use; older ones stay so every suggestion and decision
    can name the version that made it."""

    version = models.PositiveIntegerField(_("版本"), unique=True)
    trained_at = models.DateTimeField(_("训练时间"))
    algorithm = models.CharField(_("算法"), max_length=200)
    lexicon_samples = models.PositiveIntegerField(_("词库样本数"))
    history_samples = models.PositiveIntegerField(_("历史工单样本数"))
    history_until = models.DateTimeField(_("历史工单截至"), null=True, blank=True)
    classes = models.PositiveIntegerField(_("分类数"))
    seconds = models.FloatField(_("训练耗时（秒）"))
    blob = models.BinaryField(_("模型数据"))

    class Meta:
        verbose_name = _("派单分类模型")
        verbose_name_plural = _("派单分类模型")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"v{self.version}"


class DispatchDecision(models.Model):
    """What a dispatcher did with a request against what the assistant suggested for it at that
    moment: the suggested categories and units (best first), the model version, the category
    kept and the lead unit chosen. The accuracy figure and the next training data."""

    order = models.ForeignKey(
        "workorders.WorkOrder", on_delete=models.CASCADE, related_name="dispatch_decisions"
    )
    action = models.CharField(_("动作"), max_length=16)  # dispatch, redispatch
    decided_at = models.DateTimeField(_("派单时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("派单员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    model_version = models.PositiveIntegerField(_("模型版本"), null=True, blank=True)
    suggested_categories = models.JSONField(_("建议分类"), default=list)  # [{"code", "score"}]
    suggested_units = models.JSONField(_("建议单位"), default=list)  # [{"id", "score"}]
    category_before = models.ForeignKey(
        "workorders.Category", verbose_name=_("原分类"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        "workorders.Category",
        verbose_name=_("确定分类"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "orgtree.OrgUnit", verbose_name=_("主办单位"), on_delete=models.PROTECT, related_name="+"
    )
    category_rank = models.PositiveSmallIntegerField(
        _("确定分类在建议中的名次"), null=True, blank=True
    )
    unit_rank = models.PositiveSmallIntegerField(_("主办单位在建议中的名次"), null=True, blank=True)

    scope = Scope("order__org_unit__path")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("派单决定")
        verbose_name_plural = _("派单决定")
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"{self.order_id} {self.action} v{self.model_version}"

    @property
    def category_accepted(self) -> bool:
        return self.category_rank == 1

    @property
    def unit_accepted(self) -> bool:
        return self.unit_rank == 1


class DetectionRun(models.Model):
    """The hour a 未诉先办 detection ran: claimed by inserting the row, so the scheduler's
    minute loop — or two schedulers — detect once an hour."""

    slot = models.CharField(max_length=13, primary_key=True)  # YYYY-MM-DDTHH, local time
    started_at = models.DateTimeField()
    found = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.slot


class Proposal(models.Model):
    """A 未诉先办 finding for a supervisor to review: a hot spot, a spike, a repeated caller or a
    seasonal recurrence, with its evidence (the requests, the count, the place, the category and
    the statistic), until it is dismissed with a reason or turned into a 每月一题 topic or a
    实事项目."""

    kind = models.CharField(_("线索类型"), max_length=16, choices=ProposalKind.choices)
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=ProposalStatus.choices,
        default=ProposalStatus.OPEN,
        db_index=True,
    )
    # What the finding is about, so a second detection updates it instead of repeating it:
    # "<category id>:<org unit id>", or a keyed digest of the caller's number for repeat callers.
    subject = models.CharField(_("线索对象"), max_length=80)
    category = models.ForeignKey(
        "workorders.Category",
        verbose_name=_("诉求分类"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    org_unit = models.ForeignKey(
        "orgtree.OrgUnit", verbose_name=_("地点"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("线索"), max_length=200)
    statistic = models.CharField(_("判定依据"), max_length=500)
    evidence = models.JSONField(_("统计数据"), default=dict)
    count = models.PositiveIntegerField(_("诉求件数"))
    first_at = models.DateTimeField(_("最早诉求时间"))
    last_at = models.DateTimeField(_("最近诉求时间"))
    detected_at = models.DateTimeField(_("发现时间"), db_index=True)
    updated_at = models.DateTimeField(_("更新时间"))
    orders = models.ManyToManyField(
        "workorders.WorkOrder", verbose_name=_("相关工单"), related_name="+", blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审查人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审查时间"), null=True, blank=True)
    dismiss_reason = models.CharField(_("驳回理由"), max_length=500, blank=True)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("实事项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    scope = Scope("org_unit__path")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("未诉先办线索")
        verbose_name_plural = _("未诉先办线索")
        ordering = ["-detected_at", "-id"]
        constraints = [
            # One open proposal per finding; decided ones stay as history.
            models.UniqueConstraint(
                fields=["kind", "subject"],
                condition=models.Q(status="open"),
                name="proposal_one_open_per_subject",
            ),
        ]
        indexes = [models.Index(fields=["kind", "subject", "decided_at"])]

    def __str__(self) -> str:
        return self.title


class MonthlyTopic(models.Model):
    """每月一题: a chronic problem the city takes on for a month, with a lead unit, a target and a
    deadline. It is tracked like a project — the topic's 实事项目 carries its milestones,
    progress, supervision and 销号 — and linked to the requests that raised it."""

    month = models.DateField(_("月份"), db_index=True)  # the first of the month
    title = models.CharField(_("题目"), max_length=200)
    org_unit = models.ForeignKey(
        "orgtree.OrgUnit", verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="+"
    )
    lead_unit = models.ForeignKey(
        "orgtree.OrgUnit", verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="+"
    )
    target = models.CharField(_("目标"), max_length=500)
    deadline = models.DateField(_("完成时限"))
    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("跟踪项目"),
        on_delete=models.PROTECT,
        related_name="monthly_topic",
    )
    proposal = models.OneToOneField(
        Proposal,
        verbose_name=_("来源线索"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="topic",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("确定时间"))

    scope = Scope("org_unit__path")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("每月一题")
        verbose_name_plural = _("每月一题")
        ordering = ["-month", "-id"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.title}"
