"""Planning a file's import: which tables its sheets hold, and for each roster table the school,
school year, term and class it goes to (refused when one is needed but unknown), with its parser.
Sheets typed in a legacy 8-bit encoding are converted to Unicode first."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from dangvien_cli.core.calendar import school_year_label
from dangvien_cli.core.errors import UnreadableFileError, UsageError
from dangvien_cli.core.labels import TERM_LABELS
from dangvien_cli.core.legacy import detect_legacy, fix_legacy
from dangvien_cli.core.text import fold
from dangvien_cli.importing.headers import GRADED_FIELDS
from dangvien_cli.importing.layout import (
    Column,
    Table,
    find_tables,
)
from dangvien_cli.importing.reader import Sheet, SheetRows
from dangvien_cli.importing.reports import FileReport, SheetReport
from dangvien_cli.importing.rows import FIELD_LABELS, column_letter
from dangvien_cli.importing.table_parser import TableParser
from dangvien_cli.importing.titles import class_from_file_name, class_from_sheet_name

LEGACY_NAMES = {"tcvn3": "TCVN3 (ABC, phông .VnTime)", "vni": "VNI (phông VNI-Times)"}

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImportOptions:
    school: str | None = None
    school_year: int | None = None
    term: str | None = None
    class_name: str | None = None
    strict: bool = False


# What a file may not say, the option that says it instead, and an example of it: in this order.
OPTIONS_ASKED: dict[str, tuple[str, str]] = {
    "--school": ("tên trường", '--school "THPT Bình Lư"'),
    "--school-year": ("năm học", "--school-year 2024-2025"),
    "--term": (
        "học kỳ (có cột học lực/hạnh kiểm)",
        "--term hk1 (hoặc hk2, cn)",
    ),
}


class MissingOptionsError(UsageError):
    """A file that does not say its school, school year or term (when its grades need one):
    every missing option named in one message, so that one run with all of them is enough."""

    def __init__(self, file_name: str, missing: dict[str, list[str]]) -> None:
        self.options = [o for o in OPTIONS_ASKED if o in missing]
        lines = []
        for option in self.options:
            what, example = OPTIONS_ASKED[option]
            lines.append(f"  {option}: tệp không ghi {what} ({', '.join(missing[option])}); "
                         f"ví dụ {example}")  # fmt: skip
        together = " ".join(OPTIONS_ASKED[o][1].split(" (")[0] for o in self.options)
        super().__init__(
            f"{file_name}: tệp thiếu {len(self.options)} thông tin để nhập. Hãy thêm:\n"
            + "\n".join(lines)
            + f"\nCả lệnh, ví dụ: dangvien import {file_name} {together}"
        )


@dataclass
class Planned:
    table: Table
    parser: TableParser
    report: SheetReport
    school: str
    school_year: int
    roster_term: str | None  # the term the roster speaks for, when known


def fix_sheet_encoding(sheet: Sheet) -> str | None:
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


def plan_tables(
    path: Path,
    sheets: list[Sheet],
    options: ImportOptions,
    report: FileReport,
    *,
    year_start: tuple[int, int],
) -> tuple[list[Planned], list[tuple[Sheet, Table]]]:
    """The file's roster tables, each planned (plan_table), and its progress tables, in sheet
    order. Hidden sheets, legacy encodings and sheets without a table are noted in the report."""
    planned: list[Planned] = []
    milestone_tables: list[tuple[Sheet, Table]] = []
    roster_tables: list[tuple[Sheet, Table]] = []
    for sheet in sheets:
        if sheet.hidden:
            report.notes.append(
                f"Trang “{sheet.name}” đang ẩn nên không được nhập; nếu cần, hãy bỏ ẩn trang "
                "(chuột phải vào tên trang → Bỏ ẩn) rồi nhập lại."
            )
            continue
        legacy = fix_sheet_encoding(sheet)
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
            roster_tables.append((sheet, table))
    _ask_once(path, roster_tables, options)
    for sheet, table in roster_tables:
        planned.append(plan_table(path, sheet, table, options, report, year_start=year_start))
    return planned, milestone_tables


def no_tables(path: Path, sheets: list[Sheet]) -> UnreadableFileError:
    """A file without any table of students: what a header row needs, and the hidden sheets."""
    return UnreadableFileError(
        f"{path.name}: không tìm thấy bảng danh sách học sinh nào — cần một dòng tiêu đề cột "
        "có “Họ và tên” cùng “Mã học sinh” hoặc “Ngày sinh” trong 30 dòng đầu của một trang. "
        "Hãy dùng `dangvien template` để xem mẫu."
        + "".join(f" Trang “{s.name}” đang ẩn nên không được đọc." for s in sheets if s.hidden)
    )


def _ask_once(path: Path, tables: list[tuple[Sheet, Table]], options: ImportOptions) -> None:
    """Every option the file's roster tables need and do not have, in one refusal."""
    missing: dict[str, list[str]] = {}
    for sheet, table in tables:
        where = f"trang “{sheet.name}”"
        for option in missing_options(table, options):
            if where not in missing.setdefault(option, []):
                missing[option].append(where)
    if missing:
        raise MissingOptionsError(path.name, missing)


def missing_options(table: Table, options: ImportOptions) -> list[str]:
    """The options a roster table needs and neither the command line nor its titles give."""
    ctx = table.context
    needed = []
    if (options.school or ctx.school) is None:
        needed.append("--school")
    if (options.school_year or ctx.school_year) is None:
        needed.append("--school-year")
    graded_terms = {c.term for c in table.columns if c.field in GRADED_FIELDS}
    if graded_terms and None in graded_terms and (options.term or ctx.term) is None:
        needed.append("--term")
    return needed


def plan_table(
    path: Path,
    sheet: Sheet,
    table: Table,
    options: ImportOptions,
    report: FileReport,
    *,
    year_start: tuple[int, int],
) -> Planned:
    """Decide school, year, term and class for a table; refuse when one is needed but unknown."""
    ctx = table.context
    missing = missing_options(table, options)
    if missing:  # plan_tables asked for every table's at once; this one is called alone too
        raise MissingOptionsError(path.name, {o: [f"trang “{sheet.name}”"] for o in missing})
    school, year = options.school or ctx.school, options.school_year or ctx.school_year
    term = options.term or ctx.term
    assert school is not None and year is not None  # _missing said so
    graded_terms = {c.term for c in table.columns if c.field in GRADED_FIELDS}
    class_name = options.class_name
    if class_name is None and "class_name" not in table.fields and ctx.class_name is None:
        class_name, said = class_from_names(sheet.name, path.name)
        if said:
            report.notes.append(f"Trang “{sheet.name}”: {said}.")
    from dangvien_cli.importing.merged import merged_down

    parser = TableParser(
        table,
        merged_down(sheet.rows, sheet.merged_down(table.first_row, table.end_row), table),
        school_year=year,
        term=term,
        class_name=class_name,
        year_start=year_start,
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
            report.notes.append(_twice(sheet.name, kept, col))
    return Planned(
        table=table,
        parser=parser,
        report=sheet_report,
        school=school,
        school_year=year,
        roster_term=term or (terms[-1] if terms else None),
    )


def class_from_names(sheet: str, file: str) -> tuple[str | None, str | None]:
    """The class of a table that has no class column and whose titles name none: from the
    sheet's name ("12A1"), else the file's ("6A.xlsx", "DS_10Ly4.xlsx" → 10 Lý 4); with the
    note saying where it came from (None when it came from nowhere)."""
    found = class_from_sheet_name(sheet)
    if found is not None:
        return found, f"lớp {found} lấy từ tên trang"
    found = class_from_file_name(file)
    if found is not None:
        return found, f"lớp {found} lấy từ tên tệp “{file}”"
    return None, None


def _twice(sheet: str, kept: Column, col: Column) -> str:
    """The note for a second column read as the same field: one header written twice, or two
    headers that say the same ("Họ và tên" and "Họ tên học sinh"), each named as written."""
    first, second = column_letter(kept.index), column_letter(col.index)
    if fold(kept.header) == fold(col.header):
        return (
            f"Trang “{sheet}”: cột “{col.header}” có hai lần ({first} và {second}); "
            f"chỉ đọc cột {first}."
        )
    label = FIELD_LABELS.get(col.field or "", col.field)
    return (
        f"Trang “{sheet}”: cột {first} “{kept.header}” và cột {second} “{col.header}” đều là "
        f"“{label}”; chỉ đọc cột {first}, cột {second} không được đọc."
    )
