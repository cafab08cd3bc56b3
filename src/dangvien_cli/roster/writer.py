"""Writing checked roster records into the database in bulk: create, update, or leave unchanged.

The importer hands over one chunk of a table's records at a time (importing.CHUNK_ROWS), all
inside the file's one transaction. What is stored is looked up per chunk, by key (codes, name
keys, ids), so a chunk costs the same at the start of a million-row file as at its end.

A table written into a database that has no students yet (a first import) needs no look-up at
all. On SQLite such a table, when large, is also written the way bulk loads are: a bigger page
cache for the transaction; the indexes of the tables it fills (all but those of UNIQUE
constraints, which SQLite cannot drop) built once at the end of the table instead of row by
row — inside the same transaction, so an interrupted import leaves them as they were; and each
chunk's new rows put in temporary tables, then copied into the real ones on a thread while the
next chunk is checked (_Mover).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, bindparam, func, select, text, update
from sqlalchemy.orm import Session

from dangvien_cli.core.classes import grade_of_class
from dangvien_cli.core.grades import Grade
from dangvien_cli.core.seq import CHUNK, chunks
from dangvien_cli.db.audit import audit_entry
from dangvien_cli.db.bulk import binder, bulk_insert, insert_rows
from dangvien_cli.db.models import (
    audit_t,
    enrollment_t,
    person_t,
    result_t,
    student_t,
    youth_t,
)
from dangvien_cli.importing.rows import Counts, RosterRecord

__all__ = [
    "CHUNK",
    "TERM_RANK",
    "Counts",
    "RosterWriter",
    "chunks",
    "grades_for_log",
    "result_values",
    "stored_birth_key",
]

TERM_RANK = {None: 0, "hk1": 1, "hk2": 2, "cn": 3}  # the order of rosters within a year

PERSON_FIELDS = ("gender", "ethnicity", "religion", "national_id")

# Bulk loading on SQLite (see the module's docstring): from this many rows in a table, into a
# database without students.
BULK_ROWS = 2000
BULK_CACHE_KIB = 64 * 1024
FILLED = ("person", "student", "enrollment", "term_result", "youth_union")

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


def _birth_key(record_birth: Any) -> str:
    if record_birth is None:
        return ""
    return str(record_birth.iso)


def stored_birth_key(person: dict[str, Any]) -> str:
    """How a stored birth is compared: the ISO date, else the year, else empty."""
    dob = person.get("date_of_birth")
    if dob is not None:
        return str(dob.isoformat())
    year = person.get("birth_year")
    return "" if year is None else str(year)


def _json_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value


class _Mover:
    """Copies a SQLite bulk load's new rows into the real tables on a thread.

    Each chunk's new students (one row each: person, student and enrollment values), results
    and Youth Union rows go into three temporary tables with one executemany each, holding only
    what differs from row to row; INSERT … SELECT statements then copy them into the five real
    tables, with what is the same for the whole table (school, year, import, time) bound once.
    SQLite runs a whole statement without holding Python's lock, so one chunk's B-trees, unique
    indexes and foreign keys are written while the next chunk is read and checked on the main
    thread; the copy is also cheaper than a row-by-row executemany into five tables. One thread
    uses the connection at a time: wait() comes before anything else touches it. All of it is
    inside the import's transaction."""

    # What a staged row holds, by table (c0, c1, … in this order).
    NEW = (
        "person_id",
        "student_id",
        "full_name",
        "name_key",
        "date_of_birth",
        "birth_year",
        *PERSON_FIELDS,
        "student_code",
        "extra",
        "roster_hash",
        "class_name",
        "grade",
    )
    RESULTS = (
        "student_id",
        "term",
        "academic",
        "academic_scale",
        "academic_rank",
        "conduct",
        "conduct_scale",
        "conduct_rank",
    )
    YOUTH = ("person_id", "is_member", "joined_on")
    # Each real table: its columns, from a staged column or a value bound once (":name").
    COPIES = (
        (
            "person",
            "dangvien_new",
            {
                "id": "person_id",
                **{c: c for c in ("full_name", "name_key", "date_of_birth", "birth_year")},
                **{c: c for c in PERSON_FIELDS},
                "created_at": ":person_now",
            },
        ),
        (
            "student",
            "dangvien_new",
            {
                "id": "student_id",
                "person_id": "person_id",
                "school_id": ":school_id",
                "student_code": "student_code",
                "name_key": "name_key",
                "extra": "extra",
                "roster_hash": "roster_hash",
                "created_batch_id": ":batch_id",
                "created_at": ":student_now",
            },
        ),
        (
            "enrollment",
            "dangvien_new",
            {
                "student_id": "student_id",
                "school_year_id": ":year_id",
                "class_name": "class_name",
                "grade": "grade",
                "batch_id": ":batch_id",
            },
        ),
        (
            "term_result",
            "dangvien_new_result",
            {
                **{c: c for c in RESULTS},
                "school_year_id": ":year_id",
                "batch_id": ":batch_id",
            },
        ),
        (
            "youth_union",
            "dangvien_new_youth",
            {
                **{c: c for c in YOUTH},
                "roster_year": ":roster_year",
                "roster_term": ":roster_term",
                "batch_id": ":batch_id",
            },
        ),
    )

    def __init__(self, raw: Any) -> None:
        self.raw = raw  # the sqlite3 connection under the session's, in its transaction
        self.thread: threading.Thread | None = None
        self.error: BaseException | None = None
        self.staged: dict[str, tuple[str, ...]] = {
            "dangvien_new": self.NEW,
            "dangvien_new_result": self.RESULTS,
            "dangvien_new_youth": self.YOUTH,
        }
        self.copies: list[str] = []
        for table, source, columns in self.COPIES:
            staged = self.staged[source]
            picked = ", ".join(
                v if v.startswith(":") else f"c{staged.index(v)}" for v in columns.values()
            )
            self.copies.append(
                f"INSERT INTO main.{table} ({', '.join(columns)}) "
                f"SELECT {picked} FROM temp.{source} ORDER BY rowid"
            )
        # A chunk's rows stay in memory (the temporary database's own page cache).
        raw.execute(f"PRAGMA temp.cache_size = -{BULK_CACHE_KIB // 2}")
        for name, staged_columns in self.staged.items():
            cols = ", ".join(f"c{i}" for i in range(len(staged_columns)))
            raw.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} ({cols})")
            raw.execute(f"DELETE FROM temp.{name}")

    def stage(
        self,
        new: list[tuple[Any, ...]],
        results: list[tuple[Any, ...]],
        youth: list[tuple[Any, ...]],
        constants: dict[str, Any],
    ) -> None:
        """Put a chunk's rows in the temporary tables and start copying them."""
        self.wait()
        for (name, columns), rows in zip(self.staged.items(), (new, results, youth), strict=True):
            if rows:
                marks = ", ".join("?" * len(columns))
                self.raw.executemany(f"INSERT INTO temp.{name} VALUES ({marks})", rows)
        self.thread = threading.Thread(target=self._copy, args=(constants,), daemon=True)
        self.thread.start()

    def _copy(self, constants: dict[str, Any]) -> None:
        try:
            for sql in self.copies:
                self.raw.execute(sql, constants)
            for name in self.staged:
                self.raw.execute(f"DELETE FROM temp.{name}")
        except BaseException as exc:  # raised again on the main thread, by wait()
            self.error = exc

    def wait(self) -> None:
        """Until the last chunk is copied; its error, if it had one, is raised here."""
        if self.thread is not None:
            self.thread.join()
            self.thread = None
        if self.error is not None:
            error, self.error = self.error, None
            raise error

    def close(self) -> None:
        self.wait()
        for name in self.staged:
            self.raw.execute(f"DROP TABLE IF EXISTS temp.{name}")


class RosterWriter:
    """Writes the records of one file, table by table and chunk by chunk; one instance per
    file, inside the file's transaction."""

    def __init__(
        self, session: Session, *, batch_id: int, now: datetime, user: str | None, command: str
    ) -> None:
        self.session = session
        self.batch_id = batch_id
        self.now = now
        self.user = user
        self.command = command
        self.moved: list[int] = []  # the former school of each student this file moved
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
        self._mover: _Mover | None = None  # a SQLite bulk load's copier
        self._next_id: dict[str, int] = {}  # ids handed out, while the mover owns the connection

    # -- a table ----------------------------------------------------------------------------
    def begin_table(self, *, rows: int) -> None:
        """Before the first chunk of a table of about `rows` rows."""
        self._created = 0
        self._first_new = None
        self.fresh = self.session.execute(select(student_t.c.id).limit(1)).first() is None
        if self.fresh and self.dialect == "sqlite" and rows >= BULK_ROWS:
            conn = self.session.connection()
            self._cache_size = int(conn.exec_driver_sql("PRAGMA cache_size").scalar_one())
            conn.exec_driver_sql(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
            tables = ", ".join(f"'{name}'" for name in FILLED)
            found = conn.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                f"AND tbl_name IN ({tables}) ORDER BY name"
            ).all()
            for name, sql in found:
                conn.exec_driver_sql(f'DROP INDEX "{name}"')
                self._built_after.append(str(sql))
            for table in (person_t, student_t):
                top = self.session.execute(select(func.max(table.c.id))).scalar()
                self._next_id[table.name] = int(top or 0) + 1
            self._mover = _Mover(conn.connection.dbapi_connection)

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
        """Student code → digest of the roster row that last wrote it (TableParser.digest).

        Asked for every row of a re-imported file, so the query goes to the driver as it is."""
        conn = self.session.connection()
        mark = {"qmark": "?", "format": "%s", "pyformat": "%s"}.get(conn.dialect.paramstyle)
        out: dict[str, str] = {}
        for part in chunks(codes):
            if mark is None:  # pragma: no cover - SQLite and PostgreSQL have one above
                st = student_t.c
                query = select(st.student_code, st.roster_hash).where(
                    st.roster_hash.is_not(None), st.student_code.in_(part)
                )
                rows: Any = self.session.execute(query)
            else:
                rows = conn.exec_driver_sql(
                    "SELECT student_code, roster_hash FROM student WHERE roster_hash IS NOT NULL "
                    f"AND student_code IN ({', '.join([mark] * len(part))})",
                    tuple(part),
                )
            out.update((str(code), str(digest)) for code, digest in rows)
        return out

    def _load(self, school_id: int, records: list[RosterRecord]) -> list[Stored]:
        """The stored students the records may be: by code, then by name at this school for
        those whose code is not known (or who have none)."""
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
        base = (
            select(*cols)
            .join(person_t, person_t.c.id == student_t.c.person_id)
            .where(*self._not_ours())
        )
        rows: dict[int, Any] = {}
        for part in chunks([r.code for r in records if r.code]):
            for row in self.session.execute(base.where(student_t.c.student_code.in_(part))):
                rows[row.id] = row
        known = {row.student_code for row in rows.values()}
        keys = sorted({r.name_key for r in records if not r.code or r.code not in known})
        for part in chunks(keys):
            where = (student_t.c.school_id == school_id, student_t.c.name_key.in_(part))
            for row in self.session.execute(base.where(*where)):
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

    def _load_by(
        self, table: Table, key_col: str, ids: list[int], *where: Any
    ) -> dict[int, list[Any]]:
        """Rows of `table` for the students (or people) `ids`."""
        key = table.c[key_col]
        out: dict[int, list[Any]] = {}
        for part in chunks(sorted(set(ids))):
            for row in self.session.execute(select(table).where(key.in_(part), *where)):
                out.setdefault(getattr(row, key_col), []).append(row)
        return out

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
        enrol_rows: list[tuple[Any, ...]] = []
        result_rows: list[tuple[Any, ...]] = []
        youth_rows: list[tuple[Any, ...]] = []
        if self.fresh:  # nothing to match: every record is a new student
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
        rest, rest_digests = records, digests
        stored = self._load(school_id, rest)
        by_code = {s.code: s for s in stored if s.code}
        by_name: dict[tuple[str, str], Stored] = {}
        for s in stored:
            if s.school_id == school_id:
                by_name.setdefault((s.name_key, stored_birth_key(s.person)), s)

        matched: list[tuple[RosterRecord, str, Stored | None]] = []
        for rec, digest in zip(rest, rest_digests, strict=True):
            found = by_code.get(rec.code) if rec.code else None
            if found is None:
                candidate = by_name.get((rec.name_key, _birth_key(rec.birth)))
                if candidate is not None and (not rec.code or not candidate.code):
                    found = candidate
            matched.append((rec, digest, found))

        student_ids = [s.student_id for _, _, s in matched if s is not None]
        person_ids = [s.person_id for _, _, s in matched if s is not None]
        enrollments = self._load_by(
            enrollment_t, "student_id", student_ids, enrollment_t.c.school_year_id == year_id
        )
        results = self._load_by(
            result_t, "student_id", student_ids, result_t.c.school_year_id == year_id
        )
        youth = self._load_by(youth_t, "person_id", person_ids)

        new_records: list[RosterRecord] = []
        new_digests: list[str] = []
        person_updates: list[dict[str, Any]] = []
        student_updates: list[dict[str, Any]] = []
        enrol_updates: list[dict[str, Any]] = []
        result_updates: list[dict[str, Any]] = []
        youth_updates: list[dict[str, Any]] = []
        audits: list[dict[str, Any]] = []
        digest_updates: list[dict[str, Any]] = []
        when = (roster_year, TERM_RANK.get(roster_term, 0))
        roster = {"roster_year": roster_year, "roster_term": roster_term}

        for rec, digest, found in matched:
            if found is None:
                new_records.append(rec)
                new_digests.append(digest)
                continue
            digest_updates.append({"_id": found.student_id, "roster_hash": digest})
            changes: dict[str, list[Any]] = {}
            # person
            wanted = self._person_values(rec, present)
            diff = {k: v for k, v in wanted.items() if found.person.get(k) != v}
            if diff:
                for k, v in diff.items():
                    changes[k] = [_json_value(found.person.get(k)), _json_value(v)]
                row = {"_id": found.person_id, **wanted}
                if "full_name" in diff:  # the folded name follows the name, as student's does
                    row["name_key"] = rec.name_key
                person_updates.append(row)
                found.person.update(wanted)
            # student: code, name key, extra columns
            student_vals: dict[str, Any] = {}
            if rec.code and found.code != rec.code:
                student_vals["student_code"] = rec.code
                changes["student_code"] = [found.code, rec.code]
                found.code = rec.code
            if "full_name" in present and found.name_key != rec.name_key:
                student_vals["name_key"] = rec.name_key
                found.name_key = rec.name_key
            if found.school_id != school_id:
                self.moved.append(found.school_id)
                student_vals["school_id"] = school_id
                changes["school_id"] = [found.school_id, school_id]
                found.school_id = school_id
            if rec.extra:
                merged = {**(found.extra or {}), **rec.extra}
                if merged != (found.extra or {}):
                    student_vals["extra"] = merged
                    changes["extra"] = [found.extra, merged]
                    found.extra = merged
            if student_vals:
                student_updates.append({"_id": found.student_id, **student_vals})
            # enrollment in this school year
            klass = rec.values.get("class_name")
            grade = grade_of_class(str(klass)) if klass else None
            current = enrollments.get(found.student_id)
            if not current:
                enrol_rows.append((found.student_id, year_id, klass, grade, self.batch_id))
                enrollments[found.student_id] = [None]
                changes["class_name"] = [None, klass]
            elif current[0] is not None and klass is not None and current[0].class_name != klass:
                enrol_updates.append(
                    {
                        "_id": current[0].id,
                        "class_name": klass,
                        "grade": grade,
                        "batch_id": self.batch_id,
                    }
                )
                changes["class_name"] = [current[0].class_name, klass]
            # term results
            stored_results = {r.term: r for r in results.get(found.student_id, [])}
            for term, grades in rec.results.items():
                vals = result_values(grades)
                old = stored_results.get(term)
                if old is None:
                    result_rows.append(self._result_row(found.student_id, year_id, term, grades))
                    changes[f"result.{term}"] = [None, grades_for_log(vals)]
                else:
                    diff_r = {k: v for k, v in vals.items() if getattr(old, k) != v}
                    if diff_r:
                        result_updates.append({"_id": old.id, **vals, "batch_id": self.batch_id})
                        changes[f"result.{term}"] = [
                            grades_for_log({k: getattr(old, k) for k in vals}),
                            grades_for_log(vals),
                        ]
            # Youth Union
            if rec.youth_union is not None:
                yu_old = youth.get(found.person_id)
                old = yu_old[0] if yu_old else None
                joined = (
                    rec.youth_union_joined
                    if "youth_union_joined" in present
                    else (old.joined_on if old else None)
                )
                if old is None:
                    youth_rows.append(
                        (
                            found.person_id,
                            self._member(rec.youth_union),
                            self._joined(joined),
                            roster_year,
                            roster_term,
                            self.batch_id,
                        )
                    )
                    youth[found.person_id] = []
                    changes["youth_union"] = [None, rec.youth_union]
                elif (old.roster_year or 0, TERM_RANK.get(old.roster_term, 0)) > when:
                    pass  # a newer roster has already spoken for this student
                elif (old.is_member, old.joined_on) != (rec.youth_union, joined):
                    youth_updates.append(
                        {
                            "_id": old.id,
                            "is_member": rec.youth_union,
                            "joined_on": joined,
                            "batch_id": self.batch_id,
                            **roster,
                        }
                    )
                    changes["youth_union"] = [
                        [old.is_member, _json_value(old.joined_on)],
                        [rec.youth_union, _json_value(joined)],
                    ]
                elif (old.roster_year, old.roster_term) != (roster_year, roster_term):
                    youth_updates.append({"_id": old.id, **roster})
            if changes:
                counts.updated += 1
                audits.append(self._audit("update", found.student_id, changes))
            else:
                counts.unchanged += 1

        self._bulk_update(person_t, person_updates)
        self._bulk_update(student_t, digest_updates, touch=False)
        self._bulk_update(student_t, student_updates)
        self._bulk_update(enrollment_t, enrol_updates)
        self._bulk_update(result_t, result_updates)
        self._bulk_update(youth_t, youth_updates)
        if new_records:
            self._create(
                new_records,
                new_digests,
                school_id=school_id,
                year_id=year_id,
                roster=(roster_year, roster_term),
                enrol_rows=enrol_rows,
                result_rows=result_rows,
                youth_rows=youth_rows,
            )
            counts.created += len(new_records)
        self._insert_rest(enrol_rows, result_rows, youth_rows, audits)
        return counts

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
            self._stage(records, digests, person_ids, student_ids, school_id, year_id, roster)
            return
        dob, person_now = self._dob, self._person_now
        people = []
        for rec, pid in zip(records, person_ids, strict=True):
            birth = rec.birth
            values = rec.values
            people.append(
                (
                    pid,
                    rec.full_name,
                    rec.name_key,
                    None if birth is None else dob(birth.date),
                    None if birth is None else birth.year,
                    values.get("gender"),
                    values.get("ethnicity"),
                    values.get("religion"),
                    values.get("national_id"),
                    person_now,
                )
            )
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
        result_row = self._result_row
        for rec, sid, pid in zip(records, student_ids, person_ids, strict=True):
            klass = rec.values.get("class_name")
            grade = grade_of_class(str(klass)) if klass else None
            enrol_rows.append((sid, year_id, klass, grade, batch))
            for term, grades in rec.results.items():
                result_rows.append(result_row(sid, year_id, term, grades))
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

    def _stage(
        self,
        records: list[RosterRecord],
        digests: list[str],
        person_ids: list[int],
        student_ids: list[int],
        school_id: int,
        year_id: int,
        roster: tuple[int, str | None],
    ) -> None:
        """The rows of new students as the bulk load's mover takes them (_Mover.NEW, …)."""
        assert self._mover is not None
        dob, extra, member, joined = self._dob, self._extra, self._member, self._joined
        new: list[tuple[Any, ...]] = []
        results: list[tuple[Any, ...]] = []
        youth: list[tuple[Any, ...]] = []
        for rec, digest, sid, pid in zip(records, digests, student_ids, person_ids, strict=True):
            birth = rec.birth
            values = rec.values
            klass = values.get("class_name")
            new.append(
                (
                    pid,
                    sid,
                    rec.full_name,
                    rec.name_key,
                    None if birth is None else dob(birth.date),
                    None if birth is None else birth.year,
                    values.get("gender"),
                    values.get("ethnicity"),
                    values.get("religion"),
                    values.get("national_id"),
                    rec.code,
                    extra(rec.extra) if rec.extra else None,
                    digest,
                    klass,
                    grade_of_class(str(klass)) if klass else None,
                )
            )
            for term, grades in rec.results.items():
                a = grades.get("academic")
                c = grades.get("conduct")
                results.append(
                    (
                        sid,
                        term,
                        *((a.code, a.scale, a.rank) if a else _NO_GRADE),
                        *((c.code, c.scale, c.rank) if c else _NO_GRADE),
                    )
                )
            if rec.youth_union is not None:
                youth.append((pid, member(rec.youth_union), joined(rec.youth_union_joined)))
        constants = {
            "person_now": self._person_now,
            "student_now": self._student_now,
            "school_id": school_id,
            "year_id": year_id,
            "batch_id": self.batch_id,
            "roster_year": roster[0],
            "roster_term": roster[1],
        }
        self._mover.stage(new, results, youth, constants)

    def _result_row(
        self, student_id: int, year_id: int, term: str, grades: dict[str, Grade | None]
    ) -> tuple[Any, ...]:
        a = grades.get("academic")
        c = grades.get("conduct")
        return (
            student_id,
            year_id,
            term,
            *((a.code, a.scale, a.rank) if a else _NO_GRADE),
            *((c.code, c.scale, c.rank) if c else _NO_GRADE),
            self.batch_id,
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

    def _person_values(self, rec: RosterRecord, present: set[str]) -> dict[str, Any]:
        """The person columns this roster speaks for; absent columns are left out."""
        out: dict[str, Any] = {}
        if "full_name" in present and rec.full_name:
            out["full_name"] = rec.full_name
        if "date_of_birth" in present:
            out["date_of_birth"] = rec.birth.date if rec.birth else None
            out["birth_year"] = rec.birth.year if rec.birth else None
        for f in PERSON_FIELDS:
            if f in rec.values:
                out[f] = rec.values[f]
        return out

    def _bulk_update(self, table: Table, rows: list[dict[str, Any]], *, touch: bool = True) -> None:
        """Executemany UPDATE … WHERE id = :_id, one statement per set of columns."""
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for row in rows:
            groups.setdefault(tuple(sorted(k for k in row if k != "_id")), []).append(row)
        for keys, group in groups.items():
            values: dict[str, Any] = {k: bindparam(k) for k in keys}
            if table is student_t and touch:
                values["updated_at"] = self.now
            stmt = update(table).where(table.c.id == bindparam("_id")).values(values)
            self.session.connection().execute(stmt, group)

    def _audit(
        self, action: str, student_id: int | None, changes: dict[str, Any]
    ) -> dict[str, Any]:
        return audit_entry(
            now=self.now,
            user=self.user,
            command=self.command,
            action=action,
            entity="student",
            entity_id=student_id,
            batch_id=self.batch_id,
            changes=changes,
        )


_NO_GRADE = (None, None, None)


def result_values(grades: dict[str, Grade | None]) -> dict[str, Any]:
    """The result columns for the grade columns the roster has (absent ones are left out)."""
    out: dict[str, Any] = {}
    for kind, grade in grades.items():
        out[kind] = grade.code if grade else None
        out[f"{kind}_scale"] = grade.scale if grade else None
        out[f"{kind}_rank"] = grade.rank if grade else None
    return out


def grades_for_log(vals: dict[str, Any]) -> dict[str, Any]:
    """A result as the audit log keeps it: values and scales, not the ranks."""
    return {k: v for k, v in vals.items() if not k.endswith("_rank")}
