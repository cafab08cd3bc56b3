"""The rules judged one student at a time, in Python: the yardstick the SQL is compared with.

`school_figures` is the report's per-school computation as it was before the report became
grouped SQL (reports/figures.py): every student of the school gathered and judged by
rules.eligibility.evaluate and rules.reachable.reachable. `eligible_ids` is the same for
`eligible`: everyone in question judged, the eligible kept; `reachable_ids` for the report's
reachable. Slow on purpose: plain loops that read like the rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from dangvien_cli.admission.facts import Dossier, find_students, gather
from dangvien_cli.admission.lists import check_eligibility
from dangvien_cli.admission.pipeline import (
    ADMITTED,
    ADMITTED_BY,
    AWARENESS_CLASS,
    OUT_OF_QUESTION,
)
from dangvien_cli.admission.rules.eligibility import evaluate
from dangvien_cli.admission.rules.reachable import reachable
from dangvien_cli.core.calendar import Period, school_year_start
from dangvien_cli.core.settings import Rules
from dangvien_cli.core.text import fold
from dangvien_cli.db.models import enrollment_t, student_t, year_t
from dangvien_cli.db.settings import current_rules
from dangvien_cli.reports.figures import FIGURE_NAMES, NO_RELIGION
from dangvien_cli.reports.model import Figures, NamedStudent


def eligible_ids(session: Session, as_of: date) -> list[int]:
    """Every student in question judged in Python; the ids of the eligible, listing order."""
    _, rows = check_eligibility(session, as_of=as_of)
    return [r.info.student_id for r in rows if r.result.eligible]


def reachable_ids(session: Session, as_of: date, dates: Iterable[date]) -> dict[date, list[int]]:
    """Every student judged in Python at `as_of` (rules.reachable); for each of `dates`, the ids
    of those who may still be admitted by then, listing order."""
    rules = current_rules(session)
    found: dict[date, list[int]] = {by: [] for by in dates}
    for dossier in gather(session, find_students(session, as_of=as_of, rules=rules)):
        verdict = evaluate(dossier.facts, as_of, rules)
        for by, ids in found.items():
            if reachable(dossier.entries, verdict, as_of, by):
                ids.append(dossier.info.student_id)
    return found


def school_figures(
    session: Session, school_id: int, period: Period, now: date, with_names: bool = True
) -> tuple[Figures, dict[str, list[NamedStudent]]]:
    rules = current_rules(session)
    on_roster = _students_on_rosters(session, school_id, period, rules)
    everyone = find_students(session, as_of=now, rules=rules, school_ids={school_id})
    dossiers = gather(session, everyone)
    figures = Figures()
    names: dict[str, list[NamedStudent]] = {key: [] for key in FIGURE_NAMES}

    def named(dossier: Dossier, figure: str) -> None:
        if with_names:
            info = dossier.info
            names[figure].append(
                NamedStudent(info.code, info.full_name, info.school, info.class_name)
            )

    for dossier in dossiers:
        entries = dossier.entries
        decision = [e.on_date for e in entries if e.step == ADMITTED]
        attended = [e.on_date for e in entries if e.step == AWARENESS_CLASS]
        in_period = [d for d in attended if period.start <= d <= period.end]
        admitted_in_period = [d for d in decision if period.start <= d <= period.end]
        admitted_by_now = any(e.step in ADMITTED_BY and e.on_date <= now for e in entries)
        out = any(e.step in OUT_OF_QUESTION and e.on_date <= now for e in entries)
        result = evaluate(dossier.facts, now, rules)
        if dossier.info.student_id in on_roster:
            figures.students += 1
            if result.criteria["youth_union"].ok is True:
                figures.youth_union_members += 1
            if result.eligible and not out:
                figures.eligible += 1
                named(dossier, "eligible")
        if in_period:
            figures.class_actual += 1
            figures.attended += 1
            named(dossier, "class_actual")
            if admitted_by_now:
                figures.attended_admitted += 1
        if admitted_in_period:
            figures.admitted_actual += 1
            named(dossier, "admitted_actual")
            info = dossier.info
            if info.gender == "Nữ":
                figures.admitted_women += 1
            if info.ethnicity and fold(info.ethnicity) != "kinh":
                figures.admitted_ethnic_minority += 1
            if fold(info.religion or "") not in NO_RELIGION:
                figures.admitted_religious += 1
        if reachable(entries, result, now, period.end):
            figures.reachable += 1
            named(dossier, "reachable")
    return figures, names


def _students_on_rosters(
    session: Session, school_id: int, period: Period, rules: Rules
) -> set[int]:
    years = [
        y
        for y in range(period.start.year - 1, period.end.year + 1)
        if school_year_start(y, rules) <= period.end
        and school_year_start(y + 1, rules) > period.start
    ]
    e, y, st = enrollment_t.c, year_t.c, student_t.c
    return {
        int(i)
        for (i,) in session.execute(
            select(st.id)
            .join(enrollment_t, e.student_id == st.id)
            .join(year_t, y.id == e.school_year_id)
            .where(st.school_id == school_id, y.start_year.in_(years))
        )
    }
