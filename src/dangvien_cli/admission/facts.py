"""Gathering what the database knows of students into the facts the rules and pipeline judge."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dangvien_cli.admission.pipeline import AWARENESS_CLASS, DISCIPLINE, MENTOR, Entry, effective
from dangvien_cli.admission.rules.eligibility import ResultFact, StudentFacts
from dangvien_cli.core.calendar import school_year_of
from dangvien_cli.core.grades import Grade
from dangvien_cli.core.seq import chunks
from dangvien_cli.core.settings import Rules
from dangvien_cli.db.models import (
    enrollment_t,
    milestone_t,
    person_t,
    result_t,
    school_t,
    student_t,
    year_t,
    youth_t,
)
from dangvien_cli.roster.students import birth_display, birth_iso, listing_order


@dataclass
class StudentInfo:
    """Who a student is and where they are at a date: enough to show and to filter."""

    student_id: int
    person_id: int
    code: str | None
    full_name: str
    school_id: int
    school: str
    date_of_birth: date | None
    birth_year: int | None
    gender: str | None
    ethnicity: str | None
    religion: str | None
    class_name: str | None = None
    grade: int | None = None
    school_year: int | None = None  # of the enrollment shown

    @property
    def birth_iso(self) -> str | None:
        return birth_iso(self.date_of_birth, self.birth_year)

    @property
    def birth_display(self) -> str:
        return birth_display(self.date_of_birth, self.birth_year)

    @property
    def grade12_school_year(self) -> int | None:
        return grade12_year(self.school_year, self.grade)

    def identity(self) -> dict[str, Any]:
        """The keys every student listing carries (as `students --json`)."""
        return {
            "student_code": self.code,
            "full_name": self.full_name,
            "school": self.school,
            "class_name": self.class_name,
            "date_of_birth": self.birth_iso,
        }


@dataclass
class Dossier:
    """A student with everything recorded about them."""

    info: StudentInfo
    facts: StudentFacts
    entries: list[Entry] = field(default_factory=list)  # effective milestones, by date


def find_students(
    session: Session,
    *,
    as_of: date,
    rules: Rules,
    school_ids: set[int] | None = None,
    class_name: str | None = None,
    grade: int | None = None,
    student_ids: Iterable[int] | None = None,
) -> list[StudentInfo]:
    """Students with the class they are in at `as_of` (the latest roster of a school year
    not after it; for a date before every roster, the earliest), sorted the Vietnamese way."""
    st, p, sc = student_t.c, person_t.c, school_t.c
    stmt = (
        select(
            st.id,
            st.person_id,
            st.student_code,
            p.full_name,
            st.school_id,
            sc.name,
            p.date_of_birth,
            p.birth_year,
            p.gender,
            p.ethnicity,
            p.religion,
        )
        .join(person_t, p.id == st.person_id)
        .join(school_t, sc.id == st.school_id)
    )
    if school_ids is not None:
        stmt = stmt.where(st.school_id.in_(school_ids))
    if student_ids is None:
        infos = {int(r[0]): StudentInfo(*r) for r in session.execute(stmt)}
    else:
        infos = {}
        for part in chunks(sorted(set(student_ids))):
            rows = session.execute(stmt.where(st.id.in_(part)))
            infos.update((int(r[0]), StudentInfo(*r)) for r in rows)
    classes = current_classes(session, list(infos), as_of, rules)
    for sid, (start, klass, grade_no) in classes.items():
        info = infos[sid]
        info.school_year, info.class_name, info.grade = start, klass, grade_no
    out = [
        i
        for i in infos.values()
        if (class_name is None or (i.class_name or "").upper() == class_name.upper())
        and (grade is None or i.grade == grade)
    ]
    # Namesakes in one class keep one order whatever order the database returned them in.
    out.sort(key=lambda i: (listing_order(i.school, i.class_name, i.full_name), i.student_id))
    return out


def current_classes(
    session: Session, student_ids: list[int], as_of: date, rules: Rules
) -> dict[int, tuple[int, str | None, int | None]]:
    """(school year, class, grade) each student is in at `as_of`: the latest roster of a school
    year not after it; for a date before every roster, the earliest. Students on no roster are
    left out."""
    year_now = school_year_of(as_of, rules)
    e, y = enrollment_t.c, year_t.c
    enrollments: dict[int, list[tuple[int, str | None, int | None]]] = {}
    for part in chunks(student_ids):
        for sid, start, klass, grade_no in session.execute(
            select(e.student_id, y.start_year, e.class_name, e.grade)
            .join(year_t, y.id == e.school_year_id)
            .where(e.student_id.in_(part))
        ).all():
            enrollments.setdefault(int(sid), []).append((int(start), klass, grade_no))
    out = {}
    for sid, rows in enrollments.items():
        rows.sort()
        before = [r for r in rows if r[0] <= year_now]
        out[sid] = before[-1] if before else rows[0]
    return out


def grade12_year(school_year: int | None, grade: int | None) -> int | None:
    """The school year a student in `grade` in `school_year` is in grade 12."""
    if grade is None or school_year is None or not 1 <= grade <= 12:
        return None
    return school_year + (12 - grade)


def load_entries(session: Session, person_ids: list[int]) -> dict[int, list[Entry]]:
    """Every milestone of these people, superseded ones dropped, by date."""
    m = milestone_t.c
    raw: dict[int, list[Entry]] = {}
    for part in chunks(person_ids):
        for row in session.execute(
            select(
                m.person_id, m.id, m.step, m.on_date, m.replaces_id, m.doc_number, m.mentor, m.note
            ).where(m.person_id.in_(part))
        ).all():
            raw.setdefault(int(row[0]), []).append(
                Entry(
                    id=int(row[1]),
                    step=str(row[2]),
                    on_date=row[3],
                    replaces_id=row[4],
                    doc_number=row[5],
                    mentor=row[6],
                    note=row[7],
                )
            )
    return {pid: effective(entries) for pid, entries in raw.items()}


def gather(session: Session, students: list[StudentInfo]) -> list[Dossier]:
    """The facts of each student, in a few queries for all of them."""
    student_ids = [s.student_id for s in students]
    person_ids = [s.person_id for s in students]
    r, y = result_t.c, year_t.c
    results: dict[int, list[ResultFact]] = {}
    for part in chunks(student_ids):
        for row in session.execute(
            select(
                r.student_id,
                y.start_year,
                r.term,
                r.academic,
                r.academic_scale,
                r.academic_rank,
                r.conduct,
                r.conduct_scale,
                r.conduct_rank,
            )
            .join(year_t, y.id == r.school_year_id)
            .where(r.student_id.in_(part))
        ).all():
            results.setdefault(int(row[0]), []).append(
                ResultFact(
                    school_year=int(row[1]),
                    term=str(row[2]),
                    academic_rank=row[5],
                    academic_label=_label(row[3], row[4], row[5]),
                    conduct_rank=row[8],
                    conduct_label=_label(row[6], row[7], row[8]),
                )
            )
    youth: dict[int, tuple[bool, date | None]] = {}
    yu = youth_t.c
    for part in chunks(person_ids):
        for pid, member, joined in session.execute(
            select(yu.person_id, yu.is_member, yu.joined_on).where(yu.person_id.in_(part))
        ).all():
            youth[int(pid)] = (bool(member), joined)
    entries = load_entries(session, person_ids)
    out = []
    for info in students:
        mine = entries.get(info.person_id, [])
        mentors = [e for e in mine if e.step == MENTOR]
        member, joined = youth.get(info.person_id, (None, None))
        facts = StudentFacts(
            date_of_birth=info.date_of_birth,
            birth_year=info.birth_year,
            results=tuple(results.get(info.student_id, [])),
            youth_union_joined=joined,
            youth_union_latest_roster=member,
            mentor=(mentors[-1].mentor or "(chưa ghi tên)") if mentors else None,
            mentor_since=mentors[-1].on_date if mentors else None,
            class_dates=tuple(e.on_date for e in mine if e.step == AWARENESS_CLASS),
            discipline=tuple((e.on_date, e.note or "") for e in mine if e.step == DISCIPLINE),
            grade12_school_year=info.grade12_school_year,
        )
        out.append(Dossier(info=info, facts=facts, entries=mine))
    return out


@lru_cache(maxsize=256)
def _label(code: str | None, scale: str | None, rank: int | None) -> str | None:
    if code is None or scale is None or rank is None:
        return None
    return Grade(code, scale, rank).label
