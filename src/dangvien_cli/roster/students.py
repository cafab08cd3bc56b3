"""Students: listing them with their most recent class, filtered the way users ask."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from dangvien_cli.core.calendar import TERM_RANK
from dangvien_cli.core.grades import ACADEMIC, CONDUCT, TT22, Grade
from dangvien_cli.core.labels import TERM_LABELS
from dangvien_cli.core.text import (
    CollationKey,
    collation_key,
    fold,
    name_sort_key,
    strip_leading_truong,
)
from dangvien_cli.db.models import (
    enrollment_t,
    person_t,
    result_t,
    school_t,
    student_t,
    year_t,
    youth_t,
)


def given_name_of(full_name: str) -> str:
    """The given name of a name written whole: its last word ("Nguyễn Thị Lan" → "Lan")."""
    words = full_name.split()
    return words[-1] if words else ""


def birth_iso(date_of_birth: date | None, birth_year: int | None) -> str | None:
    """ISO date, or the 4-digit year when only the year is known (as `students --json`)."""
    if date_of_birth is not None:
        return date_of_birth.isoformat()
    return None if birth_year is None else f"{birth_year:04d}"


def birth_display(date_of_birth: date | None, birth_year: int | None) -> str:
    if date_of_birth is not None:
        return date_of_birth.strftime("%d/%m/%Y")
    return "" if birth_year is None else str(birth_year)


def class_sort_key(name: str | None) -> tuple[int, CollationKey]:
    """Classes by grade, then name with numbers by value (12A2 before 12A10); students without
    a class last."""
    if not name:
        return (99, collation_key(""))
    digits = "".join(ch for ch in name[:2] if ch.isdigit())
    return (int(digits) if digits else 98, collation_key(name))


def listing_order(school: str, class_name: str | None, full_name: str) -> tuple[Any, ...]:
    """How students are listed: by school, class, then name the Vietnamese way."""
    return (fold(school), class_sort_key(class_name), name_sort_key(full_name))


@dataclass(frozen=True)
class StudentRow:
    student_id: int
    student_code: str | None
    full_name: str
    school: str
    class_name: str | None
    grade: int | None
    school_year: str | None
    date_of_birth: date | None
    birth_year: int | None
    gender: str | None
    ethnicity: str | None
    religion: str | None
    youth_union_member: bool | None
    youth_union_joined: date | None = None
    birth_name: str | None = None
    stored_given_name: str | None = None

    @property
    def given_name(self) -> str:
        """The given name: as a roster gave it in parts ("Tên"), else the full name's last word."""
        return self.stored_given_name or given_name_of(self.full_name)

    @property
    def birth(self) -> str | None:
        return birth_iso(self.date_of_birth, self.birth_year)

    @property
    def birth_display(self) -> str:
        return birth_display(self.date_of_birth, self.birth_year)

    def as_json(self) -> dict[str, Any]:
        return {
            "student_code": self.student_code,
            "full_name": self.full_name,
            "school": self.school,
            "class_name": self.class_name,
            "grade": self.grade,
            "school_year": self.school_year,
            "date_of_birth": self.birth,
            "gender": self.gender,
            "ethnicity": self.ethnicity,
            "religion": self.religion,
            "youth_union_member": self.youth_union_member,
            "birth_name": self.birth_name,
            "given_name": self.given_name,
        }


def list_students(
    session: Session,
    *,
    school_id: int | None = None,
    class_name: str | None = None,
    search: str | None = None,
    school_year: int | None = None,
) -> list[StudentRow]:
    """Each student once, with the class of their most recent school year (or of `school_year`,
    which then keeps only that year's rosters), sorted by school, class and Vietnamese name."""
    st, p, sc, e, y, yu = (
        student_t.c,
        person_t.c,
        school_t.c,
        enrollment_t.c,
        year_t.c,
        youth_t.c,
    )
    latest = (
        select(e.student_id.label("student_id"), func.max(y.start_year).label("start_year"))
        .join(year_t, y.id == e.school_year_id)
        .group_by(e.student_id)
    )
    if school_year is not None:
        latest = latest.where(y.start_year == school_year)
    latest_sq = latest.subquery()
    stmt = (
        select(
            st.id,
            st.student_code,
            p.full_name,
            sc.name,
            e.class_name,
            e.grade,
            y.label,
            p.date_of_birth,
            p.birth_year,
            p.gender,
            p.ethnicity,
            p.religion,
            yu.is_member,
            yu.joined_on,
            p.birth_name,
            p.given_name,
        )
        .join(person_t, p.id == st.person_id)
        .join(school_t, sc.id == st.school_id)
        .outerjoin(latest_sq, latest_sq.c.student_id == st.id)
        .outerjoin(year_t, y.start_year == latest_sq.c.start_year)
        .outerjoin(enrollment_t, and_(e.student_id == st.id, e.school_year_id == y.id))
        .outerjoin(youth_t, yu.person_id == p.id)
    )
    if school_year is not None:
        stmt = stmt.where(latest_sq.c.start_year.is_not(None))
    if school_id is not None:
        stmt = stmt.where(st.school_id == school_id)
    if class_name is not None:
        stmt = stmt.where(func.upper(e.class_name) == class_name.upper())
    rows = [StudentRow(*tuple(r)) for r in session.execute(stmt)]
    if search:
        needle = fold(search)
        rows = [
            r
            for r in rows
            if needle in fold(r.full_name) or (r.student_code and needle in r.student_code.lower())
        ]
    rows.sort(key=lambda r: listing_order(r.school, r.class_name, r.full_name))
    return rows


# --------------------------------------------------------------------------------------------
# Export in the layout of the import template
# --------------------------------------------------------------------------------------------

_CHUNK = 5000  # ids per query: under every database's limit on bound parameters


@dataclass(frozen=True)
class RosterLine:
    """One student as a roster row: the listing's row and the latest result of its school year."""

    student: StudentRow
    academic: Grade | None = None
    conduct: Grade | None = None


@dataclass
class RosterBlock:
    """Students listed under one set of title rows: one school, school year, class and term.

    `youth` says whether the block has the Đoàn viên columns (its students' membership is
    known), `graded` whether it has the grade columns (its term is known). Every result of one
    kind in a block is on one scale (`scales`), so `import` gives each grade back its scale.
    """

    school: str
    school_year: str | None
    class_name: str | None
    term: str | None
    youth: bool
    lines: list[RosterLine] = field(default_factory=list)
    scales: dict[str, str] = field(default_factory=dict)  # "academic"/"conduct" → tt58/tt22

    @property
    def graded(self) -> bool:
        return self.term is not None

    def takes(self, line: RosterLine) -> bool:
        """Whether the line's grades are on the block's scales (a missing grade fits any)."""
        for kind, grade in ((ACADEMIC, line.academic), (CONDUCT, line.conduct)):
            if grade is not None and self.scales.get(kind, grade.scale) != grade.scale:
                return False
        return True

    def add(self, line: RosterLine) -> None:
        self.lines.append(line)
        for kind, grade in ((ACADEMIC, line.academic), (CONDUCT, line.conduct)):
            if grade is not None:
                self.scales.setdefault(kind, grade.scale)


def latest_results(
    session: Session, rows: list[StudentRow]
) -> dict[int, tuple[str, Grade | None, Grade | None]]:
    """student id → (term, academic, conduct): the latest term of the listed school year that
    has a result."""
    ids = [r.student_id for r in rows if r.school_year is not None]
    year_of = {r.student_id: r.school_year for r in rows}
    r, y = result_t.c, year_t.c
    found: dict[int, tuple[str, Grade | None, Grade | None]] = {}
    for start in range(0, len(ids), _CHUNK):
        stmt = (
            select(
                r.student_id,
                y.label,
                r.term,
                r.academic,
                r.academic_scale,
                r.academic_rank,
                r.conduct,
                r.conduct_scale,
                r.conduct_rank,
            )
            .join(year_t, y.id == r.school_year_id)
            .where(r.student_id.in_(ids[start : start + _CHUNK]))
        )
        for sid, label, term, a, a_scale, a_rank, c, c_scale, c_rank in session.execute(stmt):
            if label != year_of[sid] or (a is None and c is None):
                continue
            held = found.get(sid)
            # Later terms win: the result of the whole year, then term II, then term I.
            if held is not None and TERM_RANK.get(held[0], 0) >= TERM_RANK.get(term, 0):
                continue
            academic = Grade(a, a_scale, a_rank) if a is not None else None
            conduct = Grade(c, c_scale, c_rank) if c is not None else None
            found[sid] = (term, academic, conduct)
    return found


def roster_blocks(session: Session, rows: list[StudentRow]) -> list[RosterBlock]:
    """The listed students grouped as `import` reads them back, in the order of the listing: a
    block per school, school year, class and term of the latest result, as school systems send
    class rosters. A block is split further where `import` could not tell the students apart
    otherwise: results on the other grading scale, and Youth Union membership unknown (such
    students get a block without the Đoàn viên columns, so that a re-import does not turn
    "unknown" into "not a member")."""
    results = latest_results(session, rows)
    terms: dict[tuple[str, str | None, str | None], Counter[str]] = {}
    for row in rows:
        held = results.get(row.student_id)
        if held is not None:
            key = (row.school, row.school_year, row.class_name)
            terms.setdefault(key, Counter())[held[0]] += 1
    groups: dict[tuple[str, str | None, str | None, str | None, bool], list[RosterBlock]] = {}
    order: list[RosterBlock] = []
    for row in rows:
        held = results.get(row.student_id)
        if held is not None:
            term: str | None = held[0]
            line = RosterLine(row, held[1], held[2])
        else:
            # No result this year: with the rest of the class, grade cells left blank.
            usual = terms.get((row.school, row.school_year, row.class_name))
            term = usual.most_common(1)[0][0] if usual else None
            line = RosterLine(row)
        youth = row.youth_union_member is not None
        key5 = (row.school, row.school_year, row.class_name, term, youth)
        candidates = groups.setdefault(key5, [])
        block = next((b for b in candidates if b.takes(line)), None)
        if block is None:
            block = RosterBlock(row.school, row.school_year, row.class_name, term, youth)
            candidates.append(block)
            order.append(block)
        block.add(line)
    return order


# The columns of `dangvien template` that an export fills, in its order. "Số định danh cá nhân"
# (the citizen ID) is left out: an export is shared, and `import` keeps a stored value when its
# column is absent.
ROSTER_COLUMNS = (
    "STT",
    "Mã học sinh",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Dân tộc",
    "Tôn giáo",
    "Lớp",
    "Học lực",
    "Hạnh kiểm",
    "Đoàn viên",
    "Ngày vào Đoàn",
)
_GRADE_COLUMNS = frozenset({"Học lực", "Hạnh kiểm"})
_YOUTH_COLUMNS = frozenset({"Đoàn viên", "Ngày vào Đoàn"})
# The header `import` reads as Thông tư 22 wording, for a block whose results are on that scale.
_TT22_HEADERS = {"Học lực": "Kết quả học tập", "Hạnh kiểm": "Kết quả rèn luyện"}
_CLASS_CODE = re.compile(r"\d{1,2}[A-Z0-9]{1,6}")


def block_titles(block: RosterBlock) -> list[str]:
    """The title rows `import` takes the school, class, school year and term from."""
    titles = [f"TRƯỜNG {strip_leading_truong(block.school)}"]
    klass = block.class_name
    # Only a plain class code goes into the title: `import` reads the class from it.
    titles.append(
        f"DANH SÁCH HỌC SINH LỚP {klass}"
        if klass and _CLASS_CODE.fullmatch(klass)
        else "DANH SÁCH HỌC SINH"
    )
    if block.school_year:
        titles.append(f"NĂM HỌC {block.school_year}")
    if block.term:
        titles.append(TERM_LABELS[block.term].upper())
    return titles


def block_columns(block: RosterBlock) -> list[str]:
    """The columns of a block: the grade columns only with a term, Đoàn viên only when known."""
    columns = [
        c
        for c in ROSTER_COLUMNS
        if (block.graded or c not in _GRADE_COLUMNS) and (block.youth or c not in _YOUTH_COLUMNS)
    ]
    if block.graded:
        scales = {"Học lực": block.scales.get(ACADEMIC), "Hạnh kiểm": block.scales.get(CONDUCT)}
        columns = [_TT22_HEADERS[c] if scales.get(c) == TT22 else c for c in columns]
    return columns


def line_values(number: int, line: RosterLine, columns: list[str]) -> list[object]:
    """A student's cells under `columns`: dates as dates, a bare year of birth as a number."""
    s = line.student
    birth: date | int | None = s.date_of_birth if s.date_of_birth is not None else s.birth_year
    values: dict[str, object] = {
        "STT": number,
        "Mã học sinh": s.student_code,
        "Họ và tên": s.full_name,
        "Ngày sinh": birth,
        "Giới tính": s.gender,
        "Dân tộc": s.ethnicity,
        "Tôn giáo": s.religion,
        "Lớp": s.class_name,
        "Học lực": line.academic.label if line.academic else None,
        "Kết quả học tập": line.academic.label if line.academic else None,
        "Hạnh kiểm": line.conduct.label if line.conduct else None,
        "Kết quả rèn luyện": line.conduct.label if line.conduct else None,
        "Đoàn viên": "x" if s.youth_union_member else None,
        "Ngày vào Đoàn": s.youth_union_joined,
    }
    return [values[c] for c in columns]


def roster_rows(blocks: list[RosterBlock]) -> list[tuple[str, list[object]]]:
    """The whole sheet, row by row, as (kind, cells): kind is "title", "blank", "header" or
    "data". Blocks follow each other down one sheet, as `import` reads class blocks."""
    out: list[tuple[str, list[object]]] = []
    for n, block in enumerate(blocks):
        if n:
            out.append(("blank", []))
        out += [("title", [t]) for t in block_titles(block)]
        out.append(("blank", []))
        columns = block_columns(block)
        out.append(("header", list(columns)))
        out += [
            ("data", line_values(i, line, columns)) for i, line in enumerate(block.lines, start=1)
        ]
    return out


def write_roster_xlsx(path: Path, blocks: list[RosterBlock]) -> None:
    """The export as .xlsx: text stays text (a name starting with "=" is not a formula), dates
    are dates, codes are text cells; written whole or not at all. Written row by row
    (openpyxl's write-only mode): a province's students fit in little memory."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from dangvien_cli.core.exporting import safe_cells, save_workbook
    from dangvien_cli.roster.template import COLUMNS

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách")
    widths = {c.header: c.width for c in COLUMNS}
    widths.update({"Kết quả học tập": 11, "Kết quả rèn luyện": 11})
    for index, header in enumerate(ROSTER_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = widths.get(header, 12)
    if len(blocks) == 1:  # the header row stays in view
        ws.freeze_panes = f"A{len(block_titles(blocks[0])) + 3}"
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
    code_column = -1
    for kind, values in roster_rows(blocks):
        cells = safe_cells(ws, values)
        if kind in ("title", "header"):
            for cell in cells:
                cell.font = bold
        if kind == "header":
            code_column = values.index("Mã học sinh")
            for cell in cells:
                cell.fill = fill
                cell.alignment = centred
        elif kind == "data":
            for index, cell in enumerate(cells):
                if isinstance(cell.value, date):
                    cell.number_format = "dd/mm/yyyy"
                elif index == code_column:
                    cell.number_format = "@"
        ws.append(cells)
    save_workbook(wb, path)


def write_roster_csv(path: Path, blocks: list[RosterBlock]) -> None:
    """The export as CSV (UTF-8 with BOM, comma-separated; see exporting.write_csv), with the
    same title rows, header and one row per student as the .xlsx."""
    from dangvien_cli.core.exporting import write_csv

    write_csv(path, (cells for _, cells in roster_rows(blocks)))
