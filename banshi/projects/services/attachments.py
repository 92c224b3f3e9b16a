"""Photos and PDFs on a project: progress photos, 销号佐证 and inspection photos, checked by
content and stored under a random name."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.files.base import File
from django.db import transaction
from django.utils.text import format_lazy

from banshi.audit.services import record_change, snapshot
from banshi.core.errors import NotFound, ValidationFailed
from banshi.core.validation import clean_text
from banshi.projects.choices import TERMINAL_STATUSES, AttachmentKind
from banshi.projects.models import Attachment, Inspection, ProgressReport, Project
from banshi.projects.permissions import can_project, require_project
from banshi.projects.services.ledger import add_event
from banshi.projects.uploads import check_upload

ATTACHMENT_FIELDS = [
    "project",
    "kind",
    "report",
    "inspection",
    "original_name",
    "content_type",
    "size",
    "caption",
]
ATTACHMENT_PERMISSION = {
    AttachmentKind.PROGRESS_PHOTO: ("project.report",),
    AttachmentKind.EVIDENCE: ("project.report",),
    AttachmentKind.INSPECTION_PHOTO: ("project.supervise", "project.lead"),
}


@transaction.atomic
def attachment_add(
    *,
    actor: Any,
    project: Project,
    kind: str,
    uploaded: Any,
    caption: str = "",
    report: ProgressReport | None = None,
    inspection: Inspection | None = None,
) -> Attachment:
    """Store a checked photo or PDF (JPEG/PNG/WebP/PDF by content, ≤ the size limit)."""
    if kind not in AttachmentKind.values:
        raise ValidationFailed("附件类别无效", code="invalid_choice")
    permissions = ATTACHMENT_PERMISSION[AttachmentKind(kind)]
    if actor is not None and not any(can_project(actor, p, project) for p in permissions):
        require_project(actor, permissions[0], project)
    if project.status in TERMINAL_STATUSES:
        raise ValidationFailed("已销号、已取消或已并入的项目不能再上传附件", code="terminal")
    if report is not None and report.project_id != project.pk:
        raise NotFound()
    if inspection is not None and inspection.project_id != project.pk:
        raise NotFound()
    content_type, ext, name = check_upload(uploaded, images_only=kind != AttachmentKind.EVIDENCE)
    caption = clean_text(caption, field="说明", max_length=200, required=False)
    attachment = Attachment(
        project=project,
        kind=kind,
        report=report,
        inspection=inspection,
        original_name=name,
        content_type=content_type,
        size=uploaded.size,
        caption=caption,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    # A random stored name: nothing from the uploader's file name reaches the file system.
    attachment.file.save(f"{secrets.token_hex(12)}.{ext}", File(uploaded), save=False)
    stored = attachment.file.name
    assert stored is not None
    try:
        attachment.save()
    except Exception:
        attachment.file.storage.delete(stored)
        raise
    add_event(
        project,
        actor=actor,
        action="attachment",
        label=format_lazy("上传{}", AttachmentKind(kind).label),
        note=name,
    )
    record_change(
        actor=actor,
        action="project.attachment",
        obj=attachment,
        before=None,
        after={
            **snapshot(attachment, fields=ATTACHMENT_FIELDS),
            "file": attachment.file.name,
        },
    )
    return attachment
