"""The pipeline of one candidate: its steps, their history, the current stage and the deadlines."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Final

from dangvien_cli.core.errors import UsageError
from dangvien_cli.core.labels import STEP_DATE_WORDS, STEP_LABELS, STEP_NOTE_LABELS
from dangvien_cli.core.text import fold

__all__ = [
    "ADMITTED",
    "ADMITTED_BY",
    "AWARENESS_CLASS",
    "CEREMONY_WORKING_DAYS",
    "CHAIN",
    "DECISION_WORKING_DAYS",
    "DISCIPLINE",
    "FINISHED",
    "MENTOR",
    "ONCE_PER_CANDIDACY",
    "OUT_OF_QUESTION",
    "PROBATION_MONTHS",
    "STEPS",
    "STOPPED",
    "VOTE_WORKING_DAYS",
    "Due",
    "Entry",
    "PipelineError",
    "Step",
    "add_working_days",
    "ceremony_deadline",
    "current_stage",
    "decision_deadline",
    "due",
    "effective",
    "funnel",
    "is_candidate",
    "is_working_day",
    "next_step",
    "order_problems",
    "probation_end",
    "step_by_slug",
    "vote_deadline",
    "working_days_between",
]


class PipelineError(UsageError):
    """A step the pipeline does not know; the message lists the ones it does."""


# --------------------------------------------------------------------------------------------
# Steps
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One step of the pipeline: its command-line slug, its Vietnamese label, the form that
    records it (None where there is no standard form), and whether --note is required."""

    slug: str
    label: str
    form: str | None
    needs_note: bool = False
    note_label: str | None = None


# Each step in pipeline order with the form that records it; its label, and the label of its
# note when it requires one, are core.labels'.
_FORMS: dict[str, str | None] = {
    "cam-tinh": None,
    "lop-boi-duong": "CN-NTVĐ",
    "phan-cong-giup-do": None,
    "don-xin-vao-dang": "1-KNĐ, 2-KNĐ",
    "tham-tra-ly-lich": None,
    "gioi-thieu": "3-KNĐ, 4-KNĐ",
    "lay-y-kien": "5-KNĐ",
    "chi-bo-de-nghi": "6-KNĐ",
    "dang-uy-co-so": "8-KNĐ",
    "quyet-dinh-ket-nap": "9-KNĐ",
    "le-ket-nap": None,
    "chinh-thuc": "10–15-KNĐ",
    "ky-luat": None,
    "dung": None,
    "chuyen-di": None,
}
_STEP_LIST = tuple(
    Step(
        slug,
        STEP_LABELS[slug],
        form,
        slug in STEP_NOTE_LABELS,
        STEP_NOTE_LABELS.get(slug),
    )
    for slug, form in _FORMS.items()
)

STEPS: dict[str, Step] = {s.slug: s for s in _STEP_LIST}
"""Every step, in pipeline order (the three ways out — kỷ luật, dừng, chuyển đi — last)."""

# The steps the rules look at by name (tests/admission/test_pipeline.py checks each is a step).
AWARENESS_CLASS: Final = "lop-boi-duong"
"""The awareness class: its date starts the certificate's validity."""
MENTOR: Final = "phan-cong-giup-do"
"""A party member assigned to help: the latest assignment is the mentor."""
ADMITTED: Final = "quyet-dinh-ket-nap"
"""The admission decision: its date is the day a candidate is counted as admitted."""
DISCIPLINE: Final = "ky-luat"
"""A discipline is a fact about the person, not a stage of their dossier."""

# The sets of steps, the one home of each (the lists, the SQL rules, the report, the checks and
# the tests' oracle all take them from here).
ADMITTED_BY: Final = (ADMITTED, "le-ket-nap", "chinh-thuc")
"""Admitted by a date: a ceremony or full membership recorded without its decision counts too."""
ONCE_PER_CANDIDACY: Final = ADMITTED_BY
"""Steps a candidate has once: one admission decision, one ceremony, one full membership. A
second entry of one of them (another date or number) contradicts the first; it is corrected
with --replaces, never added beside it."""
STOPPED: Final = ("dung", "chuyen-di")
"""Stopped (dừng) or handed over to another cell (chuyển đi)."""
OUT_OF_QUESTION: Final = ADMITTED_BY + STOPPED
"""Steps after which a student is no longer a question for eligibility."""
FINISHED: Final = ("chinh-thuc", *STOPPED)
"""Steps after which nothing more is expected: `candidates` hides them unless asked."""

_ORDER = {slug: i for i, slug in enumerate(STEPS)}
# The steps that move a candidate forward, one after the other.
_FORWARD = tuple(STEPS)[: _ORDER["chinh-thuc"] + 1]
_FINAL = frozenset(FINISHED)
_NOT_A_STAGE = DISCIPLINE

CHAIN: tuple[str, ...] = (
    "chi-bo-de-nghi",
    "dang-uy-co-so",
    "quyet-dinh-ket-nap",
    "le-ket-nap",
    "chinh-thuc",
)
"""The steps whose dates must not go backwards, in the order their dates must follow."""


def _key(text: str) -> str:
    # Letters and digits only, so "cam-tinh", "camtinh", "Cam tinh" and "CẢM TÌNH" all meet.
    return "".join(c for c in fold(text) if c.isalnum())


# A test checks that no two steps share a key.
_BY_KEY: dict[str, Step] = {_key(t): s for s in _STEP_LIST for t in (s.slug, s.label)}


def step_by_slug(text: str) -> Step:
    """The step a user means: its slug ("cam-tinh"), the slug without dashes ("camtinh"), or
    its label with or without diacritics ("Lễ kết nạp", "le ket nap")."""
    step = _BY_KEY.get(_key(text))
    if step is None:
        known = "; ".join(f"{s.slug} ({s.label})" for s in _STEP_LIST)
        raise PipelineError(f"Không có bước “{text.strip()}”. Các bước hợp lệ: {known}.")
    return step


def _step(slug: str) -> Step:
    try:
        return STEPS[slug]
    except KeyError:
        return step_by_slug(slug)  # raises with the list of steps, or accepts a loose spelling


def next_step(stage: str) -> str | None:
    """The step expected after `stage`; None after the last one and after dừng / chuyển đi."""
    slug = _step(stage).slug
    if slug in _FINAL or slug == _NOT_A_STAGE:
        return None
    return _FORWARD[_ORDER[slug] + 1]


# --------------------------------------------------------------------------------------------
# History
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One recorded step of one student. Corrections never overwrite: a new entry names the
    one it corrects in `replaces_id`."""

    id: int
    step: str
    on_date: date
    replaces_id: int | None = None
    doc_number: str | None = None
    mentor: str | None = None
    note: str | None = None


def effective(entries: Iterable[Entry]) -> list[Entry]:
    """The entries that still hold, by (date, id): every entry another one replaces is dropped,
    so in a chain of corrections A ← B ← C only C remains."""
    items = list(entries)
    replaced = {e.replaces_id for e in items if e.replaces_id is not None}
    return sorted((e for e in items if e.id not in replaced), key=lambda e: (e.on_date, e.id))


def _fmt(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def order_problems(
    step: str, on_date: date, existing: Iterable[Entry], *, replaces: int | None = None
) -> list[str]:
    """Why a new `step` on `on_date` would put the chain chi bộ đề nghị ≤ đảng ủy cơ sở ≤
    quyết định ≤ lễ kết nạp ≤ chính thức out of order against the steps already recorded;
    empty when it fits. Equal dates are allowed, missing steps are not required (old dossiers
    are incomplete), and steps outside the chain are never refused.

    `replaces` is the id of the entry the new one corrects: that entry no longer counts.
    """
    slug = _step(step).slug
    if slug not in CHAIN:
        return []
    here = CHAIN.index(slug)
    problems: list[tuple[int, date, str]] = []
    for e in effective(existing):
        if e.id == replaces or e.step not in CHAIN or e.step == slug:
            continue
        there = CHAIN.index(e.step)
        if there < here and e.on_date > on_date:
            relation = "trước"
        elif there > here and e.on_date < on_date:
            relation = "sau"
        else:
            continue
        message = (
            f"Ngày {STEP_DATE_WORDS[slug]} ({_fmt(on_date)}) không thể {relation} "
            f"ngày {STEP_DATE_WORDS[e.step]} ({_fmt(e.on_date)})."
        )
        problems.append((there, e.on_date, message))
    seen: set[str] = set()
    out: list[str] = []
    for _, _, message in sorted(problems):
        if message not in seen:
            seen.add(message)
            out.append(message)
    return out


# --------------------------------------------------------------------------------------------
# Stage
# --------------------------------------------------------------------------------------------


def _stage_entries(entries: Iterable[Entry]) -> list[Entry]:
    return [e for e in effective(entries) if e.step != _NOT_A_STAGE]


def current_stage(entries: Iterable[Entry]) -> tuple[str, date] | None:
    """The latest step (by date; on the same day the one later in the pipeline) and its date;
    a discipline is not a stage. None when no step is recorded."""
    steps = _stage_entries(entries)
    if not steps:
        return None
    last = max(steps, key=lambda e: (e.on_date, _ORDER.get(e.step, -1), e.id))
    return last.step, last.on_date


def is_candidate(entries: Iterable[Entry]) -> bool:
    """A candidate has at least one step of the pipeline recorded (a discipline alone is not)."""
    return bool(_stage_entries(entries))


def funnel(stages: Iterable[str]) -> list[tuple[str, int]]:
    """How many candidates stand at each stage, every stage in pipeline order, zeros included."""
    counts = {slug: 0 for slug in STEPS if slug != _NOT_A_STAGE}
    for stage in stages:
        slug = _step(stage).slug
        if slug in counts:
            counts[slug] += 1
    return list(counts.items())


# --------------------------------------------------------------------------------------------
# Working days
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=512)
def _year_calendar(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """(days off, weekend days worked instead) of one year, as the holidays library knows them.

    The neighbouring years are loaded too: a swap decided for one year may move a working day
    into the year before it (2015's 2 January was worked on Saturday 27/12/2014).
    """
    import holidays  # only where deadlines are counted: it costs start-up time (issue 5)

    years = range(max(year - 1, date.min.year), min(year + 1, date.max.year) + 1)
    vn = holidays.country_holidays("VN", years=years)
    days_off = frozenset(d for d in vn if d.year == year)
    worked = frozenset(d for d in vn.weekend_workdays if d.year == year)
    return days_off, worked


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a Vietnamese public holiday (Tết and Giỗ Tổ included, and the
    days off the government swaps each year); a Saturday the government made a working day in
    exchange for one of those days off is a working day."""
    days_off, worked = _year_calendar(day.year)
    if day.weekday() >= 5:
        return day in worked
    return day not in days_off


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after `start` (`start` itself when n is 0)."""
    if n < 0:
        raise ValueError(f"n must not be negative, got {n}")
    day = start
    while n:
        day += timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def working_days_between(a: date, b: date) -> int:
    """The working days after `a` up to and including `b` (negative when `b` is before `a`), so
    that working_days_between(d, add_working_days(d, n)) == n."""
    if b < a:
        return -working_days_between(b, a)
    return sum(is_working_day(a + timedelta(days=i)) for i in range(1, (b - a).days + 1))


# --------------------------------------------------------------------------------------------
# Deadlines
# --------------------------------------------------------------------------------------------

DECISION_WORKING_DAYS = 60
"""The upper committee decides within 60 working days of the chi bộ's resolution (more in
special cases: see the `decision_days` parameters)."""
CEREMONY_WORKING_DAYS = 30
"""The ceremony is held within 30 working days of the decision."""
PROBATION_MONTHS = 12
"""Probation (dự bị) runs 12 months from the ceremony."""
VOTE_WORKING_DAYS = 30
"""The chi bộ votes on full membership within 30 working days after probation ends."""


def decision_deadline(recommended: date, decision_days: int = DECISION_WORKING_DAYS) -> date:
    """The last day for the admission decision, counted from the chi bộ's recommendation."""
    return add_working_days(recommended, decision_days)


def ceremony_deadline(decision: date) -> date:
    """The last day for the admission ceremony, counted from the decision's date (the day it
    is received is rarely recorded)."""
    return add_working_days(decision, CEREMONY_WORKING_DAYS)


def probation_end(ceremony: date) -> date:
    """12 months after the ceremony, the same day of the month (the last day of the month when
    that month is shorter: 29/02/2024 → 28/02/2025)."""
    months = ceremony.month - 1 + PROBATION_MONTHS
    year, month = ceremony.year + months // 12, months % 12 + 1
    return date(year, month, min(ceremony.day, calendar.monthrange(year, month)[1]))


def vote_deadline(ceremony: date) -> date:
    """The last day for the full-membership vote: 30 working days after probation ends."""
    return add_working_days(probation_end(ceremony), VOTE_WORKING_DAYS)


@dataclass(frozen=True)
class Due:
    """What a candidate is waiting for: the next step, the legal deadline for it when there is
    one, and how many calendar days that deadline has passed (0 when not passed or none)."""

    next_step: str | None
    deadline: date | None
    overdue_days: int


def due(
    entries: Iterable[Entry], as_of: date, *, decision_days: int = DECISION_WORKING_DAYS
) -> Due:
    """The next step from the current stage, with its deadline as of `as_of`.

    Deadlines exist only from the chi bộ's recommendation on: after it (and after the đảng ủy
    cơ sở's resolution, which must come before the decision anyway) the decision deadline,
    counted from the recommendation; after the decision the ceremony deadline; after the
    ceremony the full-membership vote deadline. Earlier steps have no legal deadline.
    """
    steps = _stage_entries(entries)
    stage = current_stage(steps)
    if stage is None:
        return Due(None, None, 0)
    slug, since = stage
    following = next_step(slug)
    deadline: date | None = None
    if slug == "chi-bo-de-nghi":
        deadline = decision_deadline(since, decision_days)
    elif slug == "dang-uy-co-so":
        recommended = [e.on_date for e in steps if e.step == "chi-bo-de-nghi"]
        if recommended:
            deadline = decision_deadline(max(recommended), decision_days)
    elif slug == "quyet-dinh-ket-nap":
        deadline = ceremony_deadline(since)
    elif slug == "le-ket-nap":
        deadline = vote_deadline(since)
    overdue = max((as_of - deadline).days, 0) if deadline is not None else 0
    return Due(following, deadline, overdue)
