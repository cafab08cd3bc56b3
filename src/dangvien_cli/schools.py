"""Schools: finding one by a loosely typed name, and listing them with their numbers."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dangvien_cli.errors import AmbiguousError, NotFoundError
from dangvien_cli.models import School, Unit, enrollment_t, student_t, year_t
from dangvien_cli.text import clean, collation_key, school_key, strip_leading_truong


@dataclass(frozen=True)
class SchoolRow:
    id: int
    name: str
    unit: str | None
    students: int
    latest_year: str | None


def best_matches(schools: list[School], query: str) -> list[School]:
    """The schools a typed name means, most precise level first: the whole name (ignoring
    "Trường", case and diacritics); the words as typed, diacritics included; the words without
    diacritics; any part of the name. The first level with a match decides."""
    key = school_key(query)
    if not key:
        return []
    exact = [s for s in schools if s.name_key == key]
    if exact:
        return exact
    typed = clean(strip_leading_truong(query)).lower()
    levels: list[Callable[[School], bool]] = []
    if typed != key:  # the user typed diacritics: they tell Bình Lư from Bình Lục
        with_marks = re.compile(rf"(?<!\w){re.escape(typed)}(?!\w)")
        levels.append(lambda s: bool(with_marks.search(clean(s.name).lower())))
    words = re.compile(rf"(?<![\w&]){re.escape(key)}(?![\w&])")
    levels.append(lambda s: bool(words.search(s.name_key)))
    levels.append(lambda s: key in s.name_key)
    for level in levels:
        found = [s for s in schools if level(s)]
        if found:
            return found
    return []


def resolve_school(session: Session, query: str) -> School:
    """The one school a typed name means ("binh lu" finds "THPT Bình Lư"); none or several
    is an error that lists the schools."""
    schools = list(session.scalars(select(School)))
    found = best_matches(schools, query)
    if len(found) == 1:
        return found[0]
    if not found:
        known = ", ".join(sorted((s.name for s in schools), key=collation_key)) or "(chưa có)"
        raise NotFoundError(f"Không có trường nào khớp “{query}”. Các trường đã có: {known}.")
    names = "; ".join(sorted((s.name for s in found), key=collation_key))
    raise AmbiguousError(
        f"“{query}” khớp với {len(found)} trường: {names}. Hãy ghi tên đầy đủ hơn."
    )


def school_for_import(session: Session, query: str) -> School | None:
    """The existing school that `import --school` names, or None when it names a new one.

    Several matches is an error: writing a roster into the wrong school is worse than asking.
    """
    schools = list(session.scalars(select(School)))
    found = best_matches(schools, query)
    if len(found) > 1:
        names = "; ".join(sorted((s.name for s in found), key=collation_key))
        raise AmbiguousError(
            f"--school “{query}” khớp với {len(found)} trường: {names}. Hãy ghi tên đầy đủ hơn."
        )
    return found[0] if found else None


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
