"""Checking and writing the rows of one roster table, a chunk at a time (CHUNK_ROWS), all in the
file's one transaction; a student code the file gives twice is one student only if both rows
say the same."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import TYPE_CHECKING, Any

from dangvien_cli.core.errors import UsageError
from dangvien_cli.importing.plans import ImportOptions, Planned
from dangvien_cli.importing.reports import FileReport, Progress
from dangvien_cli.importing.rows import RowError, column_letter, merge_row_errors
from dangvien_cli.roster.records import RosterRecord

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from dangvien_cli.roster.writer import RosterWriter, Transfer

CHUNK_ROWS = 20_000  # rows checked, then written, at a time


class SeenCodes:
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

    def __init__(self, planned: list[Planned]) -> None:
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


@dataclass
class _Checked:
    """What checking one chunk of a table's rows found."""

    records: list[RosterRecord] = field(default_factory=list)  # to write
    digests: list[str] = field(default_factory=list)  # the records', when the rows were compared
    # The chunk's rejections in row order; a _Duplicate until it is decided.
    rejected: list[RowError | _Duplicate] = field(default_factory=list)
    unchanged: int = 0


def import_table(
    session: Session,
    writer: RosterWriter,
    plan: Planned,
    number: int,
    seen: SeenCodes,
    report: FileReport,
    options: ImportOptions,
    *,
    progress: Progress,
) -> int | None:
    """Check and write the rows of one roster table, a chunk at a time; returns its school's
    id, or None when no row was written.

    A row is first compared with what the database says last wrote its student (the digest
    of its cells, TableParser.digest): the same row again is unchanged without being parsed.
    The other rows are parsed, and written."""
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
            plan.report.rows += len(chunk)
            compared = known is not None and start is not None
            checked = _check_chunk(
                plan, number, seen, chunk, writer, start if compared else None, classes
            )
            plan.report.counts.unchanged += checked.unchanged
            _decide_duplicates(plan, seen, checked.rejected, report)
            progress.advance(chunk[-1][0] + 1 - done_to)
            done_to = chunk[-1][0] + 1
            records = checked.records
            if not records:
                continue
            if target is None:
                target = _target(session, plan, options, report, writer.stamp.now)
            record_digests = checked.digests
            if not compared or target != known:  # made now, for the rows to write
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
            _report_refused(plan, writer, report)
            classes.update(r.values.get("class_name") for r in records)  # type: ignore[misc]
        writer.end_table()
    except BaseException:
        writer.abandon()  # the copying thread, if any, finishes before the rollback
        raise
    progress.advance(table.end_row - done_to)
    if parser.gender_marks:
        report.note_sheet("gender_marks", table.sheet, _gender_marks_note)
    if parser.ended_at is not None and (left := parser.after_end()):
        report.notes.append(_after_end_note(table.sheet, parser.ended_at, left))
    if writer.transfers:
        _report_transfers(session, plan, writer.transfers, report)
        writer.transfers = []
    plan.report.classes = sorted(str(c) for c in classes if c)
    return None if target is None else target[0]


def _check_chunk(
    plan: Planned,
    number: int,
    seen: SeenCodes,
    chunk: list[tuple[int, list[object]]],
    writer: RosterWriter,
    start: Any,
    classes: set[str | None],
) -> _Checked:
    """Check a chunk of table `number`'s rows. With `start` (the digest of what the rows are
    compared with), a row that last wrote its student is unchanged without being parsed; the
    other rows are parsed, and a code the file gave before is settled (_repeated_code)."""
    parser = plan.parser
    digests: list[str] = []
    codes: list[str | None] = []
    last: dict[str, str] = {}
    if start is not None:
        digests = [parser.digest(row, start) for _, row in chunk]
        codes = [parser.quick_code(row) for _, row in chunk]
        last = writer.last_digests(sorted({c for c in codes if c}))
    out = _Checked()
    records, record_digests, rejected = out.records, out.digests, out.rejected
    in_chunk: dict[str, RosterRecord] = {}  # code → first record, for this chunk
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
            elif (duplicate := _repeated_row(plan, number, seen, r, row, code)) is None:
                unchanged += 1
            else:
                rejected.append(duplicate)
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
                found = _repeated_code(plan, number, seen, parsed, in_chunk)
                if found is None:
                    unchanged += 1
                else:
                    rejected.append(found)
                continue
        records.append(parsed)
        if digests:
            record_digests.append(digests[i])
    out.unchanged = unchanged
    return out


def _repeated_row(
    plan: Planned, number: int, seen: SeenCodes, r: int, row: list[object], code: str
) -> _Duplicate | None:
    """An unchanged row whose code the file gave before: None when it repeats, in this table,
    the cells of the first row (unchanged), else a _Duplicate to decide."""
    first = seen.first(code)
    assert first is not None
    if first[0] == number and first[2] == plan.parser.same_key(row) & seen._MASK:
        return None
    parsed = plan.parser.parse(r, row)
    assert not isinstance(parsed, list), "an unchanged row parses"
    return _Duplicate(parsed, first[0], first[1])


def _repeated_code(
    plan: Planned,
    number: int,
    seen: SeenCodes,
    parsed: RosterRecord,
    in_chunk: dict[str, RosterRecord],
) -> RowError | _Duplicate | None:
    """A parsed row whose code the file gave before: None when it is the same student
    (unchanged), else its rejection, or a _Duplicate to decide when the first row is not in
    this chunk (`in_chunk`: code → first record, for this chunk)."""
    code = parsed.code or ""
    first = seen.first(code)
    assert first is not None
    earlier = in_chunk.get(code)
    if earlier is None:
        key = plan.parser.same_key(parsed.cells) & seen._MASK
        if first[0] == number and first[2] == key:
            return None  # the same cells: the same student
        return _Duplicate(parsed, first[0], first[1])
    if _same_student(earlier, parsed):
        return None
    return _duplicate_error(plan, parsed, earlier, seen, first)


def _gender_marks_note(sheets: str) -> str:
    return (
        f"{sheets}: cột “Giới tính” chỉ đánh dấu x, nên x được hiểu là Nữ và ô trống là "
        "Nam (cách ghi của danh sách nhà trường). Nếu không đúng, hãy ghi Nam hoặc Nữ vào cột "
        "này rồi nhập lại."
    )


def _after_end_note(sheet: str, ended_at: int, left: list[int]) -> str:
    shown = ", ".join(str(r + 1) for r in left[:10]) + (" …" if len(left) > 10 else "")
    return (
        f"Trang “{sheet}”: dòng {ended_at + 1} được hiểu là phần cuối bảng (tổng số, ghi chú "
        f"hoặc chữ ký) nên danh sách dừng ở đó, nhưng bên dưới còn {len(left)} dòng có họ tên "
        f"cùng mã hoặc ngày sinh (dòng {shown}) chưa được nhập. Nếu đó là học sinh, hãy xóa "
        "dòng đó hoặc chuyển nó xuống cuối bảng rồi nhập lại."
    )


def _target(
    session: Session, plan: Planned, options: ImportOptions, report: FileReport, now: datetime
) -> tuple[int, int]:
    """(school id, school year id) the table's rows are written to, made when missing."""
    from dangvien_cli.organisation.schools import ensure_school_year

    school_id, school_name, created = _school(session, plan.school, options, now)
    if created:
        report.schools_created.append(school_name)
    plan.report.school = school_name
    return school_id, ensure_school_year(session, plan.school_year)


def _known_target(
    session: Session, plan: Planned, options: ImportOptions
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
    plan: Planned, seen: SeenCodes, rejected: list[RowError | _Duplicate], report: FileReport
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
    plan: Planned,
    parsed: RosterRecord,
    first: RosterRecord,
    seen: SeenCodes,
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


def _report_refused(plan: Planned, writer: RosterWriter, report: FileReport) -> None:
    """The rows the writer refused: their code is a student of another school, and the row
    is not that person. The reason says so without a word of that other student."""
    if not writer.refused:
        return
    code_col = plan.table.fields["student_code"]  # a refused record has a code
    headers = [c.header for c in plan.table.columns]
    for rec in writer.refused:
        report.errors.append(
            RowError(
                sheet=plan.table.sheet,
                row=rec.row,
                column=code_col.header,
                column_letter=column_letter(code_col.index),
                value=rec.code or "",
                reason=(
                    "Mã học sinh này đã thuộc về một học sinh của trường khác, mà họ tên hoặc "
                    "ngày sinh ở dòng này không khớp với hồ sơ đó (học sinh chuyển trường phải "
                    "khớp cả hai). Dòng này không được ghi. Hãy kiểm tra lại mã; nếu đúng là "
                    "học sinh chuyển trường, hãy ghi họ tên và ngày sinh như hồ sơ ở trường cũ "
                    "rồi nhập lại."
                ),
                cells=rec.cells,
                headers=headers,
            )
        )
        plan.report.rejected += 1
    writer.refused = []


def _report_transfers(
    session: Session, plan: Planned, transfers: list[Transfer], report: FileReport
) -> None:
    """Students moved here from another school (same code, name and birth): each named in
    the report by its row and code, and one note for the summary."""
    from sqlalchemy import select

    from dangvien_cli.db.models import school_t

    former = {t.from_school_id for t in transfers}
    names = {
        int(i): str(n)
        for i, n in session.execute(
            select(school_t.c.id, school_t.c.name).where(school_t.c.id.in_(former))
        )
    }
    school = plan.report.school or ""
    for t in transfers:
        report.transfers.append(
            {
                "sheet": plan.table.sheet,
                "row": t.row,
                "student_code": t.code,
                "from_school": names.get(t.from_school_id),
                "to_school": school,
            }
        )
    sheet = plan.table.sheet
    listed = "; ".join(
        f"mã {t.code} (trang “{sheet}” dòng {t.row}) từ {names.get(t.from_school_id, '?')}"
        for t in transfers
    )
    report.notes.append(
        f"{len(transfers)} học sinh chuyển trường sang {school} (cùng mã, họ tên và ngày sinh "
        f"với hồ sơ ở trường cũ; lịch sử giữ lần chuyển): {listed}. Nếu đây không phải học "
        "sinh chuyển trường, hãy kiểm tra lại --school."
    )


def _same_student(a: RosterRecord, b: RosterRecord) -> bool:
    return (a.name_key, a.birth, a.values, a.results, a.youth_union) == (
        b.name_key,
        b.birth,
        b.values,
        b.results,
        b.youth_union,
    )
