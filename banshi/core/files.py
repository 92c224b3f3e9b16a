"""What an uploaded file really is, from its first bytes (never its name or the browser's word)."""

from __future__ import annotations


def sniff(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a JPEG, PNG, WebP or PDF file, or None for anything else."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", "png"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", "webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf", "pdf"
    return None
