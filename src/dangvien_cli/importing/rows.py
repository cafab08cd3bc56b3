"""The data rows of a roster table: which rows hold data (not blank rows, column numbers,
counters, footers, notes, signatures or technical rows), what a rejected row says (RowError),
and what an accepted row gives (RosterRecord). The parsing of a row is importing.table_parser's."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import islice

from dangvien_cli.core.dates import looks_like_date
from dangvien_cli.core.text import clean, fold
from dangvien_cli.importing.layout import Column, Table, is_label_line
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
# Signature blocks (folded): who signs, "(Ký, ghi rõ họ tên)", the place-and-date line
# "Lai Châu, ngày 20 tháng 12 năm 2024" or "…, ngày … tháng … năm …".
_SIGNATURE = re.compile(
    r"(nguoi lap( bieu)?|hieu truong|da ky|giao vien chu nhiem|xac nhan|bi thu|thu truong"
    r"|ngay \d{1,2} thang \d{1,2} nam \d{4}|ngay\s*\.+\s*thang|\bngay thang nam\b"
    r"|\bky,? (?:ten|va ghi|ghi ro)\b|\bdong dau\b|\bban giam hieu\b)"
)
# Notes and footnotes under a table (on the cell as written): "Ghi chú: …", "Lưu ý: …",
# "* Cột … ghi …", "(*) …". "Lưu Ý Nhi" is a name: a note's label has its colon.
_NOTE = re.compile(
    r"^(?:(?:ghi chú|chú thích|lưu ý|chú ý|nb)\s*:|ghi chú$|chú thích$|\(?\*+\)?\s*\w)",
    re.IGNORECASE,
)
COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")
# A cell of a technical row (hidden IDs under an export): a number, or a token without spaces
# in ASCII ("HocSinhID", "hs_001", "3f2a9c1e-…").
_TOKEN = re.compile(r"[\x21-\x7e]+")
# A technical token in the name column: digits, an underscore, or words run together
# ("HoTen"); no name is written so.
_TECHNICAL_NAME = re.compile(r".*(?:\d|_|[a-z][A-Z]).*")


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
    # Data only if a data row follows: the hidden rows of technical IDs under an export.
    trailing: bool = False


DATA = RowKind(True)
SKIP = RowKind(False)
END = RowKind(False, ends_table=True)
TRAILING = RowKind(False, trailing=True)


def _cell_at(row: list[object], index: int) -> object:
    return row[index] if 0 <= index < len(row) else ""


def classify(row: list[object], table: Table) -> RowKind:
    """Is this a data row? Blank rows, column numbers, counters, report periods, footers,
    notes, signatures and technical rows are not."""
    fields = table.fields
    code_col = fields["student_code"].index if "student_code" in fields else -1
    name_col = fields["full_name"].index if "full_name" in fields else -1
    # The common case, decided at once: a code and a name with a space ("Lò Văn An").
    name = _cell_at(row, name_col)
    coded = is_filled(_cell_at(row, code_col))
    if coded and isinstance(name, str) and " " in name.strip():
        return DATA
    filled = [(i, v) for i, v in enumerate(row) if is_filled(v)]
    if not filled:
        return SKIP
    texts = [clean(v) for _, v in filled if isinstance(v, str)]
    if "date_of_birth" in fields and _is_person(name, _cell_at(row, fields["date_of_birth"].index)):
        pass  # a name and a date of birth: a student, whatever another cell says
    elif not coded and _ends_table(texts):
        return END
    elif texts and is_label_line(texts[0]):
        return SKIP  # "Nam: 320 | Nữ: 325", "Từ ngày:" | 01/09/2024, "Lớp: 10A2"
    if len(filled) >= 3 and all(
        isinstance(v, (int, float)) or COLUMN_NUMBER.match(str(v).strip()) for _, v in filled
    ):
        return SKIP  # "(1) (2) (3) …" under the header
    key_cols = {
        fields[f].index for f in ("student_code", "full_name", "date_of_birth") if f in fields
    }
    if not any(i in key_cols for i, _ in filled):
        return SKIP  # an ordinal alone, a stray note beside the table
    if _is_technical(name, filled):
        return TRAILING
    return DATA


def is_dated(value: object) -> bool:
    """A cell that may be a date of birth: a date, a number (a year, a serial), or text
    written as a date."""
    if isinstance(value, str):
        text = value.strip()
        return looks_like_date(text) or (len(text) == 4 and text.isdigit())
    return isinstance(value, (date, int, float)) and not isinstance(value, bool)


def _is_person(name: object, born: object) -> bool:
    """A name of words (with a space, letters only) beside a date of birth."""
    if not isinstance(name, str) or " " not in name.strip():
        return False
    return name.replace(" ", "").isalpha() and is_dated(born)


def _ends_table(texts: list[str]) -> bool:
    """A code-less row that ends the table: a footer, a note, a signature. A student row may,
    by bad luck, contain words such as "Tống Công", so only code-less rows are looked at."""
    for text in texts:
        if _NOTE.match(text):
            return True
        folded = fold(text)
        if _FOOTER.match(folded) or _SIGNATURE.search(folded):
            return True
    return False


def _is_technical(name: object, filled: list[tuple[int, object]]) -> bool:
    """A row of IDs: a number or a technical token in the name column, and nothing but numbers
    and ASCII tokens in the row."""
    if isinstance(name, str):
        text = name.strip()
        if not (_TOKEN.fullmatch(text) and _TECHNICAL_NAME.fullmatch(text)):
            return False
    elif not isinstance(name, (int, float)) or isinstance(name, bool):
        return False
    return all(
        isinstance(v, (int, float)) or (isinstance(v, str) and _TOKEN.fullmatch(v.strip()))
        for _, v in filled
    )


def rows_between(rows: Sequence[list[object]], first: int, end: int) -> Iterator[list[object]]:
    """Rows first … end-1 of a sheet, streamed when the sheet is read lazily."""
    if isinstance(rows, SheetRows):
        return rows.between(first, end)
    return islice(rows, first, end)
