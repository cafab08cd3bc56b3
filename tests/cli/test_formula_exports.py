"""Exports cannot carry formulas a user did not write (issue 6, "Personal data").

Text that begins with = + - @, a tab or a carriage return is what a spreadsheet takes for a
formula ("CSV injection"). Each such prefix goes into students' names and the other free-text
fields that reach a file (class, ethnicity, religion, school, unit, the cells of a rejected
row), then through every export: `eligible --xlsx`, `report --xlsx` and its HTML page with
`--with-names`, `import --errors`, `students --xlsx` and `students --csv`. Each .xlsx is opened
with openpyxl: the cell is a string (data type "s"), never a formula ("f"), and holds the text
as it was typed. Names and values are made up.
"""

from __future__ import annotations

import csv
import datetime as dt
import sqlite3
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from builders import Kid, plain_roster

D = dt.date
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# One payload per prefix that survives into the database. Tabs and carriage returns do not:
# `import` turns every kind of whitespace into a space and trims it (they are tried on the
# writers themselves, in test_exporting.py). No digits: a name with digits is refused.
NAME_EQ = '=HYPERLINK("http://vi.invalid";"Bấm vào đây")'
NAME_PLUS = "+Lò Thị Dế"
NAME_MINUS = "-Sùng A Pó"
NAME_AT = "@Cầm Thị Ly"
NAME_SCRIPT = '<script>alert("Hà Văn Chư")</script>'
CLASS = '=HYPERLINK("http://lop.invalid")'
ETHNICITY = "+Thái"
RELIGION = "-Không"
SCHOOL = "@THPT Bình Lư"
UNIT = "=Đảng ủy xã Bình Lư"
TODAY = "15/04/2025"


def kid(code: str, name: str, **kw: Any) -> Kid:
    values: dict[str, Any] = {
        "born": D(2007, 1, 15),
        "gender": "Nữ",
        "ethnicity": "Kinh",
        "klass": "12A1",
        "youth": True,
        "academic": "Khá",
        "conduct": "Tốt",
    }
    values.update(kw)
    return Kid(code, name, **values)


# "-Sùng A Pó" imports as it is (a hyphen may be part of a name). `import` refuses the other
# symbols in a name, so those students are imported with plain names, then given the payload
# names the way a database made before names were checked, or merged from one, holds them.
KIDS = [
    kid("1600000001", "Lò Thị Dế"),
    kid("1600000002", NAME_MINUS, ethnicity=ETHNICITY),
    kid("1600000003", "Cầm Thị Ly", religion=RELIGION),
    kid("1600000004", "Hà Văn Chư", klass=CLASS),
    kid("1600000005", "Giàng Thị Mai"),
]
PAYLOAD_NAMES = {
    "1600000001": NAME_EQ,
    "1600000003": NAME_PLUS,
    "1600000004": NAME_AT,
    "1600000005": NAME_SCRIPT,
}
NAMES = [NAME_EQ, NAME_PLUS, NAME_MINUS, NAME_AT, NAME_SCRIPT]
HEADER = ["STT", "Mã học sinh", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Tôn giáo",
          "Lớp", "Học lực", "Hạnh kiểm", "Đoàn viên"]  # fmt: skip


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DANGVIEN_TODAY", TODAY)


def typed_as_text(path: Path) -> Path:
    """A roster whose "=…" cells were typed as text ('=…), as a person does, not formulas."""
    wb = load_workbook(path)
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    wb.save(path)
    return path


@pytest.fixture
def imported(run: Any, tmp_path: Path) -> None:
    """The students imported under the school and unit, each counted in the report (they
    attended the awareness class in the report's school year)."""
    titles = ("DANH SÁCH HỌC SINH - HỌC KỲ I - NĂM HỌC 2024-2025",)
    roster = plain_roster(tmp_path / "ds.xlsx", KIDS, titles=titles, header=HEADER)
    run.json("import", typed_as_text(roster.path), "--school", SCHOOL)
    run.ok("unit", "add", UNIT, "--kind", "xa")
    run.ok("school", "move", SCHOOL, "--unit", UNIT, "--on", "01/09/2024")
    for k in KIDS:
        run.ok("record", k.code, "lop-boi-duong", "--date", "20/07/2024")


@pytest.fixture
def loaded(imported: None, db_path: Path) -> None:
    """And the payload names, as an older database holds them."""
    with sqlite3.connect(db_path) as con:
        for code, name in PAYLOAD_NAMES.items():
            con.execute(
                "UPDATE person SET full_name = ? WHERE id = "
                "(SELECT person_id FROM student WHERE student_code = ?)",
                (name, code),
            )


def cells(path: Path) -> list[Any]:
    """Every filled cell of every sheet, as openpyxl reads the file back."""
    wb = load_workbook(path)
    return [c for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]


def assert_no_formula(path: Path, *texts: str) -> None:
    """No cell is a formula; each text is a whole cell (or part of a title), kept as text."""
    found = cells(path)
    for c in found:
        assert c.data_type != "f", (c.coordinate, c.value)
        if isinstance(c.value, str) and c.value.startswith(FORMULA_START):
            assert c.data_type == "s", (c.coordinate, c.value)
    for text in texts:
        whole = [c for c in found if c.value == text]
        assert whole or any(isinstance(c.value, str) and text in c.value for c in found), text
        assert all(c.data_type == "s" for c in whole), text


def test_students_xlsx_keeps_every_prefix_as_text(run: Any, tmp_path: Path, loaded: None) -> None:
    run.ok("students", "--xlsx", tmp_path / "hs.xlsx")

    assert_no_formula(tmp_path / "hs.xlsx", *NAMES, CLASS, ETHNICITY, RELIGION, SCHOOL)


def test_students_csv_escapes_every_prefix(run: Any, tmp_path: Path, loaded: None) -> None:
    run.ok("students", "--csv", tmp_path / "hs.csv")

    values = [v for row in csv_rows(tmp_path / "hs.csv") for v in row]
    for text in (*NAMES[:4], CLASS, ETHNICITY, RELIGION):
        assert "'" + text in values, text
        assert text not in values, text
    assert f"TRƯỜNG {SCHOOL}" in values  # the school is inside the title: nothing to escape
    assert NAME_SCRIPT in values  # "<" starts no formula
    assert not [v for v in values if v.startswith(FORMULA_START)]
    # Dates stay dates and codes stay codes: nothing there is touched.
    assert "2007-01-15" in values and "1600000001" in values


def csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_an_escaped_csv_saved_by_excel_imports_as_it_was(
    run: Any, tmp_path: Path, imported: None
) -> None:
    run.ok("students", "--csv", tmp_path / "hs.csv")
    # Excel shows the apostrophes, and keeps them when the file is saved as .xlsx.
    wb = Workbook()
    for row in csv_rows(tmp_path / "hs.csv"):
        wb.active.append([v or None for v in row])
    wb.save(tmp_path / "hs-excel.xlsx")
    assert any(c.value == "'" + CLASS for c in cells(tmp_path / "hs-excel.xlsx"))

    again = tmp_path / "again.db"
    run.json("--db", again, "import", tmp_path / "hs-excel.xlsx")

    back = {s["student_code"]: s for s in run.json("--db", again, "students")}
    for k in KIDS:
        assert back[k.code]["full_name"] == k.name
        assert back[k.code]["class_name"] == k.klass
        assert back[k.code]["ethnicity"] == k.ethnicity
        assert back[k.code]["religion"] == k.religion
        assert back[k.code]["school"] == SCHOOL


def test_eligible_xlsx_keeps_every_prefix_as_text(run: Any, tmp_path: Path, loaded: None) -> None:
    run.ok("eligible", "--all", "--xlsx", tmp_path / "xet.xlsx")

    assert_no_formula(tmp_path / "xet.xlsx", *NAMES, CLASS, SCHOOL)


def test_report_xlsx_with_names_keeps_every_prefix_as_text(
    run: Any, tmp_path: Path, loaded: None
) -> None:
    run.ok("report", "--school-year", "2024-2025", "--xlsx", "--out", "bc.xlsx", "--with-names")

    assert_no_formula(tmp_path / "bc.xlsx", *NAMES, CLASS, SCHOOL, UNIT)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_report_with_names_escapes_markup_in_names(
    run: Any, tmp_path: Path, loaded: None
) -> None:
    run.ok("report", "--school-year", "2024-2025", "--html", "--out", "bc.html", "--with-names")

    source = (tmp_path / "bc.html").read_text("utf-8")
    page = _Tags()
    page.feed(source)
    assert "script" not in page.tags  # the name did not become markup
    assert "<script>" not in source
    assert "&lt;script&gt;" in source
    text = " ".join(page.text)
    for name in NAMES:  # and every name reads as it was written
        assert name in text, name


def test_errors_workbook_keeps_every_prefix_as_text(run: Any, tmp_path: Path) -> None:
    # Rows rejected for their date of birth ("=TODAY()" is a formula typed as text): the
    # errors file repeats their cells, the bad value and the reason.
    bad = [
        kid("1600000011", NAME_EQ, born=D(2007, 1, 1)),
        kid("1600000012", NAME_PLUS, ethnicity=ETHNICITY, religion=RELIGION),
        kid("1600000013", NAME_AT, klass=CLASS),
    ]
    roster = plain_roster(tmp_path / "loi.xlsx", bad, header=HEADER)
    wb = load_workbook(roster.path)
    ws = wb.active
    header_row = next(r for r in range(1, 10) if ws.cell(row=r, column=3).value == "Họ và tên")
    for r in range(header_row + 1, header_row + 4):
        ws.cell(row=r, column=HEADER.index("Ngày sinh") + 1, value="=TODAY()")
    wb.save(roster.path)
    typed_as_text(roster.path)

    result = run("import", roster.path, "--errors", tmp_path / "tu-choi.xlsx")

    assert result.exit_code == 3, result.output
    assert_no_formula(
        tmp_path / "tu-choi.xlsx",
        NAME_EQ,
        NAME_PLUS,
        NAME_AT,
        CLASS,
        ETHNICITY,
        RELIGION,
        "=TODAY()",
    )
