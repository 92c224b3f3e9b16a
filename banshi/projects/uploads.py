"""Checks for uploaded evidence and photos: the type by its first bytes (never by its name or the
browser's word for it) and the size, with Chinese messages."""

from __future__ import annotations

from typing import Any

from banshi.core.errors import ValidationFailed
from banshi.core.files import sniff
from banshi.core.validation import clean_text
from banshi.projects import conf


class FileTooLarge(ValidationFailed):
    status = 413
    code = "too_large"
    default_detail = "文件过大"


class UnsupportedFile(ValidationFailed):
    status = 415
    code = "unsupported_file"
    default_detail = "文件类型不支持"


def check_upload(uploaded: Any, *, images_only: bool = False) -> tuple[str, str, str]:
    """Validate an uploaded file; returns (content type, extension, cleaned original name)."""
    if uploaded is None:
        raise ValidationFailed("请选择要上传的文件", code="required")
    name = clean_text(getattr(uploaded, "name", "") or "文件", field="文件名", max_length=200)
    limit = conf.max_upload_bytes()
    size = int(getattr(uploaded, "size", 0) or 0)
    if size > limit:
        raise FileTooLarge(f"文件「{name}」超过{limit // (1024 * 1024)}MB上限，请压缩后再上传")
    if size == 0:
        raise ValidationFailed(f"文件「{name}」是空文件", code="empty_file")
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    kind = sniff(head)
    if kind is None or (images_only and not kind[0].startswith("image/")):
        allowed = "JPEG、PNG、WebP 图片" + ("" if images_only else "或 PDF 文件")
        raise UnsupportedFile(f"文件「{name}」的类型不支持，只能上传{allowed}")
    return kind[0], kind[1], name
