"""Who can be admitted: eligibility at a date, and where each candidate stands in the pipeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from dangvien_cli.admission.facts import (
    Dossier,
    StudentInfo,
    current_classes,
    find_students,
    gather,
    grade12_year,
)
from dangvien_cli.admission.pipeline import (
    FINISHED,
    OUT_OF_QUESTION,
    STEPS,
    Due,
    current_stage,
    due,
    is_candidate,
)
from dangvien_cli.admission.rules.eligibility import Eligibility, evaluate
from dangvien_cli.core.settings import Rules
from dangvien_cli.db.settings import current_rules

if TYPE_CHECKING:
    from dangvien_cli.admission.rules.sql import Judge

__all__ = [
    "CandidateRow",
    "EligibilityRow",
    "candidate_row",
    "check_eligibility",
    "list_candidates",
    "reachable_students",
]


@dataclass
class EligibilityRow:
    info: StudentInfo
    result: Eligibility

    def as_json(self) -> dict[str, Any]:
        r = self.result
        return {
            **self.info.identity(),
            "eligible": r.eligible,
            "failed": list(r.failed),
            "criteria": {k: {"ok": c.ok, "detail": c.detail} for k, c in r.criteria.items()},
            "first_age_eligible_date": (
                r.first_age_eligible_date.isoformat() if r.first_age_eligible_date else None
            ),
            "leaves_school_on": r.leaves_school_on.isoformat() if r.leaves_school_on else None,
            "leaves_before_age_eligible": r.leaves_before_age_eligible,
        }


def check_eligibility(
    session: Session,
    *,
    as_of: date,
    school_ids: set[int] | None = None,
    class_name: str | None = None,
    grade: int | None = None,
    only_eligible: bool = False,
) -> tuple[Rules, list[EligibilityRow]]:
    """Every student still in question at `as_of`, judged on every criterion; with
    `only_eligible`, only those found eligible (the same rows, in the same order).

    The eligible ones are found fast in a province of a million students: one SQL query finds
    them (rules.sql), and only they are judged again here, to say why.
    """
    rules = current_rules(session)
    shortlist = None
    if only_eligible:
        from dangvien_cli.admission.rules.sql import Judge, students_where

        judge = Judge.at(session, as_of, rules)
        stmt = students_where(judge.eligible(), school_ids)
        shortlist = [int(row[0]) for row in session.execute(stmt)]
    students = find_students(
        session,
        as_of=as_of,
        rules=rules,
        school_ids=school_ids,
        class_name=class_name,
        grade=grade,
        student_ids=shortlist,
    )
    rows = []
    for dossier in gather(session, students):
        if any(e.step in OUT_OF_QUESTION and e.on_date <= as_of for e in dossier.entries):
            continue
        result = evaluate(dossier.facts, as_of, rules)
        if only_eligible and not result.eligible:
            continue
        rows.append(EligibilityRow(dossier.info, result))
    return rules, rows


def reachable_students(
    session: Session, judge: Judge, by: date, school_ids: set[int] | None = None
) -> list[tuple[int, int]]:
    """(student id, school id) of the students who may still be admitted by `by`, as things
    stand at the judge's day (rules/reachable.py, found in SQL): one query finds the candidates
    meeting the rest of the rule, and the class each is in tells when they leave school."""
    from dangvien_cli.admission.rules.sql import students_where
    from dangvien_cli.db.models import person_t

    p = person_t.c
    stmt = students_where(judge.reachable(by), school_ids).add_columns(
        p.date_of_birth, p.birth_year
    )
    found = session.execute(stmt).all()
    classes = current_classes(session, [int(row[0]) for row in found], judge.day, judge.rules)
    out = []
    for student_id, sid, born, birth_year in found:
        start, _, grade = classes.get(int(student_id), (None, None, None))
        if judge.old_enough_before_leaving(born, birth_year, grade12_year(start, grade)):
            out.append((int(student_id), int(sid)))
    return out


@dataclass
class CandidateRow:
    info: StudentInfo
    stage: str
    stage_date: date
    due: Due

    def as_json(self) -> dict[str, Any]:
        return {
            **self.info.identity(),
            "stage": self.stage,
            "stage_label": STEPS[self.stage].label,
            "stage_date": self.stage_date.isoformat(),
            "next_step": self.due.next_step,
            "deadline": self.due.deadline.isoformat() if self.due.deadline else None,
            "overdue_days": self.due.overdue_days,
        }


def list_candidates(
    session: Session,
    *,
    as_of: date,
    school_ids: set[int] | None = None,
    stage: str | None = None,
    overdue: bool = False,
    include_finished: bool = False,
) -> list[CandidateRow]:
    """Students with at least one pipeline step, their stage, next step and its deadline."""
    rules = current_rules(session)
    students = find_students(session, as_of=as_of, rules=rules, school_ids=school_ids)
    rows = []
    for dossier in gather(session, students):
        row = candidate_row(dossier, as_of)
        if row is None:
            continue
        if not include_finished and row.stage in FINISHED:
            continue
        if stage is not None and row.stage != stage:
            continue
        if overdue and row.due.overdue_days <= 0:
            continue
        rows.append(row)
    return rows


def candidate_row(dossier: Dossier, as_of: date) -> CandidateRow | None:
    """Where the dossier stood at `as_of`: steps dated later had not happened yet."""
    entries = [e for e in dossier.entries if e.on_date <= as_of]
    if not is_candidate(entries):
        return None
    current = current_stage(entries)
    if current is None:
        return None
    return CandidateRow(dossier.info, current[0], current[1], due(entries, as_of))
