"""One spreadsheet cell's value as the value parsers see it, and how they report a value that
cannot be used: :class:`ValueProblem` (its ``reason`` is a Vietnamese sentence), the text helpers
the reasons are written with (quoting, showing a cell, numbers as people write them), folding for
comparing values, and taking off a CSV export's formula apostrophe.

The parsers themselves live by subject: dates in core.dates, school years and terms in
core.calendar, class names in core.classes, the roster's other cells in importing.values.
"""

from __future__ import annotations

import datetime
import math
import unicodedata
from typing import Final

from dangvien_cli.core.text import clean

__all__ = [
    "ValueProblem",
    "fold_value",
    "format_number",
    "quote",
    "show_cell",
    "unescape_formula",
]


class ValueProblem(Exception):
    """A cell (or option) value that cannot be used; ``reason`` says why, in Vietnamese."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# Characters that some keyboards and web pages slip into cells and that nobody means.
_INVISIBLE: Final[dict[int, None]] = dict.fromkeys(
    map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None
)
# Vietnamese diacritics are all combining marks in U+0300–U+036F once decomposed (NFD).
_FOLD_TABLE: Final[dict[int, str | None]] = {
    **dict.fromkeys(range(0x300, 0x370), None),
    **_INVISIBLE,
    ord("đ"): "d",
    ord("Đ"): "d",
}


def fold_value(value: str) -> str:
    """Text for comparing values: no diacritics, đ → d, lower-case, single spaces; unlike
    text.fold, symbols such as ✓ are kept (they are values here)."""
    if value.isascii():
        return " ".join(value.lower().split())
    text = unicodedata.normalize("NFD", value).translate(_FOLD_TABLE)
    return " ".join(text.casefold().split())


def quote(text: str) -> str:
    return f"“{text}”"


def format_number(number: float) -> str:
    """A number as a person would write it: 2008.0 → "2008", 8.5 → "8.5"."""
    if math.isfinite(number) and number.is_integer() and abs(number) < 1e16:
        return str(int(number))
    return repr(number)


def show_cell(value: object) -> str:
    """How a cell value is named in a reason."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")


def unescape_formula(text: str) -> str:
    """Take off the apostrophe a CSV export puts before text that would start a formula
    ("'=HYPERLINK(…)" → "=HYPERLINK(…)"; see exporting.escape_formula)."""
    if text[:1] == "'" and text[1:2] in _FORMULA_START:
        return text[1:]
    return text
