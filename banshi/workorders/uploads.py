"""Checking uploaded photos and PDFs: by their bytes, not their names, with a size cap."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile

from banshi.core.errors import ValidationFailed
from banshi.core.files import sniff

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 9


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    content_type: str
    size: int
    name: str


def check_files(files: list[UploadedFile], *, max_bytes: int = MAX_BYTES) -> list[CheckedFile]:
    if len(files) > MAX_FILES:
        raise ValidationFailed(f"附件最多{MAX_FILES}个", code="too_many_files")
    checked = []
    for upload in files:
        name = (upload.name or "附件")[:200]
        size = upload.size or 0
        if size > max_bytes:
            raise ValidationFailed(
                f"附件“{name}”超过{max_bytes // (1024 * 1024)}MB", code="file_too_large"
            )
        if size == 0:
            raise ValidationFailed(f"附件“{name}”是空文件", code="empty_file")
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        sniffed = sniff(head)
        if sniffed is None:
            raise ValidationFailed(
                f"附件“{name}”类型不支持，只能上传 JPEG、PNG、WebP 图片或 PDF", code="bad_file_type"
            )
        checked.append(CheckedFile(upload, sniffed[0], size, name))
    return checked
