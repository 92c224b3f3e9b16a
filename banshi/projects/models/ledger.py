"""The ledger itself: lists, projects, their milestones, timeline events, confirmations,
attachments and deadline changes."""

from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from banshi.core.models import TimeStampedModel
from banshi.core.scoping import Scope, ScopedQuerySet, Via
from banshi.projects.choices import (
    AttachmentKind,
    ConfirmParty,
    DeadlineChangeStatus,
    Field,
    HandlingType,
    ListLevel,
    Source,
    Status,
)

# Actions a project's 牵头单位 (not only its own org unit) may take on it.
VIA_LEAD_UNIT = frozenset({"project.view", "project.report", "project.lead"})


class ProjectList(TimeStampedModel):
    """A 清单: the list a standing committee, the city, a district … down to a party member adopts
    (e.g. 2021年市委常委会为民办实事清单, 28项), with its level, year and batch."""

    scope = Scope("org_unit__path")

    name = models.CharField(_("清单名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=24, choices=ListLevel.choices, db_index=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    batch = models.CharField(_("批次"), max_length=50, blank=True)
    org_unit = models.ForeignKey(
        "orgtree.OrgUnit", verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("说明"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("实事清单")
        verbose_name_plural = _("实事清单")
        ordering = ["-year", "level", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["name", "year", "batch"], name="projectlist_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name}{f'（{self.batch}）' if self.batch else ''}"


class ProjectQuerySet(ScopedQuerySet):
    def active(self) -> Self:
        from banshi.projects.choices import ACTIVE_STATUSES

        return self.filter(status__in=ACTIVE_STATUSES)


class Project(TimeStampedModel):
    """One 实事项目: a ledger row with a lead official, a lead unit, a measurable target and a
    deadline. Only ``services`` write it; its status only through ``project_transition``.

    It is run from its org unit's subtree; its 牵头单位 (often a functional unit outside that
    subtree, e.g. 市城管局 for a 芙蓉区 project) may also view, report on and confirm it, and a
    配合单位 may view it."""

    scope = Scope(
        "org_unit__path",
        Via("lead_unit__path", actions=VIA_LEAD_UNIT, name="lead"),
        Via("co_units__path", actions=frozenset({"project.view"}), name="co"),
    )

    number = models.CharField(_("项目编号"), max_length=40, unique=True)
    name = models.CharField(_("项目名称"), max_length=200)
    source = models.CharField(_("来源"), max_length=24, choices=Source.choices)
    field = models.CharField(_("领域"), max_length=24, choices=Field.choices, db_index=True)
    lists = models.ManyToManyField(
        ProjectList, through="ListEntry", verbose_name=_("所在清单"), related_name="projects"
    )
    target = models.CharField(_("目标任务"), max_length=500)
    target_quantity = models.DecimalField(_("目标数量"), max_digits=14, decimal_places=2)
    target_unit = models.CharField(_("计量单位"), max_length=20)
    measures = models.TextField(_("主要措施"), blank=True)
    handling_type = models.CharField(_("办理类型"), max_length=12, choices=HandlingType.choices)
    lead_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("牵头领导"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_projects",
    )
    lead_unit = models.ForeignKey(
        "orgtree.OrgUnit",
        verbose_name=_("牵头单位"),
        on_delete=models.PROTECT,
        related_name="led_projects",
    )
    co_units = models.ManyToManyField(
        "orgtree.OrgUnit", verbose_name=_("配合单位"), blank=True, related_name="+"
    )
    responsible_person = models.CharField(_("责任人"), max_length=50, blank=True)
    responsible_title = models.CharField(_("责任人职务"), max_length=50, blank=True)
    start_date = models.DateField(_("开始时间"))
    deadline = models.DateField(_("完成时限"), db_index=True)
    funds_planned = models.DecimalField(
        _("计划资金（万元）"), default=0, max_digits=14, decimal_places=2
    )
    funds_spent = models.DecimalField(
        _("已完成投资（万元）"), default=0, max_digits=14, decimal_places=2
    )
    org_unit = models.ForeignKey(
        "orgtree.OrgUnit", verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="+"
    )
    min_satisfaction = models.DecimalField(
        _("销号所需最低满意率"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("为空时使用全局设置"),
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.COLLECTED, db_index=True
    )
    status_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True)
    # Bumped by every write (compare-and-set): a person's form or ``If-Match`` carries the version
    # it was read at, and a write on an older one is refused (409) instead of lost.
    version = models.PositiveIntegerField(_("版本"), default=0)
    # Approved progress only (the service updates these when a report is approved).
    progress_percent = models.PositiveSmallIntegerField(_("已审核进度（%）"), default=0)
    last_approved_report_on = models.DateField(_("最近审核进展日期"), null=True, blank=True)
    started_on = models.DateField(_("开始推进日期"), null=True, blank=True)
    leader_confirmed_at = models.DateTimeField(_("领导确认时间"), null=True, blank=True)
    unit_confirmed_at = models.DateTimeField(_("单位确认时间"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("申请销号时间"), null=True, blank=True)
    verified_at = models.DateTimeField(_("验收时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True, db_index=True)
    deadline_change_count = models.PositiveSmallIntegerField(_("时限调整次数"), default=0)
    supervise_count = models.PositiveSmallIntegerField(_("督办次数"), default=0)
    urge_count = models.PositiveSmallIntegerField(_("催办次数"), default=0)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("并入项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_projects",
    )
    survey_token = models.CharField(
        _("测评链接码"), max_length=32, null=True, blank=True, unique=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("实事项目")
        verbose_name_plural = _("实事项目")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("start_date")),
                name="project_deadline_after_start",
            ),
            models.CheckConstraint(condition=Q(target_quantity__gte=0), name="project_target_ge_0"),
            models.CheckConstraint(
                condition=Q(funds_planned__gte=0) & Q(funds_spent__gte=0),
                name="project_funds_ge_0",
            ),
            models.CheckConstraint(
                condition=Q(progress_percent__lte=100), name="project_progress_le_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class ListEntry(models.Model):
    """A project's place on a list (its 序号 there). One project can be on several lists."""

    project_list = models.ForeignKey(
        ProjectList, verbose_name=_("清单"), on_delete=models.CASCADE, related_name="entries"
    )
    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="list_entries"
    )
    seq = models.PositiveIntegerField(_("序号"))
    added_at = models.DateTimeField(_("列入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("清单条目")
        verbose_name_plural = _("清单条目")
        ordering = ["project_list_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["project_list", "project"], name="listentry_once"),
            models.UniqueConstraint(fields=["project_list", "seq"], name="listentry_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.project_list_id}#{self.seq}"


class Milestone(models.Model):
    """A node (节点) of the project's plan: what should be done by when, and its weight in the
    whole. ``completed_on`` comes from the approved progress report that reported it done."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="milestones"
    )
    seq = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("节点内容"), max_length=200)
    planned_date = models.DateField(_("计划完成日期"))
    weight = models.PositiveSmallIntegerField(_("权重"))
    completed_on = models.DateField(_("实际完成日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("节点")
        verbose_name_plural = _("节点")
        ordering = ["project_id", "planned_date", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["project", "seq"], name="milestone_seq"),
            models.CheckConstraint(
                condition=Q(weight__gte=1) & Q(weight__lte=100), name="milestone_weight_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.planned_date}）"

    @property
    def org_path(self) -> str:
        return self.project.org_unit.path


class ProjectEvent(models.Model):
    """One step of the project's timeline: who did what, when, from which status to which."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("动作"), max_length=32)
    label = models.CharField(_("说明"), max_length=100)
    from_status = models.CharField(_("原状态"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=Status.choices, blank=True)
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("项目动态")
        verbose_name_plural = _("项目动态")
        ordering = ["project_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError("项目动态只能追加，不能修改")
        super().save(*args, **kwargs)


class Confirmation(models.Model):
    """A party's confirmation of an assignment (交办): the lead official or the lead unit."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="confirmations")
    party = models.CharField(_("确认方"), max_length=8, choices=ConfirmParty.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("确认时间"))

    class Meta:
        verbose_name = _("交办确认")
        verbose_name_plural = _("交办确认")

    def __str__(self) -> str:
        return f"{self.project_id} {self.party}"


class Attachment(models.Model):
    """A photo or PDF: progress photos, 销号 evidence, inspection photos. Checked by content
    (JPEG/PNG/WebP/PDF) and size when uploaded; served only through a permission-checked view."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("类别"), max_length=20, choices=AttachmentKind.choices)
    report = models.ForeignKey(
        "ProgressReport",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    inspection = models.ForeignKey(
        "Inspection", null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("文件"), upload_to="projects/%Y/%m/", max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=40)
    size = models.PositiveIntegerField(_("大小（字节）"))
    caption = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["project_id", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def org_path(self) -> str:
        return self.project.org_unit.path


class DeadlineChange(models.Model):
    """A request to move the 完成时限, with its reason, and the approver's decision. Every approved
    change is counted on the project."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="deadline_changes"
    )
    old_deadline = models.DateField(_("原完成时限"))
    new_deadline = models.DateField(_("新完成时限"))
    reason = models.TextField(_("调整理由"))
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=DeadlineChangeStatus.choices,
        default=DeadlineChangeStatus.PENDING,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("时限调整")
        verbose_name_plural = _("时限调整")
        ordering = ["project_id", "requested_at", "id"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.old_deadline}→{self.new_deadline}"

    @property
    def org_path(self) -> str:
        return self.project.org_unit.path
