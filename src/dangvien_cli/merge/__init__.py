"""Merging a school's SQLite file into this database: new rows added, differing values settled.

May import: dangvien_cli.core, .db, .organisation and .roster (identity: the same rules as an
import).
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, insert, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from dangvien_cli.core.errors import DangvienError, DatabaseError, ExitCode, UsageError
from dangvien_cli.core.seq import chunks
from dangvien_cli.db.audit import audit_entry
from dangvien_cli.db.engine import HEAD_REVISION
from dangvien_cli.db.models import (
    audit_t,
    batch_t,
    enrollment_t,
    milestone_t,
    person_t,
    result_t,
    school_t,
    student_t,
    target_t,
    unit_t,
    year_t,
    youth_t,
)
from dangvien_cli.roster.identity import TERM_RANK, stored_birth_key
from dangvien_cli.roster.records import grades_for_log

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

TABLES = ("unit", "school", "school_year", "import_batch", "student", "enrollment",
          "term_result", "youth_union", "milestone", "target", "audit_log")  # fmt: skip
PERSON_FIELDS = ("full_name", "date_of_birth", "birth_year", "gender", "ethnicity", "religion",
                 "national_id")  # fmt: skip
RESULT_FIELDS = ("academic", "academic_scale", "academic_rank", "conduct", "conduct_scale",
                 "conduct_rank")  # fmt: skip
MILESTONE_KEY = ("step", "on_date", "doc_number", "mentor", "note")
EPOCH = datetime(1900, 1, 1)
ACTION = "merge"


class ForeignFileError(DangvienError):
    """The file to merge is not a dangvien database, or one newer than this program."""

    exit_code = ExitCode.FAILURE


@dataclass(frozen=True)
class Conflict:
    table: str
    key: str
    field: str
    ours: Any
    theirs: Any
    kept: str  # ours | theirs

    def as_json(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "key": self.key,
            "field": self.field,
            "ours": _plain(self.ours),
            "theirs": _plain(self.theirs),
            "kept": self.kept,
        }


@dataclass
class MergeReport:
    source: str
    added: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))
    unchanged: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))
    conflicts: list[Conflict] = field(default_factory=list)
    written: bool = True

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "added": self.added,
            "unchanged": self.unchanged,
            "conflicts": [c.as_json() for c in self.conflicts],
        }


def _plain(value: Any) -> Any:
    """A value as JSON can hold it (dates as ISO text)."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


# -- reading the school's file --------------------------------------------------------------


@contextmanager
def open_source(path: Path) -> Iterator[Connection]:
    """A read-only connection to the school's file, at this program's schema revision.

    A file at an older revision is migrated in a temporary copy, never in place: the school's
    file is not ours to change."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    if not path.is_file():
        raise ForeignFileError(f"Không có tệp {path} để hợp nhất.")
    revision = _source_revision(path)
    with tempfile.TemporaryDirectory(prefix="dangvien-merge-") as tmp:
        read_path = path
        if revision != HEAD_REVISION:
            from dangvien_cli.db.engine import backup_sqlite, open_database

            read_path = Path(tmp) / path.name
            backup_sqlite(path, read_path)
            open_database(str(read_path)).close()  # migrates the copy, or says it is too new
        uri = f"{read_path.resolve().as_uri()}?mode=ro".replace("file://", "file:", 1)
        engine = create_engine(
            "sqlite://", creator=lambda: sqlite3.connect(uri, uri=True), poolclass=NullPool
        )
        try:
            with engine.connect() as conn:
                yield conn
        finally:
            engine.dispose()


def _source_revision(path: Path) -> str:
    uri = f"{path.resolve().as_uri()}?mode=ro".replace("file://", "file:", 1)
    foreign = (
        f"Tệp {path.name} không phải cơ sở dữ liệu của dangvien. "
        "Hãy chọn tệp .db mà trường dùng với dangvien (tùy chọn --db của trường)."
    )
    try:
        con = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise ForeignFileError(f"Không đọc được tệp {path}: {exc}.") from exc
    try:
        tables = {str(r[0]) for r in con.execute("SELECT name FROM sqlite_master")}
        if "alembic_version" not in tables or "student" not in tables:
            raise ForeignFileError(foreign)
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise ForeignFileError(foreign) from exc
    finally:
        con.close()
    if row is None:
        raise ForeignFileError(foreign)
    revision = str(row[0])
    if revision != HEAD_REVISION and not _known_revision(revision):
        raise ForeignFileError(
            f"Tệp {path.name} có phiên bản lược đồ {revision}, mới hơn phiên bản dangvien này "
            "hiểu được. Hãy cập nhật dangvien rồi hợp nhất lại."
        )
    return revision


def _known_revision(revision: str) -> bool:
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine

    from dangvien_cli.db.engine import _alembic_config

    script = ScriptDirectory.from_config(_alembic_config(create_engine("sqlite://")))
    return any(r.revision == revision for r in script.walk_revisions())


def _rows(conn: Connection, table: Table) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in conn.execute(select(table).order_by(table.c.id))]


# -- merging ----------------------------------------------------------------------------------


class Merger:
    """One merge of one file, inside the caller's transaction."""

    def __init__(
        self,
        session: Session,
        source: Connection,
        report: MergeReport,
        *,
        now: datetime,
        user: str | None,
        command: str,
    ) -> None:
        self.s = session
        self.src = source
        self.report = report
        self.now = now
        self.user = user
        self.command = command
        self.units: dict[int, int] = {}
        self.schools: dict[int, int] = {}
        self.years: dict[int, int] = {}
        self.batches: dict[int, int] = {}
        self.students: dict[int, int] = {}
        self.people: dict[int, int] = {}
        self.milestones: dict[int, int] = {}
        self.their_batch_time: dict[int, datetime] = {}
        self.our_batch_time: dict[int, datetime] = {}
        self.their_student_time: dict[int, datetime] = {}
        self.our_student_time: dict[int, datetime] = {}
        self.keys: dict[int, str] = {}  # their student id → how the summary names the student
        self.audits: list[dict[str, Any]] = []

    # -- helpers -------------------------------------------------------------------------------
    def _insert(self, table: Table, values: dict[str, Any]) -> int:
        values = {k: v for k, v in values.items() if k != "id"}
        new_id = self.s.execute(insert(table).returning(table.c.id), values).scalar_one()
        if table.name in self.report.added:  # a person is counted with their student
            self.report.added[table.name] += 1
        return int(new_id)

    def _same(self, table: Table) -> None:
        self.report.unchanged[table.name] += 1

    def _conflict(
        self,
        table: str,
        key: str,
        fld: str,
        ours: Any,
        theirs: Any,
        *,
        theirs_newer: bool,
        student_id: int | None,
        shown: tuple[Any, Any] | None = None,
    ) -> None:
        kept = "theirs" if theirs_newer else "ours"
        if shown is None:
            self.report.conflicts.append(Conflict(table, key, fld, ours, theirs, kept))
        else:  # school ids mean nothing to a reader: the summary says "school" and the names
            self.report.conflicts.append(Conflict(table, key, "school", *shown, kept))
        if student_id is None:
            return
        # The older value stays in the student's history: [older, newer] as imports log it.
        old, new = (ours, theirs) if theirs_newer else (theirs, ours)
        self.audits.append(
            audit_entry(
                now=self.now,
                user=self.user,
                command=self.command,
                action=ACTION,
                entity="student",
                entity_id=student_id,
                changes={fld: [_plain(old), _plain(new)], "kept": kept},
            )
        )

    # -- organisation -----------------------------------------------------------------------
    def units_(self) -> None:
        theirs = _rows(self.src, unit_t)
        ours = {r.name_key: r for r in self.s.execute(select(unit_t))}
        by_id = {r["id"]: r for r in theirs}
        done: set[int] = set()

        def place(row: dict[str, Any]) -> None:
            if row["id"] in done:
                return
            done.add(row["id"])
            parent = by_id.get(row["parent_id"]) if row["parent_id"] is not None else None
            if parent is not None:
                place(parent)
            parent_id = self.units.get(row["parent_id"]) if row["parent_id"] is not None else None
            found = ours.get(row["name_key"])
            if found is None:
                self.units[row["id"]] = self._insert(unit_t, {**row, "parent_id": parent_id})
                return
            self.units[row["id"]] = int(found.id)
            if found.parent_id is None and parent_id is not None:
                self.s.execute(
                    update(unit_t).where(unit_t.c.id == found.id).values(parent_id=parent_id)
                )
            elif parent_id is not None and found.parent_id != parent_id:
                self.report.conflicts.append(
                    Conflict("unit", row["name"], "parent_id", found.parent_id, parent_id, "ours")
                )
            self._same(unit_t)

        for row in theirs:
            place(row)

    def schools_(self) -> None:
        ours = {r.name_key: r for r in self.s.execute(select(school_t))}
        for row in _rows(self.src, school_t):
            unit_id = self.units.get(row["unit_id"]) if row["unit_id"] is not None else None
            found = ours.get(row["name_key"])
            if found is None:
                self.schools[row["id"]] = self._insert(school_t, {**row, "unit_id": unit_id})
                continue
            self.schools[row["id"]] = int(found.id)
            fill = {}
            if found.unit_id is None and unit_id is not None:
                fill["unit_id"] = unit_id
            if found.party_cell is None and row["party_cell"] is not None:
                fill["party_cell"] = row["party_cell"]
            if fill:
                self.s.execute(update(school_t).where(school_t.c.id == found.id).values(fill))
            if unit_id is not None and found.unit_id not in (None, unit_id):
                self.report.conflicts.append(
                    Conflict("school", row["name"], "unit_id", found.unit_id, unit_id, "ours")
                )
            self._same(school_t)

    def years_(self) -> None:
        ours = {int(y): int(i) for i, y in self.s.execute(select(year_t.c.id, year_t.c.start_year))}
        for row in _rows(self.src, year_t):
            found = ours.get(row["start_year"])
            if found is None:
                self.years[row["id"]] = self._insert(year_t, row)
            else:
                self.years[row["id"]] = found
                self._same(year_t)

    def batches_(self) -> None:
        b = batch_t.c
        for row in _rows(self.src, batch_t):
            self.their_batch_time[row["id"]] = row["imported_at"]
            found = self.s.execute(
                select(b.id).where(b.sha256 == row["sha256"], b.imported_at == row["imported_at"])
            ).scalar()
            if found is not None:
                self.batches[row["id"]] = int(found)
                self._same(batch_t)
                continue
            values = {
                **row,
                "school_id": self.schools.get(row["school_id"]) if row["school_id"] else None,
                "school_year_id": (
                    self.years.get(row["school_year_id"]) if row["school_year_id"] else None
                ),
            }
            self.batches[row["id"]] = self._insert(batch_t, values)

    def _batch(self, their_batch: int | None) -> int | None:
        return None if their_batch is None else self.batches.get(their_batch)

    def _our_batch_time(self, batch_id: int | None) -> datetime:
        if batch_id is None:
            return EPOCH
        if batch_id not in self.our_batch_time:
            at = self.s.execute(
                select(batch_t.c.imported_at).where(batch_t.c.id == batch_id)
            ).scalar()
            self.our_batch_time[batch_id] = _naive(at) if at is not None else EPOCH
        return self.our_batch_time[batch_id]

    def _their_batch_time(self, batch_id: int | None) -> datetime:
        if batch_id is None:
            return EPOCH
        at = self.their_batch_time.get(batch_id)
        return EPOCH if at is None else _naive(at)

    # -- students ---------------------------------------------------------------------------
    def students_(self) -> None:
        st, pt = student_t.c, person_t.c
        query = select(student_t, *(pt[f] for f in PERSON_FIELDS)).join(
            person_t, pt.id == st.person_id
        )
        theirs = [dict(r._mapping) for r in self.src.execute(query.order_by(st.id))]
        their_times = _student_times(self.src)
        codes = [r["student_code"] for r in theirs if r["student_code"]]
        school_ids = sorted({self.schools[r["school_id"]] for r in theirs})
        ours: list[dict[str, Any]] = []
        seen: set[int] = set()
        for part in chunks(codes):
            ours += [
                dict(r._mapping) for r in self.s.execute(query.where(st.student_code.in_(part)))
            ]
        for part in chunks(school_ids):
            ours += [dict(r._mapping) for r in self.s.execute(query.where(st.school_id.in_(part)))]
        by_code: dict[str, dict[str, Any]] = {}
        by_name: dict[tuple[int, str, str], dict[str, Any]] = {}
        for r in ours:
            if r["id"] in seen:
                continue
            seen.add(r["id"])
            if r["student_code"]:
                by_code[r["student_code"]] = r
            by_name.setdefault((r["school_id"], r["name_key"], stored_birth_key(r)), r)
        our_times = _student_times(self.s.connection(), sorted(seen))

        for row in theirs:
            school_id = self.schools[row["school_id"]]
            code = row["student_code"]
            key = code or f"{row['full_name']} ({stored_birth_key(row) or '?'})"
            self.keys[row["id"]] = key
            found = by_code.get(code) if code else None
            if found is None:
                candidate = by_name.get((school_id, row["name_key"], stored_birth_key(row)))
                if candidate is not None and (not code or not candidate["student_code"]):
                    found = candidate
            their_time = max(_naive(row["created_at"]), their_times.get(row["id"], EPOCH))
            self.their_student_time[row["id"]] = their_time
            if found is None:
                person_id = self._insert(
                    person_t,
                    {
                        **{f: row[f] for f in PERSON_FIELDS},
                        "name_key": row["name_key"],
                        "created_at": row["created_at"],
                    },
                )
                student_id = self._insert(
                    student_t,
                    {
                        **{c.name: row[c.name] for c in student_t.c},
                        "person_id": person_id,
                        "school_id": school_id,
                        "roster_hash": None,
                        "created_batch_id": self._batch(row["created_batch_id"]),
                    },
                )
                self.people[row["person_id"]] = person_id
                self.students[row["id"]] = student_id
                by_name.setdefault((school_id, row["name_key"], stored_birth_key(row)), row)
                continue
            self.people[row["person_id"]] = int(found["person_id"])
            self.students[row["id"]] = int(found["id"])
            our_time = max(
                _naive(found["created_at"]),
                _naive(found["updated_at"]) if found["updated_at"] else EPOCH,
                our_times.get(int(found["id"]), EPOCH),
            )
            self.our_student_time[int(found["id"])] = our_time
            self._student_values(row, found, key, school_id, their_time > our_time)

    def _student_values(
        self,
        row: dict[str, Any],
        found: dict[str, Any],
        key: str,
        school_id: int,
        theirs_newer: bool,
    ) -> None:
        person_vals: dict[str, Any] = {}
        student_vals: dict[str, Any] = {}
        our_id = int(found["id"])
        for f in PERSON_FIELDS:
            if row[f] != found[f] and row[f] is not None:
                self._conflict(
                    "student", key, f, found[f], row[f], theirs_newer=theirs_newer,
                    student_id=our_id,
                )  # fmt: skip
                if theirs_newer:
                    person_vals[f] = row[f]
        if person_vals.get("full_name") is not None:
            person_vals["name_key"] = row["name_key"]
            student_vals["name_key"] = row["name_key"]
        their = {"student_code": row["student_code"], "school_id": school_id, "extra": row["extra"]}
        for f, value in their.items():
            if value is not None and value != found[f]:
                # The summary names the schools; the history keeps their ids, as imports do.
                shown = (
                    (self._school_name(found[f]), self._school_name(value))
                    if f == "school_id"
                    else None
                )
                self._conflict(
                    "student", key, f, found[f], value, theirs_newer=theirs_newer,
                    student_id=our_id, shown=shown,
                )  # fmt: skip
                if theirs_newer:
                    student_vals[f] = value
        if person_vals:
            self.s.execute(
                update(person_t).where(person_t.c.id == found["person_id"]).values(person_vals)
            )
        if person_vals or student_vals:
            # A roster-held value changed: the next import of the same row must not skip it.
            # updated_at takes their time, so that merging the same file again is a no-op.
            student_vals |= {
                "roster_hash": None,
                "updated_at": row["updated_at"] or row["created_at"],
            }
            self.s.execute(update(student_t).where(student_t.c.id == our_id).values(student_vals))
        else:
            self._same(student_t)

    def _school_name(self, school_id: int) -> str:
        name = self.s.execute(select(school_t.c.name).where(school_t.c.id == school_id)).scalar()
        return str(name)

    def _touch(self, our_student: int) -> None:
        self.s.execute(
            update(student_t).where(student_t.c.id == our_student).values(roster_hash=None)
        )

    # -- what hangs on a student -------------------------------------------------------------
    def _ours_for(self, table: Table, col: str, ids: list[int]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for part in chunks(ids):
            out += [
                dict(r._mapping)
                for r in self.s.execute(select(table).where(table.c[col].in_(part)))
            ]
        return out

    def enrollments_(self) -> None:
        ours = {
            (r["student_id"], r["school_year_id"]): r
            for r in self._ours_for(enrollment_t, "student_id", sorted(set(self.students.values())))
        }
        for row in _rows(self.src, enrollment_t):
            sid, yid = self.students[row["student_id"]], self.years[row["school_year_id"]]
            batch = self._batch(row["batch_id"])
            found = ours.get((sid, yid))
            if found is None:
                self._insert(
                    enrollment_t,
                    {**row, "student_id": sid, "school_year_id": yid, "batch_id": batch},
                )
                continue
            if row["class_name"] is None or row["class_name"] == found["class_name"]:
                self._same(enrollment_t)
                continue
            newer = self._their_batch_time(row["batch_id"]) > self._our_batch_time(
                found["batch_id"]
            )
            self._conflict(
                "enrollment", f"{self.keys[row['student_id']]} {_year_label(self, yid)}",
                "class_name", found["class_name"], row["class_name"], theirs_newer=newer,
                student_id=sid,
            )  # fmt: skip
            if newer:
                self.s.execute(
                    update(enrollment_t)
                    .where(enrollment_t.c.id == found["id"])
                    .values(class_name=row["class_name"], grade=row["grade"], batch_id=batch)
                )
                self._touch(sid)

    def results_(self) -> None:
        ours = {
            (r["student_id"], r["school_year_id"], r["term"]): r
            for r in self._ours_for(result_t, "student_id", sorted(set(self.students.values())))
        }
        for row in _rows(self.src, result_t):
            sid, yid = self.students[row["student_id"]], self.years[row["school_year_id"]]
            batch = self._batch(row["batch_id"])
            found = ours.get((sid, yid, row["term"]))
            if found is None:
                self._insert(
                    result_t, {**row, "student_id": sid, "school_year_id": yid, "batch_id": batch}
                )
                continue
            theirs = {f: row[f] for f in RESULT_FIELDS}
            mine = {f: found[f] for f in RESULT_FIELDS}
            if theirs == mine:
                self._same(result_t)
                continue
            newer = self._their_batch_time(row["batch_id"]) > self._our_batch_time(
                found["batch_id"]
            )
            self._conflict(
                "term_result",
                f"{self.keys[row['student_id']]} {_year_label(self, yid)}",
                f"result.{row['term']}",
                grades_for_log(mine),
                grades_for_log(theirs),
                theirs_newer=newer,
                student_id=sid,
            )
            if newer:
                self.s.execute(
                    update(result_t)
                    .where(result_t.c.id == found["id"])
                    .values(**theirs, batch_id=batch)
                )
                self._touch(sid)

    def youth_(self) -> None:
        ours = {
            r["person_id"]: r
            for r in self._ours_for(youth_t, "person_id", sorted(set(self.people.values())))
        }
        person_student = {p: s for s, p in _pairs(self.src)}
        for row in _rows(self.src, youth_t):
            pid = self.people[row["person_id"]]
            batch = self._batch(row["batch_id"])
            found = ours.get(pid)
            if found is None:
                self._insert(youth_t, {**row, "person_id": pid, "batch_id": batch})
                continue
            if (row["is_member"], row["joined_on"]) == (found["is_member"], found["joined_on"]):
                self._same(youth_t)
                continue
            theirs_when = (row["roster_year"] or 0, TERM_RANK.get(row["roster_term"], 0),
                           self._their_batch_time(row["batch_id"]))  # fmt: skip
            ours_when = (found["roster_year"] or 0, TERM_RANK.get(found["roster_term"], 0),
                         self._our_batch_time(found["batch_id"]))  # fmt: skip
            newer = theirs_when > ours_when
            their_student = person_student.get(row["person_id"])
            sid = self.students.get(their_student) if their_student is not None else None
            self._conflict(
                "youth_union", self.keys.get(their_student or -1, str(pid)), "youth_union",
                [found["is_member"], found["joined_on"]], [row["is_member"], row["joined_on"]],
                theirs_newer=newer, student_id=sid,
            )  # fmt: skip
            if newer:
                values = {
                    k: row[k] for k in ("is_member", "joined_on", "roster_year", "roster_term")
                }
                self.s.execute(
                    update(youth_t)
                    .where(youth_t.c.id == found["id"])
                    .values(**values, batch_id=batch)
                )
                if sid is not None:
                    self._touch(sid)

    def milestones_(self) -> None:
        ours: dict[tuple[Any, ...], int] = {}
        for r in self._ours_for(milestone_t, "person_id", sorted(set(self.people.values()))):
            ours.setdefault(_milestone_key(r, r["person_id"]), int(r["id"]))
        for row in _rows(self.src, milestone_t):
            pid = self.people[row["person_id"]]
            key = _milestone_key(row, pid)
            found = ours.get(key)
            if found is not None:
                self.milestones[row["id"]] = found
                self._same(milestone_t)
                continue
            replaces = self.milestones.get(row["replaces_id"]) if row["replaces_id"] else None
            new_id = self._insert(
                milestone_t,
                {
                    **row,
                    "person_id": pid,
                    "replaces_id": replaces,
                    "batch_id": self._batch(row["batch_id"]),
                },
            )
            self.milestones[row["id"]] = ours[key] = new_id

    def targets_(self) -> None:
        t = target_t.c
        for row in _rows(self.src, target_t):
            unit_id = self.units.get(row["unit_id"]) if row["unit_id"] is not None else None
            school_id = self.schools.get(row["school_id"]) if row["school_id"] is not None else None
            owner = t.unit_id == unit_id if unit_id is not None else t.school_id == school_id
            found = self.s.execute(
                select(target_t).where(
                    owner, t.period_start == row["period_start"], t.period_end == row["period_end"]
                )
            ).first()
            values = {**row, "unit_id": unit_id, "school_id": school_id}
            if found is None:
                self._insert(target_t, values)
                continue
            theirs = (row["class_target"], row["admitted_target"])
            mine = (found.class_target, found.admitted_target)
            if theirs == mine:
                self._same(target_t)
                continue
            newer = _naive(row["created_at"]) > _naive(found.created_at)
            self._conflict(
                "target", f"{row['period_label']}", "class_target/admitted_target",
                list(mine), list(theirs), theirs_newer=newer, student_id=None,
            )  # fmt: skip
            if newer:
                self.s.execute(
                    update(target_t)
                    .where(t.id == found.id)
                    .values(class_target=theirs[0], admitted_target=theirs[1],
                            created_at=row["created_at"])
                )  # fmt: skip

    def audit_(self) -> None:
        """Their audit log, with ids mapped; an entry already here is not copied again."""
        a = audit_t.c
        maps = {"student": self.students, "milestone": self.milestones, "unit": self.units,
                "school": self.schools}  # fmt: skip
        theirs = _rows(self.src, audit_t)
        since = min((r["at"] for r in theirs), default=None)
        existing: set[str] = set()
        if since is not None:
            for r in self.s.execute(select(audit_t).where(a.at >= since)):
                existing.add(_audit_key(dict(r._mapping)))
        new: list[dict[str, Any]] = []
        for row in theirs:
            mapping = maps.get(row["entity"], {})
            entity_id = mapping.get(row["entity_id"]) if row["entity_id"] is not None else None
            changes = row["changes"]
            if row["entity"] == "milestone" and isinstance(changes, dict):
                changes = dict(changes)
                if changes.get("student_id") is not None:
                    changes["student_id"] = self.students.get(changes["student_id"])
                if changes.get("replaces") is not None:
                    changes["replaces"] = self.milestones.get(changes["replaces"])
            values = {
                **{k: v for k, v in row.items() if k != "id"},
                "entity_id": entity_id,
                "batch_id": self._batch(row["batch_id"]),
                "changes": changes,
            }
            key = _audit_key(values)
            if key in existing:
                self._same(audit_t)
                continue
            existing.add(key)
            new.append(values)
        # The conflicts of this merge are logged once, however often the same file is merged.
        logged = {
            _audit_key({**dict(r._mapping), "at": None})
            for r in self.s.execute(select(audit_t).where(a.action == ACTION))
        }
        for entry in self.audits:
            key = _audit_key({**entry, "at": None})
            if key not in logged:
                logged.add(key)
                new.append(entry)
        for values in new:
            self._insert(audit_t, values)

    def run(self) -> None:
        for step in (
            self.units_,
            self.schools_,
            self.years_,
            self.batches_,
            self.students_,
            self.enrollments_,
            self.results_,
            self.youth_,
            self.milestones_,
            self.targets_,
            self.audit_,
        ):
            step()


def _audit_key(row: dict[str, Any]) -> str:
    at = row.get("at")
    return json.dumps(
        [
            _plain(_naive(at)) if isinstance(at, datetime) else None,
            row.get("action"),
            row.get("entity"),
            row.get("entity_id"),
            row.get("command") if row.get("action") != ACTION else None,
            _plain(row.get("changes")),
        ],
        sort_keys=True,
        ensure_ascii=False,
    )


def _naive(at: datetime) -> datetime:
    """Times compared as stored: SQLite keeps them without a zone."""
    return at.replace(tzinfo=None) if at.tzinfo is not None else at


def _milestone_key(row: dict[str, Any] | Any, person_id: int) -> tuple[Any, ...]:
    return (person_id, *(row[k] for k in MILESTONE_KEY))


def _year_label(merger: Merger, year_id: int) -> str:
    label = merger.s.execute(select(year_t.c.label).where(year_t.c.id == year_id)).scalar()
    return str(label)


def _pairs(conn: Connection | Any) -> list[tuple[int, int]]:
    return [
        (int(s), int(p)) for s, p in conn.execute(select(student_t.c.id, student_t.c.person_id))
    ]


def _student_times(conn: Connection, ids: list[int] | None = None) -> dict[int, datetime]:
    """Student id → when an import (or a command) last changed them, by the audit log; the
    entries a merge wrote do not count, so that merging cannot make old values look new."""
    from sqlalchemy import func

    a = audit_t.c
    query = (
        select(a.entity_id, func.max(a.at))
        .where(a.entity == "student", a.entity_id.is_not(None), a.action != ACTION)
        .group_by(a.entity_id)
    )
    out: dict[int, datetime] = {}
    if ids is None:
        return {int(i): _naive(at) for i, at in conn.execute(query)}
    for part in chunks(ids):
        for i, at in conn.execute(query.where(a.entity_id.in_(part))):
            out[int(i)] = _naive(at)
    return out


def merge_file(
    session: Session,
    source: Path,
    *,
    now: datetime,
    user: str | None,
    command: str,
    target: Path | None = None,
    notify: Callable[[str], None] | None = None,
) -> MergeReport:
    """Bring everything in the school's file `source` into the database of `session`."""
    if target is not None and source.resolve() == target.resolve():
        raise UsageError("Không thể hợp nhất một cơ sở dữ liệu vào chính nó.")
    report = MergeReport(source=str(source))
    try:
        with open_source(source) as conn:
            Merger(session, conn, report, now=now, user=user, command=command).run()
    except DangvienError:
        raise
    except (sqlite3.DatabaseError, DBAPIError) as exc:
        raise DatabaseError(f"Không đọc được tệp {source}: {exc}.") from exc
    return report
