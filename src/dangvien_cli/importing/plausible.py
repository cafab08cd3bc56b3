"""What a roster value must look like to be believed: a student's name and date of birth.

The value parsers (values.py) say whether a cell can be read at all; these checks say whether
what was read can be a high-school student: a name made of letters, a birth date that gives an
age a school could enrol. Each problem is a Vietnamese reason, as the parsers give.
"""

from __future__ import annotations

import datetime
from typing import Final

from dangvien_cli.core.cells import ValueProblem
from dangvien_cli.core.dates import BirthDate, parse_date

AGE_MIN: Final = 10  # on the first day of the roster's school year (1 September by default)
AGE_MAX: Final = 70  # continuing-education centres (GDTX) enrol adults


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
