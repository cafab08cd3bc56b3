"""Parsing the values of roster cells: codes, yes/no, gender, Youth Union join dates and text
(grades: importing.grade_values).

Every parser takes what a spreadsheet reader hands over for one cell (``str``, ``float``,
``int``, ``bool``, ``datetime.date``/``datetime.datetime``/``datetime.time``/
``datetime.timedelta``, or ``None``; an empty cell is ``""``) and either returns a clean value or
raises :class:`ValueProblem` whose ``reason`` is a Vietnamese sentence naming the value and saying
what to write instead. No parser returns a half-parsed value.

These functions run on every cell of very large files, so text is matched with compiled regular
expressions and dictionary look-ups on folded text, and the parsers of values that repeat
constantly (grades, yes/no, genders) are cached.

The parsers the command line and the lower layers need too live in core: dates in core.dates,
school years and terms in core.calendar, class names in core.classes, :class:`ValueProblem` and
the helpers reasons are written with in core.cells.
"""

from __future__ import annotations

import datetime
import math
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Final

from dangvien_cli.core.cells import ValueProblem, unescape_formula
from dangvien_cli.core.cells import fold_value as _fold
from dangvien_cli.core.cells import format_number as _number_text
from dangvien_cli.core.cells import quote as _quote
from dangvien_cli.core.cells import show_cell as _shown
from dangvien_cli.core.dates import looks_like_date, parse_date, parse_day
from dangvien_cli.core.text import clean as _clean

__all__ = [
    "FEMALE",
    "MALE",
    "parse_code",
    "parse_gender",
    "parse_join_date",
    "parse_text",
    "parse_yes_no",
]


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
    if looks_like_date(text):
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


# --------------------------------------------------------------------------- Youth Union join date

# A join date known to the month or the year only: "03/2023", "tháng 3/2023", "2023".
_PARTIAL_JOIN: Final = re.compile(r"(?:tháng\s*)?(?:\d{1,2}\s*[/.-]\s*)?\d{4}", re.IGNORECASE)
_JOIN_HINT: Final = (
    "hãy ghi ngày/tháng/năm vào Đoàn (ví dụ 26/03/2022), hoặc để trống nếu chưa vào Đoàn"
)


def parse_join_date(raw: object) -> tuple[bool | None, datetime.date | None, bool]:
    """What a cell of a join-date column ("Ngày vào Đoàn", "Thời gian vào đoàn") says: (member,
    join date, whether the date is known only to the month or year). A filled date means a
    member; a mark (x, Có) a member whose date is not given; Không, Chưa, 0 not a member; a blank
    cell says nothing."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, None, False
    if isinstance(raw, datetime.datetime):
        return True, raw.date(), False
    if isinstance(raw, datetime.date):
        return True, raw, False
    text = _shown(raw)
    if _PARTIAL_JOIN.fullmatch(text):
        return True, None, True
    if isinstance(raw, bool) or raw in (0, 1):  # a tick typed as 1 or 0, TRUE or FALSE
        return parse_yes_no(raw), None, False
    if isinstance(raw, str) and not looks_like_date(text):
        try:
            return parse_yes_no(raw), None, False
        except ValueProblem:
            raise ValueProblem(f"“{text}” không phải ngày vào Đoàn; {_JOIN_HINT}.") from None
    try:
        parsed = parse_date(raw)  # "29/02/2023": the reason says what is wrong with the date
    except ValueProblem:
        if isinstance(raw, str):
            raise
        raise ValueProblem(f"“{text}” không phải ngày vào Đoàn; {_JOIN_HINT}.") from None
    if parsed is None:
        return None, None, False
    return True, parsed.date, parsed.date is None


# --------------------------------------------------------------------------- text


def parse_text(value: object) -> str | None:
    """Any cell as clean text (NFC, single spaces); whole numbers lose ".0"; None when empty.

    A leading apostrophe before = + - @ (how a CSV export keeps such text from running as a
    formula) is taken off.
    """
    if value is None:
        return None
    if isinstance(value, str):
        if value[:1] == "'":
            value = unescape_formula(value)  # "'\t…": before the tab becomes a space
        text = _clean(value)
        if text[:1] == "'":
            text = unescape_formula(text)
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
