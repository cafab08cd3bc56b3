"""Schools: finding one by a loosely typed name, and listing them with their numbers."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dangvien_cli.errors import AmbiguousError, NotFoundError
from dangvien_cli.models import School, Unit, enrollment_t, student_t, year_t
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
        raise NotFoundError(f"Không có trường nào khớp “{query}”. Các trường đã có: {known}.")
    names = "; ".join(sorted((s.name for s in partial), key=collation_key))
    raise AmbiguousError(
        f"“{query}” khớp với {len(partial)} trường: {names}. Hãy ghi tên đầy đủ hơn."
    )


def list_schools(session: Session) -> list[SchoolRow]:
    s, e, y = student_t.c, enrollment_t.c, year_t.c
    counts: dict[int, int] = {
        int(school_id): int(n)
        for school_id, n in session.execute(select(s.school_id, func.count()).group_by(s.school_id))
    }
    latest: dict[int, int] = {
        int(school_id): int(year)
        for school_id, year in session.execute(
            select(s.school_id, func.max(y.start_year))
            .join(enrollment_t, e.student_id == s.id)
            .join(year_t, y.id == e.school_year_id)
            .group_by(s.school_id)
        )
    }
    units = {u.id: u.name for u in session.scalars(select(Unit))}
    rows = []
    for school in session.scalars(select(School)):
        sid = school.id
        assert sid is not None
        rows.append(
            SchoolRow(
                id=sid,
                name=school.name,
                unit=units.get(school.unit_id) if school.unit_id else None,
                students=counts.get(sid, 0),
                latest_year=f"{latest[sid]}-{latest[sid] + 1}" if sid in latest else None,
            )
        )
    return sorted(rows, key=lambda r: collation_key(r.name))
