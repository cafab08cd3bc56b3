"""Class names (lớp): "12a1" → "12A1", and the grade (khối) a class name starts with."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from dangvien_cli.core.cells import ValueProblem, unescape_formula
from dangvien_cli.core.cells import fold_value as _fold
from dangvien_cli.core.cells import quote as _quote
from dangvien_cli.core.cells import show_cell as _shown
from dangvien_cli.core.text import clean as _clean

__all__ = ["grade_of_class", "parse_class_name"]


_CLASS_MAX_LENGTH: Final = 50
_CLASS_CODE_RE: Final = re.compile(r"(\d{1,2})([^\W_]{1,4})")
_CLASS_SPACED_RE: Final = re.compile(r"(\d{1,2})\s+([^\W\d_]\d{0,2})")
_CLASS_NUMBERED_RE: Final = re.compile(r"(\d{1,2})\s*([/.\-])\s*(\d{1,2})")
_CLASS_PREFIX_RE: Final = re.compile(r"(?:lop|khoi)(?![^\W\d_])[\s:.\-]*")
_CLASS_GRADE_RE: Final = re.compile(r"(\d{1,2})(?!\d)")
_CLASS_EXAMPLE: Final = "hãy ghi tên lớp như 12A1"


def _class_problem(shown: str, why: str) -> ValueProblem:
    return ValueProblem(f"{_quote(shown)} không phải tên lớp hợp lệ: {why}; {_CLASS_EXAMPLE}.")


def parse_class_name(value: object) -> str | None:
    """A class name: "12a1" → "12A1", "Lớp 12A1" → "12A1", "12 Chuyên Toán" kept as written.

    Short code-like names (a number and up to four letters or digits) are upper-cased; longer
    names keep their case. Numbers (12, 12.0) are rejected: a class name has letters.
    """
    if value is None:
        return None
    if not isinstance(value, str):
        raise _class_problem(_shown(value), "tên lớp phải là chữ, không phải số hay ngày")
    return _class_from_text(value)


@lru_cache(maxsize=4096)
def _class_from_text(value: str) -> str | None:
    text = unescape_formula(_clean(unescape_formula(value)))
    if not text:
        return None
    prefix = _fold(text[:3])
    if prefix == "lop" and (len(text) == 3 or not text[3].isalpha()):
        text = text[3:].lstrip(" :.-")
        if not text:
            raise _class_problem(value.strip(), "thiếu tên lớp sau chữ “Lớp”")
    if len(text) > _CLASS_MAX_LENGTH:
        raise _class_problem(text, f"dài quá {_CLASS_MAX_LENGTH} ký tự")
    if text.isdigit():
        raise _class_problem(text, "tên lớp phải có chữ, không chỉ có số")
    match = _CLASS_CODE_RE.fullmatch(text) or _CLASS_SPACED_RE.fullmatch(text)
    if match is not None:
        return (match.group(1) + match.group(2)).upper()
    match = _CLASS_NUMBERED_RE.fullmatch(text)
    if match is not None:
        return "".join(match.groups())
    return text


@lru_cache(maxsize=4096)
def grade_of_class(name: str) -> int | None:
    """The grade (khối, 6–12) a class name starts with: "12A1" → 12, "Khối 12" → 12."""
    folded = _fold(name)
    prefix = _CLASS_PREFIX_RE.match(folded)
    if prefix is not None:
        folded = folded[prefix.end() :]
    match = _CLASS_GRADE_RE.match(folded)
    if match is None:
        return None
    grade = int(match.group(1))
    return grade if 6 <= grade <= 12 else None
