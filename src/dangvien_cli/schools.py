"""Schools: finding one by a loosely typed name, and listing them with their numbers."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dangvien_cli.errors import AmbiguousError, NotFoundError
from dangvien_cli.models import Enrollment, School, SchoolYear, Student, Unit
from dangvien_cli.text import collation_key, school_key


@dataclass(frozen=True)
class SchoolRow:
    id: int
    name: str
    unit: str | None
    students: int
    latest_year: str | None


def resolve_school(session: Session, query: str) -> School:
    """The one school whose name matches: exactly (ignoring "Trường", case, diacritics), else
    as a part of the name ("binh lu" finds "THPT Bình Lư"). None or several is an error."""
    key = school_key(query)
    schools = list(session.scalars(select(School)))
    exact = [s for s in schools if s.name_key == key]
    if len(exact) == 1:
        return exact[0]
    partial = [s for s in schools if key and key in s.name_key]
    if len(partial) == 1:
        return partial[0]
    if not partial:
        known = ", ".join(sorted((s.name for s in schools), key=collation_key)) or "(chưa có)"
        raise NotFoundError(
            f"Không có trường nào khớp “{query}”. Các trường đã có: {known}."
        )
    names = "; ".join(sorted((s.name for s in partial), key=collation_key))
    raise AmbiguousError(
        f"“{query}” khớp với {len(partial)} trường: {names}. Hãy ghi tên đầy đủ hơn."
    )


def list_schools(session: Session) -> list[SchoolRow]:
    counts = dict(
        session.execute(select(Student.school_id, func.count()).group_by(Student.school_id)).tuples()
    )
    latest = dict(
        session.execute(
            select(Student.school_id, func.max(SchoolYear.start_year))
            .join(Enrollment, Enrollment.student_id == Student.id)
            .join(SchoolYear, SchoolYear.id == Enrollment.school_year_id)
            .group_by(Student.school_id)
        ).tuples()
    )
    units = {u.id: u.name for u in session.scalars(select(Unit))}
    rows = [
        SchoolRow(
            id=s.id or 0,
            name=s.name,
            unit=units.get(s.unit_id) if s.unit_id else None,
            students=int(counts.get(s.id, 0)),
            latest_year=f"{latest[s.id]}-{latest[s.id] + 1}" if latest.get(s.id) else None,
        )
        for s in session.scalars(select(School))
    ]
    return sorted(rows, key=lambda r: collation_key(r.name))
