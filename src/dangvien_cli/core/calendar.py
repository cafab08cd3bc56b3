"""The calendar of a school: school years, terms and the periods reports and targets cover."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Final

from dangvien_cli.core.cells import ValueProblem
from dangvien_cli.core.cells import fold_value as _fold
from dangvien_cli.core.cells import quote as _quote
from dangvien_cli.core.dates import MAX_YEAR, MIN_YEAR
from dangvien_cli.core.errors import UsageError
from dangvien_cli.core.settings import Rules
from dangvien_cli.core.text import clean as _clean


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    label: str  # "năm 2024", "năm học 2024-2025", "từ 01/01/2024 đến 31/12/2025"
    kind: str  # year | school_year | range
    slug: str  # for file names: "2024", "2024-2025", "2024-01-01_2025-12-31"

    def as_json(self) -> dict[str, Any]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "label": self.label}


def period_of(
    *,
    year: int | None,
    school_year: int | None,
    start: date | None,
    end: date | None,
    rules: Rules,
) -> Period:
    """The period a report or target is for: exactly one of a year, a school year, a range."""
    given = sum(x is not None for x in (year, school_year)) + (start is not None or end is not None)
    if given != 1:
        raise UsageError(
            "Hãy chọn đúng một kỳ: --year 2024, --school-year 2024-2025, hoặc --from … --to …."
        )
    if year is not None:
        return Period(date(year, 1, 1), date(year, 12, 31), f"năm {year}", "year", str(year))
    if school_year is not None:
        first = school_year_start(school_year, rules)
        last = school_year_start(school_year + 1, rules) - timedelta(days=1)
        label = f"{school_year}-{school_year + 1}"
        return Period(first, last, f"năm học {label}", "school_year", label)
    if start is None or end is None:
        raise UsageError("Khoảng thời gian cần cả --from và --to.")
    if end < start:
        raise UsageError(f"--to ({end:%d/%m/%Y}) trước --from ({start:%d/%m/%Y}).")
    return Period(
        start,
        end,
        f"từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}",
        "range",
        f"{start.isoformat()}_{end.isoformat()}",
    )


def school_year_start(start_year: int, rules: Rules) -> date:
    day, month = rules.school_year_period_start
    return date(start_year, month, day)


def school_year_label(start: int) -> str:
    """2024 → "2024-2025"."""
    return f"{start}-{start + 1}"


# --------------------------------------------------------------------------- school years, terms

_SCHOOL_YEAR_RE: Final = re.compile(r"(?<!\d)(\d{4})\s*[-–—/]\s*(\d{4})(?!\d)")
_SCHOOL_YEAR_EXAMPLE: Final = "hãy ghi dạng 2024-2025 (hoặc 2024 cho năm học 2024-2025)"


def _valid_start(first: int, second: int) -> bool:
    return second == first + 1 and MIN_YEAR <= first < MAX_YEAR


def parse_school_year(text: str) -> int | None:
    """The first calendar year of a school year found in ``text`` ("NĂM HỌC 2024-2025" → 2024).

    The two years must follow each other; None when no school year is found.
    """
    for match in _SCHOOL_YEAR_RE.finditer(text):
        first, second = int(match.group(1)), int(match.group(2))
        if _valid_start(first, second):
            return first
    return None


def parse_school_year_option(text: str) -> int:
    """The --school-year option: "2024-2025", or "2024" meaning 2024-2025."""
    cleaned = _clean(text)
    if cleaned.isascii() and cleaned.isdigit() and len(cleaned) == 4:
        year = int(cleaned)
        if MIN_YEAR <= year < MAX_YEAR:
            return year
    match = _SCHOOL_YEAR_RE.fullmatch(cleaned)
    if match is not None:
        first, second = int(match.group(1)), int(match.group(2))
        if second != first + 1:
            raise ValueProblem(
                f"{_quote(cleaned)} không phải năm học hợp lệ: năm sau phải lớn hơn năm trước "
                f"đúng 1; {_SCHOOL_YEAR_EXAMPLE}."
            )
        if _valid_start(first, second):
            return first
    else:
        found = parse_school_year(cleaned)
        if found is not None:
            return found
    raise ValueProblem(f"{_quote(cleaned)} không phải năm học hợp lệ; {_SCHOOL_YEAR_EXAMPLE}.")


# On folded text. Alternatives for term II come before term I so "học kỳ II" is never term I;
# the word boundaries keep "hk" and "ky" inside other words ("khối", "kinh") from matching.
_TERM_RE: Final = re.compile(
    r"\b(?:"
    r"(?:hoc\s*k[yi]|hk|k[yi])[\s.:]*(?:(?P<hk2>ii|2|hai)|(?P<hk1>i|1|mot))"
    r"|(?P<cn>ca\s*nam|cuoi\s*nam|cn)"
    r")\b"
)


@lru_cache(maxsize=1024)
def parse_term(text: str) -> str | None:
    """The term a title, header or option names: "hk1", "hk2", "cn" (cả năm), or None.

    "HỌC KỲ I", "Học kì 1", "HK1", "HKI", "KỲ I" → hk1; "HỌC KỲ II", "HK2", "HKII" → hk2;
    "CẢ NĂM", "CN", "Cuối năm" → cn. "NĂM HỌC 2024-2025" alone names no term. When a text
    names several, the first one wins.
    """
    match = _TERM_RE.search(_fold(text))
    if match is None:
        return None
    if match.group("hk2") is not None:
        return "hk2"
    if match.group("hk1") is not None:
        return "hk1"
    return "cn"


def parse_term_option(text: str) -> str:
    """The --term option; raises :class:`ValueProblem` when it names no term."""
    found = parse_term(text)
    if found is None:
        raise ValueProblem(
            f"{_quote(_clean(text))} không phải học kỳ. Học kỳ phải là hk1, hk2 hoặc cn."
        )
    return found


# --------------------------------------------------------------------------- terms

TERMS: tuple[str, ...] = ("hk1", "hk2", "cn")
"""The terms of a school year in the order they end (cả năm is the last of its year): the one
home of the term order; their words are core.labels.TERM_LABELS."""

TERM_RANK: dict[str | None, int] = {None: 0, **{t: i for i, t in enumerate(TERMS, 1)}}
"""A term's place within its school year, to order rosters and results: hk1 1, hk2 2, cn 3, and
0 for a roster of no term (ask with .get(term, 0) for a term not known)."""


def school_year_of(day: date, rules: Rules) -> int:
    """The school year (its first calendar year) that a day falls in."""
    start_day, start_month = rules.school_year_period_start
    return day.year if (day.month, day.day) >= (start_month, start_day) else day.year - 1
