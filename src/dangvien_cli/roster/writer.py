"""Writing checked roster records into the database in bulk: create, update, or leave unchanged.

The importer hands over one chunk of a table's records at a time (importing.CHUNK_ROWS), all
inside the file's one transaction. What is stored is looked up per chunk, by key (roster/stored:
codes, name keys, ids), so a chunk costs the same at the start of a million-row file as at its
end; each record is matched to a stored student by roster/identity's rule, and what it changes
is worked out by roster/changes. A code that is another school's student moves that student here
only when the record is the same person (a transfer, listed in `transfers`); any other record
under it is refused (`refused`), for the importer to report as a rejected row.

A table written into a database that has no students yet (a first import) needs no look-up at
all. On SQLite such a table, when large, is also written the way bulk loads are
(roster/sqlite_bulk).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, bindparam, func, select, text, update
from sqlalchemy.orm import Session

from dangvien_cli.db.audit import Stamp
from dangvien_cli.db.bulk import binder, bulk_insert, insert_rows
from dangvien_cli.db.models import (
    audit_t,
    enrollment_t,
    person_t,
    result_t,
    student_t,
    youth_t,
)
from dangvien_cli.roster import sqlite_bulk
from dangvien_cli.roster.changes import Chunk, Loaded
from dangvien_cli.roster.identity import same_person
from dangvien_cli.roster.records import (
    PERSON_FIELDS,
    Counts,
    RosterRecord,
    grade_of,
    person_row,
    result_row,
)
from dangvien_cli.roster.stored import (
    Stored,
    last_digests,
    load_by,
    load_stored,
    match,
    record_who,
    stored_who,
)

__all__ = ["RosterWriter", "Transfer"]

# The columns each new row is written with, in order (importing writes tuples, not dicts).
PERSON_COLUMNS = (
    "id",
    "full_name",
    "name_key",
    "date_of_birth",
    "birth_year",
    *PERSON_FIELDS,
    "created_at",
)
STUDENT_COLUMNS = (
    "id",
    "person_id",
    "school_id",
    "student_code",
    "name_key",
    "extra",
    "roster_hash",
    "created_batch_id",
    "created_at",
)
ENROLLMENT_COLUMNS = ("student_id", "school_year_id", "class_name", "grade", "batch_id")
RESULT_COLUMNS = (
    "student_id",
    "school_year_id",
    "term",
    "academic",
    "academic_scale",
    "academic_rank",
    "conduct",
    "conduct_scale",
    "conduct_rank",
    "batch_id",
)
YOUTH_COLUMNS = ("person_id", "is_member", "joined_on", "roster_year", "roster_term", "batch_id")


@dataclass(frozen=True, slots=True)
class Transfer:
    """A student a roster moved from another school: the same code, name and birth."""

    row: int  # the roster row, 1-based
    code: str
    from_school_id: int


class RosterWriter:
    """Writes the records of one file, table by table and chunk by chunk; one instance per
    file, inside the file's transaction."""

    def __init__(self, session: Session, *, batch_id: int, stamp: Stamp) -> None:
        self.session = session
        self.batch_id = batch_id
        self.stamp = stamp  # who writes the file, when, with which command
        now = stamp.now
        self.transfers: list[Transfer] = []  # students this file moved from another school
        # Records refused at writing: their code is another school's student, another person.
        self.refused: list[RosterRecord] = []
        dialect = session.get_bind().dialect
        self.dialect = dialect.name
        # Values as the driver stores them, converted once per distinct value.
        self._person_now = binder(dialect, person_t.c.created_at)(now)
        self._student_now = binder(dialect, student_t.c.created_at)(now)
        self._dob = binder(dialect, person_t.c.date_of_birth)
        self._extra = binder(dialect, student_t.c.extra)
        self._member = binder(dialect, youth_t.c.is_member)
        self._joined = binder(dialect, youth_t.c.joined_on)
        # The table being written.
        self.fresh = False  # the database had no students when it started
        self._first_new: int | None = None  # the first student id it created
        self._created = 0
        self._built_after: list[str] = []  # CREATE INDEX statements to run at its end
        self._cache_size: int | None = None  # SQLite's page cache before the table
        self._mover: sqlite_bulk.Mover | None = None  # a SQLite bulk load's copier
        self._next_id: dict[str, int] = {}  # ids handed out, while the mover owns the connection

    # -- a table ----------------------------------------------------------------------------
    def begin_table(self, *, rows: int) -> None:
        """Before the first chunk of a table of about `rows` rows."""
        self._created = 0
        self._first_new = None
        self.fresh = self.session.execute(select(student_t.c.id).limit(1)).first() is None
        if sqlite_bulk.wants_bulk(self.dialect, fresh=self.fresh, rows=rows):
            conn = self.session.connection()
            self._cache_size, self._built_after = sqlite_bulk.drop_indexes(conn)
            for table in (person_t, student_t):
                top = self.session.execute(select(func.max(table.c.id))).scalar()
                self._next_id[table.name] = int(top or 0) + 1
            self._mover = sqlite_bulk.Mover(conn.connection.dbapi_connection)

    def abandon(self) -> None:
        """After an error: the copying thread is let finish before the transaction is undone."""
        mover, self._mover = self._mover, None
        if mover is not None and mover.thread is not None:
            mover.thread.join()

    def end_table(self) -> None:
        """After the last chunk: the audit entry of the students created, the indexes."""
        if self._mover is not None:
            self._mover.close()
            self._mover = None
            self._next_id = {}
        if self._created:
            bulk_insert(
                self.session,
                audit_t,
                [self._audit("create", None, {"students_created": self._created})],
            )
        conn = self.session.connection()
        for sql in self._built_after:
            conn.exec_driver_sql(sql)
        self._built_after = []
        if self._cache_size is not None:
            conn.exec_driver_sql(f"PRAGMA cache_size = {self._cache_size}")
            self._cache_size = None

    # -- loading what is there -------------------------------------------------------------
    def _not_ours(self) -> list[Any]:
        """Students the current table created are not matched again by its later rows."""
        if self._first_new is None:
            return []
        return [student_t.c.id < self._first_new]

    def last_digests(self, codes: Sequence[str]) -> dict[str, str]:
        """Student code → digest of the roster row that last wrote it (TableParser.digest)."""
        return last_digests(self.session, codes)

    # -- writing ------------------------------------------------------------------------
    def write(
        self,
        records: list[RosterRecord],
        digests: list[str],
        *,
        school_id: int,
        year_id: int,
        present: set[str],
        roster_year: int,
        roster_term: str | None,
    ) -> Counts:
        """Create, update or leave each record of one chunk (whose digests did not match what
        is stored: see last_digests); returns the counts."""
        counts = Counts()
        if self.fresh:  # nothing to match: every record is a new student
            enrol_rows: list[tuple[Any, ...]] = []
            result_rows: list[tuple[Any, ...]] = []
            youth_rows: list[tuple[Any, ...]] = []
            self._create(
                records,
                digests,
                school_id=school_id,
                year_id=year_id,
                roster=(roster_year, roster_term),
                enrol_rows=enrol_rows,
                result_rows=result_rows,
                youth_rows=youth_rows,
            )
            counts.created = len(records)
            if self._mover is None:
                self._insert_rest(enrol_rows, result_rows, youth_rows, [])
            return counts
        stored = load_stored(self.session, school_id, records, self._not_ours())
        records, digests, matched = self._settle_transfers(
            records, digests, match(stored, records, school_id), school_id
        )
        chunk = Chunk(
            school_id=school_id,
            year_id=year_id,
            present=present,
            roster_year=roster_year,
            roster_term=roster_term,
            batch_id=self.batch_id,
            now=self.stamp.now,
            member=self._member,
            joined=self._joined,
            loaded=self._load_matched(matched, year_id),
        )
        new_records: list[RosterRecord] = []
        new_digests: list[str] = []
        audits: list[dict[str, Any]] = []
        for rec, digest, found in zip(records, digests, matched, strict=True):
            if found is None:
                new_records.append(rec)
                new_digests.append(digest)
                continue
            changes = chunk.record(rec, digest, found)
            if changes:
                counts.updated += 1
                audits.append(self._audit("update", found.student_id, changes))
            else:
                counts.unchanged += 1

        self._bulk_update(person_t, chunk.person_updates)
        self._bulk_update(student_t, chunk.digest_updates, touch=False)
        self._bulk_update(student_t, chunk.student_updates)
        self._bulk_update(enrollment_t, chunk.enrol_updates)
        self._bulk_update(result_t, chunk.result_updates)
        self._bulk_update(youth_t, chunk.youth_updates)
        if new_records:
            self._create(
                new_records,
                new_digests,
                school_id=school_id,
                year_id=year_id,
                roster=(roster_year, roster_term),
                enrol_rows=chunk.enrol_rows,
                result_rows=chunk.result_rows,
                youth_rows=chunk.youth_rows,
            )
            counts.created += len(new_records)
        self._insert_rest(chunk.enrol_rows, chunk.result_rows, chunk.youth_rows, audits)
        return counts

    def _settle_transfers(
        self,
        records: list[RosterRecord],
        digests: list[str],
        matched: list[Stored | None],
        school_id: int,
    ) -> tuple[list[RosterRecord], list[str], list[Stored | None]]:
        """A record whose code belongs to another school's student moves that student here only
        when it is the same person (identity.same_person): a transfer, kept in `transfers`.
        Otherwise the record is refused (`refused`), neither written nor matched: a code
        typed wrong must not rename someone else's student and take them from their school."""
        if all(found is None or found.school_id == school_id for found in matched):
            return records, digests, matched
        kept: tuple[list[RosterRecord], list[str], list[Stored | None]] = ([], [], [])
        for rec, digest, found in zip(records, digests, matched, strict=True):
            if found is not None and found.school_id != school_id:
                if not same_person(record_who(rec, school_id), stored_who(found)):
                    self.refused.append(rec)
                    continue
                self.transfers.append(Transfer(rec.row, rec.code or "", found.school_id))
            kept[0].append(rec)
            kept[1].append(digest)
            kept[2].append(found)
        return kept

    def _load_matched(self, matched: Sequence[Any], year_id: int) -> Loaded:
        """The rows the matched students' records may change."""
        student_ids = [s.student_id for s in matched if s is not None]
        person_ids = [s.person_id for s in matched if s is not None]
        return Loaded(
            enrollments=load_by(
                self.session,
                enrollment_t,
                "student_id",
                student_ids,
                enrollment_t.c.school_year_id == year_id,
            ),
            results=load_by(
                self.session,
                result_t,
                "student_id",
                student_ids,
                result_t.c.school_year_id == year_id,
            ),
            youth=load_by(self.session, youth_t, "person_id", person_ids),
        )

    def _insert_rest(
        self,
        enrol_rows: list[tuple[Any, ...]],
        result_rows: list[tuple[Any, ...]],
        youth_rows: list[tuple[Any, ...]],
        audits: list[dict[str, Any]],
    ) -> None:
        insert_rows(self.session, enrollment_t, ENROLLMENT_COLUMNS, enrol_rows)
        insert_rows(self.session, result_t, RESULT_COLUMNS, result_rows)
        insert_rows(self.session, youth_t, YOUTH_COLUMNS, youth_rows)
        bulk_insert(self.session, audit_t, audits)

    def _create(
        self,
        records: list[RosterRecord],
        digests: list[str],
        *,
        school_id: int,
        year_id: int,
        roster: tuple[int, str | None],
        enrol_rows: list[tuple[Any, ...]],
        result_rows: list[tuple[Any, ...]],
        youth_rows: list[tuple[Any, ...]],
    ) -> None:
        """New people and students, with their enrollment, results and Youth Union rows."""
        n = len(records)
        person_ids = self._new_ids(person_t, n)
        student_ids = self._new_ids(student_t, n)
        if self._first_new is None:
            self._first_new = student_ids[0]
        self._created += n
        if self._mover is not None:
            self._mover.stage_students(
                records,
                digests,
                person_ids,
                student_ids,
                bind={
                    "date_of_birth": self._dob,
                    "extra": self._extra,
                    "is_member": self._member,
                    "joined_on": self._joined,
                },
                constants={
                    "person_now": self._person_now,
                    "student_now": self._student_now,
                    "school_id": school_id,
                    "year_id": year_id,
                    "batch_id": self.batch_id,
                    "roster_year": roster[0],
                    "roster_term": roster[1],
                },
            )
            return
        dob, person_now = self._dob, self._person_now
        people = []
        for rec, pid in zip(records, person_ids, strict=True):
            people.append((pid, *person_row(rec, dob), person_now))
        insert_rows(self.session, person_t, PERSON_COLUMNS, people)
        del people
        extra, batch, student_now = self._extra, self.batch_id, self._student_now
        students = [
            (
                sid,
                pid,
                school_id,
                rec.code,
                rec.name_key,
                extra(rec.extra) if rec.extra else None,
                digest,
                batch,
                student_now,
            )
            for rec, digest, sid, pid in zip(records, digests, student_ids, person_ids, strict=True)
        ]
        insert_rows(self.session, student_t, STUDENT_COLUMNS, students)
        del students
        roster_year, roster_term = roster
        member, joined = self._member, self._joined
        for rec, sid, pid in zip(records, student_ids, person_ids, strict=True):
            enrol_rows.append((sid, year_id, rec.values.get("class_name"), grade_of(rec), batch))
            for term, grades in rec.results.items():
                result_rows.append(result_row(sid, year_id, term, grades, batch))
            if rec.youth_union is not None:
                youth_rows.append(
                    (
                        pid,
                        member(rec.youth_union),
                        joined(rec.youth_union_joined),
                        roster_year,
                        roster_term,
                        batch,
                    )
                )

    def _new_ids(self, table: Table, n: int) -> list[int]:
        """Ids for n new rows, taken before the insert so that the rows go in with one plain
        executemany (RETURNING row by row is several times slower): on SQLite the write
        transaction holds the database's only write lock (BEGIN IMMEDIATE), so max(id) + 1 …
        is ours; PostgreSQL hands out the numbers from the table's sequence."""
        if self.dialect == "postgresql":
            return [
                int(r[0])
                for r in self.session.execute(
                    text(
                        "SELECT nextval(pg_get_serial_sequence(:t, 'id')) "
                        "FROM generate_series(1, :n)"
                    ),
                    {"t": table.name, "n": n},
                )
            ]
        if table.name in self._next_id:  # the connection may be busy copying: count here
            start = self._next_id[table.name]
            self._next_id[table.name] = start + n
            return list(range(start, start + n))
        start = int(self.session.execute(select(func.max(table.c.id))).scalar() or 0) + 1
        return list(range(start, start + n))

    def _bulk_update(self, table: Table, rows: list[dict[str, Any]], *, touch: bool = True) -> None:
        """Executemany UPDATE … WHERE id = :_id, one statement per set of columns."""
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for row in rows:
            groups.setdefault(tuple(sorted(k for k in row if k != "_id")), []).append(row)
        for keys, group in groups.items():
            values: dict[str, Any] = {k: bindparam(k) for k in keys}
            if table is student_t and touch:
                values["updated_at"] = self.stamp.now
            stmt = update(table).where(table.c.id == bindparam("_id")).values(values)
            self.session.connection().execute(stmt, group)

    def _audit(
        self, action: str, student_id: int | None, changes: dict[str, Any]
    ) -> dict[str, Any]:
        return self.stamp.entry(
            action=action,
            entity="student",
            entity_id=student_id,
            batch_id=self.batch_id,
            changes=changes,
        )
