"""What a roster value must look like to be believed: a student's name and date of birth.

The value parsers (values.py) say whether a cell can be read at all; these checks say whether
what was read can be a high-school student: a name made of letters, a birth date that gives an
age a school could enrol. Each problem is a Vietnamese reason, as the parsers give.
"""

from __future__ import annotations

import datetime
import unicodedata
from typing import Final

from dangvien_cli.core.cells import ValueProblem
from dangvien_cli.core.dates import BirthDate, parse_date

NAME_MAX: Final = 100  # characters
AGE_MIN: Final = 10  # on the first day of the roster's school year (1 September by default)
AGE_MAX: Final = 70  # continuing-education centres (GDTX) enrol adults


_NAME_PUNCTUATION: Final = frozenset(" -\u2010\u2011'\u2018\u2019\u02bc.,()")


def name_problem(name: str) -> str | None:
    """Why a cleaned name cannot be a person's name, or None. Letters of any script, their
    marks, spaces and punctuation (Ksor H'Nhi, Y-Moan, Nguyễn Thị Lan (B)) are names; digits,
    symbols and emoji are not. Invisible marks were already removed by clean()."""
    if len(name) <= NAME_MAX and name.replace(" ", "").isalpha():
        return None  # nearly every name, at C speed
    if len(name) > NAME_MAX:
        length = f"{len(name):,}".replace(",", ".")
        return (
            f"Họ và tên dài {length} ký tự, quá giới hạn {NAME_MAX}: hãy kiểm tra lại ô này "
            "(có thể đã dán nhầm cả đoạn văn)."
        )
    for ch in name:
        category = unicodedata.category(ch)
        if category[0] in "LM" or ch in _NAME_PUNCTUATION:
            continue
        if category[0] == "N":
            return (
                f"Họ và tên có chữ số (“{ch}”): hãy kiểm tra lại ô này (mã hoặc ngày sinh gõ "
                "nhầm cột?)."
            )
        return (
            f"Họ và tên có ký tự không phải chữ (“{ch}”, {_kind(ch)}): tên trong hồ sơ chỉ "
            "gồm chữ cái. Hãy xóa ký tự đó trong tệp rồi nhập lại."
        )
    return None


def _kind(ch: str) -> str:
    if ord(ch) >= 0x1F000 or 0x2600 <= ord(ch) < 0x2800:
        return "biểu tượng cảm xúc"
    if unicodedata.category(ch)[0] == "C":
        return "ký tự điều khiển"
    return "ký hiệu"


def parse_birth(
    value: object, school_year: int | None, year_start: tuple[int, int] = (1, 9)
) -> BirthDate | None:
    """A date of birth (parse_date), refused when it gives an age no school enrols on the first
    day of the roster's school year: 01/01/1900 (124 years old), 31/12/2100 (not yet born), 2024
    for the school year 2024-2025.

    ``year_start`` is that first day as (day, month): the rule setting
    ``school_year.period_start`` (Rules.school_year_period_start), 1 September by default."""
    birth = parse_date(value)
    if birth is None or school_year is None:
        return birth
    day, month = year_start
    start = datetime.date(school_year, month, day)
    born = birth.date or datetime.date(birth.year, 7, 1)
    shown = birth.date.strftime("%d/%m/%Y") if birth.date else str(birth.year)
    label = f"{school_year}-{school_year + 1}"
    if born > start:
        raise ValueProblem(
            f"Ngày sinh {shown} sau ngày khai giảng năm học {label}: học sinh chưa ra đời. "
            "Hãy kiểm tra lại ô này (gõ nhầm năm?)."
        )
    age = start.year - born.year - ((start.month, start.day) < (born.month, born.day))
    if not AGE_MIN <= age <= AGE_MAX:
        raise ValueProblem(
            f"Ngày sinh {shown} cho học sinh {age} tuổi vào năm học {label}, không hợp lý "
            f"(nhận từ {AGE_MIN} đến {AGE_MAX} tuổi). Hãy kiểm tra lại ô này (gõ nhầm năm?)."
        )
    return birth
