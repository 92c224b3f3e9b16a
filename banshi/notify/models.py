"""The outbox: every SMS, email and in-app message the platform sends, and each delivery attempt."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    SMS = "sms", _("短信")
    EMAIL = "email", _("邮件")
    INAPP = "inapp", _("站内消息")


class Status(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class Message(models.Model):
    """One message to one recipient over one channel. Written in the transaction of the change that
    caused it and delivered only after that transaction commits, so a rolled-back change tells
    nobody. ``dedupe_key`` makes a repeated cause (a scheduler re-run) produce no second message.
    A worker sends it only under a lease (SENDING, ``claimed_at``, ``claimed_by``)."""

    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
    )
    address = models.CharField(_("地址"), max_length=254, blank=True, help_text=_("手机号或邮箱"))
    template = models.CharField(_("模板"), max_length=64)
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    related_type = models.CharField(_("关联对象类型"), max_length=64, blank=True)
    related_id = models.CharField(_("关联对象编号"), max_length=64, blank=True)
    dedupe_key = models.CharField(_("去重键"), max_length=200, null=True, blank=True, unique=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    # The lease of the worker sending it (status SENDING): who claimed it and when. Another worker
    # may take it over only once the lease has expired (NOTIFY_CLAIM_LEASE_SECONDS).
    claimed_at = models.DateTimeField(_("领取时间"), null=True, blank=True)
    claimed_by = models.CharField(_("领取者"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "channel", "read_at"])]

    def __str__(self) -> str:
        return f"[{self.get_channel_display()}] {self.subject}"


class DeliveryAttempt(models.Model):
    """One try at handing a message to its channel, with the outcome."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="delivery_attempts")
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    ok = models.BooleanField(_("成功"))
    error = models.CharField(_("错误"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("发送记录")
        verbose_name_plural = _("发送记录")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.message_id} {'成功' if self.ok else '失败'}"
