"""What the export tests look for inside an .xlsx: formulas (there must be none) and the text."""

from __future__ import annotations

import io
import re
import zipfile

from openpyxl import load_workbook

# Citizen and staff text that a spreadsheet would run if it were written as a formula.
PAYLOADS = [
    '=HYPERLINK("http://evil.example/","点此查看")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "＝1+1",
]


def formulas(content: bytes) -> list[str]:
    """Every ``<f>`` element in every sheet of the workbook."""
    found: list[str] = []
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                found += re.findall(r"<f[ >].*?</f>|<f/>", archive.read(name).decode())
    return found


def cells(content: bytes) -> list[object]:
    """Every non-empty value of every sheet, as openpyxl reads it back."""
    book = load_workbook(io.BytesIO(content))
    return [
        value
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
