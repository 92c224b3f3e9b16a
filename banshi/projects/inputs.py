"""Parsing of the values pages, the API and the Excel importer hand to services, with Chinese
messages. Services call these on everything they receive, so every entry point gets the same rules."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models

from banshi.core.errors import ValidationFailed
from banshi.core.validation import clean_text

MAX_AMOUNT = Decimal("999999999999.99")


def parse_date(value: Any, *, field: str, required: bool = True) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = clean_text(value, field=field, max_length=20, required=required)
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValidationFailed(
        f"{field}日期格式不正确，应为 2026-03-31 这样的形式", code="invalid_date"
    )


def parse_amount(value: Any, *, field: str, required: bool = True) -> Decimal:
    """A non-negative decimal with at most two decimal places."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationFailed(f"{field}不能为空", code="required")
        return Decimal(0)
    if isinstance(value, bool):
        raise ValidationFailed(f"{field}应为数字", code="invalid_number")
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(f"{field}应为数字", code="invalid_number") from None
    if not number.is_finite():
        raise ValidationFailed(f"{field}应为数字", code="invalid_number")
    if number < 0:
        raise ValidationFailed(f"{field}不能为负数", code="negative")
    if number > MAX_AMOUNT:
        raise ValidationFailed(f"{field}数值过大", code="too_large_number")
    return number.quantize(Decimal("0.01"))


def parse_int(value: Any, *, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationFailed(f"{field}应为整数", code="invalid_number")
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationFailed(f"{field}应为整数", code="invalid_number") from None
    if not number.is_finite() or number != number.to_integral_value():
        raise ValidationFailed(f"{field}应为整数", code="invalid_number")
    if number < low or number > high:
        raise ValidationFailed(f"{field}应在{low}到{high}之间", code="out_of_range")
    return int(number)


def parse_choice(value: Any, choices: type[models.TextChoices], *, field: str) -> str:
    """A choice by its value (``immediate``) or its Chinese label (``立刻办``)."""
    text = clean_text(value, field=field, max_length=50)
    if text in choices.values:
        return text
    for choice_value, label in choices.choices:
        if str(label) == text:
            return str(choice_value)
    allowed = "、".join(str(label) for label in choices.labels)
    raise ValidationFailed(f"{field}「{text}」无效，应为：{allowed}", code="invalid_choice")


def parse_bool(value: Any) -> bool:
    return str(value).strip().lower() in {"1", "true", "yes", "on", "是"}


def parse_moment(value: Any, *, field: str) -> datetime.datetime:
    """A local date and time (``2026-03-05T10:30`` or ``2026-03-05 10:30``), made timezone-aware."""
    from django.utils import timezone

    if isinstance(value, datetime.datetime):
        moment = value
    else:
        text = clean_text(value, field=field, max_length=30).replace("T", " ")
        for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
            try:
                moment = datetime.datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        else:
            raise ValidationFailed(f"{field}格式不正确，应为 2026-03-05 10:30", code="invalid_date")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_current_timezone())
    return moment
