"""Input checks shared by pages, the API and importers, all with Chinese messages."""

from __future__ import annotations

import re

from banshi.core.errors import NotFound, ValidationFailed

MAX_DB_ID = 2**63 - 1
# [0-9], not \d: in Python \d (like str.isdigit) also matches full-width and other scripts' digits.
MOBILE_RE = re.compile(r"\A1[3-9][0-9]{9}\Z")


def is_digits(text: str) -> bool:
    """ASCII digits only. ``str.isdigit()`` is also true for "²", "①" and full-width "３", which
    ``int()`` then refuses (a 500) or quietly reads as another number."""
    return text.isascii() and text.isdigit()


def clean_text(value: object, *, field: str, max_length: int, required: bool = True) -> str:
    """Strip, refuse NUL and control characters, enforce length."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationFailed(f"{field}必须是文本")
    text = value.strip()
    if "\x00" in text:
        raise ValidationFailed(f"{field}包含非法字符（NUL）", code="invalid_character")
    if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text):
        raise ValidationFailed(f"{field}包含非法控制字符", code="invalid_character")
    if required and not text:
        raise ValidationFailed(f"{field}不能为空", code="required")
    if len(text) > max_length:
        raise ValidationFailed(f"{field}不能超过{max_length}个字符", code="too_long")
    return text


def parse_id(value: object, *, field: str = "编号") -> int:
    """A database id from a URL or form: digits only, within a 64-bit integer.

    Anything else is a 404 rather than a 500: the object plainly does not exist.
    """
    text = str(value).strip()
    if not is_digits(text) or len(text) > 19:
        raise NotFound(f"{field}无效")
    number = int(text)
    if number <= 0 or number > MAX_DB_ID:
        raise NotFound(f"{field}无效")
    return number


def clean_mobile(value: object) -> str:
    text = clean_text(value, field="手机号", max_length=20)
    text = text.replace(" ", "").replace("-", "")
    if text.startswith("+86"):
        text = text[3:]
    if not MOBILE_RE.match(text):
        raise ValidationFailed("手机号格式不正确，应为11位中国大陆手机号", code="invalid_mobile")
    return text
