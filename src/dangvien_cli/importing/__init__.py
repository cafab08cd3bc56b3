"""Importing roster files: read, find the tables, check every row, write in one transaction.

The rows of a table are checked and written a chunk at a time (CHUNK_ROWS), all in the file's
one transaction: memory stays the same whatever the size of the file, and nothing is written
unless the whole file is. This module imports no database code itself (SQLAlchemy and the
models are imported by the functions that write), so that the value parsers under it can be
used, and the file read, while the rest of the program is still starting.
"""

from __future__ import annotations

import gc
import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from dangvien_cli.core.calendar import school_year_label
from dangvien_cli.core.errors import UsageError
from dangvien_cli.core.grades import TERM_LABELS
from dangvien_cli.core.legacy import detect_legacy, fix_legacy
from dangvien_cli.core.text import fold
from dangvien_cli.importing.layout import (
    GRADED_FIELDS,
    Column,
    Table,
    class_from_sheet_name,
    find_tables,
)
from dangvien_cli.importing.reader import Sheet, SheetRows, read_workbook
from dangvien_cli.importing.rows import (
    Counts,
    RosterRecord,
    RowError,
    TableParser,
    column_letter,
    merge_row_errors,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from dangvien_cli.roster.writer import RosterWriter

LEGACY_NAMES = {"tcvn3": "TCVN3 (ABC, phông .VnTime)", "vni": "VNI (phông VNI-Times)"}
CHUNK_ROWS = 20_000  # rows checked, then written, at a time


log = logging.getLogger(__name__)


class Progress(Protocol):
    """How the importer reports progress; the command line draws it, tests ignore it."""

    def start(self, description: str, total: int) -> None: ...

    def advance(self, amount: int) -> None: ...

    def finish(self) -> None: ...


class NoProgress:
    def start(self, description: str, total: int) -> None:
        pass

    def advance(self, amount: int) -> None:
        pass

    def finish(self) -> None:
        pass


@dataclass(frozen=True)
class ImportOptions:
    school: str | None = None
    school_year: int | None = None
    term: str | None = None
    class_name: str | None = None
    strict: bool = False


@dataclass
class SheetReport:
    name: str
    kind: str  # roster | milestones
    rows: int = 0
    counts: Counts = field(default_factory=Counts)
    rejected: int = 0
    school: str | None = None
    school_year: str | None = None
    term: str | None = None
    classes: list[str] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "rows": self.rows,
            "created": self.counts.created,
            "updated": self.counts.updated,
            "unchanged": self.counts.unchanged,
            "rejected": self.rejected,
            "school": self.school,
            "school_year": self.school_year,
            "term": self.term,
            "classes": self.classes,
            "unknown_columns": self.unknown_columns,
        }


@dataclass
class FileReport:
    path: str
    sheets: list[SheetReport] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    written: bool = True  # False after --strict refused the file, or --dry-run
    schools_created: list[str] = field(default_factory=list)

    @property
    def counts(self) -> Counts:
        total = Counts()
        for s in self.sheets:
            total.add(s.counts)
        return total

    @property
    def rejected(self) -> int:
        return sum(s.rejected for s in self.sheets)

    def as_json(self) -> dict[str, Any]:
        c = self.counts
        return {
            "path": self.path,
            "sheets": [s.as_json() for s in self.sheets],
            "created": c.created,
            "updated": c.updated,
            "unchanged": c.unchanged,
            "rejected": self.rejected,
            "written": self.written,
            "errors": [e.as_json() for e in self.errors],
            "notes": self.notes,
        }


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fix_sheet_encoding(sheet: Sheet) -> str | None:
    samples = (v for row in sheet.rows[:400] for v in row if isinstance(v, str) and v)
    legacy = detect_legacy(samples)
    if legacy is not None:

        def fix(row: list[object]) -> list[object]:
            return [fix_legacy(v, legacy) if isinstance(v, str) and v else v for v in row]

        if isinstance(sheet.rows, SheetRows):
            sheet.rows.transform(fix)
        else:
            sheet.rows = [fix(row) for row in sheet.rows]
    return legacy


@dataclass
class _Planned:
    table: Table
    parser: TableParser
    report: SheetReport
    school: str
    school_year: int
    roster_term: str | None  # the term the roster speaks for, when known


def import_file(
    session: Session,
    path: Path,
    options: ImportOptions,
    *,
    now: datetime,
    user: str | None,
    command: str,
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
            now=now,
            user=user,
            command=command,
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
    now: datetime,
    user: str | None,
    command: str,
    today: date,
    progress: Progress | None,
    sheets: list[Sheet] | None,
) -> FileReport:
    from sqlalchemy import insert, update

    from dangvien_cli.db.models import batch_t
    from dangvien_cli.roster.writer import RosterWriter

    progress = progress or NoProgress()
    report = FileReport(path=str(path))
    log.info("Tệp %s", path)
    if sheets is None:
        sheets = read_workbook(path)
    log.info("Đọc xong %d trang tính: %s", len(sheets), ", ".join(f"“{s.name}”" for s in sheets))
    planned: list[_Planned] = []
    milestone_tables: list[tuple[Sheet, Table]] = []
    for sheet in sheets:
        if sheet.hidden:
            report.notes.append(
                f"Trang “{sheet.name}” đang ẩn nên không được nhập; nếu cần, hãy bỏ ẩn trang "
                "(chuột phải vào tên trang → Bỏ ẩn) rồi nhập lại."
            )
            continue
        legacy = _fix_sheet_encoding(sheet)
        if legacy is not None:
            report.notes.append(
                f"Trang “{sheet.name}” được gõ bằng bảng mã cũ {LEGACY_NAMES[legacy]}; "
                "đã chuyển sang Unicode."
            )
        tables = find_tables(sheet)
        if not tables:
            guide = fold(sheet.name).startswith(("huong dan", "ghi chu", "chu thich"))
            if not guide and any(any(v not in ("", None) for v in row) for row in sheet.rows):
                report.notes.append(
                    f"Trang “{sheet.name}”: không thấy dòng tiêu đề cột (Họ và tên, Mã học sinh…) "
                    "trong 30 dòng đầu; bỏ qua trang này."
                )
            continue
        for table in tables:
            # Positions and column names only: never a cell of a student's row (issue 6).
            log.info(
                "Trang “%s”: bảng %s, tiêu đề ở dòng %d, dữ liệu dòng %d–%d",
                sheet.name,
                "tiến độ" if table.kind == "milestones" else "danh sách",
                table.header_first + 1,
                table.first_row + 1,
                table.end_row,
            )
            for col in table.columns:
                log.debug("  cột %d “%s” → %s", col.index + 1, col.header, col.field or "(thêm)")
            if table.kind == "milestones":
                milestone_tables.append((sheet, table))
                continue
            planned.append(_plan(path, sheet, table, options, report))
    if not planned and not milestone_tables:
        from dangvien_cli.core.errors import UnreadableFileError

        raise UnreadableFileError(
            f"{path.name}: không tìm thấy bảng danh sách học sinh nào — cần một dòng tiêu đề cột "
            "có “Họ và tên” cùng “Mã học sinh” hoặc “Ngày sinh” trong 30 dòng đầu của một trang. "
            "Hãy dùng `dangvien template` để xem mẫu."
            + "".join(f" Trang “{s.name}” đang ẩn nên không được đọc." for s in sheets if s.hidden)
        )
    total_rows = sum(p.table.end_row - p.table.first_row for p in planned) + sum(
        t.end_row - t.first_row for _, t in milestone_tables
    )
    progress.start(path.name, total_rows)
    batch_id = int(
        session.execute(
            insert(batch_t).returning(batch_t.c.id),
            {
                "file_name": path.name,
                "sha256": sha256_of(path),
                "imported_at": now,
                "imported_by": user,
            },
        ).scalar_one()
    )
    writer = RosterWriter(session, batch_id=batch_id, now=now, user=user, command=command)
    seen = _SeenCodes(planned)
    school_ids: set[int] = set()
    for number, plan in enumerate(planned):
        school_id = _import_table(
            session, writer, plan, number, seen, report, options, now=now, progress=progress
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
    milestone_reports = []
    for sheet, table in milestone_tables:
        from dangvien_cli.importing.milestone_sheet import import_milestones

        done = import_milestones(
            session,
            table,
            sheet.rows,
            batch_id=batch_id,
            today=today,
            now=now,
            user=user,
            command=command,
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
    progress.finish()
    log.info("Đã kiểm tra và ghi %d dòng của %s", total_rows, path.name)
    report.sheets = _merge_sheet_reports([p.report for p in planned] + milestone_reports)
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
    return report


class _SeenCodes:
    """Every student code the file has given so far, with where it was first given: a code
    given twice is one student only if both rows say the same (the second is then
    "unchanged"), else the second row is rejected, naming the first.

    For a file of a million rows this is the one thing kept for every row, so each code keeps
    a single number: the table, the row and a hash of the cells the comparison depends on
    (TableParser.same_key). The records are kept only for the chunk being checked; a second
    row whose cells differ from an earlier chunk's first row is compared with that row read
    and checked again."""

    _ROW_BITS = 24  # Excel sheets end at row 1,048,576
    _MASK = (1 << 64) - 1

    def __init__(self, planned: list[_Planned]) -> None:
        self.planned = planned  # by table number
        self._codes: dict[str, int] = {}

    def first(self, code: str) -> tuple[int, int, int] | None:
        """(table number, row, cells hash) of the first row with this code, or None."""
        packed = self._codes.get(code)
        if packed is None:
            return None
        place = packed >> 64
        return place >> self._ROW_BITS, place & ((1 << self._ROW_BITS) - 1), packed & self._MASK

    def add(self, code: str, table: int, row: int, cells_hash: int) -> bool:
        """Keep the first row with this code; False (and nothing kept) if there was one."""
        codes = self._codes
        if code in codes:
            return False
        codes[code] = (((table << self._ROW_BITS) | row) << 64) | (cells_hash & self._MASK)
        return True

    def record(self, table: int, row: int) -> RosterRecord:
        """The first row with a code, checked again."""
        parser = self.planned[table].parser
        parsed = parser.parse(row, parser.rows[row])
        assert not isinstance(parsed, list), "a row that was accepted is accepted again"
        return parsed


@dataclass
class _Duplicate:
    """A row whose code an earlier chunk gave, with cells that differ: decided after the
    chunk's rows are checked, by reading the first row again."""

    record: RosterRecord
    first_table: int
    first_row: int


def _import_table(
    session: Session,
    writer: RosterWriter,
    plan: _Planned,
    number: int,
    seen: _SeenCodes,
    report: FileReport,
    options: ImportOptions,
    *,
    now: datetime,
    progress: Progress,
) -> int | None:
    """Check and write the rows of one roster table, a chunk at a time; returns its school's
    id, or None when no row was written.

    A row is first compared with what the database says last wrote its student (the digest
    of its cells, TableParser.digest): the same row again is unchanged without being parsed.
    The other rows are parsed, and written."""
    from dangvien_cli.organisation.schools import ensure_school_year

    table = plan.table
    parser = plan.parser
    target: tuple[int, int] | None = None  # (school id, school year id), once a row needs it
    present = {c.field for c in table.columns if c.field}
    columns = ",".join(sorted(present))

    def where(ids: tuple[int, int]) -> str:  # what a digest is made for, with the row's cells
        return f"{ids[0]}|{ids[1]}|{plan.roster_term}|{columns}"

    classes: set[str | None] = set()
    done_to = table.first_row  # the progress bar's position, in the sheet's rows
    rows: Iterator[tuple[int, list[object]]] = parser.data_rows()
    writer.begin_table(rows=table.end_row - table.first_row)
    try:
        # Digests are compared only when the school and the year were there before.
        known = None if writer.fresh else _known_target(session, plan, options)
        start = None if known is None else parser.digest_start(where(known))
        while chunk := list(islice(rows, CHUNK_ROWS)):
            digests: list[str] = []
            codes: list[str | None] = []
            last: dict[str, str] = {}
            if known is not None and start is not None:
                digests = [parser.digest(row, start) for _, row in chunk]
                codes = [parser.quick_code(row) for _, row in chunk]
                last = writer.last_digests(sorted({c for c in codes if c}))
            records: list[RosterRecord] = []
            record_digests: list[str] = []
            in_chunk: dict[str, RosterRecord] = {}  # code → first record, for this chunk
            # The chunk's rejections in row order; a _Duplicate until it is decided.
            rejected: list[RowError | _Duplicate] = []
            plan.report.rows += len(chunk)
            unchanged = 0
            parse, same_key, add = parser.parse, parser.same_key, seen.add
            for i, (r, row) in enumerate(chunk):
                code = codes[i] if last else None
                if code is not None and last.get(code) == digests[i]:
                    # The row that last wrote this student, again: unchanged (once per file).
                    if len(row) < parser.width:
                        row = [*row, *([""] * (parser.width - len(row)))]
                    if add(code, number, r, same_key(row)):
                        unchanged += 1
                        classes.add(parser.class_of(row))
                        continue
                    first = seen.first(code)
                    assert first is not None
                    if first[0] == number and first[2] == same_key(row) & seen._MASK:
                        unchanged += 1
                    else:
                        parsed = parse(r, row)
                        assert not isinstance(parsed, list), "an unchanged row parses"
                        rejected.append(_Duplicate(parsed, first[0], first[1]))
                    continue
                parsed = parse(r, row)
                if isinstance(parsed, list):
                    rejected.append(merge_row_errors(parsed))
                    continue
                code = parsed.code
                if code:
                    if add(code, number, r, same_key(parsed.cells)):
                        in_chunk[code] = parsed
                    else:
                        first = seen.first(code)
                        assert first is not None
                        earlier = in_chunk.get(code)
                        if earlier is None:
                            key = same_key(parsed.cells) & seen._MASK
                            if first[0] == number and first[2] == key:
                                unchanged += 1  # the same cells: the same student
                            else:
                                rejected.append(_Duplicate(parsed, first[0], first[1]))
                        elif _same_student(earlier, parsed):
                            unchanged += 1
                        else:
                            rejected.append(_duplicate_error(plan, parsed, earlier, seen, first))
                        continue
                records.append(parsed)
                if digests:
                    record_digests.append(digests[i])
            plan.report.counts.unchanged += unchanged
            _decide_duplicates(plan, seen, rejected, report)
            progress.advance(chunk[-1][0] + 1 - done_to)
            done_to = chunk[-1][0] + 1
            if not records:
                continue
            if target is None:
                school_id, school_name, created = _school(session, plan.school, options, now)
                if created:
                    report.schools_created.append(school_name)
                plan.report.school = school_name
                target = (school_id, ensure_school_year(session, plan.school_year))
            if not digests or target != known:  # made now, for the rows to write
                if start is None or target != known:
                    start = parser.digest_start(where(target))
                    known = None  # the next chunks are not compared: nothing was stored before
                record_digests = [parser.digest(rec.cells, start) for rec in records]
            counts = writer.write(
                records,
                record_digests,
                school_id=target[0],
                year_id=target[1],
                present=present,
                roster_year=plan.school_year,
                roster_term=plan.roster_term,
            )
            plan.report.counts.add(counts)
            classes.update(r.values.get("class_name") for r in records)  # type: ignore[misc]
        writer.end_table()
    except BaseException:
        writer.abandon()  # the copying thread, if any, finishes before the rollback
        raise
    progress.advance(table.end_row - done_to)
    if writer.moved:
        report.notes.append(_moved_note(session, writer.moved, plan.report.school or ""))
        writer.moved = []
    plan.report.classes = sorted(str(c) for c in classes if c)
    return None if target is None else target[0]


def _known_target(
    session: Session, plan: _Planned, options: ImportOptions
) -> tuple[int, int] | None:
    """The school and school year a table goes to, if both are in the database already
    (nothing is created here, and a school name that matches several is left for later)."""
    from sqlalchemy import select

    from dangvien_cli.db.models import year_t
    from dangvien_cli.organisation.schools import find_school

    school: int | None = None
    if options.school is not None and plan.school == options.school:
        from dangvien_cli.organisation.schools import school_for_import

        try:
            found = school_for_import(session, plan.school)
        except UsageError:
            return None
        school = found.id if found is not None else None
    if school is None:
        named = find_school(session, plan.school)
        school = named[0] if named is not None else None
    year = session.execute(
        select(year_t.c.id).where(year_t.c.start_year == plan.school_year)
    ).scalar_one_or_none()
    if school is None or year is None:
        return None
    return int(school), int(year)


def _decide_duplicates(
    plan: _Planned, seen: _SeenCodes, rejected: list[RowError | _Duplicate], report: FileReport
) -> None:
    """Decide the chunk's repeated codes whose first row is not at hand, reading those first
    rows again in sheet order; then record the chunk's rejections in row order."""
    pending = sorted(
        (d for d in rejected if isinstance(d, _Duplicate)),
        key=lambda d: (d.first_table, d.first_row),
    )
    decided: dict[int, RowError | None] = {}
    for dup in pending:
        first_rec = seen.record(dup.first_table, dup.first_row)
        if _same_student(first_rec, dup.record):
            plan.report.counts.unchanged += 1
            decided[id(dup)] = None
        else:
            decided[id(dup)] = _duplicate_error(
                plan, dup.record, first_rec, seen, (dup.first_table, dup.first_row, 0)
            )
    for item in rejected:
        error = decided[id(item)] if isinstance(item, _Duplicate) else item
        if error is not None:
            report.errors.append(error)
            plan.report.rejected += 1


def _duplicate_error(
    plan: _Planned,
    parsed: RosterRecord,
    first: RosterRecord,
    seen: _SeenCodes,
    where: tuple[int, int, int],
) -> RowError:
    code_col = plan.table.fields["student_code"]
    code = parsed.code or ""
    return RowError(
        sheet=plan.table.sheet,
        row=parsed.row,
        column=code_col.header,
        column_letter=column_letter(code_col.index),
        value=code,
        reason=(
            f"Mã học sinh {code} đã dùng cho “{first.full_name}” ở trang "
            f"“{seen.planned[where[0]].table.sheet}” dòng {where[1] + 1}; một mã chỉ thuộc về "
            "một học sinh. Hãy sửa mã của một trong hai dòng."
        ),
        cells=parsed.cells,
        headers=[c.header for c in plan.table.columns],
    )


def _school(
    session: Session, name: str, options: ImportOptions, now: datetime
) -> tuple[int, str, bool]:
    """The school a table goes to. A name typed with --school may be short ("binh lu"), as
    for `students --school`; a name read from a title is taken whole."""
    from dangvien_cli.organisation.schools import ensure_school

    if options.school is not None and name == options.school:
        from dangvien_cli.organisation.schools import school_for_import

        found = school_for_import(session, name)
        if found is not None and found.id is not None:
            return found.id, found.name, False
    return ensure_school(session, name, now)


def _moved_note(session: Session, former: list[int], school: str) -> str:
    """Students whose code was known at another school: a transfer, or a wrong --school."""
    from collections import Counter

    from sqlalchemy import select

    from dangvien_cli.db.models import school_t

    names = dict(
        (int(i), str(n))
        for i, n in session.execute(
            select(school_t.c.id, school_t.c.name).where(school_t.c.id.in_(set(former)))
        )
    )
    parts = ", ".join(f"{n} từ {names.get(i, '?')}" for i, n in Counter(former).most_common())
    return (
        f"{len(former)} học sinh có mã đã ghi ở trường khác nay được ghi sang {school} ({parts}). "
        "Nếu đây không phải học sinh chuyển trường, hãy kiểm tra lại --school."
    )


def _same_student(a: RosterRecord, b: RosterRecord) -> bool:
    return (a.name_key, a.birth, a.values, a.results, a.youth_union) == (
        b.name_key,
        b.birth,
        b.values,
        b.results,
        b.youth_union,
    )


def _merge_sheet_reports(reports: list[SheetReport]) -> list[SheetReport]:
    """A sheet holding several class blocks is reported once."""
    merged: dict[str, SheetReport] = {}
    for rep in reports:
        into = merged.get(rep.name)
        if into is None:
            merged[rep.name] = rep
            continue
        into.rows += rep.rows
        into.rejected += rep.rejected
        into.counts.add(rep.counts)
        into.classes = sorted(set(into.classes) | set(rep.classes))
        into.unknown_columns = list(dict.fromkeys(into.unknown_columns + rep.unknown_columns))
    return list(merged.values())


def _plan(
    path: Path, sheet: Sheet, table: Table, options: ImportOptions, report: FileReport
) -> _Planned:
    """Decide school, year, term and class for a table; refuse when one is needed but unknown."""
    ctx = table.context
    where = f"{path.name}, trang “{sheet.name}” (bảng ở dòng {table.header_first + 1})"
    school = options.school or ctx.school
    if school is None:
        raise UsageError(
            f'{where}: tệp không ghi tên trường. Hãy thêm --school "Tên trường", '
            'ví dụ --school "THPT Bình Lư".'
        )
    year = options.school_year or ctx.school_year
    if year is None:
        raise UsageError(
            f"{where}: tệp không ghi năm học. Hãy thêm --school-year, "
            "ví dụ --school-year 2024-2025."
        )
    graded_terms = {c.term for c in table.columns if c.field in GRADED_FIELDS}
    term = options.term or ctx.term
    if graded_terms and None in graded_terms and term is None:
        raise UsageError(
            f"{where}: có cột học lực/hạnh kiểm nhưng tệp không ghi học kỳ. Hãy thêm --term "
            "hk1, hk2 hoặc cn."
        )
    class_name = options.class_name
    if class_name is None and "class_name" not in table.fields:
        class_name = ctx.class_name or class_from_sheet_name(sheet.name)
    from dangvien_cli.importing.merged import merged_down

    parser = TableParser(
        table,
        merged_down(sheet.rows, sheet.merged, table),
        school_year=year,
        term=options.term or ctx.term,
        class_name=class_name,
    )
    term_label = None
    terms: list[str] = []
    if graded_terms:
        found = {parser.term_of(c, len(graded_terms)) for c in parser.graded}
        terms = [t for t in TERM_LABELS if t in found]
        term_label = ", ".join(TERM_LABELS[t] for t in terms)
    sheet_report = SheetReport(
        name=sheet.name,
        kind=table.kind,
        school_year=school_year_label(year),
        term=term_label,
        unknown_columns=[c.header for c in table.unknown_columns],
    )
    first_of: dict[tuple[str, str | None], Column] = {}
    for col in table.columns:  # the first of two same-named columns is read, and said so
        if col.field is None:
            continue
        kept = first_of.setdefault((col.field, col.term), col)
        if kept is not col:
            report.notes.append(
                f"Trang “{sheet.name}”: cột “{col.header}” có hai lần ({column_letter(kept.index)}"
                f" và {column_letter(col.index)}); chỉ đọc cột {column_letter(kept.index)}."
            )
    return _Planned(
        table=table,
        parser=parser,
        report=sheet_report,
        school=school,
        school_year=year,
        roster_term=term or (terms[-1] if terms else None),
    )
