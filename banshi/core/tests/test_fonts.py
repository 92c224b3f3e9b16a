"""The project ships its CJK font: the files, their licence and coverage, and the stylesheet that
pages and PDFs share (the PDF side is tested in projects/tests/test_pdf.py)."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import pytest
from fontTools.ttLib import TTFont

from banshi.core.fonts import (
    FONT_CSS,
    FONT_DIR,
    FONT_FACES,
    FONT_FAMILY,
    gb2312,
    project_characters,
)


@cache
def _cmap(file: str) -> frozenset[int]:
    return frozenset(TTFont(FONT_DIR / file).getBestCmap())


def test_the_stylesheet_declares_both_shipped_faces_under_one_family() -> None:
    css = FONT_CSS.read_text("utf-8")
    for file in FONT_FACES:
        assert (FONT_DIR / file).stat().st_size > 1_000_000
        assert f'url("fonts/{file}") format("woff2")' in css
    assert css.count(f'font-family: "{FONT_FAMILY}"') == 2
    assert re.findall(r"font-weight: (\d+)", css) == ["400", "700"]


def test_the_licence_and_the_sources_note_travel_with_the_font() -> None:
    ofl = (FONT_DIR / "OFL.txt").read_text("utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in ofl and "Adobe" in ofl
    sources = (FONT_DIR / "SOURCES.md").read_text("utf-8")
    assert "fonts-noto-cjk" in sources and "scripts/build_cjk_font.py" in sources


@pytest.mark.parametrize("file", sorted(FONT_FACES))
def test_each_face_is_the_one_named_and_covers_gb2312(file: str) -> None:
    font = TTFont(FONT_DIR / file)
    assert font["name"].getDebugName(6) == FONT_FACES[file]
    missing = gb2312() - _cmap(file)
    assert not missing, "".join(chr(c) for c in sorted(missing))


@pytest.mark.parametrize("file", sorted(FONT_FACES))
def test_each_face_covers_every_chinese_character_the_project_writes(file: str) -> None:
    """A new place name or label with a character outside the subset fails here: re-run
    scripts/build_cjk_font.py (see fonts/SOURCES.md)."""
    chinese = {
        c
        for c in project_characters()
        if unicodedata.name(chr(c), "").startswith(("CJK UNIFIED", "CJK COMPATIBILITY IDEO"))
        or 0x3000 <= c <= 0x303F
        or 0xFF00 <= c <= 0xFFEF
    }
    missing = chinese - _cmap(file)
    assert not missing, "".join(chr(c) for c in sorted(missing))
