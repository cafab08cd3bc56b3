"""What the database holds of the students a chunk of roster records may be, loaded by key (codes,
name keys, ids) so that a chunk costs the same at the start of a million-row file as at its end;
and which stored student each record is (by roster/identity's rule)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from dangvien_cli.core.seq import chunks
from dangvien_cli.db.models import person_t, student_t
from dangvien_cli.roster.identity import Students, Who, birth_key, stored_birth_key
from dangvien_cli.roster.records import PERSON_FIELDS, RosterRecord

__all__ = ["Stored", "last_digests", "load_by", "load_stored", "match", "record_who", "stored_who"]


@dataclass
class Stored:
    """What the database holds of one student, as far as a roster can change it."""

    student_id: int
    person_id: int
    code: str | None
    school_id: int
    name_key: str
    extra: dict[str, Any] | None
    person: dict[str, Any]


def record_who(rec: RosterRecord, school_id: int) -> Who:
    """A roster record, as the identity rule compares it."""
    return Who(rec.code, school_id, rec.name_key, birth_key(rec.birth))


def stored_who(stored: Stored) -> Who:
    """A stored student, as the identity rule compares it."""
    return Who(stored.code, stored.school_id, stored.name_key, stored_birth_key(stored.person))


def match(
    stored: list[Stored], records: Sequence[RosterRecord], school_id: int
) -> list[Stored | None]:
    """The stored student each record (of a table going to `school_id`) is, or None: new."""
    index: Students[Stored] = Students(lambda s: s.code)
    for s in stored:
        index.add(stored_who(s), s)
    return [index.find(record_who(rec, school_id)) for rec in records]


def last_digests(session: Session, codes: Sequence[str]) -> dict[str, str]:
    """Student code → digest of the roster row that last wrote it (TableParser.digest).

    Asked for every row of a re-imported file, so the query goes to the driver as it is."""
    conn = session.connection()
    mark = {"qmark": "?", "format": "%s", "pyformat": "%s"}.get(conn.dialect.paramstyle)
    out: dict[str, str] = {}
    for part in chunks(codes):
        if mark is None:  # pragma: no cover - SQLite and PostgreSQL have one above
            st = student_t.c
            query = select(st.student_code, st.roster_hash).where(
                st.roster_hash.is_not(None), st.student_code.in_(part)
            )
            rows: Any = session.execute(query)
        else:
            rows = conn.exec_driver_sql(
                "SELECT student_code, roster_hash FROM student WHERE roster_hash IS NOT NULL "
                f"AND student_code IN ({', '.join([mark] * len(part))})",
                tuple(part),
            )
        out.update((str(code), str(digest)) for code, digest in rows)
    return out


def load_stored(
    session: Session, school_id: int, records: list[RosterRecord], not_ours: list[Any]
) -> list[Stored]:
    """The stored students the records may be: by code, then by name at this school for
    those whose code is not known (or who have none). `not_ours` leaves out the students the
    current table created."""
    cols = [
        student_t.c.id,
        student_t.c.person_id,
        student_t.c.student_code,
        student_t.c.school_id,
        student_t.c.name_key,
        student_t.c.extra,
        person_t.c.full_name,
        person_t.c.date_of_birth,
        person_t.c.birth_year,
        *(person_t.c[f] for f in PERSON_FIELDS),
    ]
    base = select(*cols).join(person_t, person_t.c.id == student_t.c.person_id).where(*not_ours)
    rows: dict[int, Any] = {}
    for part in chunks([r.code for r in records if r.code]):
        for row in session.execute(base.where(student_t.c.student_code.in_(part))):
            rows[row.id] = row
    known = {row.student_code for row in rows.values()}
    keys = sorted({r.name_key for r in records if not r.code or r.code not in known})
    for part in chunks(keys):
        where = (student_t.c.school_id == school_id, student_t.c.name_key.in_(part))
        for row in session.execute(base.where(*where)):
            rows[row.id] = row
    out = []
    for r in rows.values():
        person = {
            "full_name": r.full_name,
            "date_of_birth": r.date_of_birth,
            "birth_year": r.birth_year,
            **{f: getattr(r, f) for f in PERSON_FIELDS},
        }
        out.append(
            Stored(
                student_id=r.id,
                person_id=r.person_id,
                code=r.student_code,
                school_id=r.school_id,
                name_key=r.name_key,
                extra=r.extra,
                person=person,
            )
        )
    return out


def load_by(
    session: Session, table: Table, key_col: str, ids: list[int], *where: Any
) -> dict[int, list[Any]]:
    """Rows of `table` for the students (or people) `ids`."""
    key = table.c[key_col]
    out: dict[int, list[Any]] = {}
    for part in chunks(sorted(set(ids))):
        for row in session.execute(select(table).where(key.in_(part), *where)):
            out.setdefault(getattr(row, key_col), []).append(row)
    return out
