"""Merging a school's SQLite file into this database: new rows added, differing values settled.

The steps run in the order the rows depend on each other: the organisation (merge/organisation),
the students (merge/students: matched by roster/identity, the same rule as an import), what hangs
on them (merge/hanging), the targets, and the audit log (merge/audit).

May import: dangvien_cli.core, .db, .organisation and .roster (identity: the same rules as an
import).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from dangvien_cli.core.errors import DangvienError, DatabaseError, UsageError, driver_message
from dangvien_cli.db.audit import Stamp
from dangvien_cli.merge import hanging, organisation
from dangvien_cli.merge.audit import audit
from dangvien_cli.merge.merger import Merger
from dangvien_cli.merge.report import TABLES, Conflict, MergeReport
from dangvien_cli.merge.source import ForeignFileError, open_source
from dangvien_cli.merge.students import students

__all__ = [
    "STEPS",
    "TABLES",
    "Conflict",
    "ForeignFileError",
    "MergeReport",
    "merge_file",
    "open_source",
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


def merge_file(
    session: Session,
    source: Path,
    *,
    stamp: Stamp,
    target: Path | None = None,
    notify: Callable[[str], None] | None = None,
) -> MergeReport:
    """Bring everything in the school's file `source` into the database of `session`."""
    if target is not None and source.resolve() == target.resolve():
        raise UsageError("Không thể hợp nhất một cơ sở dữ liệu vào chính nó.")
    report = MergeReport(source=str(source))
    try:
        with open_source(source) as conn:
            merger = Merger(session, conn, report, stamp=stamp)
            for step in STEPS:
                step(merger)
    except DangvienError:
        raise
    except (sqlite3.DatabaseError, DBAPIError) as exc:
        # The driver's message only: SQLAlchemy's text lists the row's values as parameters.
        raise DatabaseError(f"Không đọc được tệp {source}: {driver_message(exc)}.") from exc
    return report
