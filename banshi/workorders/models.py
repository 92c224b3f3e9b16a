"""接诉即办: citizen requests (工单), their timeline, attachments, categories, time limits and the
monthly metric rollups."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from banshi.core.choices import Satisfaction
from banshi.core.scoping import Scope, ScopedQuerySet, Via
from banshi.workorders.choices import (
    AppealStatus,
    Channel,
    InvalidReason,
    Kind,
    Resolution,
    Side,
    Status,
    Urgency,
)


class Category(models.Model):
    """A node of the three-level request taxonomy (e.g. 城市管理 › 市容环境 › 占道经营)."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级分类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name = models.CharField(_("名称"), max_length=50)
    code = models.CharField(_("编码"), max_length=20, unique=True)
    level = models.PositiveSmallIntegerField(_("层级"))
    sort = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    # Open311: whether this category is published as a service, with its notice.
    open311_published = models.BooleanField(_("Open311 发布"), default=False)
    open311_notice = models.CharField(_("Open311 服务说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("诉求分类")
        verbose_name_plural = _("诉求分类")
        ordering = ["sort", "code"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="category_unique_name"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        names = [self.name]
        node = self.parent
        while node is not None:
            names.append(node.name)
            node = node.parent
        return " › ".join(reversed(names))


class TimeLimitRule(models.Model):
    """How long a unit has to sign, make first contact and close, per type × urgency (× org level).

    Each limit is an amount in working days (Chinese calendar) or natural hours."""

    class Unit(models.TextChoices):
        WORKDAYS = "workdays", _("工作日")
        HOURS = "hours", _("小时")

    kind = models.CharField(_("诉求类型"), max_length=12, choices=Kind.choices)
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Urgency.choices)
    org_level = models.CharField(
        _("适用单位级别"), max_length=16, blank=True, help_text=_("留空表示所有级别")
    )
    sign_amount = models.DecimalField(_("签收时限"), max_digits=6, decimal_places=2)
    sign_unit = models.CharField(_("签收时限单位"), max_length=10, choices=Unit.choices)
    contact_amount = models.DecimalField(_("先行联系时限"), max_digits=6, decimal_places=2)
    contact_unit = models.CharField(_("先行联系时限单位"), max_length=10, choices=Unit.choices)
    close_amount = models.DecimalField(_("办结时限"), max_digits=6, decimal_places=2)
    close_unit = models.CharField(_("办结时限单位"), max_length=10, choices=Unit.choices)

    class Meta:
        verbose_name = _("办理时限规则")
        verbose_name_plural = _("办理时限规则")
        ordering = ["kind", "urgency", "org_level"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "urgency", "org_level"], name="timelimit_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}·{self.get_urgency_display()}"


class WorkOrderQuerySet(ScopedQuerySet):
    def open(self) -> WorkOrderQuerySet:
        from banshi.workorders.choices import OPEN_STATUSES

        return self.filter(status__in=OPEN_STATUSES)


class WorkOrder(models.Model):
    """A citizen's request (工单): the five facts, who handles it, its clock and its outcome.

    It belongs where it is located, to the unit that leads it and to the units that co-handle it
    (市城管局 sees its orders wherever they are); reading scope, object checks and the unit queues
    (``via="lead"`` / ``via="co"``) are all built from ``scope``."""

    scope = Scope(
        "org_unit__path",
        Via("lead_unit__path", name="lead"),
        Via("co_unit_links__unit__path", name="co"),
    )

    number = models.CharField(_("工单编号"), max_length=20, unique=True)
    tracking_code = models.CharField(_("查询码"), max_length=12)
    submission_key = models.CharField(
        _("提交幂等键"), max_length=250, null=True, blank=True, unique=True
    )
    submission_fingerprint = models.CharField(_("提交内容摘要"), max_length=64, blank=True)
    channel = models.CharField(_("来源渠道"), max_length=10, choices=Channel.choices)
    kind = models.CharField(_("诉求类型"), max_length=12, choices=Kind.choices)
    category = models.ForeignKey(
        Category, verbose_name=_("分类"), on_delete=models.PROTECT, related_name="orders"
    )
    tags = models.JSONField(_("标签"), default=list, blank=True)
    urgency = models.CharField(
        _("紧急程度"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    title = models.CharField(_("标题"), max_length=100)
    content = models.TextField(_("诉求内容"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        _("经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    org_unit = models.ForeignKey(
        "orgtree.OrgUnit",
        verbose_name=_("所在区域"),
        on_delete=models.PROTECT,
        related_name="located_orders",
    )
    caller_name = models.CharField(_("诉求人"), max_length=50, blank=True)
    caller_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    caller_confidential = models.BooleanField(_("保密"), default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    open311_app = models.CharField(_("Open311 应用"), max_length=64, blank=True)
    open311_email = models.CharField(_("Open311 邮箱"), max_length=254, blank=True)
    open311_device_id = models.CharField(_("Open311 设备"), max_length=100, blank=True)
    open311_account_id = models.CharField(_("Open311 账号"), max_length=100, blank=True)
    open311_attributes = models.JSONField(_("Open311 属性"), default=dict, blank=True)

    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    version = models.PositiveIntegerField(_("版本"), default=0)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("并入工单"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_children",
    )
    lead_unit = models.ForeignKey(
        "orgtree.OrgUnit",
        verbose_name=_("主办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_orders",
    )
    co_units = models.ManyToManyField(
        "orgtree.OrgUnit",
        verbose_name=_("协办单位"),
        through="WorkOrderCoUnit",
        related_name="co_orders",
        blank=True,
    )

    received_at = models.DateTimeField(_("受理时间"), db_index=True)
    dispatched_at = models.DateTimeField(_("派单时间"), null=True, blank=True, db_index=True)
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    contacted_at = models.DateTimeField(_("先行联系时间"), null=True, blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    audited_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)

    sign_due = models.DateTimeField(_("签收时限"), null=True, blank=True)
    contact_due = models.DateTimeField(_("先行联系时限"), null=True, blank=True)
    close_due = models.DateTimeField(_("办结时限"), null=True, blank=True, db_index=True)
    near_due_at = models.DateTimeField(_("临期提醒时间"), null=True, blank=True, db_index=True)
    callback_due = models.DateTimeField(_("评价截止"), null=True, blank=True, db_index=True)
    extended_days = models.PositiveSmallIntegerField(_("已延期工作日"), default=0)
    extension_requested_days = models.PositiveSmallIntegerField(_("申请延期工作日"), default=0)
    extension_reason = models.CharField(_("延期理由"), max_length=500, blank=True)

    reminded_at = models.DateTimeField(_("已提醒"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("超时时间"), null=True, blank=True)
    auto_urged_at = models.DateTimeField(_("自动催办时间"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("通报时间"), null=True, blank=True)

    urge_count = models.PositiveIntegerField(_("催办次数"), default=0)
    reopen_count = models.PositiveIntegerField(_("重办次数"), default=0)
    return_count = models.PositiveIntegerField(_("退单次数"), default=0)
    supervised = models.BooleanField(_("督办"), default=False)
    supervise_due = models.DateTimeField(_("督办时限"), null=True, blank=True)
    leader_instruction = models.TextField(_("领导批示"), blank=True)
    hot = models.BooleanField(_("热点"), default=False)

    answer_text = models.TextField(_("直接答复内容"), blank=True)
    invalid_reason = models.CharField(
        _("不予受理原因"), max_length=20, choices=InvalidReason.choices, blank=True
    )
    reply_text = models.TextField(_("办理结果"), blank=True)
    reply_solved = models.BooleanField(_("单位自评已解决"), null=True, blank=True)
    resolution = models.CharField(
        _("解决情况"), max_length=10, choices=Resolution.choices, blank=True
    )
    satisfaction = models.CharField(
        _("满意度"), max_length=12, choices=Satisfaction.choices, blank=True
    )
    unreachable = models.BooleanField(_("回访未接通"), default=False)
    rating_comment = models.CharField(_("评价意见"), max_length=500, blank=True)
    rated_by = models.CharField(_("评价方式"), max_length=10, choices=Side.choices, blank=True)
    appeal_status = models.CharField(
        _("申诉"), max_length=10, choices=AppealStatus.choices, blank=True, default=""
    )
    appeal_reason = models.CharField(_("申诉理由"), max_length=500, blank=True)

    objects = WorkOrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("工单")
        verbose_name_plural = _("工单")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "close_due"]),
            models.Index(fields=["lead_unit", "status"]),
            models.Index(fields=["caller_phone", "received_at"]),
            models.Index(fields=["category", "org_unit", "received_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class WorkOrderCoUnit(models.Model):
    """A co-handling unit (协办单位) of a request and its part: when it signed for its share and the
    handling opinion (协办意见) it sent the lead unit. Written only by the ``co_sign`` and
    ``co_reply`` transitions."""

    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="co_unit_links")
    unit = models.ForeignKey("orgtree.OrgUnit", on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("协办签收时间"), null=True, blank=True)
    opinion = models.TextField(_("协办意见"), blank=True)
    opinion_at = models.DateTimeField(_("协办意见提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("协办单位")
        verbose_name_plural = _("协办单位")
        constraints = [
            models.UniqueConstraint(fields=["order", "unit"], name="workorder_co_unit_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}:{self.unit_id}"


class Event(models.Model):
    """One step on a request's timeline: who, when, from which state to which, a note and data.
    ``public`` events are shown to the citizen on the tracking page."""

    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    side = models.CharField(_("操作方"), max_length=10, choices=Side.choices)
    action = models.CharField(_("动作"), max_length=32)
    from_status = models.CharField(_("原状态"), max_length=20, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, blank=True)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)
    public = models.BooleanField(_("向群众公开"), default=False)

    class Meta:
        verbose_name = _("工单事件")
        verbose_name_plural = _("工单事件")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


class Attachment(models.Model):
    """A photo or PDF attached to a request at intake, to a reply as evidence, or to a return."""

    class Stage(models.TextChoices):
        INTAKE = "intake", _("诉求材料")
        RETURN = "return", _("退单依据")
        REPLY = "reply", _("办理凭证")

    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="attachments")
    stage = models.CharField(_("环节"), max_length=10, choices=Stage.choices)
    file = models.FileField(_("文件"), upload_to="workorders/%Y/%m/")
    content_type = models.CharField(_("类型"), max_length=50)
    size = models.PositiveIntegerField(_("大小"))
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name or str(self.file.name)

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class TrackingCounter(models.Model):
    """The last tracking-number sequence used on a day; numbers are never reused."""

    day = models.CharField(max_length=8, primary_key=True)
    value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("工单编号计数器")
        verbose_name_plural = _("工单编号计数器")

    def __str__(self) -> str:
        return f"{self.day}:{self.value}"


class UnitMonthStats(models.Model):
    """One unit's counts for one month, refreshed from the month's requests by the scheduler, so
    reading a month's table or ranking never scans all requests. Requests count in the month they
    were dispatched, for their (final) lead unit; appealed-and-approved requests are left out."""

    unit = models.ForeignKey("orgtree.OrgUnit", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("月份"), db_index=True)  # first day of the month
    dispatched = models.PositiveIntegerField(default=0)
    due_sign = models.PositiveIntegerField(default=0)
    signed_on_time = models.PositiveIntegerField(default=0)
    due_response = models.PositiveIntegerField(default=0)
    responded_on_time = models.PositiveIntegerField(default=0)
    due_close = models.PositiveIntegerField(default=0)
    closed_on_time = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)
    solved = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    basic = models.PositiveIntegerField(default=0)
    returned = models.PositiveIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)
    excluded = models.PositiveIntegerField(default=0)
    received = models.PositiveIntegerField(default=0)  # located in this unit (territorial units)
    answered_directly = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField(auto_now=True)

    scope = Scope("unit__path")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位月度指标")
        verbose_name_plural = _("单位月度指标")
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="unit_month_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%Y-%m}"


class MetricsDirtyMonth(models.Model):
    """A month whose rollups must be recomputed (an appeal ruling, a late callback)."""

    month = models.DateField(primary_key=True)

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class MetricWeights(models.Model):
    """The weights of 综合成绩 (响应率/解决率/满意率), editable by admins; one row."""

    response = models.PositiveSmallIntegerField(_("响应率权重"), default=30)
    resolution = models.PositiveSmallIntegerField(_("解决率权重"), default=35)
    satisfaction = models.PositiveSmallIntegerField(_("满意率权重"), default=35)

    class Meta:
        verbose_name = _("综合成绩权重")
        verbose_name_plural = _("综合成绩权重")

    def __str__(self) -> str:
        return f"{self.response}/{self.resolution}/{self.satisfaction}"
