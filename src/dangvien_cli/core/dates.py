"""Dates as people write them in Vietnamese schools: day first, never month first.

:func:`parse_date` reads a date of birth (a full date, or only the year), :func:`parse_day` a
full date (of a milestone, or the --as-of option). Both take what a spreadsheet reader hands over
for one cell (text, a number, an Excel serial, a date cell) and either return a clean value or
raise :class:`~dangvien_cli.core.cells.ValueProblem` saying, in Vietnamese, what to write
instead. They run on every cell of very large files, so they are cached.
"""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from dangvien_cli.core.cells import ValueProblem
from dangvien_cli.core.cells import fold_value as _fold
from dangvien_cli.core.cells import format_number as _number_text
from dangvien_cli.core.cells import quote as _quote
from dangvien_cli.core.cells import show_cell as _shown
from dangvien_cli.core.text import clean as _clean

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "BirthDate",
    "looks_like_date",
    "parse_date",
    "parse_day",
]


MIN_YEAR: Final = 1900
MAX_YEAR: Final = 2100


@dataclass(frozen=True, slots=True)
class BirthDate:
    """A date of birth; ``date`` is None when only the year is known."""

    date: datetime.date | None
    year: int

    @property
    def iso(self) -> str:
        """The ISO date, or the four-digit year when only the year is known."""
        if self.date is not None:
            return self.date.isoformat()
        return f"{self.year:04d}"


_DATE_EXAMPLE: Final = "05/03/2007"
_DAY_EXAMPLE: Final = "25/10/2024"

_TIME_PART: Final = r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DMY_RE: Final = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d+)" + _TIME_PART)
_YMD_RE: Final = re.compile(r"(\d{4})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})" + _TIME_PART)
# On folded text: "ngày 05 tháng 03 năm 2007", "05 tháng 3, năm 2007".
_WORDS_RE: Final = re.compile(
    r"(?:ngay[\s,]*)?(\d{1,2})[\s,]*thang[\s,]*(\d{1,2})[\s,]*(?:nam[\s,]*)?(\d+)\.?"
)
_YEAR_RE: Final = re.compile(r"(\d{4})(?:\.0+)?")
_HAS_LETTER_RE: Final = re.compile(r"[^\W\d_]")
_EXCEL_EPOCH: Final = datetime.date(1899, 12, 30)


def _excel_serial_date(serial: float) -> datetime.date:
    """Convert an Excel serial (1900 date system) to a date.

    Day 1 is 1900-01-01; Excel also counts a 29 February 1900 that never was (serial 60), so
    serials after it are one day ahead of a plain count.
    """
    day = math.floor(serial)
    if day < 1:
        raise ValueProblem(f"Số {_quote(_number_text(serial))} không phải ngày hợp lệ.")
    if day == 60:
        raise ValueProblem(
            "Ngày 29/02/1900 không tồn tại (1900 không phải năm nhuận); "
            "hãy ghi lại ngày theo dạng ngày/tháng/năm."
        )
    try:
        if day < 60:
            return datetime.date(1899, 12, 31) + datetime.timedelta(days=day)
        return _EXCEL_EPOCH + datetime.timedelta(days=day)
    except OverflowError:
        raise ValueProblem(
            f"Số {_quote(_number_text(serial))} không phải ngày hợp lệ: quá lớn để là một ngày."
        ) from None


def _format_hint(allow_year: bool) -> str:
    if allow_year:
        return (
            f"hãy ghi ngày/tháng/năm với năm đủ 4 chữ số, ví dụ {_DATE_EXAMPLE}, "
            "hoặc chỉ ghi năm sinh (ví dụ 2007) nếu không rõ ngày"
        )
    return f"hãy ghi ngày/tháng/năm với năm đủ 4 chữ số, ví dụ {_DAY_EXAMPLE}"


def _check_year(year: int, shown: str | datetime.date) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        if isinstance(shown, datetime.date):
            shown = shown.strftime("%d/%m/%Y")
        raise ValueProblem(
            f"{_quote(shown)} không phải ngày hợp lệ: năm {year} nằm ngoài khoảng "
            f"{MIN_YEAR}–{MAX_YEAR}."
        )


def _year_only(year: int, shown: str, allow_year: bool) -> BirthDate:
    _check_year(year, shown)
    if not allow_year:
        raise ValueProblem(
            f"{_quote(shown)} chỉ có năm; cần ngày đầy đủ (ngày/tháng/năm), ví dụ {_DAY_EXAMPLE}."
        )
    return BirthDate(None, year)


def _build_date(
    day: int, month: int, year_text: str, shown: str, *, year_first: bool = False
) -> datetime.date:
    """Check and assemble a day/month/year read from text, explaining what is wrong."""
    if len(year_text) == 2:
        raise ValueProblem(
            f"{_quote(shown)} ghi năm bằng 2 chữ số; hãy ghi năm đủ 4 chữ số, "
            f"ví dụ {day:02d}/{month:02d}/20{year_text} hoặc {day:02d}/{month:02d}/19{year_text}."
        )
    if len(year_text) != 4:
        raise ValueProblem(
            f"{_quote(shown)} không phải ngày hợp lệ: năm phải có 4 chữ số, ví dụ {_DATE_EXAMPLE}."
        )
    year = int(year_text)
    if month > 12 and 1 <= day <= 12 and month <= 31 and not year_first:
        raise ValueProblem(
            f"{_quote(shown)} không phải ngày hợp lệ: ngày phải ghi theo thứ tự "
            f"ngày/tháng/năm (không có tháng {month})."
        )
    if not 1 <= month <= 12:
        raise ValueProblem(
            f"{_quote(shown)} không phải ngày hợp lệ: không có tháng {month}; "
            f"hãy ghi theo thứ tự ngày/tháng/năm, ví dụ {_DATE_EXAMPLE}."
        )
    _check_year(year, shown)
    if not 1 <= day <= 31:
        raise ValueProblem(f"{_quote(shown)} không phải ngày hợp lệ: không có ngày {day}.")
    try:
        return datetime.date(year, month, day)
    except ValueError:
        pass
    if month == 2 and day == 29:
        raise ValueProblem(
            f"Ngày 29/02/{year} không tồn tại ({year} không phải năm nhuận, "
            "tháng 2 chỉ có 28 ngày)."
        ) from None
    raise ValueProblem(
        f"Ngày {day:02d}/{month:02d}/{year} không tồn tại (tháng {month} không có ngày {day})."
    ) from None


@lru_cache(maxsize=65536)
def _date_from_text(value: str, allow_year: bool) -> BirthDate | None:
    text = _clean(value).lstrip("'’‘`").strip()
    if not text:
        return None
    match = _DMY_RE.fullmatch(text)
    if match is not None:
        day, month, year_text = match.groups()
        found = _build_date(int(day), int(month), year_text, text)
        return BirthDate(found, found.year)
    match = _YEAR_RE.fullmatch(text)
    if match is not None:
        return _year_only(int(match.group(1)), match.group(1), allow_year)
    match = _YMD_RE.fullmatch(text)
    if match is not None:
        year_text, month, day = match.groups()
        found = _build_date(int(day), int(month), year_text, text, year_first=True)
        return BirthDate(found, found.year)
    match = _WORDS_RE.fullmatch(_fold(text))
    if match is not None:
        day, month, year_text = match.groups()
        found = _build_date(int(day), int(month), year_text, text)
        return BirthDate(found, found.year)
    if _HAS_LETTER_RE.search(text):
        raise ValueProblem(f"{_quote(text)} không phải ngày; {_format_hint(allow_year)}.")
    raise ValueProblem(f"{_quote(text)} không đúng dạng ngày; {_format_hint(allow_year)}.")


def _date_from_number(number: float, allow_year: bool) -> BirthDate:
    shown = _number_text(number)
    if not math.isfinite(number):
        raise ValueProblem(f"{_quote(shown)} không phải ngày; {_format_hint(allow_year)}.")
    if number.is_integer() and MIN_YEAR <= number <= MAX_YEAR:
        return _year_only(int(number), shown, allow_year)
    if number <= MAX_YEAR:
        # Below 2101 and not a year: as an Excel serial this would be a day in 1900–1905,
        # which no roster means; it is a typing mistake (a day, an age, a row number…).
        raise ValueProblem(
            f"Số {_quote(shown)} không phải ngày hay năm hợp lệ; {_format_hint(allow_year)}."
        )
    found = _excel_serial_date(number)
    _check_year(found.year, found)
    return BirthDate(found, found.year)


@lru_cache(maxsize=65536)
def _date_from_cell(value: datetime.date) -> BirthDate:
    _check_year(value.year, value)
    return BirthDate(value, value.year)


def _date_value(value: object, allow_year: bool) -> BirthDate | None:
    if type(value) is datetime.date:
        return _date_from_cell(value)
    if value is None:
        return None
    if isinstance(value, str):
        return _date_from_text(value, allow_year)
    if isinstance(value, datetime.datetime):
        return _date_from_cell(value.date())
    if isinstance(value, datetime.date):  # a subclass of date
        return _date_from_cell(datetime.date(value.year, value.month, value.day))
    if isinstance(value, bool):
        raise ValueProblem(f"{_quote(_shown(value))} không phải ngày; {_format_hint(allow_year)}.")
    if isinstance(value, int | float):
        return _date_from_number(float(value), allow_year)
    if isinstance(value, datetime.time | datetime.timedelta):
        raise ValueProblem(
            f"{_quote(str(value))} là giờ, không phải ngày; {_format_hint(allow_year)}."
        )
    raise ValueProblem(f"{_quote(str(value))} không phải ngày; {_format_hint(allow_year)}.")


def parse_date(value: object) -> BirthDate | None:
    """A date of birth: a full date, or only the year; None when the cell is empty.

    Accepts date cells; text "dd/mm/yyyy" (also "d/m/yyyy", with "-" or "." and spaces,
    never month first), "yyyy-mm-dd" and "ngày 05 tháng 03 năm 2007"; a bare year (2008,
    2008.0, "2008"); any other number above 2100 as an Excel serial date.
    """
    return _date_value(value, allow_year=True)


def parse_day(value: object) -> datetime.date | None:
    """A full date (of a milestone): as :func:`parse_date`, but a bare year is an error."""
    result = _date_value(value, allow_year=False)
    if result is None:
        return None
    assert result.date is not None  # guaranteed by allow_year=False
    return result.date


def looks_like_date(text: str) -> bool:
    """Whether clean ``text`` is written like a date with numbers ("05/03/2007", "2007-03-05")."""
    return _DMY_RE.fullmatch(text) is not None or _YMD_RE.fullmatch(text) is not None
