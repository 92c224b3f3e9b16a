"""Forms of the 接诉即办 pages. They only gather what was typed into plain values; every rule about
a request (lengths, control characters, phone format, coordinates, categories, units, files) is
checked by the services, which answer in Chinese, so the page and the API refuse the same things
with the same words."""

from __future__ import annotations

import re
import secrets
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import ProhibitNullCharactersValidator
from django.http import HttpRequest, QueryDict

from banshi.core.choices import Satisfaction
from banshi.core.errors import DomainError, ValidationFailed
from banshi.workorders.choices import (
    Channel,
    InvalidReason,
    Kind,
    Resolution,
    Status,
    Urgency,
)
from banshi.workorders.clock import LIGHT_LABELS, LIGHTS

CITIZEN_MAX_PHOTOS = 3
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
# Raw text is passed on untouched; the services cap it. This cap only keeps a runaway request
# from being copied around in memory before the service refuses it.
RAW_MAX = 200_000


class RawText(forms.CharField):
    """A text field that leaves NUL and length checks to the services (one message, in Chinese)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("strip", False)
        super().__init__(**kwargs)
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]


INVALID_FORM_TOKEN = "invalid_form_token"


def new_token() -> str:
    """The hidden one-time token of a submission form, used as the request's submission_key."""
    return secrets.token_urlsafe(24)


def clean_token(value: object) -> str:
    text = str(value or "")
    if not TOKEN_RE.match(text):
        raise ValidationFailed("表单已失效，请刷新页面后重新提交", code=INVALID_FORM_TOKEN)
    return text


def token_for_retry(request: HttpRequest, failure: DomainError | None = None) -> str:
    """The token a re-shown submission form carries: the posted one again, so that sending the
    corrected form is still the same submission (no second request), unless the token itself
    was what was refused. Decided on the error's code, never its (translated) message."""
    posted = request.POST.get("token") if request.method == "POST" else None
    if posted and not (failure is not None and failure.code == INVALID_FORM_TOKEN):
        return posted
    return new_token()


def _first_error(form: forms.Form) -> str:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        return f"{label}：{errors[0]}" if label else str(errors[0])
    return "输入有误"


def check(form: forms.Form) -> dict[str, Any]:
    """The form's values, or ValidationFailed with its first error in Chinese."""
    if not form.is_valid():
        raise ValidationFailed(_first_error(form), code="invalid_form")
    return form.cleaned_data


def uploaded(files: Any, name: str = "files") -> list[UploadedFile]:
    return list(files.getlist(name)) if files is not None else []


# --- citizen ------------------------------------------------------------------------------------


class CitizenSubmitForm(forms.Form):
    kind = forms.ChoiceField(label="诉求类型", choices=Kind.choices)
    category = RawText(label="诉求分类")
    title = RawText(label="标题")
    content = RawText(label="诉求内容")
    address = RawText(label="地址")
    latitude = RawText(label="纬度")
    longitude = RawText(label="经度")
    anonymous = forms.BooleanField(label="匿名提交", required=False)
    caller_name = RawText(label="姓名")
    caller_phone = RawText(label="手机号")
    token = RawText(label="表单令牌")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("anonymous") and not str(data.get("caller_phone", "")).strip():
            raise forms.ValidationError("请填写手机号，或勾选匿名提交")
        return data


class TrackForm(forms.Form):
    number = RawText(label="工单编号", max_length=40)
    proof = RawText(label="手机号后四位或查询码", max_length=40)


class RatingForm(forms.Form):
    number = RawText(label="工单编号", max_length=40)
    proof = RawText(label="验证信息", max_length=40)
    resolution = forms.ChoiceField(label="解决情况", choices=Resolution.choices)
    satisfaction = forms.ChoiceField(label="满意度", choices=Satisfaction.choices)
    comment = RawText(label="评价意见")


# --- staff --------------------------------------------------------------------------------------

INTAKE_CHANNELS = [(c.value, c.label) for c in (Channel.PHONE, Channel.MAILBOX, Channel.GRID)]


class IntakeForm(forms.Form):
    channel = forms.ChoiceField(label="来源渠道", choices=INTAKE_CHANNELS, initial=Channel.PHONE)
    caller_name = RawText(label="来电人姓名")
    caller_phone = RawText(label="来电号码")
    confidential = forms.BooleanField(label="来电人要求保密", required=False)
    kind = forms.ChoiceField(label="诉求类型", choices=Kind.choices)
    category = RawText(label="诉求分类")
    urgency = forms.ChoiceField(label="紧急程度", choices=Urgency.choices, initial=Urgency.NORMAL)
    address = RawText(label="地址")
    org_unit = RawText(label="所在区域")
    title = RawText(label="标题")
    content = RawText(label="诉求内容")
    token = RawText(label="表单令牌")


class ListFilterForm(forms.Form):
    """The list page's filters, read from the query string."""

    status = forms.MultipleChoiceField(label="状态", choices=Status.choices, required=False)
    unit = RawText(label="主办单位", max_length=30)
    area = RawText(label="所在区域", max_length=30)
    category = RawText(label="分类", max_length=30)
    light = forms.ChoiceField(
        label="灯色",
        choices=[("", "全部"), *((light, LIGHT_LABELS[light]) for light in LIGHTS)],
        required=False,
    )
    kind = forms.ChoiceField(label="类型", choices=[("", "全部"), *Kind.choices], required=False)
    channel = forms.ChoiceField(
        label="渠道", choices=[("", "全部"), *Channel.choices], required=False
    )
    received_from = forms.DateField(label="受理日期自", required=False)
    received_to = forms.DateField(label="受理日期至", required=False)
    q = RawText(label="关键词", max_length=100)
    cursor = RawText(label="游标", max_length=30)


# --- workflow actions ---------------------------------------------------------------------------

# The fields each action's form posts, passed to ``services.transition`` as ``data``.
ACTION_FIELDS: dict[str, tuple[str, ...]] = {
    "answer": ("answer",),
    "invalidate": ("reason", "note"),
    "merge": ("parent",),
    "queue": ("note",),
    "dispatch": ("lead_unit", "note", "category"),
    "sign": (),
    "request_return": ("reason",),
    "redispatch": ("lead_unit", "note"),
    "refuse_return": ("note",),
    "contact": ("note",),
    "request_extension": ("days", "reason"),
    "approve_extension": ("note",),
    "refuse_extension": ("note",),
    "reply": ("result", "solved"),
    "audit_pass": ("note",),
    "audit_reject": ("note",),
    "callback": ("resolution", "satisfaction", "comment", "unreachable"),
    "reopen": ("note",),
    "urge": ("note",),
    "supervise": ("note", "due"),
    "instruct": ("instruction",),
    "appeal": ("reason",),
    "co_sign": ("unit",),
    "co_reply": ("unit", "opinion"),
    "rule_appeal": ("approved", "note"),
    "note": ("note",),
}
FILE_ACTIONS = {"reply", "request_return"}


def action_data(action: str, post: QueryDict, files: Any) -> dict[str, Any]:
    """The transition data of one action form: its own fields only, as strings."""
    data: dict[str, Any] = {}
    for name in ACTION_FIELDS.get(action, ()):
        value = post.get(name)
        if value is not None:
            data[name] = value[:RAW_MAX]
    if action == "dispatch":
        data["co_units"] = [v[:30] for v in post.getlist("co_units") if v.strip()]
    if action == "callback" and "unreachable" not in data:
        data["unreachable"] = False
    if action in FILE_ACTIONS:
        data["files"] = uploaded(files)
    return data


INVALID_REASONS = InvalidReason.choices
