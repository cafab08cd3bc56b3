"""Importing roster files: read, find the tables, check every row, write in one transaction.

The package owns everything between a file and the roster writer: reading workbooks and CSV
(reader, with the guard against hostile files), finding the tables and what their columns hold
(layout, merged), the value parsers of roster cells (values; dates, school years, terms and class
names are core's), the plausibility checks (plausible), the data rows and their parsing (rows,
table_parser, with the re-import digest and its PARSER_VERSION), planning a file's tables
(plans), checking and writing a table a chunk at a time (tables), what an import reports
(reports), and progress sheets of milestones (milestone_sheet). This module only orchestrates
one file's import (import_file).

The rows of a table are checked and written a chunk at a time (tables.CHUNK_ROWS), all in the
file's one transaction: memory stays the same whatever the size of the file, and nothing is
written unless the whole file is. This module imports no database code itself (SQLAlchemy and the
models are imported by the functions that write), so that the value parsers under it can be
used, and the file read, while the rest of the program is still starting.

May import: dangvien_cli.core, .db, .organisation, .roster and .admission."""

from __future__ import annotations

import gc
import logging
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from dangvien_cli.core.files import sha256_of
from dangvien_cli.importing.plans import ImportOptions, no_tables, plan_tables
from dangvien_cli.importing.reader import Sheet, Workbook, read_workbook
from dangvien_cli.importing.reports import (
    FileReport,
    NoProgress,
    Progress,
    SheetReport,
    merge_sheet_reports,
)
from dangvien_cli.importing.table_parser import PARSER_VERSION
from dangvien_cli.importing.tables import SeenCodes, import_table
from dangvien_cli.roster.records import Counts

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from dangvien_cli.db.audit import Stamp
    from dangvien_cli.importing.layout import Table

__all__ = [
    "PARSER_VERSION",
    "FileReport",
    "ImportOptions",
    "NoProgress",
    "Progress",
    "SheetReport",
    "import_file",
    "sha256_of",
]

log = logging.getLogger(__name__)


def import_file(
    session: Session,
    path: Path,
    options: ImportOptions,
    *,
    stamp: Stamp,
    today: date,
    progress: Progress | None = None,
    sheets: list[Sheet] | None = None,
) -> FileReport:
    """Import one file inside the caller's transaction. Raises before writing on a bad file.

    `sheets` is the file already read (read_workbook), when the caller read it ahead.

    Python's cycle collector is paused meanwhile: an import makes millions of short-lived
    objects (rows, records) that reference counting frees, and each full collection would walk
    every row and record alive (a quarter of the time of a 1,000,000-row import)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _import_file(
            session,
            path,
            options,
            stamp=stamp,
            today=today,
            progress=progress,
            sheets=sheets,
        )
    finally:
        if enabled:
            gc.enable()


def _import_file(
    session: Session,
    path: Path,
    options: ImportOptions,
    *,
    stamp: Stamp,
    today: date,
    progress: Progress | None,
    sheets: list[Sheet] | None,
) -> FileReport:
    from sqlalchemy import insert

    from dangvien_cli.db.models import batch_t
    from dangvien_cli.db.settings import current_rules
    from dangvien_cli.roster.writer import RosterWriter

    progress = progress or NoProgress()
    report = FileReport(path=str(path))
    log.info("Tệp %s", path)
    if sheets is None:
        sheets = read_workbook(path)
    log.info("Đọc xong %d trang tính: %s", len(sheets), ", ".join(f"“{s.name}”" for s in sheets))
    # The first day of the school year, for the plausibility of birth dates.
    year_start = current_rules(session).school_year_period_start
    planned, milestone_tables = plan_tables(path, sheets, options, report, year_start=year_start)
    if not planned and not milestone_tables:
        raise no_tables(path, sheets)
    total_rows = sum(p.table.end_row - p.table.first_row for p in planned) + sum(
        t.end_row - t.first_row for _, t in milestone_tables
    )
    progress.start(path.name, total_rows)
    batch_id = int(
        session.execute(
            insert(batch_t).returning(batch_t.c.id),
            {
                "file_name": path.name,
                # The digest of the bytes read; of the file now only for sheets given ready-made.
                "sha256": sheets.sha256 if isinstance(sheets, Workbook) else sha256_of(path),
                "imported_at": stamp.now,
                "imported_by": stamp.user,
            },
        ).scalar_one()
    )
    writer = RosterWriter(session, batch_id=batch_id, stamp=stamp)
    seen = SeenCodes(planned)
    school_ids: set[int] = set()
    for number, plan in enumerate(planned):
        school_id = import_table(
            session, writer, plan, number, seen, report, options, progress=progress
        )
        if school_id is not None:
            school_ids.add(school_id)
    if planned and not milestone_tables and not any(p.report.rows for p in planned):
        from dangvien_cli.core.errors import UnreadableFileError

        empty = planned[0].table
        raise UnreadableFileError(
            f"{path.name}: trang “{empty.sheet}” có dòng tiêu đề cột (dòng "
            f"{empty.header_first + 1}) nhưng không có học sinh nào bên dưới — tệp còn "
            "trống? Hãy điền danh sách rồi nhập lại."
        )
    # Progress sheets after the rosters: a workbook may carry both, and the steps need the
    # students.
    milestone_reports = _import_milestone_tables(
        session,
        milestone_tables,
        report,
        batch_id=batch_id,
        today=today,
        stamp=stamp,
        progress=progress,
    )
    progress.finish()
    log.info("Đã kiểm tra và ghi %d dòng của %s", total_rows, path.name)
    report.sheets = merge_sheet_reports([p.report for p in planned] + milestone_reports)
    _close_batch(session, batch_id, report, school_ids)
    return report


def _import_milestone_tables(
    session: Session,
    milestone_tables: list[tuple[Sheet, Table]],
    report: FileReport,
    *,
    batch_id: int,
    today: date,
    stamp: Stamp,
    progress: Progress,
) -> list[SheetReport]:
    """Import the file's progress sheets; their rejected rows go to the file's report."""
    milestone_reports = []
    for sheet, table in milestone_tables:
        from dangvien_cli.importing.milestone_sheet import import_milestones

        done = import_milestones(
            session,
            table,
            sheet.rows,
            batch_id=batch_id,
            today=today,
            stamp=stamp,
        )
        progress.advance(table.end_row - table.first_row)
        milestone_reports.append(
            SheetReport(
                name=sheet.name,
                kind="milestones",
                rows=done.rows,
                counts=Counts(created=done.created, unchanged=done.unchanged),
                rejected=done.rejected,
            )
        )
        report.errors += done.errors
    return milestone_reports


def _close_batch(session: Session, batch_id: int, report: FileReport, school_ids: set[int]) -> None:
    """Store the file's counts with its batch (and its school, when it wrote to one only)."""
    from sqlalchemy import update

    from dangvien_cli.db.models import batch_t

    c = report.counts
    session.execute(
        update(batch_t)
        .where(batch_t.c.id == batch_id)
        .values(
            rows=sum(s.rows for s in report.sheets),
            created=c.created,
            updated=c.updated,
            unchanged=c.unchanged,
            rejected=report.rejected,
            school_id=next(iter(school_ids)) if len(school_ids) == 1 else None,
        )
    )
