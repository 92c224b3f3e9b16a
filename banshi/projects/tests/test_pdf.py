"""The cadence PDFs: set in the font the project ships (embedded whatever the machine has), the
check that refuses a PDF without an embedded CJK font, and tables that keep short names whole."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from banshi.core.fonts import FONT_FAMILY
from banshi.projects import reports
from banshi.projects.choices import Status
from banshi.projects.reports import (
    Report,
    embedded_fonts,
    font_family_key,
    has_cjk_font,
    render_pdf,
)
from banshi.projects.tests.conftest import Scene

DESCRIPTOR = b"<< /Type /FontDescriptor /FontName /ABCDEF+Noto-Sans-SC /Flags 4 %s>>"


def test_a_font_that_is_only_named_does_not_count_as_embedded() -> None:
    named = b"%PDF-1.7\n" + DESCRIPTOR % b"" + b"\n<< /Type /FontDescriptor /FontFile2 9 0 R >>"
    assert embedded_fonts(named) == [] and not has_cjk_font(named)
    embedded = b"%PDF-1.7\n" + DESCRIPTOR % b"/FontFile3 7 0 R "
    assert embedded_fonts(embedded) == ["ABCDEF+Noto-Sans-SC"]
    assert has_cjk_font(embedded)
    latin = embedded.replace(b"Noto-Sans-SC", b"DejaVuSans")
    assert embedded_fonts(latin) == ["ABCDEF+DejaVuSans"] and not has_cjk_font(latin)


def test_a_pdf_embeds_the_shipped_regular_and_bold_faces() -> None:
    """Whatever the machine has installed; .ci/run also runs this with system CJK fonts hidden."""
    report = Report(heading="实事项目周梳理（测试）", summary={"在推项目": 0}, projects=[])
    pdf = render_pdf(
        "projects/pdf/cadence.html", {"report": report, "generated_at": timezone.now()}
    )
    shipped = FONT_FAMILY.replace(" ", "")
    assert {shipped, f"{shipped}Bold"} <= {font_family_key(n) for n in embedded_fonts(pdf)}


def _walk(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()):
        yield from _walk(child)


def _cells_with_text(document: Any, text: str) -> list[tuple[str, int]]:
    """(cell text, number of lines) for every table cell whose text contains ``text``."""
    from weasyprint.formatting_structure import boxes

    found = []
    for page in document.pages:
        for box in _walk(page._page_box):
            if not isinstance(box, boxes.TableCellBox):
                continue
            words = "".join(b.text for b in _walk(box) if isinstance(b, boxes.TextBox))
            if text in words:
                lines = sum(1 for b in _walk(box) if isinstance(b, boxes.LineBox))
                found.append((words, lines))
    return found


def test_pdf_tables_never_split_a_three_character_name_across_lines(scene: Scene) -> None:
    scene.leader.name = "欧阳娟"
    scene.leader.save(update_fields=["name"])
    long_name = "新大塘社区老旧小区自来水管网改造及二次供水加压设备更新暨雨污分流配套工程" * 2
    for i in range(3):
        scene.project(Status.IN_PROGRESS, name=f"{long_name}{i}")
    now = timezone.now()
    # The quarter still running, so the projects made above are in its ledger.
    local = timezone.localtime(now)
    report = reports.quarterly(now, f"{local.year}-Q{(local.month - 1) // 3 + 1}")
    assert any(row[3] == "欧阳娟" for row in report.tables[2]["rows"])
    document = reports.pdf_document(
        "projects/pdf/cadence.html", {"report": report, "generated_at": now}
    )
    cells = _cells_with_text(document, "欧阳娟")
    # The ledger's 牵头领导 column and the laggards table's, once per project each.
    assert len(cells) == 6
    assert all(lines == 1 for _, lines in cells), cells
    dates = _cells_with_text(document, f"{(now + datetime.timedelta(days=30)):%Y-%m-%d}")
    assert dates and all(lines == 1 for _, lines in dates), dates
