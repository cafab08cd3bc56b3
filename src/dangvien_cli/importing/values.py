"""Parsing the values of roster cells: dates, codes, grades, yes/no, gender, school years and terms.

Every parser takes what a spreadsheet reader hands over for one cell (``str``, ``float``,
``int``, ``bool``, ``datetime.date``/``datetime.datetime``/``datetime.time``/
``datetime.timedelta``, or ``None``; an empty cell is ``""``) and either returns a clean value or
raises :class:`ValueProblem` whose ``reason`` is a Vietnamese sentence naming the value and saying
what to write instead. No parser returns a half-parsed value.

These functions run on every cell of very large files, so text is matched with compiled regular
expressions and dictionary look-ups on folded text, and the parsers of values that repeat
constantly (grades, yes/no, genders, dates) are cached.
"""

from __future__ import annotations

import datetime
import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Final

from dangvien_cli.core.grades import ACADEMIC, CONDUCT, SCALE_CODES, TT22, TT58, Grade
from dangvien_cli.core.grades import (
    GRADE_RANKS as _GRADE_RANKS,
)
from dangvien_cli.core.labels import TERM_LABELS
from dangvien_cli.core.text import clean

__all__ = [
    "ACADEMIC",
    "CONDUCT",
    "FEMALE",
    "MALE",
    "MAX_YEAR",
    "MIN_YEAR",
    "SCALE_CODES",
    "TERM_LABELS",
    "TT22",
    "TT58",
    "BirthDate",
    "Grade",
    "ValueProblem",
    "default_scale",
    "grade_of_class",
    "is_ambiguous",
    "parse_class_name",
    "parse_code",
    "parse_date",
    "parse_day",
    "parse_gender",
    "parse_grade",
    "parse_school_year",
    "parse_school_year_option",
    "parse_term",
    "parse_term_option",
    "parse_text",
    "parse_yes_no",
    "scale_from_header",
]


class ValueProblem(Exception):
    """A cell (or option) value that cannot be used; ``reason`` says why, in Vietnamese."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --------------------------------------------------------------------------- text helpers

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


# One definition of clean text for the whole program (the text module's, with its fast path).
_clean = clean


def _fold(value: str) -> str:
    """Text for comparing values: no diacritics, đ → d, lower-case, single spaces; unlike
    text.fold, symbols such as ✓ are kept (they are values here)."""
    if value.isascii():
        return " ".join(value.lower().split())
    text = unicodedata.normalize("NFD", value).translate(_FOLD_TABLE)
    return " ".join(text.casefold().split())


def _quote(text: str) -> str:
    return f"“{text}”"


def _number_text(number: float) -> str:
    """A number as a person would write it: 2008.0 → "2008", 8.5 → "8.5"."""
    if math.isfinite(number) and number.is_integer() and abs(number) < 1e16:
        return str(int(number))
    return repr(number)


def _shown(value: object) -> str:
    """How a cell value is named in a reason."""
    if isinstance(value, str):
        return _clean(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return _number_text(value)
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


# --------------------------------------------------------------------------- dates

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


# --------------------------------------------------------------------------- student codes

_CODE_MAX_LENGTH: Final = 30
_CODE_RE: Final = re.compile(r"[\w./-]+")
_WHOLE_FLOAT_TEXT_RE: Final = re.compile(r"(\d+)\.0+")
_SCIENTIFIC_RE: Final = re.compile(r"[+-]?(\d+)(?:[.,](\d*))?[eE]([+-]?\d+)")
_SIGNED_NUMBER_RE: Final = re.compile(r"[+-]?\d*[.,]?\d+")
_CODE_HINT: Final = "hãy định dạng cột mã là Văn bản (Text) trong Excel và ghi lại mã đầy đủ"


def _code_problem(shown: str, why: str) -> ValueProblem:
    return ValueProblem(f"Mã {_quote(shown)} không hợp lệ: {why}.")


def _code_from_number(number: float | int) -> str:
    if isinstance(number, float):
        if number.is_integer() and 0 <= number < 1e15:  # exact: below 2**53
            return str(int(number))
        shown = _shown(number)
        if not math.isfinite(number):
            raise _code_problem(shown, "không phải một mã")
        if not number.is_integer():
            raise _code_problem(shown, "mã không có phần thập phân")
        if number < 0:
            raise _code_problem(shown, "mã không phải số âm")
        raise _code_problem(
            shown, f"số quá dài nên Excel đã làm tròn các chữ số cuối; {_CODE_HINT}"
        )
    if number < 0:
        raise _code_problem(str(number), "mã không phải số âm")
    code = str(number)
    if len(code) > _CODE_MAX_LENGTH:
        raise _code_problem(code, f"mã dài quá {_CODE_MAX_LENGTH} ký tự")
    return code


def _code_from_scientific(match: re.Match[str], shown: str) -> str:
    try:
        number = Decimal(match.group(0).replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
        raise _code_problem(shown, "không phải một mã") from None
    if number < 0:
        raise _code_problem(shown, "mã không phải số âm")
    if number != number.to_integral_value():
        raise _code_problem(shown, "mã không có phần thập phân")
    code = str(int(number))
    if len(code) > _CODE_MAX_LENGTH:
        raise _code_problem(shown, f"mã dài quá {_CODE_MAX_LENGTH} ký tự")
    # "2.50366E+09" is what Excel shows for 2503656229 in a narrow column: the digits after the
    # sixth are lost, and the number it spells is someone else's code (or nobody's). A mantissa
    # with fewer digits than the code cannot be trusted.
    mantissa_digits = (match.group(1) + (match.group(2) or "")).lstrip("0") or "0"
    if len(mantissa_digits) < len(code):
        raise _code_problem(shown, f"mã bị Excel viết dạng số mũ nên mất chữ số; {_CODE_HINT}")
    return code


def parse_code(value: object) -> str | None:
    """A student code (or any identifier) kept as text; None when the cell is empty.

    Numbers read by Excel lose their ".0"; text keeps its leading zeros; spaces around and a
    leading apostrophe are removed. Rejects negative and fractional numbers, spaces inside,
    characters other than letters, digits and - / _ ., and codes longer than 30 characters.
    """
    if value is None:
        return None
    if isinstance(value, str):
        if value.isascii() and value.isdigit():
            if len(value) > _CODE_MAX_LENGTH:
                raise _code_problem(value, f"mã dài quá {_CODE_MAX_LENGTH} ký tự")
            return value
        text = _clean(value)
        if text[:1] in ("'", "’", "‘", "`"):
            text = text[1:].strip()
        if not text:
            return None
        if text.isascii() and text.isdigit():
            if len(text) > _CODE_MAX_LENGTH:
                raise _code_problem(text, f"mã dài quá {_CODE_MAX_LENGTH} ký tự")
            return text
        match = _WHOLE_FLOAT_TEXT_RE.fullmatch(text)
        if match is not None:
            return _code_from_number(int(match.group(1)))
        match = _SCIENTIFIC_RE.fullmatch(text)
        if match is not None:
            return _code_from_scientific(match, text)
        if _SIGNED_NUMBER_RE.fullmatch(text):
            if text.startswith("-"):
                raise _code_problem(text, "mã không phải số âm")
            raise _code_problem(text, "mã không có phần thập phân")
        if " " in text:
            raise _code_problem(text, "mã không được có dấu cách ở giữa")
        if not _CODE_RE.fullmatch(text):
            raise _code_problem(text, "mã chỉ được gồm chữ, chữ số và các dấu “-”, “/”, “_”, “.”")
        if len(text) > _CODE_MAX_LENGTH:
            raise _code_problem(text, f"mã dài quá {_CODE_MAX_LENGTH} ký tự")
        return text
    if isinstance(value, bool):
        raise _code_problem(_shown(value), "không phải một mã")
    if isinstance(value, int | float):
        return _code_from_number(value)
    raise _code_problem(_shown(value), "không phải một mã")


# --------------------------------------------------------------------------- grades

# Folded text with everything but letters and digits removed → grade code.
_GRADE_WORDS: Final[dict[str, str]] = {
    "gioi": "gioi",
    "g": "gioi",
    "kha": "kha",
    "k": "kha",
    "trungbinh": "tb",
    "tb": "tb",
    "tbinh": "tb",
    "trbinh": "tb",
    "yeu": "yeu",
    "y": "yeu",
    "kem": "kem",
    "tot": "tot",
    "t": "tot",
    "dat": "dat",
    "d": "dat",
    "chuadat": "chua_dat",
    "cd": "chua_dat",
    "cdat": "chua_dat",
    "khongdat": "chua_dat",
}
_TITLE_WORDS: Final = frozenset({"htxs", "hsxs", "hsg", "hstt", "hocsinhgioi", "hocsinhtientien"})
_NOT_ALNUM_RE: Final = re.compile(r"[^a-z0-9]+")
_SCORE_RE: Final = re.compile(r"\d+(?:[.,]\d+)?")
_KIND_NAMES: Final[dict[str, str]] = {
    ACADEMIC: "học lực (kết quả học tập)",
    CONDUCT: "hạnh kiểm (kết quả rèn luyện)",
}
_KIND_SHORT: Final[dict[str, str]] = {ACADEMIC: "học lực", CONDUCT: "hạnh kiểm"}
_ACCEPTED_GRADES: Final[dict[str, str]] = {
    ACADEMIC: "Giỏi/Khá/Trung bình/Yếu/Kém (TT58) hoặc Tốt/Khá/Đạt/Chưa đạt (TT22)",
    CONDUCT: "Tốt/Khá/Trung bình/Yếu (TT58) hoặc Tốt/Khá/Đạt/Chưa đạt (TT22)",
}


def _check_kind(kind: str, scale: str | None) -> None:
    if kind not in _KIND_NAMES:
        raise ValueError(f"kind must be 'academic' or 'conduct', not {kind!r}")
    if scale is not None and scale not in (TT58, TT22):
        raise ValueError(f"scale must be 'tt58', 'tt22' or None, not {scale!r}")


def _grade_key(text: str) -> str:
    return _NOT_ALNUM_RE.sub("", _fold(text))


def _grade_candidates(key: str, kind: str) -> tuple[str, ...]:
    """The scales on which the grade word ``key`` is a valid result of ``kind``."""
    code = _GRADE_WORDS.get(key)
    if code is None:
        return ()
    return tuple(s for s in (TT58, TT22) if code in SCALE_CODES[(s, kind)])


@lru_cache(maxsize=4096)
def _grade_from_text(value: str, kind: str, scale: str | None) -> Grade | None:
    text = _clean(value)
    if not text:
        return None
    key = _grade_key(text)
    code = _GRADE_WORDS.get(key)
    accepted = _ACCEPTED_GRADES[kind]
    if code is None:
        if "xuatsac" in key or "tientien" in key or key in _TITLE_WORDS:
            raise ValueProblem(
                f"{_quote(text)} là danh hiệu thi đua, không phải {_KIND_SHORT[kind]}; "
                f"hãy ghi {accepted}."
            )
        if _SCORE_RE.fullmatch(text):
            raise ValueProblem(
                f"{_quote(text)} là điểm số, không phải xếp loại {_KIND_SHORT[kind]}; "
                f"hãy ghi {accepted}."
            )
        raise ValueProblem(
            f"{_quote(text)} không phải {_KIND_NAMES[kind]} hợp lệ; hãy ghi {accepted}."
        )
    scales = _grade_candidates(key, kind)
    if not scales:
        raise ValueProblem(
            f"{_quote(text)} không dùng cho {_KIND_NAMES[kind]}; hãy ghi {accepted}."
        )
    if len(scales) == 1:
        chosen = scales[0]
    elif scale in scales:
        chosen = scale
    else:
        chosen = TT58
    return Grade(code, chosen, _GRADE_RANKS[code])


def parse_grade(value: object, *, kind: str, scale: str | None = None) -> Grade | None:
    """A học lực / hạnh kiểm (TT58) or kết quả học tập / rèn luyện (TT22); None when empty.

    ``kind`` is "academic" or "conduct"; ``scale`` is a hint ("tt58", "tt22" or None). A value
    that only one scale has decides the scale whatever the hint (people mix scales); a value
    both scales have (Khá; Tốt or T as conduct) takes the hint, or TT58 without one — use
    :func:`is_ambiguous` to settle a column's scale from its other values first.
    """
    _check_kind(kind, scale)
    if value is None:
        return None
    if isinstance(value, str):
        return _grade_from_text(value, kind, scale)
    if isinstance(value, int | float) and not isinstance(value, bool):
        shown = _shown(value)
        raise ValueProblem(
            f"{_quote(shown)} là điểm số, không phải xếp loại {_KIND_SHORT[kind]}; "
            f"hãy ghi {_ACCEPTED_GRADES[kind]}."
        )
    raise ValueProblem(
        f"{_quote(_shown(value))} không phải {_KIND_NAMES[kind]} hợp lệ; "
        f"hãy ghi {_ACCEPTED_GRADES[kind]}."
    )


@lru_cache(maxsize=4096)
def _ambiguous_text(value: str, kind: str) -> bool:
    return len(_grade_candidates(_grade_key(_clean(value)), kind)) > 1


def is_ambiguous(value: object, kind: str) -> bool:
    """Whether ``value`` is a valid grade of ``kind`` on both scales (so its scale needs a hint)."""
    _check_kind(kind, None)
    return isinstance(value, str) and _ambiguous_text(value, kind)


_TT22_HEADER_RE: Final = re.compile(r"\bket qua (?:hoc tap|ren luyen)\b|\bkqht\b|\bkqrl\b")
_TT58_HEADER_RE: Final = re.compile(r"\bhoc luc\b|\bhanh kiem\b|^(?:hl|hk)$")


def scale_from_header(header_folded: str) -> str | None:
    """The scale a column header names: "Kết quả học tập/rèn luyện" → tt22, "Học lực/Hạnh kiểm"
    → tt58, else None. Takes the folded header (folding again does no harm)."""
    header = _fold(header_folded)
    if _TT22_HEADER_RE.search(header):
        return TT22
    if _TT58_HEADER_RE.search(header):
        return TT58
    return None


def default_scale(school_year_start: int, grade: int | None) -> str:
    """The scale a class used in a school year when its file does not say.

    TT22 reached grade 6 in 2021-22, grades 7 and 10 in 2022-23, 8 and 11 in 2023-24, 9 and 12
    in 2024-25. With the grade unknown: TT22 from 2024-25 on (every grade had it), else TT58.
    """
    if grade is not None and 10 <= grade <= 12:
        return TT22 if school_year_start - (grade - 10) >= 2022 else TT58
    if grade is not None and 6 <= grade <= 9:
        return TT22 if school_year_start - (grade - 6) >= 2021 else TT58
    return TT22 if school_year_start >= 2024 else TT58


# --------------------------------------------------------------------------- yes / no, gender

_YES_WORDS: Final = frozenset(
    {
        "x",
        "✓",
        "✔",
        "☑",
        "√",
        "co",
        "c",
        "1",
        "dv",
        "doan vien",
        "la doan vien",
        "la dv",
        "yes",
        "y",
        "roi",
        "da",
        "true",
    }
)
_NO_WORDS: Final = frozenset(
    {
        "0",
        "khong",
        "k",
        "ko",
        "no",
        "n",
        "-",
        "–",
        "—",
        "chua",
        "khong phai",
        "false",
    }
)
_YES_NO_HINT: Final = "hãy ghi x, Có hoặc 1 nếu có; để trống, Không hoặc 0 nếu không"


@lru_cache(maxsize=1024)
def _yes_no_from_text(value: str) -> bool:
    text = _clean(value)
    if not text:
        return False
    key = _fold(text)
    if key in _YES_WORDS:
        return True
    if key in _NO_WORDS:
        return False
    if _DMY_RE.fullmatch(text) or _YMD_RE.fullmatch(text):
        # A join date written in the "Đoàn viên" column means yes (if it is a real date).
        return parse_day(text) is not None
    raise ValueProblem(f"{_quote(text)} không phải giá trị có/không hợp lệ; {_YES_NO_HINT}.")


def parse_yes_no(value: object) -> bool:
    """Yes/no marks ("x", "Có", "1", "ĐV", ✓…) → True; blank, "0", "Không", "-"… → False.

    A blank cell counts as False: the caller decides whether a blank column means "unknown".
    A date (a join date written in the column) counts as True.
    """
    if value is None:
        return False
    if isinstance(value, str):
        return _yes_no_from_text(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if value == 1:
            return True
        if value == 0:
            return False
    elif isinstance(value, datetime.date):
        return True
    raise ValueProblem(
        f"{_quote(_shown(value))} không phải giá trị có/không hợp lệ; {_YES_NO_HINT}."
    )


MALE: Final = "Nam"
FEMALE: Final = "Nữ"
_GENDER_WORDS: Final[dict[str, str]] = {
    "nam": MALE,
    "nam gioi": MALE,
    "m": MALE,
    "male": MALE,
    "trai": MALE,
    "nu": FEMALE,
    "nu gioi": FEMALE,
    "n": FEMALE,
    "f": FEMALE,
    "female": FEMALE,
    "gai": FEMALE,
}


@lru_cache(maxsize=256)
def _gender_from_text(value: str) -> str | None:
    text = _clean(value)
    if not text:
        return None
    found = _GENDER_WORDS.get(_fold(text).rstrip("."))
    if found is None:
        raise ValueProblem(f"{_quote(text)} không phải giới tính hợp lệ; hãy ghi Nam hoặc Nữ.")
    return found


def parse_gender(value: object) -> str | None:
    """ "Nam" or "Nữ" from the usual spellings (Nam/M/male, Nữ/Nu/N/F/female); None when empty."""
    if value is None:
        return None
    if isinstance(value, str):
        return _gender_from_text(value)
    raise ValueProblem(f"{_quote(_shown(value))} không phải giới tính hợp lệ; hãy ghi Nam hoặc Nữ.")


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


# --------------------------------------------------------------------------- classes, text

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
    text = _unescape_formula(_clean(_unescape_formula(value)))
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


_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")


def _unescape_formula(text: str) -> str:
    """Take off the apostrophe a CSV export puts before text that would start a formula
    ("'=HYPERLINK(…)" → "=HYPERLINK(…)"; see exporting.escape_formula)."""
    if text[:1] == "'" and text[1:2] in _FORMULA_START:
        return text[1:]
    return text


def parse_text(value: object) -> str | None:
    """Any cell as clean text (NFC, single spaces); whole numbers lose ".0"; None when empty.

    A leading apostrophe before = + - @ (how a CSV export keeps such text from running as a
    formula) is taken off.
    """
    if value is None:
        return None
    if isinstance(value, str):
        if value[:1] == "'":
            value = _unescape_formula(value)  # "'\t…": before the tab becomes a space
        text = _clean(value)
        if text[:1] == "'":
            text = _unescape_formula(text)
        return text or None
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return _number_text(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time():
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M") if value.second == 0 else value.strftime("%H:%M:%S")
    return _clean(str(value)) or None
