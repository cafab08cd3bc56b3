"""Schools: finding one by a loosely typed name, and listing them with their numbers."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dangvien_cli.errors import AmbiguousError, NotFoundError
from dangvien_cli.text import clean, collation_key, school_key, strip_leading_truong

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from dangvien_cli.models import School


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

    from dangvien_cli.models import School

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

    from dangvien_cli.models import School

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
