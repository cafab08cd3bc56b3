"""The comparisons of the SQL rules with the Python rules, shared by SQLite and PostgreSQL tests.

Each check runs on a database filled by edge_province.populate, under several settings, at
several meeting days: the students `eligible --json` lists must be exactly those the Python rules
find eligible (same rows, same JSON, same order), the students the SQL finds reachable must be
exactly those rules/reachable.py finds, and every figure of the report, with the names behind
it, must equal what judging every student one by one gives (tests/oracle.py).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

import oracle
from dangvien_cli.admission.lists import check_eligibility, reachable_students
from dangvien_cli.admission.rules.sql import Judge, students_where
from dangvien_cli.core.calendar import period_of
from dangvien_cli.db.models import school_t, setting_t, student_t
from dangvien_cli.db.settings import current_rules
from dangvien_cli.reports.figures import Scope, build_report
from edge_province import MEETINGS, NOW

# Settings that change the rules, each tried in turn (keys as `dangvien config set` takes them).
SETTINGS: dict[str, dict[str, str]] = {
    "defaults": {},
    "age by day": {"age.mode": "day"},
    "age 20 by day (29 February of a leap year 20 years on)": {"age.mode": "day", "age.min": "20"},
    "stricter grades": {"academic.min": "gioi", "conduct.min": "kha"},
    "lower grades, no mentor, no class": {
        "academic.min": "tb",
        "conduct.min": "dat",
        "require.mentor": "false",
        "require.awareness_class": "false",
    },
    "short validity, no youth union, no discipline": {
        "awareness_class.valid_months": "7",
        "discipline.months": "1",
        "require.youth_union": "false",
        "require.discipline": "false",
    },
    "other term dates": {
        "term.hk1_known_from": "25/12",
        "school_year.last_day": "30/06",
        "school_year.period_start": "15/08",
    },
}


def use_settings(session: Session, values: dict[str, str]) -> None:
    session.execute(delete(setting_t))
    for key, value in values.items():
        session.execute(insert(setting_t).values(key=key, value=value, updated_at=NOW))


def check_eligible(session: Session, label: str) -> int:
    """For every meeting day: the SQL finds exactly the eligible students, and the fast
    `eligible` rows are the full path's eligible rows. Returns how many were eligible in all."""
    found = 0
    rules = current_rules(session)
    for day in MEETINGS:
        expected = oracle.eligible_ids(session, day)
        judge = Judge.at(session, day, rules)
        by_sql = sorted(int(row[0]) for row in session.execute(students_where(judge.eligible())))
        assert by_sql == sorted(expected), (label, day)
        _, fast = check_eligibility(session, as_of=day, only_eligible=True)
        _, every = check_eligibility(session, as_of=day)
        assert [r.as_json() for r in fast] == [r.as_json() for r in every if r.result.eligible], (
            label,
            day,
        )
        found += len(expected)
    # A school, a grade and a class narrow both paths alike (the class is the one at the date).
    narrowed = 0
    for scope in ({"school_ids": {1}}, {"grade": 12}, {"school_ids": {2, 3}, "class_name": "12A1"}):
        day = MEETINGS[3]
        _, fast = check_eligibility(session, as_of=day, only_eligible=True, **scope)
        _, every = check_eligibility(session, as_of=day, **scope)
        eligible = [r.as_json() for r in every if r.result.eligible]
        assert [r.as_json() for r in fast] == eligible, (label, scope)
        narrowed += len(eligible)
    assert narrowed or not found, label  # the narrowed lists are not all empty
    return found


def check_reachable(session: Session, label: str) -> int:
    """For every meeting day, and a date to reach before it, on it and after it: the SQL finds
    exactly the students the Python rule (rules/reachable.py) finds reachable, in all and in two
    schools. Returns how many were reachable in all."""
    found = 0
    rules = current_rules(session)
    schools = dict(session.execute(select(student_t.c.id, student_t.c.school_id)).all())
    for day in MEETINGS:
        judge = Judge.at(session, day, rules)
        dates = (day - timedelta(days=200), day, date(day.year, 12, 31))
        for by, expected in oracle.reachable_ids(session, day, dates).items():
            by_sql = sorted(student for student, _ in reachable_students(session, judge, by))
            assert by_sql == sorted(expected), (label, day, by)
            pairs = reachable_students(session, judge, by, {2, 3})
            assert sorted(pairs) == sorted(
                (i, schools[i]) for i in expected if schools[i] in {2, 3}
            )
            found += len(expected)
    return found


def check_report(session: Session, label: str) -> None:
    """Every school's figures and names equal the one-by-one judgement, for a calendar year, a
    school year and a range, at a few dates."""
    rules = current_rules(session)
    schools = [int(i) for (i,) in session.execute(select(school_t.c.id).order_by(school_t.c.id))]
    periods = [
        (period_of(year=2025, school_year=None, start=None, end=None, rules=rules), MEETINGS[0]),
        (period_of(year=2024, school_year=None, start=None, end=None, rules=rules), MEETINGS[2]),
        (
            period_of(year=None, school_year=2024, start=None, end=None, rules=rules),
            MEETINGS[4],
        ),
        (
            period_of(
                year=None,
                school_year=None,
                start=date(2020, 1, 1),
                end=date(2026, 6, 30),
                rules=rules,
            ),
            MEETINGS[7],
        ),
    ]
    for period, now in periods:
        report = build_report(
            session,
            period=period,
            scope=Scope(unit_id=None, school_id=None, name="Tất cả các trường"),
            now=now,
            generated_at=NOW,
            with_names=True,
        )
        rows = {row.name: row for row in report.rows if row.level == "school"}
        names = dict(session.execute(select(school_t.c.id, school_t.c.name)).all())
        for school_id in schools:
            figures, named = oracle.school_figures(session, school_id, period, now)
            row = rows[names[school_id]]
            got = row.figures
            # targets are not set here: compare the counts
            assert (got.as_json(), row.names) == (figures.as_json(), named), (
                label,
                period.label,
                names[school_id],
            )
