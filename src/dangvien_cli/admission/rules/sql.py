"""The admission rules as set-based SQL: who is eligible, reachable, a member, on a roster.

rules/eligibility.py judges one student at a time in Python and says why; this module asks the
same questions of a whole province at once, so that a list or a count over a million students
is one indexed query instead of a million Python objects. Each condition here is the exact
counterpart of a criterion there (tests/admission/test_sql_rules.py compares the two on generated
students, on SQLite and PostgreSQL); where a date rule has month-end subtleties (60 months
after 31 August, 29 February birthdays) the boundary is worked out in Python with the rules'
own date helpers and handed to SQL as a plain date.

The statements are SQLAlchemy Core over the `student` table (and `person` joined to it) and
run unchanged on SQLite and PostgreSQL.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    false,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Session

from dangvien_cli.admission.pipeline import (
    AWARENESS_CLASS,
    DISCIPLINE,
    MENTOR,
    OUT_OF_QUESTION,
)
from dangvien_cli.admission.rules.eligibility import (
    add_months,
    age_eligible_from,
    leave_date,
    result_counts_from,
)
from dangvien_cli.core.calendar import TERMS
from dangvien_cli.core.settings import Rules
from dangvien_cli.db.models import (
    enrollment_t,
    milestone_t,
    person_t,
    result_t,
    student_t,
    year_t,
    youth_t,
)

__all__ = [
    "Judge",
    "effective_steps",
    "on_rosters",
    "youth_union_ok",
]


# --------------------------------------------------------------------------- milestones


def effective_steps(
    steps: Iterable[str],
    *,
    since: date | None = None,
    until: date | None = None,
    exclude: bool = False,
) -> Select[tuple[int]]:
    """The people with an effective entry — one no other entry of theirs corrects
    (pipeline.effective) — of one of `steps` (with `exclude`, of any other step), dated from
    `since` to `until`, both included."""
    m = milestone_t.alias("m")
    correction = milestone_t.alias("correction")
    wanted = list(steps)
    conds: list[ColumnElement[bool]] = [
        m.c.step.not_in(wanted) if exclude else m.c.step.in_(wanted)
    ]
    if since is not None:
        conds.append(m.c.on_date >= since)
    if until is not None:
        conds.append(m.c.on_date <= until)
    corrected = select(correction.c.id).where(
        correction.c.replaces_id == m.c.id, correction.c.person_id == m.c.person_id
    )
    conds.append(~corrected.exists())
    return select(m.c.person_id).where(*conds)


def _last_day_lapsed(day: date, months: int) -> date:
    """The latest date t for which `months` months after t (rules' add_months) is not after
    `day`: a certificate taken on t or before has lapsed by `day`, a discipline on t or before
    no longer blocks on `day`."""
    t = add_months(day, -months)
    while add_months(t + timedelta(days=1), months) <= day:
        t += timedelta(days=1)
    return t


# --------------------------------------------------------------------------- single criteria


def youth_union_ok(day: date) -> ColumnElement[bool]:
    """On `youth_union`: the Youth Union criterion is ✓ at `day` — joined by then, or no date of
    joining and the latest roster says member (rules.eligibility._youth_union)."""
    yu = youth_t.c
    return or_(yu.joined_on <= day, and_(yu.joined_on.is_(None), yu.is_member.is_(true())))


def on_rosters(year_ids: list[int]) -> ColumnElement[bool]:
    """The student is on a roster of one of these school years (ids)."""
    e = enrollment_t.c
    return (
        select(e.id).where(e.student_id == student_t.c.id, e.school_year_id.in_(year_ids)).exists()
    )


def old_enough(day: date, rules: Rules) -> ColumnElement[bool]:
    """On `person`: the age criterion is ✓ at `day` — equally, the first date the student is
    certainly old enough is `day` or earlier (rules.eligibility.age_eligible_from)."""
    p = person_t.c
    n = rules.age_min
    year = day.year - n
    if rules.age_mode == "day":
        # born on or before the same day n years earlier …
        cut = date(year, day.month, day.day) if _valid(year, day.month, day.day) else None
        cut = cut or date(year, 2, 28)
        by_date: ColumnElement[bool] = p.date_of_birth <= cut
        # … or on 29 February of that year when the birthday then falls on 28 February.
        if calendar.isleap(year) and cut < date(year, 2, 29):
            leap_day = date(year, 2, 29)
            first = age_eligible_from(leap_day, None, rules)[1]
            if first is not None and first <= day:
                by_date = or_(by_date, p.date_of_birth == leap_day)
    else:
        # born in or before the same month n years earlier
        by_date = p.date_of_birth < add_months(date(year, day.month, 1), 1)
    certain = age_eligible_from(None, year, rules)[1]
    last_year = year if certain is not None and certain <= day else year - 1
    return or_(
        and_(p.date_of_birth.is_not(None), by_date),
        and_(p.date_of_birth.is_(None), p.birth_year <= last_year),
    )


def _valid(year: int, month: int, day: int) -> bool:
    return day <= calendar.monthrange(year, month)[1]


# --------------------------------------------------------------------------- the judge


@dataclass(frozen=True)
class Judge:
    """The rules at one date, as SQL conditions on `student` (with `person` joined)."""

    rules: Rules
    day: date
    # (school year id, term) → position among the results that count at `day`, oldest first
    order: dict[tuple[int, str], int]
    years: dict[int, int]  # school year start → id

    @classmethod
    def at(cls, session: Session, day: date, rules: Rules) -> Judge:
        years = {
            int(start): int(i)
            for i, start in session.execute(select(year_t.c.id, year_t.c.start_year))
        }
        keys = sorted(
            (result_counts_from(start, term, rules), start, TERMS.index(term), i, term)
            for start, i in years.items()
            for term in TERMS
            if result_counts_from(start, term, rules) <= day
        )
        order = {(key[3], key[4]): n for n, key in enumerate(keys, start=1)}
        return cls(rules, day, order, years)

    def year_ids(self, starts: Iterable[int]) -> list[int]:
        return [self.years[s] for s in starts if s in self.years]

    # ----------------------------------------------------------------- criteria

    def old_enough(self, day: date | None = None) -> ColumnElement[bool]:
        return old_enough(day or self.day, self.rules)

    def youth_union(self) -> ColumnElement[bool]:
        yu = youth_t.c
        member = select(yu.id).where(yu.person_id == student_t.c.person_id)
        return member.where(youth_union_ok(self.day)).exists()

    def _position(self, r: object) -> ColumnElement[int]:
        c = r.c  # type: ignore[attr-defined]
        whens = [
            (and_(c.school_year_id == year_id, c.term == term), n)
            for (year_id, term), n in self.order.items()
        ]
        return case(*whens, else_=None)

    def grades(self) -> ColumnElement[bool]:
        """Academic and conduct both ✓: the most recent result that counts at the date (by the
        day it counts from, then school year, then term) has both ranks at the minimum."""
        if not self.order:
            return false()
        r, later = result_t.alias("r"), result_t.alias("later")
        here = self._position(r)
        newer = select(later.c.id).where(
            later.c.student_id == r.c.student_id, self._position(later) > here
        )
        return (
            select(r.c.id)
            .where(
                r.c.student_id == student_t.c.id,
                here.is_not(None),
                r.c.academic_rank >= self.rules.academic_rank,
                r.c.conduct_rank >= self.rules.conduct_rank,
                ~newer.exists(),
            )
            .exists()
        )

    def mentor(self) -> ColumnElement[bool]:
        """The latest mentor assignment is dated by the day."""
        st = student_t.c
        return and_(
            st.person_id.in_(effective_steps((MENTOR,), until=self.day)),
            st.person_id.not_in(effective_steps((MENTOR,), since=self.day + timedelta(days=1))),
        )

    def awareness_class(self) -> ColumnElement[bool]:
        """The latest class by the day is within the certificate's months."""
        lapsed = _last_day_lapsed(self.day, self.rules.awareness_class_valid_months)
        since = lapsed + timedelta(days=1)
        return student_t.c.person_id.in_(
            effective_steps((AWARENESS_CLASS,), since=since, until=self.day)
        )

    def no_discipline(self) -> ColumnElement[bool]:
        """No discipline within its months before the day."""
        lapsed = _last_day_lapsed(self.day, self.rules.discipline_months)
        since = lapsed + timedelta(days=1)
        blocking = effective_steps((DISCIPLINE,), since=since, until=self.day)
        return student_t.c.person_id.not_in(blocking)

    def in_question(self) -> ColumnElement[bool]:
        """Not admitted, stopped or handed over by the day."""
        return student_t.c.person_id.not_in(effective_steps(OUT_OF_QUESTION, until=self.day))

    # ----------------------------------------------------------------- verdicts

    def eligible(self) -> list[ColumnElement[bool]]:
        """Eligible and still in question at the day (admission.check_eligibility), as
        conditions to AND together, the most selective first (SQLite starts from it)."""
        rules = self.rules
        conds: list[ColumnElement[bool]] = []
        if rules.require_mentor:
            conds.append(self.mentor())
        if rules.require_awareness_class:
            conds.append(self.awareness_class())
        conds.append(self.old_enough())
        conds.append(self.in_question())
        if rules.require_youth_union:
            conds.append(self.youth_union())
        if rules.require_discipline:
            conds.append(self.no_discipline())
        conds.append(self.grades())
        return conds

    def reachable(self, by: date) -> list[ColumnElement[bool]]:
        """The report's "reachable" (rules/reachable.py) but for leaving school: a candidate (a
        step other than discipline recorded) not admitted nor stopped by the day, with grades
        and Youth Union ✓ at the day, old enough by `by`. Whether they are old enough before
        they leave school is :meth:`old_enough_before_leaving`, on the few rows found
        (lists.reachable_students does both)."""
        st = student_t.c
        return [
            st.person_id.in_(effective_steps((DISCIPLINE,), exclude=True)),
            st.person_id.not_in(effective_steps(OUT_OF_QUESTION, until=self.day)),
            self.old_enough(by),
            self.youth_union(),
            self.grades(),
        ]

    def old_enough_before_leaving(
        self, date_of_birth: date | None, birth_year: int | None, grade12_year: int | None
    ) -> bool:
        """Not leaving school (the grade-12 year's last day) before the first date the student
        is certainly old enough; True when the grade-12 year is not known."""
        if grade12_year is None:
            return True
        first = age_eligible_from(date_of_birth, birth_year, self.rules)[1]
        return first is not None and first <= leave_date(grade12_year, self.rules)


def students_where(
    conds: Iterable[ColumnElement[bool]], school_ids: set[int] | None = None
) -> Select[Any]:
    """(student id, school id) of the students meeting every condition, in scope."""
    st, p = student_t.c, person_t.c
    stmt = select(st.id, st.school_id).join(person_t, p.id == st.person_id).where(*conds)
    if school_ids is not None:
        stmt = stmt.where(st.school_id.in_(sorted(school_ids)))
    return stmt
