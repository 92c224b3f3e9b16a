"""The CJK font the project ships (``static/banshi/fonts/``; SOURCES.md there says where it comes
from and how it was subset). Pages link ``fonts.css``; the PDF renderer hands WeasyPrint the same
file, so neither depends on a font installed on the machine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

STATIC_DIR = Path(__file__).resolve().parent / "static" / "banshi"
FONT_CSS = STATIC_DIR / "fonts.css"
FONT_DIR = STATIC_DIR / "fonts"
FONT_FAMILY = "Noto Sans SC"
# The shipped files and the PostScript name of the face in each.
FONT_FACES = {
    "NotoSansCJKsc-Regular.subset.woff2": "NotoSansCJKsc-Regular",
    "NotoSansCJKsc-Bold.subset.woff2": "NotoSansCJKsc-Bold",
}

# What the subset keeps (scripts/build_cjk_font.py builds from this; tests/test_fonts.py checks it).
RANGES = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 supplement
    (0x0100, 0x017F),  # Latin Extended-A
    (0x2000, 0x206F),  # general punctuation
    (0x2190, 0x21FF),  # arrows
    (0x2212, 0x2212),  # minus sign
    (0x2460, 0x24FF),  # enclosed numbers ①
    (0x25A0, 0x25FF),  # geometric shapes ●○■□▲
    (0x2600, 0x26FF),  # miscellaneous symbols ★☆
    (0x2713, 0x2716),  # check and cross marks ✓✔✕✖
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0xFF00, 0xFFEF),  # half- and full-width forms
)
# Files whose characters the product prints: templates, code, data; not tests (they hold emoji
# and other junk on purpose), not the vendored libraries.
SCANNED = ("*.py", "*.html", "*.js", "*.csv", "*.geojson", "*.json", "*.txt")
PACKAGE_DIR = Path(__file__).resolve().parent.parent


def gb2312() -> set[int]:
    """Every character of GB 2312 (7,445: 6,763 hanzi and 682 others)."""
    chars = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes([hi, lo]).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return chars


def project_files() -> Iterator[Path]:
    for pattern in SCANNED:
        for path in sorted(PACKAGE_DIR.rglob(pattern)):
            parts = path.relative_to(PACKAGE_DIR).parts
            if not {"tests", "vendor", "migrations"} & set(parts):
                yield path


def project_characters() -> set[int]:
    """The non-ASCII characters of the project's own source and data files."""
    found: set[int] = set()
    for path in project_files():
        found.update(ord(c) for c in path.read_text("utf-8") if ord(c) > 0x7F)
    return found


def wanted_codepoints() -> set[int]:
    codepoints = gb2312() | project_characters()
    for lo, hi in RANGES:
        codepoints.update(range(lo, hi + 1))
    return codepoints
