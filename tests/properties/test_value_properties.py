"""Properties of the cell-value parsers: every accepted spelling gives the same value, and
anything else is refused with a Vietnamese reason, never with a crash."""

from __future__ import annotations

import datetime
import unicodedata

from hypothesis import assume, example, given
from hypothesis import strategies as st
from strategies import PROPERTY, names

from dangvien_cli.core.cells import ValueProblem
from dangvien_cli.core.classes import parse_class_name
from dangvien_cli.core.dates import BirthDate, parse_date, parse_day
from dangvien_cli.core.grades import SCALE_CODES, Grade
from dangvien_cli.importing.grade_values import parse_grade
from dangvien_cli.importing.values import parse_code, parse_gender, parse_text, parse_yes_no

D = datetime.date
dates = st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 12, 31))
# Whatever a spreadsheet reader can hand over for one cell.
cells = st.one_of(
    st.text(),
    st.floats(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.none(),
)


def refused_well(problem: ValueProblem) -> None:
    """A reason a person can act on: a Vietnamese sentence."""
    assert problem.reason.endswith("."), problem.reason
    assert any(ord(c) > 127 for c in problem.reason), problem.reason


# --------------------------------------------------------------------------- any cell


@PROPERTY
@given(cells)
def test_every_parser_answers_any_cell_with_a_value_or_a_reason(value: object) -> None:
    for parse in (parse_date, parse_day, parse_code, parse_gender, parse_yes_no, parse_class_name):
        try:
            parse(value)
        except ValueProblem as problem:
            refused_well(problem)
    for kind in ("academic", "conduct"):
        try:
            parse_grade(value, kind=kind)
        except ValueProblem as problem:
            refused_well(problem)


@PROPERTY
@given(cells)
def test_parsed_values_parse_again_to_themselves(value: object) -> None:
    for parse in (parse_code, parse_class_name, parse_text):
        try:
            once = parse(value)
        except ValueProblem:
            continue
        if once is not None:
            assert parse(once) == once


# --------------------------------------------------------------------------- dates

SEPARATORS = ["/", "-", ".", " / ", " - ", "/ "]
LEADS = ["", " ", "\u00a0", "\t", "'", "’"]  # a leading apostrophe is Excel's "text" mark
TIMES = ["", " 00:00:00", " 00:00", "T00:00:00", " 12:30:45.123"]
IN_WORDS = [
    "ngày {d} tháng {m} năm {y}",
    "Ngày {d} tháng {m} năm {y}",
    "NGÀY {d} THÁNG {m} NĂM {y}",
    "ngay {d} thang {m} nam {y}",
    "{d} tháng {m} năm {y}",
    "ngày {d} tháng {m}, năm {y}",
    "ngày {d} tháng {m} năm {y}.",
]


@PROPERTY
@given(
    dates,
    st.sampled_from(SEPARATORS),
    st.booleans(),
    st.booleans(),
    st.sampled_from(LEADS),
    st.sampled_from(TIMES),
)
def test_day_month_year_text_in_every_form(
    day: D, sep: str, zero_day: bool, zero_month: bool, lead: str, time: str
) -> None:
    d = f"{day.day:02d}" if zero_day else str(day.day)
    m = f"{day.month:02d}" if zero_month else str(day.month)
    text = f"{lead}{d}{sep}{m}{sep}{day.year}{time}"
    assert parse_date(text) == BirthDate(day, day.year)
    assert parse_day(text) == day


@PROPERTY
@given(dates, st.sampled_from(["-", "/", "."]), st.sampled_from(TIMES))
def test_year_month_day_text(day: D, sep: str, time: str) -> None:
    text = f"{day.year}{sep}{day.month:02d}{sep}{day.day:02d}{time}"
    assert parse_date(text) == BirthDate(day, day.year)


@PROPERTY
@given(dates, st.sampled_from(IN_WORDS), st.booleans(), st.sampled_from(["NFC", "NFD"]))
def test_dates_in_words(day: D, pattern: str, zeros: bool, form: str) -> None:
    d, m = (f"{day.day:02d}", f"{day.month:02d}") if zeros else (day.day, day.month)
    text = unicodedata.normalize(form, pattern.format(d=d, m=m, y=day.year))
    assert parse_date(text) == BirthDate(day, day.year)


@PROPERTY
@given(dates)
def test_date_cells_and_excel_serials(day: D) -> None:
    assert parse_date(day) == BirthDate(day, day.year)
    noon = datetime.datetime.combine(day, datetime.time(12))
    assert parse_date(noon) == BirthDate(day, day.year)
    serial = (day - D(1899, 12, 30)).days
    assume(serial > 2100)  # below that a number is a year or a mistake, never a serial
    for number in (serial, float(serial), serial + 0.75):
        assert parse_date(number) == BirthDate(day, day.year)


@PROPERTY
@given(st.integers(1900, 2100), st.sampled_from(["int", "float", "text", "text.0", "padded"]))
def test_a_bare_year_is_a_year_of_birth_but_not_a_day(year: int, how: str) -> None:
    value = {
        "int": year,
        "float": float(year),
        "text": str(year),
        "text.0": f"{year}.0",
        "padded": f" {year}\u00a0",
    }[how]
    assert parse_date(value) == BirthDate(None, year)
    try:
        parse_day(value)
    except ValueProblem as problem:
        refused_well(problem)
        assert "ngày/tháng/năm" in problem.reason
    else:  # pragma: no cover - a failing test says why
        raise AssertionError(f"{value!r} accepted as a day")


@PROPERTY
@given(dates)
def test_month_first_is_refused_and_the_reason_says_day_first(day: D) -> None:
    assume(day.day > 12)  # otherwise both readings are dates, and day-first is the rule
    try:
        parse_date(f"{day.month:02d}/{day.day:02d}/{day.year}")
    except ValueProblem as problem:
        assert "ngày/tháng/năm" in problem.reason
    else:  # pragma: no cover
        raise AssertionError("month-first date accepted")


@PROPERTY
@given(dates)
def test_two_digit_years_are_refused_with_both_centuries_suggested(day: D) -> None:
    yy = f"{day.year % 100:02d}"
    try:
        parse_date(f"{day.day:02d}/{day.month:02d}/{yy}")
    except ValueProblem as problem:
        assert "4 chữ số" in problem.reason
        assert f"/20{yy}" in problem.reason and f"/19{yy}" in problem.reason
    else:  # pragma: no cover
        raise AssertionError("two-digit year accepted")


# --------------------------------------------------------------------------- grades

# Every spelling rosters use for each grade: full, abbreviated, without diacritics.
SPELLINGS = {
    "gioi": ["Giỏi", "G", "Gioi", "G."],
    "kha": ["Khá", "K", "Kha"],
    "tb": ["Trung bình", "TB", "Trung binh", "T.B", "TBình", "Tr.bình", "Trung  bình"],
    "yeu": ["Yếu", "Y", "Yeu"],
    "kem": ["Kém", "Kem"],
    "tot": ["Tốt", "T", "Tot"],
    "dat": ["Đạt", "Đ", "Dat", "D"],
    "chua_dat": ["Chưa đạt", "CĐ", "Chua dat", "CD", "C.Đ", "C.đạt", "Không đạt"],
}
RANKS = {"gioi": 4, "tot": 4, "kha": 3, "tb": 2, "dat": 2, "yeu": 1, "chua_dat": 1, "kem": 0}
GRADES = [(scale, kind, code) for (scale, kind), codes in SCALE_CODES.items() for code in codes]
CASES = {
    "as is": lambda t: t,
    "upper": str.upper,
    "lower": str.lower,
    "title": str.title,
    "nfd": lambda t: unicodedata.normalize("NFD", t),
    "padded": lambda t: f"  {t}\u00a0",
}


@PROPERTY
@given(st.sampled_from(GRADES), st.data(), st.sampled_from(list(CASES)))
def test_every_spelling_of_a_grade_on_its_scale(
    grade: tuple[str, str, str], data: st.DataObject, case: str
) -> None:
    scale, kind, code = grade
    text = CASES[case](data.draw(st.sampled_from(SPELLINGS[code])))
    parsed = parse_grade(text, kind=kind, scale=scale)
    assert parsed == Grade(code, scale, RANKS[code])
    # The label the exports write reads back as the same grade.
    assert parse_grade(parsed.label, kind=kind, scale=scale) == parsed


@PROPERTY
@given(st.sampled_from(GRADES), st.data(), st.sampled_from([None, "tt58", "tt22"]))
def test_a_word_only_one_scale_has_decides_the_scale_whatever_the_hint(
    grade: tuple[str, str, str], data: st.DataObject, hint: str | None
) -> None:
    scale, kind, code = grade
    other = "tt22" if scale == "tt58" else "tt58"
    assume(code not in SCALE_CODES[(other, kind)])
    parsed = parse_grade(data.draw(st.sampled_from(SPELLINGS[code])), kind=kind, scale=hint)
    assert parsed == Grade(code, scale, RANKS[code])


# --------------------------------------------------------------------------- codes


@PROPERTY
@given(
    st.integers(0, 10**15 - 1),
    st.integers(0, 4),
    st.sampled_from(["int", "float", "text", "text.0", "apostrophe", "padded", "scientific"]),
)
@example(0, 0, "scientific")  # "0E+0" is the code 0, not a code Excel cut short
def test_a_code_in_every_form_gives_the_same_text(number: int, zeros: int, how: str) -> None:
    digits = str(number)
    if how == "int":
        value, code = number, digits
    elif how == "float":
        value, code = float(number), digits
    elif how == "text":
        value, code = "0" * zeros + digits, "0" * zeros + digits
    elif how == "text.0":
        value, code = f"{digits}.0", digits
    elif how == "apostrophe":
        value, code = "'" + "0" * zeros + digits, "0" * zeros + digits
    elif how == "padded":
        value, code = " \u00a0" + "0" * zeros + digits + " ", "0" * zeros + digits
    else:  # as Excel shows a number in a wide enough column: every digit in the mantissa
        value, code = f"{digits[0]}.{digits[1:]}E+{len(digits) - 1}", digits
    assert parse_code(value) == code


@PROPERTY
@given(st.integers(10**6, 10**15 - 1))
def test_a_code_excel_cut_short_is_refused(number: int) -> None:
    digits = str(number)
    shown = f"{digits[0]}.{digits[1:5]}E+{len(digits) - 1}"  # "2.5036E+09": digits lost
    assume(digits[5:].strip("0"))
    try:
        parse_code(shown)
    except ValueProblem as problem:
        assert "Văn bản" in problem.reason  # says to format the column as Text
    else:  # pragma: no cover
        raise AssertionError(f"{shown} accepted as a code")


@PROPERTY
@given(st.from_regex(r"[A-Za-z][A-Za-z0-9./_-]{0,29}", fullmatch=True))
def test_letter_codes_are_kept_as_written(code: str) -> None:
    assert parse_code(code) == code
    assert parse_code(f"  {code}\u00a0") == code


# --------------------------------------------------------------------------- names

SPACES = [" ", "  ", "\u00a0", "\t", " \u200b", "\u3000", "\u2009"]


@PROPERTY
@given(names, st.lists(st.sampled_from(SPACES), min_size=4, max_size=4))
def test_a_name_however_spaced_and_composed_reads_the_same(name: str, spaces: list[str]) -> None:
    parts = name.split(" ")
    messy = spaces[0] + spaces[1].join(parts) + spaces[2]
    for form in ("NFC", "NFD"):
        assert parse_text(unicodedata.normalize(form, messy)) == name
    assert unicodedata.is_normalized("NFC", parse_text(name) or "")
