"""Tests for reachable (rules/reachable.py): who may still be admitted by a date, one at a time.

Its SQL form is compared with it on a generated province in tests/admission/test_sql_rules.py;
here each condition is tried alone.
"""

from __future__ import annotations

from datetime import date

import pytest

from dangvien_cli.admission.pipeline import OUT_OF_QUESTION, Entry
from dangvien_cli.admission.rules.eligibility import CRITERIA, Criterion, Eligibility
from dangvien_cli.admission.rules.reachable import REACHABLE_CRITERIA, reachable

D = date
AS_OF = D(2025, 3, 15)
BY = D(2025, 12, 31)
OLD_ENOUGH = D(2025, 6, 1)
LEAVES = D(2026, 5, 31)


def verdict(
    *,
    failing: tuple[str, ...] = (),
    first: date | None = OLD_ENOUGH,
    leaves: date | None = LEAVES,
) -> Eligibility:
    criteria = {key: Criterion(None if key in failing else True, "") for key in CRITERIA}
    return Eligibility(criteria, not failing, list(failing), first, leaves, False)


def steps(*pairs: tuple[str, date]) -> list[Entry]:
    return [Entry(id=i, step=s, on_date=d) for i, (s, d) in enumerate(pairs, start=1)]


CANDIDATE = steps(("cam-tinh", D(2024, 10, 1)))


def test_a_candidate_meeting_the_rule_is_reachable() -> None:
    assert reachable(CANDIDATE, verdict(), AS_OF, BY)


def test_only_candidates_are_reachable() -> None:
    assert not reachable([], verdict(), AS_OF, BY)
    assert not reachable(steps(("ky-luat", D(2024, 1, 1))), verdict(), AS_OF, BY)
    # a step recorded after the day still makes a candidate (as in SQL: any date)
    assert reachable(steps(("cam-tinh", D(2025, 4, 1))), verdict(), AS_OF, BY)


@pytest.mark.parametrize("step", OUT_OF_QUESTION)
def test_admitted_or_stopped_by_the_day_is_not_reachable(step: str) -> None:
    entries = [*CANDIDATE, Entry(id=9, step=step, on_date=AS_OF)]
    assert not reachable(entries, verdict(), AS_OF, BY)
    later = [*CANDIDATE, Entry(id=9, step=step, on_date=D(2025, 3, 16))]
    assert reachable(later, verdict(), AS_OF, BY)


@pytest.mark.parametrize("key", REACHABLE_CRITERIA)
def test_grades_and_youth_union_must_be_met_already(key: str) -> None:
    assert not reachable(CANDIDATE, verdict(failing=(key,)), AS_OF, BY)


@pytest.mark.parametrize("key", ["age", "mentor", "awareness_class", "discipline"])
def test_the_other_criteria_may_come_later(key: str) -> None:
    assert reachable(CANDIDATE, verdict(failing=(key,)), AS_OF, BY)


def test_old_enough_by_the_date_and_before_leaving_school() -> None:
    assert reachable(CANDIDATE, verdict(first=BY), AS_OF, BY)
    assert not reachable(CANDIDATE, verdict(first=D(2026, 1, 1)), AS_OF, BY)
    assert not reachable(CANDIDATE, verdict(first=None), AS_OF, BY)
    assert not reachable(CANDIDATE, verdict(leaves=D(2025, 5, 31)), AS_OF, BY)
    assert reachable(CANDIDATE, verdict(leaves=D(2025, 6, 1)), AS_OF, BY)
    assert reachable(CANDIDATE, verdict(leaves=None), AS_OF, BY)
