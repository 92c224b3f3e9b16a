"""Build the CJK web font Banshi ships: Noto Sans CJK SC (Regular and Bold), subset to what the
product writes, as WOFF2 for both the browser pages and the WeasyPrint PDFs.

It uses Debian's ``fonts-noto-cjk`` package (SIL OFL 1.1) and fontTools (already installed as a
WeasyPrint dependency); nothing else is downloaded. Run from the repository root:

    mkdir -p /tmp/noto && (cd /tmp/noto && apt-get download fonts-noto-cjk=1:20220127+repack1-1)
    .venv/bin/python scripts/build_cjk_font.py /tmp/noto/fonts-noto-cjk_*.deb

It rewrites ``banshi/core/static/banshi/fonts/`` (the two .woff2 files and OFL.txt); the same
package version at the same commit gives the same files. Subsetting takes a few minutes.

The character set is ``banshi.core.fonts.wanted_codepoints()``: GB 2312 (all 7,445 characters:
6,763 hanzi plus symbols, Greek, Cyrillic, kana, pinyin letters), Latin, punctuation, arrows,
shapes, the CJK symbols and full-width forms, plus every character that the project's own
non-test source and data files contain (place names such as 㮾梨街道 lie outside GB 2312).
`banshi/core/tests/test_fonts.py` fails when a new one is added without re-running this script.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from banshi.core.fonts import FONT_DIR, FONT_FACES, wanted_codepoints  # noqa: E402

FACES = {  # collection file in the package -> the Simplified Chinese face's PostScript name
    "NotoSansCJK-Regular.ttc": "NotoSansCJKsc-Regular",
    "NotoSansCJK-Bold.ttc": "NotoSansCJKsc-Bold",
}


def face(collection: Path, postscript_name: str) -> TTFont:
    for font in TTCollection(str(collection)).fonts:
        if font["name"].getDebugName(6) == postscript_name:
            return font
    raise SystemExit(f"{postscript_name} not found in {collection}")


def build(font: TTFont, codepoints: Iterable[int], out: Path) -> None:
    # The same as: pyftsubset FONT --unicodes-file=… --flavor=woff2 --layout-features='*'
    #   --name-IDs='*' --name-languages='*' --no-hinting --desubroutinize
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]  # keep vertical forms, locl, proportional punctuation…
    options.name_IDs = ["*"]  # keep copyright, licence and version strings
    options.name_languages = ["*"]
    options.hinting = False  # CFF hints add size and neither Chromium nor WeasyPrint needs them
    options.desubroutinize = True  # compresses better under Brotli
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    font.flavor = "woff2"
    font.recalcTimestamp = False  # keep the release's head.modified: same input, same bytes
    font.save(str(out))


def licence(copyright_file: Path, font: TTFont) -> str:
    """OFL.txt: the font's own copyright notice, then the licence text as Debian ships it."""
    text = copyright_file.read_text("utf-8")
    match = re.search(r"^License: SIL-1\.1\n((?: .*\n)+)", text, re.MULTILINE)
    if not match:
        raise SystemExit("OFL text not found in the package's copyright file")
    body = "\n".join(
        "" if line.strip() == "." else line[1:] for line in match.group(1).splitlines()
    )
    notice = font["name"].getDebugName(0)
    return f"{notice}\n\nThis Font Software is licensed under the SIL Open Font License, Version 1.1.\n\n{body}\n"


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("deb", type=Path, help="fonts-noto-cjk_*.deb from `apt-get download`")
    args = parser.parse_args(argv)
    codepoints = wanted_codepoints()
    FONT_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["dpkg-deb", "-x", str(args.deb), tmp], check=True)  # noqa: S603, S607
        noto = Path(tmp) / "usr/share/fonts/opentype/noto"
        copyright_file = Path(tmp) / "usr/share/doc/fonts-noto-cjk/copyright"
        for collection, name in FACES.items():
            font = face(noto / collection, name)
            if name.endswith("Regular"):
                (FONT_DIR / "OFL.txt").write_text(licence(copyright_file, font), "utf-8")
            out = FONT_DIR / next(file for file, face in FONT_FACES.items() if face == name)
            build(font, codepoints, out)
            print(f"{out.relative_to(ROOT)}: {out.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(sys.argv[1:])
