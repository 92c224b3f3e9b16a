"""What an uploaded file really is, from its first bytes (never its name or the browser's word)."""

from __future__ import annotations

EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "application/pdf": "pdf",
}


def sniff(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a JPEG, PNG, WebP or PDF file, or None for anything else."""
    kind = None
    if head.startswith(b"\xff\xd8\xff"):
        kind = "image/jpeg"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "image/png"
    elif len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        kind = "image/webp"
    elif head.startswith(b"%PDF-"):
        kind = "application/pdf"
    return (kind, EXTENSIONS[kind]) if kind else None
