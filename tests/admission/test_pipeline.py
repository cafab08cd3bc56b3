"""The pipeline: steps, corrections, order checks, stages, working days and deadlines."""

from __future__ import annotations

import inspect
import unicodedata
from datetime import date, timedelta
from functools import cache

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangvien_cli.admission import pipeline
from dangvien_cli.admission.pipeline import (
    CHAIN,
    STEPS,
    Due,
    Entry,
    PipelineError,
    Step,
    add_working_days,
    ceremony_deadline,
    current_stage,
    decision_deadline,
    due,
    effective,
    funnel,
    is_candidate,
    is_working_day,
    next_step,
    order_problems,
    probation_end,
    step_by_slug,
    vote_deadline,
    working_days_between,
)
from dangvien_cli.core.errors import DangvienError
from dangvien_cli.core.labels import STEP_DATE_WORDS, STEP_LABELS, STEP_NOTE_LABELS

D = date


def history(*steps: tuple[str, date]) -> list[Entry]:
    """Entries numbered 1, 2, … in the order given."""
    return [Entry(id=i, step=s, on_date=d) for i, (s, d) in enumerate(steps, start=1)]


# --------------------------------------------------------------------------------------------
# Steps
# --------------------------------------------------------------------------------------------


def test_steps_in_pipeline_order() -> None:
    assert list(STEPS) == [
        "cam-tinh",
        "lop-boi-duong",
        "phan-cong-giup-do",
        "don-xin-vao-dang",
        "tham-tra-ly-lich",
        "gioi-thieu",
        "lay-y-kien",
        "chi-bo-de-nghi",
        "dang-uy-co-so",
        "quyet-dinh-ket-nap",
        "le-ket-nap",
        "chinh-thuc",
        "ky-luat",
        "dung",
        "chuyen-di",
    ]
    assert all(slug == step.slug for slug, step in STEPS.items())
    assert STEPS["quyet-dinh-ket-nap"] == Step(
        "quyet-dinh-ket-nap", "Quyết định kết nạp", "9-KNĐ", False, None
    )
    assert STEPS["chi-bo-de-nghi"].form == "6-KNĐ"
    assert STEPS["cam-tinh"].form is None


def test_the_sets_of_steps() -> None:
    # The one home of the step sets the lists, the SQL rules, the report and the oracle share.
    assert pipeline.ADMITTED_BY == ("quyet-dinh-ket-nap", "le-ket-nap", "chinh-thuc")
    assert pipeline.STOPPED == ("dung", "chuyen-di")
    assert pipeline.OUT_OF_QUESTION == (
        "quyet-dinh-ket-nap",
        "le-ket-nap",
        "chinh-thuc",
        "dung",
        "chuyen-di",
    )
    assert pipeline.FINISHED == ("chinh-thuc", "dung", "chuyen-di")
    named = (pipeline.ADMITTED, pipeline.AWARENESS_CLASS, pipeline.MENTOR, pipeline.DISCIPLINE)
    assert named == ("quyet-dinh-ket-nap", "lop-boi-duong", "phan-cong-giup-do", "ky-luat")
    every = {*pipeline.OUT_OF_QUESTION, *pipeline.FINISHED, *named}
    assert every <= set(STEPS)
    assert [next_step(slug) for slug in pipeline.FINISHED] == [None, None, None]


def test_every_step_has_its_words() -> None:
    # The words of the steps are core.labels'; every step has a label, and the steps with a
    # note (the three ways out) and the chain (dates in a sentence) have theirs.
    assert list(STEP_LABELS) == list(STEPS)
    assert [s.label for s in STEPS.values()] == list(STEP_LABELS.values())
    assert set(STEP_NOTE_LABELS) == {s.slug for s in STEPS.values() if s.needs_note}
    assert tuple(STEP_DATE_WORDS) == CHAIN


def test_note_required_for_the_three_ways_out() -> None:
    assert {s.slug for s in STEPS.values() if s.needs_note} == {"ky-luat", "dung", "chuyen-di"}
    assert STEPS["dung"].note_label == "Lý do dừng"
    assert STEPS["chuyen-di"].note_label == "Nơi chuyển đến"
    assert STEPS["ky-luat"].note_label == "Hình thức kỷ luật"
    assert all(s.note_label is None for s in STEPS.values() if not s.needs_note)


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("cam-tinh", "cam-tinh"),
        ("camtinh", "cam-tinh"),
        ("  LE-KET-NAP ", "le-ket-nap"),
        ("quyetdinhketnap", "quyet-dinh-ket-nap"),
        ("dung", "dung"),
        ("cảm tình", "cam-tinh"),
        ("lớp bồi dưỡng", "lop-boi-duong"),
        ("Đưa vào danh sách cảm tình Đảng", "cam-tinh"),
        ("dua vao danh sach cam tinh dang", "cam-tinh"),
        ("Lễ kết nạp", "le-ket-nap"),
        ("le ket nap", "le-ket-nap"),
        ("LỄ KẾT NẠP", "le-ket-nap"),
        ("Chi bo xet, de nghi ket nap", "chi-bo-de-nghi"),
        ("don xin vao dang ly lich", "don-xin-vao-dang"),
        ("chuyen sinh hoat/chuyen di", "chuyen-di"),
        ("Dừng xem xét", "dung"),
        ("ky luat", "ky-luat"),
        # Decomposed (NFD) text, as some keyboards type it.
        (unicodedata.normalize("NFD", "Thẩm tra lý lịch"), "tham-tra-ly-lich"),
    ],
)
def test_step_by_slug_accepts_slugs_and_labels(text: str, slug: str) -> None:
    assert step_by_slug(text) is STEPS[slug]


def test_every_slug_and_label_finds_its_own_step() -> None:
    # Two steps sharing a key would make one of these resolve to the other.
    for step in STEPS.values():
        assert step_by_slug(step.slug) is step
        assert step_by_slug(step.slug.replace("-", "")) is step
        assert step_by_slug(step.label) is step


@pytest.mark.parametrize("text", ["ket-nap", "", "chinh thuc hoa", "lớp học"])
def test_unknown_step_lists_the_valid_ones(text: str) -> None:
    with pytest.raises(PipelineError) as caught:
        step_by_slug(text)
    error = caught.value
    assert isinstance(error, DangvienError)
    assert isinstance(error, Exception)
    assert error.message.startswith(f"Không có bước “{text.strip()}”. Các bước hợp lệ: ")
    for step in STEPS.values():
        assert f"{step.slug} ({step.label})" in error.message


# --------------------------------------------------------------------------------------------
# History and corrections
# --------------------------------------------------------------------------------------------


def test_effective_sorts_by_date_then_id() -> None:
    entries = [
        Entry(3, "lop-boi-duong", D(2024, 7, 20)),
        Entry(1, "cam-tinh", D(2024, 3, 1)),
        Entry(2, "phan-cong-giup-do", D(2024, 7, 20)),
    ]
    assert [e.id for e in effective(entries)] == [1, 2, 3]


def test_effective_drops_superseded_entries_through_chains() -> None:
    entries = [
        Entry(1, "lop-boi-duong", D(2024, 7, 2)),
        Entry(2, "phan-cong-giup-do", D(2024, 9, 1), mentor="Trần Văn Hùng"),
        Entry(3, "lop-boi-duong", D(2024, 7, 20), replaces_id=1),  # corrects 1
        Entry(4, "lop-boi-duong", D(2024, 7, 22), replaces_id=3),  # corrects the correction
        Entry(5, "cam-tinh", D(2024, 3, 1)),
    ]
    kept = effective(entries)
    assert [e.id for e in kept] == [5, 4, 2]
    assert kept[1].on_date == D(2024, 7, 22)


def test_a_correction_may_change_the_step() -> None:
    entries = [
        Entry(1, "quyet-dinh-ket-nap", D(2025, 5, 1)),
        Entry(2, "dang-uy-co-so", D(2025, 5, 1), replaces_id=1),
    ]
    assert [(e.id, e.step) for e in effective(entries)] == [(2, "dang-uy-co-so")]


# --------------------------------------------------------------------------------------------
# Order checks
# --------------------------------------------------------------------------------------------


def test_order_message_names_the_rule() -> None:
    existing = history(("chi-bo-de-nghi", D(2025, 3, 20)))
    assert order_problems("quyet-dinh-ket-nap", D(2025, 3, 5), existing) == [
        "Ngày quyết định kết nạp (05/03/2025) không thể trước "
        "ngày chi bộ đề nghị kết nạp (20/03/2025)."
    ]


def test_order_message_for_an_earlier_step_recorded_too_late() -> None:
    existing = history(("le-ket-nap", D(2025, 4, 10)))
    assert order_problems("quyet-dinh-ket-nap", D(2025, 4, 15), existing) == [
        "Ngày quyết định kết nạp (15/04/2025) không thể sau ngày lễ kết nạp (10/04/2025)."
    ]


CHAIN_PAIRS = [(CHAIN[i], CHAIN[j]) for i in range(len(CHAIN)) for j in range(i + 1, len(CHAIN))]


@pytest.mark.parametrize(("before", "after"), CHAIN_PAIRS)
def test_each_chain_pair_refuses_a_later_step_dated_earlier(before: str, after: str) -> None:
    existing = history((before, D(2025, 6, 10)))
    problems = order_problems(after, D(2025, 6, 9), existing)
    assert len(problems) == 1
    assert "(09/06/2025) không thể trước" in problems[0]
    assert "(10/06/2025)" in problems[0]


@pytest.mark.parametrize(("before", "after"), CHAIN_PAIRS)
def test_each_chain_pair_refuses_an_earlier_step_dated_later(before: str, after: str) -> None:
    existing = history((after, D(2025, 6, 10)))
    problems = order_problems(before, D(2025, 6, 11), existing)
    assert len(problems) == 1
    assert "(11/06/2025) không thể sau" in problems[0]


@pytest.mark.parametrize(("before", "after"), CHAIN_PAIRS)
def test_each_chain_pair_accepts_equal_and_ordered_dates(before: str, after: str) -> None:
    same_day = history((before, D(2025, 6, 10)))
    assert order_problems(after, D(2025, 6, 10), same_day) == []
    assert order_problems(after, D(2025, 6, 11), same_day) == []
    assert order_problems(before, D(2025, 6, 10), history((after, D(2025, 6, 10)))) == []
    assert order_problems(before, D(2025, 6, 9), history((after, D(2025, 6, 10)))) == []


def test_missing_earlier_steps_are_not_required() -> None:
    # An old dossier: only the ceremony was recorded.
    ceremony_only = history(("le-ket-nap", D(2020, 5, 19)))
    assert order_problems("chinh-thuc", D(2021, 5, 19), ceremony_only) == []
    assert order_problems("quyet-dinh-ket-nap", D(2020, 5, 4), ceremony_only) == []
    assert order_problems("chinh-thuc", D(2021, 5, 19), []) == []
    assert order_problems("le-ket-nap", D(2020, 5, 19), []) == []


def test_every_conflict_is_reported() -> None:
    existing = history(
        ("chi-bo-de-nghi", D(2025, 3, 20)),
        ("dang-uy-co-so", D(2025, 4, 2)),
        ("le-ket-nap", D(2025, 3, 1)),
    )
    assert order_problems("quyet-dinh-ket-nap", D(2025, 3, 15), existing) == [
        "Ngày quyết định kết nạp (15/03/2025) không thể trước "
        "ngày chi bộ đề nghị kết nạp (20/03/2025).",
        "Ngày quyết định kết nạp (15/03/2025) không thể trước "
        "ngày đảng ủy cơ sở đề nghị kết nạp (02/04/2025).",
        "Ngày quyết định kết nạp (15/03/2025) không thể sau ngày lễ kết nạp (01/03/2025).",
    ]


@pytest.mark.parametrize(
    "step",
    [s for s in STEPS if s not in CHAIN],
)
def test_steps_outside_the_chain_are_never_refused(step: str) -> None:
    existing = history(
        ("chi-bo-de-nghi", D(2025, 3, 20)),
        ("quyet-dinh-ket-nap", D(2025, 4, 20)),
        ("le-ket-nap", D(2025, 5, 5)),
    )
    assert order_problems(step, D(2020, 1, 1), existing) == []
    assert order_problems(step, D(2030, 1, 1), existing) == []


def test_steps_outside_the_chain_do_not_constrain_it() -> None:
    existing = history(("lay-y-kien", D(2025, 4, 1)), ("gioi-thieu", D(2025, 4, 2)))
    assert order_problems("chi-bo-de-nghi", D(2025, 3, 1), existing) == []


def test_superseded_entries_do_not_count() -> None:
    existing = [
        Entry(1, "chi-bo-de-nghi", D(2025, 3, 20)),
        Entry(2, "chi-bo-de-nghi", D(2025, 2, 20), replaces_id=1),
    ]
    assert order_problems("quyet-dinh-ket-nap", D(2025, 3, 5), existing) == []


def test_the_entry_being_corrected_does_not_count() -> None:
    existing = history(("chi-bo-de-nghi", D(2025, 3, 20)), ("quyet-dinh-ket-nap", D(2025, 4, 1)))
    # Correcting the recommendation to a date after the wrongly typed decision…
    assert order_problems("chi-bo-de-nghi", D(2025, 4, 3), existing, replaces=1) != []
    # …but correcting the decision itself ignores the old decision date.
    assert order_problems("quyet-dinh-ket-nap", D(2025, 3, 25), existing, replaces=2) == []
    assert order_problems("dang-uy-co-so", D(2025, 4, 5), existing, replaces=2) == []


# --------------------------------------------------------------------------------------------
# Stage
# --------------------------------------------------------------------------------------------


def test_no_stage_without_steps() -> None:
    assert current_stage([]) is None
    assert not is_candidate([])
    only_discipline = [Entry(1, "ky-luat", D(2025, 1, 1), note="Khiển trách")]
    assert current_stage(only_discipline) is None
    assert not is_candidate(only_discipline)
    assert due(only_discipline, D(2025, 6, 1)) == Due(None, None, 0)


def test_stage_is_the_latest_step_by_date() -> None:
    entries = history(
        ("cam-tinh", D(2024, 3, 1)),
        ("phan-cong-giup-do", D(2024, 9, 1)),
        ("lop-boi-duong", D(2024, 7, 20)),  # recorded later, happened earlier
        ("ky-luat", D(2024, 10, 1)),
    )
    assert current_stage(entries) == ("phan-cong-giup-do", D(2024, 9, 1))
    assert is_candidate(entries)


def test_stage_ties_go_to_the_later_step() -> None:
    entries = history(("le-ket-nap", D(2025, 5, 5)), ("quyet-dinh-ket-nap", D(2025, 5, 5)))
    assert current_stage(entries) == ("le-ket-nap", D(2025, 5, 5))
    entries = history(("dung", D(2025, 5, 5)), ("lay-y-kien", D(2025, 5, 5)))
    assert current_stage(entries) == ("dung", D(2025, 5, 5))


def test_stage_follows_corrections() -> None:
    entries = [
        Entry(1, "cam-tinh", D(2024, 3, 1)),
        Entry(2, "lop-boi-duong", D(2025, 7, 20)),  # typed the wrong year
        Entry(3, "lop-boi-duong", D(2024, 7, 20), replaces_id=2),
        Entry(4, "phan-cong-giup-do", D(2024, 9, 1)),
    ]
    assert current_stage(entries) == ("phan-cong-giup-do", D(2024, 9, 1))


def test_a_candidate_can_come_back_after_stopping() -> None:
    entries = history(
        ("cam-tinh", D(2023, 3, 1)), ("dung", D(2023, 9, 1)), ("cam-tinh", D(2024, 3, 1))
    )
    assert current_stage(entries) == ("cam-tinh", D(2024, 3, 1))


@pytest.mark.parametrize(
    ("stage", "following"),
    [
        ("cam-tinh", "lop-boi-duong"),
        ("lop-boi-duong", "phan-cong-giup-do"),
        ("phan-cong-giup-do", "don-xin-vao-dang"),
        ("don-xin-vao-dang", "tham-tra-ly-lich"),
        ("tham-tra-ly-lich", "gioi-thieu"),
        ("gioi-thieu", "lay-y-kien"),
        ("lay-y-kien", "chi-bo-de-nghi"),
        ("chi-bo-de-nghi", "dang-uy-co-so"),
        ("dang-uy-co-so", "quyet-dinh-ket-nap"),
        ("quyet-dinh-ket-nap", "le-ket-nap"),
        ("le-ket-nap", "chinh-thuc"),
        ("chinh-thuc", None),
        ("dung", None),
        ("chuyen-di", None),
        ("ky-luat", None),
    ],
)
def test_next_step(stage: str, following: str | None) -> None:
    assert next_step(stage) == following


def test_next_step_of_an_unknown_stage() -> None:
    with pytest.raises(PipelineError):
        next_step("ket-nap")


def test_funnel_has_every_stage_in_order() -> None:
    counts = funnel(["cam-tinh", "le-ket-nap", "cam-tinh", "dung", "chinh-thuc"])
    assert [slug for slug, _ in counts] == [s for s in STEPS if s != "ky-luat"]
    assert dict(counts) == {
        **{s: 0 for s in STEPS if s != "ky-luat"},
        "cam-tinh": 2,
        "le-ket-nap": 1,
        "dung": 1,
        "chinh-thuc": 1,
    }
    assert all(n == 0 for _, n in funnel([]))


# --------------------------------------------------------------------------------------------
# Working days
# --------------------------------------------------------------------------------------------


def test_holidays_library_knows_vietnam_2025() -> None:
    # What the rest of this file relies on, as the library states it.
    vn = holidays.country_holidays("VN", years=2025)
    for day in [D(2025, 1, 27), D(2025, 1, 28), D(2025, 1, 29), D(2025, 1, 30), D(2025, 1, 31)]:
        assert day in vn  # Tết Ất Tỵ: 29 Tết to mùng 3 fall on weekdays
    assert D(2025, 4, 7) in vn  # Giỗ Tổ Hùng Vương, 10/3 âm lịch
    assert {D(2025, 4, 30), D(2025, 5, 1), D(2025, 5, 2)} <= set(vn)
    assert {D(2025, 9, 1), D(2025, 9, 2)} <= set(vn)
    assert D(2025, 4, 26) in vn.weekend_workdays  # Saturday worked in exchange for 2/5


def test_tet_2025() -> None:
    for day in range(27, 32):
        assert not is_working_day(D(2025, 1, day))
    # Friday before Tết → Monday after it.
    assert add_working_days(D(2025, 1, 24), 1) == D(2025, 2, 3)
    assert working_days_between(D(2025, 1, 24), D(2025, 2, 3)) == 1
    assert working_days_between(D(2025, 1, 20), D(2025, 2, 7)) == 4 + 5


def test_gio_to_hung_vuong_2025() -> None:
    assert not is_working_day(D(2025, 4, 7))
    assert add_working_days(D(2025, 4, 4), 1) == D(2025, 4, 8)
    assert working_days_between(D(2025, 4, 4), D(2025, 4, 11)) == 4


def test_reunification_and_labour_day_2025() -> None:
    # 30/4 and 1/5 by law; 2/5 off in exchange for Saturday 26/4, which was worked.
    for day in (D(2025, 4, 30), D(2025, 5, 1), D(2025, 5, 2)):
        assert not is_working_day(day)
    assert is_working_day(D(2025, 4, 26))
    assert add_working_days(D(2025, 4, 29), 1) == D(2025, 5, 5)
    assert add_working_days(D(2025, 4, 25), 1) == D(2025, 4, 26)
    assert working_days_between(D(2025, 4, 25), D(2025, 5, 5)) == 4  # 26, 28, 29/4 and 5/5


def test_national_day_2025() -> None:
    assert not is_working_day(D(2025, 9, 1))
    assert not is_working_day(D(2025, 9, 2))
    assert add_working_days(D(2025, 8, 29), 1) == D(2025, 9, 3)


def test_working_days_in_2025() -> None:
    # 365 days − 104 weekend days − 12 weekday holidays + Saturday 26/4.
    assert working_days_between(D(2024, 12, 31), D(2025, 12, 31)) == 250


def test_working_day_arithmetic_edges() -> None:
    assert add_working_days(D(2025, 1, 1), 0) == D(2025, 1, 1)
    assert working_days_between(D(2025, 3, 10), D(2025, 3, 10)) == 0
    assert working_days_between(D(2025, 3, 14), D(2025, 3, 10)) == -4
    with pytest.raises(ValueError):
        add_working_days(D(2025, 1, 1), -1)


dates = st.dates(min_value=D(2000, 1, 1), max_value=D(2060, 12, 31))


def _library(day: date) -> holidays.HolidayBase:
    return _library_around(day.year)


@cache
def _library_around(year: int) -> holidays.HolidayBase:
    # The neighbouring years too: a swap may move a working day across New Year.
    return holidays.country_holidays("VN", years=range(year - 1, year + 2))


def _non_working_by_the_library(day: date) -> bool:
    vn = _library(day)
    if day.weekday() >= 5:
        return day not in vn.weekend_workdays
    return day in vn


@given(dates, st.integers(min_value=1, max_value=200))
def test_add_working_days_lands_on_a_working_day(start: date, n: int) -> None:
    end = add_working_days(start, n)
    assert end > start
    vn = _library(end)
    assert end not in vn  # never a public holiday
    # Never a weekend, unless the government made that Saturday a working day.
    assert end.weekday() < 5 or end in vn.weekend_workdays


@given(dates, st.integers(min_value=0, max_value=200))
def test_add_working_days_is_strictly_increasing(start: date, n: int) -> None:
    assert add_working_days(start, n) < add_working_days(start, n + 1)


@given(dates, st.integers(min_value=0, max_value=200))
def test_working_days_between_inverts_add(start: date, n: int) -> None:
    end = add_working_days(start, n)
    assert working_days_between(start, end) == n
    assert working_days_between(end, start) == -n


@given(dates, dates)
def test_working_days_between_counts_working_days(a: date, b: date) -> None:
    lo, hi = min(a, b), max(a, b)
    if (hi - lo).days > 400:
        hi = lo + timedelta(days=400)
    days = [lo + timedelta(days=i) for i in range(1, (hi - lo).days + 1)]
    assert working_days_between(lo, hi) == sum(not _non_working_by_the_library(d) for d in days)


# --------------------------------------------------------------------------------------------
# Deadlines
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ceremony", "end"),
    [
        (D(2024, 2, 29), D(2025, 2, 28)),
        (D(2024, 1, 31), D(2025, 1, 31)),
        (D(2025, 1, 20), D(2026, 1, 20)),
        (D(2024, 12, 31), D(2025, 12, 31)),
        (D(2023, 2, 28), D(2024, 2, 28)),
    ],
)
def test_probation_end(ceremony: date, end: date) -> None:
    assert probation_end(ceremony) == end


def test_decision_deadline_counts_giỗ_tổ_and_30_4() -> None:
    # 10/03/2025 + 60 working days, skipping 7/4, 30/4, 1/5, 2/5 and working Saturday 26/4.
    assert decision_deadline(D(2025, 3, 10)) == D(2025, 6, 5)
    # The special case: 30 more working days.
    assert decision_deadline(D(2025, 3, 10), 90) == D(2025, 7, 17)


def test_ceremony_and_vote_deadlines() -> None:
    assert ceremony_deadline(D(2025, 6, 5)) == D(2025, 7, 17)
    # Ceremony 20/01/2025 → probation ends 20/01/2026 → 30 working days, Tết 16–20/02/2026 off.
    assert vote_deadline(D(2025, 1, 20)) == D(2026, 3, 10)


def test_due_before_the_recommendation_has_no_deadline() -> None:
    entries = history(("cam-tinh", D(2024, 3, 1)), ("lop-boi-duong", D(2024, 7, 20)))
    assert due(entries, D(2030, 1, 1)) == Due("phan-cong-giup-do", None, 0)
    assert due(history(("cam-tinh", D(2024, 3, 1))), D(2025, 1, 1)) == Due("lop-boi-duong", None, 0)
    assert due(history(("lay-y-kien", D(2025, 2, 1))), D(2025, 6, 1)) == Due(
        "chi-bo-de-nghi", None, 0
    )


def test_due_after_the_recommendation() -> None:
    entries = history(("lay-y-kien", D(2025, 2, 20)), ("chi-bo-de-nghi", D(2025, 3, 10)))
    assert due(entries, D(2025, 5, 1)) == Due("dang-uy-co-so", D(2025, 6, 5), 0)
    assert due(entries, D(2025, 6, 5)) == Due("dang-uy-co-so", D(2025, 6, 5), 0)
    assert due(entries, D(2025, 6, 6)) == Due("dang-uy-co-so", D(2025, 6, 5), 1)
    assert due(entries, D(2025, 6, 15), decision_days=90) == Due("dang-uy-co-so", D(2025, 7, 17), 0)


def test_due_after_the_base_committee_counts_from_the_recommendation() -> None:
    entries = history(("chi-bo-de-nghi", D(2025, 3, 10)), ("dang-uy-co-so", D(2025, 3, 25)))
    assert due(entries, D(2025, 6, 10)) == Due("quyet-dinh-ket-nap", D(2025, 6, 5), 5)
    # An old dossier without the chi bộ's date: no deadline can be computed.
    assert due(history(("dang-uy-co-so", D(2025, 3, 25))), D(2025, 9, 1)) == Due(
        "quyet-dinh-ket-nap", None, 0
    )


def test_due_after_the_decision_and_the_ceremony() -> None:
    entries = history(
        ("chi-bo-de-nghi", D(2025, 3, 10)),
        ("quyet-dinh-ket-nap", D(2025, 6, 5)),
    )
    assert due(entries, D(2025, 8, 1)) == Due("le-ket-nap", D(2025, 7, 17), 15)
    entries = history(
        ("chi-bo-de-nghi", D(2024, 11, 4)),
        ("quyet-dinh-ket-nap", D(2025, 1, 6)),
        ("le-ket-nap", D(2025, 1, 20)),
    )
    assert due(entries, D(2025, 9, 1)) == Due("chinh-thuc", D(2026, 3, 10), 0)
    assert due(entries, D(2026, 3, 20)) == Due("chinh-thuc", D(2026, 3, 10), 10)


def test_due_follows_a_corrected_decision_date() -> None:
    entries = [
        Entry(1, "chi-bo-de-nghi", D(2025, 3, 10)),
        Entry(2, "quyet-dinh-ket-nap", D(2025, 5, 6)),
        Entry(3, "quyet-dinh-ket-nap", D(2025, 6, 5), replaces_id=2),
    ]
    assert due(entries, D(2025, 7, 1)).deadline == D(2025, 7, 17)


@pytest.mark.parametrize("end", ["chinh-thuc", "dung", "chuyen-di"])
def test_nothing_is_due_at_the_end(end: str) -> None:
    entries = history(("le-ket-nap", D(2024, 1, 20)), (end, D(2025, 1, 20)))
    assert due(entries, D(2030, 1, 1)) == Due(None, None, 0)


def test_no_implicit_today() -> None:
    assert "today(" not in inspect.getsource(pipeline)
