"""`import --preview`: what an import would make of a file, without a database.

For each table found: its sheet, header rows and first data row; how each column is read (the
field it names, or kept as extra data, or ignored, and why); what the titles or the sheet's name
say (school, school year, term, class); and the first people as they would be stored, in the
shape of `students --json`. The options the file needs and lacks are listed instead of refused,
so that one look tells everything to add.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dangvien_cli.core.calendar import school_year_label
from dangvien_cli.core.labels import TERM_LABELS
from dangvien_cli.importing.fields import field_label, field_name
from dangvien_cli.importing.layout import Column, Table, find_tables
from dangvien_cli.importing.merged import merged_down
from dangvien_cli.importing.plans import (
    LEGACY_NAMES,
    ImportOptions,
    class_from_names,
    fix_sheet_encoding,
    missing_options,
    no_tables,
)
from dangvien_cli.importing.reader import Sheet, read_workbook
from dangvien_cli.importing.rows import column_letter
from dangvien_cli.importing.table_parser import TableParser
from dangvien_cli.roster.records import RosterRecord, grade_of
from dangvien_cli.roster.students import StudentRow

SAMPLE = 5  # people shown per table


@dataclass
class PreviewColumn:
    letter: str
    header: str
    field: str | None  # the field's name on the command line ("ho-ten"); None: extra data
    how: str  # in Vietnamese: what the import does with the column, and why

    def as_json(self) -> dict[str, Any]:
        return {"letter": self.letter, "header": self.header, "field": self.field, "how": self.how}


@dataclass
class PreviewTable:
    sheet: str
    kind: str  # roster | milestones
    header_rows: list[int]  # 1-based, as Excel numbers them
    first_data_row: int
    columns: list[PreviewColumn]
    from_title: dict[str, Any]
    sample: list[dict[str, Any]]
    rows: int  # data rows the table holds (people, or rows of steps)

    def as_json(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "kind": self.kind,
            "header_rows": self.header_rows,
            "first_data_row": self.first_data_row,
            "columns": [c.as_json() for c in self.columns],
            "from_title": self.from_title,
            "sample": self.sample,
            "rows": self.rows,
        }


@dataclass
class FilePreview:
    path: str
    tables: list[PreviewTable] = field(default_factory=list)
    missing_options: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "tables": [t.as_json() for t in self.tables],
            "missing_options": self.missing_options,
            "notes": self.notes,
        }


def preview_file(
    path: Path, options: ImportOptions, *, fallback_year: int, year_start: tuple[int, int]
) -> FilePreview:
    """What importing `path` with `options` would read. `fallback_year` is the school year the
    rows are checked against when neither the file nor the options say it (the current one).
    UnreadableFileError when the file cannot be read or holds no table."""
    sheets = read_workbook(path)
    preview = FilePreview(path=str(path))
    found: list[tuple[Sheet, Table]] = []
    for sheet in sheets:
        if sheet.hidden:
            preview.notes.append(f"Trang “{sheet.name}” đang ẩn nên không được nhập.")
            continue
        legacy = fix_sheet_encoding(sheet)
        if legacy is not None:
            preview.notes.append(
                f"Trang “{sheet.name}” được gõ bằng bảng mã cũ {LEGACY_NAMES[legacy]}; sẽ được "
                "chuyển sang Unicode."
            )
        found += [(sheet, table) for table in find_tables(sheet)]
    if not found:
        raise no_tables(path, sheets)
    asked: dict[str, None] = {}
    for sheet, table in found:
        if table.kind == "roster":
            asked.update(dict.fromkeys(missing_options(table, options)))
        preview.tables.append(
            _table(
                path.name, sheet, table, options, fallback_year=fallback_year, year_start=year_start
            )
        )
    preview.missing_options = list(asked)
    return preview


def _table(
    file_name: str,
    sheet: Sheet,
    table: Table,
    options: ImportOptions,
    *,
    fallback_year: int,
    year_start: tuple[int, int],
) -> PreviewTable:
    ctx = table.context
    sheet_class = class_from_names(sheet.name, file_name)[0]
    from_title = {
        "school": ctx.school,
        "school_year": school_year_label(ctx.school_year) if ctx.school_year else None,
        "term": ctx.term,
        "class": ctx.class_name or (sheet_class if "class_name" not in table.fields else None),
    }
    preview = PreviewTable(
        sheet=sheet.name,
        kind=table.kind,
        header_rows=list(range(table.header_first + 1, table.header_last + 2)),
        first_data_row=table.first_row + 1,
        columns=[_column(c, table) for c in table.columns],
        from_title=from_title,
        sample=[],
        rows=0,
    )
    rows = merged_down(sheet.rows, sheet.merged_down(table.first_row, table.end_row), table)
    if table.kind != "roster":
        preview.rows = table.end_row - table.first_row
        return preview
    year = options.school_year or ctx.school_year
    class_name = options.class_name
    if class_name is None and "class_name" not in table.fields:
        class_name = ctx.class_name or sheet_class
    parser = TableParser(
        table,
        rows,
        school_year=year or fallback_year,
        term=options.term or ctx.term,
        class_name=class_name,
        year_start=year_start,
    )
    school = options.school or ctx.school
    for r, row in parser.data_rows():
        preview.rows += 1
        if len(preview.sample) < SAMPLE:
            record = parser.parse(r, row)
            if isinstance(record, RosterRecord):
                preview.sample.append(_student(record, school, year))
    return preview


def _column(column: Column, table: Table) -> PreviewColumn:
    letter = column_letter(column.index)
    header = column.header
    if not header:
        return PreviewColumn(letter, header, None, "bỏ qua: cột không có tiêu đề")
    if column.field is None:
        return PreviewColumn(
            letter,
            header,
            None,
            "giữ làm dữ liệu thêm: tiêu đề không khớp trường dữ liệu nào dangvien đọc",
        )
    first = table.fields.get(column.field)
    term = f", {TERM_LABELS.get(column.term, column.term)}" if column.term else ""
    if first is not None and first is not column and column.field not in ("academic", "conduct"):
        return PreviewColumn(
            letter,
            header,
            None,
            f"bỏ qua: cột {column_letter(first.index)} đã là “{field_label(column.field)}”",
        )
    return PreviewColumn(
        letter, header, field_name(column.field), f"đọc thành “{field_label(column.field)}”{term}"
    )


def _student(record: RosterRecord, school: str | None, year: int | None) -> dict[str, Any]:
    """A person as `students --json` would show them once imported (the same StudentRow)."""
    values = record.values
    birth = record.birth
    return StudentRow(
        student_id=0,
        student_code=record.code,
        full_name=record.full_name,
        school=school or "",
        class_name=_text(values.get("class_name")),
        grade=grade_of(record),
        school_year=school_year_label(year) if year else None,
        date_of_birth=birth.date if birth else None,
        birth_year=birth.year if birth else None,
        gender=_text(values.get("gender")),
        ethnicity=_text(values.get("ethnicity")),
        religion=_text(values.get("religion")),
        youth_union_member=record.youth_union,
        birth_name=_text(values.get("birth_name")),
        stored_given_name=_text(values.get("given_name")),
    ).as_json() | {"school": school}


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
