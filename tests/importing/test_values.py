"""Tests of the cell-value parsers, with every spelling the sample rosters use."""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangvien_cli.core.calendar import (
    parse_school_year,
    parse_school_year_option,
    parse_term,
    parse_term_option,
    school_year_label,
)
from dangvien_cli.core.cells import ValueProblem, fold_value
from dangvien_cli.core.classes import grade_of_class, parse_class_name
from dangvien_cli.core.dates import BirthDate, _excel_serial_date, parse_date, parse_day
from dangvien_cli.core.grades import SCALE_CODES, Grade
from dangvien_cli.core.labels import TERM_LABELS
from dangvien_cli.core.text import clean
from dangvien_cli.importing.grade_values import (
    default_scale,
    is_ambiguous,
    parse_grade,
    scale_from_header,
)
from dangvien_cli.importing.values import parse_code, parse_gender, parse_text, parse_yes_no

D = datetime.date
NFD = unicodedata.normalize("NFD", "Khá")
_VIETNAMESE_LETTERS = set("ạảãàáâậầấẩẫăắằặẳẵêếềệểễéèẹẻẽôốồộổỗơớờợởỡóòọỏõưứừựửữúùụủũíìịỉĩýỳỵỷỹđ")


def reason_of(parse: Callable[[object], object], value: object) -> str:
    """The reason ``parse`` gives for rejecting ``value``, checked to be a Vietnamese sentence."""
    with pytest.raises(ValueProblem) as caught:
        parse(value)
    reason = caught.value.reason
    assert str(caught.value) == reason
    assert _VIETNAMESE_LETTERS & set(reason.lower()), reason
    assert reason.endswith("."), reason
    return reason


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("24/05/2007", D(2007, 5, 24)),
        ("06/11/2007", D(2007, 11, 6)),
        ("10/9/2007", D(2007, 9, 10)),
        ("8/8/2007", D(2007, 8, 8)),
        ("1/8/2007", D(2007, 8, 1)),
        ("03/04/2007", D(2007, 4, 3)),  # never month-first: 3 April
        ("12/04/2007", D(2007, 4, 12)),
        ("05-03-2007", D(2007, 3, 5)),
        ("05.03.2007", D(2007, 3, 5)),
        (" 05 / 03 / 2007 ", D(2007, 3, 5)),
        ("\u00a005/03/2007\u00a0", D(2007, 3, 5)),
        ("'05/03/2007", D(2007, 3, 5)),
        ("15/03/2007 00:00:00", D(2007, 3, 15)),
        ("2007-03-15", D(2007, 3, 15)),
        ("2007-03-15 00:00:00", D(2007, 3, 15)),
        ("ngày 05 tháng 03 năm 2007", D(2007, 3, 5)),
        ("Ngày 5 tháng 3 năm 2007", D(2007, 3, 5)),
        ("NGÀY 05 THÁNG 03 NĂM 2007", D(2007, 3, 5)),
        (unicodedata.normalize("NFD", "ngày 05 tháng 03 năm 2007"), D(2007, 3, 5)),
        ("29/02/2008", D(2008, 2, 29)),
        ("01/01/1900", D(1900, 1, 1)),
        ("31/12/2100", D(2100, 12, 31)),
        (D(2008, 1, 16), D(2008, 1, 16)),
        (D(2023, 3, 9), D(2023, 3, 9)),
        (datetime.datetime(2007, 3, 25, 0, 0), D(2007, 3, 25)),
        (datetime.datetime(2007, 3, 25, 14, 30), D(2007, 3, 25)),
        (39000.0, D(2006, 10, 10)),
        (39000, D(2006, 10, 10)),
        (39000.75, D(2006, 10, 10)),
        (45000.0, D(2023, 3, 15)),
    ],
)
def test_parse_date_full(value: object, expected: datetime.date) -> None:
    assert parse_date(value) == BirthDate(expected, expected.year)
    assert parse_day(value) == expected


@pytest.mark.parametrize("value", [2008, 2008.0, "2008", " 2008 ", "2008.0", 1900, 2100.0])
def test_parse_date_year_only(value: object) -> None:
    result = parse_date(value)
    assert result is not None
    assert result.date is None
    assert result.year == int(float(str(value).strip()))
    assert result.iso == str(result.year)


@pytest.mark.parametrize("value", [2008, 2008.0, "2008"])
def test_parse_day_rejects_year_only(value: object) -> None:
    reason = reason_of(parse_day, value)
    assert "2008" in reason
    assert "cần ngày đầy đủ" in reason


def test_birth_date_iso() -> None:
    assert BirthDate(D(2007, 3, 5), 2007).iso == "2007-03-05"
    assert BirthDate(None, 2008).iso == "2008"


@pytest.mark.parametrize("value", ["", None, "   ", "\u00a0", "\u200b", "'"])
def test_parse_date_empty(value: object) -> None:
    assert parse_date(value) is None
    assert parse_day(value) is None


@pytest.mark.parametrize(
    ("value", "fragments"),
    [
        ("31/02/2007", ["Ngày 31/02/2007 không tồn tại (tháng 2 không có ngày 31)."]),
        ("31/04/2007", ["31/04/2007", "tháng 4 không có ngày 31"]),
        ("29/02/2007", ["29/02/2007", "2007 không phải năm nhuận"]),
        (
            "02/13/2007",
            [
                "“02/13/2007” không phải ngày hợp lệ: ngày phải ghi theo thứ tự "
                "ngày/tháng/năm (không có tháng 13)."
            ],
        ),
        ("13/25/2007", ["“13/25/2007”", "không có tháng 25"]),
        ("05/00/2007", ["“05/00/2007”", "không có tháng 0"]),
        ("00/05/2007", ["“00/05/2007”", "không có ngày 0"]),
        ("32/01/2007", ["“32/01/2007”", "không có ngày 32"]),
        ("05/03/07", ["“05/03/07”", "4 chữ số", "05/03/2007"]),
        ("5/3/207", ["“5/3/207”", "4 chữ số"]),
        ("01/01/1899", ["“01/01/1899”", "1899", "1900–2100"]),
        ("01/01/2101", ["2101", "1900–2100"]),
        ("1899", ["1899", "1900–2100"]),
        ("2101", ["2101", "1900–2100"]),
        ("không rõ", ["“không rõ”", "không phải ngày", "05/03/2007"]),
        ("Chỉ có năm sinh", ["“Chỉ có năm sinh”", "không phải ngày"]),
        ("05/2007", ["“05/2007”", "không đúng dạng ngày"]),
        ("05032007", ["“05032007”"]),
        ("39000", ["“39000”"]),
        ("2024-13-01", ["“2024-13-01”", "không có tháng 13"]),
        (12.0, ["“12”", "không phải ngày"]),
        (60.0, ["“60”"]),
        (0, ["“0”"]),
        (-5.0, ["“-5”"]),
        (2008.5, ["“2008.5”"]),
        (100000.0, ["năm 2173", "1900–2100"]),
        (1e12, ["“1000000000000”"]),
        (float("nan"), ["“nan”"]),
        (True, ["“TRUE”"]),
        (D(1850, 1, 1), ["01/01/1850", "1900–2100"]),
        (datetime.time(8, 30), ["“08:30:00”", "giờ"]),
        (datetime.timedelta(hours=5), ["“5:00:00”", "giờ"]),
    ],
)
def test_parse_date_problems(value: object, fragments: list[str]) -> None:
    reason = reason_of(parse_date, value)
    for fragment in fragments:
        assert fragment in reason
    assert reason_of(parse_day, value)


def test_iso_order_is_not_called_month_first() -> None:
    reason = reason_of(parse_date, "2024-13-01")
    assert "không có tháng 13" in reason
    assert "ngày phải ghi theo thứ tự" not in reason


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        (1, D(1900, 1, 1)),
        (59, D(1900, 2, 28)),
        (61, D(1900, 3, 1)),
        (367, D(1901, 1, 1)),
        (39000, D(2006, 10, 10)),
        (73415, D(2100, 12, 31)),
    ],
)
def test_excel_serial(serial: int, expected: datetime.date) -> None:
    assert _excel_serial_date(serial) == expected


def test_excel_serial_fake_leap_day() -> None:
    with pytest.raises(ValueProblem, match="29/02/1900"):
        _excel_serial_date(60)


@given(st.integers(min_value=2101, max_value=73415))
def test_serial_numbers_match_excel(serial: int) -> None:
    expected = D(1899, 12, 30) + datetime.timedelta(days=serial)
    assert parse_day(float(serial)) == expected


dates = st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 12, 31))


@given(dates)
def test_dd_mm_yyyy_round_trip(day: datetime.date) -> None:
    result = parse_date(day.strftime("%d/%m/%Y"))
    assert result is not None
    assert result.date == day
    assert result.year == day.year


@given(dates, st.sampled_from(["/", "-", ".", " / "]))
def test_d_m_yyyy_round_trip(day: datetime.date, separator: str) -> None:
    text = separator.join([str(day.day), str(day.month), str(day.year)])
    result = parse_date(text)
    assert result is not None
    assert result.date == day
    assert parse_day(text) == day


@given(dates)
def test_date_cells_round_trip(day: datetime.date) -> None:
    assert parse_date(day) == BirthDate(day, day.year)
    assert parse_day(datetime.datetime.combine(day, datetime.time(12))) == day


# --------------------------------------------------------------------------- codes


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1221528852", "1221528852"),
        (" 1221528852 ", "1221528852"),
        (1200145576.0, "1200145576"),
        (2503656229.0, "2503656229"),
        (2503656229, "2503656229"),
        ("2503656229.0", "2503656229"),
        ("2503656229.00", "2503656229"),
        ("2.503656229E+09", "2503656229"),
        ("2.503656229e9", "2503656229"),
        ("2,503656229E+09", "2503656229"),
        ("'0123", "0123"),
        ("’0123", "0123"),
        ("012207068939", "012207068939"),
        ("0", "0"),
        (0, "0"),
        ("HS001", "HS001"),
        ("CN-24-301", "CN-24-301"),
        ("141-QĐ/ĐU", "141-QĐ/ĐU"),
        ("HS.2024_01", "HS.2024_01"),
        ("a" * 30, "a" * 30),
        ("1" * 30, "1" * 30),
    ],
)
def test_parse_code(value: object, expected: str) -> None:
    assert parse_code(value) == expected


@pytest.mark.parametrize("value", ["", None, "  ", "'", "\u00a0"])
def test_parse_code_empty(value: object) -> None:
    assert parse_code(value) is None


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (-5, "số âm"),
        (-5.0, "số âm"),
        ("-123", "số âm"),
        (12.5, "phần thập phân"),
        ("12.5", "phần thập phân"),
        ("1.5E+00", "phần thập phân"),
        ("12 34", "dấu cách"),
        ("ab#c", "chữ, chữ số"),
        ("HS@01", "chữ, chữ số"),
        ("a" * 31, "30 ký tự"),
        ("1" * 31, "30 ký tự"),
        (10**31, "30 ký tự"),
        (1e16, "làm tròn"),
        ("2.50366E+09", "mất chữ số"),
        (float("nan"), "không phải một mã"),
        (True, "không phải một mã"),
        (D(2007, 1, 1), "không phải một mã"),
    ],
)
def test_parse_code_problems(value: object, fragment: str) -> None:
    reason = reason_of(parse_code, value)
    assert fragment in reason
    assert reason.startswith("Mã “")


@given(st.integers(min_value=1, max_value=10**15 - 1))
def test_codes_round_trip(number: int) -> None:
    assert parse_code(str(number)) == str(number)
    assert parse_code(float(number)) == str(number)
    assert parse_code(number) == str(number)
    assert parse_code(repr(float(number))) == str(number)  # "123.0"
    digits = len(str(number)) - 1
    assert parse_code(f"{number:.{digits}E}") == str(number)


# --------------------------------------------------------------------------- grades

ACADEMIC_CASES: list[tuple[object, str | None, str, str]] = [
    # TT58 full words, as in the vnEdu / multi-class samples
    ("Giỏi", None, "gioi", "tt58"),
    ("Khá", "tt58", "kha", "tt58"),
    ("Trung bình", None, "tb", "tt58"),
    ("Yếu", None, "yeu", "tt58"),
    ("Kém", None, "kem", "tt58"),
    ("GIỎI", None, "gioi", "tt58"),
    ("gioi", None, "gioi", "tt58"),
    ("Gioi", None, "gioi", "tt58"),
    ("Trung binh", None, "tb", "tt58"),
    ("TRUNG BÌNH", None, "tb", "tt58"),
    (" trung  bình ", None, "tb", "tt58"),
    ("Yeu", None, "yeu", "tt58"),
    ("Kem", None, "kem", "tt58"),
    ("TB", None, "tb", "tt58"),
    ("T.B", None, "tb", "tt58"),
    ("Tb", None, "tb", "tt58"),
    ("tb", None, "tb", "tt58"),
    ("G", None, "gioi", "tt58"),
    ("Y", None, "yeu", "tt58"),
    # Khá is on both scales: the hint decides, TT58 without one
    ("Khá", None, "kha", "tt58"),
    ("KHA", None, "kha", "tt58"),
    ("kha", "tt22", "kha", "tt22"),
    ("Kha", "tt22", "kha", "tt22"),
    ("K", "tt22", "kha", "tt22"),
    ("K", "tt58", "kha", "tt58"),
    (NFD, "tt22", "kha", "tt22"),
    (NFD, None, "kha", "tt58"),
    # TT22, as in the SMAS sample
    ("Tốt", None, "tot", "tt22"),
    ("Tốt", "tt58", "tot", "tt22"),  # TT58 học lực has no Tốt
    ("Tot", None, "tot", "tt22"),
    ("T", None, "tot", "tt22"),
    ("Đạt", None, "dat", "tt22"),
    ("Dat", "tt22", "dat", "tt22"),
    ("Đ", None, "dat", "tt22"),
    ("D", None, "dat", "tt22"),
    ("CĐ", None, "chua_dat", "tt22"),
    ("CD", None, "chua_dat", "tt22"),
    ("Chưa đạt", None, "chua_dat", "tt22"),
    ("Chưa Đạt", None, "chua_dat", "tt22"),
    ("chua dat", None, "chua_dat", "tt22"),
    ("CĐạt", None, "chua_dat", "tt22"),
    ("C.Đ", None, "chua_dat", "tt22"),
    (unicodedata.normalize("NFD", "Chưa đạt"), None, "chua_dat", "tt22"),
    # a value that proves its scale wins over the hint (people mix scales)
    ("Giỏi", "tt22", "gioi", "tt58"),
    ("TB", "tt22", "tb", "tt58"),
    ("Đạt", "tt58", "dat", "tt22"),
    ("CĐ", "tt58", "chua_dat", "tt22"),
]

CONDUCT_CASES: list[tuple[object, str | None, str, str]] = [
    ("Tốt", "tt58", "tot", "tt58"),
    ("Tốt", "tt22", "tot", "tt22"),
    ("Tốt", None, "tot", "tt58"),
    ("Tot", "tt22", "tot", "tt22"),
    ("T", "tt22", "tot", "tt22"),
    ("T", None, "tot", "tt58"),
    ("Khá", "tt58", "kha", "tt58"),
    ("Kha", "tt22", "kha", "tt22"),
    ("K", "tt22", "kha", "tt22"),
    ("TB", None, "tb", "tt58"),
    ("TB", "tt22", "tb", "tt58"),
    ("Trung bình", None, "tb", "tt58"),
    ("Yếu", None, "yeu", "tt58"),
    ("Đ", None, "dat", "tt22"),
    ("Đạt", "tt58", "dat", "tt22"),
    ("Chưa đạt", None, "chua_dat", "tt22"),
    ("CĐ", None, "chua_dat", "tt22"),
]

RANKS = {"gioi": 4, "tot": 4, "kha": 3, "tb": 2, "dat": 2, "yeu": 1, "chua_dat": 1, "kem": 0}


@pytest.mark.parametrize(("value", "hint", "code", "scale"), ACADEMIC_CASES)
def test_parse_academic_grade(value: object, hint: str | None, code: str, scale: str) -> None:
    assert parse_grade(value, kind="academic", scale=hint) == Grade(code, scale, RANKS[code])


@pytest.mark.parametrize(("value", "hint", "code", "scale"), CONDUCT_CASES)
def test_parse_conduct_grade(value: object, hint: str | None, code: str, scale: str) -> None:
    assert parse_grade(value, kind="conduct", scale=hint) == Grade(code, scale, RANKS[code])


@pytest.mark.parametrize("kind", ["academic", "conduct"])
@pytest.mark.parametrize("value", ["", None, "   "])
def test_parse_grade_empty(value: object, kind: str) -> None:
    assert parse_grade(value, kind=kind, scale=None) is None


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("gioi", "Giỏi"),
        ("kha", "Khá"),
        ("tb", "Trung bình"),
        ("yeu", "Yếu"),
        ("kem", "Kém"),
        ("tot", "Tốt"),
        ("dat", "Đạt"),
        ("chua_dat", "Chưa đạt"),
    ],
)
def test_grade_label(code: str, label: str) -> None:
    assert Grade(code, "tt58", RANKS[code]).label == label


def test_xuat_sac_is_a_title() -> None:
    reason = reason_of(lambda v: parse_grade(v, kind="academic", scale=None), "Xuất sắc")
    assert reason == (
        "“Xuất sắc” là danh hiệu thi đua, không phải học lực; hãy ghi Giỏi/Khá/Trung bình/Yếu/Kém "
        "(TT58) hoặc Tốt/Khá/Đạt/Chưa đạt (TT22)."
    )


@pytest.mark.parametrize(
    ("value", "kind", "fragments"),
    [
        ("Hoàn thành xuất sắc", "academic", ["“Hoàn thành xuất sắc”", "danh hiệu thi đua"]),
        ("Xuat sac", "conduct", ["danh hiệu thi đua", "không phải hạnh kiểm"]),
        ("Học sinh giỏi", "academic", ["danh hiệu thi đua"]),
        ("Tiên tiến", "academic", ["danh hiệu thi đua"]),
        (8.5, "academic", ["“8.5”", "điểm số"]),
        (8, "academic", ["“8”", "điểm số"]),
        ("8,5", "academic", ["“8,5”", "điểm số"]),
        ("7.0", "conduct", ["“7.0”", "điểm số"]),
        ("abc", "academic", ["“abc”", "Giỏi/Khá/Trung bình/Yếu/Kém", "Tốt/Khá/Đạt/Chưa đạt"]),
        ("abc", "conduct", ["“abc”", "Tốt/Khá/Trung bình/Yếu (TT58)", "hạnh kiểm"]),
        ("Giỏi", "conduct", ["“Giỏi”", "hạnh kiểm", "Tốt/Khá/Trung bình/Yếu"]),
        ("Kém", "conduct", ["“Kém”", "hạnh kiểm"]),
        ("Hoàn thành", "academic", ["“Hoàn thành”"]),
        (True, "academic", ["“TRUE”"]),
        (D(2007, 1, 1), "conduct", ["“01/01/2007”"]),
    ],
)
def test_parse_grade_problems(value: object, kind: str, fragments: list[str]) -> None:
    reason = reason_of(lambda v: parse_grade(v, kind=kind, scale=None), value)
    for fragment in fragments:
        assert fragment in reason


def test_parse_grade_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError):
        parse_grade("Khá", kind="hoc luc", scale=None)
    with pytest.raises(ValueError):
        parse_grade("Khá", kind="academic", scale="TT22")


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        ("Khá", "academic", True),
        ("K", "academic", True),
        (NFD, "conduct", True),
        ("Tốt", "conduct", True),
        ("T", "conduct", True),
        ("Tot", "conduct", True),
        ("Tốt", "academic", False),
        ("Giỏi", "academic", False),
        ("TB", "conduct", False),
        ("Đạt", "conduct", False),
        ("CĐ", "academic", False),
        ("Xuất sắc", "academic", False),
        ("", "academic", False),
        (None, "academic", False),
        (8.5, "academic", False),
    ],
)
def test_is_ambiguous(value: object, kind: str, expected: bool) -> None:
    assert is_ambiguous(value, kind) is expected


ALL_GRADES = [
    (kind, Grade(code, scale, RANKS[code]))
    for (scale, kind), codes in SCALE_CODES.items()
    for code in codes
]


@pytest.mark.parametrize(("kind", "grade"), ALL_GRADES)
def test_grade_labels_round_trip(kind: str, grade: Grade) -> None:
    label = grade.label
    folded = fold_value(label)
    for text in (label, label.upper(), label.lower(), folded, unicodedata.normalize("NFD", label)):
        assert parse_grade(text, kind=kind, scale=grade.scale) == grade


@given(st.sampled_from(ALL_GRADES), st.sampled_from(["", " ", "  "]))
def test_grade_labels_round_trip_property(pair: tuple[str, Grade], padding: str) -> None:
    kind, grade = pair
    assert parse_grade(padding + grade.label + padding, kind=kind, scale=grade.scale) == grade
    # Without a hint the scale is the one the label proves, or TT58 for shared words.
    parsed = parse_grade(grade.label, kind=kind, scale=None)
    assert parsed is not None
    assert parsed.code == grade.code
    assert parsed.rank == grade.rank
    if not is_ambiguous(grade.label, kind):
        assert parsed == grade


def test_grade_ranks_order_the_scales() -> None:
    for (scale, kind), codes in SCALE_CODES.items():
        ranks = [g.rank for c in codes if (g := parse_grade(c, kind=kind, scale=scale))]
        assert ranks == sorted(ranks, reverse=True), (scale, kind)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("ket qua hoc tap", "tt22"),
        ("ket qua ren luyen", "tt22"),
        ("Kết quả học tập", "tt22"),
        ("kqht", "tt22"),
        ("hoc luc", "tt58"),
        ("hanh kiem", "tt58"),
        ("xep loai hoc luc", "tt58"),
        ("Hạnh kiểm", "tt58"),
        ("hl", "tt58"),
        ("hk", "tt58"),
        ("hoc ky i", None),
        ("ho va ten", None),
        ("", None),
    ],
)
def test_scale_from_header(header: str, expected: str | None) -> None:
    assert scale_from_header(header) == expected


@pytest.mark.parametrize(
    ("year", "grade", "expected"),
    [
        (2021, 10, "tt58"),
        (2022, 10, "tt22"),
        (2022, 11, "tt58"),
        (2023, 11, "tt22"),
        (2023, 12, "tt58"),
        (2024, 12, "tt22"),
        (2025, 12, "tt22"),
        (2024, 10, "tt22"),
        (2021, None, "tt58"),
        (2022, None, "tt58"),
        (2023, None, "tt58"),
        (2024, None, "tt22"),
        (2030, None, "tt22"),
        (2021, 6, "tt22"),
        (2022, 8, "tt58"),
        (2023, 9, "tt58"),
        (2024, 9, "tt22"),
    ],
)
def test_default_scale(year: int, grade: int | None, expected: str) -> None:
    assert default_scale(year, grade) == expected


# --------------------------------------------------------------------------- yes / no


@pytest.mark.parametrize(
    "value",
    [
        "x",
        "X",
        " x ",
        "✓",
        "√",
        "có",
        "Có",
        "CÓ",
        unicodedata.normalize("NFD", "Có"),
        "co",
        "c",
        "1",
        1,
        1.0,
        True,
        "đv",
        "ĐV",
        "là đoàn viên",
        "Là đoàn viên",
        "yes",
        "y",
        "rồi",
        D(2023, 3, 9),
        datetime.datetime(2023, 3, 9, 0, 0),
        "09/03/2023",
    ],
)
def test_parse_yes(value: object) -> None:
    assert parse_yes_no(value) is True


@pytest.mark.parametrize(
    "value",
    ["", None, "  ", "0", 0, 0.0, "không", "Không", "khong", "k", "no", "n", "-", False],
)
def test_parse_no(value: object) -> None:
    assert parse_yes_no(value) is False


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("có lẽ", "“có lẽ”"),
        ("2", "“2”"),
        (2, "“2”"),
        (0.5, "“0.5”"),
        ("abc", "“abc”"),
        (datetime.time(8, 0), "“08:00:00”"),
        ("31/02/2023", "31/02/2023"),
    ],
)
def test_parse_yes_no_problems(value: object, fragment: str) -> None:
    reason = reason_of(parse_yes_no, value)
    assert fragment in reason


def test_yes_no_reason_lists_accepted_values() -> None:
    reason = reason_of(parse_yes_no, "abc")
    assert "x, Có hoặc 1" in reason
    assert "Không hoặc 0" in reason


# --------------------------------------------------------------------------- gender


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Nam", "Nam"),
        ("nam", "Nam"),
        ("NAM", "Nam"),
        (" Nam ", "Nam"),
        ("M", "Nam"),
        ("male", "Nam"),
        ("Male", "Nam"),
        ("Nữ", "Nữ"),
        ("nữ", "Nữ"),
        ("NỮ", "Nữ"),
        ("nu", "Nữ"),
        ("Nu", "Nữ"),
        (unicodedata.normalize("NFD", "Nữ"), "Nữ"),
        ("N", "Nữ"),
        ("F", "Nữ"),
        ("female", "Nữ"),
        ("nữ giới", "Nữ"),
        ("Nam giới", "Nam"),
        ("", None),
        (None, None),
        ("  ", None),
    ],
)
def test_parse_gender(value: object, expected: str | None) -> None:
    assert parse_gender(value) == expected


@pytest.mark.parametrize("value", ["1", 1, 0, "0", "x", "Không rõ", True, "N÷"])
def test_parse_gender_problems(value: object) -> None:
    reason = reason_of(parse_gender, value)
    assert "Nam hoặc Nữ" in reason
    assert "“" in reason


# --------------------------------------------------------------------------- school years, terms


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-2025", 2024),
        ("2024 - 2025", 2024),
        ("2024–2025", 2024),
        ("2024—2025", 2024),
        ("2024/2025", 2024),
        ("NĂM HỌC 2024-2025", 2024),
        ("TRƯỜNG THPT MƯỜNG KIM - NĂM HỌC 2024-2025", 2024),
        ("DANH SÁCH HỌC SINH LỚP 12A4 - HỌC KỲ I - NĂM HỌC 2024-2025", 2024),
        ("Năm học 2023-2024", 2023),
        ("Giai đoạn 2021-2025, năm học 2024-2025", 2024),
        ("2024-2026", None),
        ("2025-2024", None),
        ("24-25", None),
        ("12024-20255", None),
        ("DANH SÁCH HỌC SINH LỚP 12A1", None),
        ("", None),
    ],
)
def test_parse_school_year(text: str, expected: int | None) -> None:
    assert parse_school_year(text) == expected


def test_school_year_label() -> None:
    assert school_year_label(2024) == "2024-2025"
    assert parse_school_year(school_year_label(1999)) == 1999


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2024-2025", 2024), ("2024", 2024), (" 2024 ", 2024), ("2024/2025", 2024)],
)
def test_parse_school_year_option(text: str, expected: int) -> None:
    assert parse_school_year_option(text) == expected


@pytest.mark.parametrize("text", ["2024-2026", "24-25", "năm nay", "", "1800", "20245"])
def test_parse_school_year_option_problems(text: str) -> None:
    reason = reason_of(parse_school_year_option, text)  # type: ignore[arg-type]
    assert "2024-2025" in reason
    assert f"“{text.strip()}”" in reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("HỌC KỲ I", "hk1"),
        ("Học kỳ 1", "hk1"),
        ("Học kỳ I", "hk1"),
        ("HK1", "hk1"),
        ("hk1", "hk1"),
        ("HK 1", "hk1"),
        ("HKI", "hk1"),
        ("KỲ I", "hk1"),
        ("Học kì I", "hk1"),
        ("học kỳ một", "hk1"),
        (unicodedata.normalize("NFD", "HỌC KỲ I"), "hk1"),
        ("KẾT QUẢ HỌC KỲ I", "hk1"),
        ("DANH SÁCH HỌC SINH LỚP 12A4 - HỌC KỲ I - NĂM HỌC 2024-2025", "hk1"),
        ("HỌC KỲ II", "hk2"),
        ("Học kỳ II", "hk2"),
        ("HK2", "hk2"),
        ("hk2", "hk2"),
        ("HKII", "hk2"),
        ("học kỳ 2", "hk2"),
        ("Học kì II", "hk2"),
        ("KỲ II", "hk2"),
        ("KẾT QUẢ HỌC KỲ II - NĂM HỌC 2024-2025", "hk2"),
        ("CẢ NĂM", "cn"),
        ("cả năm", "cn"),
        ("CN", "cn"),
        ("cn", "cn"),
        ("Cuối năm", "cn"),
        ("KẾT QUẢ CẢ NĂM", "cn"),
        ("KẾT QUẢ CẢ NĂM HỌC 2024-2025", "cn"),
        ("NĂM HỌC 2024-2025", None),
        ("năm học", None),
        ("KHỐI 12", None),
        ("Khối học", None),
        ("DANH SÁCH HỌC SINH LỚP 12A1", None),
        ("Dân tộc Kinh", None),
        ("Ký tên", None),
        ("HK12", None),
        ("THK1", None),
        ("Số giấy chứng nhận", None),
        ("", None),
    ],
)
def test_parse_term(text: str, expected: str | None) -> None:
    assert parse_term(text) == expected


def test_term_labels() -> None:
    assert TERM_LABELS == {"hk1": "Học kỳ I", "hk2": "Học kỳ II", "cn": "Cả năm"}
    for code, label in TERM_LABELS.items():
        assert parse_term(label) == code
        assert parse_term_option(code) == code


def test_parse_term_option_problem() -> None:
    reason = reason_of(parse_term_option, "hk3")  # type: ignore[arg-type]
    assert "“hk3”" in reason
    assert "Học kỳ phải là hk1, hk2 hoặc cn." in reason


# --------------------------------------------------------------------------- classes, text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12A1", "12A1"),
        ("12a1", "12A1"),
        (" 12a1 ", "12A1"),
        ("Lớp 12a1", "12A1"),
        ("LỚP 12A1", "12A1"),
        ("lớp: 12A2", "12A2"),
        ("Lop 12a3", "12A3"),
        ("Lớp12A1", "12A1"),
        (unicodedata.normalize("NFD", "Lớp 12A1"), "12A1"),
        ("12 a1", "12A1"),
        ("11A3", "11A3"),
        ("10ct", "10CT"),
        ("12T", "12T"),
        ("12/1", "12/1"),
        ("12 / 1", "12/1"),
        ("10.2", "10.2"),
        ("12 Chuyên Toán", "12 Chuyên Toán"),
        ("12 Toán", "12 Toán"),
        ("Lớp 12 Chuyên Toán", "12 Chuyên Toán"),
        ("Khối 12", "Khối 12"),
        ("", None),
        (None, None),
        ("   ", None),
    ],
)
def test_parse_class_name(value: object, expected: str | None) -> None:
    assert parse_class_name(value) == expected


@pytest.mark.parametrize("value", [12.0, 12, True, D(2007, 1, 1), "12", "Lớp", "x" * 51])
def test_parse_class_name_problems(value: object) -> None:
    reason = reason_of(parse_class_name, value)
    assert "12A1" in reason


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("12A1", 12),
        ("12T", 12),
        ("12 Chuyên Toán", 12),
        ("Khối 12", 12),
        ("khoi 11", 11),
        ("Lớp 10A2", 10),
        ("11A3", 11),
        ("6A", 6),
        ("9/2", 9),
        ("12/1", 12),
        ("5A", None),
        ("13A", None),
        ("121", None),
        ("A1", None),
        ("", None),
    ],
)
def test_grade_of_class(name: str, expected: int | None) -> None:
    assert grade_of_class(name) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("  Lù   Xuân Chiến ", "Lù Xuân Chiến"),
        (unicodedata.normalize("NFD", "Vũ Tiến Chiến"), "Vũ Tiến Chiến"),
        ("Mùa\u00a0A\tChư", "Mùa A Chư"),
        ("Tổng số: 45", "Tổng số: 45"),
        (1.0, "1"),
        (2008.0, "2008"),
        (8.5, "8.5"),
        (1200145576.0, "1200145576"),
        (45, "45"),
        (True, "Có"),
        (False, "Không"),
        (D(2007, 3, 5), "05/03/2007"),
        (datetime.datetime(2007, 3, 5, 0, 0), "05/03/2007"),
        (datetime.datetime(2007, 3, 5, 8, 30), "05/03/2007 08:30"),
        (datetime.time(8, 30), "08:30"),
        ("", None),
        ("   ", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_parse_text(value: object, expected: str | None) -> None:
    assert parse_text(value) == expected


def test_parse_text_is_nfc() -> None:
    text = parse_text(unicodedata.normalize("NFD", "Nguyễn Thị Hoài"))
    assert text is not None
    assert unicodedata.is_normalized("NFC", text)


def test_fold() -> None:
    assert fold_value("  Đặng  Thị THU  ") == "dang thi thu"
    assert fold_value(unicodedata.normalize("NFD", "Chưa Đạt")) == "chua dat"
    assert clean(unicodedata.normalize("NFD", " Chưa\u200b  đạt ")) == "Chưa đạt"
