"""Tests for eligibility: every criterion at and around its boundary dates, and its properties."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from dangvien_cli.admission.rules import eligibility
from dangvien_cli.admission.rules.eligibility import (
    CRITERIA,
    Criterion,
    ResultFact,
    StudentFacts,
    add_months,
    age_eligible_from,
    evaluate,
    format_date,
    leave_date,
    required_criteria,
    result_counts_from,
)
from dangvien_cli.core.calendar import TERMS
from dangvien_cli.core.labels import (
    CRITERION_COLUMNS,
    CRITERION_HEADERS,
    CRITERION_LABELS,
    RANK_WORDS,
    RESULT_WORDS,
    TERM_LABELS,
)
from dangvien_cli.core.settings import Rules

D = date
DEFAULT = Rules()
BY_DAY = Rules(age_mode="day")
AS_OF = D(2025, 3, 15)

# Rank and label of each grade word on either scale (as the importer stores them).
GRADES: dict[str, tuple[int, str]] = {
    "gioi": (4, "Giỏi"),
    "tot": (4, "Tốt"),
    "kha": (3, "Khá"),
    "tb": (2, "Trung bình"),
    "dat": (2, "Đạt"),
    "yeu": (1, "Yếu"),
    "chua_dat": (1, "Chưa đạt"),
    "kem": (0, "Kém"),
}


def result(
    school_year: int, term: str, academic: str | None = "kha", conduct: str | None = "tot"
) -> ResultFact:
    a = GRADES[academic] if academic else (None, None)
    c = GRADES[conduct] if conduct else (None, None)
    return ResultFact(school_year, term, a[0], a[1], c[0], c[1])


def student(**changes: Any) -> StudentFacts:
    """A student who meets every criterion on 15/03/2025 under the default rules."""
    facts = StudentFacts(
        date_of_birth=D(2007, 3, 20),
        birth_year=2007,
        results=(result(2023, "cn", "gioi"), result(2024, "hk1", "kha")),
        youth_union_joined=D(2022, 3, 26),
        youth_union_latest_roster=True,
        mentor="Trần Văn Hùng",
        mentor_since=D(2024, 9, 1),
        class_dates=(D(2024, 7, 20),),
        discipline=(),
        grade12_school_year=2024,
    )
    return dataclasses.replace(facts, **changes)


def nobody(**changes: Any) -> StudentFacts:
    """A student about whom nothing is known."""
    facts = StudentFacts(
        date_of_birth=None,
        birth_year=None,
        results=(),
        youth_union_joined=None,
        youth_union_latest_roster=None,
        mentor=None,
        mentor_since=None,
        class_dates=(),
        discipline=(),
        grade12_school_year=None,
    )
    return dataclasses.replace(facts, **changes)


def criterion(key: str, facts: StudentFacts, as_of: date, rules: Rules = DEFAULT) -> Criterion:
    return evaluate(facts, as_of, rules).criteria[key]


# --------------------------------------------------------------------------- the whole verdict


def test_a_student_meeting_everything_is_eligible() -> None:
    found = evaluate(student(), AS_OF, DEFAULT)
    assert list(found.criteria) == list(CRITERIA)
    assert all(c.ok is True for c in found.criteria.values()), found.criteria
    assert found.eligible
    assert found.failed == []
    assert found.first_age_eligible_date == D(2025, 3, 1)
    assert found.leaves_school_on == D(2025, 5, 31)
    assert found.leaves_before_age_eligible is False
    assert found.criteria["age"].detail == "Đủ 18 tuổi từ 01/03/2025 (tính theo tháng)."
    assert found.criteria["academic"].detail == "Khá (Học kỳ I 2024-2025)."
    assert found.criteria["conduct"].detail == "Tốt (Học kỳ I 2024-2025)."
    assert found.criteria["youth_union"].detail == "Vào Đoàn ngày 26/03/2022."
    assert (
        found.criteria["mentor"].detail
        == "Đảng viên giúp đỡ: Trần Văn Hùng, phân công ngày 01/09/2024."
    )
    assert found.criteria["awareness_class"].detail == (
        "Học lớp bồi dưỡng ngày 20/07/2024; giấy chứng nhận còn hạn đến hết ngày 19/07/2029."
    )
    assert found.criteria["discipline"].detail == "Không có kỷ luật trong 12 tháng trước ngày xét."


def test_nothing_known_fails_everything_but_discipline_in_order() -> None:
    found = evaluate(nobody(), AS_OF, DEFAULT)
    assert found.failed == [key for key in CRITERIA if key != "discipline"]
    assert not found.eligible
    assert [found.criteria[key].ok for key in CRITERIA] == [
        None,
        None,
        None,
        None,
        False,
        False,
        True,
    ]
    assert found.first_age_eligible_date is None
    assert found.leaves_school_on is None
    assert found.leaves_before_age_eligible is False


def test_failed_lists_every_required_key_in_contract_order() -> None:
    facts = student(
        date_of_birth=D(2008, 1, 1),
        results=(result(2024, "hk1", "tb", "kha"),),
        youth_union_joined=None,
        youth_union_latest_roster=False,
        mentor=None,
        mentor_since=None,
        class_dates=(),
        discipline=((D(2025, 1, 10), "khiển trách"),),
    )
    found = evaluate(facts, AS_OF, DEFAULT)
    assert found.failed == list(CRITERIA)
    assert all(c.ok is False for c in found.criteria.values())


@pytest.mark.parametrize(
    "setting",
    ["require_youth_union", "require_mentor", "require_awareness_class", "require_discipline"],
)
def test_a_criterion_not_required_is_reported_but_ignored(setting: str) -> None:
    key = setting.removeprefix("require_")
    failing: dict[str, dict[str, Any]] = {
        "youth_union": {"youth_union_joined": None, "youth_union_latest_roster": False},
        "mentor": {"mentor": None, "mentor_since": None},
        "awareness_class": {"class_dates": ()},
        "discipline": {"discipline": ((D(2025, 1, 10), "cảnh cáo"),)},
    }
    facts = student(**failing[key])
    strict = evaluate(facts, AS_OF, DEFAULT)
    assert strict.failed == [key]
    assert not strict.eligible
    changes: dict[str, Any] = {setting: False}
    relaxed = evaluate(facts, AS_OF, dataclasses.replace(DEFAULT, **changes))
    assert relaxed.criteria[key] == strict.criteria[key]
    assert relaxed.criteria[key].ok is False
    assert relaxed.failed == []
    assert relaxed.eligible


def test_an_unknown_optional_criterion_not_required_is_ignored() -> None:
    facts = student(youth_union_joined=None, youth_union_latest_roster=None)
    assert evaluate(facts, AS_OF, DEFAULT).failed == ["youth_union"]
    relaxed = evaluate(facts, AS_OF, Rules(require_youth_union=False))
    assert relaxed.criteria["youth_union"].ok is None
    assert relaxed.eligible


def test_required_criteria() -> None:
    assert required_criteria(DEFAULT) == CRITERIA
    none_optional = Rules(
        require_youth_union=False,
        require_mentor=False,
        require_awareness_class=False,
        require_discipline=False,
    )
    assert required_criteria(none_optional) == ("age", "academic", "conduct")
    assert set(CRITERION_LABELS) == set(CRITERIA)


def test_marks() -> None:
    assert [Criterion(ok, "").mark for ok in (True, False, None)] == ["✓", "✗", "?"]


# --------------------------------------------------------------------------- age


@pytest.mark.parametrize(
    ("dob", "mode", "as_of", "ok"),
    [
        # month mode: from the first day of the birthday's month
        (D(2007, 3, 20), "month", D(2025, 2, 28), False),
        (D(2007, 3, 20), "month", D(2025, 3, 1), True),
        (D(2007, 3, 20), "month", D(2025, 3, 19), True),
        (D(2007, 3, 1), "month", D(2025, 2, 28), False),
        (D(2007, 3, 1), "month", D(2025, 3, 1), True),
        (D(2007, 12, 31), "month", D(2025, 11, 30), False),
        (D(2007, 12, 31), "month", D(2025, 12, 1), True),
        (D(2007, 1, 1), "month", D(2024, 12, 31), False),
        (D(2007, 1, 1), "month", D(2025, 1, 1), True),
        # day mode: from the birthday
        (D(2007, 3, 20), "day", D(2025, 3, 1), False),
        (D(2007, 3, 20), "day", D(2025, 3, 19), False),
        (D(2007, 3, 20), "day", D(2025, 3, 20), True),
        (D(2007, 12, 31), "day", D(2025, 12, 30), False),
        (D(2007, 12, 31), "day", D(2025, 12, 31), True),
        # 29 February, 18th birthday in a common year (2026)
        (D(2008, 2, 29), "day", D(2026, 2, 27), False),
        (D(2008, 2, 29), "day", D(2026, 2, 28), True),
        (D(2008, 2, 29), "month", D(2026, 1, 31), False),
        (D(2008, 2, 29), "month", D(2026, 2, 1), True),
        (D(2004, 2, 29), "day", D(2022, 2, 28), True),
        (D(2004, 2, 29), "day", D(2022, 2, 27), False),
    ],
)
def test_age_with_a_date_of_birth(dob: date, mode: str, as_of: date, ok: bool) -> None:
    rules = Rules(age_mode=mode)
    found = evaluate(nobody(date_of_birth=dob, birth_year=dob.year), as_of, rules)
    assert found.criteria["age"].ok is ok
    assert found.first_age_eligible_date == age_eligible_from(dob, None, rules)[1]


def test_29_february_in_a_leap_target_year_is_the_29th() -> None:
    rules = Rules(age_mode="day", age_min=20)  # 2004 + 20 = 2024, a leap year
    dob = D(2004, 2, 29)
    assert age_eligible_from(dob, None, rules) == (D(2024, 2, 29), D(2024, 2, 29))
    assert criterion("age", nobody(date_of_birth=dob), D(2024, 2, 28), rules).ok is False
    assert criterion("age", nobody(date_of_birth=dob), D(2024, 2, 29), rules).ok is True
    month = Rules(age_min=20)
    assert age_eligible_from(dob, None, month) == (D(2024, 2, 1), D(2024, 2, 1))


@pytest.mark.parametrize(
    ("mode", "as_of", "ok"),
    [
        ("month", D(2024, 12, 31), False),
        ("month", D(2025, 1, 1), None),
        ("month", D(2025, 11, 30), None),
        ("month", D(2025, 12, 1), True),
        ("month", D(2025, 12, 31), True),
        ("day", D(2024, 12, 31), False),
        ("day", D(2025, 1, 1), None),
        ("day", D(2025, 12, 1), None),
        ("day", D(2025, 12, 30), None),
        ("day", D(2025, 12, 31), True),
    ],
)
def test_age_with_only_a_birth_year(mode: str, as_of: date, ok: bool | None) -> None:
    rules = Rules(age_mode=mode)
    found = evaluate(nobody(birth_year=2007), as_of, rules)
    assert found.criteria["age"].ok is ok
    certain = D(2025, 12, 1) if mode == "month" else D(2025, 12, 31)
    assert found.first_age_eligible_date == certain


@pytest.mark.parametrize(
    ("facts", "as_of", "rules", "detail"),
    [
        (
            nobody(date_of_birth=D(2007, 3, 20)),
            D(2025, 3, 15),
            DEFAULT,
            "Đủ 18 tuổi từ 01/03/2025 (tính theo tháng).",
        ),
        (
            nobody(date_of_birth=D(2007, 3, 20)),
            D(2025, 3, 20),
            BY_DAY,
            "Đủ 18 tuổi từ 20/03/2025 (tính theo ngày sinh).",
        ),
        (
            nobody(date_of_birth=D(2007, 9, 10)),
            D(2025, 3, 15),
            DEFAULT,
            "Chưa đủ 18 tuổi: đủ từ 01/09/2025.",
        ),
        (
            nobody(birth_year=2007),
            D(2025, 3, 15),
            DEFAULT,
            "Chỉ biết năm sinh 2007: có thể đủ 18 tuổi trong năm 2025, chắc chắn từ 01/12/2025.",
        ),
        (
            nobody(birth_year=2007),
            D(2025, 3, 15),
            BY_DAY,
            "Chỉ biết năm sinh 2007: có thể đủ 18 tuổi trong năm 2025, chắc chắn từ 31/12/2025.",
        ),
        (
            nobody(birth_year=2008),
            D(2025, 3, 15),
            DEFAULT,
            "Chỉ biết năm sinh 2008: chưa đủ 18 tuổi; sớm nhất có thể đủ từ 01/01/2026, "
            "chắc chắn từ 01/12/2026.",
        ),
        (
            nobody(birth_year=2006),
            D(2025, 3, 15),
            DEFAULT,
            "Chỉ biết năm sinh 2006: chắc chắn đủ 18 tuổi từ 01/12/2024.",
        ),
        (nobody(), D(2025, 3, 15), DEFAULT, "Chưa có ngày sinh hay năm sinh nên chưa biết tuổi."),
        (
            nobody(date_of_birth=D(2005, 6, 2)),
            D(2025, 3, 15),
            Rules(age_min=20),
            "Chưa đủ 20 tuổi: đủ từ 01/06/2025.",
        ),
    ],
)
def test_age_details(facts: StudentFacts, as_of: date, rules: Rules, detail: str) -> None:
    assert criterion("age", facts, as_of, rules).detail == detail


def test_a_date_of_birth_wins_over_the_birth_year() -> None:
    facts = nobody(date_of_birth=D(2007, 3, 20), birth_year=2007)
    assert criterion("age", facts, D(2025, 3, 1)).ok is True  # not "?" as with the year only


@pytest.mark.parametrize(
    ("dob", "year", "rules", "expected"),
    [
        (D(2007, 3, 20), None, DEFAULT, (D(2025, 3, 1), D(2025, 3, 1))),
        (D(2007, 3, 20), None, BY_DAY, (D(2025, 3, 20), D(2025, 3, 20))),
        (D(2008, 2, 29), None, BY_DAY, (D(2026, 2, 28), D(2026, 2, 28))),
        (None, 2007, DEFAULT, (D(2025, 1, 1), D(2025, 12, 1))),
        (None, 2007, BY_DAY, (D(2025, 1, 1), D(2025, 12, 31))),
        (None, 2007, Rules(age_min=19), (D(2026, 1, 1), D(2026, 12, 1))),
        (None, None, DEFAULT, (None, None)),
    ],
)
def test_age_eligible_from(
    dob: date | None, year: int | None, rules: Rules, expected: tuple[date | None, date | None]
) -> None:
    assert age_eligible_from(dob, year, rules) == expected


def test_an_unknown_age_mode_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="age_mode"):
        age_eligible_from(D(2007, 1, 1), None, Rules(age_mode="week"))


# --------------------------------------------------------------------------- the age window


@pytest.mark.parametrize(
    ("dob", "year", "rules", "leaves_before"),
    [
        (D(2007, 9, 10), 2007, DEFAULT, True),  # born in September: only after leaving
        (D(2007, 1, 5), 2007, DEFAULT, False),
        (D(2007, 5, 31), 2007, DEFAULT, False),
        (D(2007, 5, 31), 2007, BY_DAY, False),  # 18 on the last day of school
        (D(2007, 6, 1), 2007, DEFAULT, True),  # June: only if the chi bộ meets in summer
        (D(2007, 12, 31), 2007, DEFAULT, True),
        (None, 2007, DEFAULT, True),  # year only: certain only from 01/12/2025
        (None, 2006, DEFAULT, False),
        (None, None, DEFAULT, False),  # nothing known: no flag
    ],
)
def test_leaves_before_age_eligible(
    dob: date | None, year: int | None, rules: Rules, leaves_before: bool
) -> None:
    facts = student(date_of_birth=dob, birth_year=year, grade12_school_year=2024)
    found = evaluate(facts, AS_OF, rules)
    assert found.leaves_school_on == D(2025, 5, 31)
    assert found.leaves_before_age_eligible is leaves_before


def test_a_september_birthday_in_grade_12() -> None:
    found = evaluate(student(date_of_birth=D(2007, 9, 10)), D(2025, 3, 15), DEFAULT)
    assert found.first_age_eligible_date == D(2025, 9, 1)
    assert found.leaves_school_on == D(2025, 5, 31)
    assert found.leaves_before_age_eligible is True
    assert found.failed == ["age"]


def test_no_grade_12_year_means_no_leave_date() -> None:
    found = evaluate(
        student(date_of_birth=D(2007, 9, 10), grade12_school_year=None), AS_OF, DEFAULT
    )
    assert found.leaves_school_on is None
    assert found.leaves_before_age_eligible is False


@pytest.mark.parametrize(
    ("year", "rules", "expected"),
    [
        (2024, DEFAULT, D(2025, 5, 31)),
        (2025, DEFAULT, D(2026, 5, 31)),
        (2024, Rules(school_year_last_day=(15, 6)), D(2025, 6, 15)),
    ],
)
def test_leave_date(year: int, rules: Rules, expected: date) -> None:
    assert leave_date(year, rules) == expected


# --------------------------------------------------------------------------- term results


@pytest.mark.parametrize(
    ("school_year", "term", "rules", "expected"),
    [
        (2024, "hk1", DEFAULT, D(2025, 1, 16)),
        (2024, "hk2", DEFAULT, D(2025, 6, 1)),
        (2024, "cn", DEFAULT, D(2025, 6, 1)),
        (2023, "hk1", DEFAULT, D(2024, 1, 16)),
        (2024, "hk1", Rules(hk1_known_from=(1, 2)), D(2025, 2, 1)),
        (2024, "cn", Rules(school_year_last_day=(30, 6)), D(2025, 7, 1)),
        (2024, "cn", Rules(school_year_last_day=(31, 12)), D(2026, 1, 1)),
        # an hk1 day after the school year's start is in its first calendar year
        (2024, "hk1", Rules(hk1_known_from=(25, 12)), D(2024, 12, 25)),
        (2024, "hk1", Rules(hk1_known_from=(1, 9)), D(2024, 9, 1)),
        (2024, "hk1", Rules(hk1_known_from=(31, 8)), D(2025, 8, 31)),
    ],
)
def test_result_counts_from(school_year: int, term: str, rules: Rules, expected: date) -> None:
    assert result_counts_from(school_year, term, rules) == expected


def test_result_counts_from_an_unknown_term() -> None:
    with pytest.raises(ValueError, match="term"):
        result_counts_from(2024, "hk3", DEFAULT)


def _used(results: tuple[ResultFact, ...], as_of: date, rules: Rules = DEFAULT) -> str:
    return criterion("academic", nobody(results=results), as_of, rules).detail


@pytest.mark.parametrize(
    ("results", "as_of", "detail"),
    [
        # hk1 of 2024-2025 counts from 16/01/2025
        (
            (result(2024, "hk1"),),
            D(2025, 1, 15),
            "Chưa có kết quả học tập nào tính đến ngày 15/01/2025 "
            "(kết quả Học kỳ I 2024-2025 được tính từ 16/01/2025).",
        ),
        ((result(2024, "hk1"),), D(2025, 1, 16), "Khá (Học kỳ I 2024-2025)."),
        # hk2 and cả năm from 01/06/2025
        (
            (result(2024, "hk1"), result(2024, "hk2", "gioi")),
            D(2025, 5, 31),
            "Khá (Học kỳ I 2024-2025).",
        ),
        (
            (result(2024, "hk1"), result(2024, "hk2", "gioi")),
            D(2025, 6, 1),
            "Giỏi (Học kỳ II 2024-2025).",
        ),
        # cả năm beats học kỳ II of the same year, whatever the order given
        (
            (result(2024, "hk2", "tb"), result(2024, "cn", "kha")),
            D(2025, 6, 1),
            "Khá (Cả năm 2024-2025).",
        ),
        (
            (result(2024, "cn", "kha"), result(2024, "hk2", "tb")),
            D(2025, 6, 1),
            "Khá (Cả năm 2024-2025).",
        ),
        # a later year's hk1 beats an earlier cả năm once it counts
        (
            (result(2024, "hk1", "tb"), result(2023, "cn", "gioi")),
            D(2025, 1, 15),
            "Giỏi (Cả năm 2023-2024).",
        ),
        (
            (result(2024, "hk1", "tb"), result(2023, "cn", "gioi")),
            D(2025, 1, 16),
            "Trung bình (Học kỳ I 2024-2025): cần từ Khá trở lên.",
        ),
        # older years never beat newer ones
        (
            (result(2022, "cn", "gioi"), result(2023, "cn", "kha")),
            D(2025, 1, 1),
            "Khá (Cả năm 2023-2024).",
        ),
        # the TT22 words
        ((result(2024, "hk1", "tot"),), AS_OF, "Tốt (Học kỳ I 2024-2025)."),
        ((result(2024, "hk1", "dat"),), AS_OF, "Đạt (Học kỳ I 2024-2025): cần từ Khá trở lên."),
        (
            (result(2024, "hk1", "chua_dat"),),
            AS_OF,
            "Chưa đạt (Học kỳ I 2024-2025): cần từ Khá trở lên.",
        ),
        # the TT58 words
        ((result(2024, "hk1", "gioi"),), AS_OF, "Giỏi (Học kỳ I 2024-2025)."),
        ((result(2024, "hk1", "kem"),), AS_OF, "Kém (Học kỳ I 2024-2025): cần từ Khá trở lên."),
        ((), AS_OF, "Chưa có kết quả học tập nào tính đến ngày 15/03/2025."),
        # the most recent counting result without học lực: unknown, not an older one
        (
            (result(2023, "cn", "gioi"), result(2024, "hk1", None)),
            AS_OF,
            "Kết quả Học kỳ I 2024-2025 không ghi học lực.",
        ),
    ],
)
def test_the_result_used(results: tuple[ResultFact, ...], as_of: date, detail: str) -> None:
    assert _used(results, as_of) == detail


@pytest.mark.parametrize(
    ("word", "academic_ok", "conduct_ok"),
    [
        ("gioi", True, None),  # conduct has no Giỏi: the test result carries none
        ("tot", True, True),
        ("kha", True, False),
        ("tb", False, False),
        ("dat", False, False),
        ("yeu", False, False),
        ("chua_dat", False, False),
        ("kem", False, None),
    ],
)
def test_either_scale_against_the_default_minimums(
    word: str, academic_ok: bool, conduct_ok: bool | None
) -> None:
    academic = nobody(results=(result(2024, "hk1", word, None),))
    assert criterion("academic", academic, AS_OF).ok is academic_ok
    if conduct_ok is not None:
        conduct = nobody(results=(result(2024, "hk1", None, word),))
        assert criterion("conduct", conduct, AS_OF).ok is conduct_ok


def test_conduct_details() -> None:
    facts = nobody(results=(result(2024, "hk1", "gioi", "kha"),))
    assert criterion("conduct", facts, AS_OF).detail == "Khá (Học kỳ I 2024-2025): cần Tốt."
    facts = nobody(results=(result(2024, "hk1", "gioi", None),))
    found = criterion("conduct", facts, AS_OF)
    assert found.ok is None
    assert found.detail == "Kết quả Học kỳ I 2024-2025 không ghi hạnh kiểm."
    found = criterion("conduct", nobody(), AS_OF)
    assert found == Criterion(None, "Chưa có kết quả rèn luyện nào tính đến ngày 15/03/2025.")


def test_minimums_come_from_the_rules() -> None:
    facts = nobody(results=(result(2024, "hk1", "dat", "kha"),))
    relaxed = Rules(academic_min="tb", conduct_min="kha")
    assert criterion("academic", facts, AS_OF, relaxed).ok is True
    assert criterion("conduct", facts, AS_OF, relaxed).ok is True
    strict = Rules(academic_min="gioi")
    found = criterion("academic", nobody(results=(result(2024, "hk1", "kha"),)), AS_OF, strict)
    assert found == Criterion(False, "Khá (Học kỳ I 2024-2025): cần Giỏi/Tốt.")


def test_a_result_without_a_label_is_named_by_its_rank() -> None:
    facts = nobody(results=(ResultFact(2024, "cn", 3, None, 4, None),))
    assert criterion("academic", facts, D(2025, 6, 1)).detail == "Khá (Cả năm 2024-2025)."
    assert criterion("conduct", facts, D(2025, 6, 1)).detail == "Tốt (Cả năm 2024-2025)."


def test_term_labels_are_the_importers() -> None:
    # One home (core.labels) for the words, one (core.calendar) for the order, shared by the
    # rules and the importer.
    assert eligibility.TERM_LABELS is TERM_LABELS
    assert eligibility.TERMS is TERMS
    assert tuple(TERM_LABELS) == TERMS


def test_every_criterion_has_its_words() -> None:
    # Each place that names the criteria keeps its own words, all from core.labels, for every
    # criterion in the rules' order.
    for words in (CRITERION_LABELS, CRITERION_COLUMNS, CRITERION_HEADERS):
        assert tuple(words) == CRITERIA
    assert set(RESULT_WORDS) == set(RANK_WORDS) == {"academic", "conduct"}


# --------------------------------------------------------------------------- youth union


@pytest.mark.parametrize(
    ("joined", "roster", "ok", "detail"),
    [
        (D(2022, 3, 26), None, True, "Vào Đoàn ngày 26/03/2022."),
        (D(2025, 3, 15), False, True, "Vào Đoàn ngày 15/03/2025."),  # the date wins
        (
            D(2025, 3, 26),
            True,
            False,
            "Vào Đoàn ngày 26/03/2025, sau ngày xét 15/03/2025.",
        ),
        (None, True, True, "Danh sách lớp gần nhất ghi là đoàn viên (chưa có ngày vào Đoàn)."),
        (None, False, False, "Danh sách lớp gần nhất ghi chưa là đoàn viên."),
        (None, None, None, "Chưa có thông tin là đoàn viên hay không."),
    ],
)
def test_youth_union(
    joined: date | None, roster: bool | None, ok: bool | None, detail: str
) -> None:
    facts = nobody(youth_union_joined=joined, youth_union_latest_roster=roster)
    assert criterion("youth_union", facts, AS_OF) == Criterion(ok, detail)


# --------------------------------------------------------------------------- mentor


@pytest.mark.parametrize(
    ("mentor", "since", "ok", "detail"),
    [
        (
            "Trần Văn Hùng",
            D(2024, 9, 1),
            True,
            "Đảng viên giúp đỡ: Trần Văn Hùng, phân công ngày 01/09/2024.",
        ),
        (
            "Trần Văn Hùng",
            D(2025, 3, 15),
            True,
            "Đảng viên giúp đỡ: Trần Văn Hùng, phân công ngày 15/03/2025.",
        ),
        (
            "Trần Văn Hùng",
            D(2025, 3, 16),
            False,
            "Đảng viên giúp đỡ: Trần Văn Hùng, phân công ngày 16/03/2025, sau ngày xét 15/03/2025.",
        ),
        (None, None, False, "Chưa phân công đảng viên giúp đỡ."),
        (
            "Trần Văn Hùng",
            None,
            None,
            "Đảng viên giúp đỡ: Trần Văn Hùng, chưa rõ ngày phân công.",
        ),
        (
            None,
            D(2024, 9, 1),
            True,
            "Đã phân công đảng viên giúp đỡ (chưa ghi tên), phân công ngày 01/09/2024.",
        ),
    ],
)
def test_mentor(mentor: str | None, since: date | None, ok: bool | None, detail: str) -> None:
    facts = nobody(mentor=mentor, mentor_since=since)
    assert criterion("mentor", facts, AS_OF) == Criterion(ok, detail)


# --------------------------------------------------------------------------- awareness class


@pytest.mark.parametrize(
    ("classes", "as_of", "rules", "ok"),
    [
        ((D(2024, 7, 20),), D(2024, 7, 19), DEFAULT, False),  # not yet taken
        ((D(2024, 7, 20),), D(2024, 7, 20), DEFAULT, True),  # taken that day
        ((D(2024, 7, 20),), D(2029, 7, 19), DEFAULT, True),  # the day before expiry
        ((D(2024, 7, 20),), D(2029, 7, 20), DEFAULT, False),  # the expiry day
        ((D(2020, 2, 29),), D(2025, 2, 27), DEFAULT, True),  # 29/02 + 60 months → 28/02
        ((D(2020, 2, 29),), D(2025, 2, 28), DEFAULT, False),
        ((D(2020, 8, 31),), D(2021, 2, 27), Rules(awareness_class_valid_months=6), True),
        ((D(2020, 8, 31),), D(2021, 2, 28), Rules(awareness_class_valid_months=6), False),
        ((D(2024, 7, 20),), D(2027, 7, 19), Rules(awareness_class_valid_months=36), True),
        ((D(2024, 7, 20),), D(2027, 7, 20), Rules(awareness_class_valid_months=36), False),
        # the latest class taken counts, in any order
        ((D(2024, 7, 20), D(2018, 7, 1)), D(2025, 3, 15), DEFAULT, True),
        ((D(2018, 7, 1), D(2024, 7, 20)), D(2025, 3, 15), DEFAULT, True),
        ((), D(2025, 3, 15), DEFAULT, False),
    ],
)
def test_awareness_class(classes: tuple[date, ...], as_of: date, rules: Rules, ok: bool) -> None:
    assert criterion("awareness_class", nobody(class_dates=classes), as_of, rules).ok is ok


@pytest.mark.parametrize(
    ("classes", "as_of", "detail"),
    [
        (
            (D(2019, 7, 20),),
            D(2025, 3, 15),
            "Giấy chứng nhận ngày 20/07/2019 hết hạn ngày 20/07/2024; cần học lại.",
        ),
        (
            (D(2025, 7, 20),),
            D(2025, 3, 15),
            "Lớp bồi dưỡng ngày 20/07/2025 sau ngày xét 15/03/2025.",
        ),
        (
            (D(2019, 7, 20), D(2025, 7, 20)),
            D(2025, 3, 15),
            "Giấy chứng nhận ngày 20/07/2019 hết hạn ngày 20/07/2024; cần học lại. "
            "Lớp bồi dưỡng ngày 20/07/2025 sau ngày xét 15/03/2025.",
        ),
        ((), D(2025, 3, 15), "Chưa học lớp bồi dưỡng nhận thức về Đảng."),
    ],
)
def test_awareness_class_failures_say_why(
    classes: tuple[date, ...], as_of: date, detail: str
) -> None:
    assert criterion("awareness_class", nobody(class_dates=classes), as_of) == Criterion(
        False, detail
    )


# --------------------------------------------------------------------------- discipline


@pytest.mark.parametrize(
    ("records", "as_of", "rules", "ok"),
    [
        (((D(2024, 10, 10), "khiển trách"),), D(2024, 10, 9), DEFAULT, True),  # not yet
        (((D(2024, 10, 10), "khiển trách"),), D(2024, 10, 10), DEFAULT, False),
        (((D(2024, 10, 10), "khiển trách"),), D(2025, 10, 9), DEFAULT, False),  # the last day
        (((D(2024, 10, 10), "khiển trách"),), D(2025, 10, 10), DEFAULT, True),  # 12 months on
        (((D(2025, 1, 31), ""),), D(2025, 2, 27), Rules(discipline_months=1), False),
        (((D(2025, 1, 31), ""),), D(2025, 2, 28), Rules(discipline_months=1), True),
        (((D(2024, 2, 29), ""),), D(2025, 2, 27), DEFAULT, False),
        (((D(2024, 2, 29), ""),), D(2025, 2, 28), DEFAULT, True),
        (((D(2022, 1, 1), "cảnh cáo"), (D(2025, 6, 1), "")), D(2025, 3, 15), DEFAULT, True),
        ((), D(2025, 3, 15), DEFAULT, True),
    ],
)
def test_discipline(
    records: tuple[tuple[date, str], ...], as_of: date, rules: Rules, ok: bool
) -> None:
    assert criterion("discipline", nobody(discipline=records), as_of, rules).ok is ok


def test_discipline_details_name_the_longest_block() -> None:
    records = ((D(2024, 10, 10), "khiển trách"), (D(2025, 1, 5), "cảnh cáo"))
    found = criterion("discipline", nobody(discipline=records), AS_OF)
    assert found == Criterion(
        False, "Bị kỷ luật (cảnh cáo) ngày 05/01/2025; còn ảnh hưởng đến hết ngày 04/01/2026."
    )
    found = criterion("discipline", nobody(discipline=((D(2025, 1, 5), " "),)), AS_OF)
    assert found.detail == "Bị kỷ luật ngày 05/01/2025; còn ảnh hưởng đến hết ngày 04/01/2026."
    found = criterion("discipline", nobody(), AS_OF, Rules(discipline_months=6))
    assert found.detail == "Không có kỷ luật trong 6 tháng trước ngày xét."


# --------------------------------------------------------------------------- date helpers


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2024, 7, 20), 60, D(2029, 7, 20)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2020, 2, 29), 12, D(2021, 2, 28)),
        (D(2020, 2, 29), 48, D(2024, 2, 29)),
        (D(2024, 8, 31), 6, D(2025, 2, 28)),
        (D(2024, 12, 15), 1, D(2025, 1, 15)),
        (D(2024, 3, 31), -1, D(2024, 2, 29)),
        (D(2024, 1, 15), -1, D(2023, 12, 15)),
        (D(2024, 5, 5), 0, D(2024, 5, 5)),
    ],
)
def test_add_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_format_date() -> None:
    assert format_date(D(2025, 3, 1)) == "01/03/2025"
    assert format_date(D(987, 12, 31)) == "31/12/0987"


# --------------------------------------------------------------------------- purity


def test_the_rules_never_ask_for_today_nor_import_the_interface() -> None:
    folder = Path(eligibility.__file__).parent
    for module in folder.glob("*.py"):
        source = module.read_text(encoding="utf-8")
        assert "today(" not in source, module
        assert "datetime.now" not in source, module
    code = (
        "import sys, dangvien_cli.admission.rules.eligibility, dangvien_cli.core.settings\n"
        "import dangvien_cli.admission.rules.reachable\n"
        "bad = sorted({m.split('.')[0] for m in sys.modules} & "
        "{'typer', 'rich', 'sqlalchemy', 'sqlmodel'})\n"
        "print(','.join(bad))\n"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == ""


# --------------------------------------------------------------------------- properties

dates = st.dates(min_value=D(1950, 1, 1), max_value=D(2060, 12, 31))
birth_dates = st.dates(min_value=D(1960, 1, 1), max_value=D(2020, 12, 31))
rules_strategy = st.builds(
    Rules,
    age_mode=st.sampled_from(["month", "day"]),
    age_min=st.integers(16, 30),
    academic_min=st.sampled_from(["gioi", "tot", "kha", "tb", "dat", "yeu", "chua-dat", "kem"]),
    conduct_min=st.sampled_from(["tot", "kha", "tb", "dat", "yeu", "chua-dat"]),
    require_youth_union=st.booleans(),
    require_mentor=st.booleans(),
    require_awareness_class=st.booleans(),
    require_discipline=st.booleans(),
    awareness_class_valid_months=st.integers(1, 240),
    discipline_months=st.integers(1, 120),
)
_ORDER = {False: 0, None: 1, True: 2}


@given(st.one_of(st.none(), birth_dates), st.one_of(st.none(), st.integers(1960, 2020)),
       rules_strategy, dates, dates)  # fmt: skip
def test_age_is_monotone_in_the_date(
    dob: date | None, year: int | None, rules: Rules, first: date, second: date
) -> None:
    earlier, later = sorted((first, second))
    facts = nobody(date_of_birth=dob, birth_year=year)
    before = evaluate(facts, earlier, rules)
    after = evaluate(facts, later, rules)
    # ✗ → ? → ✓, never back: once ✓ stays ✓
    assert _ORDER[before.criteria["age"].ok] <= _ORDER[after.criteria["age"].ok]
    if before.criteria["age"].ok is True:
        assert after.criteria["age"].ok is True
    # ✓ exactly from the first age-eligible date
    first_date = before.first_age_eligible_date
    assert first_date == after.first_age_eligible_date
    for found, day in ((before, earlier), (after, later)):
        assert (found.criteria["age"].ok is True) == (first_date is not None and day >= first_date)


@given(birth_dates, rules_strategy)
def test_first_age_eligible_date_is_the_first_day_of_age(dob: date, rules: Rules) -> None:
    first = age_eligible_from(dob, None, rules)[1]
    assert first is not None
    facts = nobody(date_of_birth=dob)
    assert criterion("age", facts, first, rules).ok is True
    assert criterion("age", facts, first - timedelta(days=1), rules).ok is False
    assert first.year == dob.year + rules.age_min
    if rules.age_mode == "month":
        assert (first.month, first.day) == (dob.month, 1)
    else:
        assert first <= add_months(dob, 12 * rules.age_min)


@given(dates, rules_strategy)
def test_age_is_never_met_without_a_birth(as_of: date, rules: Rules) -> None:
    found = evaluate(nobody(), as_of, rules)
    assert found.criteria["age"].ok is None
    assert found.first_age_eligible_date is None
    assert not found.eligible


@given(st.integers(1960, 2020), rules_strategy, dates)
def test_a_birth_year_alone_never_beats_the_full_date(year: int, rules: Rules, as_of: date) -> None:
    # whatever the real date in that year, the year-only verdict is never more optimistic
    year_only = criterion("age", nobody(birth_year=year), as_of, rules).ok
    if year_only is True:
        for dob in (D(year, 1, 1), D(year, 12, 31)):
            assert criterion("age", nobody(date_of_birth=dob), as_of, rules).ok is True
    if year_only is False:
        for dob in (D(year, 1, 1), D(year, 12, 31)):
            assert criterion("age", nobody(date_of_birth=dob), as_of, rules).ok is False


@st.composite
def results_strategy(draw: st.DrawFn) -> ResultFact:
    ranks = st.one_of(st.none(), st.integers(0, 4))
    return ResultFact(
        school_year=draw(st.integers(2018, 2027)),
        term=draw(st.sampled_from(TERMS)),
        academic_rank=draw(ranks),
        academic_label=None,
        conduct_rank=draw(ranks),
        conduct_label=None,
    )


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


facts_strategy = st.builds(
    StudentFacts,
    date_of_birth=_maybe(birth_dates),
    birth_year=_maybe(st.integers(1960, 2020)),
    results=st.lists(results_strategy(), max_size=6).map(tuple),
    youth_union_joined=_maybe(dates),
    youth_union_latest_roster=_maybe(st.booleans()),
    mentor=_maybe(st.sampled_from(["Trần Văn Hùng", "Lò Thị Mai"])),
    mentor_since=_maybe(dates),
    class_dates=st.lists(dates, max_size=3).map(tuple),
    discipline=st.lists(st.tuples(dates, st.sampled_from(["", "khiển trách"])), max_size=3).map(
        tuple
    ),
    grade12_school_year=_maybe(st.integers(2018, 2030)),
)


@given(facts_strategy, dates, rules_strategy)
def test_eligible_means_every_required_criterion_is_met(
    facts: StudentFacts, as_of: date, rules: Rules
) -> None:
    found = evaluate(facts, as_of, rules)
    assert list(found.criteria) == list(CRITERIA)
    required = required_criteria(rules)
    assert found.failed == [key for key in required if found.criteria[key].ok is not True]
    assert found.eligible == (not found.failed)
    if found.eligible:
        assert all(found.criteria[key].ok is True for key in required)
    for key in ("age", "academic", "conduct"):
        assert key in required
    for value in found.criteria.values():
        assert value.detail.endswith(".")
    if found.leaves_before_age_eligible:
        assert found.first_age_eligible_date is not None
        assert found.leaves_school_on is not None
        assert found.first_age_eligible_date > found.leaves_school_on


@given(st.lists(results_strategy(), max_size=8), dates)
def test_the_most_recent_counting_result_decides(results: list[ResultFact], as_of: date) -> None:
    counting = [r for r in results if result_counts_from(r.school_year, r.term, DEFAULT) <= as_of]
    found = criterion("academic", nobody(results=tuple(results)), as_of)
    if not counting:
        assert found.ok is None
        return
    # reference: latest school year first; within it cả năm, then hk2, then hk1
    newest = max(counting, key=lambda r: (r.school_year, TERMS.index(r.term)))
    assume(
        sum(1 for r in counting if (r.school_year, r.term) == (newest.school_year, newest.term))
        == 1
    )
    term = f"{TERM_LABELS[newest.term]} {newest.school_year}-{newest.school_year + 1}"
    assert term in found.detail
    if newest.academic_rank is None:
        assert found.ok is None
    else:
        assert found.ok is (newest.academic_rank >= 3)


@given(dates, st.integers(1, 240))
def test_a_certificate_counts_through_the_day_before_expiry(taken: date, months: int) -> None:
    rules = Rules(awareness_class_valid_months=months)
    expires = add_months(taken, months)
    facts = nobody(class_dates=(taken,))
    assert criterion("awareness_class", facts, taken, rules).ok is True
    assert criterion("awareness_class", facts, expires - timedelta(days=1), rules).ok is True
    assert criterion("awareness_class", facts, expires, rules).ok is False
    assert criterion("awareness_class", facts, taken - timedelta(days=1), rules).ok is False


@given(dates, st.integers(1, 120))
def test_a_discipline_blocks_through_the_day_before_it_ends(day: date, months: int) -> None:
    rules = Rules(discipline_months=months)
    ends = add_months(day, months)
    facts = nobody(discipline=((day, "khiển trách"),))
    assert criterion("discipline", facts, day - timedelta(days=1), rules).ok is True
    assert criterion("discipline", facts, day, rules).ok is False
    assert criterion("discipline", facts, ends - timedelta(days=1), rules).ok is False
    assert criterion("discipline", facts, ends, rules).ok is True


@given(dates, st.integers(-600, 600))
def test_add_months_lands_in_the_right_month(start: date, months: int) -> None:
    moved = add_months(start, months)
    assert moved.year * 12 + moved.month == start.year * 12 + start.month + months
    assert moved.day <= start.day
    if start.day <= 28:
        assert moved.day == start.day
        assert add_months(moved, -months) == start
