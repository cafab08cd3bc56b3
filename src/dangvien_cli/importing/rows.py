"""Turning the data rows of a roster table into checked records, or row errors that say why not."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import partial

from dangvien_cli.importing.layout import GRADED_FIELDS, Column, Table
from dangvien_cli.importing.values import (
    BirthDate,
    Grade,
    ValueProblem,
    default_scale,
    grade_of_class,
    is_ambiguous,
    parse_class_name,
    parse_code,
    parse_date,
    parse_gender,
    parse_grade,
    parse_text,
    parse_yes_no,
)
from dangvien_cli.text import clean, fold, name_key

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
_COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")
_DIGIT = re.compile(r"\d")


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


@dataclass
class RosterRecord:
    """One student as a roster row gives them. Fields whose column is absent stay unset."""

    row: int
    code: str | None
    full_name: str
    name_key: str
    birth: BirthDate | None
    values: dict[str, object]  # person/enrollment fields present in the table → parsed value
    results: dict[str, dict[str, Grade | None]]  # term → {"academic"|"conduct": grade}
    youth_union: bool | None  # None: no such column
    youth_union_joined: date | None
    extra: dict[str, str]
    cells: list[object]


def display_value(value: object) -> str:
    """A cell as the sheet shows it: dates dd/mm/yyyy, whole numbers without .0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return clean(str(value))[:200]


def _filled(value: object) -> bool:
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
        and not _COLUMN_NUMBER.match(name.strip())
        and _filled(_cell_at(row, code_col))
    ):
        return DATA
    filled = [(i, v) for i, v in enumerate(row) if _filled(v)]
    if not filled:
        return SKIP
    if not _filled(_cell_at(row, code_col)):
        # Footers and signature blocks carry no student code; a student row may, by bad luck,
        # contain words such as "Tống Công", so only code-less rows are looked at.
        for _, value in filled:
            if isinstance(value, str):
                text = fold(value)
                if _FOOTER.match(text) or _SIGNATURE.search(text):
                    return END
    if len(filled) >= 3 and all(
        isinstance(v, (int, float)) or _COLUMN_NUMBER.match(str(v).strip()) for _, v in filled
    ):
        return SKIP  # "(1) (2) (3) …" under the header
    key_cols = {
        fields[f].index for f in ("student_code", "full_name", "date_of_birth") if f in fields
    }
    if not any(i in key_cols for i, _ in filled):
        return SKIP  # an ordinal alone, a stray note beside the table
    return DATA


class TableParser:
    """Parses the data rows of one roster table, with the scale of each grade column decided."""

    def __init__(
        self,
        table: Table,
        rows: list[list[object]],
        *,
        school_year: int | None,
        term: str | None,
        class_name: str | None,
    ) -> None:
        self.table = table
        self.rows = rows
        self.school_year = school_year
        self.term = term
        self.class_name = class_name
        self.fields = table.fields
        self.graded = [c for c in table.columns if c.field in GRADED_FIELDS]
        self.scales = self._decide_scales()
        # Decided once for the table, used on every row: (column, kind, term, scale).
        distinct_terms = len({c.term for c in self.graded})
        self.grade_plan = [
            (
                col,
                "academic" if col.field == "academic" else "conduct",
                self.term_of(col, distinct_terms),
                self.scales[col.index],
            )
            for col in self.graded
        ]
        self.unknown = list(table.unknown_columns)
        self.width = max((c.index for c in table.columns), default=-1) + 1
        self.headers = [c.header for c in table.columns]

    def _fail(
        self,
        errors: list[RowError],
        r: int,
        row: list[object],
        col: Column | None,
        value: object,
        reason: str,
    ) -> None:
        errors.append(
            RowError(
                sheet=self.table.sheet,
                row=r + 1,
                column=col.header if col else "",
                column_letter=column_letter(col.index) if col else "",
                value=display_value(value),
                reason=reason,
                cells=row,
                headers=self.headers,
            )
        )

    def data_rows(self) -> Iterator[tuple[int, list[object]]]:
        for r in range(self.table.first_row, self.table.end_row):
            row = self.rows[r]
            kind = classify(row, self.table)
            if kind.ends_table:
                return
            if kind.data:
                yield r, row

    def term_of(self, column: Column, distinct_terms: int) -> str | None:
        if distinct_terms > 1:
            return column.term  # columns for several terms: each keeps its own
        return self.term or column.term or self.table.context.term

    def _decide_scales(self) -> dict[int, str]:
        """A grade column's scale: its own unambiguous values decide; else the other grade
        column of the same term, if its values decided; else its header wording; else the
        scale the school year and grade imply."""
        grade = None
        klass = self.class_name or self.table.context.class_name
        if klass:
            grade = grade_of_class(klass)
        decided: dict[int, str] = {}
        for col in self.graded:
            kind = "academic" if col.field == "academic" else "conduct"
            votes: Counter[str] = Counter()
            for r in range(self.table.first_row, min(self.table.end_row, len(self.rows))):
                row = self.rows[r]
                value = row[col.index] if col.index < len(row) else ""
                if not _filled(value) or is_ambiguous(value, kind):
                    continue
                try:
                    parsed = parse_grade(value, kind=kind, scale=None)
                except ValueProblem:
                    continue
                if parsed is not None:
                    votes[parsed.scale] += 1
                    if votes.total() >= 500:  # enough to know; a long table need not be read twice
                        break
            if votes:
                decided[col.index] = votes.most_common(1)[0][0]
        scales = dict(decided)
        for col in self.graded:
            if col.index in scales:
                continue
            sibling = next(
                (
                    decided[c.index]
                    for c in self.graded
                    if c.index in decided and c.field != col.field and c.term == col.term
                ),
                None,
            )
            if sibling is not None:
                scales[col.index] = sibling
            elif col.scale_hint:
                scales[col.index] = col.scale_hint
            elif self.school_year is not None:
                scales[col.index] = default_scale(self.school_year, grade)
            else:
                scales[col.index] = "tt58"
        return scales

    def parse(self, r: int, row: list[object]) -> RosterRecord | list[RowError]:
        errors: list[RowError] = []
        if len(row) < self.width:  # short rows (calamine trims trailing blanks) read as blank
            row = [*row, *([""] * (self.width - len(row)))]
        fail = partial(self._fail, errors, r, row)

        f = self.fields
        code = None
        if "student_code" in f:
            raw = row[f["student_code"].index]
            try:
                code = parse_code(raw)
            except ValueProblem as exc:
                fail(f["student_code"], raw, exc.reason)
        full_name = ""
        if "full_name" in f:
            raw = row[f["full_name"].index]
            full_name = parse_text(raw) or ""
            if not full_name:
                fail(f["full_name"], raw, "Thiếu họ và tên học sinh.")
            elif _DIGIT.search(full_name) or len(full_name) > 100:
                fail(
                    f["full_name"], raw, "Họ và tên có chữ số hoặc quá dài: hãy kiểm tra lại ô này."
                )
        elif code is None:
            fail(None, "", "Dòng không có mã học sinh và họ tên.")
        values: dict[str, object] = {}
        birth: BirthDate | None = None
        if "date_of_birth" in f:
            raw = row[f["date_of_birth"].index]
            try:
                birth = parse_date(raw)
            except ValueProblem as exc:
                fail(f["date_of_birth"], raw, exc.reason)
        for name, parser in (("gender", parse_gender), ("ethnicity", parse_text)):
            if name in f:
                raw = row[f[name].index]
                try:
                    values[name] = parser(raw)
                except ValueProblem as exc:
                    fail(f[name], raw, exc.reason)
        if "female" in f and "gender" not in f:
            raw = row[f["female"].index]
            try:
                values["gender"] = "Nữ" if parse_yes_no(raw) else "Nam"
            except ValueProblem as exc:
                fail(f["female"], raw, exc.reason)
        for name in ("religion", "national_id"):
            if name in f:
                raw = row[f[name].index]
                if name == "national_id":
                    try:
                        values[name] = parse_code(raw)
                    except ValueProblem as exc:
                        fail(f[name], raw, exc.reason)
                else:
                    values[name] = parse_text(raw)
        klass = self.class_name
        if klass is None and "class_name" in f:
            raw = row[f["class_name"].index]
            try:
                klass = parse_class_name(raw)
            except ValueProblem as exc:
                fail(f["class_name"], raw, exc.reason)
        if klass is None:
            klass = self.table.context.class_name
        values["class_name"] = klass
        youth: bool | None = None
        if "youth_union" in f:
            raw = row[f["youth_union"].index]
            try:
                youth = bool(parse_yes_no(raw))
            except ValueProblem as exc:
                fail(f["youth_union"], raw, exc.reason)
        joined: date | None = None
        if "youth_union_joined" in f:
            raw = row[f["youth_union_joined"].index]
            try:
                parsed = parse_date(raw)
                if parsed is not None and parsed.date is None:
                    raise ValueProblem(
                        f"“{display_value(raw)}” chỉ có năm; ngày vào Đoàn cần đủ ngày/tháng/năm."
                    )
                joined = parsed.date if parsed else None
            except ValueProblem as exc:
                fail(f["youth_union_joined"], raw, exc.reason)
            if joined is not None and youth is None:
                youth = True  # a join date says as much as a tick
            if joined is not None and youth is False and "youth_union" in f:
                youth = True
        results: dict[str, dict[str, Grade | None]] = {}
        for col, kind, term, scale in self.grade_plan:
            if term is None:
                continue  # the caller has refused a table whose grades have no term
            raw = row[col.index]
            try:
                grade = parse_grade(raw, kind=kind, scale=scale)
            except ValueProblem as exc:
                fail(col, raw, exc.reason)
                continue
            results.setdefault(term, {})[kind] = grade
        extra = {
            c.header: display_value(row[c.index])
            for c in self.unknown
            if c.index < len(row) and _filled(row[c.index])
        }
        if errors:
            return errors
        return RosterRecord(
            row=r + 1,
            code=code,
            full_name=full_name,
            name_key=name_key(full_name) if full_name else "",
            birth=birth,
            values=values,
            results=results,
            youth_union=youth,
            youth_union_joined=joined,
            extra=extra,
            cells=row,  # the sheet's own list: rows are never changed once read
        )
