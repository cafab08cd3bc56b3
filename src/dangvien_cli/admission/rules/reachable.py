"""Reachable: whether a candidate may still be admitted by a date, one student at a time.

The report counts, per school, the candidates it may still admit by the end of its period
("Có thể kết nạp thêm"). This is that rule in plain Python, as rules/eligibility.py is for
eligibility; rules/sql.py's Judge.reachable (with Judge.old_enough_before_leaving) is its SQL
form for a whole province at once, and the tests compare the two (tests/sql_rules_checks.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from dangvien_cli.admission.pipeline import OUT_OF_QUESTION, Entry, is_candidate
from dangvien_cli.admission.rules.eligibility import Eligibility

__all__ = ["REACHABLE_CRITERIA", "reachable"]

REACHABLE_CRITERIA = ("academic", "conduct", "youth_union")
"""The criteria that must be met already: the others (age, mentor, class, discipline) may still
come before the date."""


def reachable(entries: Iterable[Entry], verdict: Eligibility, as_of: date, by: date) -> bool:
    """Whether a student may still be admitted by `by`, as things stand at `as_of`.

    `entries` are the student's effective milestones and `verdict` their eligibility at `as_of`
    (rules.eligibility.evaluate). Reachable: a candidate (a step other than a discipline
    recorded, on any date) not admitted, stopped or handed over by `as_of`, with grades and
    Youth Union ✓ at `as_of`, certainly old enough by `by`, and not leaving school (the last day
    of their grade-12 year, when known) before that.
    """
    items = list(entries)
    if not is_candidate(items):
        return False
    if any(e.step in OUT_OF_QUESTION and e.on_date <= as_of for e in items):
        return False
    if any(verdict.criteria[key].ok is not True for key in REACHABLE_CRITERIA):
        return False
    first = verdict.first_age_eligible_date
    leaves = verdict.leaves_school_on
    return first is not None and first <= by and (leaves is None or first <= leaves)
