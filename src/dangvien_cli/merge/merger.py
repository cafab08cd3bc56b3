"""One merge's state and the helpers its steps share: the maps from the school's ids to ours,
the times of their and our imports, inserting a row, counting one unchanged, and recording a
conflict (in the report, and in the student's history)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from dangvien_cli.core.seq import chunks
from dangvien_cli.db.audit import Stamp
from dangvien_cli.db.models import batch_t, school_t, student_t, year_t
from dangvien_cli.merge.report import Conflict, MergeReport, plain
from dangvien_cli.roster.identity import EPOCH, naive

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlalchemy.sql import Executable

__all__ = ["ACTION", "Merger"]

ACTION = "merge"


class Merger:
    """One merge of one file, inside the caller's transaction."""

    def __init__(
        self,
        session: Session,
        source: Connection,
        report: MergeReport,
        *,
        stamp: Stamp,
    ) -> None:
        self.s = session
        self.src = source
        self.report = report
        self.stamp = stamp  # who merges, when, with which command: for the conflicts' entries
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
        self.changed = False  # whether anything was written: a merge that was is audited
        # Their students (and people) held back (report.held_back): nothing of theirs is taken.
        self.held_students: set[int] = set()
        self.held_people: set[int] = set()

    # -- helpers -------------------------------------------------------------------------------
    def insert(self, table: Table, values: dict[str, Any]) -> int:
        self.changed = True
        values = {k: v for k, v in values.items() if k != "id"}
        new_id = self.s.execute(insert(table).returning(table.c.id), values).scalar_one()
        if table.name in self.report.added:  # a person is counted with their student
            self.report.added[table.name] += 1
        return int(new_id)

    def write(self, statement: Executable) -> None:
        """An update of our rows."""
        self.changed = True
        self.s.execute(statement)

    def same(self, table: Table) -> None:
        self.report.unchanged[table.name] += 1

    def conflict(
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
            self.stamp.entry(
                action=ACTION,
                entity="student",
                entity_id=student_id,
                changes={fld: [plain(old), plain(new)], "kept": kept},
            )
        )

    # -- imports ------------------------------------------------------------------------------
    def batch(self, their_batch: int | None) -> int | None:
        return None if their_batch is None else self.batches.get(their_batch)

    def ours_at(self, batch_id: int | None) -> datetime:
        if batch_id is None:
            return EPOCH
        if batch_id not in self.our_batch_time:
            at = self.s.execute(
                select(batch_t.c.imported_at).where(batch_t.c.id == batch_id)
            ).scalar()
            self.our_batch_time[batch_id] = naive(at) if at is not None else EPOCH
        return self.our_batch_time[batch_id]

    def theirs_at(self, batch_id: int | None) -> datetime:
        if batch_id is None:
            return EPOCH
        at = self.their_batch_time.get(batch_id)
        return EPOCH if at is None else naive(at)

    # -- students ---------------------------------------------------------------------------
    def school_name(self, school_id: int) -> str:
        name = self.s.execute(select(school_t.c.name).where(school_t.c.id == school_id)).scalar()
        return str(name)

    def touch(self, our_student: int) -> None:
        self.write(update(student_t).where(student_t.c.id == our_student).values(roster_hash=None))

    def ours_for(self, table: Table, col: str, ids: list[int]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for part in chunks(ids):
            out += [
                dict(r._mapping)
                for r in self.s.execute(select(table).where(table.c[col].in_(part)))
            ]
        return out

    def year_label(self, year_id: int) -> str:
        label = self.s.execute(select(year_t.c.label).where(year_t.c.id == year_id)).scalar()
        return str(label)
