"""Merging a school's SQLite file into this database: new rows added, differing values settled.

The whole file is checked first (merge/check: its schema, every value, every link between rows)
and refused with the list of what is wrong before anything is written. Then the steps run in the
order the rows depend on each other: the organisation (merge/organisation), the students
(merge/students: matched by roster/identity, the same rule as an import), what hangs on them
(merge/hanging), the targets, and the audit log (merge/audit); a merge that wrote anything ends
with its own audit entry.

May import: dangvien_cli.core, .db, .organisation, .roster (identity: the same rules as an
import) and .admission (the names of the steps a file may hold).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from dangvien_cli.core.errors import DangvienError, DatabaseError, UsageError, writing_failure
from dangvien_cli.core.files import sha256_of
from dangvien_cli.db.audit import Stamp
from dangvien_cli.merge import hanging, organisation
from dangvien_cli.merge.audit import audit
from dangvien_cli.merge.merger import ACTION, Merger
from dangvien_cli.merge.refusal import MergeRefusedError, Refused
from dangvien_cli.merge.report import TABLES, Conflict, MergeReport
from dangvien_cli.merge.source import ForeignFileError, open_source
from dangvien_cli.merge.students import students

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = [
    "STEPS",
    "TABLES",
    "Conflict",
    "ForeignFileError",
    "MergeRefusedError",
    "MergeReport",
    "Refused",
    "merge_checked",
    "merge_file",
    "open_source",
    "school_file",
]

# One merge, in the order the rows depend on each other.
STEPS: tuple[Callable[[Merger], None], ...] = (
    organisation.units,
    organisation.schools,
    organisation.years,
    organisation.batches,
    students,
    hanging.enrollments,
    hanging.results,
    hanging.youth,
    hanging.milestones,
    organisation.targets,
    audit,
)


@contextmanager
def school_file(
    source: Path, *, target: Path | None = None, now: datetime | None = None
) -> Iterator[Connection]:
    """The school's file, opened read-only once the whole of it was checked
    (MergeRefusedError: nothing to write). A database error in the block (reading the file or
    writing ours) is said by its kind alone: its text can quote a row's values."""
    if target is not None and source.resolve() == target.resolve():
        raise UsageError("Không thể hợp nhất một cơ sở dữ liệu vào chính nó.")
    try:
        with open_source(source, now=now) as conn:
            yield conn
    except DangvienError:
        raise
    except (sqlite3.DatabaseError, DBAPIError) as exc:
        if writing_failure(exc):
            raise  # disk full, locked, …: the funnel says what to do (core.errors.known_failure)
        raise DatabaseError(
            f"Hợp nhất tệp {source.name} không thành công ({_kind(exc)}); không ghi gì vào cơ sở "
            "dữ liệu. Hãy chạy `dangvien check` trên tệp của trường và trên cơ sở dữ liệu này."
        ) from exc


def merge_file(
    session: Session,
    source: Path,
    *,
    stamp: Stamp,
    target: Path | None = None,
    notify: Callable[[str], None] | None = None,
) -> MergeReport:
    """Bring everything in the school's file `source` into the database of `session`, once the
    whole file was checked (MergeRefusedError: nothing written)."""
    with school_file(source, target=target, now=stamp.now) as conn:
        return merge_checked(session, conn, source, stamp=stamp)


def merge_checked(session: Session, conn: Connection, source: Path, *, stamp: Stamp) -> MergeReport:
    """Bring everything in the school's file, opened by school_file, into the database of
    `session` (inside school_file's block, which says a database error by its kind alone)."""
    report = MergeReport(source=str(source))
    merger = Merger(session, conn, report, stamp=stamp)
    for step in STEPS:
        step(merger)
    if merger.changed:
        _log_merge(session, source, report, stamp)
    return report


def _log_merge(session: Session, source: Path, report: MergeReport, stamp: Stamp) -> None:
    """The merge's own audit entry: who, when (the stamp), which file and its digest, and how
    many rows of each table it added."""
    from dangvien_cli.merge.schema import shown

    stamp.log(
        session,
        action=ACTION,
        entity="file",
        changes={
            "file": shown(source.name),
            "sha256": sha256_of(source),
            "added": {t: n for t, n in report.added.items() if n},
            "conflicts": len(report.conflicts),
        },
    )


def _kind(exc: Exception) -> str:
    inner = getattr(exc, "orig", None) or exc
    return str(getattr(inner, "sqlite_errorname", None) or type(inner).__name__)
