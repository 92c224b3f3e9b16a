"""Spreadsheet cells for what people typed: always text, never a formula (OWASP "CSV injection").

A spreadsheet reads a cell that starts with ``=`` as a formula, and Excel and WPS do the same for
``+``, ``-``, ``@``, a tab or a carriage return once the cell is edited or the file is CSV; Chinese
input methods type the full-width ＝＋－＠ that some versions accept as well. A citizen who writes
``=HYPERLINK("http://…","点此查看")`` as the request text would otherwise plant a live link (or a
DDE command) in every official's export. So every Excel and CSV writer in Banshi passes its values
through this module, which is the one place that rule lives:

- xlsx: a string is written as a string (``t="inlineStr"``, never ``<f>``), whatever it starts
  with, and a formula-like one also gets the quote prefix (Excel's leading apostrophe), so editing
  the cell later keeps it text. Numbers, dates and empty cells stay what they are.
- CSV: a formula-like string gets a leading apostrophe, as OWASP recommends.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

# What a spreadsheet may take as the start of a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES)


def _as_text(cell: Cell) -> Cell:
    value = cell.value
    if isinstance(value, str):
        # openpyxl types "=…" as a formula and "#N/A" as an error; both must stay words.
        cell.data_type = "s"
        if looks_like_formula(value):
            cell.quotePrefix = True
    return cell


def xlsx_cell(sheet: Any, value: Any) -> Any:
    """``value`` ready for ``sheet.append`` (normal and write-only sheets alike): a string becomes a
    text cell; a cell made by the caller (to carry a font) is made text the same way; anything
    else (numbers, dates, None) is returned as it is."""
    if isinstance(value, Cell):
        return _as_text(value)
    if not isinstance(value, str):
        return value
    # Control characters cannot be stored in xlsx at all (openpyxl raises); input validation
    # refuses them, this keeps an old row from breaking a whole export.
    # row and column are placeholders: ``append`` places the cell.
    return _as_text(Cell(sheet, row=1, column=1, value=ILLEGAL_CHARACTERS_RE.sub("", value)))


def append_row(sheet: Any, values: Iterable[Any]) -> None:
    """Append one row of values to ``sheet``, every string as text."""
    sheet.append([xlsx_cell(sheet, value) for value in values])


def csv_value(value: Any) -> Any:
    """One CSV field: a formula-like string prefixed with an apostrophe; anything else as it is."""
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value
