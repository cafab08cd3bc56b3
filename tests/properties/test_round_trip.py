"""The round trip: `template` → fill in → `import` → `students --xlsx/--csv` → `import` into a
fresh database gives the same students, results and Youth Union memberships."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from strategies import SLOW_PROPERTY, names

from dangvien_cli.core.grades import SCALE_CODES
from dangvien_cli.core.labels import TERM_LABELS
from dangvien_cli.core.text import collation_key, fold, name_sort_key
from dbcheck import query

SCHOOLS = ["THPT Bình Lư", "THPT Mường Kim", "PT DTNT Tam Đường", "THPT Chuyên Lê Quý Đôn"]
CLASSES = ["10A1", "11A2", "12A1", "12A2", "12A10", "12 Chuyên Toán"]
ETHNICITIES = ["Kinh", "Thái", "Mông", "Dao", "Giáy", "Lự"]
RELIGIONS = [None, "Không", "Phật giáo", "Công giáo"]
# Grades as people type them, per grade code.
SPELLINGS = {
    "gioi": ["Giỏi", "G", "gioi"],
    "kha": ["Khá", "K", "KHA"],
    "tb": ["Trung bình", "TB", "Trung binh"],
    "yeu": ["Yếu", "Y"],
    "kem": ["Kém"],
    "tot": ["Tốt", "T", "tot"],
    "dat": ["Đạt", "Đ", "Dat"],
    "chua_dat": ["Chưa đạt", "CĐ"],
}
YES = ["x", "X", "Có", "1", "ĐV"]
NO = ["", "Không", "0"]


@dataclass(frozen=True)
class Student:
    """One made-up student as typed into the template."""

    code: str | None
    name: str
    born: dt.date | int
    born_as: str  # "text", "date" or "year"
    gender: str
    ethnicity: str
    religion: str | None
    klass: str
    academic: str | None
    conduct: str | None
    youth: str  # as typed in "Đoàn viên"
    joined: dt.date | None


@st.composite
def rosters(draw: st.DrawFn) -> tuple[str, int, str, list[Student]]:
    school = draw(st.sampled_from(SCHOOLS))
    year = draw(st.integers(2019, 2026))
    term = draw(st.sampled_from(list(TERM_LABELS)))
    # One grading scale for the file, as a school fills one template. (With a different scale
    # in each grade column, a class whose grades of one kind are all "Khá" could not tell its
    # scale from the other column's: see the report of the session that wrote this.)
    academic_scale = conduct_scale = draw(st.sampled_from(["tt58", "tt22"]))
    count = draw(st.integers(1, 30))
    codes = draw(
        st.lists(st.integers(10**9, 10**10 - 1), min_size=count, max_size=count, unique=True)
    )
    people = draw(st.lists(names, min_size=count, max_size=count, unique_by=fold))
    students = []
    for code, name in zip(codes, people, strict=True):
        born_as = draw(st.sampled_from(["text", "date", "year"]))
        day = draw(st.dates(dt.date(year - 19, 1, 1), dt.date(year - 14, 12, 31)))
        member = draw(st.booleans())

        def grade(kind: str, scale: str) -> str | None:
            code = draw(st.sampled_from((None, *SCALE_CODES[(scale, kind)])))
            return None if code is None else draw(st.sampled_from(SPELLINGS[code]))

        students.append(
            Student(
                code=draw(st.sampled_from([str(code), f"0{code}", None])),
                name=name,
                born=day.year if born_as == "year" else day,
                born_as=born_as,
                gender=draw(st.sampled_from(["Nam", "Nữ", "nu", "NAM"])),
                ethnicity=draw(st.sampled_from(ETHNICITIES)),
                religion=draw(st.sampled_from(RELIGIONS)),
                klass=draw(st.sampled_from(CLASSES)),
                academic=grade("academic", academic_scale),
                conduct=grade("conduct", conduct_scale),
                youth=draw(st.sampled_from(YES if member else NO)),
                joined=draw(st.none() | st.dates(dt.date(year - 4, 1, 1), dt.date(year, 8, 31)))
                if member
                else None,
            )
        )
    return school, year, term, students


# Made once per test session: the templates asked for, and an empty database with the schema
# (a copy of it is a fresh database, without paying for the migrations each time).
_MADE = Path(tempfile.mkdtemp(prefix="dangvien-round-trip-"))


def template(run: Any, school: str, year: int, term: str) -> Path:
    """`dangvien template` with the title rows filled in."""
    path = _MADE / f"{fold(school)}-{year}-{term}.xlsx"
    if not path.exists():
        years = f"{year}-{year + 1}"
        run.ok("template", path, "--school", school, "--school-year", years, "--term", term)
    return path


def fresh_database(run: Any, path: Path) -> Path:
    empty = _MADE / "empty.db"
    if not empty.exists():
        run.ok("--db", empty, "schools")
    shutil.copy(empty, path)
    return path


def fill_template(
    run: Any, path: Path, school: str, year: int, term: str, kids: list[Student]
) -> None:
    """A blank template, then the students typed under its header row."""
    wb = load_workbook(template(run, school, year, term))
    ws = wb.worksheets[0]
    header_row = next(r for r in range(1, 10) if ws.cell(row=r, column=3).value == "Họ và tên")
    columns = {ws.cell(row=header_row, column=c).value: c for c in range(1, ws.max_column + 1)}
    for i, kid in enumerate(kids, start=1):
        born: object = {
            "text": kid.born.strftime("%d/%m/%Y") if isinstance(kid.born, dt.date) else None,
            "date": kid.born,
            "year": kid.born,
        }[kid.born_as]
        values = {
            "STT": i,
            "Mã học sinh": kid.code,
            "Họ và tên": kid.name,
            "Ngày sinh": born,
            "Giới tính": kid.gender,
            "Dân tộc": kid.ethnicity,
            "Tôn giáo": kid.religion,
            "Lớp": kid.klass,
            "Học lực": kid.academic,
            "Hạnh kiểm": kid.conduct,
            "Đoàn viên": kid.youth or None,
            "Ngày vào Đoàn": kid.joined.strftime("%d/%m/%Y") if kid.joined else None,
        }
        for header, value in values.items():
            ws.cell(row=header_row + i, column=columns[header], value=value)
    wb.save(path)


def csv_saved_as_xlsx(source: Path, target: Path) -> Path:
    """What Excel does to the CSV when the user saves it as .xlsx: every cell as its text."""
    with source.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    wb = Workbook()
    for row in rows:
        wb.active.append([v or None for v in row])
    wb.save(target)
    return target


STUDENTS_SQL = """
SELECT sc.name, s.student_code, p.full_name, p.name_key, p.date_of_birth, p.birth_year,
       p.gender, p.ethnicity, p.religion, y.label, e.class_name, e.grade
FROM student s
JOIN person p ON p.id = s.person_id
JOIN school sc ON sc.id = s.school_id
LEFT JOIN enrollment e ON e.student_id = s.id
LEFT JOIN school_year y ON y.id = e.school_year_id
"""
RESULTS_SQL = """
SELECT p.name_key, p.date_of_birth, p.birth_year, y.label, r.term,
       r.academic, r.academic_scale, r.academic_rank, r.conduct, r.conduct_scale, r.conduct_rank
FROM term_result r
JOIN student s ON s.id = r.student_id
JOIN person p ON p.id = s.person_id
JOIN school_year y ON y.id = r.school_year_id
WHERE r.academic IS NOT NULL OR r.conduct IS NOT NULL
"""
YOUTH_SQL = """
SELECT p.name_key, p.date_of_birth, p.birth_year, u.is_member, u.joined_on
FROM youth_union u JOIN person p ON p.id = u.person_id
"""


def held(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """What the database holds about its students, independent of row ids."""
    return {
        name: sorted(query(db, sql), key=repr)
        for name, sql in (
            ("students", STUDENTS_SQL),
            ("results", RESULTS_SQL),
            ("youth", YOUTH_SQL),
        )
    }


def differences(a: list[tuple[Any, ...]], b: list[tuple[Any, ...]]) -> tuple[object, object]:
    """What only a has and what only b has, counting repeats."""
    ca, cb = Counter(a), Counter(b)
    return sorted((ca - cb).elements(), key=repr), sorted((cb - ca).elements(), key=repr)


# Each example runs three imports and an export (one to two seconds): 20 examples of up to 30
# students. The runner holds no state between examples; every database is its own file.
@settings(
    SLOW_PROPERTY, max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rosters())
def test_template_fill_import_export_import_keeps_everything(
    run: Any, roster: tuple[str, int, str, list[Student]]
) -> None:
    school, year, term, kids = roster
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        first, again, from_csv = (fresh_database(run, d / n) for n in ("1.db", "2.db", "3.db"))
        fill_template(run, d / "filled.xlsx", school, year, term, kids)
        report = run.json("--db", first, "import", d / "filled.xlsx")
        assert report["totals"]["rejected"] == 0, report["files"][0]["errors"]
        assert report["totals"]["created"] == len(kids)

        run.ok("--db", first, "students", "--xlsx", d / "out.xlsx", "--csv", d / "out.csv")
        run.json("--db", again, "import", d / "out.xlsx")
        # The CSV as Excel opens it and saves it as .xlsx: every cell text, dates as written.
        run.json("--db", from_csv, "import", csv_saved_as_xlsx(d / "out.csv", d / "csv.xlsx"))

        original = held(first)
        assert len(original["students"]) == len(kids)
        for copy in (again, from_csv):
            for name, rows in held(copy).items():
                assert rows == original[name], (copy.name, name, differences(original[name], rows))
        # Listed as the `students` command promises: by grade and class (numbers by value,
        # 12A2 before 12A10), then by given name, middle name, family name.
        listed = run.json("--db", again, "students")
        order = [
            (
                int(s["class_name"][:2]),
                collation_key(s["class_name"]),
                name_sort_key(s["full_name"]),
            )
            for s in listed
        ]
        assert order == sorted(order)
        assert len(listed) == len(kids)
