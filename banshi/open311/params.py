"""Reading Open311 parameters: empty means absent, W3C datetimes must carry an offset, and
``attribute[code]`` / ``attribute[code][]`` values are checked against the service definition."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.http import QueryDict

from banshi.core.calendar import TZ
from banshi.core.errors import ValidationFailed
from banshi.core.validation import is_digits
from banshi.open311.models import Datatype, ServiceAttribute

W3C_RE = re.compile(
    r"\A([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,9}))?)?"
    r"([Zz]|[+-][0-9]{2}:[0-9]{2})\Z"
)
# A "+" in a query string that the client forgot to encode arrives as a space: "…T08:00:00 08:00".
_SPACE_OFFSET = re.compile(
    r"\A(.*T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?) ([0-9]{2}:[0-9]{2})\Z"
)
ATTRIBUTE_RE = re.compile(r"^attribute\[([^\[\]]{1,40})\](\[\])?$")
MAX_STRING = 500
MAX_TEXT = 4000
MAX_NUMBER_DIGITS = 30
# A number answer is a count, a length or an area: at most 15 digits either side of the point.
# Bounded before converting: int(Decimal("1e1000000")) takes about 25 s, and an int of more than
# 4300 digits cannot even be written out.
NUMBER_RE = re.compile(r"\A[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?\Z")
MAX_NUMBER_EXPONENT = 15
# Datetimes a client may give: wide enough for "since ever" and "until whenever", narrow enough
# that a 90-day window or a change of offset never leaves what datetime can hold.
MIN_YEAR, MAX_YEAR = 1900, 9000


class Params:
    """The parameters of one call. ``sources`` are searched in order (a POST's body, then its query
    string for the few names allowed there); an empty value counts as not given, as the spec's
    "Optional Arguments" asks."""

    def __init__(self, *sources: QueryDict) -> None:
        self.sources = sources

    def get(self, name: str, *, max_length: int = 4000, label: str | None = None) -> str | None:
        for source in self.sources:
            if name in source:
                values = [v for v in source.getlist(name) if v.strip()]
                if not values:
                    continue
                if len(values) > 1:
                    raise ValidationFailed(f"参数 {name} 只能提供一次", code="repeated_parameter")
                value = values[0].strip()
                if len(value) > max_length:
                    raise ValidationFailed(
                        f"{label or '参数 ' + name}不能超过{max_length}个字符", code="too_long"
                    )
                return value
        return None

    def csv(self, name: str) -> list[str] | None:
        """A comma-delimited list, which may also be given by repeating the parameter."""
        items: list[str] = []
        for source in self.sources:
            for value in source.getlist(name):
                items.extend(part.strip() for part in value.split(","))
        items = [i for i in items if i]
        return list(dict.fromkeys(items)) or None

    def flag(self, name: str) -> bool:
        value = self.get(name, max_length=10)
        if value is None:
            return False
        lowered = value.lower()
        if lowered in {"true", "1", "yes"}:
            return True
        if lowered in {"false", "0", "no"}:
            return False
        raise ValidationFailed(f"参数 {name} 只能是 true 或 false", code="invalid_flag")

    def integer(self, name: str, *, low: int, high: int) -> int | None:
        value = self.get(name, max_length=10)
        if value is None:
            return None
        if not is_digits(value) or not (low <= int(value) <= high):
            raise ValidationFailed(
                f"参数 {name} 必须是 {low} 到 {high} 之间的整数", code="invalid_integer"
            )
        return int(value)

    def datetime(self, name: str) -> datetime.datetime | None:
        value = self.get(name, max_length=40)
        return None if value is None else parse_w3c(value, name)


def parse_w3c(value: str, name: str) -> datetime.datetime:
    """A W3C datetime with its timezone (Z or ±hh:mm), as the spec requires; else 400."""
    text = value.strip()
    spaced = _SPACE_OFFSET.match(text)
    if spaced:
        text = f"{spaced.group(1)}+{spaced.group(2)}"
    match = W3C_RE.match(text)
    if not match:
        raise ValidationFailed(
            f"参数 {name} 须为带时区的 W3C 日期时间，如 2026-11-01T00:00:00+08:00",
            code="invalid_datetime",
        )
    try:
        parsed = datetime.datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValidationFailed(f"参数 {name} 不是有效的日期时间", code="invalid_datetime") from exc
    if parsed.tzinfo is None:  # pragma: no cover - the pattern requires an offset
        raise ValidationFailed(f"参数 {name} 缺少时区", code="invalid_datetime")
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise ValidationFailed(
            f"参数 {name} 超出支持的范围（{MIN_YEAR}年至{MAX_YEAR}年）", code="invalid_datetime"
        )
    return parsed


def raw_attributes(data: QueryDict) -> dict[str, list[str]]:
    """``attribute[code]=v`` and ``attribute[code][]=v1&attribute[code][]=v2`` → {code: [values]};
    empty values are dropped (an empty answer is no answer)."""
    found: dict[str, list[str]] = {}
    for key in data:
        match = ATTRIBUTE_RE.match(key)
        if not match:
            if key.startswith("attribute[") or key == "attribute":
                raise ValidationFailed(f"无法识别的属性参数：{key[:60]}", code="invalid_attribute")
            continue
        values = [v.strip() for v in data.getlist(key) if v.strip()]
        if values:
            found.setdefault(match.group(1), []).extend(values)
    return found


def clean_attributes(
    definition: list[ServiceAttribute], given: dict[str, list[str]]
) -> dict[str, Any]:
    """Check each answer against its attribute's datatype; returns {code: value} to store."""
    by_code = {a.code: a for a in definition}
    unknown = [code for code in given if code not in by_code]
    if unknown:
        raise ValidationFailed(
            f"该服务没有属性：{'、'.join(sorted(unknown))[:200]}", code="unknown_attribute"
        )
    cleaned: dict[str, Any] = {}
    for attr in definition:
        values = given.get(attr.code, [])
        if not values:
            if attr.variable and attr.required:
                raise ValidationFailed(
                    f"缺少必填属性 attribute[{attr.code}]（{attr.description}）",
                    code="attribute_required",
                )
            continue
        if not attr.variable:
            raise ValidationFailed(
                f"属性 {attr.code} 仅用于说明，不接受填写", code="attribute_not_variable"
            )
        cleaned[attr.code] = _clean_value(attr, values)
    return cleaned


def _clean_value(attr: ServiceAttribute, values: list[str]) -> Any:
    label = f"属性 {attr.code}"
    if attr.datatype == Datatype.MULTI:
        keys = {v.key for v in attr.values.all()}
        bad = [v for v in values if v not in keys]
        if bad:
            raise ValidationFailed(
                f"{label} 的取值不在选项中：{'、'.join(bad)[:100]}", code="invalid_attribute"
            )
        return list(dict.fromkeys(values))
    if len(values) > 1:
        raise ValidationFailed(f"{label} 只能有一个值", code="invalid_attribute")
    value = values[0]
    if attr.datatype == Datatype.SINGLE:
        if value not in {v.key for v in attr.values.all()}:
            raise ValidationFailed(f"{label} 的取值不在选项中", code="invalid_attribute")
        return value
    if attr.datatype == Datatype.NUMBER:
        return _number(value, label)
    if attr.datatype == Datatype.DATETIME:
        return _attribute_datetime(value, label)
    if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in value):
        raise ValidationFailed(f"{label} 包含非法控制字符", code="invalid_attribute")
    if attr.datatype == Datatype.STRING:
        if "\n" in value or "\r" in value:
            raise ValidationFailed(f"{label} 为单行文本，不能换行", code="invalid_attribute")
        if len(value) > MAX_STRING:
            raise ValidationFailed(f"{label} 不能超过{MAX_STRING}个字符", code="invalid_attribute")
        return value
    if len(value) > MAX_TEXT:
        raise ValidationFailed(f"{label} 不能超过{MAX_TEXT}个字符", code="invalid_attribute")
    return value


def _number(value: str, label: str) -> int | float:
    number = None
    if len(value) <= MAX_NUMBER_DIGITS and NUMBER_RE.match(value):
        try:
            number = Decimal(value)
        except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
            number = None
    if number is None:
        raise ValidationFailed(f"{label} 必须是数字", code="invalid_attribute")
    if not number.is_zero() and not (
        -MAX_NUMBER_EXPONENT <= number.adjusted() <= MAX_NUMBER_EXPONENT
    ):
        raise ValidationFailed(
            f"{label} 超出范围（绝对值须在 1e-{MAX_NUMBER_EXPONENT} 到 1e{MAX_NUMBER_EXPONENT} 之间）",
            code="invalid_attribute",
        )
    return int(number) if number == number.to_integral_value() else float(number)


def _attribute_datetime(value: str, label: str) -> str:
    """An ISO 8601 date or datetime; a datetime without offset is taken as Beijing time."""
    text = value.strip()
    try:
        if len(text) == 10:
            return datetime.date.fromisoformat(text).isoformat()
        if W3C_RE.match(text) or _SPACE_OFFSET.match(text):
            return parse_w3c(text, label).isoformat()
        parsed = datetime.datetime.fromisoformat(text)
    except (ValueError, ValidationFailed) as exc:
        raise ValidationFailed(
            f"{label} 须为 ISO 8601 日期或日期时间", code="invalid_attribute"
        ) from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=TZ)
    return parsed.isoformat()
