"""The calendar of a school: school years, terms and the periods reports and targets cover."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from dangvien_cli.core.errors import UsageError
from dangvien_cli.core.settings import Rules


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
