"""Eligibility for admission: each criterion judged from a student's facts at a given date."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Final

from dangvien_cli.core.calendar import TERMS, school_year_label
from dangvien_cli.core.labels import RANK_WORDS, RESULT_WORDS, TERM_LABELS
from dangvien_cli.core.settings import Rules, rank_of

__all__ = [
    "CRITERIA",
    "Criterion",
    "Eligibility",
    "ResultFact",
    "StudentFacts",
    "add_months",
    "age_eligible_from",
    "evaluate",
    "format_date",
    "leave_date",
    "required_criteria",
    "result_counts_from",
]

# The criteria, in the order they are reported and listed in ``failed``.
CRITERIA: Final = (
    "age",
    "academic",
    "conduct",
    "youth_union",
    "mentor",
    "awareness_class",
    "discipline",
)
_AGE_MODE_WORDS: Final[dict[str, str]] = {"month": "tính theo tháng", "day": "tính theo ngày sinh"}

# --------------------------------------------------------------------------- facts and decisions


@dataclass(frozen=True)
class ResultFact:
    """One term result: ``school_year`` is its first calendar year (2024 = 2024-2025), ``term``
    hk1|hk2|cn, ranks 4 Giỏi/Tốt … 0 Kém, labels the Vietnamese words ("Khá")."""

    school_year: int
    term: str
    academic_rank: int | None
    academic_label: str | None
    conduct_rank: int | None
    conduct_label: str | None


@dataclass(frozen=True)
class StudentFacts:
    """What is known about one student, gathered by the caller; nothing here is judged yet."""

    date_of_birth: date | None
    birth_year: int | None
    results: tuple[ResultFact, ...]
    youth_union_joined: date | None
    # The flag on the most recent roster (by school year and term); None when no roster said.
    youth_union_latest_roster: bool | None
    # The current (not ended) mentor assignment.
    mentor: str | None
    mentor_since: date | None
    class_dates: tuple[date, ...]
    discipline: tuple[tuple[date, str], ...]  # (date, kind)
    # The school year (first calendar year) in which the student is in grade 12.
    grade12_school_year: int | None


@dataclass(frozen=True)
class Criterion:
    """One criterion's verdict: ``ok`` True ✓, False ✗, None ? (unknown), and why."""

    ok: bool | None
    detail: str

    @property
    def mark(self) -> str:
        """✓, ✗ or ?."""
        if self.ok is None:
            return "?"
        return "✓" if self.ok else "✗"


@dataclass(frozen=True)
class Eligibility:
    """Every criterion (keys of :data:`CRITERIA`), the verdict, and the age window."""

    criteria: dict[str, Criterion]
    eligible: bool
    failed: list[str]  # required criteria that are ✗ or ?, in the order of CRITERIA
    first_age_eligible_date: date | None
    leaves_school_on: date | None
    leaves_before_age_eligible: bool


# --------------------------------------------------------------------------- date helpers


# The date helpers are pure and see the same few hundred dates over and over when a province's
# students are judged: each keeps its answers (lru_cache).


@lru_cache(maxsize=8192)
def format_date(d: date) -> str:
    """dd/mm/yyyy."""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


@lru_cache(maxsize=8192)
def add_months(d: date, n: int) -> date:
    """``d`` moved by ``n`` months; a day the target month lacks becomes its last day
    (31/08 + 6 → 28/02 or 29/02; 29/02/2024 + 12 → 28/02/2025)."""
    index = d.year * 12 + (d.month - 1) + n
    year, month0 = divmod(index, 12)
    month = month0 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _birthday(dob: date, year: int) -> date:
    """The birthday in ``year``; 29 February is 28 February in a common year (Civil Code)."""
    if dob.month == 2 and dob.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return date(year, dob.month, dob.day)


def _check_mode(rules: Rules) -> None:
    if rules.age_mode not in _AGE_MODE_WORDS:
        raise ValueError(f"age_mode must be 'month' or 'day', not {rules.age_mode!r}")


def age_eligible_from(
    date_of_birth: date | None, birth_year: int | None, rules: Rules
) -> tuple[date | None, date | None]:
    """(the earliest date the student may be old enough, the date they certainly are).

    With a date of birth both are the same: the first day of the birthday's month (month mode)
    or the birthday itself (day mode) at ``rules.age_min``. With only a birth year Y: 1/1 of
    Y + age_min, and 1/12 (month mode) or 31/12 (day mode) of that year. (None, None) when
    nothing is known.
    """
    _check_mode(rules)
    if date_of_birth is not None:
        year = date_of_birth.year + rules.age_min
        if rules.age_mode == "day":
            found = _birthday(date_of_birth, year)
        else:
            found = date(year, date_of_birth.month, 1)
        return found, found
    if birth_year is not None:
        year = birth_year + rules.age_min
        certain = date(year, 12, 31) if rules.age_mode == "day" else date(year, 12, 1)
        return date(year, 1, 1), certain
    return None, None


@lru_cache(maxsize=1024)
def result_counts_from(school_year: int, term: str, rules: Rules) -> date:
    """The first day a term's result counts: hk1 from ``hk1_known_from``, hk2 and cả năm from the
    day after ``school_year_last_day``, both in the school year's second calendar year (2024 =
    2024-2025: hk1 from 16/01/2025, hk2 and cn from 01/06/2025 by default).

    An hk1 day/month falling on or after the school year's start (``school_year_period_start``,
    e.g. 25/12) is read as in the first calendar year, so hk1 never counts after hk2.
    """
    if term == "hk1":
        day, month = rules.hk1_known_from
        start_day, start_month = rules.school_year_period_start
        in_first_year = (month, day) >= (start_month, start_day)
        return date(school_year if in_first_year else school_year + 1, month, day)
    if term in ("hk2", "cn"):
        day, month = rules.school_year_last_day
        return date(school_year + 1, month, day) + timedelta(days=1)
    raise ValueError(f"term must be one of {TERMS}, not {term!r}")


def leave_date(grade12_school_year: int, rules: Rules) -> date:
    """The day a student in grade 12 in that school year leaves school: its last day
    (grade 12 in 2024-2025 → 31/05/2025)."""
    day, month = rules.school_year_last_day
    return date(grade12_school_year + 1, month, day)


@lru_cache(maxsize=64)
def required_criteria(rules: Rules) -> tuple[str, ...]:
    """The criteria that decide eligibility under ``rules``, in the order of :data:`CRITERIA`."""
    optional = {
        "youth_union": rules.require_youth_union,
        "mentor": rules.require_mentor,
        "awareness_class": rules.require_awareness_class,
        "discipline": rules.require_discipline,
    }
    return tuple(key for key in CRITERIA if optional.get(key, True))


# --------------------------------------------------------------------------- criteria

_rank_of = lru_cache(maxsize=64)(rank_of)


def _age(facts: StudentFacts, as_of: date, rules: Rules) -> tuple[Criterion, date | None]:
    earliest, certain = age_eligible_from(facts.date_of_birth, facts.birth_year, rules)
    n = rules.age_min
    if earliest is None or certain is None:
        return Criterion(None, "Chưa có ngày sinh hay năm sinh nên chưa biết tuổi."), None
    if facts.date_of_birth is not None:
        if as_of >= certain:
            words = _AGE_MODE_WORDS[rules.age_mode]
            return Criterion(True, f"Đủ {n} tuổi từ {format_date(certain)} ({words})."), certain
        return Criterion(False, f"Chưa đủ {n} tuổi: đủ từ {format_date(certain)}."), certain
    known = f"Chỉ biết năm sinh {facts.birth_year}"
    if as_of >= certain:
        detail = f"{known}: chắc chắn đủ {n} tuổi từ {format_date(certain)}."
        return Criterion(True, detail), certain
    if as_of < earliest:
        detail = (
            f"{known}: chưa đủ {n} tuổi; sớm nhất có thể đủ từ {format_date(earliest)}, "
            f"chắc chắn từ {format_date(certain)}."
        )
        return Criterion(False, detail), certain
    detail = (
        f"{known}: có thể đủ {n} tuổi trong năm {earliest.year}, "
        f"chắc chắn từ {format_date(certain)}."
    )
    return Criterion(None, detail), certain


def _term_name(result: ResultFact) -> str:
    label = TERM_LABELS.get(result.term, result.term)
    return f"{label} {school_year_label(result.school_year)}"


def _result_order(result: ResultFact, rules: Rules) -> tuple[date, int, int]:
    """Most recent last: by the day it counts from, then (same day) cả năm after học kỳ II."""
    return (
        result_counts_from(result.school_year, result.term, rules),
        result.school_year,
        TERMS.index(result.term),
    )


def _latest_result(
    results: Iterable[ResultFact], as_of: date, rules: Rules
) -> tuple[ResultFact | None, ResultFact | None]:
    """(the most recent result that counts at ``as_of``, the next one that does not yet)."""
    counting: list[tuple[tuple[date, int, int], ResultFact]] = []
    pending: list[tuple[tuple[date, int, int], ResultFact]] = []
    for result in results:
        order = _result_order(result, rules)
        (counting if order[0] <= as_of else pending).append((order, result))
    latest = max(counting, key=lambda item: item[0])[1] if counting else None
    upcoming = min(pending, key=lambda item: item[0])[1] if pending else None
    return latest, upcoming


def _grade(
    kind: str,
    latest: ResultFact | None,
    upcoming: ResultFact | None,
    as_of: date,
    rules: Rules,
) -> Criterion:
    results_word, value_word = RESULT_WORDS[kind]
    if latest is None:
        detail = f"Chưa có {results_word} nào tính đến ngày {format_date(as_of)}"
        if upcoming is not None:
            counts = result_counts_from(upcoming.school_year, upcoming.term, rules)
            detail += f" (kết quả {_term_name(upcoming)} được tính từ {format_date(counts)})"
        return Criterion(None, detail + ".")
    if kind == "academic":
        rank, label, minimum = latest.academic_rank, latest.academic_label, rules.academic_min
    else:
        rank, label, minimum = latest.conduct_rank, latest.conduct_label, rules.conduct_min
    if rank is None:
        return Criterion(None, f"Kết quả {_term_name(latest)} không ghi {value_word}.")
    shown = f"{label or RANK_WORDS[kind].get(rank, str(rank))} ({_term_name(latest)})"
    needed = _rank_of(minimum)
    if rank >= needed:
        return Criterion(True, f"{shown}.")
    need_word = RANK_WORDS[kind][needed]
    need = f"cần {need_word}" if needed == max(RANK_WORDS[kind]) else f"cần từ {need_word} trở lên"
    return Criterion(False, f"{shown}: {need}.")


def _youth_union(facts: StudentFacts, as_of: date) -> Criterion:
    joined = facts.youth_union_joined
    if joined is not None:
        if joined <= as_of:
            return Criterion(True, f"Vào Đoàn ngày {format_date(joined)}.")
        return Criterion(
            False, f"Vào Đoàn ngày {format_date(joined)}, sau ngày xét {format_date(as_of)}."
        )
    if facts.youth_union_latest_roster is True:
        return Criterion(True, "Danh sách lớp gần nhất ghi là đoàn viên (chưa có ngày vào Đoàn).")
    if facts.youth_union_latest_roster is False:
        return Criterion(False, "Danh sách lớp gần nhất ghi chưa là đoàn viên.")
    return Criterion(None, "Chưa có thông tin là đoàn viên hay không.")


def _mentor(facts: StudentFacts, as_of: date) -> Criterion:
    name, since = facts.mentor, facts.mentor_since
    who = f"Đảng viên giúp đỡ: {name}" if name else "Đã phân công đảng viên giúp đỡ (chưa ghi tên)"
    if since is not None:
        if since <= as_of:
            return Criterion(True, f"{who}, phân công ngày {format_date(since)}.")
        return Criterion(
            False,
            f"{who}, phân công ngày {format_date(since)}, sau ngày xét {format_date(as_of)}.",
        )
    if name:
        return Criterion(None, f"{who}, chưa rõ ngày phân công.")
    return Criterion(False, "Chưa phân công đảng viên giúp đỡ.")


def _awareness_class(facts: StudentFacts, as_of: date, rules: Rules) -> Criterion:
    months = rules.awareness_class_valid_months
    past = [d for d in facts.class_dates if d <= as_of]
    future = [d for d in facts.class_dates if d > as_of]
    parts: list[str] = []
    if past:
        taken = max(past)
        expires = add_months(taken, months)
        if as_of < expires:
            last = expires - timedelta(days=1)
            return Criterion(
                True,
                f"Học lớp bồi dưỡng ngày {format_date(taken)}; giấy chứng nhận còn hạn "
                f"đến hết ngày {format_date(last)}.",
            )
        parts.append(
            f"Giấy chứng nhận ngày {format_date(taken)} hết hạn ngày {format_date(expires)}; "
            "cần học lại."
        )
    if future:
        parts.append(
            f"Lớp bồi dưỡng ngày {format_date(min(future))} sau ngày xét {format_date(as_of)}."
        )
    if not parts:
        parts.append("Chưa học lớp bồi dưỡng nhận thức về Đảng.")
    return Criterion(False, " ".join(parts))


def _discipline(facts: StudentFacts, as_of: date, rules: Rules) -> Criterion:
    months = rules.discipline_months
    blocking = [
        (add_months(day, months), day, kind)
        for day, kind in facts.discipline
        if day <= as_of < add_months(day, months)
    ]
    if not blocking:
        return Criterion(True, f"Không có kỷ luật trong {months} tháng trước ngày xét.")
    ends, day, kind = max(blocking)
    what = f"Bị kỷ luật ({kind.strip()})" if kind.strip() else "Bị kỷ luật"
    last = ends - timedelta(days=1)
    return Criterion(
        False,
        f"{what} ngày {format_date(day)}; còn ảnh hưởng đến hết ngày {format_date(last)}.",
    )


def evaluate(facts: StudentFacts, as_of: date, rules: Rules) -> Eligibility:
    """Judge every criterion for ``facts`` on the day ``as_of`` (the planned chi bộ meeting).

    Criteria the rules do not require are judged and reported all the same, but neither make
    the student ineligible nor appear in ``failed``. Unknown (?) never counts as met.
    """
    age, first_age_date = _age(facts, as_of, rules)
    latest, upcoming = _latest_result(facts.results, as_of, rules)
    criteria = {
        "age": age,
        "academic": _grade("academic", latest, upcoming, as_of, rules),
        "conduct": _grade("conduct", latest, upcoming, as_of, rules),
        "youth_union": _youth_union(facts, as_of),
        "mentor": _mentor(facts, as_of),
        "awareness_class": _awareness_class(facts, as_of, rules),
        "discipline": _discipline(facts, as_of, rules),
    }
    failed = [key for key in required_criteria(rules) if criteria[key].ok is not True]
    leaves = (
        leave_date(facts.grade12_school_year, rules)
        if facts.grade12_school_year is not None
        else None
    )
    return Eligibility(
        criteria=criteria,
        eligible=not failed,
        failed=failed,
        first_age_eligible_date=first_age_date,
        leaves_school_on=leaves,
        leaves_before_age_eligible=(
            leaves is not None and first_age_date is not None and first_age_date > leaves
        ),
    )
