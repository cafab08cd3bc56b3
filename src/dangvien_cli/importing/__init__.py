"""Importing roster files: read, find the tables, check every row, write in one transaction."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from dangvien_cli.errors import UsageError
from dangvien_cli.importing.layout import GRADED_FIELDS, Table, class_from_sheet_name, find_tables
from dangvien_cli.importing.reader import Sheet, read_workbook
from dangvien_cli.importing.rows import (
    RosterRecord,
    RowError,
    TableParser,
    column_letter,
    merge_row_errors,
)
from dangvien_cli.importing.store import Counts, RosterWriter, ensure_school, ensure_school_year
from dangvien_cli.importing.values import TERM_LABELS, school_year_label
from dangvien_cli.models import batch_t
from dangvien_cli.text import detect_legacy, fix_legacy, fold

LEGACY_NAMES = {"tcvn3": "TCVN3 (ABC, phông .VnTime)", "vni": "VNI (phông VNI-Times)"}


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
        sheet.rows = [
            [fix_legacy(v, legacy) if isinstance(v, str) and v else v for v in row]
            for row in sheet.rows
        ]
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
) -> FileReport:
    """Import one file inside the caller's transaction. Raises before writing on a bad file."""
    progress = progress or NoProgress()
    report = FileReport(path=str(path))
    sheets = read_workbook(path)
    planned: list[_Planned] = []
    milestone_tables: list[tuple[Sheet, Table]] = []
    for sheet in sheets:
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
            if table.kind == "milestones":
                milestone_tables.append((sheet, table))
                continue
            planned.append(_plan(path, sheet, table, options, report))
    if not planned and not milestone_tables:
        from dangvien_cli.errors import UnreadableFileError

        raise UnreadableFileError(
            f"{path.name}: không tìm thấy bảng danh sách học sinh nào — cần một dòng tiêu đề cột "
            "có “Họ và tên” cùng “Mã học sinh” hoặc “Ngày sinh” trong 30 dòng đầu của một trang. "
            "Hãy dùng `dangvien template` để xem mẫu."
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
    seen_codes: dict[str, tuple[str, int, RosterRecord]] = {}
    school_ids: set[int] = set()
    for plan in planned:
        records: list[RosterRecord] = []
        for r, row in plan.parser.data_rows():
            plan.report.rows += 1
            parsed = plan.parser.parse(r, row)
            if isinstance(parsed, list):
                report.errors.append(merge_row_errors(parsed))
                plan.report.rejected += 1
                continue
            if parsed.code:
                first = seen_codes.get(parsed.code)
                if first is not None:
                    if _same_student(first[2], parsed):
                        plan.report.counts.unchanged += 1
                        continue
                    code_col = plan.table.fields["student_code"]
                    report.errors.append(
                        RowError(
                            sheet=plan.table.sheet,
                            row=parsed.row,
                            column=code_col.header,
                            column_letter=column_letter(code_col.index),
                            value=parsed.code,
                            reason=(
                                f"Mã học sinh {parsed.code} đã dùng cho “{first[2].full_name}” ở "
                                f"trang “{first[0]}” dòng {first[1]}; một mã chỉ thuộc về một học "
                                "sinh. Hãy sửa mã của một trong hai dòng."
                            ),
                            cells=parsed.cells,
                            headers=[c.header for c in plan.table.columns],
                        )
                    )
                    plan.report.rejected += 1
                    continue
                seen_codes[parsed.code] = (plan.table.sheet, parsed.row, parsed)
            records.append(parsed)
        progress.advance(plan.table.end_row - plan.table.first_row)
        if not records:
            continue
        school_id, school_name, created = _school(session, plan.school, options, now)
        if created:
            report.schools_created.append(school_name)
        plan.report.school = school_name
        school_ids.add(school_id)
        year_id = ensure_school_year(session, plan.school_year)
        present = {c.field for c in plan.table.columns if c.field}
        counts, _ = writer.write(
            records,
            school_id=school_id,
            year_id=year_id,
            present=present,
            roster_year=plan.school_year,
            roster_term=plan.roster_term,
        )
        if writer.moved:
            report.notes.append(_moved_note(session, writer.moved, school_name))
            writer.moved = []
        plan.report.counts.add(counts)
        plan.report.classes = sorted(
            {str(r.values["class_name"]) for r in records if r.values.get("class_name")}
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


def _school(
    session: Session, name: str, options: ImportOptions, now: datetime
) -> tuple[int, str, bool]:
    """The school a table goes to. A name typed with --school may be short ("binh lu"), as
    for `students --school`; a name read from a title is taken whole."""
    if options.school is not None and name == options.school:
        from dangvien_cli.schools import school_for_import

        found = school_for_import(session, name)
        if found is not None and found.id is not None:
            return found.id, found.name, False
    return ensure_school(session, name, now)


def _moved_note(session: Session, former: list[int], school: str) -> str:
    """Students whose code was known at another school: a transfer, or a wrong --school."""
    from collections import Counter

    from sqlalchemy import select

    from dangvien_cli.models import school_t

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
    parser = TableParser(
        table,
        sheet.rows,
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
    return _Planned(
        table=table,
        parser=parser,
        report=sheet_report,
        school=school,
        school_year=year,
        roster_term=term or (terms[-1] if terms else None),
    )
