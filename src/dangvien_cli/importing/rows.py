"""The data rows of a roster table: which rows hold data (not blank rows, column numbers,
footers or signatures), what a rejected row says (RowError), and what an accepted row gives
(RosterRecord). The parsing of a row is importing.table_parser's."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import islice

from dangvien_cli.core.text import clean, fold
from dangvien_cli.importing.layout import Column, Table
from dangvien_cli.importing.reader import SheetRows

FIELD_LABELS = {
    "student_code": "Mã học sinh",
    "full_name": "Họ và tên",
    "date_of_birth": "Ngày sinh",
    "gender": "Giới tính",
    "female": "Nữ",
    "ethnicity": "Dân tộc",
    "religion": "Tôn giáo",
    "national_id": "Số định danh cá nhân",
    "class_name": "Lớp",
    "grade_level": "Khối",
    "academic": "Học lực / Kết quả học tập",
    "conduct": "Hạnh kiểm / Kết quả rèn luyện",
    "youth_union": "Đoàn viên",
    "youth_union_joined": "Ngày vào Đoàn",
}

# A footer states a count: "Tổng số: 45", "Tổng cộng 45 học sinh", "Sĩ số: 45".
_FOOTER = re.compile(r"^(tong so|tong cong|tong|cong|danh sach (nay )?co|sy so|si so)\b[^\d]*[:\d]")
_SIGNATURE = re.compile(
    r"(nguoi lap( bieu)?|hieu truong|da ky|giao vien chu nhiem|xac nhan|bi thu|thu truong"
    r"|ngay \d{1,2} thang \d{1,2} nam \d{4}|ngay\s*\.+\s*thang)"
)
COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass
class RowError:
    sheet: str
    row: int  # 1-based, as Excel shows it
    column: str  # the header as written; "" when the whole row is at fault
    column_letter: str
    value: str
    reason: str
    cells: list[object] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)  # the table's headers, for --errors

    @classmethod
    def of_cell(
        cls,
        table: Table,
        headers: list[str],
        r: int,
        row: list[object],
        col: Column | None,
        value: object,
        reason: str,
    ) -> RowError:
        """The rejection of the row at index r of a table's sheet for the cell in col (None: the
        row as a whole), with the row's cells and the table's headers for --errors."""
        return cls(
            sheet=table.sheet,
            row=r + 1,
            column=col.header if col else "",
            column_letter=column_letter(col.index) if col else "",
            value=display_value(value),
            reason=reason,
            cells=row,
            headers=headers,
        )

    def as_json(self) -> dict[str, object]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "column_letter": self.column_letter,
            "value": self.value,
            "reason": self.reason,
        }


def merge_row_errors(errors: list[RowError]) -> RowError:
    """Several bad cells in one row: one rejection that names them all."""
    first = errors[0]
    if len(errors) == 1:
        return first
    return RowError(
        sheet=first.sheet,
        row=first.row,
        column="; ".join(e.column for e in errors),
        column_letter=", ".join(e.column_letter for e in errors),
        value="; ".join(e.value for e in errors),
        reason=" ".join(e.reason for e in errors),
        cells=first.cells,
        headers=first.headers,
    )


def display_value(value: object) -> str:
    """A cell as the sheet shows it: dates dd/mm/yyyy, whole numbers without .0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return clean(str(value))[:200]


def is_filled(value: object) -> bool:
    return not (value is None or (isinstance(value, str) and not value.strip()))


@dataclass(frozen=True)
class RowKind:
    data: bool
    ends_table: bool = False


DATA = RowKind(True)
SKIP = RowKind(False)
END = RowKind(False, ends_table=True)


def _cell_at(row: list[object], index: int) -> object:
    return row[index] if 0 <= index < len(row) else ""


def classify(row: list[object], table: Table) -> RowKind:
    """Is this a data row? Blank rows, column numbers, footers and signatures are not."""
    fields = table.fields
    code_col = fields["student_code"].index if "student_code" in fields else -1
    name_col = fields["full_name"].index if "full_name" in fields else -1
    # The common case, decided at once: a code and a name that is not a column number.
    name = _cell_at(row, name_col)
    if (
        isinstance(name, str)
        and name.strip()
        and not COLUMN_NUMBER.match(name.strip())
        and is_filled(_cell_at(row, code_col))
    ):
        return DATA
    filled = [(i, v) for i, v in enumerate(row) if is_filled(v)]
    if not filled:
        return SKIP
    if not is_filled(_cell_at(row, code_col)):
        # Footers and signature blocks carry no student code; a student row may, by bad luck,
        # contain words such as "Tống Công", so only code-less rows are looked at.
        for _, value in filled:
            if isinstance(value, str):
                text = fold(value)
                if _FOOTER.match(text) or _SIGNATURE.search(text):
                    return END
    if len(filled) >= 3 and all(
        isinstance(v, (int, float)) or COLUMN_NUMBER.match(str(v).strip()) for _, v in filled
    ):
        return SKIP  # "(1) (2) (3) …" under the header
    key_cols = {
        fields[f].index for f in ("student_code", "full_name", "date_of_birth") if f in fields
    }
    if not any(i in key_cols for i, _ in filled):
        return SKIP  # an ordinal alone, a stray note beside the table
    return DATA


def rows_between(rows: Sequence[list[object]], first: int, end: int) -> Iterator[list[object]]:
    """Rows first … end-1 of a sheet, streamed when the sheet is read lazily."""
    if isinstance(rows, SheetRows):
        return rows.between(first, end)
    return islice(rows, first, end)
