"""Open311 GeoReport v2: the client applications allowed to submit, their API keys, the extra
questions (service attributes) a published category asks, and the record of each request an
application submitted (its token, the media URL it gave and a digest for retries)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from banshi.workorders.models import Category


class Application(models.Model):
    """A registered Open311 client (an app, a city system, a kiosk) that may POST requests for the
    org unit it is registered for (the whole jurisdiction when left empty)."""

    name = models.CharField(_("应用名称"), max_length=64, unique=True)
    contact = models.CharField(_("联系人及联系方式"), max_length=200, blank=True)
    org_unit = models.ForeignKey(
        "orgtree.OrgUnit",
        verbose_name=_("可提交区域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("只接受位于该单位辖区内的诉求；留空表示整个辖区"),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("Open311 应用")
        verbose_name_plural = _("Open311 应用")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def org_path(self) -> str:
        return self.org_unit.path if self.org_unit_id else ""  # type: ignore[union-attr]


class PublishedService(Category):
    """A request category seen as an Open311 service: the admin's publishing switch, notice and
    attributes (the rows are workorders' categories)."""

    class Meta:
        proxy = True
        verbose_name = _("Open311 服务")
        verbose_name_plural = _("Open311 服务")


class ApiKey(models.Model):
    """An application's API key. Only its SHA-256 digest is stored (keys are long random strings,
    so a slow hash adds nothing); the key itself is shown once, when it is issued."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="keys")
    prefix = models.CharField(_("密钥前缀"), max_length=8)
    digest = models.CharField(_("密钥摘要"), max_length=64, unique=True)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 API 密钥")
        verbose_name_plural = _("Open311 API 密钥")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}…"


class Datatype(models.TextChoices):
    STRING = "string", _("单行文本")
    NUMBER = "number", _("数字")
    DATETIME = "datetime", _("日期时间")
    TEXT = "text", _("多行文本")
    SINGLE = "singlevaluelist", _("单选")
    MULTI = "multivaluelist", _("多选")


class ServiceAttribute(models.Model):
    """A question an Open311 service asks besides the description (GeoReport v2 service
    definition attribute), e.g. 井盖类型 (单选) or 发现时间 (日期时间)."""

    category = models.ForeignKey(
        Category, verbose_name=_("服务（分类）"), on_delete=models.CASCADE, related_name="+"
    )
    code = models.CharField(
        _("属性编码"), max_length=40, help_text=_("客户端以 attribute[编码] 提交")
    )
    variable = models.BooleanField(
        _("需要填写"), default=True, help_text=_("不勾选表示仅向用户展示说明")
    )
    datatype = models.CharField(_("数据类型"), max_length=16, choices=Datatype.choices)
    required = models.BooleanField(_("必填"), default=False)
    datatype_description = models.CharField(_("填写说明"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("顺序"))
    description = models.CharField(_("问题"), max_length=500)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("Open311 服务属性")
        verbose_name_plural = _("Open311 服务属性")
        ordering = ["category", "order"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="open311_attr_code"),
            models.UniqueConstraint(fields=["category", "order"], name="open311_attr_order"),
            models.CheckConstraint(condition=models.Q(order__gte=1), name="open311_attr_order_1"),
        ]

    def __str__(self) -> str:
        return f"{self.category.code}:{self.code}"


class AttributeValue(models.Model):
    """One option of a single- or multi-value list attribute."""

    attribute = models.ForeignKey(ServiceAttribute, on_delete=models.CASCADE, related_name="values")
    key = models.CharField(_("选项值"), max_length=40)
    name = models.CharField(_("选项名称"), max_length=100)
    sort = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("属性选项")
        verbose_name_plural = _("属性选项")
        ordering = ["sort", "id"]
        constraints = [
            models.UniqueConstraint(fields=["attribute", "key"], name="open311_value_key"),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.name}"


class SubmittedRequest(models.Model):
    """What an application's POST left behind besides the request itself: the token that
    resolves to the request id, the media URL it gave, and the digest used to recognise a retry."""

    order = models.OneToOneField(
        "workorders.WorkOrder", on_delete=models.CASCADE, related_name="open311"
    )
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="requests")
    token = models.CharField(_("令牌"), max_length=32, unique=True)
    media_url = models.URLField(_("媒体链接"), max_length=500, blank=True)
    digest = models.CharField(_("提交内容摘要"), max_length=64, db_index=True)
    created_at = models.DateTimeField(_("提交时间"), db_index=True)

    class Meta:
        verbose_name = _("Open311 提交记录")
        verbose_name_plural = _("Open311 提交记录")
        ordering = ["-id"]
        indexes = [models.Index(fields=["application", "digest", "created_at"])]

    def __str__(self) -> str:
        return self.token
