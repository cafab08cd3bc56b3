"""Students: listing them with their most recent class, filtered the way users ask."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from dangvien_cli.models import (
    enrollment_t,
    person_t,
    school_t,
    student_t,
    year_t,
    youth_t,
)
from dangvien_cli.text import CollationKey, collation_key, fold, name_sort_key


def birth_iso(date_of_birth: date | None, birth_year: int | None) -> str | None:
    """ISO date, or the 4-digit year when only the year is known (as `students --json`)."""
    if date_of_birth is not None:
        return date_of_birth.isoformat()
    return None if birth_year is None else f"{birth_year:04d}"


def birth_display(date_of_birth: date | None, birth_year: int | None) -> str:
    if date_of_birth is not None:
        return date_of_birth.strftime("%d/%m/%Y")
    return "" if birth_year is None else str(birth_year)


def class_sort_key(name: str | None) -> tuple[int, CollationKey]:
    """Classes by grade, then name with numbers by value (12A2 before 12A10); students without
    a class last."""
    if not name:
        return (99, collation_key(""))
    digits = "".join(ch for ch in name[:2] if ch.isdigit())
    return (int(digits) if digits else 98, collation_key(name))


def listing_order(school: str, class_name: str | None, full_name: str) -> tuple[Any, ...]:
    """How students are listed: by school, class, then name the Vietnamese way."""
    return (fold(school), class_sort_key(class_name), name_sort_key(full_name))


@dataclass(frozen=True)
class StudentRow:
    student_id: int
    student_code: str | None
    full_name: str
    school: str
    class_name: str | None
    grade: int | None
    school_year: str | None
    date_of_birth: date | None
    birth_year: int | None
    gender: str | None
    ethnicity: str | None
    religion: str | None
    youth_union_member: bool | None

    @property
    def birth(self) -> str | None:
        return birth_iso(self.date_of_birth, self.birth_year)

    @property
    def birth_display(self) -> str:
        return birth_display(self.date_of_birth, self.birth_year)

    def as_json(self) -> dict[str, Any]:
        return {
            "student_code": self.student_code,
            "full_name": self.full_name,
            "school": self.school,
            "class_name": self.class_name,
            "grade": self.grade,
            "school_year": self.school_year,
            "date_of_birth": self.birth,
            "gender": self.gender,
            "ethnicity": self.ethnicity,
            "religion": self.religion,
            "youth_union_member": self.youth_union_member,
        }


def list_students(
    session: Session,
    *,
    school_id: int | None = None,
    class_name: str | None = None,
    search: str | None = None,
    school_year: int | None = None,
) -> list[StudentRow]:
    """Each student once, with the class of their most recent school year (or of `school_year`,
    which then keeps only that year's rosters), sorted by school, class and Vietnamese name."""
    st, p, sc, e, y, yu = (
        student_t.c,
        person_t.c,
        school_t.c,
        enrollment_t.c,
        year_t.c,
        youth_t.c,
    )
    latest = (
        select(e.student_id.label("student_id"), func.max(y.start_year).label("start_year"))
        .join(year_t, y.id == e.school_year_id)
        .group_by(e.student_id)
    )
    if school_year is not None:
        latest = latest.where(y.start_year == school_year)
    latest_sq = latest.subquery()
    stmt = (
        select(
            st.id,
            st.student_code,
            p.full_name,
            sc.name,
            e.class_name,
            e.grade,
            y.label,
            p.date_of_birth,
            p.birth_year,
            p.gender,
            p.ethnicity,
            p.religion,
            yu.is_member,
        )
        .join(person_t, p.id == st.person_id)
        .join(school_t, sc.id == st.school_id)
        .outerjoin(latest_sq, latest_sq.c.student_id == st.id)
        .outerjoin(year_t, y.start_year == latest_sq.c.start_year)
        .outerjoin(enrollment_t, and_(e.student_id == st.id, e.school_year_id == y.id))
        .outerjoin(youth_t, yu.person_id == p.id)
    )
    if school_year is not None:
        stmt = stmt.where(latest_sq.c.start_year.is_not(None))
    if school_id is not None:
        stmt = stmt.where(st.school_id == school_id)
    if class_name is not None:
        stmt = stmt.where(func.upper(e.class_name) == class_name.upper())
    rows = [StudentRow(*tuple(r)) for r in session.execute(stmt)]
    if search:
        needle = fold(search)
        rows = [
            r
            for r in rows
            if needle in fold(r.full_name) or (r.student_code and needle in r.student_code.lower())
        ]
    rows.sort(key=lambda r: listing_order(r.school, r.class_name, r.full_name))
    return rows
