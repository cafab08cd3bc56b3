"""Schools: finding one by a loosely typed name, and listing them with their numbers."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dangvien_cli.core.errors import AmbiguousError, NotFoundError, UsageError
from dangvien_cli.core.text import clean, collation_key, school_key, strip_leading_truong

if TYPE_CHECKING:
    from datetime import date, datetime

    from sqlalchemy.orm import Session

    from dangvien_cli.db.audit import Stamp
    from dangvien_cli.db.models import School


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
    from sqlalchemy import select

    from dangvien_cli.db.models import School

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
    from sqlalchemy import select

    from dangvien_cli.db.models import School

    schools = list(session.scalars(select(School)))
    found = best_matches(schools, query)
    if len(found) > 1:
        names = "; ".join(sorted((s.name for s in found), key=collation_key))
        raise AmbiguousError(
            f"--school “{query}” khớp với {len(found)} trường: {names}. Hãy ghi tên đầy đủ hơn."
        )
    return found[0] if found else None


# Plain SQL over a DB-API connection (Database.raw_read): `dangvien schools` on a SQLite file
# then starts without SQLAlchemy (issue 5). Standard SQL, the same on SQLite and PostgreSQL.
_SCHOOLS_SQL = """
SELECT sc.id, sc.name, u.name,
       (SELECT count(*) FROM student s WHERE s.school_id = sc.id),
       (SELECT max(y.start_year)
          FROM student s
          JOIN enrollment e ON e.student_id = s.id
          JOIN school_year y ON y.id = e.school_year_id
         WHERE s.school_id = sc.id)
  FROM school sc
  LEFT JOIN unit u ON u.id = sc.unit_id
"""


def list_schools(conn: Any) -> list[SchoolRow]:
    """Every school with its unit, number of students and latest school year, in Vietnamese
    alphabetical order. `conn` is a DB-API connection (see Database.raw_read)."""
    cur = conn.cursor()
    try:
        cur.execute(_SCHOOLS_SQL)
        found = cur.fetchall()
    finally:
        cur.close()
    rows = [
        SchoolRow(
            id=int(sid),
            name=str(name),
            unit=None if unit is None else str(unit),
            students=int(n or 0),
            latest_year=None if latest is None else f"{int(latest)}-{int(latest) + 1}",
        )
        for sid, name, unit, n, latest in found
    ]
    return sorted(rows, key=lambda r: collation_key(r.name))


# -- finding or creating a school and a school year, adding and moving a school ----------


def find_school(session: Session, name: str) -> tuple[int, str] | None:
    from sqlalchemy import select

    from dangvien_cli.db.models import school_t

    row = session.execute(
        select(school_t.c.id, school_t.c.name).where(school_t.c.name_key == school_key(name))
    ).first()
    return None if row is None else (int(row[0]), str(row[1]))


def ensure_school(session: Session, name: str, now: datetime) -> tuple[int, str, bool]:
    """The school of that name (ignoring "Trường", case and diacritics); created if none, at
    `now` (a stamp's time: the caller logs the change, if it logs one, with the whole stamp)."""
    from sqlalchemy import insert

    from dangvien_cli.db.models import school_t

    found = find_school(session, name)
    if found is not None:
        return found[0], found[1], False
    new_id = session.execute(
        insert(school_t).returning(school_t.c.id),
        {"name": name, "name_key": school_key(name), "created_at": now},
    ).scalar_one()
    return int(new_id), name, True


def ensure_school_year(session: Session, start_year: int) -> int:
    from sqlalchemy import insert, select

    from dangvien_cli.core.calendar import school_year_label
    from dangvien_cli.db.models import year_t

    found = session.execute(
        select(year_t.c.id).where(year_t.c.start_year == start_year)
    ).scalar_one_or_none()
    if found is not None:
        return int(found)
    return int(
        session.execute(
            insert(year_t).returning(year_t.c.id),
            {"start_year": start_year, "label": school_year_label(start_year)},
        ).scalar_one()
    )


def add_school(session: Session, name: str, *, unit: str | None, stamp: Stamp) -> tuple[int, str]:
    from sqlalchemy import update

    from dangvien_cli.db.models import school_t
    from dangvien_cli.organisation.units import resolve_unit

    name = clean(name)
    if find_school(session, name) is not None:
        raise UsageError(f"Đã có trường “{name}”. Dùng `dangvien school move` để đổi đơn vị.")
    school_id, school_name, _ = ensure_school(session, name, stamp.now)
    if unit:
        unit_id = resolve_unit(session, unit)[0]
        session.execute(update(school_t).where(school_t.c.id == school_id).values(unit_id=unit_id))
    stamp.log(session, action="add", entity="school", entity_id=school_id, changes={"unit": unit})
    return school_id, school_name


def move_school(
    session: Session, name: str, *, unit: str, on: date, stamp: Stamp
) -> tuple[str, str | None, str]:
    """Put a school under another unit; its students and records stay as they are, and the
    move is kept in the audit log with its date."""
    from sqlalchemy import select, update

    from dangvien_cli.db.models import school_t, unit_t
    from dangvien_cli.organisation.units import resolve_unit

    school = resolve_school(session, name)
    unit_id, unit_name = resolve_unit(session, unit)
    old_name = None
    if school.unit_id is not None:
        old_name = session.execute(
            select(unit_t.c.name).where(unit_t.c.id == school.unit_id)
        ).scalar_one_or_none()
    session.execute(update(school_t).where(school_t.c.id == school.id).values(unit_id=unit_id))
    stamp.log(
        session,
        action="move",
        entity="school",
        entity_id=school.id,
        changes={"unit": [school.unit_id, unit_id], "on": on.isoformat()},
    )
    return school.name, old_name, unit_name
